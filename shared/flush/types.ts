// Flush jobs as the Flush screen and the CLI see them.
export type FlushOutcomeKind = 'flushed' | 'nothing-to-flush' | 'forbidden' | 'invalid-token' | 'error';

/** Requests in flight at once against one runner, unless the caller says otherwise. */
export const FLUSH_DEFAULT_CONCURRENCY = 4;

export const FLUSH_OUTCOMES: readonly FlushOutcomeKind[] = ['flushed', 'nothing-to-flush', 'forbidden', 'invalid-token', 'error'];

export interface FlushOutcome {
  responseId: string;
  /** Where the id stands in the job's input: outcomes are shown in the order given, not the order answered. */
  index: number;
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
  /** In the order the ids were given (by index); those not answered yet are missing. */
  outcomes: FlushOutcome[];
}

/** Outcomes a batch counts as done: the response is not (or no longer) waiting in the runner. */
export function isSettled(outcome: FlushOutcomeKind): boolean {
  return outcome === 'flushed' || outcome === 'nothing-to-flush';
}

/** Outcomes stay in the order the ids were given, however the answers arrive. */
export function insertByIndex(outcomes: FlushOutcome[], outcome: FlushOutcome): void {
  let at = outcomes.length;
  while (at > 0 && outcomes[at - 1]!.index > outcome.index) at--;
  outcomes.splice(at, 0, outcome);
}
