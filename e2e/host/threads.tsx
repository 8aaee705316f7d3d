// Threads as the web app shows them: the right-hand thread panel (which can be expanded over the
// centre), and the Threads view (a list of the user's threads and the one picked). Both draw posts
// with `rhsPost_<id>` roots and send replies through the plugins' message-will-be-posted hooks.

import type {Client4} from '@mattermost/client';
import React, {useEffect, useState} from 'react';
import {useDispatch, useSelector, useStore} from 'react-redux';

import {PostView} from './posts';
import {setUI, threadOf} from './store';
import type {HostPost, HostState, Registered} from './store';

/** The width of the right-hand panel; the centre gives it room (expanded, the panel covers the centre). */
export const RHS_WIDTH = 380;

/** sendPost runs the message-will-be-posted hooks, then creates the post; a hook may refuse it. */
export async function sendPost(client: Client4, hooks: Registered[], draft: Record<string, unknown>): Promise<boolean> {
    let post = draft;
    for (const h of hooks) {
        const result = await (h.hook as (p: unknown) => unknown)(post) as {post?: Record<string, unknown>; error?: {message: string}};
        if (result?.error) {
            return false;
        }
        post = result?.post ?? post;
    }
    await client.createPost(post as Parameters<Client4['createPost']>[0]);
    return true;
}

/** Composer is a one-line message box that sends through sendPost. */
export function Composer({client, channelId, rootId, label}: {client: Client4; channelId: string; rootId?: string; label: string}) {
    const hooks = useSelector((state: HostState) => state.slots.MessageWillBePosted ?? []);
    const me = useSelector((state: HostState) => state.entities.users.currentUserId);
    const [draft, setDraft] = useState('');
    return (
        <form
            style={{display: 'flex', gap: 8, padding: 12, borderTop: '1px solid rgba(var(--center-channel-color-rgb), .16)'}}
            onSubmit={async (e) => {
                e.preventDefault();
                if (!draft.trim()) {
                    return;
                }
                const text = draft;
                setDraft('');
                await sendPost(client, hooks, {channel_id: channelId, root_id: rootId ?? '', message: text, user_id: me, props: {}});
            }}
        >
            <input
                aria-label={label}
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                style={{flex: 1}}
            />
            <button type='submit'>{'Send'}</button>
        </form>
    );
}

/** useThread loads a thread's posts into the store and lists them. */
function useThread(client: Client4, rootId: string): HostPost[] {
    const dispatch = useDispatch();
    const store = useStore<HostState>();
    const posts = useSelector((state: HostState) => threadOf(state, rootId), (a, b) => a.length === b.length && a.every((p, i) => p === b[i]));
    useEffect(() => {
        if (!rootId) {
            return;
        }
        client.getPostThread(rootId).then((list) => {
            const loaded = Object.values(list.posts) as unknown as HostPost[];
            const channelId = loaded[0]?.channel_id ?? store.getState().entities.channels.currentChannelId;
            dispatch({type: 'host/posts', channelId, posts: loaded});
        }, () => undefined);
    }, [client, dispatch, rootId, store]);
    return posts;
}

function Thread({client, rootId, label}: {client: Client4; rootId: string; label: string}) {
    const posts = useThread(client, rootId);
    const channelId = posts[0]?.channel_id ?? '';
    return (
        <>
            <div style={{flex: 1, overflowY: 'auto', padding: '8px 16px'}}>
                {posts.map((p) => (
                    <PostView
                        key={p.id}
                        post={p}
                        place='rhs'
                        client={client}
                    />
                ))}
            </div>
            {channelId && <Composer
                client={client}
                channelId={channelId}
                rootId={rootId}
                label={label}
            />}
        </>
    );
}

/** ThreadPanel is the right-hand panel showing one thread; expanded, it covers the centre. */
export function ThreadPanel({client}: {client: Client4}) {
    const {rhsRootId, rhsExpanded} = useSelector((state: HostState) => state.ui);
    const dispatch = useDispatch();
    if (!rhsRootId) {
        return null;
    }
    return (
        <aside
            id='sidebar-right'
            aria-label='Thread'
            className={rhsExpanded ? 'sidebar--right sidebar--right--expanded' : 'sidebar--right'}
            style={{position: 'absolute', top: 0, bottom: 0, right: 0, left: rhsExpanded ? 220 : undefined, width: rhsExpanded ? undefined : RHS_WIDTH, display: 'flex', flexDirection: 'column', background: 'var(--center-channel-bg)', borderLeft: '1px solid rgba(var(--center-channel-color-rgb), .16)', zIndex: 5}}
        >
            <div style={{display: 'flex', gap: 8, alignItems: 'center', padding: '8px 12px', borderBottom: '1px solid rgba(var(--center-channel-color-rgb), .16)'}}>
                <strong style={{flex: 1}}>{'Thread'}</strong>
                <button
                    type='button'
                    onClick={() => dispatch(setUI({rhsExpanded: !rhsExpanded}))}
                >{rhsExpanded ? 'Collapse' : 'Expand'}</button>
                <button
                    type='button'
                    aria-label='Close thread'
                    onClick={() => dispatch(setUI({rhsRootId: '', rhsExpanded: false}))}
                >{'×'}</button>
            </div>
            <Thread
                client={client}
                rootId={rhsRootId}
                label='Reply to thread'
            />
        </aside>
    );
}

interface ThreadItem {
    id: string;
    post: {id: string; message: string; channel_id: string};
}

/** ThreadsView is the global Threads view: the user's followed threads in the team, and one of them. */
export function ThreadsView({client}: {client: Client4}) {
    const me = useSelector((state: HostState) => state.entities.users.currentUserId);
    const teamId = useSelector((state: HostState) => state.entities.teams.currentTeamId);
    const threadId = useSelector((state: HostState) => state.ui.threadId);
    const dispatch = useDispatch();
    const [threads, setThreads] = useState<ThreadItem[]>([]);
    useEffect(() => {
        client.getUserThreads(me, teamId, {perPage: 25}).then((list) => setThreads(list.threads as unknown as ThreadItem[]), () => undefined);
    }, [client, me, teamId]);
    return (
        <div style={{display: 'grid', gridTemplateColumns: '260px 1fr', flex: 1, minHeight: 0}}>
            <ul
                aria-label='Followed threads'
                style={{listStyle: 'none', margin: 0, padding: 8, overflowY: 'auto', borderRight: '1px solid rgba(var(--center-channel-color-rgb), .16)'}}
            >
                {threads.map((t) => (
                    <li key={t.id}><button
                        type='button'
                        data-thread-id={t.id}
                        style={{display: 'block', width: '100%', textAlign: 'left', background: t.id === threadId ? 'rgba(var(--center-channel-color-rgb), .08)' : 'none', border: 'none', color: 'inherit', padding: 6, cursor: 'pointer'}}
                        onClick={() => dispatch(setUI({threadId: t.id}))}
                    >{t.post.message.slice(0, 60)}</button></li>
                ))}
            </ul>
            <div style={{display: 'flex', flexDirection: 'column', minHeight: 0}}>
                {threadId ? <Thread
                    client={client}
                    rootId={threadId}
                    label='Reply in the Threads view'
                /> : <p style={{padding: 16}}>{'Pick a thread'}</p>}
            </div>
        </div>
    );
}
