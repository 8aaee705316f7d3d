// The places where the real web app draws posts differently from a plain list (issue 10): permalink
// previews, covered posts, posts without the attachment slot, the Message actions menu, the Threads
// view and the thread panel, and a long session's memory.

import assert from 'node:assert/strict';

import {
    PLUGIN,
    SITE,
    api,
    channelMenuItem,
    eventually,
    indicator,
    openChannel,
    openMessageActions,
    openThreadsView,
    pluginState,
    post,
    query,
    reload,
    setPluginSettings,
    waitForState,
} from '../lib.mjs';

export const tests = [];
const test = (name, fn) => tests.push({name, fn});

/** Long enough to be sure a report would have gone out: the dwell is one second. */
const NO_REPORT_WAIT_MS = 2500;

async function readCount(ctx, postId) {
    const answer = await query(ctx.users.alice, postId);
    return answer.receipts[0]?.read_count ?? 0;
}

test('a permalink preview is neither reported as read nor decorated, and the post around it is reported', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(bob, ctx.dm.id);
    await openChannel(alice, ctx.dm.id);
    const linked = await post(ctx.users.alice, ctx.gm.id, `Linked from elsewhere (${ctx.run})`);
    const outer = await post(ctx.users.alice, ctx.dm.id, `See ${SITE}/${ctx.team.name}/pl/${linked.id} (${ctx.run})`);

    await bob.page.locator(`#post_${outer.id} .post-preview`).waitFor();
    await eventually('bob\'s page to report the post with the preview', async () => bob.reads.includes(outer.id));
    await waitForState(alice, outer.id, 'read');
    await bob.page.waitForTimeout(NO_REPORT_WAIT_MS);
    assert.ok(!bob.reads.includes(linked.id), 'the linked post was not reported');
    assert.equal(await readCount(ctx, linked.id), 0, 'the linked post is still unread on the server');
    assert.equal(await alice.page.locator(`#post_${outer.id} .post-preview .readreceipts-indicator`).count(), 0, 'no indicator inside the preview');
});

test('posts covered by a modal or by the expanded thread panel are not reported until uncovered', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.dm.id);
    await openChannel(bob, ctx.dm.id);

    await bob.page.getByRole('button', {name: 'Settings'}).click();
    const underModal = await post(ctx.users.alice, ctx.dm.id, `Under a modal (${ctx.run})`);
    await bob.page.locator(`#post_${underModal.id}`).waitFor();
    await bob.page.waitForTimeout(NO_REPORT_WAIT_MS);
    assert.ok(!bob.reads.includes(underModal.id), 'not reported while the modal covered it');
    await bob.page.getByRole('button', {name: 'Close settings'}).click();
    await eventually('the post to be reported once the modal closed', async () => bob.reads.includes(underModal.id));

    const root = await post(ctx.users.alice, ctx.dm.id, `A thread to expand (${ctx.run})`);
    await post(ctx.users.alice, ctx.dm.id, `Its reply (${ctx.run})`, undefined, {root_id: root.id});
    await (await openMessageActions(bob, `#post_${root.id}`)).getByRole('menuitem', {name: 'Reply'}).click();
    await bob.page.getByRole('button', {name: 'Expand'}).click();
    const underPanel = await post(ctx.users.alice, ctx.dm.id, `Under the expanded panel (${ctx.run})`);
    await bob.page.locator(`#post_${underPanel.id}`).waitFor({state: 'attached'});
    await bob.page.waitForTimeout(NO_REPORT_WAIT_MS);
    assert.ok(!bob.reads.includes(underPanel.id), 'not reported while the expanded panel covered it');
    await bob.page.getByRole('button', {name: 'Collapse'}).click();
    await eventually('the post to be reported once the panel collapsed', async () => bob.reads.includes(underPanel.id));
    await bob.page.getByRole('button', {name: 'Close thread'}).click();
    await waitForState(alice, underPanel.id, 'read');
});

