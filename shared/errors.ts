// Errors that reach users: a stable code for tests and scripts, and one plain sentence.
export type ErrorCode =
  | 'bad-input'
  | 'bad-pem'
  | 'bad-key-store'
  | 'unsupported-key'
  | 'key-not-found'
  | 'no-key-for-purpose'
  | 'secret-storage'
  | 'config-corrupt'
  | 'not-found'
  | 'network'
  | 'forbidden'
  | 'internal';

export class ConsoleError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ConsoleError';
    this.code = code;
  }
}

export interface WireError {
  code: ErrorCode;
  message: string;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** Unexpected failures become a one-line message; the stack stays in the process that had it. */
export function toWireError(err: unknown): WireError {
  if (err instanceof ConsoleError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Unexpected error: ${message.split('\n')[0]}` };
}

export function fromWireError(error: WireError): ConsoleError {
  return new ConsoleError(error.code, error.message);
}
