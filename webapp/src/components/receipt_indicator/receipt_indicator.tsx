import React from 'react';
import {useIntl} from 'react-intl';

import type {Theme} from '../../mattermost';
import {formatWhen} from '../../time';
import type {TimeSettings} from '../../user_display';
import type {Receipt} from '../../types';

/** The visual states: one-to-one sent/read; group none/some/all read. */
export type IndicatorState = 'sent' | 'read' | 'none' | 'some' | 'all';

/**
 * indicatorState derives what to draw from a receipt; user_id is set only for one-to-one posts. A
 * group post with no one left to count (all recipients left or were deactivated) is just sent.
 */
export function indicatorState(receipt: Receipt): IndicatorState {
    if (receipt.user_id) {
        return receipt.is_peer_read ? 'read' : 'sent';
    }
    if (receipt.read_count === 0 && receipt.unread_count === 0) {
        return 'sent';
    }
    if (receipt.read_count === 0) {
        return 'none';
    }
    return receipt.unread_count > 0 ? 'some' : 'all';
}

export interface ReceiptIndicatorProps {
    receipt: Receipt;
    theme?: Theme;

    /** Opens the list of readers (the author's group posts). */
    onOpen?: () => void;

    /** The user's timezone and clock; the browser's and 12 hours when absent. */
    time?: TimeSettings;
    now?: number;
}

// The theme's text colour, faded only as far as WCAG AA allows (4.5:1 against the centre background,
// in Mattermost's light and dark themes alike; the browser test measures it).
const GREY = 'rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.76)';

/** ReceiptIndicator draws ✓ or ✓✓ for one post, with its meaning in words for hover and screen readers. */
export default function ReceiptIndicator({receipt, theme, onOpen, time, now}: ReceiptIndicatorProps) {
    const intl = useIntl();
    const state = indicatorState(receipt);
    const highlight = theme?.linkColor ?? theme?.buttonBg ?? 'var(--link-color, #1c58d9)';
    const color = state === 'read' || state === 'all' ? highlight : GREY;
    const icon = state === 'sent' || state === 'none' ? '✓' : '✓✓';

    let label: string;
    let text = '';
    if (state === 'sent') {
        label = intl.formatMessage({id: 'readreceipts.indicator.sent', defaultMessage: 'Sent'});
    } else if (state === 'read') {
        label = receipt.timestamp > 0 ?
            intl.formatMessage({id: 'readreceipts.indicator.read_at', defaultMessage: 'Read {when}'}, {when: formatWhen(intl, receipt.timestamp, time, now)}) :
            intl.formatMessage({id: 'readreceipts.indicator.read', defaultMessage: 'Read'});
    } else {
        text = intl.formatMessage(
            {id: 'readreceipts.indicator.read_by', defaultMessage: 'Read by {count} of {total}'},
            {count: receipt.read_count, total: receipt.read_count + receipt.unread_count},
        );
        label = text;
    }
    if (state === 'read' && (receipt.edited_at ?? 0) > receipt.timestamp && receipt.timestamp > 0) {
        label = intl.formatMessage({id: 'readreceipts.indicator.edited_after_read', defaultMessage: '{label}, edited after read'}, {label});
    }

    const content = (
        <>
            <span
                aria-hidden='true'
                style={{color, fontSize: 14, fontWeight: 700, letterSpacing: icon.length > 1 ? '-0.3em' : 0, marginRight: text ? 6 : 0}}
            >{icon}</span>
            {text && <span style={{color: GREY}}>{text}</span>}
        </>
    );

    const style: React.CSSProperties = {
        display: 'inline-flex',
        alignItems: 'center',
        height: 16,
        fontSize: 12,
        lineHeight: '16px',
        padding: 0,
        border: 'none',
        background: 'none',
        fontFamily: 'inherit',
        color: 'inherit',
    };

    if (onOpen) {
        return (
            <button
                type='button'
                className='readreceipts-indicator'
                data-state={state}
                aria-label={intl.formatMessage({id: 'readreceipts.indicator.open', defaultMessage: '{label}. Show who has read it'}, {label})}
                title={label}
                onClick={onOpen}
                style={{...style, cursor: 'pointer'}}
            >{content}</button>
        );
    }
    return (
        <span
            className='readreceipts-indicator'
            data-state={state}
            role='img'
            aria-label={label}
            title={label}
            style={style}
        >{content}</span>
    );
}
