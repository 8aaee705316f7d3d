// The real-browser test: two users in two Chromium pages on the host page, against the real server.
//
//   MM_SITE_URL=http://127.0.0.1:8065 MM_ADMIN_TOKEN=<system admin token> node e2e/run.mjs [name filter]
//
// (from webapp/: `npm run e2e` builds the bundle and the host page first). It creates its own team,
// users and conversations with unique names, and leaves screenshots in e2e/artifacts/. A filter
// (a regular expression) runs only the scenarios whose names match it.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {ADMIN_TOKEN, ARTIFACTS, PASSWORD, SITE, api, log, login, openAs, reload, screenshot} from './lib.mjs';
import {tests as basics} from './scenarios/basics.mjs';
import {tests as places} from './scenarios/real_app.mjs';
import {tests as looks} from './scenarios/looks.mjs';
import {startHostServer} from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.resolve(here, '../webapp/package.json'));
const {chromium} = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FILTER = process.argv[2] ? new RegExp(process.argv[2]) : null;

if (!SITE || !ADMIN_TOKEN) {
    process.stderr.write('e2e: set MM_SITE_URL and MM_ADMIN_TOKEN (a system admin token)\n');
    process.exit(2);
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
    const surnames = {alice: 'Anders', bob: 'Builder', carol: 'Cruz'};
    for (const name of ['alice', 'bob', 'carol']) {
        const username = `${name}-${run}`;
        const first = name[0].toUpperCase() + name.slice(1);
        const user = await api(ADMIN_TOKEN, 'POST', '/api/v4/users', {username, email: `${username}@example.com`, password: PASSWORD, first_name: first, last_name: surnames[name]});
        await api(ADMIN_TOKEN, 'POST', `/api/v4/teams/${team.id}/members`, {team_id: team.id, user_id: user.id});
        users[name] = {...user, fullName: `${first} ${surnames[name]}`, token: (await login(username)).token};
    }
    // Alice names people by their full names (Settings > Display > Teammate Name Display).
    await api(users.alice.token, 'PUT', `/api/v4/users/${users.alice.id}/preferences`, [{user_id: users.alice.id, category: 'display_settings', name: 'name_format', value: 'full_name'}]);
    const dm = await api(users.alice.token, 'POST', '/api/v4/channels/direct', [users.alice.id, users.bob.id]);
    const gm = await api(users.alice.token, 'POST', '/api/v4/channels/group', [users.alice.id, users.bob.id, users.carol.id]);
    const carolDm = await api(users.carol.token, 'POST', '/api/v4/channels/direct', [users.carol.id, users.bob.id]);
    return {run, team, users, dm, gm, carolDm};
}

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
        ctx.browser = browser;
        ctx.baseURL = server.url;
        ctx.errors = errors;
        ctx.pages = {
            alice: await openAs(browser, server.url, ctx.users.alice, errors),
            bob: await openAs(browser, server.url, ctx.users.bob, errors),
        };
        for (const t of [...basics, ...places, ...looks].filter((x) => !FILTER || FILTER.test(x.name))) {
            try {
                await t.fn(ctx);
                passed += 1;
                log(`ok - ${t.name}`);
            } catch (err) {
                failed += 1;
                log(`not ok - ${t.name}\n    ${String(err?.stack ?? err).split('\n').slice(0, 4).join('\n    ')}`);
                await screenshot(ctx.pages.alice, `failed-${failed}-alice`).catch(() => undefined);
                await screenshot(ctx.pages.bob, `failed-${failed}-bob`).catch(() => undefined);
                // What a failed scenario left open (a dialog, a panel) must not fail the next ones.
                for (const who of Object.values(ctx.pages)) {
                    await reload(who).catch(() => undefined);
                }
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
