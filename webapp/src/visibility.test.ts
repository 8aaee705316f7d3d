import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import {PostRootScanner, SeenTracker, isInView} from './visibility';

describe('isInView', () => {
    it.each([
        ['fully visible', 100, 100, 800, true],
        ['exactly half visible', 50, 100, 800, true],
        ['less than half visible', 49, 100, 800, false],
        ['a tall post filling most of the view', 700, 3000, 800, true],
        ['a tall post filling a third of the view', 300, 3000, 800, false],
        ['not visible', 0, 100, 800, false],
        ['no size', 0, 0, 800, false],
    ])('%s', (_name, visible, height, view, expected) => {
        expect(isInView(visible, height, view)).toBe(expected);
    });
});

/** A fake IntersectionObserver that the test drives by hand. */
class FakeObserver {
    static last: FakeObserver | null = null;
    readonly targets = new Set<Element>();
    constructor(private readonly callback: IntersectionObserverCallback) {
        FakeObserver.last = this;
    }
    observe(el: Element) {
        this.targets.add(el);
    }
    unobserve(el: Element) {
        this.targets.delete(el);
    }
    disconnect() {
        this.targets.clear();
    }
    show(el: Element, visible: number, height = 100, uncovered = true) {
        const entry = {
            target: el,
            isVisible: uncovered,
            isIntersecting: visible > 0,
            intersectionRect: {height: visible},
            boundingClientRect: {height},
        } as unknown as IntersectionObserverEntry;
        this.callback([entry], this as unknown as IntersectionObserver);
    }
}

describe('SeenTracker', () => {
    let focused = true;
    let seen: string[];
    let tracker: SeenTracker;
    let el: HTMLElement;

    beforeEach(() => {
        vi.useFakeTimers();
        focused = true;
        vi.spyOn(document, 'hasFocus').mockImplementation(() => focused);
        seen = [];
        tracker = new SeenTracker((id) => seen.push(id), {
            observerFactory: (cb) => new FakeObserver(cb) as unknown as IntersectionObserver,
        });
        el = document.createElement('div');
        document.body.appendChild(el);
    });
    afterEach(() => {
        tracker.destroy();
        vi.useRealTimers();
        document.body.innerHTML = '';
    });

    it('reports a post after it was in view for a second', () => {
        tracker.watch(el, 'p1');
        FakeObserver.last!.show(el, 100);
        vi.advanceTimersByTime(999);
        expect(seen).toEqual([]);
        vi.advanceTimersByTime(1);
        expect(seen).toEqual(['p1']);
        vi.advanceTimersByTime(5000);
        expect(seen).toEqual(['p1']);
    });

    it('does not report a post that left the view too soon', () => {
        tracker.watch(el, 'p1');
        FakeObserver.last!.show(el, 100);
        vi.advanceTimersByTime(500);
        FakeObserver.last!.show(el, 10);
        vi.advanceTimersByTime(2000);
        expect(seen).toEqual([]);
    });

    it('waits for the window to have focus', () => {
        focused = false;
        tracker.watch(el, 'p1');
        FakeObserver.last!.show(el, 100);
        vi.advanceTimersByTime(3000);
        expect(seen).toEqual([]);

        focused = true;
        window.dispatchEvent(new Event('focus'));
        vi.advanceTimersByTime(1000);
        expect(seen).toEqual(['p1']);
    });

    it('stops the clock when the window loses focus', () => {
        tracker.watch(el, 'p1');
        FakeObserver.last!.show(el, 100);
        vi.advanceTimersByTime(600);
        focused = false;
        window.dispatchEvent(new Event('blur'));
        vi.advanceTimersByTime(3000);
        expect(seen).toEqual([]);
    });

    it('forgets posts that unmount, and lists those on screen', () => {
        const other = document.createElement('div');
        tracker.watch(el, 'p1');
        tracker.watch(other, 'p2');
        expect(tracker.postIds().sort()).toEqual(['p1', 'p2']);
        FakeObserver.last!.show(el, 100);
        tracker.unwatch(el);
        vi.advanceTimersByTime(2000);
        expect(seen).toEqual([]);
        expect(tracker.postIds()).toEqual(['p2']);
    });

    it('reports posts in view again after a rescan', () => {
        tracker.watch(el, 'p1');
        FakeObserver.last!.show(el, 100);
        vi.advanceTimersByTime(1000);
        tracker.rescan();
        vi.advanceTimersByTime(1000);
        expect(seen).toEqual(['p1', 'p1']);
    });

    it('without occlusion reports, waits while a modal is open over the posts', () => {
        tracker.watch(el, 'p1');
        const modal = document.createElement('div');
        modal.className = 'modal show';
        document.body.appendChild(modal);
        FakeObserver.last!.show(el, 100);
        vi.advanceTimersByTime(3000);
        expect(seen).toEqual([]);
        modal.remove();
        vi.advanceTimersByTime(1000);
        expect(seen).toEqual(['p1']);
    });
});

