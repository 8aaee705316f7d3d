// The plugin's main paths on the host page: one-to-one and group receipts, the readers list, the
// channel switch, privacy, and per-message requests.

import assert from 'node:assert/strict';
import path from 'node:path';

import {
    ARTIFACTS,
    PLUGIN,
    api,
    channelMenuItem,
    closeChannelMenu,
    eventually,
    indicator,
    openChannel,
    post,
    query,
    screenshot,
    setPluginSettings,
    waitForState,
} from '../lib.mjs';

export const tests = [];
const test = (name, fn) => tests.push({name, fn});

test('a direct message turns from ✓ into ✓✓ on the sender\'s page when the recipient has seen it', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.dm.id);
    const p = await post(ctx.users.alice, ctx.dm.id, `Hello Bob (${ctx.run})`);

    const sent = alice.page.locator(indicator(p.id));
    await sent.waitFor({timeout: 10000});
    assert.equal(await sent.getAttribute('data-state'), 'sent');
    assert.equal(await sent.getAttribute('aria-label'), 'Sent');
    assert.equal(await sent.textContent(), '✓');
    await screenshot(alice, 'alice-dm-before');

    await openChannel(bob, ctx.dm.id);
    await bob.page.locator(`#post_${p.id}`).waitFor();

    await waitForState(alice, p.id, 'read');
    assert.match(await sent.getAttribute('title'), /^Read \d{1,2}:\d\d [AP]M$/);
    assert.equal(await sent.textContent(), '✓✓');
    await screenshot(alice, 'alice-dm-after');

    assert.ok(bob.reads.includes(p.id), 'bob\'s page reported the read itself');
    const {receipts} = await query(ctx.users.alice, p.id);
    assert.equal(receipts[0]?.is_peer_read, true);
});

test('in a group message, the readers list shows who read and who did not', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.gm.id);
    const p = await post(ctx.users.alice, ctx.gm.id, `Hello group (${ctx.run})`);
    const el = alice.page.locator(indicator(p.id));
    await el.waitFor({timeout: 10000});
    assert.equal(await el.getAttribute('data-state'), 'none');

    await openChannel(bob, ctx.gm.id);
    await waitForState(alice, p.id, 'some');
    assert.equal(await el.textContent(), '✓✓Read by 1 of 2');

    await el.click();
    const dialog = alice.page.getByRole('dialog', {name: 'Read receipts'});
    await dialog.getByRole('tab', {name: 'Read (1)'}).waitFor();
    await dialog.getByRole('tabpanel').getByText(ctx.users.bob.fullName).waitFor();
    assert.equal(await dialog.getByRole('tabpanel').getByText(ctx.users.carol.fullName).count(), 0);
    await dialog.getByRole('tab', {name: 'Not read yet (1)'}).click();
    await dialog.getByRole('tabpanel').getByText(ctx.users.carol.fullName).waitFor();
    assert.equal(await dialog.getByRole('tabpanel').getByText(ctx.users.bob.fullName).count(), 0);
    await screenshot(alice, 'alice-group-readers');
    await dialog.getByRole('button', {name: 'Close'}).click();
});

test('the channel menu turns receipts off and on, and the server follows', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.dm.id);
    await openChannel(bob, ctx.dm.id);
    await (await channelMenuItem(alice, 'Turn read receipts off for this channel')).click();
    await eventually('the channel to be off on the server', async () =>
        (await api(ctx.users.alice.token, 'GET', `${PLUGIN}/channels/${ctx.dm.id}/settings`)).enabled === false);

    // Bob's page learns it from the channel_settings event, without a reload.
    await eventually('bob\'s channel menu to offer turning receipts on', async () => {
        const item = await channelMenuItem(bob, 'Turn read receipts on for this channel');
        const shown = await item.count() > 0;
        await closeChannelMenu(bob);
        return shown;
    });

    const untracked = await post(ctx.users.alice, ctx.dm.id, `Not tracked (${ctx.run})`);
    await alice.page.locator(`#post_${untracked.id}`).waitFor();
    const answer = await query(ctx.users.alice, untracked.id);
    assert.deepEqual(answer.skipped, [{post_id: untracked.id, reason: 'not_tracked'}]);
    await alice.page.waitForTimeout(1500);
    assert.equal(await alice.page.locator(indicator(untracked.id)).count(), 0, 'no indicator on an untracked post');

    await (await channelMenuItem(alice, 'Turn read receipts on for this channel')).click();
    await eventually('the channel to be on again', async () =>
        (await api(ctx.users.alice.token, 'GET', `${PLUGIN}/channels/${ctx.dm.id}/settings`)).enabled === true);
    const tracked = await post(ctx.users.alice, ctx.dm.id, `Tracked again (${ctx.run})`);
    await alice.page.locator(indicator(tracked.id)).waitFor({timeout: 10000});
});

