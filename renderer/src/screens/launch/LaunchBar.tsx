import { useEffect, useRef, useState, type RefObject } from 'react';
import { runnerEndpoints } from '../../../../shared/runner-url';
import { copyText } from '../../clipboard';
import { ErrorAlert } from '../../components/Alert';
import { Dialog } from '../../components/Dialog';
import { errorMessage } from '../../state/errors';
import { useConsole } from '../../state/store';
import { useLaunchActions } from './useLaunch';
import { Verdict } from './Verdict';

/**
 * While the bar is on screen, the page keeps its height clear at the bottom of the window for
 * anything brought into view: html's scroll-padding-bottom (what focus, Tab and scrollIntoView
 * honour) follows the bar's height, and a field that takes the focus is brought whole into that
 * clear area, its problems included, so the sticky bar never covers what is being edited.
 */
function useKeepClearOfBar(bar: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const el = bar.current;
    if (!el) return;
    const root = document.documentElement;
    const bringIntoClear = (target: EventTarget | null) => {
      const field = target instanceof Element ? target.closest('[data-testid="builder"] .field') : null;
      if (field) field.scrollIntoView({ block: 'nearest' });
    };
    const measure = () => {
      root.style.setProperty('--launch-bar-space', `${Math.ceil(el.getBoundingClientRect().height) + 8}px`);
      // A verdict that grew the bar (a new problem, the fix to make) must not cover the field being edited.
      bringIntoClear(document.activeElement);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    const onFocus = (e: FocusEvent) => bringIntoClear(e.target);
    document.addEventListener('focusin', onFocus);
    return () => {
      observer.disconnect();
      document.removeEventListener('focusin', onFocus);
      root.style.removeProperty('--launch-bar-space');
    };
  }, [bar]);
}

/** The verdict and the buttons that act on it, kept in view while the form scrolls. */
export function LaunchBar() {
  const barRef = useRef<HTMLDivElement>(null);
  useKeepClearOfBar(barRef);
  const status = useConsole((s) => s.check.runnerStatus);
  const state = useConsole((s) => s.check.state);
  const busy = useConsole((s) => s.launchBusy);
  const error = useConsole((s) => s.launchErrors.launch);
  const clearError = useConsole((s) => s.clearLaunchError);
  const askConfirm = useConsole((s) => s.askConfirmLaunch);
  const launchFor = useConsole((s) => s.launch);
  const { how, launch } = useLaunchActions();
  const [copyNote, setCopyNote] = useState<{ ok: boolean; text: string } | null>(null);
  const refused = status !== 302;
  // Nothing to send: a key is missing or the claims do not parse.
  const blocked = status === null;

  async function copy(what: 'url' | 'token') {
    setCopyNote(null);
    const outcome = await launchFor('copy');
    if (!outcome) return;
    try {
      await copyText(what === 'url' ? outcome.result.entry.url : outcome.result.token);
      setCopyNote({
        ok: true,
        text: `Copied the launch ${what === 'url' ? 'URL' : 'token'}; it is in the history, and the builder has fresh ids for the next launch.`,
      });
    } catch (err) {
      setCopyNote({ ok: false, text: errorMessage(err) });
    }
  }

  return (
    <div ref={barRef} className="launch-bar" data-testid="launch-bar">
      <Verdict />
      <div className="button-row launch-buttons">
        <button
          type="button"
          className={refused && !blocked ? 'button button-danger' : 'button button-primary'}
          disabled={busy || blocked}
          data-testid="launch-button"
          data-state={state}
          onClick={() => (refused ? askConfirm(true) : void launch())}
        >
          {busy ? 'Launching…' : refused && !blocked ? 'Launch anyway' : 'Launch'}
        </button>
        <button type="button" className="button" disabled={busy || blocked} data-testid="copy-url" onClick={() => void copy('url')}>
          Copy URL
        </button>
        <button type="button" className="button" disabled={busy || blocked} data-testid="copy-token" onClick={() => void copy('token')}>
          Copy token
        </button>
        <span className="field-hint launch-where">{how === 'tab' ? 'Opens in a new tab of this browser.' : 'Opens in the console, below.'}</span>
      </div>
      {copyNote && (
        <p className={copyNote.ok ? 'inline-status' : 'inline-status inline-status-error'} role={copyNote.ok ? 'status' : 'alert'}>
          {copyNote.text}
        </p>
      )}
      <ErrorAlert message={error} onDismiss={() => clearError('launch')} testId="launch-error" />
      <ConfirmLaunchDialog onLaunch={() => void launch()} />
    </div>
  );
}

function ConfirmLaunchDialog({ onLaunch }: { onLaunch: () => void }) {
  const open = useConsole((s) => s.confirmLaunch);
  const verdict = useConsole((s) => s.check.verdict);
  const ask = useConsole((s) => s.askConfirmLaunch);
  if (!open) return null;
  return (
    <Dialog
      title="Launch anyway?"
      onClose={() => ask(false)}
      testId="confirm-launch"
      footer={
        <>
          <button type="button" className="button" onClick={() => ask(false)}>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={onLaunch} data-testid="confirm-launch-button">
            Launch anyway
          </button>
        </>
      }
    >
      <p>{verdict}</p>
      <p className="muted">Launching sends the token as it is, which is how negative tests are made. The launch is recorded in the history.</p>
    </Dialog>
  );
}

/** What became of the last launch, with its URL and token to copy. */
export function LastLaunch() {
  const last = useConsole((s) => s.lastLaunch);
  const mode = useConsole((s) => s.info?.mode);
  const [copied, setCopied] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!last) return null;
  const { entry, token, check } = last.result;
  const dumper = entry.roles.includes('dumper');
  const copy = async (label: string, text: string) => {
    setError(null);
    try {
      await copyText(text);
      setCopied(label);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <section className="panel last-launch" aria-labelledby="last-launch-title" data-testid="last-launch">
      <h2 id="last-launch-title" className="panel-title">
        Last launch <span className="muted">· {entry.label}</span>
      </h2>
      <p role="status" data-testid="last-launch-status">
        {last.how === 'tab'
          ? 'Opened in a new browser tab.'
          : last.how === 'embedded'
            ? 'Opened in the console, in the sessions below.'
            : 'Not opened: its URL or token was copied.'}{' '}
        <span className="muted">Predicted {check.runnerStatus}.</span>
      </p>
      <code className="launch-url" title={entry.url}>
        {entry.url}
      </code>
      <div className="button-row">
        <button type="button" className="button button-small" onClick={() => void copy('URL', entry.url)}>
          {copied === 'URL' ? 'Copied' : 'Copy URL'}
        </button>
        <button type="button" className="button button-small" onClick={() => void copy('token', token)}>
          {copied === 'token' ? 'Copied' : 'Copy token'}
        </button>
        {mode === 'browser' && dumper && (
          <a
            className="button button-small"
            href={runnerEndpoints.dumpSubmission(entry.runnerUrl)}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="dump-link"
          >
            Open /dump/submission
          </a>
        )}
      </div>
      {mode === 'browser' && dumper && (
        <p className="field-hint">/dump/submission uses your browser’s runner cookie: it shows the session most recently launched in this browser.</p>
      )}
      <ErrorAlert message={error} onDismiss={() => setError(null)} />
    </section>
  );
}
