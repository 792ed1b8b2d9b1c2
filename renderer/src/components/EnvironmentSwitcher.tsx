import { useEffect, useId, useState } from 'react';
import { useConsole } from '../state/store';
import { ErrorAlert } from './Alert';
import { Dialog } from './Dialog';

/** The header's environment control: which runner (and key ring) the console works with. */
export function EnvironmentSwitcher() {
  const info = useConsole((s) => s.info);
  const infoError = useConsole((s) => s.infoError);
  const environments = useConsole((s) => s.environments);
  const loadEnvironments = useConsole((s) => s.loadEnvironments);
  const activate = useConsole((s) => s.activateEnvironment);
  const busy = useConsole((s) => s.environmentsBusy.activate);
  const activateError = useConsole((s) => s.environmentErrors.activate);
  const listError = useConsole((s) => s.environmentErrors.list);
  const edit = useConsole((s) => s.editEnvironment);
  const askRemove = useConsole((s) => s.askRemoveEnvironment);
  const selectId = useId();
  const env = info?.activeEnvironment;
  const activeId = env?.id;

  useEffect(() => {
    if (activeId) void loadEnvironments();
  }, [activeId, loadEnvironments]);

  // The list may not have arrived (or failed): the active one is always offered.
  const options = env && !environments.some((e) => e.id === env.id) ? [env, ...environments] : environments;

  return (
    <div className="environment" data-testid="active-environment" aria-label="Active environment" role="group">
      {env ? (
        <>
          <label className="environment-label" htmlFor={selectId}>
            Environment
          </label>
          <select
            id={selectId}
            className="environment-select"
            value={env.id}
            disabled={busy}
            data-testid="environment-select"
            onChange={(e) => void activate(e.target.value)}
          >
            {options.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
          <span className="environment-url" title={env.runnerUrl} data-testid="environment-url">
            {env.runnerUrl}
          </span>
          <div className="environment-actions">
            <button type="button" className="header-button" aria-label={`Edit environment ${env.name}`} onClick={() => edit({ ...env })}>
              Edit
            </button>
            <button
              type="button"
              className="header-button"
              aria-label="Add an environment"
              onClick={() => edit({ name: '', runnerUrl: 'http://localhost:5000' })}
            >
              Add
            </button>
            <button
              type="button"
              className="header-button"
              aria-label={`Remove environment ${env.name}`}
              disabled={options.length < 2}
              title={options.length < 2 ? 'The only environment cannot be removed' : undefined}
              onClick={() => askRemove(env.id)}
            >
              Remove
            </button>
          </div>
          {(activateError || listError) && (
            <span className="environment-error" role="alert">
              {activateError ?? listError}
            </span>
          )}
        </>
      ) : infoError ? (
        <span className="environment-error" role="alert">
          {infoError}
        </span>
      ) : (
        <span className="environment-label">Loading…</span>
      )}
      <EnvironmentDialog />
      <RemoveEnvironmentDialog />
    </div>
  );
}

function EnvironmentDialog() {
  const draft = useConsole((s) => s.environmentDraft);
  const save = useConsole((s) => s.saveEnvironment);
  const edit = useConsole((s) => s.editEnvironment);
  const busy = useConsole((s) => s.environmentsBusy.save);
  const error = useConsole((s) => s.environmentErrors.save);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const ids = { name: useId(), url: useId(), hint: useId() };

  useEffect(() => {
    if (draft) {
      setName(draft.name);
      setUrl(draft.runnerUrl);
    }
  }, [draft]);

  if (!draft) return null;
  const formId = 'environment-form';
  return (
    <Dialog
      title={draft.id ? `Edit environment ${draft.name}` : 'Add an environment'}
      onClose={() => edit(null)}
      testId="environment-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={() => edit(null)} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : draft.id ? 'Save' : 'Add environment'}
          </button>
        </>
      }
    >
      <form
        id={formId}
        onSubmit={(e) => {
          e.preventDefault();
          void save({ ...(draft.id ? { id: draft.id } : {}), name, runnerUrl: url });
        }}
      >
        <div className="field">
          <label htmlFor={ids.name}>Name</label>
          <input id={ids.name} className="text-input" value={name} autoFocus onChange={(e) => setName(e.target.value)} placeholder="Staging runner" />
        </div>
        <div className="field field-spaced">
          <label htmlFor={ids.url}>Runner URL</label>
          <input
            id={ids.url}
            className="text-input"
            type="url"
            value={url}
            spellCheck={false}
            aria-describedby={ids.hint}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="http://localhost:5000"
          />
          <p className="field-hint" id={ids.hint}>
            {draft.id
              ? 'Launches, the schema catalogue and flushes go to this address.'
              : 'A new environment starts with its own, freshly generated, key ring; import the runner’s keys on the Keys screen.'}
          </p>
        </div>
        <ErrorAlert message={error} testId="environment-save-error" />
      </form>
    </Dialog>
  );
}

function RemoveEnvironmentDialog() {
  const id = useConsole((s) => s.pendingEnvironmentRemove);
  const env = useConsole((s) => s.environments.find((e) => e.id === s.pendingEnvironmentRemove));
  const ask = useConsole((s) => s.askRemoveEnvironment);
  const confirm = useConsole((s) => s.confirmRemoveEnvironment);
  const busy = useConsole((s) => s.environmentsBusy.remove);
  const error = useConsole((s) => s.environmentErrors.remove);
  if (!id) return null;
  return (
    <Dialog
      title="Remove this environment?"
      onClose={() => ask(null)}
      testId="environment-remove-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={() => ask(null)} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={() => void confirm()} disabled={busy}>
            {busy ? 'Removing…' : 'Remove environment'}
          </button>
        </>
      }
    >
      <p>
        <strong>{env?.name ?? id}</strong> {env && <code>{env.runnerUrl}</code>} will be removed from the console’s environments. Launch history already
        recorded stays.
      </p>
      <ErrorAlert message={error} testId="environment-remove-error" />
    </Dialog>
  );
}
