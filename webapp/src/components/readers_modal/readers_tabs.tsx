import React, {useEffect, useRef} from 'react';
import {useIntl} from 'react-intl';

import {client} from '../../client';
import {formatWhen, useTimeSettings} from '../../time';
import type {ReaderFilter} from '../../types';

import {useDisplayNames} from './use_display_names';
import type {ReadersList} from './use_readers';

/** How close to the end of a list (px) scrolling loads the next page. */
const LOAD_MARGIN = 48;

const FILTERS: ReaderFilter[] = ['read', 'unread'];

const styles: Record<string, React.CSSProperties> = {
    tabs: {display: 'flex', gap: 16, padding: '0 20px', borderBottom: '1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16)'},
    panel: {height: 320, overflowY: 'auto', padding: '8px 20px'},
    list: {listStyle: 'none', margin: 0, padding: 0},
    row: {display: 'flex', alignItems: 'center', gap: 10, padding: '6px 0'},
    avatar: {width: 32, height: 32, borderRadius: '50%', background: 'rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.08)'},
    name: {flex: 1, fontWeight: 600},
    time: {fontSize: 12, color: 'rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.76)'},
    note: {padding: '12px 0', margin: 0, color: 'rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.76)'},
};

function tabStyle(active: boolean): React.CSSProperties {
    return {
        // The link colour, not the button colour: as text it keeps 4.5:1 in the light and dark themes.
        border: 'none', background: 'none', padding: '8px 0', cursor: 'pointer', color: active ? 'var(--link-color, #386fe5)' : 'inherit',
        borderBottom: active ? '2px solid var(--link-color, #386fe5)' : '2px solid transparent', fontWeight: 600,
    };
}

/** BeforeEditMark tells the author that this reader read the text before the last edit. */
function BeforeEditMark() {
    const intl = useIntl();
    return (
        <span
            className='readreceipts-before-edit'
            title={intl.formatMessage({id: 'readreceipts.readers.before_edit_hint', defaultMessage: 'Read before your last edit'})}
            style={styles.time}
        >{intl.formatMessage({id: 'readreceipts.readers.before_edit', defaultMessage: 'before edit'})}</span>
    );
}

const tabId = (filter: ReaderFilter) => `readreceipts-readers-tab-${filter}`;
const panelId = (filter: ReaderFilter) => `readreceipts-readers-panel-${filter}`;

function ReaderRows({list, filter, hidden}: {list: ReadersList; filter: ReaderFilter; hidden: boolean}) {
    const intl = useIntl();
    const time = useTimeSettings();
    const nameOf = useDisplayNames(list.users);
    const ref = useRef<HTMLDivElement>(null);

    const maybeLoadMore = () => {
        const el = ref.current;
        if (el && !hidden && el.scrollHeight - el.scrollTop - el.clientHeight < LOAD_MARGIN) {
            list.loadMore();
        }
    };

    // A first page that does not fill the list cannot be scrolled: ask for the next one right away.
    useEffect(maybeLoadMore, [list.users.length, list.loading, hidden]); // eslint-disable-line react-hooks/exhaustive-deps

    let note = '';
    if (list.failed) {
        note = intl.formatMessage({id: 'readreceipts.readers.failed', defaultMessage: 'Could not load the list. Close and try again.'});
    } else if (list.loading && list.users.length === 0) {
        note = intl.formatMessage({id: 'readreceipts.readers.loading', defaultMessage: 'Loading…'});
    } else if (!list.loading && list.users.length === 0) {
        note = filter === 'read' ?
            intl.formatMessage({id: 'readreceipts.readers.none_read', defaultMessage: 'No one has read it yet.'}) :
            intl.formatMessage({id: 'readreceipts.readers.all_read', defaultMessage: 'Everyone has read it.'});
    }

    return (
        <div
            ref={ref}
            role='tabpanel'
            id={panelId(filter)}
            aria-labelledby={tabId(filter)}
            tabIndex={0}
            hidden={hidden}
            style={styles.panel}
            onScroll={maybeLoadMore}
        >
            <ul
                role='list'
                style={styles.list}
            >
                {list.users.map((u) => (
                    <li
                        key={u.user_id}
                        style={styles.row}
                        title={`@${u.username}`}
                    >
                        <img
                            src={client.userImageURL(u.user_id)}
                            alt=''
                            style={styles.avatar}
                        />
                        <span style={styles.name}>{nameOf(u)}</span>
                        {filter === 'read' && u.read_at > 0 && <span style={styles.time}>{formatWhen(intl, u.read_at, time)}</span>}
                        {filter === 'read' && u.before_edit && <BeforeEditMark/>}
                    </li>
                ))}
            </ul>
            {note && <p style={styles.note}>{note}</p>}
        </div>
    );
}

export interface ReadersTabsProps {
    lists: Record<ReaderFilter, ReadersList>;
    counts: Record<ReaderFilter, number>;
    tab: ReaderFilter;
    onTab: (tab: ReaderFilter) => void;
    tabRef: React.RefObject<HTMLButtonElement>;
}

/** ReadersTabs is the "Read" / "Not read yet" tab list and the selected list (arrow keys move between tabs). */
export default function ReadersTabs({lists, counts, tab, onTab, tabRef}: ReadersTabsProps) {
    const intl = useIntl();
    const labels: Record<ReaderFilter, string> = {
        read: intl.formatMessage({id: 'readreceipts.readers.tab_read', defaultMessage: 'Read ({count})'}, {count: counts.read}),
        unread: intl.formatMessage({id: 'readreceipts.readers.tab_unread', defaultMessage: 'Not read yet ({count})'}, {count: counts.unread}),
    };

    const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
        const at = FILTERS.indexOf(tab);
        const next: Record<string, number> = {ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: FILTERS.length - 1};
        if (!(e.key in next)) {
            return;
        }
        e.preventDefault();
        const target = FILTERS[(next[e.key] + FILTERS.length) % FILTERS.length];
        onTab(target);
        e.currentTarget.querySelector<HTMLElement>(`#${tabId(target)}`)?.focus();
    };

    return (
        <>
            <div
                role='tablist'
                aria-label={intl.formatMessage({id: 'readreceipts.readers.lists', defaultMessage: 'Readers'})}
                style={styles.tabs}
                onKeyDown={onKeyDown}
            >
                {FILTERS.map((f) => (
                    <button
                        key={f}
                        ref={f === tab ? tabRef : undefined}
                        type='button'
                        role='tab'
                        id={tabId(f)}
                        aria-selected={f === tab}
                        aria-controls={panelId(f)}
                        tabIndex={f === tab ? 0 : -1}
                        style={tabStyle(f === tab)}
                        onClick={() => onTab(f)}
                    >{labels[f]}</button>
                ))}
            </div>
            {FILTERS.map((f) => (
                <ReaderRows
                    key={f}
                    list={lists[f]}
                    filter={f}
                    hidden={f !== tab}
                />
            ))}
        </>
    );
}
