import {act, fireEvent, screen, within} from '@testing-library/react';
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';

import {openReaders, receiptsReceived} from '../../actions';
import {client} from '../../client';
import {getPluginState} from '../../selectors';
import {DM, GM, ME, PEER, id, makeStore, post, renderWithStore, settle} from '../../test/store';
import type {Reader, ReaderFilter, ReadersPage, Receipt} from '../../types';

import ReadersModal, {canShowReaders} from './readers_modal';

const POST = id('grouppost');
const receipt = (read: number, unread: number): Receipt => ({
    post_id: POST, channel_id: GM, user_id: '', is_peer_read: false, timestamp: 0, read_count: read, unread_count: unread,
});
const reader = (name: string, readAt = 0): Reader => ({user_id: id(name), username: name, read_at: readAt});

/** pages serves the two lists page by page from fixed data, the way the server's cursor does. */
function serve(lists: Record<ReaderFilter, Reader[][]>) {
    return vi.spyOn(client, 'getReaders').mockImplementation(async (_postId, filter, cursor = ''): Promise<ReadersPage> => {
        const pages = lists[filter];
        const index = cursor ? Number(cursor) : 0;
        const last = index >= pages.length - 1;
        return {
            users: pages[index] ?? [], next_cursor: last ? '' : String(index + 1), is_finished: last,
            read_count: lists.read.flat().length, unread_count: lists.unread.flat().length,
        };
    });
}

function open(read: number, unread: number) {
    const store = makeStore({plugin: {receipts: {[POST]: {status: 'tracked', receipt: receipt(read, unread)}}}});
    store.dispatch(openReaders(POST));
    renderWithStore(<ReadersModal/>, store);
    return store;
}

