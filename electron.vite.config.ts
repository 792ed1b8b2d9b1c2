import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { APP_CSP_META } from './shared/csp';

const fromRoot = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/**
 * Electron's webRequest header hook never sees file:// loads, so the packaged page must carry its
 * policy itself. Build only: the dev server's inline preamble needs the looser header policy that
 * electron/main/security.ts sends, and a meta policy would intersect with it and block the preamble.
 */
function appCspMeta(): Plugin {
  return {
    name: 'eq-app-csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      // First in <head>: a meta policy covers only the elements after it.
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: APP_CSP_META }, injectTo: 'head-prepend' }],
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: fromRoot('./out/main'),
      // jose and electron-store are ESM-only and the packaged app should not need node_modules:
      // bundle every dependency. electron-vite's preset still keeps electron and node builtins external.
      externalizeDeps: false,
      rolldownOptions: {
        // Worker threads load their own entries from beside index.js (electron/services/workers/start-worker.ts).
        input: {
          index: fromRoot('./electron/main/index.ts'),
          'mint-worker': fromRoot('./electron/services/tokens/mint-worker.ts'),
          'downstream-worker': fromRoot('./electron/services/downstream/worker.ts'),
        },
        // Chunks flat beside the entries: start-worker.ts finds the worker entries next to the chunk it is bundled into.
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: fromRoot('./out/preload'),
      // A sandboxed preload can require('electron') and little else, and no relative files:
      // everything (shared/transport.ts included) goes into one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('./electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: fromRoot('./renderer'),
    plugins: [react(), appCspMeta()],
    build: {
      outDir: fromRoot('./out/renderer'),
      emptyOutDir: true,
      rolldownOptions: {
        input: fromRoot('./renderer/index.html'),
      },
    },
  },
});
