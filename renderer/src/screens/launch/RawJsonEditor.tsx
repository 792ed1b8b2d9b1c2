import { useId } from 'react';
import { toJson } from '../../state/launch-slice';
import { useConsole } from '../../state/store';

/**
 * The claims as JSON, editable. Valid JSON replaces the claims (and so the form); text that does
 * not parse stays here with its error and leaves the claims, and the form, as they were.
 */
export function RawJsonEditor() {
  const text = useConsole((s) => s.rawText);
  const error = useConsole((s) => s.rawError);
  const setRawText = useConsole((s) => s.setRawText);
  const claims = useConsole((s) => s.claims);
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <section className="panel raw-json" aria-labelledby={`${id}-title`}>
      <div className="panel-head">
        <h2 id={`${id}-title`} className="panel-title">
          <label htmlFor={id}>Claims as JSON</label>
        </h2>
        {error && (
          <button type="button" className="button button-small" onClick={() => setRawText(toJson(claims))}>
            Discard my edit
          </button>
        )}
      </div>
      <textarea
        id={id}
        className="json-area"
        spellCheck={false}
        autoComplete="off"
        rows={18}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        data-testid="raw-json"
        onChange={(e) => setRawText(e.target.value)}
      />
      {error ? (
        <div className="alert alert-error" role="alert" id={errorId} data-testid="raw-json-error">
          <span className="alert-text">{error}</span>
        </div>
      ) : (
        <p className="field-hint">Edits here update the form as soon as they are valid JSON.</p>
      )}
    </section>
  );
}
