// The plugin's Redux state: a cache of receipts and settings, and what the plugin's own UI shows.

import * as T from './action_types';
import type {PluginAction} from './action_types';
import type {ChannelSettings, MySettings, PluginConfig, QuerySkipReason, Receipt} from './types';

/** ReceiptEntry is what the plugin knows about one post's receipts. */
export type ReceiptEntry =
    | {status: 'loading'}
    | {status: 'failed'}
    | {status: 'tracked'; receipt: Receipt}
    | {status: 'skipped'; reason: QuerySkipReason};

export interface PluginState {
    receipts: Record<string, ReceiptEntry | undefined>;

    /** Posts whose read was reported (or is being reported) in this session. */
    reported: Record<string, true | undefined>;
    config: PluginConfig | null;
    mySettings: MySettings | null;
    channels: Record<string, ChannelSettings | undefined>;

    /** The status of the last failed channel toggle, per channel. */
    channelErrors: Record<string, number | undefined>;

    /** The post whose readers are shown, or ''. */
    readersPostId: string;
    settingsOpen: boolean;

    /** Channels where the user asks for receipts on the messages they send (per_message mode). */
    composer: Record<string, boolean | undefined>;
}

export const initialState: PluginState = {
    receipts: {},
    reported: {},
    config: null,
    mySettings: null,
    channels: {},
    channelErrors: {},
    readersPostId: '',
    settingsOpen: false,
    composer: {},
};

/**
 * mergeReceipt keeps the newer of two receipts of one post. Reads are never undone, so a receipt
 * with fewer reads is older (an answer that crossed an event); with as many reads the incoming one
 * wins, because recipients who left lower the unread count.
 */
export function mergeReceipt(old: Receipt | undefined, incoming: Receipt): Receipt {
    if (!old) {
        return incoming;
    }
    if (incoming.read_count < old.read_count || (old.is_peer_read && !incoming.is_peer_read)) {
        return old;
    }
    return incoming;
}

function withReceipts(state: PluginState, receipts: Receipt[]): PluginState {
    const next = {...state.receipts};
    for (const r of receipts) {
        const old = next[r.post_id];
        next[r.post_id] = {status: 'tracked', receipt: mergeReceipt(old?.status === 'tracked' ? old.receipt : undefined, r)};
    }
    return {...state, receipts: next};
}

function setFlags<V>(map: Record<string, V | undefined>, ids: string[], value: V | undefined): Record<string, V | undefined> {
    const next = {...map};
    for (const id of ids) {
        if (value === undefined) {
            delete next[id];
        } else {
            next[id] = value;
        }
    }
    return next;
}

function receiptsReducer(state: PluginState, action: PluginAction): PluginState {
    switch (action.type) {
    case T.RECEIPTS_REQUESTED:
        return {...state, receipts: setFlags<ReceiptEntry>(state.receipts, action.postIds, {status: 'loading'})};
    case T.RECEIPTS_RECEIVED:
        return withReceipts(state, action.receipts);
    case T.RECEIPTS_SKIPPED: {
        const next = {...state.receipts};
        for (const s of action.skipped) {
            next[s.post_id] = {status: 'skipped', reason: s.reason};
        }
        return {...state, receipts: next};
    }
    case T.RECEIPTS_FAILED: {
        // Only what is still loading failed; a refresh (reconnect) asks again.
        const loading = action.postIds.filter((id) => state.receipts[id]?.status === 'loading');
        return {...state, receipts: setFlags<ReceiptEntry>(state.receipts, loading, {status: 'failed'})};
    }
    case T.RECEIPTS_DROPPED:
        return {...state, receipts: setFlags<ReceiptEntry>(state.receipts, action.postIds, undefined)};
    case T.READS_QUEUED:
        return {...state, reported: setFlags(state.reported, action.postIds, true as const)};
    case T.READS_FAILED:
        return {...state, reported: setFlags<true>(state.reported, action.postIds, undefined)};
    case T.CACHE_PRUNED:
        return {
            ...state,
            receipts: setFlags<ReceiptEntry>(state.receipts, action.postIds, undefined),
            reported: setFlags<true>(state.reported, action.postIds, undefined),
        };
    default:
        return state;
    }
}

function channelsReducer(state: PluginState, action: PluginAction): PluginState {
    switch (action.type) {
    case T.CHANNEL_SETTINGS_RECEIVED: {
        const channelErrors = {...state.channelErrors};
        delete channelErrors[action.settings.channel_id];
        return {...state, channels: {...state.channels, [action.settings.channel_id]: action.settings}, channelErrors};
    }
    case T.CHANNEL_ENABLED_CHANGED: {
        const old = state.channels[action.channelId];
        if (!old) {
            return state;
        }
        let reason = old.reason;
        if (action.enabled) {
            reason = '';
        } else if (!reason) {
            reason = 'turned_off';
        }
        return {...state, channels: {...state.channels, [action.channelId]: {...old, enabled: action.enabled, reason}}};
    }
    case T.CHANNEL_ERROR:
        return {...state, channelErrors: {...state.channelErrors, [action.channelId]: action.status}};
    case T.CHANNELS_DROPPED: {
        // The settings of one channel stay shown until their reload answers; the others are asked for when next needed.
        const kept = state.channels[action.keep];
        const error = state.channelErrors[action.keep];
        return {
            ...state,
            channels: kept ? {[action.keep]: kept} : {},
            channelErrors: error === undefined ? {} : {[action.keep]: error},
        };
    }
    default:
        return state;
    }
}

function pluginReducer(state: PluginState, action: PluginAction): PluginState {
    switch (action.type) {
    case T.CONFIG_RECEIVED:
        return {...state, config: action.config};
    case T.MY_SETTINGS_RECEIVED:
        return {...state, mySettings: action.settings};
    case T.READERS_OPENED:
        return {...state, readersPostId: action.postId};
    case T.READERS_CLOSED:
        return {...state, readersPostId: ''};
    case T.SETTINGS_OPENED:
        return {...state, settingsOpen: true};
    case T.SETTINGS_CLOSED:
        return {...state, settingsOpen: false};
    case T.COMPOSER_REQUEST_SET:
        return {...state, composer: {...state.composer, [action.channelId]: action.requested}};
    default:
        return channelsReducer(receiptsReducer(state, action), action);
    }
}

/**
 * reducer is registered with registerReducer; Mattermost keeps its state at `plugins-readreceipts`.
 * It sees every action of the web app, and ignores those that are not the plugin's.
 */
export default function reducer(state: PluginState = initialState, action: PluginAction | {type: string}): PluginState {
    return pluginReducer(state, action as PluginAction);
}