describe('ReadersModal', () => {
    afterEach(() => {
        vi.restoreAllMocks();
    });

    it('renders nothing while no post is selected', () => {
        const {container} = renderWithStore(<ReadersModal/>, makeStore());
        expect(container.innerHTML).toBe('');
    });

    it('lists who read (with times) and who has not, with counts in the tab titles', async () => {
        serve({read: [[reader('bob', Date.now())]], unread: [[reader('carol')]]});
        open(1, 1);
        await act(settle);

        const dialog = screen.getByRole('dialog', {name: 'Read receipts'});
        expect(within(dialog).getByRole('tab', {name: 'Read (1)'}).getAttribute('aria-selected')).toBe('true');
        const panel = within(dialog).getByRole('tabpanel');
        expect(within(panel).getByText('bob')).toBeTruthy();
        expect(within(panel).queryByText('carol')).toBeNull();
        expect(panel.textContent).toMatch(/bob\d{1,2}:\d\d [AP]M/);

        fireEvent.click(within(dialog).getByRole('tab', {name: 'Not read yet (1)'}));
        const unread = within(dialog).getByRole('tabpanel');
        expect(within(unread).getByText('carol')).toBeTruthy();
        expect(within(unread).queryByText('bob')).toBeNull();
    });

    it('says so when no one has read the post yet', async () => {
        serve({read: [[]], unread: [[reader('carol')]]});
        open(0, 1);
        await act(settle);
        expect(screen.getByText('No one has read it yet.')).toBeTruthy();
    });

    it('loads the next page when the list is scrolled to its end', async () => {
        // A list taller than its box: only scrolling asks for more.
        vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockReturnValue(1000);
        vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(300);
        const getReaders = serve({read: [[reader('r1', 1)], [reader('r2', 2)]], unread: [[]]});
        open(2, 0);
        await act(settle);
        const panel = screen.getByRole('tabpanel');
        expect(within(panel).queryByText('r2')).toBeNull();

        panel.scrollTop = 690;
        fireEvent.scroll(panel);
        await act(settle);
        expect(within(panel).getByText('r1')).toBeTruthy();
        expect(within(panel).getByText('r2')).toBeTruthy();
        expect(getReaders.mock.calls.filter((c) => c[1] === 'read').map((c) => c[2])).toEqual(['', '1']);
    });

    it('reloads the lists when a read arrives while it is open', async () => {
        const lists = {read: [[reader('bob', 1)]], unread: [[reader('carol')]]};
        serve(lists);
        const store = open(1, 1);
        await act(settle);
        lists.read = [[reader('bob', 1), reader('carol', 2)]];
        lists.unread = [[]];

        act(() => {
            store.dispatch(receiptsReceived([receipt(2, 0)]));
        });
        await act(settle);
        expect(screen.getByRole('tab', {name: 'Read (2)'})).toBeTruthy();
        expect(within(screen.getByRole('tabpanel')).getByText('carol')).toBeTruthy();
        fireEvent.click(screen.getByRole('tab', {name: 'Not read yet (0)'}));
        expect(screen.getByText('Everyone has read it.')).toBeTruthy();
    });

    it('closes with the close button and with Escape', async () => {
        serve({read: [[]], unread: [[]]});
        const store = open(0, 0);
        await act(settle);
        fireEvent.click(screen.getByRole('button', {name: 'Close'}));
        expect(getPluginState(store.getState()).readersPostId).toBe('');
        expect(screen.queryByRole('dialog')).toBeNull();

        act(() => {
            store.dispatch(openReaders(POST));
        });
        await act(settle);
        fireEvent.keyDown(document, {key: 'Escape'});
        expect(screen.queryByRole('dialog')).toBeNull();
    });

    it('takes the focus, keeps it inside, handles Escape itself and gives the focus back', async () => {
        serve({read: [[reader('bob', 1)]], unread: [[]]});
        const opener = document.createElement('button');
        document.body.appendChild(opener);
        opener.focus();
        const pageEscape = vi.fn();
        const onPageKey = (e: KeyboardEvent) => e.key === 'Escape' && pageEscape();
        document.addEventListener('keydown', onPageKey);
        const store = open(1, 0);
        await act(settle);
        const dialog = screen.getByRole('dialog', {name: 'Read receipts'});
        expect(document.activeElement).toBe(within(dialog).getByRole('tab', {name: 'Read (1)'}));

        const close = within(dialog).getByRole('button', {name: 'Close'});
        close.focus();
        fireEvent.keyDown(close, {key: 'Tab', shiftKey: true});
        expect(dialog.contains(document.activeElement)).toBe(true);

        fireEvent.keyDown(document.activeElement!, {key: 'Escape'});
        expect(getPluginState(store.getState()).readersPostId).toBe('');
        expect(pageEscape).not.toHaveBeenCalled();
        expect(document.activeElement).toBe(opener);
        document.removeEventListener('keydown', onPageKey);
        opener.remove();
    });

    it('has tabs that control their panels, moved between with the arrow keys, and lists with list semantics', async () => {
        serve({read: [[reader('bob', 1)]], unread: [[reader('carol')]]});
        open(1, 1);
        await act(settle);
        const read = screen.getByRole('tab', {name: 'Read (1)'});
        const panel = screen.getByRole('tabpanel');
        expect(read.getAttribute('aria-controls')).toBe(panel.id);
        expect(within(within(panel).getByRole('list')).getAllByRole('listitem')).toHaveLength(1);

        fireEvent.keyDown(read, {key: 'ArrowRight'});
        const unread = screen.getByRole('tab', {name: 'Not read yet (1)'});
        expect(unread.getAttribute('aria-selected')).toBe('true');
        expect(document.activeElement).toBe(unread);
        expect(within(screen.getByRole('tabpanel')).getByText('carol')).toBeTruthy();
    });

    it('keeps the list on screen while a live update reloads it', async () => {
        const lists = {read: [[reader('bob', 1)]], unread: [[reader('carol')]]};
        const answers: Array<() => void> = [];
        const getReaders = serve(lists);
        const store = open(1, 1);
        await act(settle);
        getReaders.mockImplementation(async (_p, filter): Promise<ReadersPage> => {
            await new Promise<void>((resolve) => {
                answers.push(resolve);
            });
            return {users: filter === 'read' ? [reader('bob', 1), reader('carol', 2)] : [], next_cursor: '', is_finished: true, read_count: 2, unread_count: 0};
        });
        act(() => {
            store.dispatch(receiptsReceived([receipt(2, 0)]));
        });
        await act(settle);
        expect(within(screen.getByRole('tabpanel')).getByText('bob')).toBeTruthy();
        await act(async () => {
            answers.forEach((resolve) => resolve());
            await settle();
        });
        expect(within(screen.getByRole('tabpanel')).getByText('carol')).toBeTruthy();
    });

    it('names readers as the user\'s teammate name display says', async () => {
        serve({read: [[reader('bob', 1)]], unread: [[]]});
        const profiles = vi.spyOn(client, 'getProfiles').mockResolvedValue([{id: id('bob'), username: 'bob', first_name: 'Bob', last_name: 'Builder'}]);
        const store = makeStore({plugin: {receipts: {[POST]: {status: 'tracked', receipt: receipt(1, 0)}}}});
        store.getState().entities.preferences = {myPreferences: {'display_settings--name_format': {category: 'display_settings', name: 'name_format', value: 'full_name'}}};
        store.dispatch(openReaders(POST));
        renderWithStore(<ReadersModal/>, store);
        await act(settle);
        await act(settle);
        expect(within(screen.getByRole('tabpanel')).getByText('Bob Builder')).toBeTruthy();
        expect(profiles).toHaveBeenCalledWith([id('bob')]);
    });

    it('says when a post has no read receipts, without asking for its readers', async () => {
        const getReaders = serve({read: [[]], unread: [[]]});
        const store = makeStore({plugin: {receipts: {[POST]: {status: 'skipped', reason: 'not_tracked'}}}});
        store.dispatch(openReaders(POST));
        renderWithStore(<ReadersModal/>, store);
        await act(settle);
        expect(screen.getByText('This message does not have read receipts.')).toBeTruthy();
        expect(getReaders).not.toHaveBeenCalled();
    });
});

describe('canShowReaders', () => {
    it('offers the item on the author\'s group posts before anything of the plugin has loaded', () => {
        const mine = post('mine', ME, GM);
        const theirs = post('theirs', PEER, GM);
        const inDM = post('dm', ME, DM);
        const system = {...post('sys', ME, GM), type: 'system_join_channel'};
        const state = makeStore({posts: [mine, theirs, inDM, system]}).getState();
        expect(canShowReaders(state, mine.id)).toBe(true);
        expect(canShowReaders(state, theirs.id)).toBe(false);
        expect(canShowReaders(state, inDM.id)).toBe(false);
        expect(canShowReaders(state, system.id)).toBe(false);
    });

    it('does not offer it where the config turned the channel type off', () => {
        const mine = post('mine', ME, GM);
        const state = makeStore({posts: [mine], plugin: {config: {
            enable_direct_messages: true, enable_group_messages: false, enable_private_channels: false, enable_public_channels: false,
            request_mode: 'all', max_channel_members: 5000, privacy_policy: 'user_choice', reciprocal: true, counts_visible_to: 'author',
        }}}).getState();
        expect(canShowReaders(state, mine.id)).toBe(false);
    });
});
