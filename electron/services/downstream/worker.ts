// A worker thread that opens batches of JWEs with its own copy of the submission keys, parsed once.
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { openJwe, type OpenedPayload, submissionKeys } from './open';
import { ringFromTransfer, type TransferKey } from './ring-transfer';

export interface OpenWorkerData {
  keys: TransferKey[];
}

export interface BatchRequest {
  batch: number;
  texts: string[];
}

export interface BatchReply {
  batch: number;
  results: OpenedPayload[];
  /** This thread's V8 heap after the batch, for the bench's memory figure. */
  heapUsed: number;
}

const keys = submissionKeys(ringFromTransfer((workerData as OpenWorkerData).keys));

parentPort!.on('message', (request: BatchRequest) => {
  // openJwe never rejects; all of a batch at once lets its signature checks (jose's verify runs
  // on libuv's pool) overlap with the next decryption.
  void Promise.all(request.texts.map((text) => openJwe(text, keys))).then((results) => {
    const reply: BatchReply = { batch: request.batch, results, heapUsed: v8.getHeapStatistics().used_heap_size };
    parentPort!.postMessage(reply);
  });
});
