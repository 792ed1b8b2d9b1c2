// Batches split across worker threads, one per core, so the JavaScript around each RSA
// operation (JSON, base64, AES-GCM) also runs on both cores.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SigningKeys } from './jwt-profile';
import { mintMany } from './mint-many';

/** Below this a batch is minted in-process: starting workers costs more than it saves. */
export const WORKER_THRESHOLD = 200;

export async function mintBatch(
  claims: Record<string, unknown>,
  keys: SigningKeys,
  count: number,
  emit: (tokens: string[]) => void,
  threads = os.availableParallelism(),
): Promise<void> {
  if (count < WORKER_THRESHOLD || threads < 2) return mintMany(claims, keys, count, emit);
  const shares = Array.from({ length: threads }, (_, i) => Math.floor(count / threads) + (i < count % threads ? 1 : 0));
  await Promise.all(shares.map((share) => runWorker({ claims, keys, count: share }, emit)));
}

function runWorker(job: { claims: Record<string, unknown>; keys: SigningKeys; count: number }, emit: (tokens: string[]) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(job);
    worker.on('message', (msg: { tokens?: string[]; done?: true; error?: string }) => {
      if (msg.tokens) emit(msg.tokens);
      else if (msg.error) reject(new Error(msg.error));
      else if (msg.done) void worker.terminate().then(() => resolve());
    });
    worker.on('error', reject);
    worker.on('exit', (code) => code !== 0 && code !== 1 && reject(new Error(`mint worker exited with code ${code}`)));
  });
}

/**
 * Bundled, the worker is plain JavaScript beside this file. From source (the CLI under tsx,
 * tests, the bench) it is TypeScript: a worker does not inherit tsx's loader, so a two-line
 * bootstrap registers tsx inside the worker before importing it.
 */
function startWorker(job: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./mint-worker.js', import.meta.url), { workerData: job });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./mint-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: job });
}
