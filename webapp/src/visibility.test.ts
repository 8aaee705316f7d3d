import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import {SeenTracker, isInView, postElement} from './visibility';

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

describe('postElement', () => {
    it('finds the .post around the anchor, else the element named after the post', () => {
        document.body.innerHTML = '<div class="post" id="x"><div id="inner_abc"><span id="a1"></span></div></div>' +
            '<div id="rhsPost_abc"><div><span id="a2"></span></div></div><div id="other"><span id="a3"></span></div>';
        expect(postElement(document.getElementById('a1')!, 'abc').id).toBe('x');
        expect(postElement(document.getElementById('a2')!, 'abc').id).toBe('rhsPost_abc');
        expect(postElement(document.getElementById('a3')!, 'abc').id).toBe('other');
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
    show(el: Element, visible: number, height = 100) {
        const entry = {
            target: el,
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
        tracker.observe(el, 'p1');
        FakeObserver.last!.show(el, 100);
        vi.advanceTimersByTime(999);
        expect(seen).toEqual([]);
        vi.advanceTimersByTime(1);
        expect(seen).toEqual(['p1']);
        vi.advanceTimersByTime(5000);
        expect(seen).toEqual(['p1']);
    });

    it('does not report a post that left the view too soon', () => {
        tracker.observe(el, 'p1');
        FakeObserver.last!.show(el, 100);
        vi.advanceTimersByTime(500);
        FakeObserver.last!.show(el, 10);
        vi.advanceTimersByTime(2000);
        expect(seen).toEqual([]);
    });

    it('waits for the window to have focus', () => {
        focused = false;
        tracker.observe(el, 'p1');
        FakeObserver.last!.show(el, 100);
        vi.advanceTimersByTime(3000);
        expect(seen).toEqual([]);

        focused = true;
        window.dispatchEvent(new Event('focus'));
        vi.advanceTimersByTime(1000);
        expect(seen).toEqual(['p1']);
    });

    it('stops the clock when the window loses focus', () => {
        tracker.observe(el, 'p1');
        FakeObserver.last!.show(el, 100);
        vi.advanceTimersByTime(600);
        focused = false;
        window.dispatchEvent(new Event('blur'));
        vi.advanceTimersByTime(3000);
        expect(seen).toEqual([]);
    });

    it('forgets posts that unmount, and lists those on screen', () => {
        const other = document.createElement('div');
        const stop = tracker.observe(el, 'p1');
        tracker.observe(other, 'p2');
        expect(tracker.postIds().sort()).toEqual(['p1', 'p2']);
        FakeObserver.last!.show(el, 100);
        stop();
        vi.advanceTimersByTime(2000);
        expect(seen).toEqual([]);
        expect(tracker.postIds()).toEqual(['p2']);
    });

    it('reports posts in view again after a rescan', () => {
        tracker.observe(el, 'p1');
        FakeObserver.last!.show(el, 100);
        vi.advanceTimersByTime(1000);
        tracker.rescan();
        vi.advanceTimersByTime(1000);
        expect(seen).toEqual(['p1', 'p1']);
    });
});
