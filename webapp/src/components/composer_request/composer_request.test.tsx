import {act, screen} from '@testing-library/react';
import React from 'react';
import {describe, expect, it} from 'vitest';

import {loadComposerRequest} from '../../composer_storage';
import type {Dispatch} from '../../actions';
import {DM, GM, ME, makeStore, post, renderWithStore} from '../../test/store';
import type {PluginConfig} from '../../types';

import ComposerRequestLabel, {requestReceiptOnPost, shouldShowComposerRequest, toggleComposerRequest} from './composer_request';

const config = (mode: 'all' | 'per_message'): PluginConfig => ({
    enable_direct_messages: true, enable_group_messages: true, enable_private_channels: false, enable_public_channels: false,
    request_mode: mode, max_channel_members: 5000, privacy_policy: 'user_choice', reciprocal: true, counts_visible_to: 'author',
});

describe('per-message request', () => {
    it('is offered only under per_message', () => {
        expect(shouldShowComposerRequest(makeStore({plugin: {config: config('all')}}).getState())).toBe(false);
        expect(shouldShowComposerRequest(makeStore({plugin: {config: config('per_message')}}).getState())).toBe(true);
    });

    it('marks new posts once the user asked for receipts in the channel, and is remembered', () => {
        const store = makeStore({plugin: {config: config('per_message')}});
        const draft = post('draft', ME, DM);
        expect(requestReceiptOnPost(store.getState(), draft)).toEqual({post: draft});

        (store.dispatch as unknown as Dispatch)(toggleComposerRequest(DM));
        const result = requestReceiptOnPost(store.getState(), draft);
        expect(result).toEqual({post: {...draft, props: {read_receipt: true}}});

        const later = makeStore({plugin: {config: config('per_message')}});
        later.dispatch(loadComposerRequest(DM));
        expect(requestReceiptOnPost(later.getState(), draft)).toEqual({post: {...draft, props: {read_receipt: true}}});
    });

    it('marks a reply sent for another channel than the current one (Threads view, pop-out) from what is stored', () => {
        const first = makeStore({plugin: {config: config('per_message')}, currentChannelId: GM});
        (first.dispatch as unknown as Dispatch)(toggleComposerRequest(GM));

        const fresh = makeStore({plugin: {config: config('per_message')}, currentChannelId: DM});
        fresh.dispatch(loadComposerRequest(DM));
        const reply = {...post('reply', ME, GM), root_id: 'root'};
        expect(requestReceiptOnPost(fresh.getState(), reply)).toEqual({post: {...reply, props: {read_receipt: true}}});
    });

    it('leaves posts alone under mode all', () => {
        const store = makeStore({plugin: {config: config('all'), composer: {[DM]: true}}});
        const draft = post('draft', ME, DM);
        expect(requestReceiptOnPost(store.getState(), draft)).toEqual({post: draft});
    });

    it('shows whether it is on', () => {
        const store = makeStore({plugin: {config: config('per_message')}});
        renderWithStore(<ComposerRequestLabel/>, store);
        expect(screen.getByText('Ask for read receipts on my messages here')).toBeTruthy();
        act(() => {
            (store.dispatch as unknown as Dispatch)(toggleComposerRequest(DM));
        });
        expect(screen.getByText('✓ Asking for read receipts on my messages here')).toBeTruthy();
    });
});
