import React from 'react';
import {useIntl} from 'react-intl';

import {useTimeSettings} from '../../time';
import type {MySettings, PluginConfig} from '../../types';

const style: React.CSSProperties = {margin: '8px 0 0 24px'};

interface Props {
    settings: MySettings;
    config: PluginConfig | null;
}

/**
 * PrivacySummary says in words what others see of the user: whether they
 * send receipts, whether the admin requires it, what reciprocity hides from
 * them, and since when their choice holds (the same as `/receipts privacy`).
 */
export default function PrivacySummary({settings, config}: Props) {
    const intl = useIntl();
    const time = useTimeSettings();
    const parts: string[] = [];
    if (settings.send_read_receipts || !settings.can_change) {
        parts.push(intl.formatMessage({id: 'readreceipts.privacy.summary.sending', defaultMessage: 'Others see when you have read their messages that ask for read receipts.'}));
    } else {
        parts.push(intl.formatMessage({id: 'readreceipts.privacy.summary.not_sending', defaultMessage: 'Nobody sees whether or when you have read their messages.'}));
        if (config?.reciprocal !== false) {
            parts.push(intl.formatMessage({id: 'readreceipts.privacy.summary.reciprocal', defaultMessage: 'Because of that, you do not see who has read your messages either.'}));
        }
    }
    if (!settings.can_change) {
        parts.push(intl.formatMessage({id: 'readreceipts.privacy.summary.forced', defaultMessage: 'Your system admin requires read receipts for everyone.'}));
    } else if (settings.since) {
        parts.push(intl.formatMessage(
            {id: 'readreceipts.privacy.summary.since', defaultMessage: 'This has been your choice since {when}.'},
            {when: intl.formatDate(settings.since, {dateStyle: 'medium', timeStyle: 'short', timeZone: time.timeZone, hourCycle: time.hour12 ? 'h12' : 'h23'})},
        ));
    } else {
        parts.push(intl.formatMessage({id: 'readreceipts.privacy.summary.default', defaultMessage: 'This is the default; you have never changed it.'}));
    }
    return (
        <p
            className='readreceipts-privacy-summary'
            style={style}
            aria-live='polite'
        >{parts.join(' ')}</p>
    );
}
