// Source events -> opened items, in input order. Small inputs are opened in this thread; from
// the (threshold+1)th JWE on, a worker pool takes the JWEs. Outstanding work is bounded (a window
// of candidates and of bytes), and the next file is only read once the consumer has taken a
// result, so 10,000 payloads pass through in bounded memory.
import os from 'node:os';
import type { KeyRing } from '../keyring/keyring';
import type { Candidate } from './extract';
import { openCandidate, type OpenedPayload, submissionKeys } from './open';
import { OpenPool } from './pool';
import type { SourceEvent } from './sources';

/** Below this many JWEs, starting worker threads costs more than it saves. */
export const WORKER_THRESHOLD = 50;
const BATCH_SIZE = 8;
/** Batches queued per worker: enough that a worker never waits for the reader. */
const BATCHES_PER_WORKER = 3;
/** Candidate text outstanding at most (a few payloads of 100,000 answers). */
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

export interface OpenOptions {
  /** Worker threads for large inputs; 1 opens everything in this thread. Default: one per core. */
  threads?: number;
  /** JWEs opened in this thread before the pool takes over. */
  threshold?: number;
  batchSize?: number;
  /** Filled in as the run goes: where candidates were opened, and the workers' peak heap. */
  stats?: OpenStats;
}

export interface OpenStats {
  inProcess: number;
  pooled: number;
  threads: number;
  peakWorkerHeap: number;
}

export type OpenEvent =
  | { type: 'item'; candidate: Candidate; /** The file it came from; undefined for text. */ file?: string; opened: OpenedPayload }
  | Extract<SourceEvent, { type: 'error' }>;

export function emptyStats(): OpenStats {
  return { inProcess: 0, pooled: 0, threads: 0, peakWorkerHeap: 0 };
}

export async function* openEvents(events: AsyncIterable<SourceEvent>, ring: KeyRing, options: OpenOptions = {}): AsyncGenerator<OpenEvent> {
  const threads = options.threads ?? os.availableParallelism();
  const threshold = options.threshold ?? WORKER_THRESHOLD;
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const stats = options.stats ?? emptyStats();
  const window = threads * batchSize * BATCHES_PER_WORKER;
  const keys = submissionKeys(ring);
  const queue: { promise: Promise<OpenEvent>; bytes: number }[] = [];
  let bytes = 0;
  let jwes = 0;
  let pool: OpenPool | undefined;

  const next = (): Promise<OpenEvent> => {
    pool?.flush();
    const head = queue.shift()!;
    bytes -= head.bytes;
    return head.promise;
  };

  try {
    for await (const event of events) {
      let promise: Promise<OpenEvent>;
      let size = 0;
      if (event.type === 'error') promise = Promise.resolve(event);
      else {
        const { candidate, file } = event;
        size = candidate.text.length;
        let opened: Promise<OpenedPayload>;
        if (candidate.kind === 'jwe' && threads > 1 && ++jwes > threshold) {
          if (!pool) {
            pool = await OpenPool.start(ring, threads, batchSize);
            stats.threads = pool.threads;
          }
          opened = pool.submit(candidate.text);
          stats.pooled++;
        } else {
          opened = openCandidate(candidate, keys);
          stats.inProcess++;
        }
        promise = opened.then((o): OpenEvent => ({ type: 'item', candidate, file, opened: o }));
        // Awaited in order below; a worker failure before then must not count as unhandled.
        promise.catch(() => undefined);
      }
      queue.push({ promise, bytes: size });
      bytes += size;
      while (queue.length && (queue.length >= window || bytes > MAX_IN_FLIGHT_BYTES)) yield await next();
    }
    while (queue.length) yield await next();
  } finally {
    if (pool) {
      stats.peakWorkerHeap = Math.max(stats.peakWorkerHeap, pool.peakWorkerHeap);
      await pool.close();
    }
  }
}
