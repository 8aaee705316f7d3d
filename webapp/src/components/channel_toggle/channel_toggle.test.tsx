import {act, screen} from '@testing-library/react';
import React from 'react';
import {describe, expect, it, vi} from 'vitest';

import type {Dispatch} from '../../actions';
import {ClientError, client} from '../../client';
import {getPluginState} from '../../selectors';
import {DM, OPEN, id, makeStore, renderWithStore, settle} from '../../test/store';
import type {ChannelSettings} from '../../types';

import ChannelToggleLabel, {shouldShowChannelToggle, toggleChannel} from './channel_toggle';

const settings = (channelId: string, enabled: boolean, reason: ChannelSettings['reason'] = ''): ChannelSettings => ({
    channel_id: channelId, enabled, request_mode: 'all', reason,
});

describe('ChannelToggleLabel', () => {
    it.each([
        ['on', settings(DM, true), DM, 'Turn read receipts off for this channel'],
        ['turned off', settings(DM, false, 'turned_off'), DM, 'Turn read receipts on for this channel'],
        ['off for the type', settings(OPEN, false, 'type_disabled'), OPEN, 'Read receipts are off for public channels — your admin decides that'],
        ['too big', settings(OPEN, false, 'too_many_members'), OPEN, 'Read receipts are off: this channel has more than 0 members'],
    ])('says what to do when receipts are %s', (_name, s, channelId, text) => {
        renderWithStore(<ChannelToggleLabel/>, makeStore({currentChannelId: channelId, plugin: {channels: {[channelId]: s}}}));
        expect(screen.getByText(text)).toBeTruthy();
    });

    it('says when the user may not change it', () => {
        renderWithStore(<ChannelToggleLabel/>, makeStore({plugin: {channels: {[DM]: settings(DM, true)}, channelErrors: {[DM]: 403}}}));
        expect(screen.getByText('You can’t change read receipts in this channel')).toBeTruthy();
    });
});

describe('toggleChannel', () => {
    it('turns receipts off and the label follows the server\'s answer', async () => {
        const put = vi.spyOn(client, 'setChannelEnabled').mockResolvedValue(settings(DM, false, 'turned_off'));
        const store = makeStore({plugin: {channels: {[DM]: settings(DM, true)}}});
        renderWithStore(<ChannelToggleLabel/>, store);

        await act(async () => {
            await (store.dispatch as unknown as Dispatch)(toggleChannel(DM));
            await settle();
        });
        expect(put).toHaveBeenCalledWith(DM, false);
        expect(screen.getByText('Turn read receipts on for this channel')).toBeTruthy();
    });

    it('does not try to turn on receipts the admin turned off', async () => {
        const put = vi.spyOn(client, 'setChannelEnabled');
        const store = makeStore({currentChannelId: OPEN, plugin: {channels: {[OPEN]: settings(OPEN, false, 'type_disabled')}}});
        await (store.dispatch as unknown as Dispatch)(toggleChannel(OPEN));
        expect(put).not.toHaveBeenCalled();
    });

    it('remembers a refusal', async () => {
        vi.spyOn(client, 'setChannelEnabled').mockRejectedValue(new ClientError(403, 'no'));
        const store = makeStore({plugin: {channels: {[DM]: settings(DM, true)}}});
        await (store.dispatch as unknown as Dispatch)(toggleChannel(DM));
        await settle();
        expect(getPluginState(store.getState()).channelErrors[DM]).toBe(403);
    });
});

describe('shouldShowChannelToggle', () => {
    it('offers the toggle to every member of a DM, and only to admins of a public channel', () => {
        expect(shouldShowChannelToggle(makeStore({currentChannelId: DM}).getState())).toBe(true);
        expect(shouldShowChannelToggle(makeStore({currentChannelId: OPEN}).getState())).toBe(false);
        expect(shouldShowChannelToggle(makeStore({currentChannelId: OPEN, roles: 'system_user system_admin'}).getState())).toBe(true);
        expect(shouldShowChannelToggle(makeStore({currentChannelId: id('unknown')}).getState())).toBe(false);
    });
});
