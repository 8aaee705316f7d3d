// The host page's UI: a login form, then a small Mattermost-like workspace (channels, the Threads view,
// posts, a composer, the channel header menu, the right-hand thread panel, user settings as a modal,
// a theme switch) that renders the plugin's registered components where the web app does.

import type {Client4} from '@mattermost/client';
import React, {useEffect, useRef, useState} from 'react';
import {useDispatch, useSelector} from 'react-redux';

import {ChannelHeaderMenu} from './menus';
import {PluginComponents, resolve} from './plugin_slot';
import {PostView} from './posts';
import {setUI} from './store';
import type {HostState, Registered} from './store';
import {applyTheme, themes} from './theme';
import {Composer, RHS_WIDTH, ThreadPanel, ThreadsView} from './threads';

const s: Record<string, React.CSSProperties> = {
    shell: {display: 'grid', gridTemplateColumns: '220px 1fr', height: '100vh', position: 'relative'},
    sidebar: {background: 'var(--sidebar-bg)', color: '#fff', padding: 12, overflowY: 'auto'},
    navButton: {display: 'block', width: '100%', textAlign: 'left', background: 'none', border: 'none', color: 'inherit', padding: '4px 6px', cursor: 'pointer', borderRadius: 4},
    main: {display: 'flex', flexDirection: 'column', minHeight: 0},
    header: {display: 'flex', alignItems: 'center', gap: 8, padding: '8px 16px', borderBottom: '1px solid rgba(var(--center-channel-color-rgb), .16)', position: 'relative'},
    posts: {flex: 1, overflowY: 'auto', padding: '8px 16px'},
    backdrop: {position: 'fixed', inset: 0, background: 'rgba(0,0,0,.5)', zIndex: 1040, display: 'flex', alignItems: 'flex-start', justifyContent: 'center', paddingTop: 60},
    modal: {width: 480, background: 'var(--center-channel-bg)', color: 'var(--center-channel-color)', borderRadius: 8, padding: 16, boxShadow: '0 8px 24px rgba(0,0,0,.2)'},
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

/** SettingsModal is the web app's Settings: a Bootstrap modal over the whole page. */
function SettingsModal({onClose}: {onClose: () => void}) {
    const userSettings = useSlot('UserSettings');
    const mainMenu = useSlot('MainMenu');
    const formatting = useSelector((state: HostState) => state.ui.formatting);
    const dispatch = useDispatch();
    return (
        <div
            className='modal show'
            style={s.backdrop}
        >
            <div
                role='dialog'
                aria-modal='true'
                aria-label='Settings'
                style={s.modal}
            >
                <h2 style={{fontSize: 18, marginTop: 0}}>{'Settings'}</h2>
                <label style={{display: 'block', margin: '8px 0'}}>
                    <input
                        type='checkbox'
                        checked={formatting}
                        onChange={(e) => dispatch(setUI({formatting: e.target.checked}))}
                    />{' Message formatting'}
                </label>
                {userSettings.map((u) => {
                    const setting = u.setting as {uiName: string; sections: Array<{title: string; component: React.ComponentType}>};
                    return (
                        <section key={u.id}>
                            <h3 style={{fontSize: 15}}>{setting.uiName}</h3>
                            {setting.sections.map((sec) => (
                                <div key={sec.title}>
                                    <h4 style={{fontSize: 13, margin: '8px 0'}}>{sec.title}</h4>
                                    <PluginComponents
                                        items={[{id: `${u.id}-${sec.title}`, pluginId: u.pluginId, component: sec.component}]}
                                        props={{}}
                                    />
                                </div>
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

function Sidebar({onSelect}: {onSelect: (channelId: string) => void}) {
    const state = useSelector((st: HostState) => st);
    const dispatch = useDispatch();
    const channelId = state.entities.channels.currentChannelId;
    const inThreads = state.ui.view === 'threads';
    const me = state.entities.users.profiles[state.entities.users.currentUserId];
    const channels = Object.values(state.entities.channels.channels).sort((a, b) => channelLabel(state, a.id).localeCompare(channelLabel(state, b.id)));
    const active = (on: boolean) => ({...s.navButton, background: on ? 'rgba(255,255,255,.16)' : 'none'});
    return (
        <nav
            style={s.sidebar}
            aria-label='Channels'
        >
            <div style={{fontWeight: 700, marginBottom: 8}}>{me?.username}</div>
            <button
                type='button'
                style={active(inThreads)}
                onClick={() => dispatch(setUI({view: 'threads', rhsRootId: ''}))}
            >{'Threads'}</button>
            {channels.map((c) => (
                <button
                    key={c.id}
                    type='button'
                    data-channel-id={c.id}
                    style={active(!inThreads && c.id === channelId)}
                    onClick={() => {
                        dispatch(setUI({view: 'channel'}));
                        onSelect(c.id);
                    }}
                >{channelLabel(state, c.id)}</button>
            ))}
        </nav>
    );
}

function ChannelView({client}: {client: Client4}) {
    const channelId = useSelector((st: HostState) => st.entities.channels.currentChannelId);
    const roots = useSelector((st: HostState) => (st.entities.posts.order[channelId] ?? []).map((id) => st.entities.posts.posts[id]).filter((p) => p && !p.root_id));
    const dispatch = useDispatch();
    const list = useRef<HTMLDivElement>(null);
    useEffect(() => {
        list.current?.scrollTo({top: list.current.scrollHeight});
    }, [roots.length, channelId]);
    return (
        <>
            <div
                ref={list}
                style={s.posts}
                data-testid='post-list'
            >
                {roots.map((p) => <PostView
                    key={p.id}
                    post={p}
                    place='center'
                    client={client}
                    onReply={(rootId) => dispatch(setUI({rhsRootId: rootId}))}
                />)}
            </div>
            {channelId && <Composer
                client={client}
                channelId={channelId}
                label='Write a message'
            />}
        </>
    );
}

export function Workspace({client, onSelect, onLogout}: {client: Client4; onSelect: (channelId: string) => void; onLogout: () => void}) {
    const title = useSelector((st: HostState) => (st.ui.view === 'threads' ? 'Threads' : channelLabel(st, st.entities.channels.currentChannelId)));
    const view = useSelector((st: HostState) => st.ui.view);
    const themeName = useSelector((st: HostState) => st.ui.theme);
    const hasChannel = useSelector((st: HostState) => Boolean(st.entities.channels.currentChannelId));
    const rhsOpen = useSelector((st: HostState) => Boolean(st.ui.rhsRootId));
    const roots = useSlot('Root');
    const dispatch = useDispatch();
    const [settingsOpen, setSettingsOpen] = useState(false);

    useEffect(() => applyTheme(themes[themeName]), [themeName]);

    // The web app's own Escape handling: it closes what is open on the page (here: Settings, else the thread panel).
    useEffect(() => {
        const onKey = (e: KeyboardEvent) => {
            if (e.key !== 'Escape') {
                return;
            }
            if (settingsOpen) {
                setSettingsOpen(false);
            } else {
                dispatch(setUI({rhsRootId: '', rhsExpanded: false}));
            }
        };
        document.addEventListener('keydown', onKey);
        return () => document.removeEventListener('keydown', onKey);
    }, [dispatch, settingsOpen]);

    return (
        <div style={s.shell}>
            <Sidebar onSelect={onSelect}/>
            <main style={{...s.main, marginRight: rhsOpen ? RHS_WIDTH : 0}}>
                <header style={s.header}>
                    {view === 'channel' && hasChannel ? <ChannelHeaderMenu title={title}/> : <strong>{title || 'Pick a channel'}</strong>}
                    <span style={{flex: 1}}/>
                    <button
                        type='button'
                        onClick={() => dispatch(setUI({theme: themeName === 'light' ? 'dark' : 'light'}))}
                    >{themeName === 'light' ? 'Dark theme' : 'Light theme'}</button>
                    <button
                        type='button'
                        onClick={() => setSettingsOpen(!settingsOpen)}
                    >{'Settings'}</button>
                    <button
                        type='button'
                        onClick={onLogout}
                    >{'Log out'}</button>
                </header>
                {view === 'threads' ? <ThreadsView client={client}/> : <ChannelView client={client}/>}
            </main>
            <ThreadPanel client={client}/>
            {settingsOpen && <SettingsModal onClose={() => setSettingsOpen(false)}/>}
            <PluginComponents
                items={roots}
                props={{theme: themes[themeName]}}
            />
        </div>
    );
}
