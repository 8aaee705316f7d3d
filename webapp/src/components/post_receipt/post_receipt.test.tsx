import {act, fireEvent, screen} from '@testing-library/react';
import React from 'react';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import {receiptsReceived, resetQueues} from '../../actions';
import {client} from '../../client';
import {getPluginState} from '../../selectors';
import {DM, GM, ME, OPEN, PEER, makeStore, post, renderWithStore} from '../../test/store';
import type {PluginConfig, Receipt} from '../../types';

import PostReceipt from './post_receipt';

const dmReceipt = (postId: string, read = false): Receipt => ({
    post_id: postId, channel_id: DM, user_id: PEER, is_peer_read: read, timestamp: read ? Date.now() : 0, read_count: read ? 1 : 0, unread_count: read ? 0 : 1,
});
const groupReceipt = (postId: string, read: number, unread: number): Receipt => ({
    post_id: postId, channel_id: GM, user_id: '', is_peer_read: false, timestamp: 0, read_count: read, unread_count: unread,
});

const config = (counts: 'author' | 'members'): PluginConfig => ({
    enable_direct_messages: true, enable_group_messages: true, enable_private_channels: false, enable_public_channels: false,
    request_mode: 'all', max_channel_members: 5000, privacy_policy: 'user_choice', reciprocal: true, counts_visible_to: counts,
});

