// The Flush screen's state: what the tester queued, the job the service runs in the background,
// and the page's view of it (filter, export). The service owns the job and tells the page as it
// moves on (flush.progress events); outcomes are kept in the order the ids were given.
import type { HistoryEntry } from '../../../shared/launch-types';
import { writeCsv } from '../../../shared/csv';
import { sourceStem } from '../../../shared/export-names';
import { parseResponseIds } from '../../../shared/flush/response-ids';
import type { ConsoleEvent } from '../../../shared/events';
import {
  FLUSH_DEFAULT_CONCURRENCY,
  FLUSH_OUTCOMES,
  insertByIndex,
  isSettled,
  type FlushItem,
  type FlushJob,
  type FlushOutcome,
  type FlushOutcomeKind,
} from '../../../shared/flush/types';
import { errorMessage } from './errors';
import type { SliceCreator } from './types';

export const DEFAULT_CONCURRENCY = FLUSH_DEFAULT_CONCURRENCY;
export const MAX_CONCURRENCY = 32;

export type FlushFilter = FlushOutcomeKind | 'all';
export type FlushErrorSlot = 'start' | 'status' | 'cancel' | 'retry' | 'file';

/** A launch from the history waiting to be flushed: the service builds its token from that launch's claims. */
export interface QueuedFlush extends FlushItem {
  historyId: string;
  label: string;
  at: string;
  /** Where the launch went; the flush goes to the active environment's runner. */
  runnerUrl: string;
}

export interface FlushPlan {
  items: FlushItem[];
  /** Ids given more than once across the inputs (each listed once); every one is flushed once. */
  duplicates: string[];
}

export interface FlushSlice {
  flushSingle: string;
  flushText: string;
  /** The file whose text is in the textarea, until the text is edited. */
  flushFileName: string | null;
  /** The file the job on screen took its ids from, kept for its exports' names. */
  flushJobSource: string | null;
  flushQueued: QueuedFlush[];
  flushConcurrency: number;
  flushJob: FlushJob | null;
  /** The job on screen retries the unsettled ids of an earlier one. */
  flushIsRetry: boolean;
  flushFilter: FlushFilter;
  flushBusy: Partial<Record<'start' | 'cancel' | 'retry', boolean>>;
  flushErrors: Partial<Record<FlushErrorSlot, string>>;

  setFlushSingle(value: string): void;
  setFlushText(value: string): void;
  loadFlushFile(name: string, text: string): void;
  setFlushConcurrency(value: number): void;
  /** Queues a launch's response and opens the Flush screen. */
  queueFlushFromHistory(entry: HistoryEntry): boolean;
  unqueueFlush(responseId: string): void;
  clearFlushInputs(): void;
  startFlush(): Promise<FlushJob | null>;
  /** A flush.progress event: the job's counts and state, and the outcome that came. */
  flushProgressed(event: Extract<ConsoleEvent, { type: 'flush.progress' }>): void;
  cancelFlush(): Promise<void>;
  retryFlush(): Promise<FlushJob | null>;
  setFlushFilter(filter: FlushFilter): void;
  setFlushError(slot: FlushErrorSlot, message: string | undefined): void;
}

/** The response id a launch used, when its claims carry one. */
export function historyResponseId(entry: HistoryEntry): string | null {
  const id = entry.claims.response_id;
  return typeof id === 'string' && id.trim() ? id.trim() : null;
}

/**
 * Every input in one list, queued launches first: when an id is both queued and pasted, the
 * launch's claims are the better token, so that copy is the one kept.
 */
export function planFlush(queued: readonly FlushItem[], single: string, text: string): FlushPlan {
  const parsed = parseResponseIds(text);
  const singleId = single.trim();
  const candidates: FlushItem[] = [
    ...queued.map((q) => ({ responseId: q.responseId, ...(q.historyId ? { historyId: q.historyId } : {}) })),
    ...(singleId ? [{ responseId: singleId }] : []),
    ...parsed.ids.map((responseId) => ({ responseId })),
  ];
  const seen = new Set<string>();
  const duplicates = new Set(parsed.duplicates);
  const items: FlushItem[] = [];
  for (const item of candidates) {
    if (seen.has(item.responseId)) duplicates.add(item.responseId);
    else {
      seen.add(item.responseId);
      items.push(item);
    }
  }
  return { items, duplicates: [...duplicates] };
}

