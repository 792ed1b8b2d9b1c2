// Batches split across worker threads, one per core: signing is synchronous, so each core
// needs a thread of its own.
import os from 'node:os';
import { startWorker, type WorkerEntry } from '../workers/start-worker';
import type { SigningKeys } from './jwt-profile';
import { mintMany } from './mint-many';
import type { MintJob } from './mint-worker';

/** Below this a batch is minted in-process: starting workers costs more than it saves. */
export const WORKER_THRESHOLD = 200;

const MINT_WORKER: WorkerEntry = { bundled: 'mint-worker.js', source: new URL('./mint-worker.ts', import.meta.url) };

export async function mintBatch(
  claims: Record<string, unknown>,
  keys: SigningKeys,
  count: number,
  emit: (tokens: string[]) => void,
  threads = os.availableParallelism(),
): Promise<void> {
  if (count < WORKER_THRESHOLD || threads < 2) return mintMany(claims, keys, count, emit);
  const shares = Array.from({ length: threads }, (_, i) => Math.floor(count / threads) + (i < count % threads ? 1 : 0));
  const signer = { kid: keys.signer.kid, der: keys.signer.key.export({ type: 'pkcs8', format: 'der' }) };
  await Promise.all(shares.map((share) => runWorker({ claims, signer, recipient: keys.recipient, count: share }, emit)));
}

async function runWorker(job: MintJob, emit: (tokens: string[]) => void): Promise<void> {
  const worker = await startWorker(MINT_WORKER, job);
  return new Promise((resolve, reject) => {
    worker.on('message', (msg: { tokens?: string[]; done?: true; error?: string }) => {
      if (msg.tokens) emit(msg.tokens);
      else if (msg.error) reject(new Error(msg.error));
      else if (msg.done) void worker.terminate().then(() => resolve());
    });
    worker.on('error', reject);
    worker.on('exit', (code) => code !== 0 && code !== 1 && reject(new Error(`mint worker exited with code ${code}`)));
  });
}
