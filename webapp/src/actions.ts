// Actions: plain creators for the reducer, and thunks that talk to the server through client.ts.

import * as T from './action_types';
import type {PluginAction} from './action_types';
import {client, MAX_BATCH} from './client';
import {PostQueue} from './queue';
import {
    getCurrentChannelId,
    getCurrentUserId,
    getPluginState,
    getPost,
    isSendingReceipts,
    mayBeTrackedHere,
    viewerHidesReceipts,
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
let postsOnScreen: (() => string[]) | null = null;

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
    postsOnScreen = null;
    retries.clear();
}

/** setPostsOnScreen tells the actions which posts are mounted (the seen tracker knows). */
export function setPostsOnScreen(source: (() => string[]) | null): void {
    postsOnScreen = source;
}

function flushQuery(postIds: string[], retried = false): Thunk {
    return async (dispatch, getState) => {
        try {
            const result = await client.queryReceipts(postIds);
            dispatch(receiptsReceived(result.receipts ?? []));
            const skipped = result.skipped ?? [];
            // A fresh post asked again keeps its state (and the space it holds) until the second answer.
            const again = retried ? new Set<string>() : retryFresh(dispatch, getState, skipped.filter((s) => s.reason === 'not_tracked').map((s) => s.post_id));
            dispatch({type: T.RECEIPTS_SKIPPED, skipped: skipped.filter((s) => !again.has(s.post_id))});
            const answered = new Set([...(result.receipts ?? []).map((r) => r.post_id), ...skipped.map((s) => s.post_id)]);
            answered.forEach((id) => retries.delete(id));
            const unanswered = postIds.filter((id) => !answered.has(id));
            if (unanswered.length > 0) {
                retryFailed(dispatch, unanswered);
            }
        } catch {
            retryFailed(dispatch, postIds);
        }
    };
}

// A post whose receipt could not be loaded (the server lists it as failed, or the request failed) is
// asked again after 1, 2, 4, 8 and 16 seconds, then left failed until the next reconnect asks again.
export const RETRY_BASE_MS = 1_000;
export const MAX_RETRIES = 5;
const retries = new Map<string, number>();

function retryFailed(dispatch: Dispatch, postIds: string[]): void {
    dispatch({type: T.RECEIPTS_FAILED, postIds});
    const byDelay = new Map<number, string[]>();
    for (const id of postIds) {
        const done = retries.get(id) ?? 0;
        if (done >= MAX_RETRIES) {
            retries.delete(id);
            continue;
        }
        retries.set(id, done + 1);
        const delay = RETRY_BASE_MS * (2 ** done);
        byDelay.set(delay, [...(byDelay.get(delay) ?? []), id]);
    }
    byDelay.forEach((ids, delay) => {
        setTimeout(() => queues(dispatch).query.add(ids), delay);
    });
}

/** retryFresh asks once more about fresh posts among postIds, and returns them. */
function retryFresh(dispatch: Dispatch, getState: GetState, postIds: string[]): Set<string> {
    const now = Date.now();
    const fresh = postIds.filter((id) => {
        const createdAt = getPost(getState(), id)?.create_at;
        return createdAt !== undefined && now - createdAt < FRESH_POST_MS;
    });
    if (fresh.length > 0) {
        setTimeout(() => dispatch(flushQuery(fresh, true)), RETRY_FRESH_MS);
    }
    return new Set(fresh);
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

// Whether a post is tracked never changes; who may see its receipts does (privacy, config).
const SETTLED: QuerySkipReason[] = ['not_tracked', 'not_found'];

/**
 * refreshReceipts asks again for every cached answer that privacy or the config may change: tracked
 * and hidden alike. Posts on screen are asked now; the others are forgotten, so they are asked when
 * shown again. A user who now sees no receipts (Reciprocal) stops seeing the old ones at once.
 */
export function refreshReceipts(): Thunk {
    return (dispatch, getState) => {
        const state = getState();
        const receipts = getPluginState(state).receipts;
        const changeable = Object.keys(receipts).filter((id) => {
            const entry = receipts[id];
            return entry !== undefined && !(entry.status === 'skipped' && SETTLED.includes(entry.reason));
        });
        const screen = postsOnScreen ? new Set(postsOnScreen()) : null;
        const ask = screen ? changeable.filter((id) => screen.has(id)) : changeable;
        const forget = screen ? changeable.filter((id) => !screen.has(id)) : [];
        if (forget.length > 0) {
            dispatch({type: T.RECEIPTS_DROPPED, postIds: forget});
        }
        if (ask.length > 0 && viewerHidesReceipts(state)) {
            dispatch({type: T.RECEIPTS_REQUESTED, postIds: ask});
        }
        dispatch(requestReceipts(ask, true));
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
        if (!post || post.user_id === getCurrentUserId(state) || !mayBeTrackedHere(state, post)) {
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

export {applyConfig, applyMySettings, loadChannelSettings, loadConfig, loadMySettings, reloadChannelSettings, setChannelEnabled, setSendReadReceipts} from './settings_actions';
import {loadConfig, loadMySettings, reloadChannelSettings} from './settings_actions';

/** refreshAll re-reads everything the screen shows, after the websocket reconnects. */
export function refreshAll(postIdsOnScreen: string[]): Thunk {
    return (dispatch, getState) => {
        dispatch(loadConfig());
        dispatch(loadMySettings());
        // Events were missed meanwhile: other channels' settings are asked again when needed.
        dispatch(reloadChannelSettings(getCurrentChannelId(getState())));
        dispatch(requestReceipts(postIdsOnScreen, true));
    };
}
