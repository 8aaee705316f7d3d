// Bounds the plugin's per-post state in a long session: what is known of posts that left the screen
// is kept for a while (going back to the previous channel asks nothing again), then forgotten.

import * as T from './action_types';
import type {Thunk} from './actions';
import {getPluginState} from './selectors';

/** How many posts that are not on screen keep their cached receipt and "reported" mark. */
export const MAX_OFFSCREEN_POSTS = 100;

/**
 * offscreenToDrop picks, from the posts a map knows, those beyond the newest `keep` that are not on
 * screen. Maps keep insertion order, so the posts dropped are those first cached.
 */
export function offscreenToDrop(known: string[], onScreen: ReadonlySet<string>, keep: number): string[] {
    const offscreen = known.filter((id) => !onScreen.has(id));
    return offscreen.slice(0, Math.max(0, offscreen.length - keep));
}

/**
 * pruneCache forgets receipts and "reported" marks of posts far off screen: a forgotten receipt is
 * asked again, in a batch, when its post is shown again; a forgotten mark may report a read the server
 * already has, which it answers as `already_read`. The post whose readers are open is kept.
 */
export function pruneCache(onScreen: string[], keep = MAX_OFFSCREEN_POSTS): Thunk {
    return (dispatch, getState) => {
        const plugin = getPluginState(getState());
        const shown = new Set(onScreen);
        if (plugin.readersPostId) {
            shown.add(plugin.readersPostId);
        }
        const drop = new Set([
            ...offscreenToDrop(Object.keys(plugin.receipts), shown, keep),
            ...offscreenToDrop(Object.keys(plugin.reported), shown, keep),
        ]);
        if (drop.size > 0) {
            dispatch({type: T.CACHE_PRUNED, postIds: [...drop]});
        }
    };
}
