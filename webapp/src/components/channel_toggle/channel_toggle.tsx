import React from 'react';
import {useIntl} from 'react-intl';
import {useSelector} from 'react-redux';

import {setChannelEnabled} from '../../actions';
import type {Thunk} from '../../actions';
import {canManageChannel, getChannel, getCurrentChannelId, getPluginState} from '../../selectors';
import type {GlobalState} from '../../selectors';

const TYPE_NAMES: Record<string, {id: string; defaultMessage: string}> = {
    D: {id: 'readreceipts.channel.type_direct', defaultMessage: 'direct messages'},
    G: {id: 'readreceipts.channel.type_group', defaultMessage: 'group messages'},
    P: {id: 'readreceipts.channel.type_private', defaultMessage: 'private channels'},
    O: {id: 'readreceipts.channel.type_public', defaultMessage: 'public channels'},
};

/**
 * ChannelToggleLabel is the text of the channel header menu item: what clicking it does, or why
 * receipts are off in a way the user cannot change.
 */
export default function ChannelToggleLabel() {
    const intl = useIntl();
    const channelId = useSelector(getCurrentChannelId);
    const channelType = useSelector((s: GlobalState) => getChannel(s, channelId)?.type ?? '');
    const settings = useSelector((s: GlobalState) => getPluginState(s).channels[channelId]);
    const error = useSelector((s: GlobalState) => getPluginState(s).channelErrors[channelId]);
    const max = useSelector((s: GlobalState) => getPluginState(s).config?.max_channel_members ?? 0);

    let text: string;
    if (error === 403) {
        text = intl.formatMessage({id: 'readreceipts.channel.forbidden', defaultMessage: 'You can’t change read receipts in this channel'});
    } else if (error !== undefined) {
        text = intl.formatMessage({id: 'readreceipts.channel.error', defaultMessage: 'Read receipts: something went wrong, try again'});
    } else if (!settings) {
        text = intl.formatMessage({id: 'readreceipts.channel.loading', defaultMessage: 'Read receipts…'});
    } else if (settings.enabled) {
        text = intl.formatMessage({id: 'readreceipts.channel.turn_off', defaultMessage: 'Turn read receipts off for this channel'});
    } else if (settings.reason === 'type_disabled') {
        const type = TYPE_NAMES[channelType] ?? TYPE_NAMES.O;
        text = intl.formatMessage(
            {id: 'readreceipts.channel.type_disabled', defaultMessage: 'Read receipts are off for {type} — your admin decides that'},
            {type: intl.formatMessage(type)},
        );
    } else if (settings.reason === 'too_many_members') {
        text = intl.formatMessage(
            {id: 'readreceipts.channel.too_many', defaultMessage: 'Read receipts are off: this channel has more than {max} members'},
            {max},
        );
    } else {
        text = intl.formatMessage({id: 'readreceipts.channel.turn_on', defaultMessage: 'Turn read receipts on for this channel'});
    }
    return <span className='readreceipts-channel-toggle'>{text}</span>;
}

/** toggleChannel is the menu item's action: it flips receipts when the user may, else does nothing. */
export function toggleChannel(channelId: string): Thunk {
    return (dispatch, getState) => {
        const settings = getPluginState(getState()).channels[channelId];
        if (!settings) {
            return;
        }
        if (settings.enabled) {
            dispatch(setChannelEnabled(channelId, false));
        } else if (settings.reason === 'turned_off') {
            dispatch(setChannelEnabled(channelId, true));
        }
    };
}

/** shouldShowChannelToggle offers the item to users who may manage the current channel. */
export function shouldShowChannelToggle(state: GlobalState): boolean {
    return canManageChannel(state, getCurrentChannelId(state));
}
