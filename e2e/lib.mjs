// Helpers of the browser test: the server's API, the pages of the users, and the host page's places
// (channels, menus, the thread panel, the Threads view) as a person reaches them.

import assert from 'node:assert/strict';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const SITE = (process.env.MM_SITE_URL || (process.env.MM_PORT ? `http://127.0.0.1:${process.env.MM_PORT}` : '')).replace(/\/+$/, '');
export const ADMIN_TOKEN = process.env.MM_ADMIN_TOKEN ?? '';
export const ARTIFACTS = path.join(here, 'artifacts');
export const PASSWORD = 'E2e-password-1!';
export const PLUGIN = '/plugins/readreceipts/api/v1';

export function log(line) {
    process.stdout.write(`${line}\n`);
}

/** api calls the server as a user (token) and returns the JSON answer; it throws on an error status. */
export async function api(token, method, urlPath, body) {
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

export async function login(username) {
    const res = await fetch(`${SITE}/api/v4/users/login`, {
        method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest'},
        body: JSON.stringify({login_id: username, password: PASSWORD}),
    });
    assert.equal(res.status, 200, `login as ${username}`);
    return {...(await res.json()), token: res.headers.get('Token')};
}

export async function eventually(what, fn, timeoutMs = 10000) {
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

export async function post(who, channelId, message, props, extra = {}) {
    return api(who.token, 'POST', '/api/v4/posts', {channel_id: channelId, message, props, ...extra});
}

export async function query(who, postId) {
    return api(who.token, 'POST', `${PLUGIN}/receipts/query`, {post_ids: [postId]});
}

/** openAs logs a user in on the host page in a new browser context; options go to newContext. */
export async function openAs(browser, baseURL, user, errors, options = {}) {
    const context = await browser.newContext({viewport: {width: 1100, height: 720}, ...options});
    context.setDefaultTimeout(10000);
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

/** reload loads the host page afresh, logged in as before. */
export async function reload(who) {
    await who.page.reload();
    await who.page.waitForFunction(() => window.hostReady === true);
}

export async function openChannel(who, channelId) {
    await who.page.click(`nav [data-channel-id="${channelId}"]`);
    await who.page.waitForFunction((id) => window.location.hash === `#channel=${id}`, channelId);
}

/** openThreadsView opens the Threads view and a thread in it. */
export async function openThreadsView(who, rootId) {
    await who.page.getByRole('navigation', {name: 'Channels'}).getByRole('button', {name: 'Threads'}).click();
    await who.page.locator(`[data-thread-id="${rootId}"]`).click();
    await who.page.locator(`#rhsPost_${rootId}`).waitFor();
}

/** channelMenuItem opens the channel header menu and its "More actions" submenu, and finds an item there. */
export async function channelMenuItem(who, text) {
    await who.page.locator('#channelHeaderTitle').click();
    await who.page.getByRole('menuitem', {name: /More actions/}).click();
    return who.page.getByRole('menu', {name: 'More actions'}).getByRole('menuitem', {name: text});
}

/** closeMenus closes an open channel header menu. */
export async function closeChannelMenu(who) {
    if (await who.page.getByRole('menu', {name: 'Channel menu'}).count() > 0) {
        await who.page.locator('#channelHeaderTitle').click();
    }
}

/** openMessageActions hovers a post and opens its "Message actions" menu. */
export async function openMessageActions(who, rootSelector) {
    const root = who.page.locator(rootSelector);
    await root.hover();
    await root.locator(':scope > .post-menu > button[aria-label="Message actions"]').click();
    return root.getByRole('menu', {name: 'Message actions'});
}

export const indicator = (postId, root = '') => `${root} .readreceipts-post[data-post-id="${postId}"] .readreceipts-indicator`.trim();

/** waitForState waits for a post's indicator to reach a state; on timeout it says what the server says. */
export async function waitForState(who, postId, state, timeout = 15000) {
    try {
        await who.page.locator(`${indicator(postId)}[data-state="${state}"]`).first().waitFor({timeout});
    } catch (err) {
        const answer = await query(who.user, postId).catch((e) => e.message);
        const shown = await who.page.locator(indicator(postId)).first().getAttribute('data-state', {timeout: 1000}).catch(() => 'nothing');
        throw new Error(`${postId} did not reach "${state}" (page shows ${shown}; server says ${JSON.stringify(answer)}): ${err.message.split('\n')[0]}`);
    }
}

/** setTheme switches the host page's theme. */
export async function setTheme(who, theme) {
    const button = who.page.getByRole('button', {name: theme === 'dark' ? 'Dark theme' : 'Light theme'});
    if (await button.count() > 0) {
        await button.click();
    }
}

export function screenshot(who, name) {
    return who.page.screenshot({path: path.join(ARTIFACTS, `${name}.png`)});
}

/** pluginState reads the plugin's Redux state on a page. */
export function pluginState(who) {
    return who.page.evaluate(() => {
        const s = window.hostStore.getState()['plugins-readreceipts'];
        return {receipts: Object.keys(s.receipts).length, reported: Object.keys(s.reported).length};
    });
}

/**
 * contrasts measures, in the page, the WCAG contrast ratio of every piece of text in the elements
 * matched: its colour (alpha blended) against the nearest opaque background behind it.
 */
export function contrasts(who, selector) {
    return who.page.locator(selector).evaluateAll((elements) => {
        const parse = (c) => {
            const [r, g, b, a = 1] = c.match(/[\d.]+/g).map(Number);
            return {r, g, b, a};
        };
        const channel = (v) => {
            const c = v / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        };
        const luminance = ({r, g, b}) => (0.2126 * channel(r)) + (0.7152 * channel(g)) + (0.0722 * channel(b));
        const backgroundOf = (el) => {
            for (let node = el; node; node = node.parentElement) {
                const bg = parse(getComputedStyle(node).backgroundColor);
                if (bg.a === 1) {
                    return bg;
                }
            }
            return {r: 255, g: 255, b: 255, a: 1};
        };
        const texts = elements.flatMap((el) => [...el.querySelectorAll('*'), el].filter((n) => [...n.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim())));
        return texts.map((el) => {
            const fg = parse(getComputedStyle(el).color);
            const bg = backgroundOf(el);
            const mix = (k) => (fg[k] * fg.a) + (bg[k] * (1 - fg.a));
            const l1 = luminance({r: mix('r'), g: mix('g'), b: mix('b')});
            const l2 = luminance(bg);
            return {text: el.textContent.trim(), ratio: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05)};
        });
    });
}

/** setPluginSettings changes some of the plugin's settings (keys in lower case, as the console stores them). */
export async function setPluginSettings(values) {
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
