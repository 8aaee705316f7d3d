// Actions: plain creators for the reducer, and thunks that talk to the server through client.ts.

import * as T from './action_types';
import type {PluginAction} from './action_types';
import {client, ClientError, MAX_BATCH} from './client';
import {PostQueue} from './queue';
import {
    getCurrentChannelId,
    getCurrentUserId,
    getPluginState,
    getPost,
    isSendingReceipts,
    mayBeTracked,
} from './selectors';
import type {GlobalState} from './selectors';
import type {ChannelSettings, MySettings, PluginConfig, QuerySkipReason, Receipt} from './types';

export type Dispatch = (action: PluginAction | Thunk) => unknown;
export type GetState = () => GlobalState;
export type Thunk = (dispatch: Dispatch, getState: GetState) => unknown;

const QUERY_DELAY_MS = 150;
const READS_DELAY_MS = 500;
const MAX_WAIT_MS = 1500;

// The server tracks a post just after saving it, so a post asked about in its
// first seconds may come back not_tracked too early; it is asked once more.
export const FRESH_POST_MS = 10_000;
export const RETRY_FRESH_MS = 2_000;

export const receiptsReceived = (receipts: Receipt[]): PluginAction => ({type: T.RECEIPTS_RECEIVED, receipts});
export const configReceived = (config: PluginConfig): PluginAction => ({type: T.CONFIG_RECEIVED, config});
export const mySettingsReceived = (settings: MySettings): PluginAction => ({type: T.MY_SETTINGS_RECEIVED, settings});
export const channelSettingsReceived = (settings: ChannelSettings): PluginAction => ({type: T.CHANNEL_SETTINGS_RECEIVED, settings});
export const channelEnabledChanged = (channelId: string, enabled: boolean): PluginAction => ({type: T.CHANNEL_ENABLED_CHANGED, channelId, enabled});
export const openReaders = (postId: string): PluginAction => ({type: T.READERS_OPENED, postId});
export const closeReaders = (): PluginAction => ({type: T.READERS_CLOSED});
export const openSettings = (): PluginAction => ({type: T.SETTINGS_OPENED});
export const closeSettings = (): PluginAction => ({type: T.SETTINGS_CLOSED});

// The queues are shared by every component on the page; they dispatch through the latest store seen.
let latestDispatch: Dispatch | null = null;
let queryQueue: PostQueue | null = null;
let readQueue: PostQueue | null = null;

function queues(dispatch: Dispatch): {query: PostQueue; reads: PostQueue} {
    latestDispatch = dispatch;
    queryQueue ??= new PostQueue((ids) => latestDispatch?.(flushQuery(ids)), {delayMs: QUERY_DELAY_MS, maxWaitMs: MAX_WAIT_MS, maxBatch: MAX_BATCH});
    readQueue ??= new PostQueue((ids) => latestDispatch?.(flushReads(ids)), {delayMs: READS_DELAY_MS, maxWaitMs: MAX_WAIT_MS, maxBatch: MAX_BATCH});
    return {query: queryQueue, reads: readQueue};
}

/** resetQueues drops pending work; for tests, which each build a fresh store. */
export function resetQueues(): void {
    latestDispatch = null;
    queryQueue = null;
    readQueue = null;
}

function flushQuery(postIds: string[], retried = false): Thunk {
    return async (dispatch, getState) => {
        try {
            const result = await client.queryReceipts(postIds);
            dispatch(receiptsReceived(result.receipts ?? []));
            const skipped = result.skipped ?? [];
            dispatch({type: T.RECEIPTS_SKIPPED, skipped});
            if (!retried) {
                retryFresh(dispatch, getState, skipped.filter((s) => s.reason === 'not_tracked').map((s) => s.post_id));
            }
            const answered = new Set([...(result.receipts ?? []).map((r) => r.post_id), ...skipped.map((s) => s.post_id)]);
            const unanswered = postIds.filter((id) => !answered.has(id));
            if (unanswered.length > 0) {
                dispatch({type: T.RECEIPTS_FAILED, postIds: unanswered});
            }
        } catch {
            dispatch({type: T.RECEIPTS_FAILED, postIds});
        }
    };
}

function retryFresh(dispatch: Dispatch, getState: GetState, postIds: string[]): void {
    const now = Date.now();
    const fresh = postIds.filter((id) => {
        const createdAt = getPost(getState(), id)?.create_at;
        return createdAt !== undefined && now - createdAt < FRESH_POST_MS;
    });
    if (fresh.length > 0) {
        setTimeout(() => dispatch(flushQuery(fresh, true)), RETRY_FRESH_MS);
    }
}

