// The host page's UI: a login form, then a small Mattermost-like view (channels, posts, a composer,
// the channel header menu and user settings) that renders the plugin's registered components.

import type {Client4} from '@mattermost/client';
import React, {useEffect, useRef, useState} from 'react';
import {useSelector, useStore} from 'react-redux';

import type {HostPost, HostState, Registered} from './store';

export const theme = {
    centerChannelBg: '#ffffff',
    centerChannelColor: '#3f4350',
    linkColor: '#386fe5',
    buttonBg: '#1c58d9',
    buttonColor: '#ffffff',
};

function resolve(node: unknown): React.ReactNode {
    return typeof node === 'function' ? React.createElement(node as React.ComponentType) : node as React.ReactNode;
}

const s: Record<string, React.CSSProperties> = {
    shell: {display: 'grid', gridTemplateColumns: '220px 1fr', height: '100vh'},
    sidebar: {background: '#1e325c', color: '#fff', padding: 12, overflowY: 'auto'},
    channelButton: {display: 'block', width: '100%', textAlign: 'left', background: 'none', border: 'none', color: 'inherit', padding: '4px 6px', cursor: 'pointer', borderRadius: 4},
    main: {display: 'flex', flexDirection: 'column', minHeight: 0},
    header: {display: 'flex', alignItems: 'center', gap: 8, padding: '8px 16px', borderBottom: '1px solid #ddd', position: 'relative'},
    posts: {flex: 1, overflowY: 'auto', padding: '8px 16px'},
    post: {padding: '6px 0', borderBottom: '1px solid #f0f0f0', position: 'relative'},
    menu: {position: 'absolute', background: '#fff', border: '1px solid #ccc', borderRadius: 4, boxShadow: '0 4px 12px rgba(0,0,0,.15)', zIndex: 10, listStyle: 'none', margin: 0, padding: 4, minWidth: 260},
    menuItem: {display: 'block', width: '100%', textAlign: 'left', background: 'none', border: 'none', padding: '6px 8px', cursor: 'pointer'},
    composer: {display: 'flex', gap: 8, padding: 12, borderTop: '1px solid #ddd'},
};

export function Login({onLogin}: {onLogin: (username: string, password: string) => Promise<void>}) {
    const [username, setUsername] = useState('');
    const [password, setPassword] = useState('');
    const [error, setError] = useState('');
    return (
        <form
            style={{maxWidth: 320, margin: '80px auto', display: 'grid', gap: 8}}
            onSubmit={async (e) => {
                e.preventDefault();
                setError('');
                try {
                    await onLogin(username, password);
                } catch (err) {
                    setError(err instanceof Error ? err.message : 'Login failed');
                }
            }}
        >
            <h1 style={{fontSize: 20}}>{'Read Receipts — host page'}</h1>
            <label>{'Username'}<input
                name='username'
                autoComplete='username'
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                style={{width: '100%'}}
            /></label>
            <label>{'Password'}<input
                name='password'
                type='password'
                autoComplete='current-password'
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                style={{width: '100%'}}
            /></label>
            <button type='submit'>{'Log in'}</button>
            {error && <p role='alert'>{error}</p>}
        </form>
    );
}

function useSlot(name: string): Registered[] {
    return useSelector((state: HostState) => state.slots[name] ?? []);
}

// DropdownMenu is a button that opens a list of registered actions, each called with target.
function DropdownMenu({label, glyph, wrapperStyle, side, items, target, empty}: {
    label: string;
    glyph: string;
    wrapperStyle: React.CSSProperties;
    side: 'left' | 'right';
    items: Registered[];
    target: string;
    empty?: string;
}) {
    const [open, setOpen] = useState(false);
    return (
        <span style={wrapperStyle}>
            <button
                type='button'
                aria-label={label}
                onClick={() => setOpen(!open)}
            >{glyph}</button>
            {open && (
                <ul style={{...s.menu, [side]: 0}}>
                    {items.length === 0 && empty && <li style={s.menuItem}>{empty}</li>}
                    {items.map((i) => (
                        <li key={i.id}><button
                            type='button'
                            style={s.menuItem}
                            onClick={() => {
                                setOpen(false);
                                (i.action as (id: string) => void)(target);
                            }}
                        >{resolve(i.text)}</button></li>
                    ))}
                </ul>
            )}
        </span>
    );
}

function PostMenu({postId}: {postId: string}) {
    const items = useSlot('PostDropdownMenu');
    const visible = items.filter((i) => !i.filter || (i.filter as (id: string) => boolean)(postId));
    if (visible.length === 0) {
        return null;
    }
    return (
        <DropdownMenu
            label='Post menu'
            glyph={'⋯'}
            wrapperStyle={{position: 'absolute', right: 0, top: 4}}
            side='right'
            items={visible}
            target={postId}
        />
    );
}

function PostView({post}: {post: HostPost}) {
    const author = useSelector((state: HostState) => state.entities.users.profiles[post.user_id]?.username ?? post.user_id.slice(0, 8));
    const attachments = useSlot('PostMessageAttachment');
    return (
        <div
            id={`post_${post.id}`}
            className='post'
            style={s.post}
        >
            <div><strong>{author}</strong>{' '}<small style={{opacity: 0.6}}>{new Date(post.create_at).toLocaleTimeString()}</small></div>
            <div className='post-message'>{post.message}</div>
            {attachments.map((a) => React.createElement(a.component as React.ComponentType<Record<string, unknown>>, {key: a.id, postId: post.id, theme, onHeightChange: () => undefined}))}
            <PostMenu postId={post.id}/>
        </div>
    );
}

