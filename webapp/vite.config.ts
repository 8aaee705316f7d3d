// Builds the plugin bundle (dist/main.js) the way Mattermost loads it: one IIFE that takes React,
// Redux and react-intl from the page's globals, and runs the unit tests.

import {defineConfig} from 'vitest/config';

/** The host page's libraries, as Mattermost exposes them on window for plugins. */
const hostGlobals: Record<string, string> = {
    react: 'React',
    'react-dom': 'ReactDOM',
    redux: 'Redux',
    'react-redux': 'ReactRedux',
    'react-intl': 'ReactIntl',
    'prop-types': 'PropTypes',
};

export default defineConfig(({command}) => ({
    esbuild: {
        // Classic JSX: React.createElement on the host's React; there is no jsx-runtime global.
        jsx: 'transform',
        jsxFactory: 'React.createElement',
        jsxFragment: 'React.Fragment',
    },
    // Only the bundle is production; tests run React's development build (act needs it).
    define: command === 'build' ? {'process.env.NODE_ENV': JSON.stringify('production')} : {},
    build: {
        outDir: 'dist',
        emptyOutDir: true,
        target: 'es2020',
        sourcemap: false,
        lib: {
            entry: 'src/index.tsx',
            formats: ['iife'],
            name: 'ReadReceiptsPlugin',
            fileName: () => 'main.js',
        },
        rollupOptions: {
            external: Object.keys(hostGlobals),
            output: {globals: hostGlobals},
        },
    },
    test: {
        environment: 'jsdom',
        globals: true,
        include: ['src/**/*.test.{ts,tsx}'],
        setupFiles: ['src/test/setup.ts'],
        restoreMocks: true,
        unstubGlobals: true,
    },
}));
