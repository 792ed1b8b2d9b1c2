// A worker thread that mints its share of a batch with keys handed over once as KeyObjects.
import { parentPort, workerData } from 'node:worker_threads';
import type { SigningKeys } from './jwt-profile';
import { mintMany } from './mint-many';

interface Job {
  claims: Record<string, unknown>;
  keys: SigningKeys;
  count: number;
}

const job = workerData as Job;
mintMany(job.claims, job.keys, job.count, (tokens) => parentPort!.postMessage({ tokens }))
  .then(() => parentPort!.postMessage({ done: true }))
  .catch((err: unknown) => parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) }));
