import { useId } from 'react';
import type { InspectReport, Problem } from '../../../../shared/inspect-types';
import { ErrorAlert } from '../../components/Alert';
import { BlockForm, PlainTextArea, SubmitButton } from '../../components/BlockForm';
import { Panel } from '../../components/Panel';
import { Screen } from '../../components/Screen';
import { problemGroups } from '../../state/inspect-slice';
import { useConsole } from '../../state/store';
import { STATE_LABELS } from '../../components/verdict-labels';
import { EditInBuilder } from './EditInBuilder';
import { TokenKeys } from './TokenKeys';
import { TokenTimes } from './TokenTimes';

const PAYLOAD_LABELS: Record<InspectReport['payloadVersion'], string> = {
  v2: 'v2 (launch_v2.json)',
  v1: 'v1 (launch_v1.json)',
  legacy: 'legacy (first generation)',
  flush: 'flush',
  unknown: 'unknown',
};

export function InspectScreen() {
  return (
    <Screen name="inspect" title="Inspect" lead="Open a launch token and say what the runner would answer it with, and why.">
      <InspectInput />
      <InspectResult />
    </Screen>
  );
}

function InspectInput() {
  const input = useConsole((s) => s.inspectInput);
  const setInput = useConsole((s) => s.setInspectInput);
  const againstRunner = useConsole((s) => s.inspectAgainstRunner);
  const setAgainstRunner = useConsole((s) => s.setInspectAgainstRunner);
  const inspect = useConsole((s) => s.inspectToken);
  const busy = useConsole((s) => s.inspectBusy);
  const error = useConsole((s) => s.inspectError);
  const clearError = useConsole((s) => s.clearInspectError);
  const runnerUrl = useConsole((s) => s.info?.activeEnvironment.runnerUrl);
  const inputId = useId();
  const hintId = useId();

  return (
    <Panel id="inspect-input" title="Token" hint="Decrypted and verified with the active environment's key ring.">
      <BlockForm title="A token or a launch URL" inputId={inputId} busy={busy} onSubmit={() => void inspect()}>
        <PlainTextArea
          id={inputId}
          className="paste-area mono-input"
          rows={6}
          aria-describedby={hintId}
          placeholder={'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6…\nor http://localhost:5000/session?token=…'}
          data-testid="inspect-input"
          value={input}
          onChange={(e) => setInput(e.target.value)}
        />
        <p className="field-hint" id={hintId}>
          Paste the JWE itself, or the whole <code>…/session?token=…</code> address.
        </p>
        <label className="checkbox-line">
          <input
            type="checkbox"
            checked={againstRunner && !!runnerUrl}
            disabled={!runnerUrl}
            data-testid="inspect-against-runner"
            onChange={(e) => setAgainstRunner(e.target.checked)}
          />
          <span>
            Check against the runner
            {runnerUrl ? (
              <>
                {' '}
                at <code>{runnerUrl}</code>
              </>
            ) : null}
            : fetch the questionnaire's schema to check its metadata
          </span>
        </label>
        <div className="button-row">
          <SubmitButton busy={busy} empty={input.trim() === ''} busyLabel="Inspecting…" testId="inspect-submit">
            Inspect
          </SubmitButton>
        </div>
      </BlockForm>
      <ErrorAlert message={error} onDismiss={clearError} testId="inspect-error" />
    </Panel>
  );
}

function InspectResult() {
  const report = useConsole((s) => s.inspectReport);
  const checkedRunner = useConsole((s) => s.inspectCheckedRunner);
  if (!report) return null;
  const groups = problemGroups(report.problems);
  // A token the ring cannot open but the console minted: the answer is judged from what it minted.
  const status = report.runnerStatus ?? report.minted?.check.runnerStatus ?? null;
  const ok = status === 302;
  const claims = report.claims ?? report.minted?.claims ?? null;
  return (
    <section className="panel inspect-result" aria-labelledby="inspect-result-title" data-testid="inspect-result">
      <h2 id="inspect-result-title" className="panel-title">
        Report
      </h2>
      <div className="verdict-row" aria-live="polite">
        <span
          className={ok ? 'status-badge status-ok' : status !== null ? 'status-badge status-bad' : 'status-badge status-none'}
          title={report.minted ? 'What the runner would answer to the claims the console minted' : 'What the runner would answer'}
          data-testid="inspect-status"
          data-state={report.state}
        >
          {status ?? '—'}
        </span>
        <div className="verdict-text">
          <p className="inspect-verdict" data-testid="inspect-verdict">
            {report.state !== 'runner' && <span className="verdict-label">{STATE_LABELS[report.state]}: </span>}
            {report.verdict}
          </p>
          {report.fix && !report.minted && (
            <p className="verdict-fix" data-testid="inspect-fix">
              <span className="verdict-label">To do:</span> {report.fix}
            </p>
          )}
          <p className="verdict-spec">
            <span className="verdict-label">Payload version:</span> <span data-testid="inspect-payload-version">{PAYLOAD_LABELS[report.payloadVersion]}</span>
            {checkedRunner ? (
              <>
                {' '}
                · checked against <code>{checkedRunner}</code>
              </>
            ) : (
              ' · not checked against a runner'
            )}
          </p>
        </div>
      </div>
      <EditInBuilder report={report} />
      {groups.console.length > 0 && <ProblemGroup id="inspect-console-problems" title="Why the console cannot tell" problems={groups.console} />}
      <ProblemGroup id="inspect-runner-problems" title="What the runner checks" problems={groups.runner} />
      <ProblemGroup id="inspect-spec-problems" title="ONS specification" problems={groups.spec} />
      {claims && <TokenTimes claims={claims} report={report} />}
      <TokenKeys kids={report.kids} />
      <div className="inspect-headers">
        <JsonBlock title="JWE header" value={report.jweHeader} testId="inspect-jwe-header" />
        <JsonBlock title="JWS header" value={report.jwsHeader} testId="inspect-jws-header" />
      </div>
      <JsonBlock title={report.minted ? 'Claims (as the console minted them)' : 'Claims'} value={claims} testId="inspect-claims" tall />
    </section>
  );
}

function ProblemGroup({ id, title, problems }: { id: string; title: string; problems: Problem[] }) {
  return (
    <div className="problem-group inspect-problems" role="group" aria-labelledby={`${id}-title`} data-testid={id}>
      <h3 id={`${id}-title`} className="block-title">
        {title} <span className="muted">({problems.length})</span>
      </h3>
      {problems.length === 0 ? (
        <p className="muted">No problems.</p>
      ) : (
        <ul className="problem-list">
          {problems.map((p, i) => (
            <li key={`${p.code}-${p.path}-${i}`} data-testid="inspect-problem" data-code={p.code}>
              <code className="problem-path">{p.path || '(token)'}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function JsonBlock({ title, value, testId, tall }: { title: string; value: Record<string, unknown> | null; testId: string; tall?: boolean }) {
  return (
    <div className="inspect-json">
      <h3 className="block-title">{title}</h3>
      {value === null ? (
        <p className="muted" data-testid={testId}>
          Could not be read.
        </p>
      ) : (
        <pre className={tall ? 'code-block code-block-tall' : 'code-block'} tabIndex={0} aria-label={title} data-testid={testId}>
          {JSON.stringify(value, null, 2)}
        </pre>
      )}
    </div>
  );
}
