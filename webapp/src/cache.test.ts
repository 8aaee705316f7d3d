import {describe, expect, it} from 'vitest';

import * as T from './action_types';
import type {Dispatch} from './actions';
import {offscreenToDrop, pruneCache} from './cache';
import {getPluginState} from './selectors';
import {id, makeStore} from './test/store';

describe('offscreenToDrop', () => {
    it('keeps what is on screen and the newest off-screen posts, and drops the oldest others', () => {
        expect(offscreenToDrop(['a', 'b', 'c', 'd', 'e'], new Set(['a', 'e']), 2)).toEqual(['b']);
        expect(offscreenToDrop(['a', 'b'], new Set(), 5)).toEqual([]);
    });
});

describe('pruneCache', () => {
    it('bounds receipts and reported marks of posts off screen, keeping those on screen and the open readers list', () => {
        const ids = Array.from({length: 8}, (_, i) => id(`p${i}`));
        const receipts = Object.fromEntries(ids.map((p) => [p, {status: 'failed' as const}]));
        const reported = Object.fromEntries(ids.map((p) => [p, true as const]));
        const store = makeStore({plugin: {receipts, reported, readersPostId: ids[0]}});
        (store.dispatch as unknown as Dispatch)(pruneCache([ids[7], ids[1]], 3));
        const state = getPluginState(store.getState());
        expect(Object.keys(state.receipts).sort()).toEqual([ids[0], ids[1], ids[4], ids[5], ids[6], ids[7]].sort());
        expect(Object.keys(state.reported).sort()).toEqual(Object.keys(state.receipts).sort());
    });

    it('does nothing while the cache is within bounds', () => {
        const store = makeStore({plugin: {receipts: {[id('a')]: {status: 'loading'}}}});
        const before = getPluginState(store.getState());
        (store.dispatch as unknown as Dispatch)(pruneCache([], 3));
        expect(getPluginState(store.getState())).toBe(before);
        expect(T.CACHE_PRUNED).toBe('readreceipts/cache_pruned');
    });
});
