import React from 'react';
import {useIntl} from 'react-intl';
import {useSelector} from 'react-redux';

import {setComposerRequest, storedComposerRequest} from '../../composer_storage';
import type {Thunk} from '../../actions';
import type {MessageWillBePostedResult, Post} from '../../mattermost';
import {composerRequested, getCurrentChannelId, getPluginState, isRequestModePerMessage} from '../../selectors';
import type {GlobalState} from '../../selectors';

/** ComposerRequestLabel is the channel header menu item that asks for receipts on one's messages. */
export default function ComposerRequestLabel() {
    const intl = useIntl();
    const channelId = useSelector(getCurrentChannelId);
    const on = useSelector((s: GlobalState) => composerRequested(s, channelId));
    const text = on ?
        intl.formatMessage({id: 'readreceipts.composer.on', defaultMessage: '✓ Asking for read receipts on my messages here'}) :
        intl.formatMessage({id: 'readreceipts.composer.off', defaultMessage: 'Ask for read receipts on my messages here'});
    return (
        <span
            className='readreceipts-composer-request'
            data-on={on}
        >{text}</span>
    );
}

/** toggleComposerRequest flips the remembered per-channel request. */
export function toggleComposerRequest(channelId: string): Thunk {
    return (dispatch, getState) => {
        dispatch(setComposerRequest(channelId, !composerRequested(getState(), channelId)));
    };
}

/** shouldShowComposerRequest: only under per_message, and not where receipts are known to be off. */
export function shouldShowComposerRequest(state: GlobalState): boolean {
    if (!isRequestModePerMessage(state)) {
        return false;
    }
    const settings = getPluginState(state).channels[getCurrentChannelId(state)];
    return settings?.enabled !== false;
}

/**
 * requestReceiptOnPost is the message-will-be-posted hook: under per_message it marks new root posts
 * and replies with `read_receipt: true` where the user asked for receipts in that channel. The post may
 * be sent from anywhere (the Threads view, a thread's pop-out window), so the request is looked up for
 * the post's own channel, from storage when this window has not loaded it.
 */
export function requestReceiptOnPost(state: GlobalState, post: Post): MessageWillBePostedResult {
    const requested = getPluginState(state).composer[post.channel_id] ?? storedComposerRequest(post.channel_id);
    if (!isRequestModePerMessage(state) || !requested ||
        (post.props && 'read_receipt' in post.props)) {
        return {post};
    }
    return {post: {...post, props: {...post.props, read_receipt: true}}};
}
