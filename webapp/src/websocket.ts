// Websocket event handlers: small pure parsers, and handlers that turn events into actions.

import {applyConfig, channelEnabledChanged, loadChannelSettings, receiptsReceived, reloadChannelSettings} from './actions';
import type {Dispatch, GetState} from './actions';
import type {WebSocketMessage} from './mattermost';
import {pluginId} from './manifest';
import {getCurrentChannelId, getPluginState} from './selectors';
import type {PluginConfig, Receipt} from './types';

export const RECEIPTS_EVENT = `custom_${pluginId}_receipts`;
export const CHANNEL_SETTINGS_EVENT = `custom_${pluginId}_channel_settings`;
export const CONFIG_EVENT = `custom_${pluginId}_config`;

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number {
    return typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0;
}

/** parseReceipt reads one Receipt from an event payload, or null when it is not one. */
export function parseReceipt(v: unknown): Receipt | null {
    if (!isObject(v) || typeof v.post_id !== 'string' || v.post_id === '') {
        return null;
    }
    return {
        post_id: v.post_id,
        channel_id: typeof v.channel_id === 'string' ? v.channel_id : '',
        user_id: typeof v.user_id === 'string' ? v.user_id : '',
        is_peer_read: v.is_peer_read === true,
        timestamp: num(v.timestamp),
        read_count: num(v.read_count),
        unread_count: num(v.unread_count),
    };
}

/** receiptsFromEvent reads the receipts of a `custom_readreceipts_receipts` event. */
export function receiptsFromEvent(msg: WebSocketMessage): Receipt[] {
    if (!isObject(msg.data) || !Array.isArray(msg.data.receipts)) {
        return [];
    }
    return msg.data.receipts.map(parseReceipt).filter((r): r is Receipt => r !== null);
}

/** channelSettingsFromEvent reads a `custom_readreceipts_channel_settings` event. */
export function channelSettingsFromEvent(msg: WebSocketMessage): {channelId: string; enabled: boolean} | null {
    if (!isObject(msg.data) || typeof msg.data.channel_id !== 'string' || typeof msg.data.enabled !== 'boolean') {
        return null;
    }
    return {channelId: msg.data.channel_id, enabled: msg.data.enabled};
}

/** configFromEvent reads a `custom_readreceipts_config` event. */
export function configFromEvent(msg: WebSocketMessage): PluginConfig | null {
    const d = msg.data;
    if (!isObject(d) || typeof d.request_mode !== 'string' || typeof d.privacy_policy !== 'string') {
        return null;
    }
    return {
        enable_direct_messages: d.enable_direct_messages === true,
        enable_group_messages: d.enable_group_messages === true,
        enable_private_channels: d.enable_private_channels === true,
        enable_public_channels: d.enable_public_channels === true,
        request_mode: d.request_mode === 'per_message' ? 'per_message' : 'all',
        max_channel_members: num(d.max_channel_members),
        privacy_policy: d.privacy_policy === 'always_on' ? 'always_on' : 'user_choice',
        reciprocal: d.reciprocal === true,
        counts_visible_to: d.counts_visible_to === 'members' ? 'members' : 'author',
    };
}

/** handleReceipts updates the indicators in place. */
export function handleReceipts(dispatch: Dispatch) {
    return (msg: WebSocketMessage): void => {
        const receipts = receiptsFromEvent(msg);
        if (receipts.length > 0) {
            dispatch(receiptsReceived(receipts));
        }
    };
}

/** handleChannelSettings updates a channel's toggle; settings not cached yet are fetched whole. */
export function handleChannelSettings(dispatch: Dispatch, getState: GetState) {
    return (msg: WebSocketMessage): void => {
        const change = channelSettingsFromEvent(msg);
        if (!change) {
            return;
        }
        if (getPluginState(getState()).channels[change.channelId]) {
            dispatch(channelEnabledChanged(change.channelId, change.enabled));
        } else {
            dispatch(loadChannelSettings(change.channelId));
        }
    };
}

/**
 * handleConfig applies a changed configuration: receipts whose visibility may have changed are asked
 * again, and the current channel's settings are reloaded (its type may have been enabled or disabled).
 */
export function handleConfig(dispatch: Dispatch, getState: GetState) {
    return (msg: WebSocketMessage): void => {
        const config = configFromEvent(msg);
        if (!config) {
            return;
        }
        dispatch(applyConfig(config));
        dispatch(reloadChannelSettings(getCurrentChannelId(getState())));
    };
}
