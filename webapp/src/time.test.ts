import {createIntl} from 'react-intl';
import {describe, expect, it} from 'vitest';

import {daysAgo, formatWhen} from './time';

const intl = createIntl({locale: 'en', defaultLocale: 'en'});

// 2026-11-30 23:30 UTC is already 2026-12-01 08:30 in Tokyo.
const READ = Date.UTC(2026, 10, 30, 23, 30);

describe('formatWhen', () => {
    it('formats in the user\'s timezone and clock, not the browser\'s', () => {
        expect(formatWhen(intl, READ, {timeZone: 'Asia/Tokyo', hour12: false}, READ)).toBe('08:30');
        expect(formatWhen(intl, READ, {timeZone: 'UTC', hour12: true}, READ)).toBe('11:30 PM');
        expect(formatWhen(intl, READ, {timeZone: 'UTC', hour12: false}, READ)).toBe('23:30');
    });

    it('counts days in the user\'s timezone', () => {
        const now = Date.UTC(2026, 11, 1, 1, 0);
        expect(daysAgo(READ, now, 'UTC')).toBe(1);
        expect(daysAgo(READ, now, 'Asia/Tokyo')).toBe(0);
        expect(formatWhen(intl, READ, {timeZone: 'UTC', hour12: false}, now)).toBe('yesterday 23:30');
    });
});
