// The Flush screen's state without a browser: the slice over a fake ConsoleApi whose jobs move
// forward a few outcomes at each step, told to the page as flush.progress events, so following,
// cancelling and retrying can be stepped through.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleApi, Environment } from '../../shared/api';
import { ConsoleError } from '../../shared/errors';
import { FLUSH_OUTCOMES, isSettled, type FlushJob, type FlushOutcome, type FlushOutcomeKind, type FlushRequest } from '../../shared/flush/types';
import type { HistoryEntry } from '../../shared/launch-types';
import { canRetry, filterOutcomes, flushSummary, outcomesCsv, planFlush, unsettledCount } from '../../renderer/src/state/flush-slice';
import { createConsoleStore } from '../../renderer/src/state/store';
import { withEvents } from '../support/fake-events';

const LOCAL: Environment = { id: 'local', name: 'Local runner', runnerUrl: 'http://localhost:5000' };

/** What the fake runner answers: "seed-…" ids were answered, "down-…" ids meet a runner that is down. */
function answer(responseId: string, attempts = 1, index = 0): FlushOutcome {
  if (responseId.startsWith('seed-')) return { responseId, index, httpStatus: 200, outcome: 'flushed', message: 'Flushed.', attempts };
  if (responseId.startsWith('down-')) {
    return {
      responseId,
      index,
      httpStatus: null,
      outcome: 'error',
      message: 'Cannot reach the runner at http://localhost:5000: connection refused (is it running?).',
      attempts: 4,
    };
  }
  return { responseId, index, httpStatus: 404, outcome: 'nothing-to-flush', message: 'Nothing to flush.', attempts };
}

function fakeFlushApi(step = 2) {
  interface FakeJob {
    state: FlushJob;
    request: FlushRequest;
  }
  const jobs = new Map<string, FakeJob>();
  let n = 0;
  // Flips "down-" ids to answered on a retry, as a runner that came back would.
  let runnerBack = false;
  const copy = (j: FakeJob): FlushJob => ({ ...j.state, counts: { ...j.state.counts }, outcomes: [...j.state.outcomes] });
  const find = (id: string) => {
    const job = jobs.get(id);
    if (!job) throw new ConsoleError('not-found', `There is no flush job ${id}.`);
    return job;
  };
  const flush = {
    start: vi.fn(async (request: FlushRequest): Promise<FlushJob> => {
      if (!request.items.length) throw new ConsoleError('bad-input', 'Give at least one response id to flush.');
      const id = `job-${++n}`;
      const job: FakeJob = {
        request,
        state: {
          id,
          runnerUrl: request.runnerUrl ?? LOCAL.runnerUrl,
          total: request.items.length,
          done: 0,
          running: true,
          cancelled: false,
          startedAt: '2025-01-01T10:00:00.000Z',
          counts: Object.fromEntries(FLUSH_OUTCOMES.map((k) => [k, 0])) as Record<FlushOutcomeKind, number>,
          outcomes: [],
        },
      };
      jobs.set(id, job);
      return copy(job);
    }),
    cancel: vi.fn(async (id: string): Promise<FlushJob> => {
      const job = find(id);
      if (job.state.running) job.state.cancelled = true;
      return copy(job);
    }),
    retry: vi.fn(async (id: string): Promise<FlushJob> => {
      const job = find(id);
      const failed = new Set(job.state.outcomes.filter((o) => !isSettled(o.outcome)).map((o) => o.responseId));
      return flush.start({ ...job.request, items: job.request.items.filter((i) => failed.has(i.responseId)) });
    }),
  };
  const api = withEvents({
    app: { info: vi.fn(async () => ({ mode: 'browser', version: '0.1.0', configDir: '/tmp/x', secretStorage: 'file', activeEnvironment: LOCAL })) },
    flush,
  } as unknown as ConsoleApi & { flush: typeof flush });
  const tell = (job: FakeJob, outcome?: FlushOutcome) => {
    const { outcomes: _o, ...state } = copy(job);
    api.emit({ type: 'flush.progress', job: state, ...(outcome ? { outcome } : {}) });
  };
  /** What the service does meanwhile: each running job answers `step` more ids (a cancelled one stops), telling the page. */
  const advance = () => {
    for (const job of jobs.values()) {
      const s = job.state;
      if (!s.running) continue;
      if (s.cancelled) {
        // In-flight requests answered; the rest were never sent.
        s.running = false;
        s.finishedAt = 'now';
        tell(job);
        continue;
      }
      for (const item of job.request.items.slice(s.done, s.done + step)) {
        const index = s.done;
        const o = runnerBack && item.responseId.startsWith('down-') ? answer(`seed-${item.responseId}`) : answer(item.responseId);
        const outcome = { ...o, responseId: item.responseId, index };
        s.outcomes.push(outcome);
        s.counts[outcome.outcome]++;
        s.done++;
        if (s.done === s.total) {
          s.running = false;
          s.finishedAt = 'now';
        }
        tell(job, outcome);
      }
    }
  };
  return { api, flush, jobs, advance, tell, bringRunnerBack: () => (runnerBack = true) };
}

