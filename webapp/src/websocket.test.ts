import {beforeEach, describe, expect, it, vi} from 'vitest';

import {resetQueues} from './actions';
import type {Dispatch, GetState} from './actions';
import {client} from './client';
import {getPluginState} from './selectors';
import {DM, GM, id, makeStore, settle} from './test/store';
import type {PluginConfig} from './types';
import {
    CHANNEL_SETTINGS_EVENT,
    CONFIG_EVENT,
    RECEIPTS_EVENT,
    channelSettingsFromEvent,
    configFromEvent,
    handleChannelSettings,
    handleConfig,
    handleReceipts,
    receiptsFromEvent,
} from './websocket';

const config: PluginConfig = {
    enable_direct_messages: true, enable_group_messages: true, enable_private_channels: false, enable_public_channels: false,
    request_mode: 'all', max_channel_members: 5000, privacy_policy: 'user_choice', reciprocal: true, counts_visible_to: 'author',
};

describe('event names', () => {
    it('follow custom_<plugin id>_<event>', () => {
        expect([RECEIPTS_EVENT, CHANNEL_SETTINGS_EVENT, CONFIG_EVENT]).toEqual([
            'custom_readreceipts_receipts', 'custom_readreceipts_channel_settings', 'custom_readreceipts_config',
        ]);
    });
});

describe('parsers', () => {
    it('read receipts and drop what is not one', () => {
        const receipts = receiptsFromEvent({event: RECEIPTS_EVENT, data: {receipts: [
            {post_id: 'p1', channel_id: 'c', user_id: 'u', is_peer_read: true, timestamp: 1700000000000, read_count: 1, unread_count: 0},
            {channel_id: 'c'},
            'junk',
        ]}});
        expect(receipts).toEqual([{post_id: 'p1', channel_id: 'c', user_id: 'u', is_peer_read: true, timestamp: 1700000000000, read_count: 1, unread_count: 0}]);
    });

    it('return nothing for malformed payloads', () => {
        expect(receiptsFromEvent({event: RECEIPTS_EVENT, data: null})).toEqual([]);
        expect(channelSettingsFromEvent({event: CHANNEL_SETTINGS_EVENT, data: {channel_id: 'c'}})).toBeNull();
        expect(configFromEvent({event: CONFIG_EVENT, data: {}})).toBeNull();
    });

    it('read a channel toggle and a config', () => {
        expect(channelSettingsFromEvent({event: CHANNEL_SETTINGS_EVENT, data: {channel_id: 'c', enabled: false}})).toEqual({channelId: 'c', enabled: false});
        expect(configFromEvent({event: CONFIG_EVENT, data: {...config}})).toEqual(config);
    });
});

