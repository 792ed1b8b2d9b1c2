import { useEffect, useRef } from 'react';
import { REUSE_WARNING } from '../../../../shared/launch/from-respondent';
import { relaunchingRespondent } from '../../state/launch-slice';
import { useConsole } from '../../state/store';

/**
 * Above the builder while it relaunches a respondent: where they came from, whose response_id
 * the launch has, and the one explicit way to take theirs (which opens, and may change, their
 * stored answers).
 */
export function RespondentPanel() {
  const respondent = useConsole((s) => s.respondent);
  const claims = useConsole((s) => s.claims);
  const setReuse = useConsole((s) => s.setReuseResponseId);
  const heading = useRef<HTMLHeadingElement>(null);
  const nonce = respondent?.nonce;

  // A relaunch from the history happens below, out of sight: the panel is where to look next.
  // Centred, not at the top, where the app's sticky header would cover it.
  useEffect(() => {
    if (nonce === undefined || !heading.current) return;
    heading.current.scrollIntoView({ block: 'center' });
    heading.current.focus({ preventScroll: true });
  }, [nonce]);

  if (!relaunchingRespondent(claims, respondent)) return null;
  const theirs = respondent.respondentResponseId;
  const reused = theirs !== undefined && claims.response_id === theirs;
  return (
    <section className="panel respondent-panel" aria-labelledby="respondent-title" data-testid="respondent-panel">
      <h2 id="respondent-title" className="panel-title" tabIndex={-1} ref={heading}>
        Relaunching as a respondent
      </h2>
      <p className="panel-hint">
        From <span data-testid="respondent-source">{respondent.source}</span>: the same schema, metadata, language, region, channel, case_id and
        collection_exercise_sid; fresh jti, tx_id and times.
      </p>
      <p data-testid="respondent-response-id">
        response_id <code>{String(claims.response_id ?? '')}</code>{' '}
        {reused
          ? "is the respondent's own."
          : claims.response_id === respondent.freshResponseId
            ? 'is new: the respondent’s stored answers are not touched.'
            : 'as edited.'}
      </p>
      <label className="checkbox-line">
        <input type="checkbox" checked={reused} disabled={theirs === undefined} data-testid="respondent-reuse" onChange={(e) => setReuse(e.target.checked)} />
        <span>
          Reuse the respondent&apos;s response_id
          {theirs !== undefined ? (
            <>
              {' '}
              (<code>{theirs}</code>)
            </>
          ) : (
            <span className="muted">: a downstream payload does not carry it</span>
          )}
        </span>
      </label>
      {reused && (
        <p className="warning-text" role="alert" data-testid="respondent-warning">
          Warning: {REUSE_WARNING}.
        </p>
      )}
      {respondent.notes.length > 0 && (
        <ul className="respondent-notes" data-testid="respondent-notes">
          {respondent.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
