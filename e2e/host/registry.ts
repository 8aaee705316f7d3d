// A plugin registry implementing the slots the Read Receipts plugin uses, with the same call shapes
// as Mattermost's (positional arguments; components as React components or elements).

import type React from 'react';
import type {Reducer} from 'redux';

import {registerReducer, store} from './store';

type Handler = (msg: {event: string; data: unknown}) => void;

export const websocketHandlers: Record<string, Handler[]> = {};
export const reconnectHandlers: Array<() => void> = [];

let nextId = 0;

function add(slot: string, pluginId: string, fields: Record<string, unknown>): string {
    nextId += 1;
    const id = `${pluginId}_${nextId}`;
    store.dispatch({type: 'host/registered', slot, item: {id, pluginId, ...fields}});
    return id;
}

export class Registry {
    constructor(private readonly pluginId: string) {}

    registerReducer(reducer: Reducer) {
        registerReducer(`plugins-${this.pluginId}`, reducer);
    }

    registerRootComponent(component: React.ComponentType) {
        return add('Root', this.pluginId, {component});
    }

    registerPostMessageAttachmentComponent(component: React.ComponentType) {
        return add('PostMessageAttachment', this.pluginId, {component});
    }

    registerPostDropdownMenuAction(text: unknown, action: (postId: string) => void, filter?: (postId: string) => boolean) {
        return add('PostDropdownMenu', this.pluginId, {text, action, filter});
    }

    registerChannelHeaderMenuAction(text: unknown, action: (channelId: string) => void, shouldRender?: (state: unknown) => boolean) {
        return add('ChannelHeader', this.pluginId, {text, action, shouldRender});
    }

    registerMainMenuAction(text: unknown, action: () => void) {
        return add('MainMenu', this.pluginId, {text, action});
    }

    registerMessageWillBePostedHook(hook: (post: unknown) => unknown) {
        return add('MessageWillBePosted', this.pluginId, {hook});
    }

    registerUserSettings(setting: {id: string; uiName: string; sections: Array<{title: string; component: React.ComponentType}>}) {
        add('UserSettings', this.pluginId, {setting});
    }

    registerTranslations(getTranslations: (locale: string) => Record<string, string>) {
        add('Translations', this.pluginId, {getTranslations});
    }

    registerWebSocketEventHandler(event: string, handler: Handler) {
        (websocketHandlers[event] ??= []).push(handler);
    }

    registerReconnectHandler(handler: () => void) {
        reconnectHandlers.push(handler);
    }
}
