// Registration with the Mattermost plugin registry, and nothing else.

import {
    loadConfig,
    loadMySettings,
    openReaders,
    openSettings,
    refreshAll,
    reportSeen,
    setPostsOnScreen,
} from './actions';
import type {Dispatch, GetState} from './actions';
import {pruneCache} from './cache';
import {client} from './client';
import ChannelToggleLabel, {shouldShowChannelToggle, toggleChannel} from './components/channel_toggle/channel_toggle';
import ComposerRequestLabel, {
    requestReceiptOnPost,
    shouldShowComposerRequest,
    toggleComposerRequest,
} from './components/composer_request/composer_request';
import PostReceipt from './components/post_receipt/post_receipt';
import PrivacySetting, {PrivacySettingLabel} from './components/privacy_setting/privacy_setting';
import {canShowReaders, ReadersMenuLabel} from './components/readers_modal/readers_modal';
import Root from './components/root/root';
import {translate, translations} from './i18n';
import {pluginId} from './manifest';
import type {ChannelHeaderAction, HostStore, PluginInstance, PluginRegistry} from './mattermost';
import reducer from './reducer';
import {isSendingReceipts} from './selectors';
import {currentLocale} from './user_display';
import {PostRootScanner, SeenTracker} from './visibility';
import {
    CHANNEL_SETTINGS_EVENT,
    CONFIG_EVENT,
    RECEIPTS_EVENT,
    handleChannelSettings,
    handleConfig,
    handleReceipts,
} from './websocket';

const channelIdOf = (channel: Parameters<ChannelHeaderAction>[0]) => (typeof channel === 'string' ? channel : channel.id);

/** How long after posts left the page the cache is pruned (one prune for a burst of changes). */
const PRUNE_DELAY_MS = 2000;

class Plugin implements PluginInstance {
    private seen: SeenTracker | null = null;
    private scanner: PostRootScanner | null = null;
    private pruneTimer: ReturnType<typeof setTimeout> | null = null;
    private unsubscribe: (() => void) | null = null;

    initialize(registry: PluginRegistry, store: HostStore): void {
        const dispatch = store.dispatch as Dispatch;
        const getState = store.getState as GetState;
        client.setSiteURL(window.basename ?? '');

        registry.registerReducer(reducer);
        registry.registerTranslations?.(translations);
        const seen = new SeenTracker((postId) => dispatch(reportSeen(postId)));
        this.seen = seen;
        this.scanner = new PostRootScanner(seen, document, () => {
            this.pruneTimer ??= setTimeout(() => {
                this.pruneTimer = null;
                dispatch(pruneCache(seen.postIds()));
            }, PRUNE_DELAY_MS);
        });
        setPostsOnScreen(() => seen.postIds());

        registry.registerPostMessageAttachmentComponent(PostReceipt);
        registry.registerRootComponent(Root);
        registry.registerPostDropdownMenuAction(ReadersMenuLabel, (postId) => dispatch(openReaders(postId)), (postId) => canShowReaders(getState(), postId));
        registry.registerChannelHeaderMenuAction(ChannelToggleLabel, (ch) => dispatch(toggleChannel(channelIdOf(ch))), (s) => shouldShowChannelToggle(s as ReturnType<GetState>));
        registry.registerChannelHeaderMenuAction(ComposerRequestLabel, (ch) => dispatch(toggleComposerRequest(channelIdOf(ch))), (s) => shouldShowComposerRequest(s as ReturnType<GetState>));
        registry.registerMessageWillBePostedHook((post) => requestReceiptOnPost(getState(), post));

        if (registry.registerUserSettings) {
            // Names given as strings, in the user's language at start.
            const locale = currentLocale(getState());
            registry.registerUserSettings({
                id: pluginId,
                uiName: translate(locale, 'readreceipts.settings.ui_name'),
                sections: [{title: translate(locale, 'readreceipts.settings.section'), component: PrivacySetting}],
            });
        } else {
            registry.registerMainMenuAction?.(PrivacySettingLabel, () => dispatch(openSettings()));
        }

        registry.registerWebSocketEventHandler(RECEIPTS_EVENT, handleReceipts(dispatch));
        registry.registerWebSocketEventHandler(CHANNEL_SETTINGS_EVENT, handleChannelSettings(dispatch, getState));
        registry.registerWebSocketEventHandler(CONFIG_EVENT, handleConfig(dispatch, getState));
        registry.registerReconnectHandler(() => dispatch(refreshAll(seen.postIds())));

        // Posts already in view when it becomes known that the user sends receipts count from then on.
        let sending = false;
        this.unsubscribe = store.subscribe(() => {
            const now = isSendingReceipts(getState());
            if (now && !sending) {
                seen.rescan();
            }
            sending = now;
        });
        dispatch(loadConfig());
        dispatch(loadMySettings());
    }

    uninitialize(): void {
        this.unsubscribe?.();
        setPostsOnScreen(null);
        this.scanner?.destroy();
        this.seen?.destroy();
        if (this.pruneTimer !== null) {
            clearTimeout(this.pruneTimer);
        }
    }
}

window.registerPlugin(pluginId, new Plugin());
