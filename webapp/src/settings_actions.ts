// Thunks for the plugin's settings: the admin's config, the user's own
// choice and each channel's switch. actions.ts re-exports them.
import * as T from './action_types';
import {channelSettingsReceived, configReceived, mySettingsReceived, refreshReceipts} from './actions';
import type {Thunk} from './actions';
import {client, ClientError} from './client';
import {getPluginState} from './selectors';
import type {MySettings, PluginConfig} from './types';

/** applyConfig stores a config; when it changes who sees which receipts, they are asked again. */
export function applyConfig(config: PluginConfig): Thunk {
    return (dispatch, getState) => {
        const before = getPluginState(getState()).config;
        dispatch(configReceived(config));
        if (before && (before.counts_visible_to !== config.counts_visible_to || before.reciprocal !== config.reciprocal ||
            before.privacy_policy !== config.privacy_policy)) {
            dispatch(refreshReceipts());
        }
    };
}

export function loadConfig(): Thunk {
    return async (dispatch) => {
        try {
            dispatch(applyConfig(await client.getConfig()));
        } catch {
            // Without the config the plugin stays quiet; the next reconnect tries again.
        }
    };
}

/**
 * applyMySettings stores the user's settings; when "Send read receipts" changed, Reciprocal may
 * show or hide every receipt, so all are asked again.
 */
export function applyMySettings(settings: MySettings): Thunk {
    return (dispatch, getState) => {
        const before = getPluginState(getState()).mySettings;
        dispatch(mySettingsReceived(settings));
        if (before?.send_read_receipts !== settings.send_read_receipts) {
            dispatch(refreshReceipts());
        }
    };
}

export function loadMySettings(): Thunk {
    return async (dispatch) => {
        try {
            dispatch(applyMySettings(await client.getMySettings()));
        } catch {
            // Unknown settings count as "not sending": nothing is reported until they load.
        }
    };
}

export function loadChannelSettings(channelId: string): Thunk {
    return async (dispatch) => {
        if (!channelId) {
            return;
        }
        try {
            dispatch(channelSettingsReceived(await client.getChannelSettings(channelId)));
        } catch (err) {
            dispatch({type: T.CHANNEL_ERROR, channelId, status: err instanceof ClientError ? err.status : 0});
        }
    };
}

/**
 * reloadChannelSettings follows a config change: the current channel's settings are asked again (its
 * toggle and reason may have changed) and the others are forgotten until needed.
 */
export function reloadChannelSettings(currentChannelId: string): Thunk {
    return (dispatch) => {
        dispatch({type: T.CHANNELS_DROPPED, keep: currentChannelId});
        dispatch(loadChannelSettings(currentChannelId));
    };
}

/** setChannelEnabled turns receipts on or off for a channel; the answer replaces the cached settings. */
export function setChannelEnabled(channelId: string, enabled: boolean): Thunk {
    return async (dispatch) => {
        try {
            dispatch(channelSettingsReceived(await client.setChannelEnabled(channelId, enabled)));
        } catch (err) {
            dispatch({type: T.CHANNEL_ERROR, channelId, status: err instanceof ClientError ? err.status : 0});
        }
    };
}

/** setSendReadReceipts changes the user's privacy setting and throws what the server said. */
export function setSendReadReceipts(send: boolean): Thunk {
    return async (dispatch) => {
        dispatch(applyMySettings(await client.setSendReadReceipts(send)));
    };
}
