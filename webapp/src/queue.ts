// PostQueue collects post ids from many components and hands them over in few, large batches.

export interface QueueOptions {

    /** Wait this long after the last addition before flushing. */
    delayMs: number;

    /** Flush at the latest this long after the first pending addition. */
    maxWaitMs: number;

    /** The most ids in one flush (the API's batch limit). */
    maxBatch: number;
}

/** PostQueue debounces additions and flushes unique ids in batches of at most maxBatch. */
export class PostQueue {
    private readonly pending = new Set<string>();
    private timer: ReturnType<typeof setTimeout> | null = null;
    private firstAt = 0;

    constructor(
        private readonly flush: (postIds: string[]) => void,
        private readonly options: QueueOptions,
    ) {}

    add(postIds: string[]): void {
        for (const id of postIds) {
            this.pending.add(id);
        }
        if (this.pending.size === 0) {
            return;
        }
        const now = Date.now();
        if (this.firstAt === 0) {
            this.firstAt = now;
        }
        if (this.timer !== null) {
            clearTimeout(this.timer);
        }
        const wait = Math.min(this.options.delayMs, this.options.maxWaitMs - (now - this.firstAt));
        this.timer = setTimeout(() => this.run(), Math.max(0, wait));
    }

    /** size is the number of ids waiting for the next flush. */
    get size(): number {
        return this.pending.size;
    }

    private run(): void {
        const ids = [...this.pending];
        this.pending.clear();
        this.timer = null;
        this.firstAt = 0;
        for (let i = 0; i < ids.length; i += this.options.maxBatch) {
            this.flush(ids.slice(i, i + this.options.maxBatch));
        }
    }
}
