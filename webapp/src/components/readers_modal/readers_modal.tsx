import React, {useEffect, useRef, useState} from 'react';
import {useIntl} from 'react-intl';
import {useSelector} from 'react-redux';

import {closeReaders, requestReceipts} from '../../actions';
import {usePluginDispatch} from '../../hooks';
import {channelTypeEnabled, getChannel, getConfig, getPluginState, getPost, getReceiptEntry, mayBeTracked} from '../../selectors';
import type {GlobalState} from '../../selectors';
import type {ReaderFilter} from '../../types';
import Dialog from '../dialog/dialog';
import ReadCurve from '../read_curve/read_curve';

import ReadersTabs from './readers_tabs';
import {useReaders} from './use_readers';

const styles: Record<string, React.CSSProperties> = {
    header: {display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '16px 20px 8px'},
    title: {fontSize: 18, fontWeight: 600, margin: 0},
    close: {border: 'none', background: 'none', fontSize: 20, cursor: 'pointer', color: 'inherit'},
    note: {padding: '12px 20px 24px', margin: 0},
};

/** NotTrackedNote says why a post has no readers list, or is null when it has one (or may have). */
function NotTrackedNote({postId, errorId}: {postId: string; errorId: string}) {
    const intl = useIntl();
    const entry = useSelector((s: GlobalState) => getReceiptEntry(s, postId));
    const reason = entry?.status === 'skipped' ? entry.reason : errorId;
    let text = '';
    if (reason === 'not_tracked') {
        text = intl.formatMessage({id: 'readreceipts.readers.not_tracked', defaultMessage: 'This message does not have read receipts.'});
    } else if (reason === 'hidden_by_privacy') {
        text = intl.formatMessage({id: 'readreceipts.readers.hidden', defaultMessage: 'You don’t see read receipts while you don’t send them.'});
    } else if (reason === 'not_found' || reason === 'no_permission') {
        text = intl.formatMessage({id: 'readreceipts.readers.unavailable', defaultMessage: 'Read receipts of this message are not available to you.'});
    }
    return text ? <p style={styles.note}>{text}</p> : null;
}

function ReadersDialog({postId}: {postId: string}) {
    const intl = useIntl();
    const dispatch = usePluginDispatch();
    const [tab, setTab] = useState<ReaderFilter>('read');
    const tabRef = useRef<HTMLButtonElement>(null);
    const entry = useSelector((s: GlobalState) => getReceiptEntry(s, postId));
    const receipt = entry?.status === 'tracked' ? entry.receipt : null;

    // Opened from the post menu, the receipt may not be known yet.
    useEffect(() => {
        if (entry === undefined) {
            dispatch(requestReceipts([postId]));
        }
    }, [dispatch, entry, postId]);

    // A changed receipt (a live event, an edit) reloads both lists and the curve in place.
    const version = receipt ? `${receipt.read_count}:${receipt.unread_count}:${receipt.edited_at ?? 0}` : '';
    const read = useReaders(postId, 'read', version);
    const unread = useReaders(postId, 'unread', version);
    const errorId = read.errorId || unread.errorId;
    const untracked = entry?.status === 'skipped' || (errorId !== '' && errorId !== 'internal_error');

    const title = intl.formatMessage({id: 'readreceipts.readers.title', defaultMessage: 'Read receipts'});
    const close = () => dispatch(closeReaders());

    return (
        <Dialog
            label={title}
            className='readreceipts-readers'
            width={400}
            onClose={close}
            initialFocus={tabRef}
        >
            <div style={styles.header}>
                <h2 style={styles.title}>{title}</h2>
                <button
                    type='button'
                    aria-label={intl.formatMessage({id: 'readreceipts.readers.close', defaultMessage: 'Close'})}
                    style={styles.close}
                    onClick={close}
                >{'×'}</button>
            </div>
            {untracked ? (
                <NotTrackedNote
                    postId={postId}
                    errorId={errorId}
                />
            ) : (
                <>
                    {receipt && (
                        <ReadCurve
                            postId={postId}
                            version={version}
                        />
                    )}
                    <ReadersTabs
                        lists={{read, unread}}
                        counts={{read: receipt?.read_count ?? read.users.length, unread: receipt?.unread_count ?? unread.users.length}}
                        tab={tab}
                        onTab={setTab}
                        tabRef={tabRef}
                    />
                </>
            )}
        </Dialog>
    );
}

/** ReadersModal shows who has read a post and who has not, while a post is selected. */
export default function ReadersModal() {
    const postId = useSelector((s: GlobalState) => getPluginState(s).readersPostId);
    if (!postId) {
        return null;
    }
    return (
        <ReadersDialog
            key={postId}
            postId={postId}
        />
    );
}

/** ReadersMenuLabel is the post menu item that opens the list. */
export function ReadersMenuLabel() {
    const intl = useIntl();
    return <span>{intl.formatMessage({id: 'readreceipts.readers.menu', defaultMessage: 'Read receipts'})}</span>;
}

/**
 * canShowReaders decides whether the Message actions menu offers "Read receipts". That menu runs its
 * filter only when it opens, so the answer must not wait for anything the plugin loads: it is offered
 * on the user's own posts in group conversations that may have receipts (what the web app already
 * knows), and the dialog says when a post has none.
 */
export function canShowReaders(state: GlobalState, postId: string): boolean {
    const post = getPost(state, postId);
    if (!post || post.user_id !== state.entities.users.currentUserId || !mayBeTracked(post)) {
        return false;
    }
    const type = getChannel(state, post.channel_id)?.type;
    if (!type || type === 'D') {
        return false;
    }
    const config = getConfig(state);
    return !config || channelTypeEnabled(config, type);
}
