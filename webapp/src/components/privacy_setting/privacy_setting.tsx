import React, {useEffect, useState} from 'react';
import {useIntl} from 'react-intl';
import {useSelector} from 'react-redux';

import {closeSettings, loadConfig, loadMySettings, setSendReadReceipts} from '../../actions';
import {usePluginDispatch} from '../../hooks';
import {ClientError} from '../../client';
import {getPluginState} from '../../selectors';
import Dialog from '../dialog/dialog';
import type {GlobalState} from '../../selectors';

import PrivacySummary from './privacy_summary';

const styles: Record<string, React.CSSProperties> = {
    label: {display: 'flex', alignItems: 'center', gap: 8, fontWeight: 600},
    help: {margin: '4px 0 0 24px', opacity: 0.76},
    error: {margin: '4px 0 0 24px', color: 'var(--error-text, #d24b4e)'},
};

/** PrivacySetting is the "Send read receipts" user setting. */
export default function PrivacySetting() {
    const intl = useIntl();
    const dispatch = usePluginDispatch();
    const settings = useSelector((s: GlobalState) => getPluginState(s).mySettings);
    const config = useSelector((s: GlobalState) => getPluginState(s).config);
    const [pending, setPending] = useState<boolean | null>(null);
    const [error, setError] = useState('');

    useEffect(() => {
        dispatch(loadMySettings());
        dispatch(loadConfig());
    }, [dispatch]);

    const locked = settings ? !settings.can_change : false;
    const checked = locked || (pending ?? settings?.send_read_receipts === true);

    // The box shows the user's choice at once; it goes back if the server refuses it.
    const onChange = async (send: boolean) => {
        setPending(send);
        setError('');
        try {
            await dispatch(setSendReadReceipts(send));
        } catch (err) {
            setError(err instanceof ClientError && err.status === 403 ?
                intl.formatMessage({id: 'readreceipts.privacy.forbidden', defaultMessage: 'Your system admin does not let you change this.'}) :
                intl.formatMessage({id: 'readreceipts.privacy.failed', defaultMessage: 'Could not save. Try again.'}));
        } finally {
            setPending(null);
        }
    };

    const help = config?.reciprocal === false ?
        intl.formatMessage({id: 'readreceipts.privacy.help', defaultMessage: 'When off, people don’t see when you have read their messages.'}) :
        intl.formatMessage({id: 'readreceipts.privacy.help_reciprocal', defaultMessage: 'When off, people don’t see when you have read their messages, and you don’t see when they have read yours.'});

    return (
        <div className='readreceipts-privacy'>
            <label style={styles.label}>
                <input
                    type='checkbox'
                    checked={checked}
                    disabled={!settings || locked || pending !== null}
                    onChange={(e) => onChange(e.target.checked)}
                />
                {intl.formatMessage({id: 'readreceipts.privacy.label', defaultMessage: 'Send read receipts'})}
            </label>
            <p style={styles.help}>{help}</p>
            {settings && pending === null && (
                <PrivacySummary
                    settings={settings}
                    config={config}
                />
            )}
            {locked && (
                <p style={styles.help}>
                    {intl.formatMessage({id: 'readreceipts.privacy.locked', defaultMessage: 'Your system admin has turned read receipts on for everyone.'})}
                </p>
            )}
            {error && <p
                role='alert'
                style={styles.error}
            >{error}</p>}
        </div>
    );
}

/** PrivacySettingModal is the fallback for hosts without registerUserSettings. */
export function PrivacySettingModal() {
    const intl = useIntl();
    const dispatch = usePluginDispatch();
    const open = useSelector((s: GlobalState) => getPluginState(s).settingsOpen);
    if (!open) {
        return null;
    }
    const title = intl.formatMessage({id: 'readreceipts.privacy.title', defaultMessage: 'Read receipts settings'});
    const close = () => dispatch(closeSettings());
    return (
        <Dialog
            label={title}
            width={420}
            onClose={close}
        >
            <div style={{padding: 20}}>
                <h2 style={{fontSize: 18, marginTop: 0}}>{title}</h2>
                <PrivacySetting/>
                <div style={{textAlign: 'right', marginTop: 16}}>
                    <button
                        type='button'
                        onClick={close}
                    >{intl.formatMessage({id: 'readreceipts.privacy.done', defaultMessage: 'Done'})}</button>
                </div>
            </div>
        </Dialog>
    );
}

/** PrivacySettingLabel is the main menu item of the fallback. */
export function PrivacySettingLabel() {
    const intl = useIntl();
    return <span>{intl.formatMessage({id: 'readreceipts.privacy.menu', defaultMessage: 'Read receipts settings'})}</span>;
}
