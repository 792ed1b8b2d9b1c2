import { useEffect, useId, useMemo, useState } from 'react';
import { ErrorAlert } from '../../components/Alert';
import { MAX_CONCURRENCY, planFlush } from '../../state/flush-slice';
import { useConsole } from '../../state/store';
import { PlanLine } from './FlushInputs';
import { plural } from './labels';

/** Where the flush goes, how many at once, and the button that starts it. */
export function FlushRunPanel() {
  const queued = useConsole((s) => s.flushQueued);
  const single = useConsole((s) => s.flushSingle);
  const text = useConsole((s) => s.flushText);
  const start = useConsole((s) => s.startFlush);
  const busy = useConsole((s) => s.flushBusy.start);
  const running = useConsole((s) => s.flushJob?.running ?? false);
  const error = useConsole((s) => s.flushErrors.start);
  const setError = useConsole((s) => s.setFlushError);
  const clear = useConsole((s) => s.clearFlushInputs);
  const plan = useMemo(() => planFlush(queued, single, text), [queued, single, text]);
  const count = plan.items.length;

  return (
    <section className="panel flush-run" aria-labelledby="flush-run-title">
      <h2 id="flush-run-title" className="panel-title">
        Send to the runner
      </h2>
      <RunnerLine />
      <ConcurrencyField />
      <PlanLine ids={count} duplicates={plan.duplicates.length} />
      <div className="button-row">
        <button
          type="button"
          className="button button-primary"
          disabled={busy || running || count === 0}
          title={running ? 'A flush is running: wait for it or cancel it first' : undefined}
          data-testid="flush-start"
          onClick={() => void start()}
        >
          {busy ? 'Starting…' : count === 0 ? 'Flush' : `Flush ${plural(count, 'response')}`}
        </button>
        <button type="button" className="button button-quiet" disabled={busy || (count === 0 && !text)} onClick={clear}>
          Clear
        </button>
      </div>
      <ErrorAlert message={error} onDismiss={() => setError('start', undefined)} testId="flush-start-error" />
    </section>
  );
}

function RunnerLine() {
  const env = useConsole((s) => s.info?.activeEnvironment);
  if (!env) return null;
  return (
    <p className="runner-line" data-testid="flush-runner">
      <span className="runner-line-label">Runner</span> <strong>{env.name}</strong>{' '}
      <code className="runner-url" title={env.runnerUrl}>
        {env.runnerUrl}
      </code>
      <span className="field-hint runner-line-hint">The active environment’s runner and key ring: switch environments in the header.</span>
    </p>
  );
}

function ConcurrencyField() {
  const value = useConsole((s) => s.flushConcurrency);
  const setValue = useConsole((s) => s.setFlushConcurrency);
  // A draft, so the field can be emptied while typing a new number without snapping back.
  const [draft, setDraft] = useState(String(value));
  const id = useId();
  const hintId = useId();
  useEffect(() => {
    setDraft(String(value));
  }, [value]);
  const n = Number(draft);
  const invalid = draft.trim() === '' || !Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY;

  return (
    <div className="field concurrency-field">
      <label htmlFor={id}>At once</label>
      <input
        id={id}
        className="text-input"
        type="number"
        min={1}
        max={MAX_CONCURRENCY}
        step={1}
        inputMode="numeric"
        value={draft}
        aria-invalid={invalid || undefined}
        aria-describedby={hintId}
        data-testid="flush-concurrency"
        onChange={(e) => {
          setDraft(e.target.value);
          const next = Number(e.target.value);
          if (e.target.value.trim() && Number.isInteger(next) && next >= 1 && next <= MAX_CONCURRENCY) setValue(next);
        }}
        onBlur={() => setDraft(String(value))}
      />
      <p className={invalid ? 'field-hint field-problem' : 'field-hint'} id={hintId}>
        {invalid ? `A whole number from 1 to ${MAX_CONCURRENCY}; ${value} is used.` : `Requests sent together, 1 to ${MAX_CONCURRENCY}.`}
      </p>
    </div>
  );
}
