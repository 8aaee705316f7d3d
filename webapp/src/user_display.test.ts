import {describe, expect, it} from 'vitest';

import type {GlobalState} from './selectors';
import {makeStore, ME} from './test/store';
import {displayName, nameFormat, timeSettings, userTimezone} from './user_display';

function withSettings(prefs: Record<string, string>, config: Record<string, string> = {}, timezone?: object): GlobalState {
    const state = makeStore().getState();
    state.entities.preferences = {myPreferences: Object.fromEntries(Object.entries(prefs).map(([k, value]) => {
        const [category, name] = k.split('--');
        return [k, {category, name, value}];
    }))};
    state.entities.general = {config};
    state.entities.users.profiles![ME] = {id: ME, username: 'me', timezone};
    return state;
}

describe('teammate name display', () => {
    it('follows the user, the server default, or the locked server setting', () => {
        expect(nameFormat(withSettings({}))).toBe('username');
        expect(nameFormat(withSettings({}, {TeammateNameDisplay: 'full_name'}))).toBe('full_name');
        expect(nameFormat(withSettings({'display_settings--name_format': 'nickname_full_name'}, {TeammateNameDisplay: 'full_name'}))).toBe('nickname_full_name');
        expect(nameFormat(withSettings({'display_settings--name_format': 'username'}, {TeammateNameDisplay: 'full_name', LockTeammateNameDisplay: 'true'}))).toBe('full_name');
    });

    it.each([
        ['username', 'bob'],
        ['full_name', 'Bob Builder'],
        ['nickname_full_name', 'Bobby'],
    ] as const)('%s names a user %s', (format, expected) => {
        expect(displayName({username: 'bob', first_name: 'Bob', last_name: 'Builder', nickname: 'Bobby'}, format)).toBe(expected);
    });

    it('falls back to the username when a name is empty', () => {
        expect(displayName({username: 'bob'}, 'full_name')).toBe('bob');
        expect(displayName({username: 'bob', first_name: 'Bob'}, 'nickname_full_name')).toBe('Bob');
    });
});

describe('time settings', () => {
    it('takes the automatic or the manual timezone, and the clock preference', () => {
        expect(userTimezone({id: ME, username: 'me', timezone: {useAutomaticTimezone: 'true', automaticTimezone: 'Europe/Berlin', manualTimezone: 'Asia/Tokyo'}})).toBe('Europe/Berlin');
        expect(userTimezone({id: ME, username: 'me', timezone: {useAutomaticTimezone: 'false', automaticTimezone: 'Europe/Berlin', manualTimezone: 'Asia/Tokyo'}})).toBe('Asia/Tokyo');
        expect(userTimezone({id: ME, username: 'me'})).toBeUndefined();
        expect(timeSettings(withSettings({'display_settings--use_military_time': 'true'}, {}, {useAutomaticTimezone: 'false', manualTimezone: 'Asia/Tokyo'}))).toEqual({timeZone: 'Asia/Tokyo', hour12: false});
        expect(timeSettings(withSettings({}))).toEqual({timeZone: undefined, hour12: true});
    });
});