describe('handlers', () => {
    beforeEach(() => {
        resetQueues();
    });

    it('update a cached receipt in place', () => {
        const store = makeStore();
        const handler = handleReceipts(store.dispatch as unknown as Dispatch);
        handler({event: RECEIPTS_EVENT, data: {receipts: [{post_id: id('p'), channel_id: 'c', user_id: '', is_peer_read: false, timestamp: 0, read_count: 2, unread_count: 1}]}});
        expect(getPluginState(store.getState()).receipts[id('p')]).toMatchObject({status: 'tracked', receipt: {read_count: 2, unread_count: 1}});
    });

    it('apply a channel toggle to known settings, and fetch unknown ones', async () => {
        const get = vi.spyOn(client, 'getChannelSettings').mockResolvedValue({channel_id: 'other', enabled: false, request_mode: 'all', reason: 'turned_off'});
        const store = makeStore({plugin: {channels: {c: {channel_id: 'c', enabled: true, request_mode: 'all', reason: ''}}}});
        const handler = handleChannelSettings(store.dispatch as unknown as Dispatch, store.getState as GetState);

        handler({event: CHANNEL_SETTINGS_EVENT, data: {channel_id: 'c', enabled: false}});
        expect(getPluginState(store.getState()).channels.c).toMatchObject({enabled: false, reason: 'turned_off'});
        expect(get).not.toHaveBeenCalled();

        handler({event: CHANNEL_SETTINGS_EVENT, data: {channel_id: 'other', enabled: false}});
        await settle();
        expect(get).toHaveBeenCalledWith('other');
        expect(getPluginState(store.getState()).channels.other?.enabled).toBe(false);
    });

    it('store a new config and ask again for counts that may have become visible', async () => {
        vi.useFakeTimers();
        const query = vi.spyOn(client, 'queryReceipts').mockImplementation(async (ids) => ({
            receipts: [], skipped: ids.map((i) => ({post_id: i, reason: 'hidden_by_privacy' as const})),
        }));
        const store = makeStore({plugin: {config, receipts: {[id('x')]: {status: 'skipped', reason: 'no_permission'}}}});
        handleConfig(store.dispatch as unknown as Dispatch, store.getState as GetState)({event: CONFIG_EVENT, data: {...config, counts_visible_to: 'members'}});
        expect(getPluginState(store.getState()).config?.counts_visible_to).toBe('members');
        await vi.runAllTimersAsync();
        vi.useRealTimers();
        expect(query).toHaveBeenCalledWith([id('x')]);
    });

    it('ask again for tracked and hidden receipts alike when reciprocity changes', async () => {
        vi.useFakeTimers();
        const query = vi.spyOn(client, 'queryReceipts').mockImplementation(async (ids) => ({
            receipts: [], skipped: ids.map((i) => ({post_id: i, reason: 'hidden_by_privacy' as const})),
        }));
        const receipt = {post_id: id('t'), channel_id: GM, user_id: '', is_peer_read: false, timestamp: 0, read_count: 1, unread_count: 1};
        const store = makeStore({plugin: {config: {...config, reciprocal: false}, receipts: {
            [id('t')]: {status: 'tracked', receipt},
            [id('h')]: {status: 'skipped', reason: 'hidden_by_privacy'},
            [id('n')]: {status: 'skipped', reason: 'not_tracked'},
        }}});
        handleConfig(store.dispatch as unknown as Dispatch, store.getState as GetState)({event: CONFIG_EVENT, data: {...config}});
        await vi.runAllTimersAsync();
        vi.useRealTimers();
        expect(query.mock.calls.flatMap((c) => c[0]).sort()).toEqual([id('h'), id('t')]);
    });

    it('hide old counts at once when the config makes a user who opted out see no receipts', () => {
        vi.spyOn(client, 'queryReceipts').mockResolvedValue({receipts: [], skipped: []});
        const receipt = {post_id: id('t'), channel_id: GM, user_id: '', is_peer_read: false, timestamp: 0, read_count: 1, unread_count: 1};
        const store = makeStore({plugin: {
            config: {...config, reciprocal: false},
            mySettings: {send_read_receipts: false, can_change: true},
            receipts: {[id('t')]: {status: 'tracked', receipt}},
        }});
        handleConfig(store.dispatch as unknown as Dispatch, store.getState as GetState)({event: CONFIG_EVENT, data: {...config, reciprocal: true}});
        expect(getPluginState(store.getState()).receipts[id('t')]).toEqual({status: 'loading'});
    });

    it('reload the current channel\'s settings on a config change and forget the others\'', async () => {
        const get = vi.spyOn(client, 'getChannelSettings').mockResolvedValue({channel_id: DM, enabled: true, request_mode: 'all', reason: ''});
        vi.spyOn(client, 'queryReceipts').mockResolvedValue({receipts: [], skipped: []});
        const store = makeStore({currentChannelId: DM, plugin: {config, channels: {
            [DM]: {channel_id: DM, enabled: false, request_mode: 'all', reason: 'type_disabled'},
            [GM]: {channel_id: GM, enabled: true, request_mode: 'all', reason: ''},
        }}});
        handleConfig(store.dispatch as unknown as Dispatch, store.getState as GetState)({event: CONFIG_EVENT, data: {...config}});
        expect(getPluginState(store.getState()).channels[GM]).toBeUndefined();
        await settle();
        expect(get).toHaveBeenCalledWith(DM);
        expect(getPluginState(store.getState()).channels[DM]).toMatchObject({enabled: true, reason: ''});
    });
});
