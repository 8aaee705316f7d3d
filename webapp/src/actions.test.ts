import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import {
    MAX_RETRIES,
    RETRY_BASE_MS,
    refreshReceipts,
    reportSeen,
    requestReceipts,
    resetQueues,
    setPostsOnScreen,
} from './actions';
import type {Dispatch} from './actions';
import {client} from './client';
import {getPluginState} from './selectors';
import {DM, GM, ME, OPEN, PEER, id, makeStore, post, settle} from './test/store';
import type {PluginConfig, Receipt} from './types';

const receiptOf = (postId: string): Receipt => ({
    post_id: postId, channel_id: GM, user_id: '', is_peer_read: false, timestamp: 0, read_count: 1, unread_count: 1,
});

const sending = {mySettings: {send_read_receipts: true, can_change: true}};

const baseConfig: PluginConfig = {
    enable_direct_messages: true, enable_group_messages: true, enable_private_channels: false, enable_public_channels: false,
    request_mode: 'all', max_channel_members: 5000, privacy_policy: 'user_choice', reciprocal: true, counts_visible_to: 'author',
};

describe('receipt queries', () => {
    beforeEach(() => {
        vi.useFakeTimers();
        resetQueues();
    });
    afterEach(() => {
        vi.useRealTimers();
    });

    it('asks for many posts in one request and caches the answers', async () => {
        const query = vi.spyOn(client, 'queryReceipts').mockImplementation(async (ids) => ({
            receipts: ids.filter((i) => i !== id('p3')).map(receiptOf),
            skipped: [{post_id: id('p3'), reason: 'not_tracked'}],
        }));
        const store = makeStore();
        const dispatch = store.dispatch as unknown as Dispatch;
        dispatch(requestReceipts([id('p1')]));
        dispatch(requestReceipts([id('p2')]));
        dispatch(requestReceipts([id('p3'), id('p1')]));
        expect(getPluginState(store.getState()).receipts[id('p2')]).toEqual({status: 'loading'});

        await vi.runAllTimersAsync();

        expect(query).toHaveBeenCalledTimes(1);
        expect(query.mock.calls[0][0].sort()).toEqual([id('p1'), id('p2'), id('p3')]);
        const receipts = getPluginState(store.getState()).receipts;
        expect(receipts[id('p1')]?.status).toBe('tracked');
        expect(receipts[id('p3')]).toEqual({status: 'skipped', reason: 'not_tracked'});
    });

    it('asks once more about a fresh post that came back not_tracked', async () => {
        const fresh = {...post('fresh', ME, GM), create_at: Date.now()};
        const old = post('old', ME, GM);
        let calls = 0;
        const query = vi.spyOn(client, 'queryReceipts').mockImplementation(async (ids) => {
            calls += 1;
            if (calls === 1) {
                return {receipts: [], skipped: ids.map((i) => ({post_id: i, reason: 'not_tracked' as const}))};
            }
            return {receipts: ids.map(receiptOf), skipped: []};
        });
        const store = makeStore({posts: [fresh, old]});
        const dispatch = store.dispatch as unknown as Dispatch;
        dispatch(requestReceipts([fresh.id, old.id]));
        await vi.runAllTimersAsync();

        expect(query).toHaveBeenCalledTimes(2);
        expect(query.mock.calls[1][0]).toEqual([fresh.id]);
        const receipts = getPluginState(store.getState()).receipts;
        expect(receipts[fresh.id]?.status).toBe('tracked');
        expect(receipts[old.id]).toEqual({status: 'skipped', reason: 'not_tracked'});
    });

    it('keeps a fresh post loading until it was asked once more, so its space does not collapse and come back', async () => {
        const fresh = {...post('fresh', ME, GM), create_at: Date.now()};
        let calls = 0;
        vi.spyOn(client, 'queryReceipts').mockImplementation(async (ids) => {
            calls += 1;
            if (calls === 1) {
                return {receipts: [], skipped: ids.map((i) => ({post_id: i, reason: 'not_tracked' as const}))};
            }
            return {receipts: ids.map(receiptOf), skipped: []};
        });
        const store = makeStore({posts: [fresh]});
        (store.dispatch as unknown as Dispatch)(requestReceipts([fresh.id]));
        await vi.advanceTimersByTimeAsync(500);
        expect(calls).toBe(1);
        expect(getPluginState(store.getState()).receipts[fresh.id]).toEqual({status: 'loading'});
        await vi.runAllTimersAsync();
        expect(getPluginState(store.getState()).receipts[fresh.id]?.status).toBe('tracked');
    });

    it('does not ask again for posts it knows, unless forced', async () => {
        const query = vi.spyOn(client, 'queryReceipts').mockImplementation(async (ids) => ({receipts: ids.map(receiptOf), skipped: []}));
        const store = makeStore();
        const dispatch = store.dispatch as unknown as Dispatch;
        dispatch(requestReceipts([id('p1')]));
        await vi.runAllTimersAsync();
        dispatch(requestReceipts([id('p1')]));
        await vi.runAllTimersAsync();
        expect(query).toHaveBeenCalledTimes(1);

        dispatch(requestReceipts([id('p1')], true));
        await vi.runAllTimersAsync();
        expect(query).toHaveBeenCalledTimes(2);
        expect(getPluginState(store.getState()).receipts[id('p1')]?.status).toBe('tracked');
    });

    it('marks posts as failed when the request fails, retries with growing waits, then stops', async () => {
        const query = vi.spyOn(client, 'queryReceipts').mockRejectedValue(new Error('down'));
        const store = makeStore();
        const dispatch = store.dispatch as unknown as Dispatch;
        dispatch(requestReceipts([id('p1')]));
        await vi.runAllTimersAsync();
        expect(getPluginState(store.getState()).receipts[id('p1')]).toEqual({status: 'failed'});
        expect(query).toHaveBeenCalledTimes(1 + MAX_RETRIES);
        dispatch(requestReceipts([id('p1')]));
        await vi.runAllTimersAsync();
        expect(query).toHaveBeenCalledTimes(1 + MAX_RETRIES);
    });

    it('asks again, after a wait, only for the posts the server lists as failed', async () => {
        let calls = 0;
        const query = vi.spyOn(client, 'queryReceipts').mockImplementation(async (ids) => {
            calls += 1;
            if (calls < 3) {
                return {receipts: ids.filter((i) => i !== id('p2')).map(receiptOf), skipped: [], failed: [id('p2')]};
            }
            return {receipts: ids.map(receiptOf), skipped: []};
        });
        const store = makeStore();
        (store.dispatch as unknown as Dispatch)(requestReceipts([id('p1'), id('p2')]));
        await vi.advanceTimersByTimeAsync(200);
        expect(query).toHaveBeenCalledTimes(1);
        expect(getPluginState(store.getState()).receipts[id('p1')]?.status).toBe('tracked');
        expect(getPluginState(store.getState()).receipts[id('p2')]).toEqual({status: 'failed'});
        await vi.advanceTimersByTimeAsync(RETRY_BASE_MS - 300);
        expect(query).toHaveBeenCalledTimes(1);
        await vi.runAllTimersAsync();
        expect(query).toHaveBeenCalledTimes(3);
        expect(query.mock.calls[1][0]).toEqual([id('p2')]);
        expect(query.mock.calls[2][0]).toEqual([id('p2')]);
        expect(getPluginState(store.getState()).receipts[id('p2')]?.status).toBe('tracked');
    });
});

