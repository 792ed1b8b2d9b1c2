// Flush jobs as the Flush screen and the CLI see them.
export type FlushOutcomeKind = 'flushed' | 'nothing-to-flush' | 'forbidden' | 'invalid-token' | 'error';

export const FLUSH_OUTCOMES: readonly FlushOutcomeKind[] = ['flushed', 'nothing-to-flush', 'forbidden', 'invalid-token', 'error'];

export interface FlushOutcome {
  responseId: string;
  /** null when the runner gave no answer (down, timed out, cancelled). */
  httpStatus: number | null;
  outcome: FlushOutcomeKind;
  message: string;
  attempts: number;
}

export interface FlushItem {
  responseId: string;
  /** The launch this response came from: its claims (schema, case) go into the flush token. */
  historyId?: string;
}

export interface FlushRequest {
  items: FlushItem[];
  /** Defaults to the active environment's runner. */
  runnerUrl?: string;
  concurrency?: number;
}

export interface FlushJob {
  id: string;
  runnerUrl: string;
  total: number;
  done: number;
  running: boolean;
  cancelled: boolean;
  startedAt: string;
  finishedAt?: string;
  counts: Record<FlushOutcomeKind, number>;
  /** In the order the answers came. */
  outcomes: FlushOutcome[];
}

/** Outcomes a batch counts as done: the response is not (or no longer) waiting in the runner. */
export function isSettled(outcome: FlushOutcomeKind): boolean {
  return outcome === 'flushed' || outcome === 'nothing-to-flush';
}