function ChannelMenu() {
    const items = useSlot('ChannelHeader');
    const store = useStore();
    const channelId = useSelector((state: HostState) => state.entities.channels.currentChannelId);
    const visible = items.filter((i) => !i.shouldRender || (i.shouldRender as (s: unknown) => boolean)(store.getState()));
    return (
        <DropdownMenu
            label='Channel menu'
            glyph={'▾'}
            wrapperStyle={{position: 'relative'}}
            side='left'
            items={visible}
            target={channelId}
            empty='(nothing here)'
        />
    );
}

function SettingsPanel({onClose}: {onClose: () => void}) {
    const userSettings = useSlot('UserSettings');
    const mainMenu = useSlot('MainMenu');
    return (
        <div
            role='dialog'
            aria-label='Settings'
            style={{position: 'fixed', top: 50, right: 20, width: 440, background: '#fff', border: '1px solid #ccc', borderRadius: 8, padding: 16, zIndex: 20, boxShadow: '0 8px 24px rgba(0,0,0,.2)'}}
        >
            <h2 style={{fontSize: 18, marginTop: 0}}>{'Settings'}</h2>
            {userSettings.map((u) => {
                const setting = u.setting as {uiName: string; sections: Array<{title: string; component: React.ComponentType}>};
                return (
                    <section key={u.id}>
                        <h3 style={{fontSize: 15}}>{setting.uiName}</h3>
                        {setting.sections.map((sec) => (
                            <div key={sec.title}><h4 style={{fontSize: 13, margin: '8px 0'}}>{sec.title}</h4>{React.createElement(sec.component)}</div>
                        ))}
                    </section>
                );
            })}
            {mainMenu.map((m) => (
                <button
                    key={m.id}
                    type='button'
                    onClick={() => (m.action as () => void)()}
                >{resolve(m.text)}</button>
            ))}
            <div style={{textAlign: 'right'}}><button
                type='button'
                onClick={onClose}
            >{'Close settings'}</button></div>
        </div>
    );
}

function channelLabel(state: HostState, channelId: string): string {
    const c = state.entities.channels.channels[channelId];
    if (!c) {
        return '';
    }
    if (c.type === 'D') {
        const other = c.name.split('__').find((id) => id !== state.entities.users.currentUserId) ?? state.entities.users.currentUserId;
        return `@${state.entities.users.profiles[other]?.username ?? other.slice(0, 8)}`;
    }
    return c.display_name || c.name;
}

export function Workspace({client, onSelect, onLogout}: {client: Client4; onSelect: (channelId: string) => void; onLogout: () => void}) {
    const state = useSelector((st: HostState) => st);
    const channelId = state.entities.channels.currentChannelId;
    const order = state.entities.posts.order[channelId] ?? [];
    const roots = useSlot('Root');
    const hooks = useSlot('MessageWillBePosted');
    const [draft, setDraft] = useState('');
    const [settingsOpen, setSettingsOpen] = useState(false);
    const list = useRef<HTMLDivElement>(null);
    const me = state.entities.users.profiles[state.entities.users.currentUserId];

    useEffect(() => {
        list.current?.scrollTo({top: list.current.scrollHeight});
    }, [order.length, channelId]);

    const send = async () => {
        let post: Record<string, unknown> = {channel_id: channelId, message: draft, user_id: me?.id, props: {}};
        for (const h of hooks) {
            const result = await (h.hook as (p: unknown) => unknown)(post) as {post?: Record<string, unknown>; error?: {message: string}};
            if (result?.error) {
                return;
            }
            post = result?.post ?? post;
        }
        setDraft('');
        await client.createPost(post as Parameters<Client4['createPost']>[0]);
    };

    const channels = Object.values(state.entities.channels.channels).sort((a, b) => channelLabel(state, a.id).localeCompare(channelLabel(state, b.id)));
    return (
        <div style={s.shell}>
            <nav
                style={s.sidebar}
                aria-label='Channels'
            >
                <div style={{fontWeight: 700, marginBottom: 8}}>{me?.username}</div>
                {channels.map((c) => (
                    <button
                        key={c.id}
                        type='button'
                        data-channel-id={c.id}
                        style={{...s.channelButton, background: c.id === channelId ? 'rgba(255,255,255,.16)' : 'none'}}
                        onClick={() => onSelect(c.id)}
                    >{channelLabel(state, c.id)}</button>
                ))}
            </nav>
            <main style={s.main}>
                <header style={s.header}>
                    <strong data-testid='channel-name'>{channelLabel(state, channelId) || 'Pick a channel'}</strong>
                    {channelId && <ChannelMenu/>}
                    <span style={{flex: 1}}/>
                    <button
                        type='button'
                        onClick={() => setSettingsOpen(!settingsOpen)}
                    >{'Settings'}</button>
                    <button
                        type='button'
                        onClick={onLogout}
                    >{'Log out'}</button>
                </header>
                <div
                    ref={list}
                    style={s.posts}
                    data-testid='post-list'
                >
                    {order.map((id) => <PostView
                        key={id}
                        post={state.entities.posts.posts[id]}
                    />)}
                </div>
                {channelId && (
                    <form
                        style={s.composer}
                        onSubmit={(e) => {
                            e.preventDefault();
                            if (draft.trim()) {
                                send();
                            }
                        }}
                    >
                        <input
                            aria-label='Write a message'
                            value={draft}
                            onChange={(e) => setDraft(e.target.value)}
                            style={{flex: 1}}
                        />
                        <button type='submit'>{'Send'}</button>
                    </form>
                )}
            </main>
            {settingsOpen && <SettingsPanel onClose={() => setSettingsOpen(false)}/>}
            {roots.map((r) => React.createElement(r.component as React.ComponentType<{theme: typeof theme}>, {key: r.id, theme}))}
        </div>
    );
}
