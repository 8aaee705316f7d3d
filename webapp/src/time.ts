// Read times as people say them, in their locale: the time today, "yesterday" and the time, else the date.

import type {IntlShape} from 'react-intl';

/** daysAgo counts calendar days (local time) between a moment and now: 0 today, 1 yesterday. */
export function daysAgo(ts: number, now: number): number {
    const start = (t: number) => {
        const d = new Date(t);
        return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    };
    return Math.round((start(now) - start(ts)) / 86400000);
}

/** formatWhen formats a read time relative to now. */
export function formatWhen(intl: IntlShape, ts: number, now: number = Date.now()): string {
    const time = intl.formatTime(ts, {hour: 'numeric', minute: '2-digit'});
    const days = daysAgo(ts, now);
    if (days <= 0) {
        return time;
    }
    if (days === 1) {
        return intl.formatMessage({id: 'readreceipts.time.yesterday', defaultMessage: 'yesterday {time}'}, {time});
    }
    const date = intl.formatDate(ts, {month: 'short', day: 'numeric', year: days > 300 ? 'numeric' : undefined});
    return intl.formatMessage({id: 'readreceipts.time.date', defaultMessage: '{date}, {time}'}, {date, time});
}