describe('reportSeen', () => {
    beforeEach(() => {
        vi.useFakeTimers();
        resetQueues();
    });
    afterEach(() => {
        vi.useRealTimers();
    });

    const posts = [post('a', PEER, DM), post('b', PEER, DM), post('own', ME, DM), post('sys', PEER, DM), post('optout', PEER, DM, {read_receipt: false})];
    posts[3].type = 'system_join_channel';

    it('reports others\' posts once, in one batch', async () => {
        const reads = vi.spyOn(client, 'reportReads').mockResolvedValue({recorded: [id('a'), id('b')], skipped: []});
        const store = makeStore({posts, plugin: sending});
        const dispatch = store.dispatch as unknown as Dispatch;
        for (const name of ['a', 'b', 'a', 'own', 'sys', 'optout', 'unknown']) {
            dispatch(reportSeen(id(name)));
        }
        await vi.runAllTimersAsync();
        dispatch(reportSeen(id('a')));
        await vi.runAllTimersAsync();

        expect(reads).toHaveBeenCalledTimes(1);
        expect(reads.mock.calls[0][0]).toEqual([id('a'), id('b')]);
    });

    it('reports nothing while the user does not send receipts, or before that is known', async () => {
        const reads = vi.spyOn(client, 'reportReads').mockResolvedValue({recorded: [], skipped: []});
        for (const plugin of [{}, {mySettings: {send_read_receipts: false, can_change: true}}]) {
            const store = makeStore({posts, plugin});
            (store.dispatch as unknown as Dispatch)(reportSeen(id('a')));
        }
        await vi.runAllTimersAsync();
        expect(reads).not.toHaveBeenCalled();
    });

    it('reports under always_on whatever the user chose', async () => {
        const reads = vi.spyOn(client, 'reportReads').mockResolvedValue({recorded: [id('a')], skipped: []});
        const config = {
            enable_direct_messages: true, enable_group_messages: true, enable_private_channels: false, enable_public_channels: false,
            request_mode: 'all' as const, max_channel_members: 5000, privacy_policy: 'always_on' as const, reciprocal: true, counts_visible_to: 'author' as const,
        };
        const store = makeStore({posts, plugin: {config, mySettings: {send_read_receipts: false, can_change: false}}});
        (store.dispatch as unknown as Dispatch)(reportSeen(id('a')));
        await vi.runAllTimersAsync();
        expect(reads).toHaveBeenCalledWith([id('a')]);
    });

    it('does not report a post known to be untracked', async () => {
        const reads = vi.spyOn(client, 'reportReads').mockResolvedValue({recorded: [], skipped: []});
        const store = makeStore({posts, plugin: {...sending, receipts: {[id('a')]: {status: 'skipped', reason: 'not_tracked'}}}});
        (store.dispatch as unknown as Dispatch)(reportSeen(id('a')));
        await vi.runAllTimersAsync();
        expect(reads).not.toHaveBeenCalled();
    });

    it('reports again after a failed request', async () => {
        const reads = vi.spyOn(client, 'reportReads').mockRejectedValueOnce(new Error('down')).mockResolvedValue({recorded: [id('a')], skipped: []});
        const store = makeStore({posts, plugin: sending});
        const dispatch = store.dispatch as unknown as Dispatch;
        dispatch(reportSeen(id('a')));
        await vi.runAllTimersAsync();
        dispatch(reportSeen(id('a')));
        await vi.runAllTimersAsync();
        expect(reads).toHaveBeenCalledTimes(2);
        expect(getPluginState(store.getState()).reported[id('a')]).toBe(true);
    });

    it('reloads the user\'s settings when the server says they do not send receipts', async () => {
        vi.spyOn(client, 'reportReads').mockResolvedValue({recorded: [], skipped: [{post_id: id('a'), reason: 'disabled'}]});
        vi.spyOn(client, 'getMySettings').mockResolvedValue({send_read_receipts: false, can_change: true});
        const store = makeStore({posts, plugin: sending});
        (store.dispatch as unknown as Dispatch)(reportSeen(id('a')));
        await vi.runAllTimersAsync();
        await settle();
        expect(getPluginState(store.getState()).mySettings?.send_read_receipts).toBe(false);
    });
});