test('posts drawn without the attachment slot (formatting off, another plugin\'s post type) are reported; a collapsed long post too', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(bob, ctx.dm.id);
    await openChannel(alice, ctx.dm.id);

    await bob.page.getByRole('button', {name: 'Settings'}).click();
    await bob.page.getByRole('checkbox', {name: 'Message formatting'}).uncheck();
    await bob.page.getByRole('button', {name: 'Close settings'}).click();
    try {
        const plain = await post(ctx.users.alice, ctx.dm.id, `Read as plain text (${ctx.run})`);
        await eventually('the plain-text post to be reported', async () => bob.reads.includes(plain.id));
        await waitForState(alice, plain.id, 'read');
    } finally {
        await bob.page.getByRole('button', {name: 'Settings'}).click();
        await bob.page.getByRole('checkbox', {name: 'Message formatting'}).check();
        await bob.page.getByRole('button', {name: 'Close settings'}).click();
    }

    const custom = await post(ctx.users.alice, ctx.dm.id, `A poll (${ctx.run})`, {}, {type: 'custom_poll'});
    await eventually('the custom post to be reported', async () => bob.reads.includes(custom.id));
    assert.equal(await readCount(ctx, custom.id), 1, 'the custom post is read on the server');

    const long = await post(ctx.users.alice, ctx.dm.id, Array.from({length: 40}, (_, i) => `Line ${i + 1} of a long message (${ctx.run})`).join('\n'));
    await bob.page.locator(`#post_${long.id}`).getByRole('button', {name: 'Show more'}).waitFor();
    await eventually('the collapsed post to be reported', async () => bob.reads.includes(long.id));
    // The author's indicator sits under the message, inside the collapsed part: it shows once expanded.
    await alice.page.locator(`#post_${long.id}`).getByRole('button', {name: 'Show more'}).click();
    await waitForState(alice, long.id, 'read');
});

