import { useId } from 'react';
import { KEY_ROLE_WORDS, type KidMatch, type KidReport } from '../../../../shared/inspect-types';

/** Each header's kid beside the key-ring entry it names, or flagged as unknown to the ring, and what that means. */
export function TokenKeys({ kids }: { kids: KidReport }) {
  const titleId = useId();
  if (!kids.jwe && !kids.jws) return null;
  return (
    <div className="inspect-kids" role="group" aria-labelledby={titleId} data-testid="inspect-kids">
      <h3 id={titleId} className="block-title">
        Keys named by the token
      </h3>
      <ul className="kid-matches">
        <KidRow header="JWE" match={kids.jwe} unread="The JWE header could not be read." />
        <KidRow header="JWS" match={kids.jws} unread="The JWS header is inside the encryption, and the JWE could not be opened to read it." />
      </ul>
    </div>
  );
}

function KidRow({ header, match, unread }: { header: 'JWE' | 'JWS'; match: KidMatch | null; unread: string }) {
  const testId = `inspect-kid-${header.toLowerCase()}`;
  if (!match) {
    return (
      <li className="kid-match" data-testid={testId} data-status="unread">
        <span className="verdict-label">{header} kid:</span> <span className="muted">{unread}</span>
      </li>
    );
  }
  const key = match.key;
  return (
    <li className="kid-match" data-testid={testId} data-status={match.status}>
      <div className="kid-match-head">
        <span className="verdict-label">{header} kid:</span>{' '}
        {match.kid !== null ? <code className="kid">{match.kid}</code> : <span className="muted">none</span>}{' '}
        {match.status === 'unknown' && (
          <span className="tag tag-skipped" data-testid="kid-unknown">
            unknown to this key ring
          </span>
        )}
        {key && match.fits === false && (
          <span className="tag tag-skipped" data-testid="kid-wrong-kind">
            the wrong kind of key
          </span>
        )}
      </div>
      {key && (
        <div className="kid-entry" data-testid="kid-entry">
          <strong data-testid="kid-label">{key.label || 'No label'}</strong>
          {!key.label && <span className="muted"> ({key.source})</span>} · {key.purpose} · {key.use} pair ·{' '}
          <span className={`badge badge-${key.type}`}>{key.type}</span>
          {key.roles.length > 0 && (
            <ul className="role-list kid-roles" aria-label={`What the console uses ${match.kid} for`}>
              {key.roles.map((role) => (
                <li key={role} className="badge badge-role">
                  {KEY_ROLE_WORDS[role]}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <p className="field-hint" data-testid="kid-meaning">
        {match.meaning}
      </p>
    </li>
  );
}
