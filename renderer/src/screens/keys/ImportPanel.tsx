import { useId, useState, type ReactNode } from 'react';
import type { KeyUse, Purpose } from '../../../../shared/api';
import { KEY_FILE_EXTENSIONS } from '../../../../shared/key-files';
import { ErrorAlert } from '../../components/Alert';
import { BlockForm, PlainTextArea, PlainTextInput, SubmitButton } from '../../components/BlockForm';
import { FilePickers } from '../../components/FilePickers';
import { Panel } from '../../components/Panel';
import type { PickedFile } from '../../components/picked-files';
import type { ImportSource } from '../../state/keys-slice';
import { useConsole } from '../../state/store';
import { ImportReportView } from './ImportReportView';
import { PurposeOptions, UseOptions } from './KeyOptions';
import { readPickedFiles } from './read-files';

export function ImportPanel() {
  return (
    <Panel
      id="import"
      title="Import keys"
      hint="Private or public PEM files, or a key store (the runner's keys.yml, YAML or JSON). You can also drop files or folders anywhere on this screen."
    >
      <OverrideFields />
      <FilesBlock />
      <PastePanel />
      <CheckoutPanel />
    </Panel>
  );
}

/** One import source's busy flag and error, and how to dismiss the error. */
function useImportSlot(source: ImportSource) {
  const busy = useConsole((s) => s.busy[source]);
  const error = useConsole((s) => s.errors[source]);
  const clearError = useConsole((s) => s.clearError);
  return { busy, error, clear: () => clearError(source) };
}

/** Picked or dropped files, read as key texts and imported; what the page would not send is reported as skipped. */
export function useImportPicked() {
  const importTexts = useConsole((s) => s.importTexts);
  return async (picked: PickedFile[]) => {
    const { texts, skipped } = await readPickedFiles(picked);
    await importTexts('files', texts, skipped);
  };
}

/** For files whose name does not say what they are for (the runner's naming does). */
function OverrideFields() {
  const overrides = useConsole((s) => s.overrides);
  const setOverride = useConsole((s) => s.setOverride);
  return (
    <fieldset className="fieldset">
      <legend>When a file does not say</legend>
      <div className="field-row">
        <OverrideSelect label="Purpose" value={overrides.purpose} onChange={(v) => setOverride('purpose', v as Purpose | undefined)}>
          <PurposeOptions />
        </OverrideSelect>
        <OverrideSelect label="Use" value={overrides.use} onChange={(v) => setOverride('use', v as KeyUse | undefined)}>
          <UseOptions />
        </OverrideSelect>
      </div>
      <p className="field-hint">Applies to files, drops and pasted text; a runner checkout names its own keys.</p>
    </fieldset>
  );
}

/** A select whose empty choice leaves the decision to the file. */
function OverrideSelect({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">Work it out from the file</option>
        {children}
      </select>
    </div>
  );
}

function FilesBlock() {
  const importPicked = useImportPicked();
  const { busy, error, clear } = useImportSlot('files');

  return (
    <div className="import-block" aria-busy={busy || undefined}>
      <h3 className="block-title">From files</h3>
      <FilePickers
        files={{ testId: 'import-files-input', label: 'Import key files', accept: KEY_FILE_EXTENSIONS.join(',') }}
        folder={{ testId: 'import-folder-input', label: 'Import a folder of key files' }}
        busy={busy}
        onPick={importPicked}
      >
        {busy && <span className="busy">Importing…</span>}
      </FilePickers>
      <ErrorAlert message={error} onDismiss={clear} testId="files-error" />
      <LastReport source="files" />
    </div>
  );
}

function PastePanel() {
  const importTexts = useConsole((s) => s.importTexts);
  const { busy, error, clear } = useImportSlot('paste');
  const [text, setText] = useState('');
  const id = useId();

  async function importPasted() {
    if (!text.trim()) return;
    const ok = await importTexts('paste', [{ name: 'pasted', text }]);
    if (ok) setText('');
  }

  return (
    <BlockForm title="Paste a key or key store" inputId={id} busy={busy} onSubmit={() => void importPasted()}>
      <PlainTextArea
        id={id}
        className="paste-area"
        rows={5}
        placeholder={'-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----'}
        data-testid="paste-input"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (error) clear();
        }}
      />
      <div className="button-row">
        <SubmitButton busy={busy} empty={!text.trim()} busyLabel="Importing…" testId="paste-import">
          Import pasted text
        </SubmitButton>
      </div>
      <ErrorAlert message={error} onDismiss={clear} testId="paste-error" />
      <LastReport source="paste" />
    </BlockForm>
  );
}

function CheckoutPanel() {
  const importRunnerCheckout = useConsole((s) => s.importRunnerCheckout);
  const { busy, error, clear } = useImportSlot('checkout');
  const mode = useConsole((s) => s.info?.mode);
  const [folder, setFolder] = useState('');
  const id = useId();
  const hintId = useId();

  return (
    <BlockForm
      title="Import a runner checkout"
      inputId={id}
      busy={busy}
      onSubmit={() => {
        if (folder.trim()) void importRunnerCheckout(folder.trim());
      }}
    >
      <p className="field-hint" id={hintId}>
        The folder of an eq-questionnaire-runner checkout on {mode === 'browser' ? 'the machine running the console' : 'this machine'}: its tests/jwt-test-keys
        and dev-keys.yml are imported in one step.
      </p>
      <div className="inline-form">
        <PlainTextInput
          id={id}
          className="text-input"
          placeholder="/home/me/eq-questionnaire-runner"
          aria-describedby={hintId}
          data-testid="checkout-path"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
        />
        <SubmitButton busy={busy} empty={!folder.trim()} busyLabel="Importing…" testId="checkout-import">
          Import checkout
        </SubmitButton>
      </div>
      <ErrorAlert message={error} onDismiss={clear} testId="checkout-error" />
      <LastReport source="checkout" />
    </BlockForm>
  );
}

function LastReport({ source }: { source: ImportSource }) {
  const last = useConsole((s) => s.lastImport);
  if (!last || last.source !== source) return null;
  return <ImportReportView report={last.report} />;
}
