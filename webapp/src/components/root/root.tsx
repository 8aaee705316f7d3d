import React, {useEffect} from 'react';
import {useSelector} from 'react-redux';

import {loadChannelSettings} from '../../actions';
import {loadComposerRequest} from '../../composer_storage';
import {usePluginDispatch} from '../../hooks';
import {getCurrentChannelId, getPluginState} from '../../selectors';
import type {GlobalState} from '../../selectors';
import {PrivacySettingModal} from '../privacy_setting/privacy_setting';
import ReadersModal from '../readers_modal/readers_modal';

/**
 * Root is mounted once at the root of the app: it keeps the current channel's settings loaded and
 * hosts the plugin's dialogs.
 */
export default function Root() {
    const dispatch = usePluginDispatch();
    const channelId = useSelector(getCurrentChannelId);
    const known = useSelector((s: GlobalState) => Boolean(getPluginState(s).channels[channelId]));

    useEffect(() => {
        if (channelId) {
            dispatch(loadComposerRequest(channelId));
        }
    }, [dispatch, channelId]);

    useEffect(() => {
        if (channelId && !known) {
            dispatch(loadChannelSettings(channelId));
        }
    }, [dispatch, channelId, known]);

    return (
        <>
            <ReadersModal/>
            <PrivacySettingModal/>
        </>
    );
}
