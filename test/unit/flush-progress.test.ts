// The Flush screen's progress bar: its colour (tone) says whether anything failed, and its text
// says how many, so green means every answer settled its response.
import { describe, expect, it } from 'vitest';
import { FLUSH_OUTCOMES, type FlushJob, type FlushOutcome, type FlushOutcomeKind } from '../../shared/flush/types';
import { progressLook } from '../../renderer/src/screens/flush/progress';

function outcome(index: number, kind: FlushOutcomeKind, over: Partial<FlushOutcome> = {}): FlushOutcome {
  return { responseId: `r${index}`, index, httpStatus: kind === 'error' ? 500 : 200, outcome: kind, message: kind, attempts: 1, ...over };
}

function job(outcomes: FlushOutcome[], over: Partial<FlushJob> = {}): FlushJob {
  const counts = Object.fromEntries(FLUSH_OUTCOMES.map((k) => [k, outcomes.filter((o) => o.outcome === k).length])) as FlushJob['counts'];
  return {
    id: 'j',
    runnerUrl: 'http://127.0.0.1:5000',
    total: outcomes.length,
    done: outcomes.length,
    running: false,
    cancelled: false,
    startedAt: '2025-01-01T00:00:00.000Z',
    counts,
    outcomes,
    ...over,
  };
}

describe('the flush progress bar', () => {
  it('is green when every response was flushed or had nothing to flush', () => {
    expect(progressLook(job([outcome(0, 'flushed'), outcome(1, 'nothing-to-flush')]))).toEqual({ tone: 'ok', failed: 0, percent: 100, text: '2 of 2' });
  });

  it('is red when every request failed, whatever the reason', () => {
    const refused = job([outcome(0, 'invalid-token'), outcome(1, 'forbidden'), outcome(2, 'error', { httpStatus: null })]);
    expect(progressLook(refused)).toMatchObject({ tone: 'failed', failed: 3, text: '3 of 3, 3 failed' });
    // A runner found down: the first ids failed after their retries, the rest were not sent; all failed.
    const down = job([outcome(0, 'error', { httpStatus: null, attempts: 4 }), outcome(1, 'error', { httpStatus: null, attempts: 0 })]);
    expect(progressLook(down)).toMatchObject({ tone: 'failed', failed: 2 });
  });

  it('is amber when some failed and some did not', () => {
    expect(progressLook(job([outcome(0, 'flushed'), outcome(1, 'forbidden'), outcome(2, 'nothing-to-flush')]))).toMatchObject({
      tone: 'mixed',
      failed: 1,
      text: '3 of 3, 1 failed',
    });
  });

  it('shows failures while the job runs, and is the plain running colour until there are any', () => {
    const half = (outcomes: FlushOutcome[]) => job(outcomes, { running: true, total: 4, done: outcomes.length });
    expect(progressLook(half([outcome(0, 'flushed'), outcome(1, 'flushed')]))).toEqual({ tone: 'running', failed: 0, percent: 50, text: '2 of 4' });
    expect(progressLook(half([outcome(0, 'flushed'), outcome(1, 'error')]))).toMatchObject({ tone: 'mixed', text: '2 of 4, 1 failed' });
    expect(progressLook(half([outcome(0, 'invalid-token')]))).toMatchObject({ tone: 'failed', percent: 25 });
  });

  it('a cancelled job: the ids never sent are the cancellation, not failures', () => {
    const notSent = (i: number) => outcome(i, 'error', { httpStatus: null, attempts: 0, message: 'Cancelled before it was sent.' });
    const cancelled = job([outcome(0, 'nothing-to-flush'), notSent(1), notSent(2)], { cancelled: true });
    expect(progressLook(cancelled)).toEqual({ tone: 'cancelled', failed: 0, percent: 100, text: '3 of 3' });
    const cutOff = job([outcome(0, 'nothing-to-flush'), outcome(1, 'error', { httpStatus: null }), notSent(2)], { cancelled: true });
    expect(progressLook(cutOff)).toMatchObject({ tone: 'mixed', failed: 1 });
  });

  it('an empty job is whole', () => {
    expect(progressLook(job([], { total: 0, done: 0 })).percent).toBe(100);
  });
});
