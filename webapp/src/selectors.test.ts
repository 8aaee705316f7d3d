import {describe, expect, it} from 'vitest';

import {viewerHidesReceipts} from './selectors';
import {makeStore} from './test/store';
import type {PluginConfig} from './types';

const config: PluginConfig = {
    enable_direct_messages: true, enable_group_messages: true, enable_private_channels: false, enable_public_channels: false,
    request_mode: 'all', max_channel_members: 5000, privacy_policy: 'user_choice', reciprocal: true, counts_visible_to: 'author',
};

describe('viewerHidesReceipts', () => {
    it.each([
        ['sending', config, true, false],
        ['opted out under Reciprocal', config, false, true],
        ['opted out without Reciprocal', {...config, reciprocal: false}, false, false],
        ['opted out under always_on', {...config, privacy_policy: 'always_on' as const}, false, false],
        ['opted out, config not loaded yet (Reciprocal by default)', null, false, true],
        ['settings not loaded yet', config, undefined, false],
    ])('%s', (_name, cfg, send, expected) => {
        const mySettings = send === undefined ? null : {send_read_receipts: send, can_change: true};
        expect(viewerHidesReceipts(makeStore({plugin: {config: cfg, mySettings}}).getState())).toBe(expected);
    });
});
