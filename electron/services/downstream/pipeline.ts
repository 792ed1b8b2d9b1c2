// Source events -> outputs, in input order. Outstanding work is bounded (a window of tasks and of
// bytes), and the next source event is only taken once the consumer has taken a result, so
// 10,000 payloads pass through in bounded memory.
//
// Where tasks run: the first JWEs and payload files wait, undecided, while the reader looks ahead.
// Once more than `threshold` are waiting, a worker pool starts and takes them all and every later
// one; the workers read the files, open and validate the payloads and make the outputs, so this
// thread only orders them. When the input ends first (or a result is needed before then), they
// run in this thread, since starting workers would cost more than it saves.
import os from 'node:os';
import type { KeyRing } from '../keyring/keyring';
import { submissionKeys } from './open';
import { type OpenOutput, type OutputMode, payloadsIn } from './outputs';
import { OpenPool } from './pool';
import type { SourceEvent } from './sources';
import { type OpenTask, runTask, taskBytes } from './task';

export const WORKER_THRESHOLD = 50;
const BATCH_SIZE = 8;
/** Batches queued per worker: enough that a worker never waits for the reader. */
const BATCHES_PER_WORKER = 3;
/** Text outstanding at most (a few payloads of 100,000 answers). */
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

export interface OpenOptions {
  /** What each payload becomes: items (the default) or the command line's output lines. */
  output?: OutputMode;
  /** Worker threads for large inputs; 1 opens everything in this thread. Default: one per core. */
  threads?: number;
  /** Tasks that run in this thread when no more follow. */
  threshold?: number;
  batchSize?: number;
  /** Filled in as the run goes: where tasks ran, and the workers' peak heap. */
  stats?: OpenStats;
}

export interface OpenStats {
  inProcess: number;
  pooled: number;
  threads: number;
  peakWorkerHeap: number;
}

export function emptyStats(): OpenStats {
  return { inProcess: 0, pooled: 0, threads: 0, peakWorkerHeap: 0 };
}

interface Undecided {
  task: OpenTask;
  settle: (outputs: Promise<OpenOutput[]>) => void;
}

interface Queued {
  outputs: Promise<OpenOutput[]>;
  bytes: number;
  /** The end of a source the user gave: says so if none of its payloads came before it. */
  end?: Extract<SourceEvent, { type: 'end' }>;
}

export async function* openEvents(events: AsyncIterable<SourceEvent>, ring: KeyRing, options: OpenOptions = {}): AsyncGenerator<OpenOutput> {
  const mode = options.output ?? 'item';
  const threads = options.threads ?? os.availableParallelism();
  const threshold = options.threshold ?? WORKER_THRESHOLD;
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const stats = options.stats ?? emptyStats();
  // Room to look ahead past the threshold before a result must be given.
  const window = Math.max(threads * batchSize * BATCHES_PER_WORKER, threshold + batchSize);
  const keys = submissionKeys(ring);
  const queue: Queued[] = [];
  let bytes = 0;
  let undecided: Undecided[] = [];
  let pool: OpenPool | undefined;
  /** Outputs since the last source's end. */
  let sinceEnd = 0;

  const inProcess = (task: OpenTask): Promise<OpenOutput[]> => {
    stats.inProcess++;
    return runTask(task, keys, mode);
  };
  const pooled = (task: OpenTask): Promise<OpenOutput[]> => {
    stats.pooled++;
    return pool!.submit(task);
  };
  const decide = (run: (task: OpenTask) => Promise<OpenOutput[]>) => {
    const waiting = undecided;
    undecided = [];
    for (const u of waiting) u.settle(run(u.task));
  };
  const enqueue = (entry: Queued) => {
    // Awaited in order below; a worker failure before then must not count as unhandled.
    entry.outputs.catch(() => undefined);
    queue.push(entry);
    bytes += entry.bytes;
  };
  async function* next(): AsyncGenerator<OpenOutput> {
    decide(inProcess);
    pool?.flush();
    const head = queue.shift()!;
    bytes -= head.bytes;
    for (const output of await head.outputs) {
      sinceEnd += output.type === 'error' ? 1 : payloadsIn(output);
      yield output;
    }
    if (head.end) {
      if (sinceEnd === 0) yield { type: 'error', source: head.end.source, message: head.end.message, noPayloads: true };
      sinceEnd = 0;
    }
  }

  try {
    for await (const event of events) {
      if (event.type === 'error') enqueue({ outputs: Promise.resolve([event]), bytes: 0 });
      else if (event.type === 'end') enqueue({ outputs: Promise.resolve([]), bytes: 0, end: event });
      else {
        const task: OpenTask =
          event.type === 'file' ? { kind: 'file', file: event.file, size: event.size } : { kind: 'candidate', candidate: event.candidate, file: event.file };
        let outputs: Promise<OpenOutput[]>;
        // Plain JSON is parsed already: opening it is only validation.
        if ((task.kind === 'candidate' && task.candidate.kind !== 'jwe') || threads < 2) outputs = inProcess(task);
        else if (pool) outputs = pooled(task);
        else {
          outputs = new Promise((resolve) => undecided.push({ task, settle: resolve }));
          if (undecided.length > threshold) {
            pool = await OpenPool.start(ring, threads, batchSize, mode);
            stats.threads = pool.threads;
            decide(pooled);
          }
        }
        enqueue({ outputs, bytes: taskBytes(task) });
      }
      while (queue.length && (queue.length >= window || bytes > MAX_IN_FLIGHT_BYTES)) yield* next();
    }
    while (queue.length) yield* next();
  } finally {
    if (pool) {
      stats.peakWorkerHeap = Math.max(stats.peakWorkerHeap, pool.peakWorkerHeap);
      await pool.close();
    }
  }
}
