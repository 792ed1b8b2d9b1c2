// A worker thread minting runs of a batch (mint-pool.ts) until the shared counter passes the end.
import crypto from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { Minter } from './minter';

export interface MintJob {
  claims: Record<string, unknown>;
  signer: { kid: string; der: Buffer };
  recipient: { kid: string; key: crypto.KeyObject };
  count: number;
  run: number;
  /** The next token to mint, shared by every thread of the batch. */
  counter: Int32Array;
}

export type MintReply = { text: string } | { error: string } | { done: true };

const job = workerData as MintJob;
try {
  const signer = { kid: job.signer.kid, key: crypto.createPrivateKey({ key: Buffer.from(job.signer.der), format: 'der', type: 'pkcs8' }) };
  const minter = new Minter(job.claims, signer, job.recipient);
  for (;;) {
    const from = Atomics.add(job.counter, 0, job.run);
    if (from >= job.count) break;
    parentPort!.postMessage({ text: minter.mint(Math.min(job.run, job.count - from)) } satisfies MintReply);
  }
  parentPort!.postMessage({ done: true } satisfies MintReply);
} catch (err) {
  parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies MintReply);
}
