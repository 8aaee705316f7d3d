// Builds the e2e host page (../e2e/host) into ../e2e/dist. Its bare imports (react, @mattermost/client…)
// resolve from this folder's node_modules, so the project keeps one package.json.

import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {defineConfig} from 'vite';
import type {Plugin} from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const hostRoot = path.resolve(here, '../e2e/host');

/** resolveFromWebapp resolves bare module names as if imported from webapp/. */
function resolveFromWebapp(): Plugin {
    return {
        name: 'resolve-from-webapp',
        enforce: 'pre',
        async resolveId(source, importer, options) {
            if (!importer || source.startsWith('.') || source.startsWith('/') || source.startsWith('\0') || importer.includes('node_modules')) {
                return null;
            }
            return this.resolve(source, path.join(here, 'package.json'), {...options, skipSelf: true});
        },
    };
}

export default defineConfig({
    root: hostRoot,
    plugins: [resolveFromWebapp()],
    esbuild: {jsx: 'transform', jsxFactory: 'React.createElement', jsxFragment: 'React.Fragment'},
    define: {'process.env.NODE_ENV': JSON.stringify('production')},
    build: {
        outDir: path.resolve(here, '../e2e/dist'),
        emptyOutDir: true,
        target: 'es2020',
        chunkSizeWarningLimit: 2000,
    },
});
