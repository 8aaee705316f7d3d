// The host page's Redux store: Mattermost's `entities` shape (only what plugins read), the registry's
// components, and plugin reducers registered at run time.

import {applyMiddleware, combineReducers, legacy_createStore as createStore} from 'redux';
import type {Middleware, Reducer, Store} from 'redux';

export interface HostPost {
    id: string;
    user_id: string;
    channel_id: string;
    root_id?: string;
    type?: string;
    create_at: number;
    message: string;
    props?: Record<string, unknown>;
}

export interface HostUser {
    id: string;
    username: string;
    roles?: string;
    locale?: string;
    first_name?: string;
    last_name?: string;
    nickname?: string;
}

export interface HostChannel {
    id: string;
    type: string;
    team_id?: string;
    name: string;
    display_name: string;
}

export interface Preference {
    category: string;
    name: string;
    value: string;
}

export interface Entities {
    users: {currentUserId: string; profiles: Record<string, HostUser>};
    posts: {posts: Record<string, HostPost>; order: Record<string, string[]>};
    channels: {currentChannelId: string; channels: Record<string, HostChannel>; myMembers: Record<string, {roles?: string; scheme_admin?: boolean}>};
    teams: {currentTeamId: string; myMembers: Record<string, {roles?: string; scheme_admin?: boolean}>};
    preferences: {myPreferences: Record<string, Preference>};
    general: {config: Record<string, string>};
}

export type HostAction =
    | {type: 'host/logged_in'; user: HostUser}
    | {type: 'host/profiles'; users: HostUser[]}
    | {type: 'host/preferences'; preferences: Preference[]}
    | {type: 'host/config'; config: Record<string, string>}
    | {type: 'host/channels'; channels: HostChannel[]; members: Array<{channel_id: string; roles?: string; scheme_admin?: boolean}>}
    | {type: 'host/team_members'; members: Array<{team_id: string; roles?: string; scheme_admin?: boolean}>}
    | {type: 'host/select_channel'; channelId: string}
    | {type: 'host/posts'; channelId: string; posts: HostPost[]};

const empty: Entities = {
    users: {currentUserId: '', profiles: {}},
    posts: {posts: {}, order: {}},
    channels: {currentChannelId: '', channels: {}, myMembers: {}},
    teams: {currentTeamId: '', myMembers: {}},
    preferences: {myPreferences: {}},
    general: {config: {}},
};

function entities(state: Entities = empty, action: HostAction | {type: string}): Entities {
    const a = action as HostAction;
    switch (a.type) {
    case 'host/logged_in':
        return {...state, users: {currentUserId: a.user.id, profiles: {...state.users.profiles, [a.user.id]: a.user}}};
    case 'host/profiles': {
        const profiles = {...state.users.profiles};
        for (const u of a.users) {
            profiles[u.id] = u;
        }
        return {...state, users: {...state.users, profiles}};
    }
    case 'host/channels': {
        const channels = {...state.channels.channels};
        const myMembers = {...state.channels.myMembers};
        for (const c of a.channels) {
            channels[c.id] = c;
        }
        for (const m of a.members) {
            myMembers[m.channel_id] = m;
        }
        return {...state, channels: {...state.channels, channels, myMembers}};
    }
    case 'host/team_members': {
        const myMembers = {...state.teams.myMembers};
        for (const m of a.members) {
            myMembers[m.team_id] = m;
        }
        return {...state, teams: {currentTeamId: state.teams.currentTeamId || a.members[0]?.team_id || '', myMembers}};
    }
    case 'host/preferences': {
        const myPreferences = {...state.preferences.myPreferences};
        for (const p of a.preferences) {
            myPreferences[`${p.category}--${p.name}`] = p;
        }
        return {...state, preferences: {myPreferences}};
    }
    case 'host/config':
        return {...state, general: {config: a.config}};
    case 'host/select_channel':
        return {...state, channels: {...state.channels, currentChannelId: a.channelId}};
    case 'host/posts': {
        const posts = {...state.posts.posts};
        const ids = new Set(state.posts.order[a.channelId] ?? []);
        for (const p of a.posts) {
            posts[p.id] = p;
            ids.add(p.id);
        }
        const order = [...ids].sort((x, y) => posts[x].create_at - posts[y].create_at);
        return {...state, posts: {posts, order: {...state.posts.order, [a.channelId]: order}}};
    }
    default:
        return state;
    }
}

/** A registered plugin component or hook, as the registry keeps it. */
export interface Registered {
    id: string;
    pluginId: string;
    [key: string]: unknown;
}

export type Slots = Record<string, Registered[]>;

function slots(state: Slots = {}, action: {type: string; slot?: string; item?: Registered}): Slots {
    if (action.type === 'host/registered' && action.slot && action.item) {
        return {...state, [action.slot]: [...(state[action.slot] ?? []), action.item]};
    }
    return state;
}

/** UI is the host page's own view state: what the web app keeps in its `views` state. */
export interface UI {

    /** The thread open in the right-hand panel, or ''. */
    rhsRootId: string;
    rhsExpanded: boolean;
    view: 'channel' | 'threads';

    /** The thread open in the Threads view, or ''. */
    threadId: string;
    theme: 'light' | 'dark';

    /** The user's "message formatting" setting: off, posts are plain text without plugin slots. */
    formatting: boolean;
}

export type UIAction = {type: 'host/ui'; patch: Partial<UI>};

const initialUI: UI = {rhsRootId: '', rhsExpanded: false, view: 'channel', threadId: '', theme: 'light', formatting: true};

function ui(state: UI = initialUI, action: UIAction | {type: string}): UI {
    return action.type === 'host/ui' ? {...state, ...(action as UIAction).patch} : state;
}

const thunk: Middleware = (api) => (next) => (action) => (typeof action === 'function' ? action(api.dispatch, api.getState) : next(action));

const pluginReducers: Record<string, Reducer> = {};

function rootReducer() {
    return combineReducers({entities, slots, ui, ...pluginReducers});
}

export const store: Store = createStore(rootReducer(), applyMiddleware(thunk));

/** registerReducer adds a plugin's reducer at `plugins-<id>`, as Mattermost's reducer registry does. */
export function registerReducer(key: string, reducer: Reducer): void {
    pluginReducers[key] = reducer;
    store.replaceReducer(rootReducer());
}

export interface HostState {
    entities: Entities;
    slots: Slots;
    ui: UI;
}

/** setUI changes the host's view state. */
export function setUI(patch: Partial<UI>): UIAction {
    return {type: 'host/ui', patch};
}

/** threadOf lists a thread's root and replies in order, from the posts loaded. */
export function threadOf(state: HostState, rootId: string): HostPost[] {
    return Object.values(state.entities.posts.posts).
        filter((p) => p.id === rootId || p.root_id === rootId).
        sort((x, y) => x.create_at - y.create_at);
}
