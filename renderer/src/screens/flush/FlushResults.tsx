import { useMemo } from 'react';
import { FLUSH_OUTCOMES, isSettled, type FlushJob, type FlushOutcome } from '../../../../shared/flush/types';
import { ErrorAlert } from '../../components/Alert';
import { canRetry, filterOutcomes, flushSummary, outcomesCsv, outcomesExportStem, unsettledCount, wasNotSent, type FlushFilter } from '../../state/flush-slice';
import { useConsole } from '../../state/store';
import { downloadExport } from '../keys/download';
import { OUTCOME_LABELS, plural } from './labels';
import { OutcomesTable, useOutcomesTable } from './OutcomesTable';
import { progressLook } from './progress';

/** The job on screen: progress while it runs, then what the runner answered for every id. */
export function FlushResults() {
  const job = useConsole((s) => s.flushJob);
  const isRetry = useConsole((s) => s.flushIsRetry);
  const statusError = useConsole((s) => s.flushErrors.status);
  const setError = useConsole((s) => s.setFlushError);
  if (!job) return null;
  return (
    <section className="panel flush-results" aria-labelledby="flush-results-title" data-testid="flush-results">
      <div className="panel-head">
        <h2 id="flush-results-title" className="panel-title">
          {job.running ? 'Flushing…' : job.cancelled ? 'Flush cancelled' : 'Flush finished'}
        </h2>
        <span className="muted results-where">
          {isRetry ? 'Retry of the ids that failed, sent to ' : 'Sent to '}
          <code>{job.runnerUrl}</code>
        </span>
      </div>
      <FlushProgress job={job} />
      <p className="flush-summary" data-testid="flush-summary">
        {flushSummary(job)}
      </p>
      {/* Announced once, at the end: the summary above changes every poll and would never stop talking. */}
      <p className="visually-hidden" role="status">
        {job.running ? '' : flushSummary(job)}
      </p>
      <ErrorAlert message={statusError} onDismiss={() => setError('status', undefined)} testId="flush-status-error" />
      <FailureNote outcomes={job.outcomes} />
      <OutcomesView job={job} />
    </section>
  );
}

