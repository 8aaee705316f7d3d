import {act, fireEvent, screen} from '@testing-library/react';
import React from 'react';
import {describe, expect, it, vi} from 'vitest';

import {openSettings} from '../../actions';
import {ClientError, client} from '../../client';
import {makeStore, renderWithStore, settle} from '../../test/store';
import type {MySettings, PluginConfig} from '../../types';

import PrivacySetting, {PrivacySettingModal} from './privacy_setting';

const config = (over: Partial<PluginConfig> = {}): PluginConfig => ({
    enable_direct_messages: true, enable_group_messages: true, enable_private_channels: false, enable_public_channels: false,
    request_mode: 'all', max_channel_members: 5000, privacy_policy: 'user_choice', reciprocal: true, counts_visible_to: 'author', ...over,
});

function serverWith(settings: MySettings, cfg: PluginConfig = config()) {
    vi.spyOn(client, 'getMySettings').mockResolvedValue(settings);
    vi.spyOn(client, 'getConfig').mockResolvedValue(cfg);
}

describe('PrivacySetting', () => {
    it('shows the user\'s setting and explains reciprocity', async () => {
        serverWith({send_read_receipts: true, can_change: true});
        renderWithStore(<PrivacySetting/>, makeStore());
        await act(settle);
        const box = screen.getByRole('checkbox', {name: 'Send read receipts'}) as HTMLInputElement;
        expect(box.checked).toBe(true);
        expect(box.disabled).toBe(false);
        expect(screen.getByText(/and you don’t see when they have read yours/)).toBeTruthy();
    });

    it('turns sending off on the server', async () => {
        serverWith({send_read_receipts: true, can_change: true});
        const put = vi.spyOn(client, 'setSendReadReceipts').mockResolvedValue({send_read_receipts: false, can_change: true});
        renderWithStore(<PrivacySetting/>, makeStore());
        await act(settle);
        await act(async () => {
            fireEvent.click(screen.getByRole('checkbox', {name: 'Send read receipts'}));
            await settle();
        });
        expect(put).toHaveBeenCalledWith(false);
        expect((screen.getByRole('checkbox') as HTMLInputElement).checked).toBe(false);
    });

    it('is locked on, with the reason, under always_on', async () => {
        serverWith({send_read_receipts: false, can_change: false}, config({privacy_policy: 'always_on'}));
        renderWithStore(<PrivacySetting/>, makeStore());
        await act(settle);
        const box = screen.getByRole('checkbox', {name: 'Send read receipts'}) as HTMLInputElement;
        expect(box.checked).toBe(true);
        expect(box.disabled).toBe(true);
        expect(screen.getByText('Your system admin has turned read receipts on for everyone.')).toBeTruthy();
    });

    it('shows the server\'s refusal', async () => {
        serverWith({send_read_receipts: true, can_change: true});
        vi.spyOn(client, 'setSendReadReceipts').mockRejectedValue(new ClientError(403, 'no'));
        renderWithStore(<PrivacySetting/>, makeStore());
        await act(settle);
        await act(async () => {
            fireEvent.click(screen.getByRole('checkbox'));
            await settle();
        });
        expect(screen.getByRole('alert').textContent).toBe('Your system admin does not let you change this.');
        expect((screen.getByRole('checkbox') as HTMLInputElement).checked).toBe(true);
    });

    it('has a fallback dialog for hosts without user settings', async () => {
        serverWith({send_read_receipts: true, can_change: true});
        const store = makeStore();
        renderWithStore(<PrivacySettingModal/>, store);
        expect(screen.queryByRole('dialog')).toBeNull();
        act(() => {
            store.dispatch(openSettings());
        });
        await act(settle);
        expect(screen.getByRole('dialog', {name: 'Read receipts settings'})).toBeTruthy();
        fireEvent.click(screen.getByRole('button', {name: 'Done'}));
        expect(screen.queryByRole('dialog')).toBeNull();
    });
});

describe('PrivacySummary', () => {
    it('says what others see of a user who sends receipts by default', async () => {
        serverWith({send_read_receipts: true, can_change: true, since: 0});
        renderWithStore(<PrivacySetting/>, makeStore());
        await act(settle);
        expect(screen.getByText(/Others see when you have read their messages/)).toBeTruthy();
        expect(screen.getByText(/you have never changed it/)).toBeTruthy();
    });

    it('says that nothing is sent, what reciprocity hides, and since when', async () => {
        serverWith({send_read_receipts: false, can_change: true, since: Date.UTC(2026, 10, 2, 9, 30)});
        renderWithStore(<PrivacySetting/>, makeStore());
        await act(settle);
        const text = document.querySelector('.readreceipts-privacy-summary')?.textContent ?? '';
        expect(text).toMatch(/Nobody sees whether or when you have read/);
        expect(text).toMatch(/you do not see who has read your messages either/);
        expect(text).toMatch(/your choice since .*2026/);
    });

    it('leaves reciprocity out when the admin turned it off', async () => {
        serverWith({send_read_receipts: false, can_change: true, since: 1}, config({reciprocal: false}));
        renderWithStore(<PrivacySetting/>, makeStore());
        await act(settle);
        expect(document.querySelector('.readreceipts-privacy-summary')?.textContent).not.toMatch(/either/);
    });

    it('says that the admin requires receipts', async () => {
        serverWith({send_read_receipts: false, can_change: false}, config({privacy_policy: 'always_on'}));
        renderWithStore(<PrivacySetting/>, makeStore());
        await act(settle);
        expect(document.querySelector('.readreceipts-privacy-summary')?.textContent).toMatch(/requires read receipts for everyone/);
    });
});
