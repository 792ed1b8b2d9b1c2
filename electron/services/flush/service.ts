// Flush jobs for the Flush screen: started, followed through events (flush.progress), cancelled
// and retried by id.
import crypto from 'node:crypto';
import { ConsoleError } from '../../../shared/errors';
import { runnerBaseUrl } from '../../../shared/runner-url';
import { FLUSH_OUTCOMES, type FlushJob, type FlushOutcome, type FlushRequest, insertByIndex, isSettled } from '../../../shared/flush/types';
import type { Emit } from '../events';
import type { SigningKeys } from '../tokens/jwt-profile';
import { flushAll } from './batch';

export interface FlushContext {
  runnerUrl: () => string;
  keys: () => Promise<SigningKeys>;
  /** The claims of a launch in the history, to flush that response with its own schema and case. */
  launchClaims: (historyId: string) => Promise<Record<string, unknown> | undefined>;
  emit?: Emit;
}

interface Job {
  state: FlushJob;
  abort: AbortController;
  request: FlushRequest;
}

/** Finished jobs kept for the screen to read back; older ones are forgotten. */
const KEEP_JOBS = 20;

export class FlushService {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly context: FlushContext) {}

  async start(request: FlushRequest): Promise<FlushJob> {
    const items = Array.isArray(request?.items) ? request.items.filter((i) => typeof i?.responseId === 'string' && i.responseId.trim()) : [];
    if (!items.length) throw new ConsoleError('bad-input', 'Give at least one response id to flush.');
    const seen = new Set<string>();
    const unique = items.map((i) => ({ ...i, responseId: i.responseId.trim() })).filter((i) => !seen.has(i.responseId) && seen.add(i.responseId));
    const runnerUrl = runnerBaseUrl(request.runnerUrl ?? this.context.runnerUrl());
    const keys = await this.context.keys();
    const base = new Map<string, Record<string, unknown>>();
    for (const item of unique) {
      const claims = item.historyId ? await this.context.launchClaims(item.historyId) : undefined;
      if (claims) base.set(item.responseId, claims);
    }
    const job: Job = {
      request: { ...request, items: unique, runnerUrl },
      abort: new AbortController(),
      state: {
        id: crypto.randomUUID(),
        runnerUrl,
        total: unique.length,
        done: 0,
        running: true,
        cancelled: false,
        startedAt: new Date().toISOString(),
        counts: Object.fromEntries(FLUSH_OUTCOMES.map((k) => [k, 0])) as FlushJob['counts'],
        outcomes: [],
      },
    };
    this.remember(job);
    void flushAll(
      unique.map((i) => i.responseId),
      {
        runnerUrl,
        keys,
        concurrency: request.concurrency,
        signal: job.abort.signal,
        baseClaims: (id) => base.get(id),
        onOutcome: (outcome, done) => {
          insertByIndex(job.state.outcomes, outcome);
          job.state.counts[outcome.outcome]++;
          job.state.done = done;
          this.progress(job, outcome);
        },
      },
    ).finally(() => {
      job.state.running = false;
      job.state.finishedAt = new Date().toISOString();
      this.progress(job);
    });
    return this.copy(job);
  }

  private progress(job: Job, outcome?: FlushOutcome): void {
    const { outcomes: _all, ...state } = job.state;
    this.context.emit?.({ type: 'flush.progress', job: { ...state, counts: { ...state.counts } }, ...(outcome ? { outcome } : {}) });
  }

  async cancel(id: string): Promise<FlushJob> {
    const job = this.job(id);
    if (job.state.running) {
      job.state.cancelled = true;
      job.abort.abort();
      this.progress(job);
    }
    return this.copy(job);
  }

  /** A new job for the ids whose outcome was not settled (errors, refusals, cancellations). */
  async retry(id: string): Promise<FlushJob> {
    const job = this.job(id);
    if (job.state.running) throw new ConsoleError('bad-input', 'This flush is still running; cancel it or wait before retrying.');
    const failed = new Set(job.state.outcomes.filter((o) => !isSettled(o.outcome)).map((o) => o.responseId));
    const items = job.request.items.filter((i) => failed.has(i.responseId));
    if (!items.length) throw new ConsoleError('bad-input', 'Nothing to retry: every response was flushed or had nothing to flush.');
    return this.start({ ...job.request, items });
  }

  private job(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new ConsoleError('not-found', `There is no flush job ${id} (finished jobs are kept for the last ${KEEP_JOBS}).`);
    return job;
  }

  private remember(job: Job): void {
    this.jobs.set(job.state.id, job);
    for (const [id, old] of this.jobs) {
      if (this.jobs.size <= KEEP_JOBS) break;
      if (!old.state.running) this.jobs.delete(id);
    }
  }

  private copy(job: Job): FlushJob {
    return { ...job.state, counts: { ...job.state.counts }, outcomes: [...job.state.outcomes] };
  }
}
