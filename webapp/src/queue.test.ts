import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import {PostQueue} from './queue';

describe('PostQueue', () => {
    beforeEach(() => {
        vi.useFakeTimers();
    });
    afterEach(() => {
        vi.useRealTimers();
    });

    it('hands additions made close together over in one batch, without duplicates', () => {
        const flushed: string[][] = [];
        const q = new PostQueue((ids) => flushed.push(ids), {delayMs: 100, maxWaitMs: 1000, maxBatch: 200});
        q.add(['a']);
        vi.advanceTimersByTime(50);
        q.add(['b', 'a']);
        vi.advanceTimersByTime(50);
        q.add(['c']);
        expect(flushed).toEqual([]);
        vi.advanceTimersByTime(100);
        expect(flushed).toEqual([['a', 'b', 'c']]);
        expect(q.size).toBe(0);
    });

    it('splits large batches at the API limit', () => {
        const flushed: string[][] = [];
        const q = new PostQueue((ids) => flushed.push(ids), {delayMs: 10, maxWaitMs: 100, maxBatch: 200});
        q.add(Array.from({length: 450}, (_, i) => `p${i}`));
        vi.advanceTimersByTime(10);
        expect(flushed.map((b) => b.length)).toEqual([200, 200, 50]);
    });

    it('flushes by the maximum wait even while additions keep coming', () => {
        const flushed: string[][] = [];
        const q = new PostQueue((ids) => flushed.push(ids), {delayMs: 100, maxWaitMs: 300, maxBatch: 200});
        for (let i = 0; i < 5; i++) {
            q.add([`p${i}`]);
            vi.advanceTimersByTime(80);
        }
        expect(flushed.length).toBe(1);
        expect(flushed[0]).toEqual(['p0', 'p1', 'p2', 'p3']);
    });

    it('does nothing for an empty addition', () => {
        const flush = vi.fn();
        const q = new PostQueue(flush, {delayMs: 10, maxWaitMs: 100, maxBatch: 200});
        q.add([]);
        vi.advanceTimersByTime(1000);
        expect(flush).not.toHaveBeenCalled();
    });
});
