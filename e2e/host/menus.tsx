// The two menus where the web app puts plugin menu items: the channel header menu, whose plugin items
// sit in its "More actions" submenu on desktop widths, and a post's "Message actions" menu, which runs
// each item's filter once, when it opens (a filter is not run again while it stays open).

import React, {useState} from 'react';
import {useSelector, useStore} from 'react-redux';

import {resolve} from './plugin_slot';
import type {HostState, Registered} from './store';

const s: Record<string, React.CSSProperties> = {
    menu: {position: 'absolute', background: 'var(--center-channel-bg)', color: 'var(--center-channel-color)', border: '1px solid rgba(var(--center-channel-color-rgb), .16)', borderRadius: 4, boxShadow: '0 4px 12px rgba(0,0,0,.15)', zIndex: 30, listStyle: 'none', margin: 0, padding: 4, minWidth: 260},
    item: {display: 'block', width: '100%', textAlign: 'left', background: 'none', border: 'none', padding: '6px 8px', cursor: 'pointer', color: 'inherit'},
};

/** MenuItems lists registered actions as menu items, each called with target. */
function MenuItems({items, target, onDone}: {items: Registered[]; target: string; onDone: () => void}) {
    return (
        <>
            {items.map((i) => (
                <li
                    key={i.id}
                    role='none'
                ><button
                    type='button'
                    role='menuitem'
                    style={s.item}
                    onClick={() => {
                        onDone();
                        (i.action as (id: string) => void)(target);
                    }}
                >{resolve(i.text)}</button></li>
            ))}
        </>
    );
}

/** ChannelHeaderMenu opens from the channel name; plugin items are under "More actions". */
export function ChannelHeaderMenu({title}: {title: string}) {
    const items = useSelector((state: HostState) => state.slots.ChannelHeader ?? []);
    const channelId = useSelector((state: HostState) => state.entities.channels.currentChannelId);
    const store = useStore();
    const [open, setOpen] = useState(false);
    const [more, setMore] = useState(false);
    const close = () => {
        setOpen(false);
        setMore(false);
    };
    const visible = items.filter((i) => !i.shouldRender || (i.shouldRender as (st: unknown) => boolean)(store.getState()));
    return (
        <span style={{position: 'relative'}}>
            <button
                id='channelHeaderTitle'
                type='button'
                aria-haspopup='menu'
                aria-expanded={open}
                onClick={() => (open ? close() : setOpen(true))}
                style={{fontWeight: 700, background: 'none', border: 'none', color: 'inherit', cursor: 'pointer'}}
            >{`${title} ▾`}</button>
            {open && (
                <ul
                    role='menu'
                    aria-label='Channel menu'
                    style={{...s.menu, left: 0}}
                >
                    <li role='none'><button
                        type='button'
                        role='menuitem'
                        style={s.item}
                        onClick={close}
                    >{'View Info'}</button></li>
                    {visible.length > 0 && (
                        <li
                            role='none'
                            style={{position: 'relative'}}
                            onMouseEnter={() => setMore(true)}
                        >
                            <button
                                type='button'
                                role='menuitem'
                                aria-haspopup='menu'
                                aria-expanded={more}
                                style={s.item}
                                onClick={() => setMore(true)}
                            >{'More actions ›'}</button>
                            {more && (
                                <ul
                                    role='menu'
                                    aria-label='More actions'
                                    style={{...s.menu, left: '100%', top: 0}}
                                >
                                    <MenuItems
                                        items={visible}
                                        target={channelId}
                                        onDone={close}
                                    />
                                </ul>
                            )}
                        </li>
                    )}
                </ul>
            )}
        </span>
    );
}

/** MessageActions is the "…" button that a post shows on hover, and its menu. */
export function MessageActions({postId, onReply}: {postId: string; onReply?: () => void}) {
    const items = useSelector((state: HostState) => state.slots.PostDropdownMenu ?? []);
    const [open, setOpen] = useState<Registered[] | null>(null);
    const toggle = () => {
        // The filters run now, when the menu opens, and not again while it is open.
        setOpen(open ? null : items.filter((i) => !i.filter || (i.filter as (id: string) => boolean)(postId)));
    };
    return (
        <span
            className='post-menu'
            data-open={open ? 'true' : undefined}
            style={{position: 'absolute', right: 0, top: 4}}
        >
            <button
                type='button'
                aria-label='Message actions'
                aria-haspopup='menu'
                onClick={toggle}
            >{'⋯'}</button>
            {open && (
                <ul
                    role='menu'
                    aria-label='Message actions'
                    style={{...s.menu, right: 0}}
                >
                    {onReply && <li role='none'><button
                        type='button'
                        role='menuitem'
                        style={s.item}
                        onClick={() => {
                            setOpen(null);
                            onReply();
                        }}
                    >{'Reply'}</button></li>}
                    <MenuItems
                        items={open}
                        target={postId}
                        onDone={() => setOpen(null)}
                    />
                </ul>
            )}
        </span>
    );
}
