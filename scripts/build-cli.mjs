#!/usr/bin/env node
// Builds the command line into plain JavaScript (out/cli): bin/eq-console runs it with node, so a
// command starts without transpiling anything, and needs no package from node_modules at all (a
// clone that ran `npm prune --omit=dev`, or the packaged app, still has a working CLI).
// Each command is its own chunk, loaded only when it runs; the worker threads' entries sit
// beside the chunks, where start-worker.ts looks for them.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'out', 'cli');

export async function buildCli() {
  fs.rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: {
      'eq-console': 'electron/cli/bin.ts',
      'mint-worker': 'electron/services/tokens/mint-worker.ts',
      'downstream-worker': 'electron/services/downstream/worker.ts',
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    // Beside the entries: start-worker.ts finds the workers next to the chunk it is bundled into.
    chunkNames: 'chunk-[hash]',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'linked',
    // Dependencies written as CommonJS call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __eqRequire } from 'node:module'; const require = __eqRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
