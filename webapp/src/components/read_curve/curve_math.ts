// The arithmetic of the read curve, apart from drawing it: counts at given times, and where a time
// falls on the chart's time axis.

import type {CurvePoint} from '../../types';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** MILESTONES are the times after posting that the summary names. */
export const MILESTONES = [5 * MINUTE, HOUR, DAY] as const;

/** countAt is how many had read the post afterMs after it was posted (the curve is a step function). */
export function countAt(points: CurvePoint[], afterMs: number): number {
    let count = 0;
    for (const p of points) {
        if (p.after_ms > afterMs) {
            break;
        }
        count = p.read_count;
    }
    return count;
}

/**
 * timeScale maps a time after posting to 0..1 across a span. It is logarithmic (from one second), so
 * that the first minutes, when most people read, are as visible as the following day.
 */
export function timeScale(span: number): (afterMs: number) => number {
    const total = Math.log1p(Math.max(span, MINUTE) / 1000);
    return (afterMs) => Math.min(1, Math.log1p(Math.max(0, afterMs) / 1000) / total);
}

/** stepPath draws the cumulative curve as an SVG path in a width × height box, up to span. */
export function stepPath(points: CurvePoint[], total: number, span: number, width: number, height: number): string {
    const x = timeScale(span);
    const y = (count: number) => height - (height * count) / Math.max(total, 1);
    const parts = [`M0,${height}`];
    for (const p of points) {
        const px = (x(p.after_ms) * width).toFixed(1);
        parts.push(`H${px}`, `V${y(p.read_count).toFixed(1)}`);
    }
    parts.push(`H${width}`);
    return parts.join(' ');
}