test('the Message actions menu offers "Read receipts" on the author\'s group post before its receipt has loaded', async (ctx) => {
    const {alice} = ctx.pages;
    await openChannel(alice, ctx.gm.id);
    let release;
    const held = new Promise((resolve) => {
        release = resolve;
    });
    const hold = async (route) => {
        await held;
        await route.continue().catch(() => undefined);
    };
    await alice.page.route(`**${PLUGIN}/receipts/query`, hold);
    let p;
    try {
        p = await post(ctx.users.alice, ctx.gm.id, `Menu before the receipt (${ctx.run})`);
        const menu = await openMessageActions(alice, `#post_${p.id}`);
        await menu.getByRole('menuitem', {name: 'Read receipts'}).waitFor({timeout: 5000});
    } finally {
        release();
        await alice.page.unroute(`**${PLUGIN}/receipts/query`, hold);
    }
    await alice.page.getByRole('menuitem', {name: 'Read receipts'}).click();
    const dialog = alice.page.getByRole('dialog', {name: 'Read receipts'});
    await dialog.getByRole('tab', {name: /^Read \(/}).waitFor();
    await dialog.getByRole('button', {name: 'Close'}).click();

    // A post that has no receipts: the item is there, and the dialog says so.
    await api(ctx.users.alice.token, 'PUT', `${PLUGIN}/channels/${ctx.gm.id}/settings`, {enabled: false});
    const untracked = await post(ctx.users.alice, ctx.gm.id, `Not tracked here (${ctx.run})`);
    // The server decides when its posted hook runs, a moment after the post: wait for its decision.
    await eventually('the post to be untracked', async () => (await query(ctx.users.alice, untracked.id)).skipped[0]?.reason === 'not_tracked');
    await api(ctx.users.alice.token, 'PUT', `${PLUGIN}/channels/${ctx.gm.id}/settings`, {enabled: true});
    await (await openMessageActions(alice, `#post_${untracked.id}`)).getByRole('menuitem', {name: 'Read receipts'}).click();
    await dialog.getByText('This message does not have read receipts.').waitFor({timeout: 10000});
    await alice.page.keyboard.press('Escape');
    await dialog.waitFor({state: 'detached'});
});

test('a reply sent from the Threads view, after a reload, carries the per-message request of its own channel', async (ctx) => {
    const {alice} = ctx.pages;
    await setPluginSettings({requestmode: 'per_message'});
    try {
        // The server announces a settings change once a minute at most: a fresh page asks for them.
        await reload(alice);
        await openChannel(alice, ctx.gm.id);
        await (await channelMenuItem(alice, 'Ask for read receipts on my messages here')).click();
        const root = await post(ctx.users.alice, ctx.gm.id, `A thread in the group (${ctx.run})`, {read_receipt: true});
        await post(ctx.users.bob, ctx.gm.id, `Bob answers (${ctx.run})`, undefined, {root_id: root.id});

        // A fresh page (like a pop-out or the next day) whose current channel is another one.
        await reload(alice);
        await openChannel(alice, ctx.dm.id);
        await openThreadsView(alice, root.id);
        const text = `Reply from the Threads view (${ctx.run})`;
        const box = alice.page.getByRole('textbox', {name: 'Reply in the Threads view'});
        await box.fill(text);
        await box.press('Enter');
        const reply = await eventually('the reply on the server', async () => {
            const thread = await api(ctx.users.alice.token, 'GET', `/api/v4/posts/${root.id}/thread`);
            return Object.values(thread.posts).find((p) => p.message === text);
        });
        assert.equal(reply.props?.read_receipt, true, `the reply asks for receipts: ${JSON.stringify(reply.props)}`);
        await alice.page.locator(indicator(reply.id, `#rhsPost_${reply.id}`)).waitFor({timeout: 10000});
    } finally {
        await setPluginSettings({requestmode: 'all'});
        await openChannel(alice, ctx.dm.id);
    }
});

test('in the thread panel and the Threads view, replies are reported as read and show their receipts', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.gm.id);
    await openChannel(bob, ctx.dm.id);
    const root = await post(ctx.users.alice, ctx.gm.id, `Thread for the panels (${ctx.run})`);
    const reply = await post(ctx.users.alice, ctx.gm.id, `A reply in the thread (${ctx.run})`, undefined, {root_id: root.id});
    await (await openMessageActions(alice, `#post_${root.id}`)).getByRole('menuitem', {name: 'Reply'}).click();
    await alice.page.locator(indicator(reply.id, `#rhsPost_${reply.id}`)).waitFor({timeout: 10000});

    await openThreadsView(bob, root.id);
    await eventually('bob\'s Threads view to report the reply', async () => bob.reads.includes(reply.id));
    await alice.page.locator(`${indicator(reply.id, `#rhsPost_${reply.id}`)}[data-state="some"]`).waitFor({timeout: 15000});
    await openChannel(bob, ctx.dm.id);
    await alice.page.getByRole('button', {name: 'Close thread'}).click();
});

test('a long session keeps only a bounded number of receipts of posts no longer on screen', async (ctx) => {
    const {alice} = ctx.pages;
    const channels = [];
    for (let i = 0; i < 4; i++) {
        channels.push(await api(ctx.users.alice.token, 'POST', '/api/v4/channels', {team_id: ctx.team.id, name: `long-${i}-${ctx.run}`, display_name: `Long session ${i}`, type: 'O'}));
    }
    const jobs = channels.flatMap((c) => Array.from({length: 50}, (_, i) => () => post(ctx.users.alice, c.id, `Message ${i} in ${c.display_name}`)));
    for (let i = 0; i < jobs.length; i += 10) {
        await Promise.all(jobs.slice(i, i + 10).map((job) => job()));
    }
    await reload(alice);
    for (const c of channels) {
        await openChannel(alice, c.id);
        await alice.page.locator('[data-testid="post-list"] .post').nth(49).waitFor();
        await eventually(`the receipts of ${c.display_name} to be asked`, async () =>
            alice.page.evaluate((id) => Object.keys(window.hostStore.getState()['plugins-readreceipts'].receipts).some((p) => window.hostStore.getState().entities.posts.posts[p]?.channel_id === id), c.id));
    }
    await eventually('the cache to drop what is far off screen', async () => {
        const {receipts} = await pluginState(alice);
        return receipts <= 50 + 100;
    }, 15000);
    await openChannel(alice, ctx.dm.id);
});
