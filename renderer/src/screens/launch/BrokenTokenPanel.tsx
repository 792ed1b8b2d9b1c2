import { useId, useState } from 'react';
import { expectedStatuses, FORGE_KINDS, isForgeKind, type ForgeGroup, type ForgeResult } from '../../../../shared/launch/forge-kinds';
import { copyText } from '../../clipboard';
import { ErrorAlert } from '../../components/Alert';
import { Panel } from '../../components/Panel';
import { errorMessage } from '../../state/errors';
import { useConsole } from '../../state/store';

const GROUPS: { group: ForgeGroup; label: string }[] = [
  { group: 'envelope', label: 'The envelope' },
  { group: 'claims', label: 'The claims' },
  { group: 'replay', label: 'Replay' },
];

/** Negative tests: the builder's launch with exactly one thing broken, and what the runner will answer. */
export function BrokenTokenPanel() {
  const kind = useConsole((s) => s.forgeKind);
  const setKind = useConsole((s) => s.setForgeKind);
  const make = useConsole((s) => s.makeBrokenToken);
  const busy = useConsole((s) => s.forgeBusy);
  const result = useConsole((s) => s.forgeResult);
  const error = useConsole((s) => s.forgeError);
  const clearError = useConsole((s) => s.clearForgeError);
  const selectId = useId();

  return (
    <Panel
      id="broken-token"
      title="Make a broken token"
      hint="The launch in the builder, with fresh ids and exactly one thing broken, for negative tests. Nothing is sent or recorded."
    >
      <form
        className="forge-form"
        data-testid="broken-token"
        aria-busy={busy || undefined}
        onSubmit={(e) => {
          e.preventDefault();
          void make();
        }}
      >
        <div className="field">
          <label htmlFor={selectId}>What to break</label>
          <select
            id={selectId}
            value={kind}
            data-testid="forge-kind"
            onChange={(e) => {
              if (isForgeKind(e.target.value)) setKind(e.target.value);
            }}
          >
            {GROUPS.map(({ group, label }) => (
              <optgroup key={group} label={label}>
                {FORGE_KINDS.filter((k) => k.group === group).map((k) => (
                  <option key={k.kind} value={k.kind}>
                    {k.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="button-row">
          <button type="submit" className="button" disabled={busy} data-testid="forge-make">
            {busy ? 'Making…' : 'Make'}
          </button>
        </div>
      </form>
      <ErrorAlert message={error} onDismiss={clearError} testId="forge-error" />
      {result && <ForgedTokens result={result} />}
    </Panel>
  );
}

function ForgedTokens({ result }: { result: ForgeResult }) {
  const statuses = expectedStatuses(result.kind);
  const [copied, setCopied] = useState<string | null>(null);
  const [copyError, setCopyError] = useState<string | null>(null);
  const copy = async (label: string, text: string) => {
    setCopyError(null);
    try {
      await copyText(text);
      setCopied(label);
    } catch (err) {
      setCopyError(errorMessage(err));
    }
  };
  return (
    <div className="forge-result" data-testid="forge-result">
      <p role="status">
        The runner will answer <strong data-testid="forge-expected">{result.expectedStatus}</strong>
        {statuses.length > 1 && ' to the second token (send them in order)'}.{' '}
        <span className="muted" data-testid="forge-reason">
          {result.reason}
        </span>
      </p>
      <ol className="forge-tokens">
        {result.tokens.map((token, i) => (
          <li key={token} data-testid="forge-token-item">
            {result.tokens.length > 1 && (
              <p className="muted">
                Token {i + 1}: the runner answers {statuses[i]}.
              </p>
            )}
            <code className="launch-url" data-testid="forge-token" title={token}>
              {token}
            </code>
            <div className="button-row">
              <button type="button" className="button button-small" onClick={() => void copy(`token ${i}`, token)}>
                {copied === `token ${i}` ? 'Copied' : 'Copy token'}
              </button>
              <button type="button" className="button button-small" onClick={() => void copy(`url ${i}`, result.urls[i]!)}>
                {copied === `url ${i}` ? 'Copied' : 'Copy URL'}
              </button>
              <a className="button button-small" href={result.urls[i]} target="_blank" rel="noopener noreferrer" data-testid="forge-url">
                Open /session
              </a>
            </div>
          </li>
        ))}
      </ol>
      <ErrorAlert message={copyError} onDismiss={() => setCopyError(null)} />
    </div>
  );
}
