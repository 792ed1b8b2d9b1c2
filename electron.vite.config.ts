import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const fromRoot = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: fromRoot('./out/main'),
      // jose and electron-store are ESM-only and the packaged app should not need node_modules:
      // bundle every dependency. electron-vite's preset still keeps electron and node builtins external.
      externalizeDeps: false,
      rolldownOptions: {
        // The mint worker is its own entry: worker threads load it from beside index.js.
        input: { index: fromRoot('./electron/main/index.ts'), 'mint-worker': fromRoot('./electron/services/tokens/mint-worker.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
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
    plugins: [react()],
    build: {
      outDir: fromRoot('./out/renderer'),
      emptyOutDir: true,
      rolldownOptions: {
        input: fromRoot('./renderer/index.html'),
      },
    },
  },
});
