// The readers dialog's parts that come from issue 11: the read curve above the lists, and the mark on
// readers who read the text before the author's last edit.

import {act, screen, within} from '@testing-library/react';
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';

import {openReaders} from '../../actions';
import {client} from '../../client';
import {GM, id, makeStore, renderWithStore, settle} from '../../test/store';
import type {Reader, ReadersPage, Receipt} from '../../types';

import ReadersModal from './readers_modal';

const POST = id('editedpost');
const EDITED = Date.now() - 60_000;

function open(readers: Reader[], unread: number) {
    const receipt: Receipt = {
        post_id: POST, channel_id: GM, user_id: '', is_peer_read: false, timestamp: 0,
        read_count: readers.length, unread_count: unread, edited_at: EDITED,
    };
    vi.spyOn(client, 'getReaders').mockImplementation(async (_p, filter): Promise<ReadersPage> => ({
        users: filter === 'read' ? readers : [], next_cursor: '', is_finished: true, read_count: readers.length, unread_count: unread,
    }));
    const getCurve = vi.spyOn(client, 'getCurve').mockResolvedValue({
        post_id: POST, create_at: EDITED - 120_000, read_count: readers.length, unread_count: unread,
        points: readers.map((r, i) => ({after_ms: r.read_at - (EDITED - 120_000), read_count: i + 1})),
    });
    const store = makeStore({plugin: {receipts: {[POST]: {status: 'tracked', receipt}}}});
    store.dispatch(openReaders(POST));
    renderWithStore(<ReadersModal/>, store);
    return getCurve;
}

describe('ReadersModal, edits and the read curve', () => {
    afterEach(() => {
        vi.restoreAllMocks();
    });

    it('marks who read the post before its last edit', async () => {
        open([
            {user_id: id('bob'), username: 'bob', read_at: EDITED - 30_000, before_edit: true},
            {user_id: id('carol'), username: 'carol', read_at: EDITED + 10_000, before_edit: false},
        ], 1);
        await act(settle);
        const rows = within(screen.getByRole('tabpanel')).getAllByRole('listitem');
        expect(within(rows[0]).getByTitle('Read before your last edit').textContent).toBe('before edit');
        expect(within(rows[1]).queryByText('before edit')).toBeNull();
    });

    it('shows the read curve with its summary above the lists', async () => {
        const getCurve = open([{user_id: id('bob'), username: 'bob', read_at: EDITED - 30_000, before_edit: true}], 2);
        await act(settle);
        expect(getCurve).toHaveBeenCalledWith(POST);
        const dialog = screen.getByRole('dialog', {name: 'Read receipts'});
        expect(within(dialog).getByRole('img', {name: /^Read by 1 of 3 so far/})).toBeTruthy();
    });
});
