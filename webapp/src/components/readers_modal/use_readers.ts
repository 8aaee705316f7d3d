import {useCallback, useEffect, useRef, useState} from 'react';

import {client} from '../../client';
import type {Reader, ReaderFilter} from '../../types';

export interface ReadersList {
    users: Reader[];
    loading: boolean;
    finished: boolean;
    failed: boolean;
    loadMore: () => void;
}

export const PAGE_SIZE = 50;

/**
 * useReaders pages through one list of a post's readers with the server's cursor. A new `version`
 * (the receipt changed) starts the list again from the first page.
 */
export function useReaders(postId: string, filter: ReaderFilter, version: string): ReadersList {
    const [users, setUsers] = useState<Reader[]>([]);
    const [loading, setLoading] = useState(false);
    const [finished, setFinished] = useState(false);
    const [failed, setFailed] = useState(false);
    const cursor = useRef('');
    const generation = useRef(0);
    const inFlight = useRef(false);

    const fetchPage = useCallback(async (gen: number) => {
        inFlight.current = true;
        setLoading(true);
        try {
            const page = await client.getReaders(postId, filter, cursor.current, PAGE_SIZE);
            if (gen !== generation.current) {
                return;
            }
            cursor.current = page.next_cursor;
            setUsers((prev) => {
                const seen = new Set(prev.map((u) => u.user_id));
                return [...prev, ...page.users.filter((u) => !seen.has(u.user_id))];
            });
            setFinished(page.is_finished || !page.next_cursor);
        } catch {
            if (gen === generation.current) {
                setFailed(true);
            }
        } finally {
            if (gen === generation.current) {
                inFlight.current = false;
                setLoading(false);
            }
        }
    }, [postId, filter]);

    useEffect(() => {
        generation.current += 1;
        cursor.current = '';
        setUsers([]);
        setFinished(false);
        setFailed(false);
        fetchPage(generation.current);
    }, [fetchPage, version]);

    const loadMore = useCallback(() => {
        if (!inFlight.current && !finished && !failed) {
            fetchPage(generation.current);
        }
    }, [fetchPage, finished, failed]);

    return {users, loading, finished, failed, loadMore};
}
