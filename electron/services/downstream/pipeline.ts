// Source events -> opened items, in input order. Outstanding work is bounded (a window of
// candidates and of bytes), and the next file is only read once the consumer has taken a result,
// so 10,000 payloads pass through in bounded memory.
//
// Where JWEs are opened: the first ones wait, undecided, while the reader looks ahead. Once more
// than `threshold` are waiting, a worker pool starts and takes them all and every later one;
// when the input ends first (or a result is needed before then), they are opened in this thread,
// since starting workers would cost more than it saves.
import os from 'node:os';
import type { KeyRing } from '../keyring/keyring';
import type { Candidate } from './extract';
import { openCandidate, type OpenedPayload, submissionKeys } from './open';
import { OpenPool } from './pool';
import type { SourceEvent } from './sources';

export const WORKER_THRESHOLD = 50;
const BATCH_SIZE = 8;
/** Batches queued per worker: enough that a worker never waits for the reader. */
const BATCHES_PER_WORKER = 3;
/** Candidate text outstanding at most (a few payloads of 100,000 answers). */
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

export interface OpenOptions {
  /** Worker threads for large inputs; 1 opens everything in this thread. Default: one per core. */
  threads?: number;
  /** JWEs that are opened in this thread when no more follow. */
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

interface Undecided {
  candidate: Candidate;
  settle: (opened: Promise<OpenedPayload>) => void;
}

export async function* openEvents(events: AsyncIterable<SourceEvent>, ring: KeyRing, options: OpenOptions = {}): AsyncGenerator<OpenEvent> {
  const threads = options.threads ?? os.availableParallelism();
  const threshold = options.threshold ?? WORKER_THRESHOLD;
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const stats = options.stats ?? emptyStats();
  // Room to look ahead past the threshold before a result must be given.
  const window = Math.max(threads * batchSize * BATCHES_PER_WORKER, threshold + batchSize);
  const keys = submissionKeys(ring);
  const queue: { promise: Promise<OpenEvent>; bytes: number }[] = [];
  let bytes = 0;
  let undecided: Undecided[] = [];
  let pool: OpenPool | undefined;

  const inProcess = (candidate: Candidate): Promise<OpenedPayload> => {
    stats.inProcess++;
    return openCandidate(candidate, keys);
  };
  const pooled = (text: string): Promise<OpenedPayload> => {
    stats.pooled++;
    return pool!.submit(text);
  };
  const decide = (open: (u: Undecided) => Promise<OpenedPayload>) => {
    const waiting = undecided;
    undecided = [];
    for (const u of waiting) u.settle(open(u));
  };
  const next = (): Promise<OpenEvent> => {
    decide((u) => inProcess(u.candidate));
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
        if (candidate.kind !== 'jwe' || threads < 2) opened = inProcess(candidate);
        else if (pool) opened = pooled(candidate.text);
        else {
          opened = new Promise((resolve) => undecided.push({ candidate, settle: resolve }));
          if (undecided.length > threshold) {
            pool = await OpenPool.start(ring, threads, batchSize);
            stats.threads = pool.threads;
            decide((u) => pooled(u.candidate.text));
          }
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
