import {useEffect, useMemo, useState} from 'react';
import {useSelector} from 'react-redux';

import {client} from '../../client';
import type {UserProfile} from '../../mattermost';
import type {GlobalState} from '../../selectors';
import {displayName, nameFormat} from '../../user_display';
import type {Reader} from '../../types';

type Names = Record<string, UserProfile | undefined>;

/**
 * useDisplayNames names readers as the user's "Teammate name display" says. Profiles come from the
 * web app's state; those it lacks are loaded once, in one request per new batch of readers.
 */
export function useDisplayNames(readers: Reader[]): (reader: Reader) => string {
    const format = useSelector(nameFormat);
    const known = useSelector((s: GlobalState) => s.entities.users.profiles);
    const [loaded, setLoaded] = useState<Names>({});

    const missing = useMemo(() => (format === 'username' ? [] : readers.map((r) => r.user_id).filter((id) => !known?.[id] && !(id in loaded))), [format, readers, known, loaded]);
    const key = missing.join(',');

    useEffect(() => {
        if (!key) {
            return undefined;
        }
        const ids = key.split(',');
        let live = true;
        client.getProfiles(ids).then((users) => {
            const next: Names = Object.fromEntries(ids.map((id) => [id, undefined]));
            for (const u of users) {
                next[u.id] = u;
            }
            if (live) {
                setLoaded((prev) => ({...prev, ...next}));
            }
        }, () => {
            // Without the profiles the usernames stand in: the list stays usable.
            if (live) {
                setLoaded((prev) => ({...prev, ...Object.fromEntries(ids.map((id) => [id, undefined]))}));
            }
        });
        return () => {
            live = false;
        };
    }, [key]);

    return (reader: Reader) => {
        const profile = known?.[reader.user_id] ?? loaded[reader.user_id];
        return displayName({...profile, username: reader.username}, format);
    };
}