describe('SeenTracker with occlusion reports (IntersectionObserver v2)', () => {
    afterEach(() => {
        vi.useRealTimers();
        document.body.innerHTML = '';
    });

    it('asks the observer to track visibility, and counts a covered post as out of view until uncovered', () => {
        vi.useFakeTimers();
        vi.spyOn(document, 'hasFocus').mockReturnValue(true);
        const seen: string[] = [];
        let init: IntersectionObserverInit & {trackVisibility?: boolean; delay?: number} = {};
        const tracker = new SeenTracker((id) => seen.push(id), {
            occlusionAware: true,
            observerFactory: (cb, options) => {
                init = options;
                return new FakeObserver(cb) as unknown as IntersectionObserver;
            },
        });
        expect(init.trackVisibility).toBe(true);
        expect(init.delay).toBeGreaterThanOrEqual(100);
        const el = document.createElement('div');
        tracker.watch(el, 'p1');
        FakeObserver.last!.show(el, 100, 100, false);
        vi.advanceTimersByTime(3000);
        expect(seen).toEqual([]);
        FakeObserver.last!.show(el, 100, 100, true);
        vi.advanceTimersByTime(1000);
        expect(seen).toEqual(['p1']);
        tracker.destroy();
    });
});

describe('PostRootScanner', () => {
    afterEach(() => {
        vi.useRealTimers();
        document.body.innerHTML = '';
    });

    const ID_A = 'a'.repeat(26);
    const ID_B = 'b'.repeat(26);
    const ID_C = 'c'.repeat(26);

    it('watches every post root on the page, in every place, once per post root, and lets go of removed ones', async () => {
        vi.useFakeTimers();
        document.body.innerHTML = `<div class="post" id="post_${ID_A}"><div class="post-preview"><span class="readreceipts-post"></span></div></div>` +
            `<div class="post" id="rhsPost_${ID_B}"></div><div class="post" id="not-a-post"></div><div id="post_${ID_C}_message"></div>`;
        const tracker = new SeenTracker(() => undefined, {observerFactory: (cb) => new FakeObserver(cb) as unknown as IntersectionObserver});
        let changes = 0;
        const scanner = new PostRootScanner(tracker, document, () => {
            changes += 1;
        });
        expect(tracker.postIds().sort()).toEqual([ID_A, ID_B]);
        expect(changes).toBe(1);

        const added = document.createElement('div');
        added.className = 'post';
        added.id = `searchResult_${ID_C}`;
        document.body.appendChild(added);
        document.getElementById(`post_${ID_A}`)!.remove();
        await vi.advanceTimersByTimeAsync(200);
        expect(tracker.postIds().sort()).toEqual([ID_B, ID_C]);
        expect(changes).toBe(2);
        scanner.destroy();
        tracker.destroy();
    });
});
