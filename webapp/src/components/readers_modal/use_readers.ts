import {useCallback, useEffect, useRef, useState} from 'react';

import {client, ClientError} from '../../client';
import type {Reader, ReaderFilter} from '../../types';

export interface ReadersList {
    users: Reader[];
    loading: boolean;
    finished: boolean;
    failed: boolean;

    /** The server's error id when the list cannot be had (e.g. `not_tracked`), else ''. */
    errorId: string;
    loadMore: () => void;
}

export const PAGE_SIZE = 50;

interface Loaded {
    users: Reader[];
    cursor: string;
    finished: boolean;
}

/** loadPages reads pages from a cursor (at least one) until it has `want` users or the list ends. */
async function loadPages(postId: string, filter: ReaderFilter, from: Loaded, want: number): Promise<Loaded> {
    let {users, cursor, finished} = from;
    do {
        const page = await client.getReaders(postId, filter, cursor, PAGE_SIZE);
        const seen = new Set(users.map((u) => u.user_id));
        users = [...users, ...page.users.filter((u) => !seen.has(u.user_id))];
        cursor = page.next_cursor;
        finished = page.is_finished || !page.next_cursor;
    } while (!finished && users.length < want);
    return {users, cursor, finished};
}

const START: Loaded = {users: [], cursor: '', finished: false};

/**
 * useReaders pages through one list of a post's readers with the server's cursor. A new `version`
 * (the receipt changed) reloads as much of the list as is shown, and swaps it in whole when it has
 * arrived: the list on screen never empties, so it keeps its scroll position. Nothing is asked while
 * `version` is empty (the receipt is not known yet, or the post has none).
 */
export function useReaders(postId: string, filter: ReaderFilter, version: string): ReadersList {
    const [loaded, setLoaded] = useState<Loaded>(START);
    const [loading, setLoading] = useState(true);
    const [failed, setFailed] = useState(false);
    const [errorId, setErrorId] = useState('');
    const current = useRef<Loaded>(START);
    const generation = useRef(0);
    const inFlight = useRef(false);

    const run = useCallback(async (from: Loaded, want: number) => {
        const gen = ++generation.current;
        inFlight.current = true;
        setLoading(true);
        try {
            const next = await loadPages(postId, filter, from, want);
            if (gen === generation.current) {
                current.current = next;
                setLoaded(next);
                setFailed(false);
            }
        } catch (err) {
            if (gen === generation.current) {
                setFailed(true);
                setErrorId(err instanceof ClientError ? err.id : '');
            }
        } finally {
            if (gen === generation.current) {
                inFlight.current = false;
                setLoading(false);
            }
        }
    }, [postId, filter]);

    useEffect(() => {
        if (version) {
            run(START, current.current.users.length);
        }
    }, [run, version]);

    const loadMore = useCallback(() => {
        if (version && !inFlight.current && !current.current.finished && !failed) {
            run(current.current, current.current.users.length + 1);
        }
    }, [run, failed, version]);

    return {users: loaded.users, loading, finished: loaded.finished, failed, errorId, loadMore};
}
