// Serves the host page and the plugin bundle, and reverse-proxies Mattermost's API, the plugin's API
// and the websocket to MM_SITE_URL, so that the page, its cookies and its websocket share one origin.
//
//   MM_SITE_URL=http://127.0.0.1:8065 HOST_PAGE_PORT=8070 node e2e/serve.mjs
//
// Build first (from webapp/: npm run build && npm run build:host), or use `npm run serve:host`.

import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const hostDist = path.join(here, 'dist');
const bundle = path.resolve(here, '../webapp/dist/main.js');

const TYPES = {'.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.map': 'application/json'};
const PROXIED = ['/api/v4/', '/plugins/'];

function sendFile(res, file) {
    fs.readFile(file, (err, data) => {
        if (err) {
            res.writeHead(404, {'Content-Type': 'text/plain'});
            res.end('not found');
            return;
        }
        res.writeHead(200, {'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store'});
        res.end(data);
    });
}

function serveStatic(req, res) {
    const url = new URL(req.url, 'http://host');
    if (url.pathname === '/plugin/main.js') {
        sendFile(res, bundle);
        return;
    }
    const rel = url.pathname === '/' ? 'index.html' : path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, '').slice(1);
    const file = path.join(hostDist, rel);
    if (!file.startsWith(hostDist)) {
        res.writeHead(403);
        res.end();
        return;
    }
    sendFile(res, file);
}

function proxyHTTP(target, req, res) {
    const upstream = http.request({
        host: target.hostname,
        port: target.port || 80,
        method: req.method,
        path: req.url,
        headers: req.headers,
    }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
    });
    upstream.on('error', () => {
        if (!res.headersSent) {
            res.writeHead(502, {'Content-Type': 'text/plain'});
        }
        res.end('upstream unavailable');
    });
    req.pipe(upstream);
}

function proxyUpgrade(target, req, socket, head) {
    const upstream = net.connect(Number(target.port || 80), target.hostname, () => {
        const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
            // Mattermost accepts a websocket only from its own origin (its site URL): present the
            // upgrade as coming from there, which is what this proxy stands in for.
            const value = req.rawHeaders[i].toLowerCase() === 'origin' ? target.origin : req.rawHeaders[i + 1];
            lines.push(`${req.rawHeaders[i]}: ${value}`);
        }
        upstream.write(lines.join('\r\n') + '\r\n\r\n');
        if (head.length > 0) {
            upstream.write(head);
        }
        upstream.pipe(socket);
        socket.pipe(upstream);
    });
    const close = () => {
        upstream.destroy();
        socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
    upstream.on('close', close);
    socket.on('close', close);
}

/**
 * startHostServer serves the host page on host:port (port 0 picks a free one) and proxies the rest to
 * siteURL. It resolves to {url, close}.
 */
export function startHostServer({siteURL, port = 0, host = '127.0.0.1'}) {
    const target = new URL(siteURL);
    if (target.protocol !== 'http:') {
        throw new Error('MM_SITE_URL must be an http:// address on this machine');
    }
    const sockets = new Set();
    const server = http.createServer((req, res) => {
        if (PROXIED.some((p) => req.url.startsWith(p))) {
            proxyHTTP(target, req, res);
        } else {
            serveStatic(req, res);
        }
    });
    server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
    });
    server.on('upgrade', (req, socket, head) => {
        sockets.add(socket);
        if (req.url.startsWith('/api/v4/websocket')) {
            proxyUpgrade(target, req, socket, head);
        } else {
            socket.destroy();
        }
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            const addr = server.address();
            resolve({
                url: `http://${host}:${addr.port}`,
                close: () => new Promise((done) => {
                    for (const s of sockets) {
                        s.destroy();
                    }
                    server.close(() => done());
                }),
            });
        });
    });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const siteURL = process.env.MM_SITE_URL || (process.env.MM_PORT ? `http://127.0.0.1:${process.env.MM_PORT}` : '');
    if (!siteURL) {
        process.stderr.write('serve: set MM_SITE_URL (or MM_PORT for the local server), e.g. MM_SITE_URL=http://127.0.0.1:8065\n');
        process.exit(2);
    }
    for (const file of [path.join(hostDist, 'index.html'), bundle]) {
        if (!fs.existsSync(file)) {
            process.stderr.write(`serve: ${file} is missing; run "npm run build && npm run build:host" in webapp/ first\n`);
            process.exit(2);
        }
    }
    const {url} = await startHostServer({
        siteURL,
        port: Number(process.env.HOST_PAGE_PORT ?? 8070),
        host: process.env.HOST_PAGE_ADDR ?? '127.0.0.1',
    });
    process.stdout.write(`Read Receipts host page: ${url} (proxying ${siteURL})\n`);
}