/**
 * requestReceipts asks for the receipts of posts on screen. Posts already known are not asked again
 * unless force is set (reconnect); the request goes out in a batch with other posts' requests.
 */
export function requestReceipts(postIds: string[], force = false): Thunk {
    return (dispatch, getState) => {
        const known = getPluginState(getState()).receipts;
        const wanted = force ? postIds : postIds.filter((id) => known[id] === undefined);
        if (wanted.length === 0) {
            return;
        }
        const fresh = wanted.filter((id) => known[id] === undefined || known[id]?.status === 'failed');
        if (fresh.length > 0) {
            dispatch({type: T.RECEIPTS_REQUESTED, postIds: fresh});
        }
        queues(dispatch).query.add(wanted);
    };
}

/** requestSkipped asks again for posts that were skipped for one of the given reasons. */
export function requestSkipped(reasons: QuerySkipReason[]): Thunk {
    return (dispatch, getState) => {
        const receipts = getPluginState(getState()).receipts;
        const ids = Object.keys(receipts).filter((id) => {
            const entry = receipts[id];
            return entry?.status === 'skipped' && reasons.includes(entry.reason);
        });
        dispatch(requestReceipts(ids, true));
    };
}

function flushReads(postIds: string[]): Thunk {
    return async (dispatch) => {
        try {
            const result = await client.reportReads(postIds);
            if ((result.skipped ?? []).some((s) => s.reason === 'disabled')) {
                dispatch(loadMySettings());
            }
        } catch {
            // Not recorded: allow the posts to be reported again when next seen.
            dispatch({type: T.READS_FAILED, postIds});
        }
    };
}

/**
 * reportSeen reports that the user saw a post, once per post: not for the user's own posts, posts
 * that can never be tracked, or when the user does not send read receipts.
 */
export function reportSeen(postId: string): Thunk {
    return (dispatch, getState) => {
        const state = getState();
        if (getPluginState(state).reported[postId] || !isSendingReceipts(state)) {
            return;
        }
        const post = getPost(state, postId);
        if (!post || post.user_id === getCurrentUserId(state) || !mayBeTracked(post)) {
            return;
        }
        const entry = getPluginState(state).receipts[postId];
        if (entry?.status === 'skipped' && entry.reason === 'not_tracked') {
            return;
        }
        dispatch({type: T.READS_QUEUED, postIds: [postId]});
        queues(dispatch).reads.add([postId]);
    };
}

export function loadConfig(): Thunk {
    return async (dispatch) => {
        try {
            dispatch(configReceived(await client.getConfig()));
        } catch {
            // Without the config the plugin stays quiet; the next reconnect tries again.
        }
    };
}

export function loadMySettings(): Thunk {
    return async (dispatch) => {
        try {
            dispatch(mySettingsReceived(await client.getMySettings()));
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
        const settings = await client.setSendReadReceipts(send);
        dispatch(mySettingsReceived(settings));
        if (settings.send_read_receipts) {
            dispatch(requestSkipped(['hidden_by_privacy']));
        }
    };
}

const composerKey = (channelId: string) => `readreceipts.request.${channelId}`;

/** loadComposerRequest reads the user's remembered per-channel request from localStorage. */
export function loadComposerRequest(channelId: string): PluginAction {
    let requested = false;
    try {
        requested = window.localStorage.getItem(composerKey(channelId)) === 'true';
    } catch {
        // Storage may be unavailable (private mode); the choice is then not remembered.
    }
    return {type: T.COMPOSER_REQUEST_SET, channelId, requested};
}

/** setComposerRequest remembers, per channel, whether the user asks for receipts on new messages. */
export function setComposerRequest(channelId: string, requested: boolean): PluginAction {
    try {
        window.localStorage.setItem(composerKey(channelId), String(requested));
    } catch {
        // See loadComposerRequest.
    }
    return {type: T.COMPOSER_REQUEST_SET, channelId, requested};
}

/** refreshAll re-reads everything the screen shows, after the websocket reconnects. */
export function refreshAll(postIdsOnScreen: string[]): Thunk {
    return (dispatch, getState) => {
        dispatch(loadConfig());
        dispatch(loadMySettings());
        dispatch(loadChannelSettings(getCurrentChannelId(getState())));
        dispatch(requestReceipts(postIdsOnScreen, true));
    };
}
