import React, {useEffect, useRef, useState} from 'react';
import {useIntl} from 'react-intl';
import {useSelector} from 'react-redux';

import {closeReaders} from '../../actions';
import {usePluginDispatch} from '../../hooks';
import {client} from '../../client';
import {getPluginState, getReceiptEntry} from '../../selectors';
import type {GlobalState} from '../../selectors';
import {formatWhen} from '../../time';
import type {ReaderFilter} from '../../types';

import ReadCurve from '../read_curve/read_curve';

import {useReaders} from './use_readers';
import type {ReadersList} from './use_readers';

/** How close to the end of a list (px) scrolling loads the next page. */
const LOAD_MARGIN = 48;

const styles: Record<string, React.CSSProperties> = {
    backdrop: {position: 'fixed', inset: 0, background: 'rgba(0, 0, 0, 0.5)', display: 'flex', alignItems: 'center', justifyContent: 'center', zIndex: 1050},
    dialog: {
        background: 'var(--center-channel-bg, #fff)', color: 'var(--center-channel-color, #3f4350)', borderRadius: 8,
        width: 400, maxWidth: '90vw', boxShadow: '0 20px 32px rgba(0, 0, 0, 0.12)', display: 'flex', flexDirection: 'column',
    },
    header: {display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '16px 20px 8px'},
    title: {fontSize: 18, fontWeight: 600, margin: 0},
    close: {border: 'none', background: 'none', fontSize: 20, cursor: 'pointer', color: 'inherit'},
    tabs: {display: 'flex', gap: 16, padding: '0 20px', borderBottom: '1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16)'},
    list: {listStyle: 'none', margin: 0, padding: '8px 20px', height: 320, overflowY: 'auto'},
    row: {display: 'flex', alignItems: 'center', gap: 10, padding: '6px 0'},
    avatar: {width: 32, height: 32, borderRadius: '50%', background: 'rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.08)'},
    name: {flex: 1, fontWeight: 600},
    time: {fontSize: 12, opacity: 0.64},
    note: {padding: '12px 0', opacity: 0.64},
};

function tabStyle(active: boolean): React.CSSProperties {
    return {
        border: 'none', background: 'none', padding: '8px 0', cursor: 'pointer', color: active ? 'var(--button-bg, #1c58d9)' : 'inherit',
        borderBottom: active ? '2px solid var(--button-bg, #1c58d9)' : '2px solid transparent', fontWeight: 600,
    };
}

/** BeforeEditMark tells the author that this reader read the text before the last edit. */
function BeforeEditMark() {
    const intl = useIntl();
    return (
        <span
            className='readreceipts-before-edit'
            title={intl.formatMessage({id: 'readreceipts.readers.before_edit_hint', defaultMessage: 'Read before your last edit'})}
            style={styles.time}
        >{intl.formatMessage({id: 'readreceipts.readers.before_edit', defaultMessage: 'before edit'})}</span>
    );
}

function ReaderRows({list, filter}: {list: ReadersList; filter: ReaderFilter}) {
    const intl = useIntl();
    const ref = useRef<HTMLUListElement>(null);

    const maybeLoadMore = () => {
        const el = ref.current;
        if (el && el.scrollHeight - el.scrollTop - el.clientHeight < LOAD_MARGIN) {
            list.loadMore();
        }
    };

    // A first page that does not fill the list cannot be scrolled: ask for the next one right away.
    useEffect(maybeLoadMore, [list.users.length, list.loading]); // eslint-disable-line react-hooks/exhaustive-deps

    let note: React.ReactNode = null;
    if (list.failed) {
        note = intl.formatMessage({id: 'readreceipts.readers.failed', defaultMessage: 'Could not load the list. Close and try again.'});
    } else if (list.loading) {
        note = intl.formatMessage({id: 'readreceipts.readers.loading', defaultMessage: 'Loading…'});
    } else if (list.users.length === 0) {
        note = filter === 'read' ?
            intl.formatMessage({id: 'readreceipts.readers.none_read', defaultMessage: 'No one has read it yet.'}) :
            intl.formatMessage({id: 'readreceipts.readers.all_read', defaultMessage: 'Everyone has read it.'});
    }

    return (
        <ul
            ref={ref}
            role='tabpanel'
            aria-label={filter}
            style={styles.list}
            onScroll={maybeLoadMore}
        >
            {list.users.map((u) => (
                <li
                    key={u.user_id}
                    style={styles.row}
                >
                    <img
                        src={client.userImageURL(u.user_id)}
                        alt=''
                        style={styles.avatar}
                    />
                    <span style={styles.name}>{u.username}</span>
                    {filter === 'read' && u.read_at > 0 && <span style={styles.time}>{formatWhen(intl, u.read_at)}</span>}
                    {filter === 'read' && u.before_edit && <BeforeEditMark/>}
                </li>
            ))}
            {note && <li style={styles.note}>{note}</li>}
        </ul>
    );
}

