import React, {useEffect, useId, useState} from 'react';
import {useIntl} from 'react-intl';
import type {IntlShape} from 'react-intl';

import {client} from '../../client';
import type {ReadCurve as Curve} from '../../types';

import {DAY, HOUR, MILESTONES, countAt, stepPath, timeScale} from './curve_math';

const WIDTH = 360;
const HEIGHT = 64;
const AXIS = 'rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.24)';
const LINE = 'var(--button-bg, #1c58d9)';

const styles: Record<string, React.CSSProperties> = {
    figure: {margin: 0, padding: '4px 20px 8px'},
    svg: {display: 'block', width: '100%', height: 'auto', overflow: 'visible'},
    caption: {fontSize: 12, opacity: 0.72, marginTop: 4},
};

function milestoneText(intl: IntlShape, at: number, count: number): string {
    switch (at) {
    case HOUR:
        return intl.formatMessage({id: 'readreceipts.curve.within_hour', defaultMessage: '{count} within an hour'}, {count});
    case DAY:
        return intl.formatMessage({id: 'readreceipts.curve.within_day', defaultMessage: '{count} within a day'}, {count});
    }
    return intl.formatMessage({id: 'readreceipts.curve.within_5min', defaultMessage: '{count} within 5 minutes'}, {count});
}

/** summarize says in words what the chart shows: the total, then counts at the milestones already passed. */
export function summarize(intl: IntlShape, curve: Curve, now: number): string {
    const elapsed = now - curve.create_at;
    const parts = MILESTONES.filter((at) => at <= elapsed).map((at) => milestoneText(intl, at, countAt(curve.points, at)));
    const total = curve.read_count + curve.unread_count;
    if (parts.length === 0) {
        return intl.formatMessage({id: 'readreceipts.curve.summary_new', defaultMessage: 'Read by {count} of {total} so far.'}, {count: curve.read_count, total});
    }
    return intl.formatMessage(
        {id: 'readreceipts.curve.summary', defaultMessage: 'Read by {count} of {total} so far: {milestones}.'},
        {count: curve.read_count, total, milestones: parts.join(', ')},
    );
}

const TICKS: Array<[number, string]> = [[5 * 60_000, '5m'], [HOUR, '1h'], [DAY, '1d'], [7 * DAY, '7d']];

export interface ReadCurveProps {
    postId: string;

    /** A new version (the receipt changed) loads the curve again. */
    version: string;
    now?: number;
}

/**
 * ReadCurve is a small chart of how many recipients had read a post over the time since it was
 * posted, with the same in words beside it for everyone (and for screen readers, who get only the
 * words). It draws nothing until someone has read the post.
 */
export default function ReadCurve({postId, version, now}: ReadCurveProps) {
    const intl = useIntl();
    const captionId = useId();
    const [curve, setCurve] = useState<Curve | null>(null);

    useEffect(() => {
        let live = true;
        client.getCurve(postId).then((c) => live && setCurve(c), () => live && setCurve(null));
        return () => {
            live = false;
        };
    }, [postId, version]);

    if (!curve || curve.read_count === 0) {
        return null;
    }
    const at = now ?? Date.now();
    const last = curve.points[curve.points.length - 1]?.after_ms ?? 0;
    const span = Math.max(at - curve.create_at, last);
    const x = timeScale(span);
    const total = curve.read_count + curve.unread_count;
    const path = stepPath(curve.points, total, span, WIDTH, HEIGHT);

    return (
        <figure
            className='readreceipts-curve'
            style={styles.figure}
        >
            <svg
                role='img'
                aria-labelledby={captionId}
                viewBox={`0 0 ${WIDTH} ${HEIGHT + 14}`}
                style={styles.svg}
            >
                <path
                    d={`${path} V${HEIGHT} Z`}
                    fill={LINE}
                    fillOpacity={0.12}
                    stroke='none'
                />
                <path
                    d={path}
                    fill='none'
                    stroke={LINE}
                    strokeWidth={2}
                    vectorEffect='non-scaling-stroke'
                />
                <line
                    x1={0}
                    x2={WIDTH}
                    y1={HEIGHT}
                    y2={HEIGHT}
                    stroke={AXIS}
                />
                {[
                    ...TICKS.filter(([t]) => x(t) < 0.93).map(([t, label]): [number, string, 'middle' | 'end'] => [x(t) * WIDTH, label, 'middle']),
                    [WIDTH, intl.formatMessage({id: 'readreceipts.curve.now', defaultMessage: 'now'}), 'end'] as [number, string, 'end'],
                ].map(([px, label, anchor]) => (
                    <text
                        key={label}
                        x={px}
                        y={HEIGHT + 12}
                        fontSize={10}
                        textAnchor={anchor}
                        fill='currentColor'
                        opacity={0.64}
                        aria-hidden='true'
                    >{label}</text>
                ))}
            </svg>
            <figcaption
                id={captionId}
                style={styles.caption}
            >{summarize(intl, curve, at)}</figcaption>
        </figure>
    );
}
