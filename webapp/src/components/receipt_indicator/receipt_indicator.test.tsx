import {fireEvent, screen} from '@testing-library/react';
import React from 'react';
import {describe, expect, it, vi} from 'vitest';

import {makeStore, renderWithStore} from '../../test/store';
import type {Receipt} from '../../types';

import ReceiptIndicator, {indicatorState} from './receipt_indicator';

const dm = (over: Partial<Receipt> = {}): Receipt => ({
    post_id: 'p', channel_id: 'c', user_id: 'peer', is_peer_read: false, timestamp: 0, read_count: 0, unread_count: 1, ...over,
});
const group = (read: number, unread: number): Receipt => ({
    post_id: 'p', channel_id: 'c', user_id: '', is_peer_read: false, timestamp: 0, read_count: read, unread_count: unread,
});

function show(receipt: Receipt, onOpen?: () => void, now?: number) {
    return renderWithStore(
        <ReceiptIndicator
            receipt={receipt}
            onOpen={onOpen}
            now={now}
            theme={{linkColor: 'rgb(1, 2, 3)'}}
        />,
        makeStore(),
    );
}

describe('indicatorState', () => {
    it.each([
        ['dm sent', dm(), 'sent'],
        ['dm read', dm({is_peer_read: true, read_count: 1, unread_count: 0}), 'read'],
        ['group none', group(0, 3), 'none'],
        ['group some', group(1, 2), 'some'],
        ['group all', group(3, 0), 'all'],
    ])('%s', (_name, receipt, expected) => {
        expect(indicatorState(receipt)).toBe(expected);
    });
});

describe('ReceiptIndicator', () => {
    it('shows one tick and "Sent" for an unread direct message', () => {
        show(dm());
        const el = screen.getByRole('img', {name: 'Sent'});
        expect(el.textContent).toBe('✓');
        expect(el.getAttribute('title')).toBe('Sent');
    });

    it('shows two highlighted ticks and the read time for a read direct message', () => {
        const readAt = new Date(2024, 4, 10, 14, 2).getTime();
        show(dm({is_peer_read: true, timestamp: readAt, read_count: 1, unread_count: 0}), undefined, new Date(2024, 4, 10, 18, 0).getTime());
        const el = screen.getByRole('img', {name: 'Read 2:02 PM'});
        expect(el.textContent).toBe('✓✓');
        expect(el.getAttribute('title')).toBe('Read 2:02 PM');
        expect((el.firstChild as HTMLElement).style.color).toBe('rgb(1, 2, 3)');
    });

    it('says "edited after read" when the author edited a direct message after it was read', () => {
        const readAt = new Date(2024, 4, 10, 14, 2).getTime();
        const now = new Date(2024, 4, 10, 18, 0).getTime();
        const {unmount} = show(dm({is_peer_read: true, timestamp: readAt, read_count: 1, unread_count: 0, edited_at: readAt + 60_000}), undefined, now);
        expect(screen.getByRole('img').getAttribute('title')).toBe('Read 2:02 PM, edited after read');
        unmount();
        show(dm({is_peer_read: true, timestamp: readAt, read_count: 1, unread_count: 0, edited_at: readAt - 60_000}), undefined, now);
        expect(screen.getByRole('img').getAttribute('title')).toBe('Read 2:02 PM');
    });

    it('says "yesterday" and the date for older reads', () => {
        const now = new Date(2024, 4, 10, 9, 0).getTime();
        const {unmount} = show(dm({is_peer_read: true, timestamp: new Date(2024, 4, 9, 22, 15).getTime()}), undefined, now);
        expect(screen.getByRole('img').getAttribute('title')).toBe('Read yesterday 10:15 PM');
        unmount();
        show(dm({is_peer_read: true, timestamp: new Date(2024, 2, 3, 8, 5).getTime()}), undefined, now);
        expect(screen.getByRole('img').getAttribute('title')).toBe('Read Mar 3, 8:05 AM');
    });

    it.each([
        [0, 3, '✓', 'none'],
        [1, 2, '✓✓', 'some'],
        [3, 0, '✓✓', 'all'],
    ])('shows a group post read by %i with %i unread as %s', (read, unread, ticks, state) => {
        show(group(read, unread));
        const el = screen.getByRole('img', {name: `Read by ${read} of ${read + unread}`});
        expect(el.dataset.state).toBe(state);
        expect(el.textContent).toBe(`${ticks}Read by ${read} of ${read + unread}`);
        const tickColor = (el.firstChild as HTMLElement).style.color;
        expect(tickColor === 'rgb(1, 2, 3)').toBe(state === 'all');
    });

    it('shows just ✓ and "Sent", no count, for a group post with no one left to count', () => {
        show(group(0, 0));
        const el = screen.getByRole('img', {name: 'Sent'});
        expect(el.textContent).toBe('✓');
        expect(el.dataset.state).toBe('sent');
        expect(screen.queryByText(/Read by/)).toBeNull();
    });

    it('opens the readers when clickable', () => {
        const onOpen = vi.fn();
        show(group(1, 2), onOpen);
        fireEvent.click(screen.getByRole('button', {name: 'Read by 1 of 3. Show who has read it'}));
        expect(onOpen).toHaveBeenCalledTimes(1);
    });
});
