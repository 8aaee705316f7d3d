// Read times as people say them, in their locale, their Mattermost timezone and their clock (12 or 24
// hours): the time today, "yesterday" and the time, else the date.

import type {IntlShape} from 'react-intl';
import {shallowEqual, useSelector} from 'react-redux';

import {timeSettings} from './user_display';
import type {TimeSettings} from './user_display';

const DAY_MS = 86400000;

/** dayNumber is the calendar day of a moment in a timezone (undefined: the browser's), as days since 1970. */
function dayNumber(ts: number, timeZone?: string): number {
    const parts = new Intl.DateTimeFormat('en-US', {timeZone, year: 'numeric', month: 'numeric', day: 'numeric'}).formatToParts(ts);
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Math.round(Date.UTC(part('year'), part('month') - 1, part('day')) / DAY_MS);
}

/** daysAgo counts calendar days in a timezone between a moment and now: 0 today, 1 yesterday. */
export function daysAgo(ts: number, now: number, timeZone?: string): number {
    return dayNumber(now, timeZone) - dayNumber(ts, timeZone);
}

/** formatWhen formats a read time relative to now, in the user's timezone and clock. */
export function formatWhen(intl: IntlShape, ts: number, settings: TimeSettings = {hour12: true}, now: number = Date.now()): string {
    const zone = settings.timeZone;
    // h23, not hour12: false, which some engines render as "24:05" after midnight.
    const clock: Intl.DateTimeFormatOptions = settings.hour12 ? {hour12: true} : {hourCycle: 'h23'};
    const time = intl.formatTime(ts, {hour: 'numeric', minute: '2-digit', timeZone: zone, ...clock});
    const days = daysAgo(ts, now, zone);
    if (days <= 0) {
        return time;
    }
    if (days === 1) {
        return intl.formatMessage({id: 'readreceipts.time.yesterday', defaultMessage: 'yesterday {time}'}, {time});
    }
    const date = intl.formatDate(ts, {month: 'short', day: 'numeric', year: days > 300 ? 'numeric' : undefined, timeZone: zone});
    return intl.formatMessage({id: 'readreceipts.time.date', defaultMessage: '{date}, {time}'}, {date, time});
}

/** useTimeSettings is the user's timezone and clock, from the web app's state. */
export function useTimeSettings(): TimeSettings {
    return useSelector(timeSettings, shallowEqual);
}
