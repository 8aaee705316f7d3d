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

export interface HostChannel {
    id: string;
    type: string;
    team_id?: string;
    name: string;
    display_name: string;
}

export interface Entities {
    users: {currentUserId: string; profiles: Record<string, {id: string; username: string; roles?: string}>};
    posts: {posts: Record<string, HostPost>; order: Record<string, string[]>};
    channels: {currentChannelId: string; channels: Record<string, HostChannel>; myMembers: Record<string, {roles?: string; scheme_admin?: boolean}>};
    teams: {myMembers: Record<string, {roles?: string; scheme_admin?: boolean}>};
}

export type HostAction =
    | {type: 'host/logged_in'; user: {id: string; username: string; roles?: string}}
    | {type: 'host/profiles'; users: Array<{id: string; username: string; roles?: string}>}
    | {type: 'host/channels'; channels: HostChannel[]; members: Array<{channel_id: string; roles?: string; scheme_admin?: boolean}>}
    | {type: 'host/team_members'; members: Array<{team_id: string; roles?: string; scheme_admin?: boolean}>}
    | {type: 'host/select_channel'; channelId: string}
    | {type: 'host/posts'; channelId: string; posts: HostPost[]};

const empty: Entities = {
    users: {currentUserId: '', profiles: {}},
    posts: {posts: {}, order: {}},
    channels: {currentChannelId: '', channels: {}, myMembers: {}},
    teams: {myMembers: {}},
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
        return {...state, teams: {myMembers}};
    }
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

const thunk: Middleware = (api) => (next) => (action) => (typeof action === 'function' ? action(api.dispatch, api.getState) : next(action));

const pluginReducers: Record<string, Reducer> = {};

function rootReducer() {
    return combineReducers({entities, slots, ...pluginReducers});
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
}
