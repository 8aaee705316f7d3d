// Test helpers: a store shaped like the web app's, with the plugin's reducer and thunks, and a render
// wrapped in the providers Mattermost puts around plugin components.

import {render} from '@testing-library/react';
import type {RenderResult} from '@testing-library/react';
import React from 'react';
import {IntlProvider} from 'react-intl';
import {Provider} from 'react-redux';
import {applyMiddleware, combineReducers, legacy_createStore as createStore} from 'redux';
import type {Middleware, Store} from 'redux';

import type {Channel, MattermostState, Post} from '../mattermost';
import reducer, {initialState} from '../reducer';
import type {PluginState} from '../reducer';
import {pluginStateKey} from '../selectors';
import type {GlobalState} from '../selectors';

export const ME = 'meuser0000000000000000000a';
export const PEER = 'peeruser000000000000000000';
export const DM = 'dmchannel00000000000000000';
export const GM = 'gmchannel00000000000000000';
export const OPEN = 'openchannel000000000000000';

/** id makes a 26-character Mattermost-like id from a short name. */
export const id = (name: string) => name.padEnd(26, '0').slice(0, 26);

const thunk: Middleware = (api) => (next) => (action) => (typeof action === 'function' ? action(api.dispatch, api.getState) : next(action));

export interface StoreSeed {
    posts?: Post[];
    channels?: Channel[];
    currentChannelId?: string;
    plugin?: Partial<PluginState>;
    roles?: string;
}

export function makeStore(seed: StoreSeed = {}): Store<GlobalState> {
    const posts: Record<string, Post> = {};
    for (const p of seed.posts ?? []) {
        posts[p.id] = p;
    }
    const channels: Record<string, Channel> = {
        [DM]: {id: DM, type: 'D'},
        [GM]: {id: GM, type: 'G'},
        [OPEN]: {id: OPEN, type: 'O', team_id: id('team')},
    };
    for (const c of seed.channels ?? []) {
        channels[c.id] = c;
    }
    const entities: MattermostState['entities'] = {
        users: {currentUserId: ME, profiles: {[ME]: {id: ME, username: 'me', roles: seed.roles ?? 'system_user'}}},
        posts: {posts},
        channels: {currentChannelId: seed.currentChannelId ?? DM, channels, myMembers: {}},
        teams: {myMembers: {}},
    };
    const root = combineReducers({
        entities: (state: MattermostState['entities'] = entities) => state,
        [pluginStateKey]: reducer,
    });
    const preloaded = {entities, [pluginStateKey]: {...initialState, ...seed.plugin}};
    return createStore(root, preloaded, applyMiddleware(thunk)) as unknown as Store<GlobalState>;
}

export function renderWithStore(ui: React.ReactElement, store: Store<GlobalState>, container?: HTMLElement): RenderResult {
    return render(
        <Provider store={store}>
            <IntlProvider
                locale='en'
                defaultLocale='en'
            >{ui}</IntlProvider>
        </Provider>,
        container ? {container: container.appendChild(document.createElement('div'))} : undefined,
    );
}

/** post builds a saved post. */
export function post(name: string, userId: string, channelId: string, props?: Record<string, unknown>): Post {
    return {id: id(name), user_id: userId, channel_id: channelId, type: '', props: props ?? {}, create_at: 1};
}

/** settle lets pending promises (mocked requests) resolve. */
export async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) {
        await Promise.resolve();
    }
}
