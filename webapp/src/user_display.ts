// How the user wants to see people and times: Mattermost's "Teammate name display", timezone and
// clock settings, read from the web app's state (never the browser's own timezone or clock).

import type {UserProfile} from './mattermost';
import type {GlobalState} from './selectors';

export type NameFormat = 'username' | 'nickname_full_name' | 'full_name';

function preference(state: GlobalState, category: string, name: string): string | undefined {
    return state.entities.preferences?.myPreferences?.[`${category}--${name}`]?.value;
}

function asNameFormat(value: string | undefined): NameFormat | undefined {
    return value === 'username' || value === 'nickname_full_name' || value === 'full_name' ? value : undefined;
}

/**
 * nameFormat is the user's teammate name display: their own choice, unless the admin locked the
 * server's; the server's default otherwise.
 */
export function nameFormat(state: GlobalState): NameFormat {
    const config = state.entities.general?.config ?? {};
    const server = asNameFormat(config.TeammateNameDisplay) ?? 'username';
    if (config.LockTeammateNameDisplay === 'true') {
        return server;
    }
    return asNameFormat(preference(state, 'display_settings', 'name_format')) ?? server;
}

/** displayName names a user in a format; a name that is empty falls back to the username. */
export function displayName(user: Pick<UserProfile, 'username' | 'first_name' | 'last_name' | 'nickname'>, format: NameFormat): string {
    const full = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
    if (format === 'full_name') {
        return full || user.username;
    }
    if (format === 'nickname_full_name') {
        return user.nickname?.trim() || full || user.username;
    }
    return user.username;
}

export interface TimeSettings {

    /** An IANA zone, or undefined for the browser's. */
    timeZone?: string;
    hour12: boolean;
}

/** userTimezone is the zone of the user's Mattermost settings (automatic or manual). */
export function userTimezone(user: UserProfile | undefined): string | undefined {
    const tz = user?.timezone;
    if (!tz) {
        return undefined;
    }
    const automatic = tz.useAutomaticTimezone === true || tz.useAutomaticTimezone === 'true';
    const zone = automatic ? tz.automaticTimezone : tz.manualTimezone;
    return zone || undefined;
}

/** timeSettings: the user's timezone and whether they use a 12-hour clock (the default). */
export function timeSettings(state: GlobalState): TimeSettings {
    const me = state.entities.users.profiles?.[state.entities.users.currentUserId];
    return {
        timeZone: userTimezone(me),
        hour12: preference(state, 'display_settings', 'use_military_time') !== 'true',
    };
}

/** currentLocale is the user's Mattermost language, 'en' when unknown. */
export function currentLocale(state: GlobalState): string {
    const me = state.entities.users.profiles?.[state.entities.users.currentUserId];
    return me?.locale || 'en';
}