function ReadersDialog({postId}: {postId: string}) {
    const intl = useIntl();
    const dispatch = usePluginDispatch();
    const [tab, setTab] = useState<ReaderFilter>('read');
    const entry = useSelector((s: GlobalState) => getReceiptEntry(s, postId));
    const receipt = entry?.status === 'tracked' ? entry.receipt : null;

    // A changed receipt (a live event) reloads both lists.
    const version = receipt ? `${receipt.read_count}:${receipt.unread_count}:${receipt.edited_at ?? 0}` : '';
    const read = useReaders(postId, 'read', version);
    const unread = useReaders(postId, 'unread', version);

    useEffect(() => {
        const onKey = (e: KeyboardEvent) => {
            if (e.key === 'Escape') {
                dispatch(closeReaders());
            }
        };
        document.addEventListener('keydown', onKey);
        return () => document.removeEventListener('keydown', onKey);
    }, [dispatch]);

    const readCount = receipt?.read_count ?? read.users.length;
    const unreadCount = receipt?.unread_count ?? unread.users.length;
    const title = intl.formatMessage({id: 'readreceipts.readers.title', defaultMessage: 'Read receipts'});

    return (
        <div
            style={styles.backdrop}
            onClick={(e) => {
                if (e.target === e.currentTarget) {
                    dispatch(closeReaders());
                }
            }}
        >
            <div
                role='dialog'
                aria-modal='true'
                aria-label={title}
                className='readreceipts-readers'
                style={styles.dialog}
            >
                <div style={styles.header}>
                    <h2 style={styles.title}>{title}</h2>
                    <button
                        type='button'
                        aria-label={intl.formatMessage({id: 'readreceipts.readers.close', defaultMessage: 'Close'})}
                        style={styles.close}
                        onClick={() => dispatch(closeReaders())}
                    >{'×'}</button>
                </div>
                <ReadCurve
                    postId={postId}
                    version={version}
                />
                <div
                    role='tablist'
                    style={styles.tabs}
                >
                    <button
                        type='button'
                        role='tab'
                        aria-selected={tab === 'read'}
                        style={tabStyle(tab === 'read')}
                        onClick={() => setTab('read')}
                    >
                        {intl.formatMessage({id: 'readreceipts.readers.tab_read', defaultMessage: 'Read ({count})'}, {count: readCount})}
                    </button>
                    <button
                        type='button'
                        role='tab'
                        aria-selected={tab === 'unread'}
                        style={tabStyle(tab === 'unread')}
                        onClick={() => setTab('unread')}
                    >
                        {intl.formatMessage({id: 'readreceipts.readers.tab_unread', defaultMessage: 'Not read yet ({count})'}, {count: unreadCount})}
                    </button>
                </div>
                {tab === 'read' ? <ReaderRows
                    key='read'
                    list={read}
                    filter='read'
                /> : <ReaderRows
                    key='unread'
                    list={unread}
                    filter='unread'
                />}
            </div>
        </div>
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

/** canShowReaders: the author's own tracked posts in group conversations have a readers list. */
export function canShowReaders(state: GlobalState, postId: string): boolean {
    const entry = getReceiptEntry(state, postId);
    const post = state.entities.posts.posts[postId];
    return entry?.status === 'tracked' && !entry.receipt.user_id && post?.user_id === state.entities.users.currentUserId;
}
