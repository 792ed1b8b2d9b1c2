// Starting a worker thread whose code lives in a TypeScript module, the same way from the
// bundled app and from source.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface WorkerEntry {
  /** The entry's name beside the bundled code (its own entry in electron.vite.config.ts and scripts/build-cli.mjs), without extension. */
  bundled: string;
  /** The TypeScript source, as new URL('./x-worker.ts', import.meta.url) in the caller. */
  source: URL;
}

// esbuild is a dev dependency: named through a variable so the main-process bundle leaves it
// alone (the bundle never takes the source path) instead of trying to inline it.
const ESBUILD = 'esbuild';

const scripts = new Map<string, Promise<string>>();

/**
 * Bundled, the worker is plain JavaScript beside this file. From source (the CLI under tsx,
 * tests, the bench) it is TypeScript, which a worker cannot load: esbuild bundles it once per
 * process into a script, which starts in tens of milliseconds where registering tsx inside every
 * worker takes more than half a second.
 */
export async function startWorker(entry: WorkerEntry, workerData: unknown): Promise<Worker> {
  // The desktop app's bundle is .js, the command line's .mjs; the workers are built beside each.
  if (!import.meta.url.endsWith('.ts')) {
    const ext = import.meta.url.endsWith('.mjs') ? '.mjs' : '.js';
    return new Worker(new URL(`./${entry.bundled}${ext}`, import.meta.url), { workerData });
  }
  const file = fileURLToPath(entry.source);
  // The promise is kept, so workers started together share one build.
  let script = scripts.get(file);
  if (!script) {
    script = bundle(file);
    scripts.set(file, script);
    script.catch(() => scripts.delete(file));
  }
  return new Worker(await script, { eval: true, workerData });
}

async function bundle(file: string): Promise<string> {
  const { buildSync } = (await import(ESBUILD)) as typeof import('esbuild');
  // Warnings about the project's own code are the type checker's business, not a CLI user's.
  return buildSync({ entryPoints: [file], bundle: true, platform: 'node', format: 'iife', target: 'node20', write: false, logLevel: 'error' }).outputFiles[0]!
    .text;
}
