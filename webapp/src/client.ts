// Every HTTP call of the webapp goes through this file.

import type {
    ChannelSettings,
    MySettings,
    PluginConfig,
    QueryResult,
    ReadCurve,
    ReaderFilter,
    ReadersPage,
    ReadsResult,
} from './types';
import {pluginId} from './manifest';
import type {UserProfile} from './mattermost';

/** ClientError keeps the HTTP status and the server's stable error id. */
export class ClientError extends Error {
    readonly status: number;
    readonly id: string;

    constructor(status: number, message: string, id = '') {
        super(message);
        this.name = 'ClientError';
        this.status = status;
        this.id = id;
    }
}

/** The most post ids one batch request may carry (API.md). */
export const MAX_BATCH = 200;

function csrfToken(): string {
    const match = document.cookie.split(';').map((c) => c.trim()).find((c) => c.startsWith('MMCSRF='));
    return match ? decodeURIComponent(match.slice('MMCSRF='.length)) : '';
}

async function errorFrom(response: Response): Promise<ClientError> {
    let message = `request failed with status ${response.status}`;
    let id = '';
    try {
        const body: unknown = await response.json();
        if (body && typeof body === 'object') {
            const b = body as {error?: unknown; id?: unknown};
            if (typeof b.error === 'string') {
                message = b.error;
            }
            if (typeof b.id === 'string') {
                id = b.id;
            }
        }
    } catch {
        // The body was not JSON; the status says enough.
    }
    return new ClientError(response.status, message, id);
}

/** Client calls the plugin's API under the site URL, the way Mattermost's Client4 authenticates. */
export class Client {
    private siteURL = '';

    /** setSiteURL sets the server's address; empty means the page's own origin. */
    setSiteURL(url: string): void {
        this.siteURL = url.replace(/\/+$/, '');
    }

    get apiURL(): string {
        return `${this.siteURL}/plugins/${pluginId}/api/v1`;
    }

    /** userImageURL is the address of a user's profile picture. */
    userImageURL(userId: string): string {
        return `${this.siteURL}/api/v4/users/${encodeURIComponent(userId)}/image`;
    }

    private request<T>(method: string, path: string, body?: unknown): Promise<T> {
        return this.send(method, this.apiURL + path, body);
    }

    private async send<T>(method: string, url: string, body?: unknown): Promise<T> {
        const headers: Record<string, string> = {
            Accept: 'application/json',
            'X-Requested-With': 'XMLHttpRequest',
        };
        const token = csrfToken();
        if (token) {
            headers['X-CSRF-Token'] = token;
        }
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
        }
        let response: Response;
        try {
            response = await fetch(url, {
                method,
                headers,
                credentials: 'include',
                body: body === undefined ? undefined : JSON.stringify(body),
            });
        } catch (err) {
            throw new ClientError(0, err instanceof Error ? err.message : 'network error');
        }
        if (!response.ok) {
            throw await errorFrom(response);
        }
        return await response.json() as T;
    }

    getConfig(): Promise<PluginConfig> {
        return this.request('GET', '/config');
    }

    queryReceipts(postIds: string[]): Promise<QueryResult> {
        return this.request('POST', '/receipts/query', {post_ids: postIds});
    }

    reportReads(postIds: string[]): Promise<ReadsResult> {
        return this.request('POST', '/reads', {post_ids: postIds});
    }

    getReaders(postId: string, filter: ReaderFilter, cursor = '', perPage = 50): Promise<ReadersPage> {
        const query = new URLSearchParams({filter, per_page: String(perPage)});
        if (cursor) {
            query.set('cursor', cursor);
        }
        return this.request('GET', `/posts/${encodeURIComponent(postId)}/readers?${query.toString()}`);
    }

    getCurve(postId: string): Promise<ReadCurve> {
        return this.request('GET', `/posts/${encodeURIComponent(postId)}/curve`);
    }

    getChannelSettings(channelId: string): Promise<ChannelSettings> {
        return this.request('GET', `/channels/${encodeURIComponent(channelId)}/settings`);
    }

    setChannelEnabled(channelId: string, enabled: boolean): Promise<ChannelSettings> {
        return this.request('PUT', `/channels/${encodeURIComponent(channelId)}/settings`, {enabled});
    }

    getMySettings(): Promise<MySettings> {
        return this.request('GET', '/me/settings');
    }

    setSendReadReceipts(send: boolean): Promise<MySettings> {
        return this.request('PUT', '/me/settings', {send_read_receipts: send});
    }

    /** getProfiles loads users' profiles from Mattermost's own API (names for the readers list). */
    getProfiles(userIds: string[]): Promise<UserProfile[]> {
        return this.send('POST', `${this.siteURL}/api/v4/users/ids`, userIds);
    }
}

/** client is the one instance the plugin uses. */
export const client = new Client();
