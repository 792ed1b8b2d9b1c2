import { useId, useState } from 'react';
import { ErrorAlert } from '../../components/Alert';
import { useConsole } from '../../state/store';
import { useLaunchActions } from './useLaunch';

/**
 * A schema file on this machine, served to the runner through schema_url. The console tells the
 * page when the file changes (schemas.preview events), so a schema author can edit, then relaunch.
 */
export function SchemaPreviewPanel() {
  const preview = useConsole((s) => s.preview);
  const seen = useConsole((s) => s.previewSeenVersion);
  const busy = useConsole((s) => s.previewBusy);
  const error = useConsole((s) => s.catalogueErrors.preview);
  const clearError = useConsole((s) => s.clearCatalogueError);
  const start = useConsole((s) => s.startPreview);
  const stop = useConsole((s) => s.stopPreview);
  const toBuilder = useConsole((s) => s.builderToPreview);
  const askConfirm = useConsole((s) => s.askConfirmLaunch);
  const launchBusy = useConsole((s) => s.launchBusy);
  const { launch } = useLaunchActions();
  const [path, setPath] = useState('');
  const id = useId();
  const changed = preview !== null && preview.version > seen;

  function relaunchChanged() {
    const check = toBuilder();
    if (!check) return;
    // The new file may ask for metadata the claims lack: then the usual "Launch anyway?" applies.
    if (check.runnerStatus === 302) void launch();
    else askConfirm(true);
  }

  return (
    <section className="preview-block" aria-labelledby={`${id}-title`} data-testid="schema-preview">
      <h3 id={`${id}-title`} className="block-title">
        Preview a local schema file
      </h3>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start(path);
        }}
      >
        <label htmlFor={id} className="visually-hidden">
          Schema file path
        </label>
        <input
          id={id}
          className="text-input"
          spellCheck={false}
          autoComplete="off"
          placeholder="/home/me/schemas/my_survey.json"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <button type="submit" className="button button-small" disabled={busy || !path.trim()}>
          {busy ? 'Starting…' : 'Preview'}
        </button>
      </form>
      <ErrorAlert message={error} onDismiss={() => clearError('preview')} testId="preview-error" />
      {preview && (
        <div className="preview-status">
          <p className="preview-line">
            Served as <code data-testid="preview-url">{preview.schemaUrl}</code>
          </p>
          <p className="preview-line muted">
            {preview.summary ? <strong>{preview.summary.title}</strong> : null} version {preview.version}
            {preview.changedAt && <> · changed {new Date(preview.changedAt).toLocaleTimeString()}</>}
          </p>
          {preview.error && (
            <div className="alert alert-error" role="alert" data-testid="preview-file-error">
              <span className="alert-text">{preview.error}</span>
            </div>
          )}
          {changed && !preview.error && (
            <button type="button" className="button button-primary button-small" disabled={launchBusy} onClick={relaunchChanged} data-testid="preview-relaunch">
              The file changed — relaunch
            </button>
          )}
          <div className="button-row">
            <button type="button" className="button button-small" disabled={!preview.summary} onClick={() => toBuilder()}>
              Use in the builder
            </button>
            <button type="button" className="button button-small" onClick={() => void stop()}>
              Stop
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
