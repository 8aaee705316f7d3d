// How the plugin looks and reads (issue 10): the readers dialog as a proper modal, the user's
// language, timezone and clock, contrast in the light and dark themes, and the screenshots of every
// place in both themes.

import assert from 'node:assert/strict';

import {
    PLUGIN,
    api,
    contrasts,
    eventually,
    indicator,
    openAs,
    openChannel,
    openMessageActions,
    openThreadsView,
    post,
    query,
    screenshot,
    setTheme,
    waitForState,
} from '../lib.mjs';

export const tests = [];
const test = (name, fn) => tests.push({name, fn});

/** focusedIn says where the page's focus is: inside the dialog, and on what. */
function focusedIn(who) {
    return who.page.evaluate(() => {
        const el = document.activeElement;
        return {inDialog: Boolean(el?.closest('[role="dialog"]')), role: el?.getAttribute('role') ?? '', text: el?.textContent ?? '', className: el?.className ?? ''};
    });
}

test('the readers dialog is a proper modal: focus in, trapped and restored, Escape for itself, tabs, a live list with names', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.gm.id);
    const p = await post(ctx.users.alice, ctx.gm.id, `Who reads this (${ctx.run})`);
    await openChannel(bob, ctx.gm.id);
    await waitForState(alice, p.id, 'some');
    // The thread panel is open: the page's own Escape would close it.
    await (await openMessageActions(alice, `#post_${p.id}`)).getByRole('menuitem', {name: 'Reply'}).click();
    await alice.page.locator('#sidebar-right').waitFor();

    await alice.page.locator(indicator(p.id, `#post_${p.id}`)).click();
    const dialog = alice.page.getByRole('dialog', {name: 'Read receipts'});
    const readTab = dialog.getByRole('tab', {name: 'Read (1)'});
    await readTab.waitFor();
    assert.deepEqual(await focusedIn(alice).then((f) => [f.inDialog, f.role]), [true, 'tab'], 'the selected tab has the focus');
    for (let i = 0; i < 6; i++) {
        await alice.page.keyboard.press(i % 2 ? 'Shift+Tab' : 'Tab');
        assert.equal((await focusedIn(alice)).inDialog, true, `focus stays in the dialog (Tab ${i + 1})`);
    }

    const panel = dialog.getByRole('tabpanel');
    assert.equal(await readTab.getAttribute('aria-controls'), await panel.getAttribute('id'));
    const row = panel.getByRole('list').getByRole('listitem').filter({hasText: ctx.users.bob.fullName});
    await row.waitFor();
    assert.match(await row.locator('img').getAttribute('src'), new RegExp(`/api/v4/users/${ctx.users.bob.id}/image$`));

    await readTab.focus();
    await alice.page.keyboard.press('ArrowRight');
    const unreadTab = dialog.getByRole('tab', {name: /^Not read yet/});
    assert.equal(await unreadTab.getAttribute('aria-selected'), 'true');
    assert.equal((await focusedIn(alice)).text, await unreadTab.textContent());
    await panel.getByRole('listitem').filter({hasText: ctx.users.carol.fullName}).waitFor();
    await alice.page.keyboard.press('ArrowLeft');

    // A live update: Carol reads. The list is replaced, never emptied on the way.
    await panel.evaluate((el) => {
        window.rrEmptied = false;
        new MutationObserver(() => {
            if (el.querySelectorAll('li').length === 0) {
                window.rrEmptied = true;
            }
        }).observe(el, {childList: true, subtree: true});
    });
    await api(ctx.users.carol.token, 'POST', `${PLUGIN}/reads`, {post_ids: [p.id]});
    await dialog.getByRole('tab', {name: 'Read (2)'}).waitFor({timeout: 15000});
    await panel.getByRole('listitem').filter({hasText: ctx.users.carol.fullName}).waitFor();
    assert.equal(await alice.page.evaluate(() => window.rrEmptied), false, 'the list never emptied');

    await alice.page.keyboard.press('Escape');
    await dialog.waitFor({state: 'detached'});
    assert.equal(await alice.page.locator('#sidebar-right').count(), 1, 'Escape closed the dialog only, not the thread panel');
    assert.match((await focusedIn(alice)).className, /readreceipts-indicator/, 'the focus went back to the indicator');
    await alice.page.getByRole('button', {name: 'Close thread'}).click();
});