export function filterOutcomes(outcomes: readonly FlushOutcome[], filter: FlushFilter): FlushOutcome[] {
  return filter === 'all' ? [...outcomes] : outcomes.filter((o) => o.outcome === filter);
}

export function unsettledCount(job: FlushJob | null): number {
  return job ? job.outcomes.filter((o) => !isSettled(o.outcome)).length : 0;
}

export function canRetry(job: FlushJob | null): boolean {
  return !!job && !job.running && unsettledCount(job) > 0;
}

/** responseId first: the file loads back into the Flush screen or --from as a list of ids. */
const OUTCOME_COLUMNS = ['responseId', 'httpStatus', 'outcome', 'message', 'attempts'] as const;

export function outcomesCsv(outcomes: readonly FlushOutcome[]): string {
  return writeCsv(outcomes, OUTCOME_COLUMNS);
}

/**
 * "ids-flush-2025-01-31-09-30-00-nothing-to-flush": named after the file of ids when the job came
 * from one, so the outcomes sit beside it in a folder; the time tells one job's files from another's.
 */
export function outcomesExportStem(job: Pick<FlushJob, 'startedAt'>, source: string | null, filter: FlushFilter): string {
  const when = job.startedAt.replace(/\.\d+Z$/, '').replace(/[:T]/g, '-');
  return `${source ? `${sourceStem(source)}-` : ''}flush-${when}${filter === 'all' ? '' : `-${filter}`}`;
}

export function failedCount(counts: Record<FlushOutcomeKind, number>): number {
  return FLUSH_OUTCOMES.filter((k) => !isSettled(k)).reduce((n, k) => n + counts[k], 0);
}

/** Never reached the runner: cancelled before sending, or held back once the runner was found down. */
export function wasNotSent(o: FlushOutcome): boolean {
  return o.outcome === 'error' && o.httpStatus === null && o.attempts === 0;
}

/** One sentence a tester can read out: "450 flushed, 50 had nothing to flush, 0 failed". */
export function flushSummary(job: FlushJob): string {
  const { counts } = job;
  const unsent = job.outcomes.filter(wasNotSent).length;
  // While running, the ids not answered yet are still on their way; once stopped, they were never sent.
  const notSent = unsent + (job.running ? 0 : job.total - job.done);
  const tally =
    `${counts.flushed} flushed, ${counts['nothing-to-flush']} had nothing to flush, ${failedCount(counts) - unsent} failed` +
    (notSent > 0 ? `, ${notSent} not sent` : '');
  // The progress bar beside it already says how many of how many.
  if (job.running) return `${job.cancelled ? 'Cancelling. So far' : 'So far'}: ${tally}.`;
  if (job.cancelled) return `Cancelled: ${tally}.`;
  return `${tally[0]!.toUpperCase()}${tally.slice(1)}.`;
}

