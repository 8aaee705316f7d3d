import {act, render, screen} from '@testing-library/react';
import React from 'react';
import {IntlProvider, createIntl} from 'react-intl';
import {afterEach, describe, expect, it, vi} from 'vitest';

import {client} from '../../client';
import {settle} from '../../test/store';
import type {ReadCurve as Curve} from '../../types';

import {DAY, HOUR, MINUTE, countAt, stepPath, timeScale} from './curve_math';
import ReadCurve, {summarize} from './read_curve';

const POSTED = new Date(2026, 10, 30, 9, 0).getTime();
const curve = (points: Array<[number, number]>, unread: number): Curve => ({
    post_id: 'p', create_at: POSTED, points: points.map(([after, count]) => ({after_ms: after, read_count: count})),
    read_count: points.length ? points[points.length - 1][1] : 0, unread_count: unread,
});
const intl = createIntl({locale: 'en'});

describe('curve arithmetic', () => {
    it('counts reads at a time as the last point at or before it', () => {
        const points = curve([[MINUTE, 2], [10 * MINUTE, 5], [2 * HOUR, 9]], 1).points;
        expect(countAt(points, 0)).toBe(0);
        expect(countAt(points, 5 * MINUTE)).toBe(2);
        expect(countAt(points, 10 * MINUTE)).toBe(5);
        expect(countAt(points, DAY)).toBe(9);
    });

    it('places times on a log scale that ends at the span', () => {
        const x = timeScale(DAY);
        expect(x(0)).toBe(0);
        expect(x(DAY)).toBe(1);
        expect(x(2 * DAY)).toBe(1);
        expect(x(HOUR)).toBeGreaterThan(0.5);
        expect(x(MINUTE)).toBeGreaterThan(0.3);
    });

    it('draws steps up to the top once everyone has read', () => {
        const d = stepPath(curve([[MINUTE, 1], [HOUR, 2]], 0).points, 2, HOUR, 100, 50);
        expect(d.startsWith('M0,50')).toBe(true);
        expect(d).toContain('V25.0');
        expect(d).toContain('V0.0');
        expect(d.endsWith('H100')).toBe(true);
    });
});

describe('summarize', () => {
    it('names the milestones already passed', () => {
        const c = curve([[MINUTE, 3], [30 * MINUTE, 7], [3 * HOUR, 12]], 3);
        expect(summarize(intl, c, POSTED + 2 * DAY)).toBe('Read by 12 of 15 so far: 3 within 5 minutes, 7 within an hour, 12 within a day.');
        expect(summarize(intl, c, POSTED + 2 * HOUR)).toBe('Read by 12 of 15 so far: 3 within 5 minutes, 7 within an hour.');
        expect(summarize(intl, curve([[MINUTE, 1]], 4), POSTED + 2 * MINUTE)).toBe('Read by 1 of 5 so far.');
    });
});

describe('ReadCurve', () => {
    afterEach(() => {
        vi.restoreAllMocks();
    });

    const show = (c: Curve, now: number) => {
        const getCurve = vi.spyOn(client, 'getCurve').mockResolvedValue(c);
        const utils = render(
            <IntlProvider locale='en'>
                <ReadCurve
                    postId='p'
                    version='1'
                    now={now}
                />
            </IntlProvider>,
        );
        return {getCurve, ...utils};
    };

    it('draws the chart labelled by its summary in words', async () => {
        const {getCurve} = show(curve([[MINUTE, 3], [30 * MINUTE, 7]], 3), POSTED + 3 * HOUR);
        await act(settle);
        expect(getCurve).toHaveBeenCalledWith('p');
        const chart = screen.getByRole('img', {name: 'Read by 7 of 10 so far: 3 within 5 minutes, 7 within an hour.'});
        expect(chart.tagName.toLowerCase()).toBe('svg');
        expect(screen.getByText('Read by 7 of 10 so far: 3 within 5 minutes, 7 within an hour.')).toBeTruthy();
        expect(chart.textContent).toContain('1h');
        expect(chart.textContent).not.toContain('1d');
    });

    it('draws nothing before anyone has read the post', async () => {
        const {container} = show(curve([], 4), POSTED + HOUR);
        await act(settle);
        expect(container.innerHTML).toBe('');
    });
});
