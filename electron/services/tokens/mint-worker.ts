// A worker thread that mints its share of a batch. It parses its own copy of the signing key:
// OpenSSL serialises RSA blinding on a key shared between threads, which held two workers
// sharing one KeyObject to about 1.6 cores.
import crypto from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { mintMany } from './mint-many';

export interface MintJob {
  claims: Record<string, unknown>;
  signer: { kid: string; der: Buffer };
  recipient: { kid: string; key: crypto.KeyObject };
  count: number;
}

const job = workerData as MintJob;
const keys = {
  signer: { kid: job.signer.kid, key: crypto.createPrivateKey({ key: Buffer.from(job.signer.der), format: 'der', type: 'pkcs8' }) },
  recipient: job.recipient,
};
mintMany(job.claims, keys, job.count, (tokens) => parentPort!.postMessage({ tokens }))
  .then(() => parentPort!.postMessage({ done: true }))
  .catch((err: unknown) => parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) }));
