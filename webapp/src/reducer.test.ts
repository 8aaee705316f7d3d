import {describe, expect, it} from 'vitest';

import * as T from './action_types';
import reducer, {initialState, mergeReceipt} from './reducer';
import type {Receipt} from './types';

const receipt = (over: Partial<Receipt> = {}): Receipt => ({
    post_id: 'p1', channel_id: 'c1', user_id: '', is_peer_read: false, timestamp: 0, read_count: 0, unread_count: 3, ...over,
});

describe('mergeReceipt', () => {
    it.each([
        ['no old receipt', undefined, receipt({read_count: 1}), 1],
        ['more reads win', receipt({read_count: 1}), receipt({read_count: 2, unread_count: 1}), 2],
        ['fewer reads are an older answer', receipt({read_count: 2}), receipt({read_count: 1}), 2],
    ])('%s', (_name, old, incoming, expected) => {
        expect(mergeReceipt(old, incoming).read_count).toBe(expected);
    });

    it('takes a lower unread count at equal reads (a recipient left)', () => {
        expect(mergeReceipt(receipt({read_count: 1, unread_count: 2}), receipt({read_count: 1, unread_count: 1})).unread_count).toBe(1);
    });

    it('never undoes a one-to-one read', () => {
        const read = receipt({user_id: 'u', is_peer_read: true, timestamp: 5, read_count: 1, unread_count: 0});
        expect(mergeReceipt(read, receipt({user_id: 'u', read_count: 1, unread_count: 0}))).toBe(read);
    });
});

describe('reducer', () => {
    it('tracks a post from loading to its receipt', () => {
        let s = reducer(initialState, {type: T.RECEIPTS_REQUESTED, postIds: ['p1', 'p2']});
        expect(s.receipts.p1).toEqual({status: 'loading'});
        s = reducer(s, {type: T.RECEIPTS_RECEIVED, receipts: [receipt()]});
        s = reducer(s, {type: T.RECEIPTS_SKIPPED, skipped: [{post_id: 'p2', reason: 'not_tracked'}]});
        expect(s.receipts.p1).toEqual({status: 'tracked', receipt: receipt()});
        expect(s.receipts.p2).toEqual({status: 'skipped', reason: 'not_tracked'});
    });

    it('marks only loading posts as failed', () => {
        let s = reducer(initialState, {type: T.RECEIPTS_RECEIVED, receipts: [receipt()]});
        s = reducer(s, {type: T.RECEIPTS_REQUESTED, postIds: ['p2']});
        s = reducer(s, {type: T.RECEIPTS_FAILED, postIds: ['p1', 'p2']});
        expect(s.receipts.p1?.status).toBe('tracked');
        expect(s.receipts.p2?.status).toBe('failed');
    });

    it('remembers reported posts and forgets them when the report failed', () => {
        let s = reducer(initialState, {type: T.READS_QUEUED, postIds: ['a', 'b']});
        expect(s.reported).toEqual({a: true, b: true});
        s = reducer(s, {type: T.READS_FAILED, postIds: ['a']});
        expect(s.reported).toEqual({b: true});
    });

    it('applies a channel toggle event to cached settings', () => {
        let s = reducer(initialState, {type: T.CHANNEL_SETTINGS_RECEIVED, settings: {channel_id: 'c', enabled: true, request_mode: 'all', reason: ''}});
        s = reducer(s, {type: T.CHANNEL_ENABLED_CHANGED, channelId: 'c', enabled: false});
        expect(s.channels.c).toMatchObject({enabled: false, reason: 'turned_off'});
        s = reducer(s, {type: T.CHANNEL_ENABLED_CHANGED, channelId: 'c', enabled: true});
        expect(s.channels.c).toMatchObject({enabled: true, reason: ''});
    });

    it('ignores a toggle event for a channel it knows nothing about', () => {
        expect(reducer(initialState, {type: T.CHANNEL_ENABLED_CHANGED, channelId: 'c', enabled: false})).toBe(initialState);
    });

    it('clears a channel error when settings arrive', () => {
        let s = reducer(initialState, {type: T.CHANNEL_ERROR, channelId: 'c', status: 403});
        expect(s.channelErrors.c).toBe(403);
        s = reducer(s, {type: T.CHANNEL_SETTINGS_RECEIVED, settings: {channel_id: 'c', enabled: true, request_mode: 'all', reason: ''}});
        expect(s.channelErrors.c).toBeUndefined();
    });

    it('forgets dropped receipts', () => {
        let s = reducer(initialState, {type: T.RECEIPTS_RECEIVED, receipts: [receipt(), receipt({post_id: 'p2'})]});
        s = reducer(s, {type: T.RECEIPTS_DROPPED, postIds: ['p1']});
        expect(Object.keys(s.receipts)).toEqual(['p2']);
    });

    it('keeps only one channel\'s settings when the others are dropped', () => {
        let s = reducer(initialState, {type: T.CHANNEL_SETTINGS_RECEIVED, settings: {channel_id: 'a', enabled: true, request_mode: 'all', reason: ''}});
        s = reducer(s, {type: T.CHANNEL_SETTINGS_RECEIVED, settings: {channel_id: 'b', enabled: true, request_mode: 'all', reason: ''}});
        s = reducer(s, {type: T.CHANNEL_ERROR, channelId: 'b', status: 403});
        s = reducer(s, {type: T.CHANNELS_DROPPED, keep: 'a'});
        expect(Object.keys(s.channels)).toEqual(['a']);
        expect(s.channelErrors).toEqual({});
    });

    it('leaves the state alone for actions of the web app', () => {
        expect(reducer(initialState, {type: 'RECEIVED_POSTS'})).toBe(initialState);
    });
});
