import {afterEach, describe, expect, it, vi} from 'vitest';

import {Client, ClientError} from './client';

function respond(status: number, body: unknown) {
    return vi.fn(async () => new Response(JSON.stringify(body), {status, headers: {'Content-Type': 'application/json'}}));
}

describe('Client', () => {
    afterEach(() => {
        document.cookie = 'MMCSRF=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    });

    it('sends the headers Mattermost needs to accept a cookie session', async () => {
        document.cookie = 'MMCSRF=token123';
        const fetchMock = respond(200, {receipts: [], skipped: []});
        vi.stubGlobal('fetch', fetchMock);
        const c = new Client();
        c.setSiteURL('http://mm.example/');

        await c.queryReceipts(['a', 'b']);

        const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
        expect(url).toBe('http://mm.example/plugins/readreceipts/api/v1/receipts/query');
        expect(init.method).toBe('POST');
        expect(init.credentials).toBe('include');
        expect(init.headers).toMatchObject({'X-Requested-With': 'XMLHttpRequest', 'X-CSRF-Token': 'token123'});
        expect(JSON.parse(init.body as string)).toEqual({post_ids: ['a', 'b']});
    });

    it('builds the readers query with filter, cursor and page size', async () => {
        const fetchMock = respond(200, {users: [], next_cursor: '', is_finished: true, read_count: 0, unread_count: 0});
        vi.stubGlobal('fetch', fetchMock);
        await new Client().getReaders('p1', 'unread', 'next', 20);
        const [url] = fetchMock.mock.calls[0] as unknown as [string];
        expect(url).toBe('/plugins/readreceipts/api/v1/posts/p1/readers?filter=unread&per_page=20&cursor=next');
    });

    it('throws an error that keeps the status and the error id', async () => {
        vi.stubGlobal('fetch', respond(403, {error: 'not allowed', id: 'api.forbidden'}));
        const err = await new Client().setSendReadReceipts(false).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ClientError);
        expect(err).toMatchObject({status: 403, id: 'api.forbidden', message: 'not allowed'});
    });

    it('reports a failed network as status 0', async () => {
        vi.stubGlobal('fetch', vi.fn(async () => {
            throw new TypeError('Failed to fetch');
        }));
        const err = await new Client().getConfig().catch((e: unknown) => e);
        expect(err).toMatchObject({status: 0});
    });
});
