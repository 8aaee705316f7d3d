import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import {
    loadMySettings,
    resetQueues,
    setSendReadReceipts,
} from './actions';
import type {Dispatch} from './actions';
import {client} from './client';
import {getPluginState} from './selectors';
import {GM, id, makeStore} from './test/store';
import type {PluginConfig, Receipt} from './types';

const receiptOf = (postId: string): Receipt => ({
    post_id: postId, channel_id: GM, user_id: '', is_peer_read: false, timestamp: 0, read_count: 1, unread_count: 1,
});

const baseConfig: PluginConfig = {
    enable_direct_messages: true, enable_group_messages: true, enable_private_channels: false, enable_public_channels: false,
    request_mode: 'all', max_channel_members: 5000, privacy_policy: 'user_choice', reciprocal: true, counts_visible_to: 'author',
};

describe('setSendReadReceipts', () => {
    beforeEach(() => {
        resetQueues();
    });

    it('asks again for receipts hidden by privacy once the user sends receipts again', async () => {
        vi.useFakeTimers();
        vi.spyOn(client, 'setSendReadReceipts').mockResolvedValue({send_read_receipts: true, can_change: true});
        const query = vi.spyOn(client, 'queryReceipts').mockImplementation(async (ids) => ({receipts: ids.map(receiptOf), skipped: []}));
        const store = makeStore({plugin: {receipts: {
            [id('h')]: {status: 'skipped', reason: 'hidden_by_privacy'},
            [id('n')]: {status: 'skipped', reason: 'not_tracked'},
        }}});
        await (store.dispatch as unknown as Dispatch)(setSendReadReceipts(true));
        await vi.runAllTimersAsync();
        vi.useRealTimers();
        expect(query).toHaveBeenCalledWith([id('h')]);
        expect(getPluginState(store.getState()).receipts[id('h')]?.status).toBe('tracked');
    });

    it('asks again for tracked receipts too, and hides old counts at once when the user stops sending under Reciprocal', async () => {
        vi.useFakeTimers();
        vi.spyOn(client, 'setSendReadReceipts').mockResolvedValue({send_read_receipts: false, can_change: true});
        let answer: (v: {receipts: Receipt[]; skipped: []}) => void = () => undefined;
        const query = vi.spyOn(client, 'queryReceipts').mockImplementation(() => new Promise((resolve) => {
            answer = resolve;
        }));
        const store = makeStore({plugin: {config: baseConfig, mySettings: {send_read_receipts: true, can_change: true}, receipts: {
            [id('t')]: {status: 'tracked', receipt: receiptOf(id('t'))},
            [id('n')]: {status: 'skipped', reason: 'not_tracked'},
        }}});
        await (store.dispatch as unknown as Dispatch)(setSendReadReceipts(false));
        expect(getPluginState(store.getState()).receipts[id('t')]).toEqual({status: 'loading'});
        await vi.advanceTimersByTimeAsync(500);
        expect(query).toHaveBeenCalledWith([id('t')]);
        answer({receipts: [], skipped: []});
        vi.useRealTimers();
    });

    it('keeps showing counts while asking again when the user stops sending without Reciprocal', async () => {
        vi.useFakeTimers();
        vi.spyOn(client, 'setSendReadReceipts').mockResolvedValue({send_read_receipts: false, can_change: true});
        const query = vi.spyOn(client, 'queryReceipts').mockResolvedValue({receipts: [], skipped: []});
        const store = makeStore({plugin: {config: {...baseConfig, reciprocal: false}, mySettings: {send_read_receipts: true, can_change: true}, receipts: {
            [id('t')]: {status: 'tracked', receipt: receiptOf(id('t'))},
        }}});
        await (store.dispatch as unknown as Dispatch)(setSendReadReceipts(false));
        expect(getPluginState(store.getState()).receipts[id('t')]?.status).toBe('tracked');
        await vi.runAllTimersAsync();
        vi.useRealTimers();
        expect(query).toHaveBeenCalledWith([id('t')]);
    });
});

describe('loadMySettings', () => {
    beforeEach(() => {
        resetQueues();
        vi.useFakeTimers();
    });
    afterEach(() => {
        vi.useRealTimers();
    });

    const seed = (send: boolean) => makeStore({plugin: {config: baseConfig, mySettings: {send_read_receipts: send, can_change: true}, receipts: {
        [id('t')]: {status: 'tracked', receipt: receiptOf(id('t'))},
        [id('h')]: {status: 'skipped', reason: 'hidden_by_privacy'},
    }}});

    it('asks again for every receipt when the reloaded setting changed', async () => {
        vi.spyOn(client, 'getMySettings').mockResolvedValue({send_read_receipts: true, can_change: true});
        const query = vi.spyOn(client, 'queryReceipts').mockImplementation(async (ids) => ({receipts: ids.map(receiptOf), skipped: []}));
        const store = seed(false);
        await (store.dispatch as unknown as Dispatch)(loadMySettings());
        await vi.runAllTimersAsync();
        expect(query.mock.calls.flatMap((c) => c[0]).sort()).toEqual([id('h'), id('t')]);
        expect(getPluginState(store.getState()).receipts[id('h')]?.status).toBe('tracked');
    });

    it('asks nothing when the reloaded setting is the same', async () => {
        vi.spyOn(client, 'getMySettings').mockResolvedValue({send_read_receipts: true, can_change: true});
        const query = vi.spyOn(client, 'queryReceipts').mockResolvedValue({receipts: [], skipped: []});
        await (seed(true).dispatch as unknown as Dispatch)(loadMySettings());
        await vi.runAllTimersAsync();
        expect(query).not.toHaveBeenCalled();
    });
});