export const createFlushSlice: SliceCreator<FlushSlice> = (set, get, api) => {
  const setBusy = (slot: keyof FlushSlice['flushBusy'], value: boolean) => set((s) => ({ flushBusy: { ...s.flushBusy, [slot]: value } }));
  const setError = (slot: FlushErrorSlot, message: string | undefined) => set((s) => ({ flushErrors: { ...s.flushErrors, [slot]: message } }));

  // Events can overtake the answer that names their job (browser mode has two connections): kept
  // a moment for the job about to be followed. Bounded: only the newest are kept.
  let early: Extract<ConsoleEvent, { type: 'flush.progress' }>[] = [];

  /** The job on screen, as the service last reported it; other jobs' news is dropped. */
  function follow(job: FlushJob) {
    set({ flushJob: job });
    setError('status', undefined);
    const mine = early.filter((e) => e.job.id === job.id);
    early = [];
    for (const event of mine) get().flushProgressed(event);
  }

  return {
    flushSingle: '',
    flushText: '',
    flushFileName: null,
    flushJobSource: null,
    flushQueued: [],
    flushConcurrency: DEFAULT_CONCURRENCY,
    flushJob: null,
    flushIsRetry: false,
    flushFilter: 'all',
    flushBusy: {},
    flushErrors: {},

    setFlushSingle: (value) => set({ flushSingle: value }),
    setFlushText: (value) => set({ flushText: value, flushFileName: null }),

    loadFlushFile(name, text) {
      set({ flushText: text, flushFileName: name });
      setError('file', undefined);
    },

    setFlushConcurrency(value) {
      const n = Number.isFinite(value) ? Math.round(value) : DEFAULT_CONCURRENCY;
      set({ flushConcurrency: Math.min(MAX_CONCURRENCY, Math.max(1, n)) });
    },

    queueFlushFromHistory(entry) {
      const responseId = historyResponseId(entry);
      if (!responseId) return false;
      const queued: QueuedFlush = { responseId, historyId: entry.id, label: entry.label, at: entry.at, runnerUrl: entry.runnerUrl };
      // The newest launch of a response replaces an older one queued for the same id.
      set((s) => ({ flushQueued: [...s.flushQueued.filter((q) => q.responseId !== responseId), queued], screen: 'flush' }));
      return true;
    },

    unqueueFlush: (responseId) => set((s) => ({ flushQueued: s.flushQueued.filter((q) => q.responseId !== responseId) })),

    clearFlushInputs: () => set({ flushSingle: '', flushText: '', flushFileName: null, flushQueued: [] }),

    async startFlush() {
      const { flushQueued, flushSingle, flushText, flushConcurrency, flushFileName } = get();
      const { items } = planFlush(flushQueued, flushSingle, flushText);
      setBusy('start', true);
      setError('start', undefined);
      try {
        // An empty list still goes to the service: its refusal is the message the user sees.
        const job = await api.flush.start({ items, concurrency: flushConcurrency });
        set({ flushFilter: 'all', flushIsRetry: false, flushJobSource: flushFileName });
        // The inputs became the job; leaving them would flush the same ids again next time.
        get().clearFlushInputs();
        follow(job);
        return job;
      } catch (err) {
        setError('start', errorMessage(err));
        return null;
      } finally {
        setBusy('start', false);
      }
    },

    flushProgressed(event) {
      const { job, outcome } = event;
      const current = get().flushJob;
      if (current?.id !== job.id) {
        early = [...early.slice(-999), event];
        return;
      }
      const outcomes = [...current.outcomes];
      if (outcome && !outcomes.some((o) => o.index === outcome.index)) insertByIndex(outcomes, outcome);
      // An older event (overtaken by the answer) must not take the job back.
      set({ flushJob: job.done < current.done ? { ...current, outcomes } : { ...job, outcomes } });
    },

    async cancelFlush() {
      const job = get().flushJob;
      if (!job?.running) return;
      setBusy('cancel', true);
      setError('cancel', undefined);
      try {
        const after = await api.flush.cancel(job.id);
        // Requests in flight still answer; their outcomes arrive as events until the job stops.
        if (get().flushJob?.id === after.id) follow({ ...after, outcomes: mergeOutcomes(get().flushJob!.outcomes, after.outcomes) });
      } catch (err) {
        setError('cancel', errorMessage(err));
      } finally {
        setBusy('cancel', false);
      }
    },

    async retryFlush() {
      const job = get().flushJob;
      if (!job) return null;
      setBusy('retry', true);
      setError('retry', undefined);
      try {
        const next = await api.flush.retry(job.id);
        set({ flushFilter: 'all', flushIsRetry: true });
        follow(next);
        return next;
      } catch (err) {
        setError('retry', errorMessage(err));
        return null;
      } finally {
        setBusy('retry', false);
      }
    },

    setFlushFilter: (filter) => set({ flushFilter: filter }),
    setFlushError: (slot, message) => setError(slot, message),
  };
};

/** Outcomes known from events and from an answer, each once, in input order. */
function mergeOutcomes(a: readonly FlushOutcome[], b: readonly FlushOutcome[]): FlushOutcome[] {
  const out = [...a];
  for (const o of b) if (!out.some((x) => x.index === o.index)) insertByIndex(out, o);
  return out;
}
