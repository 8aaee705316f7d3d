// When a post counts as seen: at least half of it visible, or (tall posts) filling most of the view,
// for about a second, while the window has focus and the page is visible.

/** The share of a post that must be visible. */
export const MIN_VISIBLE_RATIO = 0.5;

/** The share of the view a tall post must fill. */
export const MIN_VIEW_FILL = 0.8;

/** How long a post must stay in view. */
export const DWELL_MS = 1000;

/** isInView applies the visibility rule to heights in pixels. */
export function isInView(visibleHeight: number, postHeight: number, viewHeight: number): boolean {
    if (visibleHeight <= 0 || postHeight <= 0) {
        return false;
    }
    if (visibleHeight / postHeight >= MIN_VISIBLE_RATIO) {
        return true;
    }
    return viewHeight > 0 && visibleHeight >= MIN_VIEW_FILL * viewHeight;
}

/** isPageActive: the window has focus and the page is not hidden. */
export function isPageActive(doc: Document): boolean {
    return doc.visibilityState === 'visible' && doc.hasFocus();
}

/**
 * postElement finds the element of the whole post around the plugin's anchor inside it: Mattermost's
 * `.post` (center channel, threads, right-hand sidebar), else an element whose id ends with the post id.
 */
export function postElement(anchor: Element, postId: string): Element {
    return anchor.closest('.post') ?? anchor.closest(`[id$="${postId}"]`) ?? anchor.parentElement ?? anchor;
}

/** The height of the view a post is shown in: its nearest scrolling ancestor, else the window. */
function viewHeightOf(el: Element, win: Window): number {
    for (let node = el.parentElement; node; node = node.parentElement) {
        const overflow = win.getComputedStyle(node).overflowY;
        if ((overflow === 'auto' || overflow === 'scroll') && node.clientHeight > 0) {
            return Math.min(node.clientHeight, win.innerHeight);
        }
    }
    return win.innerHeight;
}

export interface SeenTrackerOptions {
    dwellMs?: number;
    win?: Window;
    observerFactory?: (callback: IntersectionObserverCallback, options: IntersectionObserverInit) => IntersectionObserver;
}

/** Seen is what components need of a tracker: observe a post while it is mounted. */
export interface Seen {
    observe(element: Element, postId: string): () => void;
}

const THRESHOLDS = Array.from({length: 21}, (_, i) => i / 20);

/**
 * SeenTracker watches the posts on screen with one IntersectionObserver and calls onSeen for a post
 * once it has been in view for the dwell time while the page is active. A post is reported again only
 * after it left the view (or the page was inactive) and came back; callers de-duplicate.
 */
export class SeenTracker implements Seen {
    private readonly dwellMs: number;
    private readonly win: Window;
    private readonly observer: IntersectionObserver | null;
    private readonly posts = new Map<Element, string>();
    private readonly inView = new Set<Element>();
    private readonly timers = new Map<Element, ReturnType<typeof setTimeout>>();
    private readonly fired = new Set<Element>();

    constructor(private readonly onSeen: (postId: string) => void, options: SeenTrackerOptions = {}) {
        this.dwellMs = options.dwellMs ?? DWELL_MS;
        this.win = options.win ?? window;
        const factory = options.observerFactory ??
            (typeof IntersectionObserver === 'undefined' ? null : (cb: IntersectionObserverCallback, init: IntersectionObserverInit) => new IntersectionObserver(cb, init));
        this.observer = factory ? factory((entries) => this.onEntries(entries), {threshold: THRESHOLDS}) : null;
        this.win.addEventListener('focus', this.onActivityChange);
        this.win.addEventListener('blur', this.onActivityChange);
        this.win.document.addEventListener('visibilitychange', this.onActivityChange);
    }

    /** observe watches a post's element until the returned function is called. */
    observe(element: Element, postId: string): () => void {
        this.posts.set(element, postId);
        this.observer?.observe(element);
        return () => {
            this.observer?.unobserve(element);
            this.posts.delete(element);
            this.inView.delete(element);
            this.fired.delete(element);
            this.cancel(element);
        };
    }

    /** postIds lists the posts currently mounted on screen. */
    postIds(): string[] {
        return [...new Set(this.posts.values())];
    }

    /** rescan re-arms the posts in view, e.g. once it is known that the user sends receipts. */
    rescan(): void {
        this.fired.clear();
        this.armAll();
    }

    destroy(): void {
        this.observer?.disconnect();
        for (const el of [...this.timers.keys()]) {
            this.cancel(el);
        }
        this.posts.clear();
        this.inView.clear();
        this.win.removeEventListener('focus', this.onActivityChange);
        this.win.removeEventListener('blur', this.onActivityChange);
        this.win.document.removeEventListener('visibilitychange', this.onActivityChange);
    }

    private onEntries(entries: IntersectionObserverEntry[]): void {
        for (const entry of entries) {
            const el = entry.target;
            if (!this.posts.has(el)) {
                continue;
            }
            const visible = entry.isIntersecting ? entry.intersectionRect.height : 0;
            if (isInView(visible, entry.boundingClientRect.height, viewHeightOf(el, this.win))) {
                this.inView.add(el);
                this.arm(el);
            } else {
                this.inView.delete(el);
                this.fired.delete(el);
                this.cancel(el);
            }
        }
    }

    private readonly onActivityChange = (): void => {
        if (isPageActive(this.win.document)) {
            this.armAll();
            return;
        }
        for (const el of [...this.timers.keys()]) {
            this.cancel(el);
        }
        // Whatever is in view must be seen again, for a full dwell, once the user is back.
        this.fired.clear();
    };

    private armAll(): void {
        for (const el of this.inView) {
            this.arm(el);
        }
    }

    private arm(el: Element): void {
        if (this.timers.has(el) || this.fired.has(el) || !isPageActive(this.win.document)) {
            return;
        }
        this.timers.set(el, setTimeout(() => {
            this.timers.delete(el);
            const postId = this.posts.get(el);
            if (postId && this.inView.has(el) && isPageActive(this.win.document)) {
                this.fired.add(el);
                this.onSeen(postId);
            }
        }, this.dwellMs));
    }

    private cancel(el: Element): void {
        const timer = this.timers.get(el);
        if (timer !== undefined) {
            clearTimeout(timer);
            this.timers.delete(el);
        }
    }
}
