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
import {client} from './client';
import ChannelToggleLabel, {shouldShowChannelToggle, toggleChannel} from './components/channel_toggle/channel_toggle';
import ComposerRequestLabel, {
    requestReceiptOnPost,
    shouldShowComposerRequest,
    toggleComposerRequest,
} from './components/composer_request/composer_request';
import {postReceiptSlot} from './components/post_receipt/post_receipt';
import PrivacySetting, {PrivacySettingLabel} from './components/privacy_setting/privacy_setting';
import {canShowReaders, ReadersMenuLabel} from './components/readers_modal/readers_modal';
import Root from './components/root/root';
import {pluginId} from './manifest';
import type {ChannelHeaderAction, HostStore, PluginInstance, PluginRegistry} from './mattermost';
import reducer from './reducer';
import {isSendingReceipts} from './selectors';
import {SeenTracker} from './visibility';
import {
    CHANNEL_SETTINGS_EVENT,
    CONFIG_EVENT,
    RECEIPTS_EVENT,
    handleChannelSettings,
    handleConfig,
    handleReceipts,
} from './websocket';

const channelIdOf = (channel: Parameters<ChannelHeaderAction>[0]) => (typeof channel === 'string' ? channel : channel.id);

class Plugin implements PluginInstance {
    private seen: SeenTracker | null = null;
    private unsubscribe: (() => void) | null = null;

    initialize(registry: PluginRegistry, store: HostStore): void {
        const dispatch = store.dispatch as Dispatch;
        const getState = store.getState as GetState;
        client.setSiteURL(window.basename ?? '');

        registry.registerReducer(reducer);
        const seen = new SeenTracker((postId) => dispatch(reportSeen(postId)));
        this.seen = seen;
        setPostsOnScreen(() => seen.postIds());

        registry.registerPostMessageAttachmentComponent(postReceiptSlot(seen));
        registry.registerRootComponent(Root);
        registry.registerPostDropdownMenuAction(ReadersMenuLabel, (postId) => dispatch(openReaders(postId)), (postId) => canShowReaders(getState(), postId));
        registry.registerChannelHeaderMenuAction(ChannelToggleLabel, (ch) => dispatch(toggleChannel(channelIdOf(ch))), (s) => shouldShowChannelToggle(s as ReturnType<GetState>));
        registry.registerChannelHeaderMenuAction(ComposerRequestLabel, (ch) => dispatch(toggleComposerRequest(channelIdOf(ch))), (s) => shouldShowComposerRequest(s as ReturnType<GetState>));
        registry.registerMessageWillBePostedHook((post) => requestReceiptOnPost(getState(), post));

        if (registry.registerUserSettings) {
            registry.registerUserSettings({id: pluginId, uiName: 'Read Receipts', sections: [{title: 'Read receipts', component: PrivacySetting}]});
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
        this.seen?.destroy();
    }
}

window.registerPlugin(pluginId, new Plugin());
