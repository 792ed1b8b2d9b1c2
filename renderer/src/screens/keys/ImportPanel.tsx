import { useEffect, useId, useRef, useState } from 'react';
import { KEY_USES, PURPOSES, type KeyUse, type Purpose } from '../../../../shared/api';
import { KEY_FILE_EXTENSIONS } from '../../../../shared/key-files';
import { ErrorAlert } from '../../components/Alert';
import { useConsole } from '../../state/store';
import { ImportReportView } from './ImportReportView';
import { fromInput, readPickedFiles } from './read-files';

export function ImportPanel() {
  return (
    <section className="panel" aria-labelledby="import-title">
      <h2 id="import-title" className="panel-title">
        Import keys
      </h2>
      <p className="panel-hint">
        Private or public PEM files, or a key store (the runner's keys.yml, YAML or JSON). You can also drop files or
        folders anywhere on this screen.
      </p>
      <OverrideFields />
      <FilePickers />
      <PastePanel />
      <CheckoutPanel />
    </section>
  );
}

/** For files whose name does not say what they are for (the runner's naming does). */
function OverrideFields() {
  const overrides = useConsole((s) => s.overrides);
  const setOverride = useConsole((s) => s.setOverride);
  const purposeId = useId();
  const useFieldId = useId();
  return (
    <fieldset className="fieldset">
      <legend>When a file does not say</legend>
      <div className="field-row">
        <div className="field">
          <label htmlFor={purposeId}>Purpose</label>
          <select
            id={purposeId}
            value={overrides.purpose ?? ''}
            onChange={(e) => setOverride('purpose', (e.target.value || undefined) as Purpose | undefined)}
          >
            <option value="">Work it out from the file</option>
            {PURPOSES.map((p) => (
              <option key={p} value={p}>
                {p.replace('_', ' ')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={useFieldId}>Use</label>
          <select
            id={useFieldId}
            value={overrides.use ?? ''}
            onChange={(e) => setOverride('use', (e.target.value || undefined) as KeyUse | undefined)}
          >
            <option value="">Work it out from the file</option>
            {KEY_USES.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="field-hint">Applies to files, drops and pasted text; a runner checkout names its own keys.</p>
    </fieldset>
  );
}

function FilePickers() {
  const importTexts = useConsole((s) => s.importTexts);
  const busy = useConsole((s) => s.busy.files);
  const error = useConsole((s) => s.errors.files);
  const clearError = useConsole((s) => s.clearError);
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // React has no typed prop for these; without them the browser shows a file picker.
    folderRef.current?.setAttribute('webkitdirectory', '');
    folderRef.current?.setAttribute('directory', '');
  }, []);

  async function onPicked(input: HTMLInputElement) {
    const { texts, skipped } = await readPickedFiles(fromInput(input.files));
    // Clearing lets the same file be picked again after a failed import.
    input.value = '';
    await importTexts('files', texts, skipped);
  }

  return (
    <div className="import-block" aria-busy={busy || undefined}>
      <h3 className="block-title">From files</h3>
      <div className="button-row">
        <label className="button file-button">
          Choose files…
          <input
            ref={filesRef}
            type="file"
            multiple
            accept={KEY_FILE_EXTENSIONS.join(',')}
            className="visually-hidden"
            data-testid="import-files-input"
            aria-label="Import key files"
            disabled={busy}
            onChange={(e) => void onPicked(e.currentTarget)}
          />
        </label>
        <label className="button file-button">
          Choose a folder…
          <input
            ref={folderRef}
            type="file"
            multiple
            className="visually-hidden"
            data-testid="import-folder-input"
            aria-label="Import a folder of key files"
            disabled={busy}
            onChange={(e) => void onPicked(e.currentTarget)}
          />
        </label>
        {busy && <span className="busy">Importing…</span>}
      </div>
      <ErrorAlert message={error} onDismiss={() => clearError('files')} testId="files-error" />
      <LastReport source="files" />
    </div>
  );
}

function PastePanel() {
  const importTexts = useConsole((s) => s.importTexts);
  const busy = useConsole((s) => s.busy.paste);
  const error = useConsole((s) => s.errors.paste);
  const clearError = useConsole((s) => s.clearError);
  const [text, setText] = useState('');
  const id = useId();

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (!text.trim()) return;
    const ok = await importTexts('paste', [{ name: 'pasted', text }]);
    if (ok) setText('');
  }

  return (
    <form className="import-block" onSubmit={(e) => void onSubmit(e)} aria-busy={busy || undefined}>
      <h3 className="block-title">
        <label htmlFor={id}>Paste a key or key store</label>
      </h3>
      <textarea
        id={id}
        className="paste-area"
        rows={5}
        spellCheck={false}
        autoComplete="off"
        placeholder={'-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----'}
        data-testid="paste-input"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (error) clearError('paste');
        }}
      />
      <div className="button-row">
        <button type="submit" className="button" disabled={busy || !text.trim()} data-testid="paste-import">
          {busy ? 'Importing…' : 'Import pasted text'}
        </button>
      </div>
      <ErrorAlert message={error} onDismiss={() => clearError('paste')} testId="paste-error" />
      <LastReport source="paste" />
    </form>
  );
}

function CheckoutPanel() {
  const importRunnerCheckout = useConsole((s) => s.importRunnerCheckout);
  const busy = useConsole((s) => s.busy.checkout);
  const error = useConsole((s) => s.errors.checkout);
  const clearError = useConsole((s) => s.clearError);
  const mode = useConsole((s) => s.info?.mode);
  const [folder, setFolder] = useState('');
  const id = useId();
  const hintId = useId();

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (!folder.trim()) return;
    await importRunnerCheckout(folder.trim());
  }

  return (
    <form className="import-block" onSubmit={(e) => void onSubmit(e)} aria-busy={busy || undefined}>
      <h3 className="block-title">
        <label htmlFor={id}>Import a runner checkout</label>
      </h3>
      <p className="field-hint" id={hintId}>
        The folder of an eq-questionnaire-runner checkout on {mode === 'browser' ? 'the machine running the console' : 'this machine'}
        : its tests/jwt-test-keys and dev-keys.yml are imported in one step.
      </p>
      <div className="inline-form">
        <input
          id={id}
          type="text"
          className="text-input"
          placeholder="/home/me/eq-questionnaire-runner"
          aria-describedby={hintId}
          spellCheck={false}
          autoComplete="off"
          data-testid="checkout-path"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
        />
        <button type="submit" className="button" disabled={busy || !folder.trim()} data-testid="checkout-import">
          {busy ? 'Importing…' : 'Import checkout'}
        </button>
      </div>
      <ErrorAlert message={error} onDismiss={() => clearError('checkout')} testId="checkout-error" />
      <LastReport source="checkout" />
    </form>
  );
}

function LastReport({ source }: { source: 'files' | 'paste' | 'checkout' }) {
  const last = useConsole((s) => s.lastImport);
  if (!last || last.source !== source) return null;
  return <ImportReportView report={last.report} />;
}
