// Redux action types of the plugin's own state (under `plugins-readreceipts`).

import type {ChannelSettings, MySettings, PluginConfig, QuerySkipReason, Receipt} from './types';

export const RECEIPTS_REQUESTED = 'readreceipts/receipts_requested';
export const RECEIPTS_RECEIVED = 'readreceipts/receipts_received';
export const RECEIPTS_SKIPPED = 'readreceipts/receipts_skipped';
export const RECEIPTS_FAILED = 'readreceipts/receipts_failed';
export const RECEIPTS_DROPPED = 'readreceipts/receipts_dropped';
export const READS_QUEUED = 'readreceipts/reads_queued';
export const READS_FAILED = 'readreceipts/reads_failed';
export const CONFIG_RECEIVED = 'readreceipts/config_received';
export const MY_SETTINGS_RECEIVED = 'readreceipts/my_settings_received';
export const CHANNEL_SETTINGS_RECEIVED = 'readreceipts/channel_settings_received';
export const CHANNEL_ENABLED_CHANGED = 'readreceipts/channel_enabled_changed';
export const CHANNEL_ERROR = 'readreceipts/channel_error';
export const CHANNELS_DROPPED = 'readreceipts/channels_dropped';
export const READERS_OPENED = 'readreceipts/readers_opened';
export const READERS_CLOSED = 'readreceipts/readers_closed';
export const SETTINGS_OPENED = 'readreceipts/settings_opened';
export const SETTINGS_CLOSED = 'readreceipts/settings_closed';
export const COMPOSER_REQUEST_SET = 'readreceipts/composer_request_set';
export const CACHE_PRUNED = 'readreceipts/cache_pruned';

export type PluginAction =
    | {type: typeof RECEIPTS_REQUESTED; postIds: string[]}
    | {type: typeof RECEIPTS_RECEIVED; receipts: Receipt[]}
    | {type: typeof RECEIPTS_SKIPPED; skipped: Array<{post_id: string; reason: QuerySkipReason}>}
    | {type: typeof RECEIPTS_FAILED; postIds: string[]}
    | {type: typeof RECEIPTS_DROPPED; postIds: string[]}
    | {type: typeof READS_QUEUED; postIds: string[]}
    | {type: typeof READS_FAILED; postIds: string[]}
    | {type: typeof CONFIG_RECEIVED; config: PluginConfig}
    | {type: typeof MY_SETTINGS_RECEIVED; settings: MySettings}
    | {type: typeof CHANNEL_SETTINGS_RECEIVED; settings: ChannelSettings}
    | {type: typeof CHANNEL_ENABLED_CHANGED; channelId: string; enabled: boolean}
    | {type: typeof CHANNEL_ERROR; channelId: string; status: number}
    | {type: typeof CHANNELS_DROPPED; keep: string}
    | {type: typeof READERS_OPENED; postId: string}
    | {type: typeof READERS_CLOSED}
    | {type: typeof SETTINGS_OPENED}
    | {type: typeof SETTINGS_CLOSED}
    | {type: typeof COMPOSER_REQUEST_SET; channelId: string; requested: boolean}
    | {type: typeof CACHE_PRUNED; postIds: string[]};
