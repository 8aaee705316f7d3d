// Types of the plugin's HTTP API and websocket payloads, as fixed by API.md.

/** Receipt is the state of one tracked post, the same object in answers and events. */
export interface Receipt {
    post_id: string;
    channel_id: string;

    /** One-to-one: the peer (the recipient); group: empty. */
    user_id: string;
    is_peer_read: boolean;

    /** One-to-one: when the peer read it (ms), else 0. */
    timestamp: number;
    read_count: number;
    unread_count: number;

    /** When the author last edited the post (ms), 0 if never; absent from servers before edits were tracked. */
    edited_at?: number;
}

export type QuerySkipReason = 'not_found' | 'not_tracked' | 'no_permission' | 'hidden_by_privacy';

export type ReadSkipReason =
    | 'not_found'
    | 'not_tracked'
    | 'own_post'
    | 'not_recipient'
    | 'already_read'
    | 'disabled'
    | 'no_permission';

export interface Skipped<R extends string> {
    post_id: string;
    reason: R;
}

export interface QueryResult {
    receipts: Receipt[];
    skipped: Array<Skipped<QuerySkipReason>>;

    /** Posts whose receipt could not be loaded this time: ask again later. */
    failed?: string[];
}

export interface ReadsResult {
    recorded: string[];
    skipped: Array<Skipped<ReadSkipReason>>;
}

export type RequestMode = 'all' | 'per_message';

/** PluginConfig is the client-visible configuration (GET /config and the config event). */
export interface PluginConfig {
    enable_direct_messages: boolean;
    enable_group_messages: boolean;
    enable_private_channels: boolean;
    enable_public_channels: boolean;
    request_mode: RequestMode;
    max_channel_members: number;
    privacy_policy: 'user_choice' | 'always_on';
    reciprocal: boolean;
    counts_visible_to: 'author' | 'members';
}

export type ChannelOffReason = '' | 'type_disabled' | 'turned_off' | 'too_many_members';

export interface ChannelSettings {
    channel_id: string;
    enabled: boolean;
    request_mode: RequestMode;
    reason: ChannelOffReason;
}

export interface MySettings {
    send_read_receipts: boolean;

    /** When the current choice started to hold (ms); 0 or absent: never changed. */
    since?: number;
    can_change: boolean;
}

export type ReaderFilter = 'read' | 'unread';

export interface Reader {
    user_id: string;
    username: string;

    /** 0 in the unread list. */
    read_at: number;

    /** The read came before the post's last edit; absent from servers before edits were tracked. */
    before_edit?: boolean;
}

export interface ReadersPage {
    users: Reader[];
    next_cursor: string;
    is_finished: boolean;
    read_count: number;
    unread_count: number;
}

/** CurvePoint: read_count recipients had read the post after_ms after it was created. */
export interface CurvePoint {
    after_ms: number;
    read_count: number;
}

/** ReadCurve is GET /posts/{id}/curve: cumulative reads over time, at most 100 points. */
export interface ReadCurve {
    post_id: string;
    create_at: number;
    points: CurvePoint[];
    read_count: number;
    unread_count: number;
}
