// Declarations of the parts of the Mattermost web app that the plugin uses. No npm package ships the
// plugin registry's types, so the methods and the state we read are declared here, and only those.

import type React from 'react';
import type {Reducer, Store} from 'redux';

/** Theme is the subset of the Mattermost theme the plugin colours itself with. */
export interface Theme {
    centerChannelBg?: string;
    centerChannelColor?: string;
    linkColor?: string;
    buttonBg?: string;
    buttonColor?: string;
    errorTextColor?: string;
}

/** PostAttachmentProps are the props Mattermost gives a post message attachment component. */
export interface PostAttachmentProps {
    postId: string;
    theme?: Theme;
    onHeightChange?: (height: number) => void;
}

/** Post is the subset of a Mattermost post the plugin reads. */
export interface Post {
    id: string;
    user_id: string;
    channel_id: string;
    root_id?: string;
    type?: string;
    create_at?: number;
    message?: string;
    props?: Record<string, unknown>;
}

export interface Channel {
    id: string;
    type: 'O' | 'P' | 'D' | 'G' | string;
    team_id?: string;
    name?: string;
    display_name?: string;
}

export interface Membership {
    roles?: string;
    scheme_admin?: boolean;
}

export interface UserTimezone {
    useAutomaticTimezone?: string | boolean;
    automaticTimezone?: string;
    manualTimezone?: string;
}

export interface UserProfile {
    id: string;
    username: string;
    roles?: string;
    first_name?: string;
    last_name?: string;
    nickname?: string;
    locale?: string;
    timezone?: UserTimezone;
    last_picture_update?: number;
}

/** Preference is one of the user's preferences; the store keys them `<category>--<name>`. */
export interface Preference {
    category: string;
    name: string;
    value: string;
}

/** MattermostState is the part of the web app's Redux state the plugin reads. */
export interface MattermostState {
    entities: {
        users: {currentUserId: string; profiles?: Record<string, UserProfile | undefined>};
        posts: {posts: Record<string, Post | undefined>};
        channels: {
            currentChannelId: string;
            channels: Record<string, Channel | undefined>;
            myMembers?: Record<string, Membership | undefined>;
        };
        teams?: {myMembers?: Record<string, Membership | undefined>};
        preferences?: {myPreferences?: Record<string, Preference | undefined>};
        general?: {config?: Record<string, string | undefined>};
    };
}

/** WebSocketMessage is what a websocket event handler receives. */
export interface WebSocketMessage<T = unknown> {
    event: string;
    data: T;
    broadcast?: {user_id?: string; channel_id?: string; team_id?: string};
    seq?: number;
}

export type MessageWillBePostedResult = {post: Post} | {error: {message: string}};

/** UserSettingsCustomSection is a custom section of registerUserSettings. */
export interface UserSettingsCustomSection {
    title: string;
    component: React.ComponentType;
}

export interface UserSettings {
    id: string;
    uiName: string;
    icon?: string;
    sections: UserSettingsCustomSection[];
}

/** ChannelHeaderAction receives the channel id (some versions pass the channel). */
export type ChannelHeaderAction = (channel: string | {id: string}) => void;

/** PluginRegistry declares the registry methods the plugin calls. Newer ones are optional. */
export interface PluginRegistry {
    registerReducer(reducer: Reducer): void;
    registerRootComponent(component: React.ComponentType): string;
    registerPostMessageAttachmentComponent(component: React.ComponentType<PostAttachmentProps>): string;
    registerPostDropdownMenuAction(
        text: React.ReactNode | React.ComponentType,
        action: (postId: string) => void,
        filter: (postId: string) => boolean,
    ): string;
    registerChannelHeaderMenuAction(
        text: React.ReactNode | React.ComponentType,
        action: ChannelHeaderAction,
        shouldRender?: (state: unknown) => boolean,
    ): string;
    registerWebSocketEventHandler(event: string, handler: (msg: WebSocketMessage) => void): void;
    registerReconnectHandler(handler: () => void): void;
    registerMessageWillBePostedHook(hook: (post: Post) => MessageWillBePostedResult | Promise<MessageWillBePostedResult>): string;
    registerUserSettings?(settings: UserSettings): void;
    registerTranslations?(getTranslations: (locale: string) => Record<string, string>): void;
    registerMainMenuAction?(text: React.ReactNode | React.ComponentType, action: () => void, mobileIcon?: React.ReactNode): string;
}

/** HostStore is the store Mattermost passes to initialize: it understands thunks. */
export type HostStore = Store;

/** PluginInstance is what registerPlugin receives. */
export interface PluginInstance {
    initialize(registry: PluginRegistry, store: HostStore): void;
    uninitialize?(): void;
}

declare global {
    interface Window {
        registerPlugin(id: string, plugin: PluginInstance): void;

        /** The path Mattermost is served under, e.g. "/chat"; empty or absent at the root. */
        basename?: string;
    }
}