let fake: ReturnType<typeof fakeFlushApi>;

function setup(step = 2) {
  fake = fakeFlushApi(step);
  const store = createConsoleStore(fake.api);
  return { ...fake, store, s: () => store.getState() };
}

/** The service moves on a step, and its events reach the page. */
const tick = async () => {
  fake.advance();
  await Promise.resolve();
};

function historyEntry(over: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: 'h1',
    at: '2025-01-01T10:00:00.000Z',
    environmentId: 'local',
    runnerUrl: LOCAL.runnerUrl,
    label: 'Test Metadata Routing',
    schemaName: 'test_metadata_routing',
    payload: 'v2',
    claims: { response_id: 'seed-from-history', schema_name: 'test_metadata_routing' },
    url: 'http://localhost:5000/session?token=abc',
    predicted: { runnerStatus: 302, verdict: 'ok' },
    roles: [],
    ...over,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('what gets flushed', () => {
  it('joins queued launches, the typed id and the pasted list, each id once', () => {
    const plan = planFlush([{ responseId: 'a', historyId: 'h1' }], ' b ', 'c\nb\na\nd d\n# a comment\n');
    expect(plan.items).toEqual([{ responseId: 'a', historyId: 'h1' }, { responseId: 'b' }, { responseId: 'c' }, { responseId: 'd' }]);
    // b and a were given twice across the inputs, d twice within the paste.
    expect(plan.duplicates.sort()).toEqual(['a', 'b', 'd']);
  });

  it('reads the response_id column of a CSV', () => {
    const plan = planFlush([], '', 'case_id,response_id,ru\n1,r-1,"Acme, Ltd"\n2,r-2,x\n3,r-1,y\n');
    expect(plan.items.map((i) => i.responseId)).toEqual(['r-1', 'r-2']);
    expect(plan.duplicates).toEqual(['r-1']);
  });

  it('queues a history launch, opens the Flush screen, and refuses a launch with no response_id', () => {
    const { s } = setup();
    expect(s().queueFlushFromHistory(historyEntry())).toBe(true);
    expect(s().screen).toBe('flush');
    expect(s().flushQueued).toMatchObject([{ responseId: 'seed-from-history', historyId: 'h1', label: 'Test Metadata Routing' }]);
    // The same response again: the newer launch replaces the queued one.
    s().queueFlushFromHistory(historyEntry({ id: 'h2' }));
    expect(s().flushQueued.map((q) => q.historyId)).toEqual(['h2']);

    s().setScreen('launch');
    expect(s().queueFlushFromHistory(historyEntry({ id: 'h3', claims: { schema_name: 'x' } }))).toBe(false);
    expect(s().screen).toBe('launch');
    s().unqueueFlush('seed-from-history');
    expect(s().flushQueued).toEqual([]);
  });

  it('keeps concurrency within 1 to 32 and sends it', async () => {
    const { s, flush } = setup();
    s().setFlushConcurrency(99);
    expect(s().flushConcurrency).toBe(32);
    s().setFlushConcurrency(0);
    expect(s().flushConcurrency).toBe(1);
    s().setFlushConcurrency(Number.NaN);
    expect(s().flushConcurrency).toBe(4);
    s().setFlushConcurrency(8);
    s().queueFlushFromHistory(historyEntry());
    s().setFlushText('seed-1');
    await s().startFlush();
    expect(flush.start).toHaveBeenCalledWith({ items: [{ responseId: 'seed-from-history', historyId: 'h1' }, { responseId: 'seed-1' }], concurrency: 8 });
  });
});

describe('a flush job', () => {
  it('follows the job through its events until it finishes', async () => {
    const { s } = setup(2);
    s().setFlushText('seed-1\nseed-2\nseed-3\nnone-1\nnone-2');
    const job = await s().startFlush();
    expect(job).toMatchObject({ total: 5, done: 0, running: true });
    // The inputs became the job.
    expect(s().flushText).toBe('');
    expect(s().flushJob?.id).toBe(job!.id);

    await tick();
    expect(s().flushJob).toMatchObject({ done: 2, running: true });
    expect(flushSummary(s().flushJob!)).toBe('So far: 2 flushed, 0 had nothing to flush, 0 failed.');
    await tick();
    await tick();
    expect(s().flushJob).toMatchObject({ done: 5, running: false });
    expect(s().flushJob!.counts).toMatchObject({ flushed: 3, 'nothing-to-flush': 2, error: 0 });
    expect(flushSummary(s().flushJob!)).toBe('3 flushed, 2 had nothing to flush, 0 failed.');
    expect(canRetry(s().flushJob)).toBe(false);
  });

  it('cancels a running job and follows it until the service says it stopped', async () => {
    const { s, flush } = setup(1);
    s().setFlushText(Array.from({ length: 10 }, (_, i) => `seed-${i}`).join('\n'));
    const job = await s().startFlush();
    await tick();
    expect(s().flushJob).toMatchObject({ done: 1, running: true });

    await s().cancelFlush();
    expect(flush.cancel).toHaveBeenCalledWith(job!.id);
    expect(s().flushJob).toMatchObject({ cancelled: true, running: true });
    await tick();
    expect(s().flushJob).toMatchObject({ cancelled: true, running: false, done: 1 });
    expect(flushSummary(s().flushJob!)).toBe('Cancelled: 1 flushed, 0 had nothing to flush, 0 failed, 9 not sent.');
  });

  it('retries only the unsettled ids once the job has finished', async () => {
    const { s, flush, bringRunnerBack } = setup(10);
    s().setFlushText('seed-1\ndown-1\nnone-1\ndown-2');
    await s().startFlush();
    expect(canRetry(s().flushJob)).toBe(false);
    await tick();
    const first = s().flushJob!;
    expect(first.running).toBe(false);
    expect(unsettledCount(first)).toBe(2);
    expect(canRetry(first)).toBe(true);
    expect(flushSummary(first)).toBe('1 flushed, 1 had nothing to flush, 2 failed.');

    s().setFlushFilter('error');
    bringRunnerBack();
    const retried = await s().retryFlush();
    expect(flush.retry).toHaveBeenCalledWith(first.id);
    expect(retried).toMatchObject({ total: 2, running: true });
    expect(s().flushIsRetry).toBe(true);
    expect(s().flushFilter).toBe('all');
    await tick();
    expect(s().flushJob).toMatchObject({ id: retried!.id, done: 2, running: false });
    expect(s().flushJob!.outcomes.map((o) => [o.responseId, o.outcome])).toEqual([
      ['down-1', 'flushed'],
      ['down-2', 'flushed'],
    ]);
    expect(canRetry(s().flushJob)).toBe(false);
  });

  it('filters outcomes by kind', async () => {
    const { s } = setup(10);
    s().setFlushText('seed-1\nnone-1\nnone-2\ndown-1');
    await s().startFlush();
    await tick();
    const outcomes = s().flushJob!.outcomes;
    expect(filterOutcomes(outcomes, 'all')).toHaveLength(4);
    s().setFlushFilter('nothing-to-flush');
    expect(filterOutcomes(outcomes, s().flushFilter).map((o) => o.responseId)).toEqual(['none-1', 'none-2']);
    expect(filterOutcomes(outcomes, 'error').map((o) => o.responseId)).toEqual(['down-1']);
    expect(filterOutcomes(outcomes, 'forbidden')).toEqual([]);
  });

  it("shows the service's refusal and sends nothing when there are no ids", async () => {
    const { s, flush } = setup();
    expect(await s().startFlush()).toBeNull();
    expect(flush.start).toHaveBeenCalledWith({ items: [], concurrency: 4 });
    expect(s().flushErrors.start).toBe('Give at least one response id to flush.');
    expect(s().flushJob).toBeNull();
  });

  it("takes the events that overtook the answer naming the job, and ignores another job's", async () => {
    const { s, flush, jobs, tell } = setup(1);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const start = flush.start.getMockImplementation()!;
    flush.start.mockImplementationOnce(async (request) => {
      const job = await start(request);
      // The service answers two ids before its answer to start() reaches the page.
      fake.advance();
      fake.advance();
      await held;
      return job;
    });
    s().setFlushText('seed-1\nseed-2\nseed-3');
    const started = s().startFlush();
    release();
    await started;
    expect(s().flushJob).toMatchObject({ done: 2, running: true });
    expect(s().flushJob!.outcomes.map((o) => o.responseId)).toEqual(['seed-1', 'seed-2']);
    // News of a job that is not on screen changes nothing.
    const other = { state: { ...s().flushJob!, id: 'job-99', outcomes: [] }, request: { items: [] } };
    tell(other as never, answer('seed-x', 1, 0));
    expect(s().flushJob!.outcomes).toHaveLength(2);
    expect(jobs.size).toBe(1);
  });

  it('lists outcomes in the order the ids were given, whatever order they arrive in', async () => {
    const { s, tell, jobs } = setup(1);
    s().setFlushText('seed-a\nseed-b\nseed-c');
    await s().startFlush();
    const job = [...jobs.values()][0]!;
    for (const index of [2, 0, 1]) {
      const outcome = { ...answer(`seed-${'abc'[index]}`), index };
      job.state.done++;
      tell(job, outcome);
    }
    expect(s().flushJob!.outcomes.map((o) => o.responseId)).toEqual(['seed-a', 'seed-b', 'seed-c']);
  });
});

describe('the summary line', () => {
  const job = (outcomes: FlushOutcome[], over: Partial<FlushJob> = {}): FlushJob => {
    const counts = Object.fromEntries(FLUSH_OUTCOMES.map((k) => [k, outcomes.filter((o) => o.outcome === k).length])) as FlushJob['counts'];
    return {
      id: 'j',
      runnerUrl: LOCAL.runnerUrl,
      total: outcomes.length,
      done: outcomes.length,
      running: false,
      cancelled: false,
      startedAt: 'x',
      counts,
      outcomes,
      ...over,
    };
  };
  const down = (id: string, attempts: number): FlushOutcome => ({
    responseId: id,
    index: 0,
    httpStatus: null,
    outcome: 'error',
    message: 'Not sent: runner down',
    attempts,
  });

  it('counts ids held back from a runner that is down as not sent, not as failed', () => {
    expect(flushSummary(job([down('a', 4), down('b', 0), down('c', 0)]))).toBe('0 flushed, 0 had nothing to flush, 1 failed, 2 not sent.');
  });

  it('says how far a cancelled job got', () => {
    const outcomes = [answer('seed-1'), answer('none-1'), down('x', 0)];
    expect(flushSummary(job(outcomes, { cancelled: true, total: 5 }))).toBe('Cancelled: 1 flushed, 1 had nothing to flush, 0 failed, 3 not sent.');
    expect(flushSummary(job(outcomes, { cancelled: true, running: true, total: 5 }))).toBe(
      'Cancelling. So far: 1 flushed, 1 had nothing to flush, 0 failed, 1 not sent.',
    );
  });
});

describe('CSV export', () => {
  const outcomes: FlushOutcome[] = [
    { responseId: 'r-1', index: 0, httpStatus: 200, outcome: 'flushed', message: 'Flushed: sent downstream, and deleted.', attempts: 1 },
    { responseId: 'r-2', index: 1, httpStatus: null, outcome: 'error', message: 'The runner said "no"\nthen hung up', attempts: 4 },
    { responseId: ' r-3', index: 2, httpStatus: 404, outcome: 'nothing-to-flush', message: '', attempts: 1 },
  ];

  it('writes the five columns with RFC 4180 quoting', () => {
    expect(outcomesCsv(outcomes).split('\r\n')).toEqual([
      'responseId,httpStatus,outcome,message,attempts',
      'r-1,200,flushed,"Flushed: sent downstream, and deleted.",1',
      'r-2,,error,"The runner said ""no""\nthen hung up",4',
      '" r-3",404,nothing-to-flush,,1',
      '',
    ]);
  });

  it('loads back as a list of ids, line breaks and quotes in the messages notwithstanding', () => {
    expect(planFlush([], '', outcomesCsv(outcomes)).items.map((i) => i.responseId)).toEqual(['r-1', 'r-2', 'r-3']);
  });
});
