import {act, screen} from '@testing-library/react';
import React from 'react';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import {resetQueues} from './actions';
import type * as ClientModuleNS from './client';
import type {PluginInstance, PluginRegistry, WebSocketMessage} from './mattermost';
import {getPluginState} from './selectors';
import {DM, ME, makeStore, post, renderWithStore, settle} from './test/store';

/** A registry that records what the plugin registers. */
function fakeRegistry(withUserSettings: boolean) {
    const calls: Record<string, unknown[][]> = {};
    const handlers: Record<string, (msg: WebSocketMessage) => void> = {};
    const record = (name: string) => (...args: unknown[]) => {
        (calls[name] ??= []).push(args);
        return name;
    };
    const registry = {
        registerReducer: record('registerReducer'),
        registerRootComponent: record('registerRootComponent'),
        registerPostMessageAttachmentComponent: record('registerPostMessageAttachmentComponent'),
        registerPostDropdownMenuAction: record('registerPostDropdownMenuAction'),
        registerChannelHeaderMenuAction: record('registerChannelHeaderMenuAction'),
        registerMessageWillBePostedHook: record('registerMessageWillBePostedHook'),
        registerMainMenuAction: record('registerMainMenuAction'),
        registerReconnectHandler: record('registerReconnectHandler'),
        registerWebSocketEventHandler: (event: string, handler: (msg: WebSocketMessage) => void) => {
            handlers[event] = handler;
        },
        ...(withUserSettings ? {registerUserSettings: record('registerUserSettings')} : {}),
    };
    return {registry: registry as unknown as PluginRegistry, calls, handlers};
}

type ClientModule = typeof ClientModuleNS;

/** loadPlugin imports the plugin afresh, as the web app loads its bundle; mock lets tests stub its client. */
async function loadPlugin(withUserSettings: boolean, store = makeStore(), mock: (c: ClientModule['client']) => void = () => undefined) {
    const fake = fakeRegistry(withUserSettings);
    vi.resetModules();
    const fresh: ClientModule = await import('./client');
    vi.spyOn(fresh.client, 'getConfig').mockRejectedValue(new Error('offline'));
    vi.spyOn(fresh.client, 'getMySettings').mockRejectedValue(new Error('offline'));
    mock(fresh.client);
    window.registerPlugin = (id: string, plugin: PluginInstance) => {
        expect(id).toBe('readreceipts');
        plugin.initialize(fake.registry, store);
    };
    await import('./index');
    return {...fake, store};
}

describe('plugin registration', () => {
    beforeEach(() => {
        resetQueues();
    });
    afterEach(() => {
        vi.useRealTimers();
    });

    it('registers the slots, the three events, and the user setting', async () => {
        const {calls, handlers} = await loadPlugin(true);
        expect(Object.keys(handlers).sort()).toEqual([
            'custom_readreceipts_channel_settings', 'custom_readreceipts_config', 'custom_readreceipts_receipts',
        ]);
        expect(calls.registerReducer).toHaveLength(1);
        expect(calls.registerPostMessageAttachmentComponent).toHaveLength(1);
        expect(calls.registerChannelHeaderMenuAction).toHaveLength(2);
        expect(calls.registerUserSettings?.[0][0]).toMatchObject({id: 'readreceipts', sections: [{title: 'Read receipts'}]});
        expect(calls.registerMainMenuAction).toBeUndefined();
    });

    it('falls back to a main menu item on hosts without user settings', async () => {
        const {calls} = await loadPlugin(false);
        expect(calls.registerMainMenuAction).toHaveLength(1);
    });

    it('updates an indicator on screen from a websocket event', async () => {
        vi.useFakeTimers();
        const p = post('mine', ME, DM);
        const {calls, handlers, store} = await loadPlugin(true, makeStore({posts: [p]}), (c) => {
            vi.spyOn(c, 'queryReceipts').mockResolvedValue({receipts: [{post_id: p.id, channel_id: DM, user_id: 'peer', is_peer_read: false, timestamp: 0, read_count: 0, unread_count: 1}], skipped: []});
        });
        const Slot = calls.registerPostMessageAttachmentComponent[0][0] as React.ComponentType<{postId: string}>;
        renderWithStore(<Slot postId={p.id}/>, store);
        await act(() => vi.runAllTimersAsync());
        expect(screen.getByRole('img', {name: 'Sent'})).toBeTruthy();

        act(() => handlers.custom_readreceipts_receipts({event: 'custom_readreceipts_receipts', data: {receipts: [
            {post_id: p.id, channel_id: DM, user_id: 'peer', is_peer_read: true, timestamp: Date.now(), read_count: 1, unread_count: 0},
        ]}}));
        expect(screen.getByRole('img').textContent).toBe('✓✓');
        await act(settle);
        expect(getPluginState(store.getState()).receipts[p.id]?.status).toBe('tracked');
    });
});
