import { useEffect } from 'react';
import type { Problem } from '../../../../shared/inspect-types';
import { STATE_LABELS } from '../../components/verdict-labels';
import { useConsole } from '../../state/store';

const RECHECK_MS = 15_000;

/**
 * What the runner would answer, from checkLaunch run in the page on every change, and separately
 * what the published launch schema says: the runner and the spec disagree in places, and the
 * console reports both rather than picking one.
 */
export function Verdict() {
  const check = useConsole((s) => s.check);
  const recheck = useConsole((s) => s.recheck);

  useEffect(() => {
    // exp and response_expires_at age while the page is open.
    const timer = setInterval(recheck, RECHECK_MS);
    return () => clearInterval(timer);
  }, [recheck]);

  const runner = check.problems.filter((p) => p.source === 'runner');
  const spec = check.problems.filter((p) => p.source === 'spec');
  const ok = check.runnerStatus === 302;
  const specName = check.payloadVersion === 'v1' ? 'launch_v1.json' : check.payloadVersion === 'v2' ? 'launch_v2.json' : null;
  const judged = check.runnerStatus !== null;

  return (
    <section className="verdict" aria-labelledby="verdict-title" data-testid="verdict">
      <h2 id="verdict-title" className="visually-hidden">
        Verdict
      </h2>
      <div className="verdict-row" aria-live="polite">
        <span
          className={ok ? 'status-badge status-ok' : judged ? 'status-badge status-bad' : 'status-badge status-none'}
          data-testid="predicted-status"
          data-state={check.state}
          title={judged ? 'What the runner would answer' : STATE_LABELS[check.state]}
        >
          {check.runnerStatus ?? '—'}
        </span>
        <div className="verdict-text">
          <p className="verdict-sentence" data-testid="verdict-sentence">
            <span className="verdict-label">{judged ? 'Runner:' : `${STATE_LABELS[check.state]}:`}</span> {check.verdict}
          </p>
          {check.fix && (
            <p className="verdict-fix" data-testid="verdict-fix">
              <span className="verdict-label">To do:</span> {check.fix}
            </p>
          )}
          <p className="verdict-spec" data-testid="spec-verdict">
            <span className="verdict-label">Spec{specName ? ` (${specName})` : ''}:</span>{' '}
            {specName === null
              ? 'no published schema for this payload format.'
              : spec.length === 0
                ? 'valid.'
                : `${spec.length} ${spec.length === 1 ? 'problem' : 'problems'}${ok ? '; the runner accepts the token regardless' : ''}.`}
          </p>
        </div>
      </div>
      {(runner.length > 0 || spec.length > 0) && (
        <details className="verdict-details">
          <summary>
            All problems ({runner.length} runner, {spec.length} spec)
          </summary>
          <ProblemList title="Runner" problems={runner} />
          <ProblemList title="Spec" problems={spec} />
        </details>
      )}
    </section>
  );
}

function ProblemList({ title, problems }: { title: string; problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="problem-group">
      <h3 className="block-title">{title}</h3>
      <ul className="problem-list">
        {problems.map((p, i) => (
          <li key={`${p.code}-${p.path}-${i}`}>
            {p.path && <code className="problem-path">{p.path}</code>} {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
