// Selectors over the web app's state and the plugin's own slice of it.

import type {Channel, MattermostState, Post} from './mattermost';
import {pluginId} from './manifest';
import {initialState} from './reducer';
import type {PluginState, ReceiptEntry} from './reducer';
import type {PluginConfig} from './types';

/** GlobalState is the web app's state with the plugin's slice registered in it. */
export type GlobalState = MattermostState & {[key: `plugins-${string}`]: PluginState | undefined};

export const pluginStateKey = `plugins-${pluginId}` as const;

export function getPluginState(state: GlobalState): PluginState {
    return state[pluginStateKey] ?? initialState;
}

export function getCurrentUserId(state: GlobalState): string {
    return state.entities.users.currentUserId;
}

export function getPost(state: GlobalState, postId: string): Post | undefined {
    return state.entities.posts.posts[postId];
}

export function getChannel(state: GlobalState, channelId: string): Channel | undefined {
    return state.entities.channels.channels[channelId];
}

export function getCurrentChannelId(state: GlobalState): string {
    return state.entities.channels.currentChannelId;
}

export function getReceiptEntry(state: GlobalState, postId: string): ReceiptEntry | undefined {
    return getPluginState(state).receipts[postId];
}

export function getConfig(state: GlobalState) {
    return getPluginState(state).config;
}

/** isRequestModePerMessage is true when senders must ask for receipts message by message. */
export function isRequestModePerMessage(state: GlobalState): boolean {
    return getPluginState(state).config?.request_mode === 'per_message';
}

/**
 * viewerHidesReceipts: the user turned off sending read receipts and Reciprocal applies, so the
 * server shows them no one's reads (API.md). An unknown config counts as reciprocal, its default.
 */
export function viewerHidesReceipts(state: GlobalState): boolean {
    const plugin = getPluginState(state);
    return plugin.mySettings?.send_read_receipts === false &&
        plugin.config?.privacy_policy !== 'always_on' &&
        plugin.config?.reciprocal !== false;
}

/** isSendingReceipts says whether this user's reads are reported; unknown settings count as off. */
export function isSendingReceipts(state: GlobalState): boolean {
    const plugin = getPluginState(state);
    if (plugin.config?.privacy_policy === 'always_on') {
        return true;
    }
    return plugin.mySettings?.send_read_receipts === true;
}

const ID_PATTERN = /^[a-z0-9]{26}$/;

/**
 * mayBeTracked is false for posts that can never have receipts (API.md): system posts, webhook posts,
 * posts that opted out, and posts not yet saved. Everything else is for the server to decide.
 */
export function mayBeTracked(post: Post): boolean {
    if (!ID_PATTERN.test(post.id)) {
        return false;
    }
    if (post.type && post.type.startsWith('system_')) {
        return false;
    }
    const props = post.props ?? {};
    if (props.from_webhook === 'true' || props.from_webhook === true) {
        return false;
    }
    return props.read_receipt !== false;
}

/** channelTypeEnabled says whether the config enables receipts for a channel type; unknown types are left to the server. */
export function channelTypeEnabled(config: PluginConfig, type: string): boolean {
    switch (type) {
    case 'D':
        return config.enable_direct_messages;
    case 'G':
        return config.enable_group_messages;
    case 'P':
        return config.enable_private_channels;
    case 'O':
        return config.enable_public_channels;
    default:
        return true;
    }
}

/**
 * mayBeTrackedHere adds what the plugin knows of the config and the channel to mayBeTracked: a post
 * is not tracked when its channel type is disabled, its channel is off (settings loaded), or, under
 * per_message, it does not ask for receipts. What is not known yet is left to the server.
 */
export function mayBeTrackedHere(state: GlobalState, post: Post): boolean {
    if (!mayBeTracked(post)) {
        return false;
    }
    const plugin = getPluginState(state);
    const config = plugin.config;
    const type = getChannel(state, post.channel_id)?.type;
    if (config && type && !channelTypeEnabled(config, type)) {
        return false;
    }
    const settings = plugin.channels[post.channel_id];
    if (settings?.enabled === false) {
        return false;
    }
    const mode = config?.request_mode ?? settings?.request_mode;
    return mode !== 'per_message' || post.props?.read_receipt === true;
}

function hasRole(roles: string | undefined, role: string): boolean {
    return (roles ?? '').split(' ').includes(role);
}

/**
 * canManageChannel mirrors the server's rule (API.md) to decide whether to offer the channel toggle:
 * any member of a DM or group message; channel, team or system admins elsewhere. The server decides.
 */
export function canManageChannel(state: GlobalState, channelId: string): boolean {
    const channel = getChannel(state, channelId);
    if (!channel) {
        return false;
    }
    if (channel.type === 'D' || channel.type === 'G') {
        return true;
    }
    const me = state.entities.users.profiles?.[getCurrentUserId(state)];
    if (hasRole(me?.roles, 'system_admin')) {
        return true;
    }
    const member = state.entities.channels.myMembers?.[channelId];
    if (member?.scheme_admin || hasRole(member?.roles, 'channel_admin')) {
        return true;
    }
    const teamMember = channel.team_id ? state.entities.teams?.myMembers?.[channel.team_id] : undefined;
    return Boolean(teamMember?.scheme_admin || hasRole(teamMember?.roles, 'team_admin'));
}

/** composerRequested says whether the user asks for receipts on their next messages in a channel. */
export function composerRequested(state: GlobalState, channelId: string): boolean {
    return getPluginState(state).composer[channelId] === true;
}
