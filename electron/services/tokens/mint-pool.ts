// A batch of tokens on every core: worker threads start first, and this thread mints while they
// come up. All take runs of tokens from one shared counter until the batch is done, so no thread
// waits for another's share; each run leaves as one joined text.
import os from 'node:os';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { startWorker, type WorkerEntry } from '../workers/start-worker';
import type { SigningKeys } from './jwt-profile';
import { Minter } from './minter';
import type { MintJob, MintReply } from './mint-worker';

/** Below this a batch is minted in this thread alone: starting a worker costs more than it saves. */
export const WORKER_THRESHOLD = 200;
/** Tokens per run taken from the counter: long enough to keep the counter quiet, short enough to share the tail. */
export const RUN = 32;

const MINT_WORKER: WorkerEntry = { bundled: 'mint-worker', source: new URL('./mint-worker.ts', import.meta.url) };

/**
 * count tokens of the claims, each with fresh ids; emit gets them as text, a token a line, run by
 * run (in no particular order). threads: this one and its workers together.
 */
export async function mintBatch(
  claims: Record<string, unknown>,
  keys: SigningKeys,
  count: number,
  emit: (text: string) => void,
  threads = os.availableParallelism(),
): Promise<void> {
  const workers = count < WORKER_THRESHOLD ? 0 : Math.max(0, threads - 1);
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const job: MintJob = {
    claims,
    // Each worker parses its own copy of the private key: OpenSSL serialises RSA blinding on a key
    // shared between threads.
    signer: { kid: keys.signer.kid, der: keys.signer.key.export({ type: 'pkcs8', format: 'der' }) },
    recipient: keys.recipient,
    count,
    run: RUN,
    counter,
  };
  const started = Array.from({ length: workers }, () => runWorker(job, emit));
  const minter = Minter.of(claims, keys);
  for (;;) {
    const from = Atomics.add(counter, 0, RUN);
    if (from >= count) break;
    emit(minter.mint(Math.min(RUN, count - from)));
    // The workers' runs are written as they come, not after this thread's last one.
    await yieldToEvents();
  }
  await Promise.all(started);
}

async function runWorker(job: MintJob, emit: (text: string) => void): Promise<void> {
  const worker = await startWorker(MINT_WORKER, job);
  return new Promise((resolve, reject) => {
    worker.on('message', (msg: MintReply) => {
      if ('text' in msg) emit(msg.text);
      else if ('error' in msg) reject(new Error(msg.error));
      else void worker.terminate().then(() => resolve());
    });
    worker.on('error', reject);
    worker.on('exit', (code) => code !== 0 && code !== 1 && reject(new Error(`mint worker exited with code ${code}`)));
  });
}