describe('reportSeen and the config', () => {
    beforeEach(() => {
        vi.useFakeTimers();
        resetQueues();
    });
    afterEach(() => {
        vi.useRealTimers();
    });

    const inGroup = post('g', PEER, GM);
    const inOpen = post('o', PEER, OPEN);
    const asked = post('asked', PEER, GM, {read_receipt: true});
    const optedOut = post('optout', PEER, GM, {read_receipt: false});

    it.each([
        ['config not loaded yet: the server decides', {}, [inGroup, inOpen, asked]],
        ['all: everything but opt-outs in enabled types', {config: baseConfig}, [inGroup, asked]],
        ['public channels enabled', {config: {...baseConfig, enable_public_channels: true}}, [inGroup, inOpen, asked]],
        ['group messages disabled', {config: {...baseConfig, enable_group_messages: false}}, []],
        ['per_message: only posts that ask', {config: {...baseConfig, request_mode: 'per_message' as const}}, [asked]],
        ['the channel is turned off', {config: baseConfig, channels: {[GM]: {channel_id: GM, enabled: false, request_mode: 'all' as const, reason: 'turned_off' as const}}}, []],
        ['the channel is on', {config: baseConfig, channels: {[GM]: {channel_id: GM, enabled: true, request_mode: 'all' as const, reason: '' as const}}}, [inGroup, asked]],
    ])('%s', async (_name, plugin, expected) => {
        const reads = vi.spyOn(client, 'reportReads').mockResolvedValue({recorded: [], skipped: []});
        const store = makeStore({posts: [inGroup, inOpen, asked, optedOut], plugin: {...sending, ...plugin}});
        for (const p of [inGroup, inOpen, asked, optedOut]) {
            (store.dispatch as unknown as Dispatch)(reportSeen(p.id));
        }
        await vi.runAllTimersAsync();
        const sent = reads.mock.calls.flatMap((c) => c[0]);
        expect(sent.sort()).toEqual(expected.map((p) => p.id).sort());
    });
});

describe('refreshReceipts', () => {
    beforeEach(() => {
        resetQueues();
        vi.useFakeTimers();
    });
    afterEach(() => {
        vi.useRealTimers();
    });

    it('asks again for the posts on screen and forgets the others until they are shown again', async () => {
        const query = vi.spyOn(client, 'queryReceipts').mockImplementation(async (ids) => ({receipts: ids.map(receiptOf), skipped: []}));
        const store = makeStore({plugin: {receipts: {
            [id('on')]: {status: 'tracked', receipt: receiptOf(id('on'))},
            [id('off')]: {status: 'tracked', receipt: receiptOf(id('off'))},
            [id('untracked')]: {status: 'skipped', reason: 'not_tracked'},
        }}});
        setPostsOnScreen(() => [id('on'), id('untracked'), id('never')]);
        (store.dispatch as unknown as Dispatch)(refreshReceipts());
        await vi.runAllTimersAsync();
        expect(query).toHaveBeenCalledTimes(1);
        expect(query).toHaveBeenCalledWith([id('on')]);
        const receipts = getPluginState(store.getState()).receipts;
        expect(receipts[id('off')]).toBeUndefined();
        expect(receipts[id('untracked')]).toEqual({status: 'skipped', reason: 'not_tracked'});
    });
});
