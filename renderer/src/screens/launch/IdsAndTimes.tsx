import { useEffect, useId, useState } from 'react';
import { defaultResponseExpiry, newResponseId, randomUuid } from '../../../../shared/launch';
import { useConsole } from '../../state/store';
import { ClaimField } from './ClaimField';
import { describeEpoch } from './datetime';

/** The identifiers a launch carries; each can be made fresh on its own. */
export function IdFields() {
  const payload = useConsole((s) => s.payload);
  return (
    <fieldset className="fieldset">
      <legend>Identifiers</legend>
      <div className="field-grid">
        {payload !== 'legacy' && <ClaimField label="jti" path="jti" kind="uuid" hint="Token id; the runner takes each once." />}
        <ClaimField label="tx_id" path="tx_id" kind="uuid" hint="Transaction id, distinct from jti." />
        <ClaimField label="case_id" path="case_id" kind="uuid" />
        <ClaimField
          label="response_id"
          path="response_id"
          kind="string"
          regenerate={newResponseId}
          hint="Names the stored response: keep it to resume, renew it to start afresh."
        />
        <ClaimField label="collection_exercise_sid" path="collection_exercise_sid" kind="string" regenerate={randomUuid} />
      </div>
    </fieldset>
  );
}

/** iat and exp follow the lifetime; response_expires_at is the response's own deadline. */
export function TimeFields() {
  const payload = useConsole((s) => s.payload);
  const iat = useConsole((s) => s.claims.iat);
  const exp = useConsole((s) => s.claims.exp);
  const lifetime = useConsole((s) => s.lifetimeMinutes);
  const setLifetime = useConsole((s) => s.setLifetime);
  const restamp = useConsole((s) => s.restampTimes);
  const lifetimeId = useId();
  // Typed text stays while it is not a usable number yet (an emptied box on the way to a new value).
  const [lifetimeText, setLifetimeText] = useState(String(lifetime));
  useEffect(() => {
    setLifetimeText((text) => (Number(text) === lifetime ? text : String(lifetime)));
  }, [lifetime]);
  return (
    <fieldset className="fieldset">
      <legend>Times</legend>
      <div className="field-grid">
        <ClaimField label="iat" path="iat" kind="number" hint={describeEpoch(iat) || 'Seconds since 1970 (UTC).'} />
        <ClaimField label="exp" path="exp" kind="number" hint={describeEpoch(exp) || 'Seconds since 1970 (UTC).'} />
        <div className="field">
          <label htmlFor={lifetimeId}>Lifetime (minutes)</label>
          <div className="input-with-button">
            <input
              id={lifetimeId}
              className="text-input"
              type="number"
              min={1}
              step={1}
              value={lifetimeText}
              onChange={(e) => {
                setLifetimeText(e.target.value);
                const minutes = Number(e.target.value);
                if (e.target.value.trim() && minutes > 0) setLifetime(minutes);
              }}
            />
            <button type="button" className="button button-small" onClick={restamp} aria-label="Set iat to now and exp to now plus the lifetime">
              Now
            </button>
          </div>
          <p className="field-hint">exp = iat + lifetime. The runner refuses an expired token with 401.</p>
        </div>
        {payload !== 'legacy' && (
          <ClaimField
            label="response_expires_at"
            path="response_expires_at"
            kind="datetime"
            regenerate={() => defaultResponseExpiry(Date.now() / 1000)}
            regenerateLabel="Set response_expires_at to 7 days from now"
            hint="Must be in the future. UTC."
          />
        )}
      </div>
    </fieldset>
  );
}