test('a German user with a Tokyo timezone and a 24-hour clock sees German words and Tokyo times, whatever the browser\'s zone', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.dm.id); // alice must not see the group post: bob alone reads it
    const carol = ctx.users.carol;
    await api(carol.token, 'PUT', '/api/v4/users/me/patch', {locale: 'de', timezone: {useAutomaticTimezone: 'false', manualTimezone: 'Asia/Tokyo', automaticTimezone: ''}});
    await api(carol.token, 'PUT', `/api/v4/users/${carol.id}/preferences`, [{user_id: carol.id, category: 'display_settings', name: 'use_military_time', value: 'true'}]);
    const page = await openAs(ctx.browser, ctx.baseURL, carol, ctx.errors, {timezoneId: 'America/New_York', locale: 'en-US'});
    try {
        await openChannel(page, ctx.carolDm.id);
        const dm = await post(carol, ctx.carolDm.id, `Hallo Bob (${ctx.run})`);
        await openChannel(bob, ctx.carolDm.id);
        await waitForState(page, dm.id, 'read');
        const readAt = (await query(carol, dm.id)).receipts[0].timestamp;
        const time = new Intl.DateTimeFormat('de', {hour: 'numeric', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Tokyo'}).format(readAt);
        assert.equal(await page.page.locator(indicator(dm.id)).getAttribute('title'), `Gelesen ${time}`);

        await openChannel(page, ctx.gm.id);
        const group = await post(carol, ctx.gm.id, `Hallo zusammen (${ctx.run})`);
        await openChannel(bob, ctx.gm.id);
        await waitForState(page, group.id, 'some');
        assert.equal(await page.page.locator(indicator(group.id)).textContent(), '✓✓Gelesen von 1 von 2');

        await page.page.getByRole('button', {name: 'Settings'}).click();
        await page.page.getByRole('dialog', {name: 'Settings'}).getByRole('heading', {name: 'Lesebestätigungen', exact: true}).first().waitFor();
        await page.page.getByRole('checkbox', {name: 'Lesebestätigungen senden'}).waitFor();
    } finally {
        await page.context.close();
        await api(carol.token, 'PUT', '/api/v4/users/me/patch', {locale: 'en'});
    }
});

test('indicator text meets WCAG AA contrast (4.5:1) in the light and the dark theme', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.gm.id);
    const p = await post(ctx.users.alice, ctx.gm.id, `Contrast check (${ctx.run})`);
    await openChannel(bob, ctx.gm.id);
    await waitForState(alice, p.id, 'some');
    try {
        for (const theme of ['light', 'dark']) {
            await setTheme(alice, theme);
            const measured = await contrasts(alice, '.readreceipts-indicator');
            assert.ok(measured.length > 0, 'something was measured');
            const low = measured.filter((m) => m.ratio < 4.5);
            assert.deepEqual(low, [], `${theme} theme: text below 4.5:1`);
        }
    } finally {
        await setTheme(alice, 'light');
    }
});

test('screenshots: DM and group indicators, the readers dialog, the thread panel and the Threads view, in both themes', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.dm.id);
    const dm = await post(ctx.users.alice, ctx.dm.id, `Screenshot in the DM (${ctx.run})`);
    await openChannel(bob, ctx.dm.id);
    await waitForState(alice, dm.id, 'read');
    await openChannel(alice, ctx.gm.id);
    const root = await post(ctx.users.alice, ctx.gm.id, `Screenshot in the group (${ctx.run})`);
    const reply = await post(ctx.users.alice, ctx.gm.id, `A reply for the panels (${ctx.run})`, undefined, {root_id: root.id});
    await openChannel(bob, ctx.gm.id);
    await waitForState(alice, root.id, 'some');
    try {
        for (const theme of ['light', 'dark']) {
            await setTheme(alice, theme);
            await openChannel(alice, ctx.dm.id);
            await waitForState(alice, dm.id, 'read');
            await screenshot(alice, `dm-${theme}`);
            await openChannel(alice, ctx.gm.id);
            await waitForState(alice, root.id, 'some');
            await screenshot(alice, `group-${theme}`);
            await alice.page.locator(indicator(root.id, `#post_${root.id}`)).click();
            const dialog = alice.page.getByRole('dialog', {name: 'Read receipts'});
            await dialog.getByRole('listitem').first().waitFor();
            await dialog.locator('figure.readreceipts-curve').waitFor();
            const low = (await contrasts(alice, '.readreceipts-readers [role="tab"], .readreceipts-readers li')).filter((m) => m.ratio < 4.5);
            assert.deepEqual(low, [], `${theme} theme: text of the readers dialog below 4.5:1`);
            await screenshot(alice, `readers-${theme}`);
            await alice.page.keyboard.press('Escape');
            await (await openMessageActions(alice, `#post_${root.id}`)).getByRole('menuitem', {name: 'Reply'}).click();
            await alice.page.locator(indicator(reply.id, `#rhsPost_${reply.id}`)).waitFor({timeout: 10000});
            await screenshot(alice, `rhs-${theme}`);
            await alice.page.getByRole('button', {name: 'Close thread'}).click();
            await eventually('the thread to be listed', async () => {
                await openThreadsView(alice, root.id);
                return true;
            }, 15000);
            await alice.page.locator(indicator(reply.id, `#rhsPost_${reply.id}`)).waitFor({timeout: 10000});
            await screenshot(alice, `threads-${theme}`);
        }
    } finally {
        await setTheme(alice, 'light');
        await openChannel(alice, ctx.dm.id);
    }
});
