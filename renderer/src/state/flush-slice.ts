// The Flush screen's state: what the tester queued, the job the service runs in the background,
// and the page's view of it (filter, export). The service owns the job; the page only polls it.
import type { HistoryEntry } from '../../../shared/launch-types';
import { parseResponseIds } from '../../../shared/flush/response-ids';
import { FLUSH_OUTCOMES, isSettled, type FlushItem, type FlushJob, type FlushOutcome, type FlushOutcomeKind } from '../../../shared/flush/types';
import { errorMessage } from './errors';
import type { SliceCreator } from './types';

export const FLUSH_POLL_MS = 300;
export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 32;
/** A status call that keeps failing this many times in a row means the job is out of reach. */
const MAX_POLL_FAILURES = 5;

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

const CSV_HEADER = ['responseId', 'httpStatus', 'outcome', 'message', 'attempts'];

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function outcomesCsv(outcomes: readonly FlushOutcome[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const o of outcomes) lines.push([o.responseId, o.httpStatus, o.outcome, o.message, o.attempts].map(csvField).join(','));
  // CRLF is what RFC 4180 and spreadsheet imports expect.
  return lines.join('\r\n') + '\r\n';
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

/** Polls would otherwise re-render the table every 300 ms while the job waits on a slow runner. */
function sameProgress(a: FlushJob | null, b: FlushJob): boolean {
  return (
    !!a && a.id === b.id && a.done === b.done && a.running === b.running && a.cancelled === b.cancelled && a.outcomes.length === b.outcomes.length
  );
}

export const createFlushSlice: SliceCreator<FlushSlice> = (set, get, api) => {
  const setBusy = (slot: keyof FlushSlice['flushBusy'], value: boolean) => set((s) => ({ flushBusy: { ...s.flushBusy, [slot]: value } }));
  const setError = (slot: FlushErrorSlot, message: string | undefined) => set((s) => ({ flushErrors: { ...s.flushErrors, [slot]: message } }));

  // One job is followed at a time; a poll that answers after another job took over is dropped.
  let following: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  function follow(job: FlushJob) {
    clearTimeout(timer);
    following = job.running ? job.id : null;
    failures = 0;
    set({ flushJob: job });
    setError('status', undefined);
    if (following) timer = setTimeout(() => void poll(job.id), FLUSH_POLL_MS);
  }

  async function poll(id: string) {
    if (following !== id) return;
    try {
      const job = await api.flush.status(id);
      if (following !== id) return;
      failures = 0;
      if (get().flushErrors.status) setError('status', undefined);
      if (!sameProgress(get().flushJob, job)) set({ flushJob: job });
      if (!job.running) {
        following = null;
        return;
      }
    } catch (err) {
      if (following !== id) return;
      failures++;
      const gone = (err as { code?: unknown } | null)?.code === 'not-found';
      if (gone || failures >= MAX_POLL_FAILURES) {
        following = null;
        setError('status', `Lost track of the flush: ${errorMessage(err)}`);
        return;
      }
      setError('status', `Could not read the flush's progress (trying again): ${errorMessage(err)}`);
    }
    timer = setTimeout(() => void poll(id), FLUSH_POLL_MS);
  }

  return {
    flushSingle: '',
    flushText: '',
    flushFileName: null,
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
      const { flushQueued, flushSingle, flushText, flushConcurrency } = get();
      const { items } = planFlush(flushQueued, flushSingle, flushText);
      setBusy('start', true);
      setError('start', undefined);
      try {
        // An empty list still goes to the service: its refusal is the message the user sees.
        const job = await api.flush.start({ items, concurrency: flushConcurrency });
        set({ flushFilter: 'all', flushIsRetry: false });
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

    async cancelFlush() {
      const job = get().flushJob;
      if (!job?.running) return;
      setBusy('cancel', true);
      setError('cancel', undefined);
      try {
        const after = await api.flush.cancel(job.id);
        // Requests in flight still answer; keep polling until the service says it stopped.
        follow(after);
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
