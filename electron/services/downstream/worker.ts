// A worker thread that runs batches of opening tasks (read, decrypt, verify, validate, and make
// the outputs) with its own copy of the submission keys, parsed once.
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { submissionKeys } from './open';
import type { OpenOutput, OutputMode } from './outputs';
import { ringFromTransfer, type TransferKey } from './ring-transfer';
import { type OpenTask, runTask } from './task';

export interface OpenWorkerData {
  keys: TransferKey[];
  output: OutputMode;
}

export interface BatchRequest {
  batch: number;
  tasks: OpenTask[];
}

export interface BatchReply {
  batch: number;
  /** Each task's outputs, in the order of the tasks. */
  results: OpenOutput[][];
  /** This thread's V8 heap after the batch, for the bench's memory figure. */
  heapUsed: number;
}

const { keys: transferred, output } = workerData as OpenWorkerData;
const keys = submissionKeys(ringFromTransfer(transferred));

parentPort!.on('message', (request: BatchRequest) => {
  // runTask never rejects: a file that cannot be read or opened is an output that says why.
  void Promise.all(request.tasks.map((task) => runTask(task, keys, output))).then((results) => {
    const reply: BatchReply = { batch: request.batch, results, heapUsed: v8.getHeapStatistics().used_heap_size };
    try {
      parentPort!.postMessage(reply);
    } catch (err) {
      // The limits (shared/json-limits.ts) keep every payload cloneable; should one still not be,
      // its task says so, and the other tasks of the batch and the pool carry on.
      parentPort!.postMessage({ ...reply, results: results.map((r, i) => (cloneable(r) ? r : uncloneable(request.tasks[i]!, err))) });
    }
  });
});

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function uncloneable(task: OpenTask, err: unknown): OpenOutput[] {
  const source = task.kind === 'file' ? task.file : task.candidate.source;
  const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return [{ type: 'error', source, message: `Cannot open ${source}: what it holds cannot be handed over from the worker thread (${why}).` }];
}