test('with "Send read receipts" off, the recipient\'s page reports nothing and the server records nothing', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.dm.id);
    await openChannel(bob, ctx.dm.id);
    await bob.page.getByRole('button', {name: 'Settings'}).click();
    const box = bob.page.getByRole('checkbox', {name: 'Send read receipts'});
    await box.waitFor();
    assert.equal(await box.isChecked(), true);
    await box.uncheck();
    await eventually('bob\'s setting to be off on the server', async () =>
        (await api(ctx.users.bob.token, 'GET', `${PLUGIN}/me/settings`)).send_read_receipts === false);
    await bob.page.getByRole('button', {name: 'Close settings'}).click();

    const p = await post(ctx.users.alice, ctx.dm.id, `Private read (${ctx.run})`);
    await bob.page.locator(`#post_${p.id}`).waitFor();
    await bob.page.waitForTimeout(2500);
    assert.ok(!bob.reads.includes(p.id), 'bob\'s page did not report the post');
    const answer = await query(ctx.users.alice, p.id);
    assert.ok(!answer.receipts.some((r) => r.is_peer_read), `no read recorded: ${JSON.stringify(answer)}`);

    await bob.page.getByRole('button', {name: 'Settings'}).click();
    await box.check();
    await eventually('bob\'s setting to be on again', async () =>
        (await api(ctx.users.bob.token, 'GET', `${PLUGIN}/me/settings`)).send_read_receipts === true);
    await bob.page.getByRole('button', {name: 'Close settings'}).click();
    const next = await post(ctx.users.alice, ctx.dm.id, `Public read (${ctx.run})`);
    await waitForState(alice, next.id, 'read');
});

test('under Reciprocal, a sender who turns "Send read receipts" off stops seeing receipts at once, and sees them again when back on', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(bob, ctx.dm.id);
    await openChannel(alice, ctx.dm.id);
    const p = await post(ctx.users.alice, ctx.dm.id, `Read before the switch (${ctx.run})`);
    await waitForState(alice, p.id, 'read');

    await alice.page.getByRole('button', {name: 'Settings'}).click();
    const box = alice.page.getByRole('checkbox', {name: 'Send read receipts'});
    try {
        await box.uncheck();
        await eventually('alice\'s setting to be off on the server', async () =>
            (await api(ctx.users.alice.token, 'GET', `${PLUGIN}/me/settings`)).send_read_receipts === false);
        await alice.page.locator(indicator(p.id)).waitFor({state: 'detached', timeout: 10000});
    } finally {
        await box.check();
        await eventually('alice\'s setting to be on again', async () =>
            (await api(ctx.users.alice.token, 'GET', `${PLUGIN}/me/settings`)).send_read_receipts === true);
        await alice.page.getByRole('button', {name: 'Close settings'}).click();
    }
    await waitForState(alice, p.id, 'read');
});

