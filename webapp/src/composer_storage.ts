// The per-channel "ask for read receipts on my messages" choice, remembered in localStorage, which every
// window of the web app shares (pop-out windows included).

import * as T from './action_types';
import type {PluginAction} from './action_types';

const composerKey = (channelId: string) => `readreceipts.request.${channelId}`;

/** storedComposerRequest reads the user's remembered request for a channel. */
export function storedComposerRequest(channelId: string): boolean {
    try {
        return window.localStorage.getItem(composerKey(channelId)) === 'true';
    } catch {
        // Storage may be unavailable (private mode); the choice is then not remembered.
        return false;
    }
}

/** loadComposerRequest puts the remembered per-channel request into the state. */
export function loadComposerRequest(channelId: string): PluginAction {
    return {type: T.COMPOSER_REQUEST_SET, channelId, requested: storedComposerRequest(channelId)};
}

/** setComposerRequest remembers, per channel, whether the user asks for receipts on new messages. */
export function setComposerRequest(channelId: string, requested: boolean): PluginAction {
    try {
        window.localStorage.setItem(composerKey(channelId), String(requested));
    } catch {
        // See loadComposerRequest.
    }
    return {type: T.COMPOSER_REQUEST_SET, channelId, requested};
}
