// The real-browser test: two users in two Chromium pages on the host page, against the real server.
//
//   MM_SITE_URL=http://127.0.0.1:8065 MM_ADMIN_TOKEN=<system admin token> node e2e/run.mjs
//
// (from webapp/: `npm run e2e` builds the bundle and the host page first). It creates its own team,
// users and conversations with unique names, and leaves screenshots in e2e/artifacts/.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {startHostServer} from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.resolve(here, '../webapp/package.json'));
const {chromium} = require('playwright-core');

const SITE = (process.env.MM_SITE_URL || (process.env.MM_PORT ? `http://127.0.0.1:${process.env.MM_PORT}` : '')).replace(/\/+$/, '');
const ADMIN_TOKEN = process.env.MM_ADMIN_TOKEN ?? '';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(here, 'artifacts');
const PASSWORD = 'E2e-password-1!';
const PLUGIN = '/plugins/readreceipts/api/v1';

if (!SITE || !ADMIN_TOKEN) {
    process.stderr.write('e2e: set MM_SITE_URL and MM_ADMIN_TOKEN (a system admin token)\n');
    process.exit(2);
}

function log(line) {
    process.stdout.write(`${line}\n`);
}

/** api calls the server as a user (token) and returns the JSON answer; it throws on an error status. */
async function api(token, method, urlPath, body) {
    const res = await fetch(SITE + urlPath, {
        method,
        headers: {Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest'},
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
        throw new Error(`${method} ${urlPath}: ${res.status} ${text.slice(0, 200)}`);
    }
    return text ? JSON.parse(text) : null;
}

async function login(username) {
    const res = await fetch(`${SITE}/api/v4/users/login`, {
        method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest'},
        body: JSON.stringify({login_id: username, password: PASSWORD}),
    });
    assert.equal(res.status, 200, `login as ${username}`);
    return {...(await res.json()), token: res.headers.get('Token')};
}

async function eventually(what, fn, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
        try {
            const value = await fn();
            if (value) {
                return value;
            }
        } catch (err) {
            last = err;
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

// --- setup -------------------------------------------------------------------------------------

async function ensurePluginConfig() {
    const config = await api(ADMIN_TOKEN, 'GET', '/api/v4/config');
    const plugins = config.PluginSettings.Plugins ?? {};
    const current = plugins.readreceipts ?? {};
    const wanted = {enabledirectmessages: true, enablegroupmessages: true, requestmode: 'all', privacypolicy: 'user_choice', reciprocal: true, countsvisibleto: 'author'};
    const get = (key) => Object.entries(current).find(([k]) => k.toLowerCase() === key)?.[1];
    const defaults = {enabledirectmessages: true, enablegroupmessages: true, requestmode: 'all', privacypolicy: 'user_choice', reciprocal: true, countsvisibleto: 'author'};
    const differs = Object.keys(wanted).some((k) => (get(k) ?? defaults[k]) !== wanted[k]);
    if (!differs) {
        return null;
    }
    const saved = structuredClone(current);
    const next = {...current};
    for (const k of Object.keys(next)) {
        if (k.toLowerCase() in wanted) {
            delete next[k];
        }
    }
    config.PluginSettings.Plugins = {...plugins, readreceipts: {...next, ...wanted}};
    await api(ADMIN_TOKEN, 'PUT', '/api/v4/config', config);
    log('e2e: set the plugin settings this test needs (restored at the end)');
    return saved;
}

/** setPluginSettings changes some of the plugin's settings (keys in lower case, as the console stores them). */
async function setPluginSettings(values) {
    const config = await api(ADMIN_TOKEN, 'GET', '/api/v4/config');
    const current = {...(config.PluginSettings.Plugins?.readreceipts ?? {})};
    for (const k of Object.keys(current)) {
        if (k.toLowerCase() in values) {
            delete current[k];
        }
    }
    config.PluginSettings.Plugins = {...config.PluginSettings.Plugins, readreceipts: {...current, ...values}};
    await api(ADMIN_TOKEN, 'PUT', '/api/v4/config', config);
}

async function restorePluginConfig(saved) {
    if (!saved) {
        return;
    }
    const config = await api(ADMIN_TOKEN, 'GET', '/api/v4/config');
    config.PluginSettings.Plugins = {...config.PluginSettings.Plugins, readreceipts: saved};
    await api(ADMIN_TOKEN, 'PUT', '/api/v4/config', config);
}

async function setup() {
    const statuses = await api(ADMIN_TOKEN, 'GET', '/api/v4/plugins/statuses');
    const status = statuses.find((s) => s.plugin_id === 'readreceipts');
    assert.ok(status && status.state === 2, `the readreceipts plugin must be running on ${SITE} (status: ${JSON.stringify(status ?? null)})`);

    const run = Date.now().toString(36);
    const team = await api(ADMIN_TOKEN, 'POST', '/api/v4/teams', {name: `rr-e2e-${run}`, display_name: `Read receipts e2e ${run}`, type: 'O'});
    const users = {};
    for (const name of ['alice', 'bob', 'carol']) {
        const username = `${name}-${run}`;
        const user = await api(ADMIN_TOKEN, 'POST', '/api/v4/users', {username, email: `${username}@example.com`, password: PASSWORD});
        await api(ADMIN_TOKEN, 'POST', `/api/v4/teams/${team.id}/members`, {team_id: team.id, user_id: user.id});
        users[name] = {...user, token: (await login(username)).token};
    }
    const dm = await api(users.alice.token, 'POST', '/api/v4/channels/direct', [users.alice.id, users.bob.id]);
    const gm = await api(users.alice.token, 'POST', '/api/v4/channels/group', [users.alice.id, users.bob.id, users.carol.id]);
    return {run, team, users, dm, gm};
}

// --- browser helpers ---------------------------------------------------------------------------

async function openAs(browser, baseURL, user, errors) {
    const context = await browser.newContext({viewport: {width: 1100, height: 720}});
    const page = await context.newPage();
    page.on('console', (msg) => {
        if (msg.type() === 'error') {
            errors.push(`${user.username}: ${msg.text()}`);
        }
    });
    page.on('pageerror', (err) => errors.push(`${user.username}: ${err.message}`));
    page.on('response', (res) => {
        if (res.status() >= 400) {
            errors.push(`${user.username}: ${res.request().method()} ${res.url()} answered ${res.status()}`);
        }
    });
    const reads = [];
    page.on('request', (req) => {
        if (req.method() === 'POST' && req.url().endsWith(`${PLUGIN}/reads`)) {
            reads.push(...(JSON.parse(req.postData() ?? '{}').post_ids ?? []));
        }
    });
    await page.goto(baseURL);
    await page.fill('input[name=username]', user.username);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForFunction(() => window.hostReady === true);
    return {page, context, reads, user: {...user}};
}

async function openChannel(who, channelId) {
    await who.page.click(`nav [data-channel-id="${channelId}"]`);
    await who.page.waitForFunction((id) => window.location.hash === `#channel=${id}`, channelId);
}

const indicator = (postId) => `.readreceipts-post[data-post-id="${postId}"] .readreceipts-indicator`;

/** waitForState waits for a post's indicator to reach a state; on timeout it says what the server says. */
async function waitForState(who, postId, state, timeout = 15000) {
    try {
        await who.page.locator(`${indicator(postId)}[data-state="${state}"]`).waitFor({timeout});
    } catch (err) {
        const answer = await query(who.user, postId).catch((e) => e.message);
        const shown = await who.page.locator(indicator(postId)).getAttribute('data-state', {timeout: 1000}).catch(() => 'nothing');
        throw new Error(`${postId} did not reach "${state}" (page shows ${shown}; server says ${JSON.stringify(answer)}): ${err.message.split('\n')[0]}`);
    }
}

async function post(who, channelId, message, props) {
    return api(who.token, 'POST', '/api/v4/posts', {channel_id: channelId, message, props});
}

async function query(who, postId) {
    return api(who.token, 'POST', `${PLUGIN}/receipts/query`, {post_ids: [postId]});
}

// --- the tests ---------------------------------------------------------------------------------

const tests = [];
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
    await alice.page.screenshot({path: path.join(ARTIFACTS, 'alice-dm-before.png')});

    await openChannel(bob, ctx.dm.id);
    await bob.page.locator(`#post_${p.id}`).waitFor();

    await waitForState(alice, p.id, 'read');
    assert.match(await sent.getAttribute('title'), /^Read \d{1,2}:\d\d [AP]M$/);
    assert.equal(await sent.textContent(), '✓✓');
    await alice.page.screenshot({path: path.join(ARTIFACTS, 'alice-dm-after.png')});

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
    await dialog.getByRole('tabpanel').getByText(ctx.users.bob.username).waitFor();
    assert.equal(await dialog.getByRole('tabpanel').getByText(ctx.users.carol.username).count(), 0);
    await dialog.getByRole('tab', {name: 'Not read yet (1)'}).click();
    await dialog.getByRole('tabpanel').getByText(ctx.users.carol.username).waitFor();
    assert.equal(await dialog.getByRole('tabpanel').getByText(ctx.users.bob.username).count(), 0);
    await alice.page.screenshot({path: path.join(ARTIFACTS, 'alice-group-readers.png')});
    await dialog.getByRole('button', {name: 'Close'}).click();
});

test('the channel menu turns receipts off and on, and the server follows', async (ctx) => {
    const {alice, bob} = ctx.pages;
    await openChannel(alice, ctx.dm.id);
    await openChannel(bob, ctx.dm.id);
    await alice.page.getByRole('button', {name: 'Channel menu'}).click();
    await alice.page.getByText('Turn read receipts off for this channel').click();
    await eventually('the channel to be off on the server', async () =>
        (await api(ctx.users.alice.token, 'GET', `${PLUGIN}/channels/${ctx.dm.id}/settings`)).enabled === false);

    // Bob's page learns it from the channel_settings event, without a reload.
    await bob.page.getByRole('button', {name: 'Channel menu'}).click();
    await bob.page.getByText('Turn read receipts on for this channel').waitFor({timeout: 10000});
    await bob.page.getByRole('button', {name: 'Channel menu'}).click();

    const untracked = await post(ctx.users.alice, ctx.dm.id, `Not tracked (${ctx.run})`);
    await alice.page.locator(`#post_${untracked.id}`).waitFor();
    const answer = await query(ctx.users.alice, untracked.id);
    assert.deepEqual(answer.skipped, [{post_id: untracked.id, reason: 'not_tracked'}]);
    await alice.page.waitForTimeout(1500);
    assert.equal(await alice.page.locator(indicator(untracked.id)).count(), 0, 'no indicator on an untracked post');

    await alice.page.getByRole('button', {name: 'Channel menu'}).click();
    await alice.page.getByText('Turn read receipts on for this channel').click();
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
        const ask = alice.page.getByText('Ask for read receipts on my messages here');
        await eventually('the per-message item in the channel menu', async () => {
            await alice.page.getByRole('button', {name: 'Channel menu'}).click();
            const visible = await ask.isVisible();
            if (!visible) {
                await alice.page.getByRole('button', {name: 'Channel menu'}).click();
            }
            return visible;
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
    await row(ctx.users.bob.username).getByText('before edit').waitFor();
    assert.equal(await row(ctx.users.carol.username).getByText('before edit').count(), 0);
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

// An unlicensed server caps active users, so every run deactivates its own.
async function deactivateUsers(users) {
    for (const user of Object.values(users ?? {})) {
        await api(ADMIN_TOKEN, 'DELETE', `/api/v4/users/${user.id}`).catch((err) => log(`e2e: could not deactivate ${user.username}: ${err.message}`));
    }
}

// --- main --------------------------------------------------------------------------------------

async function main() {
    fs.rmSync(ARTIFACTS, {recursive: true, force: true});
    fs.mkdirSync(ARTIFACTS, {recursive: true});
    const saved = await ensurePluginConfig();
    const server = await startHostServer({siteURL: SITE});
    const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    const errors = [];
    let passed = 0;
    let failed = 0;
    let ctx;
    try {
        ctx = await setup();
        ctx.pages = {
            alice: await openAs(browser, server.url, ctx.users.alice, errors),
            bob: await openAs(browser, server.url, ctx.users.bob, errors),
        };
        for (const t of tests) {
            try {
                await t.fn(ctx);
                passed += 1;
                log(`ok - ${t.name}`);
            } catch (err) {
                failed += 1;
                log(`not ok - ${t.name}\n    ${String(err?.stack ?? err).split('\n').slice(0, 4).join('\n    ')}`);
                await ctx.pages.alice.page.screenshot({path: path.join(ARTIFACTS, `failed-${failed}-alice.png`)}).catch(() => undefined);
                await ctx.pages.bob.page.screenshot({path: path.join(ARTIFACTS, `failed-${failed}-bob.png`)}).catch(() => undefined);
            }
        }
        if (errors.length === 0) {
            passed += 1;
            log('ok - no console errors on either page');
        } else {
            failed += 1;
            log(`not ok - no console errors on either page\n    ${errors.join('\n    ')}`);
        }
    } catch (err) {
        failed += 1;
        log(`not ok - setup\n    ${err?.message ?? err}`);
    } finally {
        await browser.close();
        await server.close();
        await deactivateUsers(ctx?.users);
        await restorePluginConfig(saved).catch((err) => log(`e2e: could not restore the plugin settings: ${err.message}`));
    }
    log(`screenshots: ${ARTIFACTS}`);
    log(`e2e: ${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
}

await main();
