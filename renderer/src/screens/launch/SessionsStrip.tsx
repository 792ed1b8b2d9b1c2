import { useEffect, useId, useRef, useState } from 'react';
import type { SessionInfo } from '../../../../shared/launch-types';
import { ErrorAlert } from '../../components/Alert';
import { useAnyDialogOpen } from '../../components/Dialog';
import { useConsole } from '../../state/store';
import { useViewport } from './useViewport';

/** The sticky header's bottom edge: the session view must stay below it when the page scrolls. */
const headerBottom = () => document.querySelector('.app-header')?.getBoundingClientRect().bottom ?? 0;

/**
 * Respondent sessions embedded in the desktop app. The session itself is a native view that the
 * shell lays over the viewport box below; the page only says where that box is.
 */
export function SessionsStrip() {
  const sessions = useConsole((s) => s.sessions);
  const load = useConsole((s) => s.loadSessions);
  const listError = useConsole((s) => s.sessionErrors.list);
  const controlError = useConsole((s) => s.sessionErrors.control);
  const clearError = useConsole((s) => s.clearSessionError);
  const setViewport = useConsole((s) => s.setSessionViewport);
  const dialogOpen = useAnyDialogOpen();
  const viewportRef = useRef<HTMLDivElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const active = sessions.find((s) => s.active) ?? null;

  // Once on showing; after that the shell says when sessions change (sessions.changed events).
  useEffect(() => {
    void load();
  }, [load]);

  useViewport(viewportRef, active !== null && !dialogOpen, setViewport, headerBottom);

  // A session just launched opens below the builder: bring it into view.
  const count = useRef(sessions.length);
  useEffect(() => {
    if (sessions.length > count.current) sectionRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    count.current = sessions.length;
  }, [sessions.length]);

  return (
    <section ref={sectionRef} className="panel sessions" aria-labelledby="sessions-title" data-testid="sessions-strip">
      <h2 id="sessions-title" className="panel-title">
        Sessions {sessions.length > 0 && <span className="count">({sessions.length})</span>}
      </h2>
      <ErrorAlert message={listError} testId="sessions-error" />
      <ErrorAlert message={controlError} onDismiss={() => clearError('control')} testId="session-control-error" />
      {sessions.length === 0 ? (
        <p className="empty">No sessions. Launch one and it opens here, each in its own cookie jar.</p>
      ) : (
        <>
          <SessionTabs sessions={sessions} />
          {active && <SessionToolbar session={active} />}
        </>
      )}
      <div ref={viewportRef} className={active ? 'session-viewport' : 'session-viewport session-viewport-empty'} data-testid="session-viewport">
        {active && dialogOpen && <p className="muted">The session is hidden while a dialog is open.</p>}
      </div>
    </section>
  );
}

function SessionTabs({ sessions }: { sessions: SessionInfo[] }) {
  const control = useConsole((s) => s.controlSession);
  return (
    <div className="session-tabs" role="tablist" aria-label="Sessions">
      {sessions.map((s) => (
        <div key={s.id} className={s.active ? 'session-tab session-tab-on' : 'session-tab'}>
          <button type="button" role="tab" aria-selected={s.active} className="session-tab-button" title={s.url} onClick={() => void control(s.id, 'activate')}>
            {s.loading && <span className="spinner" aria-label="loading" />}
            <span className="session-tab-label">{s.title || s.label}</span>
            {s.answer && <span className={s.answer.status === 302 ? 'mini-badge ok' : 'mini-badge bad'}>{s.answer.status}</span>}
          </button>
          <button type="button" className="session-tab-close" aria-label={`Close session ${s.title || s.label}`} onClick={() => void control(s.id, 'close')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

function SessionToolbar({ session }: { session: SessionInfo }) {
  const control = useConsole((s) => s.controlSession);
  // The dump opens on the Downstream screen, where it is read like any payload the runner sent.
  const preview = useConsole((s) => s.openSubmissionDump);
  const [address, setAddress] = useState(session.url);
  const [editing, setEditing] = useState(false);
  const addressId = useId();

  useEffect(() => {
    // Follow the session's navigation, but not while the user is typing an address.
    if (!editing) setAddress(session.url);
  }, [session.url, session.id, editing]);

  const act = (action: Parameters<typeof control>[1]) => void control(session.id, action);
  return (
    <div className="session-toolbar" role="toolbar" aria-label="Session controls">
      <button type="button" className="tool-button" aria-label="Back" disabled={!session.canGoBack} onClick={() => act('back')}>
        ←
      </button>
      <button type="button" className="tool-button" aria-label="Forward" disabled={!session.canGoForward} onClick={() => act('forward')}>
        →
      </button>
      <button type="button" className="tool-button" aria-label="Reload" onClick={() => act('reload')}>
        ↻
      </button>
      <form
        className="address-form"
        onSubmit={(e) => {
          e.preventDefault();
          setEditing(false);
          void control(session.id, 'navigate', address.trim());
        }}
      >
        <label htmlFor={addressId} className="visually-hidden">
          Address
        </label>
        <input
          id={addressId}
          className="text-input address-input"
          value={address}
          spellCheck={false}
          autoComplete="off"
          onFocus={() => setEditing(true)}
          onBlur={() => setEditing(false)}
          onChange={(e) => setAddress(e.target.value)}
        />
      </form>
      {session.dumper && (
        <button
          type="button"
          className="button button-small"
          title="Opens what the runner would send now on the Downstream screen"
          onClick={() => void preview(session.id)}
        >
          Preview submission
        </button>
      )}
      <button type="button" className="button button-small" onClick={() => act('devtools')}>
        DevTools
      </button>
      <button
        type="button"
        className="button button-small"
        onClick={() => act('external')}
        title="Opens the address in your browser, which has its own cookies"
      >
        Open in browser
      </button>
      <button type="button" className="button button-small button-danger-outline" onClick={() => act('close')}>
        Close
      </button>
    </div>
  );
}