test('under per-message requests, the channel menu asks for receipts on what the user writes', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.dm.id);
    await openChannel(bob, ctx.dm.id);
    await setPluginSettings({requestmode: 'per_message'});
    try {
        // The config event reaches the page; the menu item appears without a reload.
        const ask = await eventually('the per-message item in the channel menu', async () => {
            const item = await channelMenuItem(alice, 'Ask for read receipts on my messages here');
            if (await item.count() > 0) {
                return item;
            }
            await closeChannelMenu(alice);
            return null;
        });
        const plain = await post(ctx.users.alice, ctx.dm.id, `No request (${ctx.run})`);
        await ask.click();

        const composer = alice.page.getByRole('textbox', {name: 'Write a message'});
        const text = `Please confirm (${ctx.run})`;
        await composer.fill(text);
        await composer.press('Enter');
        const mine = alice.page.locator('.post', {hasText: text});
        await mine.waitFor();
        const postId = (await mine.getAttribute('id')).replace('post_', '');
        await waitForState(alice, postId, 'read');

        const skipped = await query(ctx.users.alice, plain.id);
        assert.deepEqual(skipped.skipped, [{post_id: plain.id, reason: 'not_tracked'}]);
        const created = await api(ctx.users.alice.token, 'GET', `/api/v4/posts/${postId}`);
        assert.equal(created.props?.read_receipt, true);
    } finally {
        await setPluginSettings({requestmode: 'all'});
    }
});

test('the readers dialog draws the read curve with its summary, follows the theme, and marks who read before an edit', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.gm.id);
    const p = await post(ctx.users.alice, ctx.gm.id, `Announcement (${ctx.run})`);
    await alice.page.locator(indicator(p.id)).waitFor({timeout: 10000});
    await openChannel(bob, ctx.gm.id);
    await waitForState(alice, p.id, 'some');

    await api(ctx.users.alice.token, 'PUT', `/api/v4/posts/${p.id}/patch`, {message: `Announcement, corrected (${ctx.run})`});
    await eventually('the receipt to carry edited_at', async () => (await query(ctx.users.alice, p.id)).receipts[0]?.edited_at > 0);
    await api(ctx.users.carol.token, 'POST', `${PLUGIN}/reads`, {post_ids: [p.id]});
    await waitForState(alice, p.id, 'all');

    await alice.page.locator(indicator(p.id)).click();
    const dialog = alice.page.getByRole('dialog', {name: 'Read receipts'});
    const chart = dialog.getByRole('img', {name: /^Read by 2 of 2 so far/});
    await chart.waitFor({timeout: 10000});
    const summary = await dialog.locator('figure.readreceipts-curve figcaption').textContent();
    assert.equal(await chart.getAttribute('aria-labelledby'), await dialog.locator('figure.readreceipts-curve figcaption').getAttribute('id'));
    assert.match(summary, /^Read by 2 of 2 so far\.$/, 'a post younger than 5 minutes has no milestones yet');

    const row = (name) => dialog.getByRole('tabpanel').getByRole('listitem').filter({hasText: name});
    await row(ctx.users.bob.fullName).getByText('before edit').waitFor();
    assert.equal(await row(ctx.users.carol.fullName).getByText('before edit').count(), 0);
    await dialog.screenshot({path: path.join(ARTIFACTS, 'alice-read-curve.png')});

    // The chart takes its colours from the theme's CSS variables, as Mattermost sets them.
    const line = dialog.locator('figure.readreceipts-curve path').nth(1);
    assert.equal(await line.evaluate((el) => getComputedStyle(el).stroke), 'rgb(28, 88, 217)');
    await alice.page.evaluate(() => {
        const root = document.documentElement.style;
        root.setProperty('--button-bg', '#5d89ea');
        root.setProperty('--center-channel-bg', '#1f1f1f');
        root.setProperty('--center-channel-color', '#dddddd');
        root.setProperty('--center-channel-color-rgb', '221, 221, 221');
    });
    try {
        assert.equal(await line.evaluate((el) => getComputedStyle(el).stroke), 'rgb(93, 137, 234)');
        await dialog.screenshot({path: path.join(ARTIFACTS, 'alice-read-curve-dark.png')});
    } finally {
        await alice.page.evaluate(() => {
            for (const name of ['--button-bg', '--center-channel-bg', '--center-channel-color', '--center-channel-color-rgb']) {
                document.documentElement.style.removeProperty(name);
            }
        });
    }
    await dialog.getByRole('button', {name: 'Close'}).click();
});
