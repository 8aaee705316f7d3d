// The host page: provides the globals Mattermost gives plugins, logs in with Client4, keeps a websocket
// to the server, and loads the plugin bundle with a script tag, exactly as the web app does.

import {Client4, WebSocketClient} from '@mattermost/client';
import PropTypes from 'prop-types';
import React, {useEffect, useState} from 'react';
import ReactDOM from 'react-dom';
import {createRoot} from 'react-dom/client';
import * as ReactIntl from 'react-intl';
import * as ReactRedux from 'react-redux';
import * as Redux from 'redux';

import {Login, Workspace} from './app';
import {Registry, reconnectHandlers, websocketHandlers} from './registry';
import {store} from './store';
import type {HostChannel, HostPost, HostState, HostUser, Preference} from './store';

declare global {
    interface Window {
        React: typeof React;
        ReactDOM: typeof ReactDOM;
        Redux: typeof Redux;
        ReactRedux: typeof ReactRedux;
        ReactIntl: typeof ReactIntl;
        PropTypes: typeof PropTypes;
        registerPlugin: (id: string, plugin: {initialize: (registry: Registry, s: typeof store) => void}) => void;
        hostReady?: boolean;

        /** The host's store, for the browser test to look at the plugin's state. */
        hostStore: typeof store;
    }
}

window.React = React;
window.ReactDOM = ReactDOM;
window.Redux = Redux;
window.ReactRedux = ReactRedux;
window.ReactIntl = ReactIntl;
window.PropTypes = PropTypes;
window.registerPlugin = (id, plugin) => plugin.initialize(new Registry(id), store);
window.hostStore = store;

const client = new Client4();
client.setUrl(window.location.origin);

/** The plugin bundle: the freshly built webapp/dist/main.js, served by serve.mjs. */
const BUNDLE_URL = '/plugin/main.js';

function loadScript(src: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = src;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error(`failed to load ${src}`));
        document.head.appendChild(script);
    });
}

/** loadAuthors loads the profiles of posts' authors the page does not know yet, as the web app does. */
function loadAuthors(posts: HostPost[]) {
    const known = (store.getState() as HostState).entities.users.profiles;
    const missing = [...new Set(posts.map((p) => p.user_id))].filter((id) => !known[id]);
    if (missing.length > 0) {
        client.getProfilesByIds(missing).then((users) => store.dispatch({type: 'host/profiles', users: users as HostUser[]}), () => undefined);
    }
}

function channelFromHash(): string {
    return new URLSearchParams(window.location.hash.slice(1)).get('channel') ?? '';
}

async function selectChannel(channelId: string) {
    if (!channelId) {
        return;
    }
    store.dispatch({type: 'host/select_channel', channelId});
    if (window.location.hash !== `#channel=${channelId}`) {
        window.location.hash = `channel=${channelId}`;
    }
    const list = await client.getPosts(channelId, 0, 60);
    const posts = list.order.map((id) => list.posts[id] as unknown as HostPost);
    store.dispatch({type: 'host/posts', channelId, posts});
    loadAuthors(posts);
}

async function loadWorkspace() {
    const me = await client.getMe();
    store.dispatch({type: 'host/logged_in', user: me as HostUser});
    store.dispatch({type: 'host/preferences', preferences: await client.getMyPreferences() as unknown as Preference[]});
    store.dispatch({type: 'host/config', config: await client.getClientConfig() as unknown as Record<string, string>});
    const teams = await client.getMyTeams();
    store.dispatch({type: 'host/team_members', members: await client.getMyTeamMembers()});
    const userIds = new Set<string>();
    for (const team of teams) {
        const channels = (await client.getMyChannels(team.id)) as unknown as HostChannel[];
        const members = await client.getMyChannelMembers(team.id);
        store.dispatch({type: 'host/channels', channels, members});
        for (const c of channels) {
            if (c.type === 'D') {
                c.name.split('__').forEach((id) => userIds.add(id));
            }
        }
    }
    if (userIds.size > 0) {
        store.dispatch({type: 'host/profiles', users: await client.getProfilesByIds([...userIds])});
    }
}

/** connectWebSocket resolves once the websocket is connected, so no event is missed after that. */
function connectWebSocket(): Promise<void> {
    const ws = new WebSocketClient();
    ws.addMessageListener((msg) => {
        if (msg.event === 'posted' || msg.event === 'post_edited') {
            const post = JSON.parse(msg.data.post as string) as HostPost;
            store.dispatch({type: 'host/posts', channelId: post.channel_id, posts: [post]});
            loadAuthors([post]);
        }
        for (const handler of websocketHandlers[msg.event] ?? []) {
            handler(msg);
        }
    });
    ws.addReconnectListener(() => {
        // Like the web app: catch up on the posts missed while disconnected, then let plugins refresh.
        const channelId = store.getState().entities.channels.currentChannelId;
        selectChannel(channelId);
        reconnectHandlers.forEach((h) => h());
    });
    const connected = new Promise<void>((resolve) => ws.addFirstConnectListener(() => resolve()));
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/v4/websocket`;
    ws.initialize(url, client.getToken() || undefined);
    return connected;
}

function App() {
    const [phase, setPhase] = useState<'checking' | 'login' | 'ready'>('checking');

    const start = async () => {
        await loadWorkspace();
        await connectWebSocket();
        await loadScript(BUNDLE_URL);
        setPhase('ready');
        window.hostReady = true;
        await selectChannel(channelFromHash());
    };

    useEffect(() => {
        // Mattermost's MMUSERID cookie says whether a session may exist; without it, skip the 401.
        if (document.cookie.includes('MMUSERID=')) {
            client.getMe().then(start, () => setPhase('login'));
        } else {
            setPhase('login');
        }
        const onHash = () => selectChannel(channelFromHash());
        window.addEventListener('hashchange', onHash);
        return () => window.removeEventListener('hashchange', onHash);
    }, []); // eslint-disable-line react-hooks/exhaustive-deps

    if (phase === 'checking') {
        return <p>{'Loading…'}</p>;
    }
    if (phase === 'login') {
        return (
            <Login
                onLogin={async (username, password) => {
                    await client.login(username, password);
                    await start();
                }}
            />
        );
    }
    return (
        <Workspace
            client={client}
            onSelect={selectChannel}
            onLogout={async () => {
                await client.logout();
                window.location.hash = '';
                window.location.reload();
            }}
        />
    );
}

/** Intl is the web app's IntlProvider: the user's language, with the plugins' registered translations. */
function Intl({children}: {children: React.ReactNode}) {
    const locale = ReactRedux.useSelector((s: HostState) => s.entities.users.profiles[s.entities.users.currentUserId]?.locale || 'en');
    const sources = ReactRedux.useSelector((s: HostState) => s.slots.Translations ?? []);
    const messages = React.useMemo(() => Object.assign({}, ...sources.map((t) => (t.getTranslations as (l: string) => Record<string, string>)(locale))), [locale, sources]);
    return (
        <ReactIntl.IntlProvider
            locale={locale}
            defaultLocale='en'
            messages={messages}
        >{children}</ReactIntl.IntlProvider>
    );
}

createRoot(document.getElementById('root') as HTMLElement).render(
    <ReactRedux.Provider store={store}>
        <Intl>
            <App/>
        </Intl>
    </ReactRedux.Provider>,
);
