// When a post counts as seen: at least half of it visible, or (tall posts) filling most of the view,
// not covered by anything (a modal, an expanded panel, a menu), for about a second, while the window
// has focus and the page is visible.

import {findPostRoots, isPostAreaCovered} from './post_roots';

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

    /** Whether the observer reports occlusion (IntersectionObserver v2); detected when absent. */
    occlusionAware?: boolean;
}

const THRESHOLDS = Array.from({length: 21}, (_, i) => i / 20);

/** How often Chromium re-checks occlusion (v2 allows no less than 100 ms). */
const VISIBILITY_DELAY_MS = 100;

/** supportsOcclusion: the browser's IntersectionObserver reports `isVisible` (Chromium, Electron). */
export function supportsOcclusion(): boolean {
    return typeof IntersectionObserverEntry !== 'undefined' && 'isVisible' in IntersectionObserverEntry.prototype;
}

/**
 * SeenTracker watches post elements with one IntersectionObserver and calls onSeen for a post once it
 * has been in view for the dwell time while the page is active. Where the browser reports occlusion,
 * a covered post is not in view; elsewhere nothing is reported while a modal or an expanded panel is
 * open. A post is reported again only after it left the view (or the page was inactive) and came
 * back; callers de-duplicate. Each element is one post's own root, so two posts never share an entry.
 */
export class SeenTracker {
    private readonly dwellMs: number;
    private readonly win: Window;
    private readonly occlusionAware: boolean;
    private readonly observer: IntersectionObserver | null;
    private readonly posts = new Map<Element, string>();
    private readonly inView = new Set<Element>();
    private readonly timers = new Map<Element, ReturnType<typeof setTimeout>>();
    private readonly fired = new Set<Element>();

    constructor(private readonly onSeen: (postId: string) => void, options: SeenTrackerOptions = {}) {
        this.dwellMs = options.dwellMs ?? DWELL_MS;
        this.win = options.win ?? window;
        const native = typeof IntersectionObserver === 'undefined' ? null : (cb: IntersectionObserverCallback, init: IntersectionObserverInit) => new IntersectionObserver(cb, init);
        const factory = options.observerFactory ?? native;
        this.occlusionAware = options.occlusionAware ?? (options.observerFactory ? false : supportsOcclusion());
        const init: IntersectionObserverInit & {trackVisibility?: boolean; delay?: number} = {threshold: THRESHOLDS};
        if (this.occlusionAware) {
            init.trackVisibility = true;
            init.delay = VISIBILITY_DELAY_MS;
        }
        this.observer = factory ? factory((entries) => this.onEntries(entries), init) : null;
        this.win.addEventListener('focus', this.onActivityChange);
        this.win.addEventListener('blur', this.onActivityChange);
        this.win.document.addEventListener('visibilitychange', this.onActivityChange);
    }

    /** watch starts watching a post's root element (again watching the same element is a no-op). */
    watch(element: Element, postId: string): void {
        if (this.posts.get(element) === postId) {
            return;
        }
        this.unwatch(element);
        this.posts.set(element, postId);
        this.observer?.observe(element);
    }

    /** unwatch stops watching an element. */
    unwatch(element: Element): void {
        if (!this.posts.has(element)) {
            return;
        }
        this.observer?.unobserve(element);
        this.posts.delete(element);
        this.inView.delete(element);
        this.fired.delete(element);
        this.cancel(element);
    }

    /** watched lists the elements being watched. */
    watched(): Element[] {
        return [...this.posts.keys()];
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
            const uncovered = !this.occlusionAware || (entry as IntersectionObserverEntry & {isVisible?: boolean}).isVisible === true;
            const visible = entry.isIntersecting && uncovered ? entry.intersectionRect.height : 0;
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
            if (!postId || !this.inView.has(el) || !isPageActive(this.win.document)) {
                return;
            }
            if (!this.occlusionAware && isPostAreaCovered(this.win.document)) {
                // Without occlusion reports, a dwell counts only while nothing is open over the posts.
                this.arm(el);
                return;
            }
            this.fired.add(el);
            this.onSeen(postId);
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

/** How long after the page changed the post roots are looked for again. */
const SCAN_DELAY_MS = 100;

/**
 * PostRootScanner keeps a tracker watching every post root in the document: it looks for them when
 * the page's elements change (batched), and stops watching roots that left the page.
 */
export class PostRootScanner {
    private readonly mutations: MutationObserver | null;
    private timer: ReturnType<typeof setTimeout> | null = null;

    constructor(private readonly tracker: SeenTracker, private readonly doc: Document, private readonly onChange: () => void = () => undefined) {
        this.mutations = typeof MutationObserver === 'undefined' ? null : new MutationObserver(() => this.schedule());
        this.mutations?.observe(doc.body, {childList: true, subtree: true});
        this.scan();
    }

    /** scan syncs the tracker with the post roots on the page now. */
    scan(): void {
        this.timer = null;
        const before = new Set(this.tracker.watched());
        const present = new Set<Element>();
        let changed = false;
        for (const {element, postId} of findPostRoots(this.doc)) {
            present.add(element);
            changed = changed || !before.has(element);
            this.tracker.watch(element, postId);
        }
        for (const element of before) {
            if (!present.has(element)) {
                this.tracker.unwatch(element);
                changed = true;
            }
        }
        if (changed) {
            this.onChange();
        }
    }

    destroy(): void {
        this.mutations?.disconnect();
        if (this.timer !== null) {
            clearTimeout(this.timer);
        }
    }

    private schedule(): void {
        this.timer ??= setTimeout(() => this.scan(), SCAN_DELAY_MS);
    }
}
