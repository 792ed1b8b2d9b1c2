// Flushing many responses: bounded concurrency, a timeout per request, retries with backoff
// for network errors and 5xx only (a 4xx answer is the runner's word and never changes on
// retry), cancellable at any moment.
import { FLUSH_DEFAULT_CONCURRENCY } from '../../../shared/flush/types';
import { runnerEndpoints } from '../../../shared/runner-url';
import { sealClaims, type SigningKeys } from '../tokens/jwt-profile';
import { flushClaims } from './claims';
import { describeAnswer, type FlushOutcome, noAnswer } from './outcome';

export interface FlushBatchOptions {
  runnerUrl: string;
  keys: SigningKeys;
  /** Launch claims to build each flush token from, when the response came from a known launch. */
  baseClaims?: (responseId: string) => Record<string, unknown> | undefined;
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  signal?: AbortSignal;
  onOutcome?: (outcome: FlushOutcome, done: number, total: number) => void;
}

/** What the outcome needs of a body is its first line or two; a runner (or anything at its address) may send without end. */
const BODY_LIMIT = 4096;

export const FLUSH_DEFAULTS = { concurrency: FLUSH_DEFAULT_CONCURRENCY, timeoutMs: 10_000, retries: 3, backoffMs: 500 };

export async function flushAll(responseIds: string[], options: FlushBatchOptions): Promise<FlushOutcome[]> {
  const { concurrency, timeoutMs, retries, backoffMs } = { ...FLUSH_DEFAULTS, ...definedOnly(options) };
  const results: FlushOutcome[] = new Array(responseIds.length);
  let next = 0;
  let done = 0;
  // Once one id has used all its retries without any answer, the runner is down: the rest are
  // reported at once instead of each waiting through its own retries.
  let down: string | undefined;
  const lane = async () => {
    while (next < responseIds.length) {
      const index = next++;
      const id = responseIds[index]!;
      const outcome = down ? noAnswer(id, index, `Not sent: ${down}`, 0) : await flushOne(id, index, { ...options, timeoutMs, retries, backoffMs });
      if (outcome.httpStatus === null && outcome.attempts > retries && !options.signal?.aborted) down ??= outcome.message;
      results[index] = outcome;
      options.onOutcome?.(outcome, ++done, responseIds.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, responseIds.length)) }, lane));
  return results;
}

async function flushOne(
  responseId: string,
  index: number,
  options: FlushBatchOptions & { timeoutMs: number; retries: number; backoffMs: number },
): Promise<FlushOutcome> {
  const url = runnerEndpoints.flush(options.runnerUrl);
  let lastFailure = '';
  for (let attempt = 1; attempt <= options.retries + 1; attempt++) {
    if (options.signal?.aborted) return noAnswer(responseId, index, 'Cancelled before it was sent.', attempt - 1);
    const claims = flushClaims(responseId, Math.floor(Date.now() / 1000), options.baseClaims?.(responseId));
    const token = sealClaims(claims, options.keys);
    const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
    try {
      const res = await fetch(`${url}?token=${encodeURIComponent(token)}`, { method: 'POST', signal: AbortSignal.any(signals), redirect: 'manual' });
      const body = await readStart(res, BODY_LIMIT);
      const outcome = describeAnswer(responseId, index, { status: res.status, body, signingKid: options.keys.signer.kid }, attempt);
      if (res.status < 500 || attempt > options.retries) return outcome;
      lastFailure = outcome.message;
    } catch (err) {
      if (options.signal?.aborted) return noAnswer(responseId, index, 'Cancelled while waiting for the runner.', attempt);
      lastFailure = networkReason(err, options.runnerUrl, options.timeoutMs);
      if (attempt > options.retries) return noAnswer(responseId, index, lastFailure, attempt);
    }
    await pause(options.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2), options.signal);
  }
  return noAnswer(responseId, index, lastFailure, options.retries + 1);
}

function networkReason(err: unknown, runnerUrl: string, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `No answer from the runner within ${timeoutMs / 1000} s.`;
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return `Cannot reach the runner at ${runnerUrl}: connection refused (is it running?).`;
  if (code === 'ENOTFOUND') return `Cannot reach the runner at ${runnerUrl}: the host name does not resolve.`;
  return `Cannot reach the runner at ${runnerUrl}: ${e.cause?.message ?? e.message}.`;
}

/** The first `limit` bytes of the body as text; the rest is never read (the connection is dropped). */
async function readStart(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit));
}

// The listener goes when the pause ends either way: a job's signal outlives hundreds of retries.
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