describe('PostReceipt', () => {
    beforeEach(() => {
        vi.useFakeTimers();
        resetQueues();
    });
    afterEach(() => {
        vi.useRealTimers();
    });

    it('shows ✓ on the user\'s own direct message and turns it into ✓✓ when the event arrives', async () => {
        const p = post('mine', ME, DM);
        vi.spyOn(client, 'queryReceipts').mockResolvedValue({receipts: [dmReceipt(p.id)], skipped: []});
        const store = makeStore({posts: [p]});
        renderWithStore(<PostReceipt postId={p.id}/>, store);

        await act(() => vi.runAllTimersAsync());
        expect(screen.getByRole('img', {name: 'Sent'}).textContent).toBe('✓');

        act(() => {
            store.dispatch(receiptsReceived([dmReceipt(p.id, true)]));
        });
        expect(screen.getByRole('img', {name: /^Read \d{1,2}:\d\d [AP]M$/}).textContent).toBe('✓✓');
    });

    it('shows nothing on an untracked post', async () => {
        const p = post('mine', ME, DM);
        vi.spyOn(client, 'queryReceipts').mockResolvedValue({receipts: [], skipped: [{post_id: p.id, reason: 'not_tracked'}]});
        const {container} = renderWithStore(<PostReceipt postId={p.id}/>, makeStore({posts: [p]}));
        await act(() => vi.runAllTimersAsync());
        expect(container.textContent).toBe('');
        expect(screen.queryByRole('img')).toBeNull();
    });

    it('neither asks nor shows anything for others\' posts when counts are the author\'s', async () => {
        const p = post('theirs', PEER, GM);
        const query = vi.spyOn(client, 'queryReceipts');
        const {container} = renderWithStore(<PostReceipt postId={p.id}/>, makeStore({posts: [p], plugin: {config: config('author')}}));
        await act(() => vi.runAllTimersAsync());
        expect(query).not.toHaveBeenCalled();
        expect(container.textContent).toBe('');
    });

    it('shows counts, not a button, on others\' group posts when counts are visible to members', async () => {
        const p = post('theirs', PEER, GM);
        vi.spyOn(client, 'queryReceipts').mockResolvedValue({receipts: [groupReceipt(p.id, 1, 2)], skipped: []});
        renderWithStore(<PostReceipt postId={p.id}/>, makeStore({posts: [p], plugin: {config: config('members')}}));
        await act(() => vi.runAllTimersAsync());
        expect(screen.getByRole('img', {name: 'Read by 1 of 3'})).toBeTruthy();
        expect(screen.queryByRole('button')).toBeNull();
    });

    it('opens the readers of the user\'s own group post', async () => {
        const p = post('mine', ME, GM);
        vi.spyOn(client, 'queryReceipts').mockResolvedValue({receipts: [groupReceipt(p.id, 2, 0)], skipped: []});
        const store = makeStore({posts: [p]});
        renderWithStore(<PostReceipt postId={p.id}/>, store);
        await act(() => vi.runAllTimersAsync());
        fireEvent.click(screen.getByRole('button', {name: /Read by 2 of 2/}));
        expect(getPluginState(store.getState()).readersPostId).toBe(p.id);
    });

    it('asks for all posts on screen in one request', async () => {
        const posts = ['a', 'b', 'c'].map((n) => post(n, ME, DM));
        const query = vi.spyOn(client, 'queryReceipts').mockImplementation(async (ids) => ({receipts: ids.map((i) => dmReceipt(i)), skipped: []}));
        renderWithStore(<>{posts.map((p) => <PostReceipt
            key={p.id}
            postId={p.id}
        />)}</>, makeStore({posts}));
        await act(() => vi.runAllTimersAsync());
        expect(query).toHaveBeenCalledTimes(1);
        expect(screen.getAllByRole('img', {name: 'Sent'})).toHaveLength(3);
    });

    it('shows nothing and asks nothing in a permalink preview (the slot of a linked post inside another post)', async () => {
        const query = vi.spyOn(client, 'queryReceipts').mockResolvedValue({receipts: [], skipped: []});
        const outer = post('outer', ME, DM);
        const linked = post('linked', ME, GM);
        const store = makeStore({posts: [outer, linked], plugin: {receipts: {[linked.id]: {status: 'tracked', receipt: groupReceipt(linked.id, 1, 1)}}}});
        const root = document.createElement('div');
        root.className = 'post';
        root.id = `post_${outer.id}`;
        document.body.appendChild(root);
        renderWithStore(<PostReceipt postId={linked.id}/>, store, root);
        await act(() => vi.runAllTimersAsync());
        expect(screen.queryByRole('button')).toBeNull();
        expect(query).not.toHaveBeenCalled();
        root.remove();
    });

    it('holds the row\'s height while loading only where receipts can be on, so nothing collapses elsewhere', () => {
        vi.spyOn(client, 'queryReceipts').mockImplementation(() => new Promise(() => undefined));
        const inDM = post('dm', ME, DM);
        const inOpen = post('open', ME, OPEN);
        const inOffGroup = post('group', ME, GM);
        const store = makeStore({posts: [inDM, inOpen, inOffGroup], plugin: {
            config: config('author'),
            channels: {[GM]: {channel_id: GM, enabled: false, request_mode: 'all', reason: 'turned_off'}},
        }});
        const {container} = renderWithStore(<>{[inDM, inOpen, inOffGroup].map((p) => <PostReceipt
            key={p.id}
            postId={p.id}
        />)}</>, store);
        const rowOf = (postId: string) => container.querySelector(`[data-post-id="${postId}"]`) as HTMLElement;
        expect(getPluginState(store.getState()).receipts[inOpen.id]).toEqual({status: 'loading'});
        expect((rowOf(inDM.id).firstChild as HTMLElement | null)?.style.height).toBe('16px');
        expect(rowOf(inOpen.id).childElementCount).toBe(0);
        expect(rowOf(inOffGroup.id).childElementCount).toBe(0);
    });

    it('holds no space under per_message for a post that did not ask for receipts', () => {
        vi.spyOn(client, 'queryReceipts').mockImplementation(() => new Promise(() => undefined));
        const plain = post('plain', ME, DM);
        const asked = post('asked', ME, DM, {read_receipt: true});
        const {container} = renderWithStore(<>{[plain, asked].map((p) => <PostReceipt
            key={p.id}
            postId={p.id}
        />)}</>, makeStore({posts: [plain, asked], plugin: {config: {...config('author'), request_mode: 'per_message'}}}));
        expect(container.querySelector(`[data-post-id="${plain.id}"]`)?.childElementCount).toBe(0);
        expect(container.querySelector(`[data-post-id="${asked.id}"]`)?.childElementCount).toBe(1);
    });

    it('shows no cached counts to a user who stopped sending receipts under Reciprocal', async () => {
        const p = post('mine', ME, GM);
        const query = vi.spyOn(client, 'queryReceipts');
        const store = makeStore({posts: [p], plugin: {
            config: config('author'),
            mySettings: {send_read_receipts: false, can_change: true},
            receipts: {[p.id]: {status: 'tracked', receipt: groupReceipt(p.id, 1, 1)}},
        }});
        const {container} = renderWithStore(<PostReceipt postId={p.id}/>, store);
        await act(() => vi.runAllTimersAsync());
        expect(container.textContent).toBe('');
        expect(query).not.toHaveBeenCalled();
    });
});
