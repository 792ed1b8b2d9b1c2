// GET a JSON document, failing with one plain sentence: who could not be reached and why, what
// answered instead of JSON. Used for the runner's schema list and schema files.
import { ConsoleError } from '../../../shared/errors';
import { SCHEMA_LIMITS, textOverLimit } from '../../../shared/json-limits';

export const FETCH_TIMEOUT_MS = 10_000;
const MAX_BYTES = 32 * 1024 * 1024;

/** Node's network error codes in words. */
export function networkReason(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const code = e.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return (e.cause?.message ?? e.message).split('\n')[0]!;
  }
}

export interface FetchJsonOptions {
  /** Who is being asked, for the message: "the runner at http://…" or the URL itself. */
  who: string;
  timeoutMs?: number;
}

export async function fetchJson(url: string, options: FetchJsonOptions): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' }, redirect: 'follow' });
  } catch (err) {
    throw new ConsoleError('network', `cannot reach ${options.who}: ${networkReason(err, timeoutMs)}`);
  }
  let body: string;
  try {
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_BYTES) throw new Error(`the answer is ${length} bytes, more than the ${MAX_BYTES} a schema may have`);
    body = await res.text();
  } catch (err) {
    throw new ConsoleError('network', `cannot read the answer from ${url}: ${networkReason(err, timeoutMs)}`);
  }
  if (res.status === 404) throw new ConsoleError('not-found', `${url} answered 404 Not Found`);
  if (!res.ok) throw new ConsoleError('network', `${url} answered ${res.status} ${res.statusText}`.trim());
  // Before JSON.parse: a schema nested thousands deep overflows whatever walks it next (the verdict's messages).
  const over = textOverLimit(body, SCHEMA_LIMITS, { noun: `the answer from ${url}` });
  if (over) throw new ConsoleError('bad-input', over);
  try {
    return JSON.parse(body);
  } catch {
    const start = body.trim().slice(0, 40).replace(/\s+/g, ' ');
    throw new ConsoleError('bad-input', `${url} did not answer with JSON${start ? ` (it starts "${start}")` : ' (the answer is empty)'}`);
  }
}
