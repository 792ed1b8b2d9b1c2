import { useId } from 'react';
import { toJson } from '../../state/launch-slice';
import { useConsole } from '../../state/store';
import { JsonCodeEditor } from './JsonCodeEditor';

/**
 * The claims as JSON, editable. Valid JSON replaces the claims (and so the form); text that does
 * not parse stays here with its error (line and column, and a marker in the editor) and leaves the
 * claims, and the form, as they were.
 */
export function RawJsonEditor() {
  const text = useConsole((s) => s.rawText);
  const error = useConsole((s) => s.rawError);
  const setRawText = useConsole((s) => s.setRawText);
  const claims = useConsole((s) => s.claims);
  const id = useId();
  return (
    <section className="panel raw-json" aria-labelledby={`${id}-title`}>
      <div className="panel-head">
        <h2 id={`${id}-title`} className="panel-title">
          Claims as JSON
        </h2>
        {error && (
          <button type="button" className="button button-small" onClick={() => setRawText(toJson(claims))}>
            Discard my edit
          </button>
        )}
      </div>
      <JsonCodeEditor value={text} onChange={setRawText} label="Claims as JSON" invalid={error !== null} description={error ?? undefined} testId="raw-json" />
      {error ? (
        <div className="alert alert-error" role="alert" data-testid="raw-json-error">
          <span className="alert-text">{error}</span>
        </div>
      ) : (
        <p className="field-hint">Edits here update the form as soon as they are valid JSON.</p>
      )}
    </section>
  );
}
