// Worker threads that run opening tasks, one per core: the RSA private-key operation is
// synchronous and is the whole cost (DESIGN.md "Performance targets"), so each core needs a
// thread of its own. Work goes out in small batches to the least busy worker; how much is
// outstanding is the caller's to bound (see pipeline.ts).
import type { Worker } from 'node:worker_threads';
import type { KeyRing } from '../keyring/keyring';
import { startWorker, type WorkerEntry } from '../workers/start-worker';
import type { OpenOutput, OutputMode } from './outputs';
import { ringToTransfer } from './ring-transfer';
import type { OpenTask } from './task';
import type { BatchReply, BatchRequest, OpenWorkerData } from './worker';

const OPEN_WORKER: WorkerEntry = { bundled: 'downstream-worker', source: new URL('./worker.ts', import.meta.url) };

interface Waiter {
  task: OpenTask;
  resolve: (outputs: OpenOutput[]) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Tasks sent and not yet answered. */
  inFlight: number;
  batches: Set<number>;
}

export class OpenPool {
  private pending: Waiter[] = [];
  private readonly batches = new Map<number, { slot: Slot; waiters: Waiter[] }>();
  private nextBatch = 0;
  private broken: Error | undefined;
  private closing = false;
  /** The largest V8 heap any worker reported, in bytes. */
  peakWorkerHeap = 0;

  private constructor(
    private readonly slots: Slot[],
    private readonly batchSize: number,
  ) {
    for (const slot of slots) {
      slot.worker.on('message', (reply: BatchReply) => this.answered(slot, reply));
      slot.worker.on('error', (err) => this.fail(err));
      slot.worker.on('exit', (code) => !this.closing && this.fail(new Error(`a downstream worker thread stopped (exit code ${code})`)));
    }
  }

  static async start(ring: KeyRing, threads: number, batchSize: number, output: OutputMode): Promise<OpenPool> {
    const data: OpenWorkerData = { keys: ringToTransfer(ring), output };
    const workers = await Promise.all(Array.from({ length: threads }, () => startWorker(OPEN_WORKER, data)));
    return new OpenPool(
      workers.map((worker) => ({ worker, inFlight: 0, batches: new Set() })),
      batchSize,
    );
  }

  get threads(): number {
    return this.slots.length;
  }

  submit(task: OpenTask): Promise<OpenOutput[]> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.pending.push({ task, resolve, reject });
      if (this.pending.length >= this.batchSize) this.flush();
    });
  }

  /** Sends a partly filled batch: called before the caller waits on anything still pending. */
  flush(): void {
    if (!this.pending.length || this.broken) return;
    const slot = this.slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const batch = this.nextBatch++;
    const waiters = this.pending;
    this.pending = [];
    this.batches.set(batch, { slot, waiters });
    slot.batches.add(batch);
    slot.inFlight += waiters.length;
    const request: BatchRequest = { batch, tasks: waiters.map((w) => w.task) };
    slot.worker.postMessage(request);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.fail(new Error('the downstream worker threads were stopped'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private answered(slot: Slot, reply: BatchReply): void {
    const sent = this.batches.get(reply.batch);
    if (!sent) return;
    this.batches.delete(reply.batch);
    slot.batches.delete(reply.batch);
    slot.inFlight -= sent.waiters.length;
    this.peakWorkerHeap = Math.max(this.peakWorkerHeap, reply.heapUsed);
    sent.waiters.forEach((w, i) => w.resolve(reply.results[i]!));
  }

  private fail(err: Error): void {
    this.broken ??= err;
    for (const { waiters } of this.batches.values()) for (const w of waiters) w.reject(this.broken);
    for (const w of this.pending) w.reject(this.broken);
    this.batches.clear();
    this.pending = [];
  }
}