function FlushProgress({ job }: { job: FlushJob }) {
  const cancel = useConsole((s) => s.cancelFlush);
  const busy = useConsole((s) => s.flushBusy.cancel);
  const error = useConsole((s) => s.flushErrors.cancel);
  const setError = useConsole((s) => s.setFlushError);
  const look = progressLook(job);
  return (
    <>
      <div className="progress-row">
        <div
          className={`progress progress-${look.tone}`}
          role="progressbar"
          aria-label="Flush progress"
          aria-valuemin={0}
          aria-valuemax={job.total}
          aria-valuenow={job.done}
          aria-valuetext={look.text}
          data-tone={look.tone}
          data-testid="flush-progress"
        >
          <div className="progress-fill" style={{ width: `${look.percent}%` }} />
        </div>
        <span className="progress-text" data-testid="flush-progress-text">
          {job.done} of {job.total}
        </span>
        {job.running && (
          <button
            type="button"
            className="button button-small button-danger-outline"
            disabled={busy || job.cancelled}
            data-testid="flush-cancel"
            onClick={() => void cancel()}
          >
            {job.cancelled ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </div>
      <ErrorAlert message={error} onDismiss={() => setError('cancel', undefined)} testId="flush-cancel-error" />
    </>
  );
}

/** When things fail they mostly fail for one reason (runner down, keys not trusted): say it once, plainly. */
function FailureNote({ outcomes }: { outcomes: FlushOutcome[] }) {
  const note = useMemo(() => {
    const unsettled = outcomes.filter((o) => !isSettled(o.outcome));
    const byMessage = new Map<string, number>();
    for (const o of unsettled) byMessage.set(o.message, (byMessage.get(o.message) ?? 0) + 1);
    const top = [...byMessage].sort((a, b) => b[1] - a[1])[0];
    if (!top) return null;
    const [message, count] = top;
    const lead =
      count < unsettled.length ? `Most common reason (${count} of ${unsettled.length}):` : unsettled.every(wasNotSent) ? 'Not sent:' : 'Why they failed:';
    return { lead, message };
  }, [outcomes]);
  if (!note) return null;
  return (
    <p className="warning-text failure-note" data-testid="flush-failure-note">
      <strong>{note.lead}</strong> {note.message}
    </p>
  );
}

function OutcomesView({ job }: { job: FlushJob }) {
  const filter = useConsole((s) => s.flushFilter);
  const retryError = useConsole((s) => s.flushErrors.retry);
  const setError = useConsole((s) => s.setFlushError);
  const data = useMemo(() => filterOutcomes(job.outcomes, filter), [job.outcomes, filter]);
  const table = useOutcomesTable(data);
  const label = filter === 'all' ? 'Flush outcomes' : `Flush outcomes: ${OUTCOME_LABELS[filter]}`;
  return (
    <>
      <div className="results-toolbar">
        <OutcomeFilters job={job} />
        <ResultActions job={job} shown={() => table.getRowModel().rows.map((r) => r.original)} shownCount={data.length} />
      </div>
      <ErrorAlert message={retryError} onDismiss={() => setError('retry', undefined)} testId="flush-retry-error" />
      <OutcomesTable table={table} label={label} />
    </>
  );
}

function OutcomeFilters({ job }: { job: FlushJob }) {
  const filter = useConsole((s) => s.flushFilter);
  const setFilter = useConsole((s) => s.setFlushFilter);
  const chip = (value: FlushFilter, label: string, count: number) => (
    <button
      key={value}
      type="button"
      className={`filter-chip filter-${value}`}
      aria-pressed={filter === value}
      disabled={count === 0 && filter !== value}
      onClick={() => setFilter(value)}
    >
      {label} <span className="filter-count">{count}</span>
    </button>
  );
  return (
    <div className="filter-chips" role="group" aria-label="Show outcomes" data-testid="flush-filters">
      {chip('all', 'All', job.outcomes.length)}
      {FLUSH_OUTCOMES.map((kind) => chip(kind, OUTCOME_LABELS[kind], job.counts[kind]))}
    </div>
  );
}

function ResultActions({ job, shown, shownCount }: { job: FlushJob; shown: () => FlushOutcome[]; shownCount: number }) {
  const filter = useConsole((s) => s.flushFilter);
  const retry = useConsole((s) => s.retryFlush);
  const busy = useConsole((s) => s.flushBusy.retry);
  const failed = unsettledCount(job);
  const source = useConsole((s) => s.flushJobSource);

  return (
    <div className="results-actions">
      <button
        type="button"
        className="button button-small"
        disabled={!canRetry(job) || busy}
        title={job.running ? 'Available when the flush has finished' : failed === 0 ? 'Nothing failed' : undefined}
        data-testid="flush-retry"
        onClick={() => void retry()}
      >
        {busy ? 'Retrying…' : failed ? `Retry failed (${failed})` : 'Retry failed'}
      </button>
      <button
        type="button"
        className="button button-small"
        disabled={shownCount === 0}
        data-testid="flush-export"
        onClick={() => downloadExport(outcomesExportStem(job, source, filter), 'csv', outcomesCsv(shown()))}
      >
        {filter === 'all' ? 'Export CSV' : `Export ${plural(shownCount, 'row')} as CSV`}
      </button>
      {filter !== 'all' && (
        <button
          type="button"
          className="button button-small button-quiet"
          disabled={job.outcomes.length === 0}
          onClick={() => downloadExport(outcomesExportStem(job, source, 'all'), 'csv', outcomesCsv(job.outcomes))}
        >
          Export all
        </button>
      )}
    </div>
  );
}
