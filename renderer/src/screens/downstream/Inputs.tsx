import { useId, useState, type ChangeEvent } from 'react';
import { ErrorAlert } from '../../components/Alert';
import { BlockForm, PlainTextArea, PlainTextInput, SubmitButton } from '../../components/BlockForm';
import { FilePickers } from '../../components/FilePickers';
import { Panel } from '../../components/Panel';
import type { PickedFile } from '../../components/picked-files';
import type { DownstreamBusy, DownstreamWatchState, OpenReport, OpeningState } from '../../state/downstream-slice';
import { useConsole } from '../../state/store';
import { plural } from './labels';
import { openReportText } from './model/report';
import { needsSniffing, readableFromFolder } from './model/files';

/** Files the user picked or dropped, as the slice reads them; folder contents that are plainly not payloads stay out. */
function toReadable(picked: PickedFile[]) {
  return picked
    .filter((p) => !p.fromFolder || readableFromFolder(p.name))
    .map((p) => ({
      name: p.name,
      size: p.file.size,
      text: () => p.file.text(),
      file: p.file,
      ...(p.fromFolder && needsSniffing(p.name) ? { sniff: true } : {}),
    }));
}

export function PagePanel() {
  return (
    <Panel
      id="page-inputs"
      className="page-inputs"
      title="Open payloads"
      hint={
        <>
          JWE files, JSON payloads or runner log lines (<code>message payload</code> with <code>message=</code>). Drop files or folders anywhere on this screen,
          or:
        </>
      }
    >
      <PagePickers />
      <PasteForm />
    </Panel>
  );
}

/** One input's busy flag and error, and how to dismiss the error. */
function useInputSlot(slot: DownstreamBusy) {
  const busy = useConsole((s) => s.downstreamBusy[slot]);
  const error = useConsole((s) => s.downstreamErrors[slot]);
  const clearError = useConsole((s) => s.clearDownstreamError);
  return { busy, error, clear: () => clearError(slot) };
}

/** A text input's value, id and slot; typing dismisses the error shown for the slot. */
function useSlotField(slot: DownstreamBusy) {
  const { busy, error, clear } = useInputSlot(slot);
  const [text, setText] = useState('');
  const id = useId();
  const onChange = (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    setText(e.target.value);
    if (error) clear();
  };
  return { id, text, setText, onChange, busy, error, clear };
}
type SlotField = ReturnType<typeof useSlotField>;

/** Picked or dropped files, handed to the slice to open. */
export function useOpenPicked() {
  const open = useConsole((s) => s.openDownstreamFiles);
  return (picked: PickedFile[]) => open(toReadable(picked));
}

function PagePickers() {
  const openPicked = useOpenPicked();
  const progress = useConsole((s) => s.downstreamProgress);
  const opening = useConsole((s) => s.downstreamOpening);
  const { busy, error, clear } = useInputSlot('files');

  return (
    <div className="import-block" aria-busy={busy || undefined}>
      <FilePickers
        files={{ testId: 'downstream-files-input', label: 'Open payload files' }}
        folder={{ testId: 'downstream-folder-input', label: 'Open a folder of payloads' }}
        busy={busy}
        onPick={openPicked}
      >
        {busy && (
          <span className="busy" data-testid="files-progress">
            {progress && progress.total > 1
              ? `Reading ${progress.done.toLocaleString('en-GB')} of ${progress.total.toLocaleString('en-GB')} files…`
              : 'Opening…'}
          </span>
        )}
        {opening && <OpeningProgress opening={opening} />}
      </FilePickers>
      <ErrorAlert message={error} onDismiss={clear} testId="files-error" />
      <Report slot="files" />
    </div>
  );
}

const MB = 1024 * 1024;
/** Reading is measured, in bytes; the steps after it are counted as the last quarter, one step at a time. */
const STEP_DONE = { reading: 0, parsing: 0.75, checking: 0.85, indexing: 0.95 };

/** What the page's worker is doing with a payload file: reading it, parsing, checking, indexing its answers. */
function OpeningProgress({ opening }: { opening: OpeningState }) {
  const { stage, done, total } = opening.progress;
  const text =
    stage === 'reading'
      ? `reading ${(done / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB`
      : stage === 'parsing'
        ? 'parsing the JSON'
        : stage === 'checking'
          ? `checking ${plural(total, 'answer')} against the spec`
          : `indexing ${plural(total, 'answer')}`;
  const value = stage === 'reading' ? (total ? (done / total) * STEP_DONE.parsing : 0) : STEP_DONE[stage];
  return (
    <span className="busy" role="status" data-testid="open-progress">
      <progress max={1} value={value} aria-label={`Opening ${opening.name}`} /> Opening {opening.name}: {text}…
    </span>
  );
}

function PasteForm() {
  const open = useConsole((s) => s.openDownstreamTexts);
  const field = useSlotField('paste');
  const { text } = field;

  return (
    <BlockForm
      title="Paste a JWE, JSON or log lines"
      inputId={field.id}
      busy={field.busy}
      className="paste-block"
      onSubmit={() => {
        if (text.trim()) void open('paste', [{ name: 'pasted text', text }]);
      }}
    >
      <PlainTextArea
        id={field.id}
        className="paste-area downstream-paste"
        rows={4}
        placeholder={'eyJhbGciOiJSU0EtT0FFUCIs…  or  {"tx_id": …}'}
        data-testid="downstream-paste"
        value={text}
        onChange={field.onChange}
      />
      <div className="button-row">
        <SubmitButton busy={field.busy} empty={!text.trim()} busyLabel="Opening…" testId="downstream-paste-open">
          Open pasted text
        </SubmitButton>
        {text && (
          <button type="button" className="button button-quiet" onClick={() => field.setText('')}>
            Clear
          </button>
        )}
      </div>
      <ErrorAlert message={field.error} onDismiss={field.clear} testId="paste-error" />
      <Report slot="paste" />
    </BlockForm>
  );
}

export function MachinePanel() {
  const mode = useConsole((s) => s.info?.mode);
  const where = mode === 'browser' ? 'the machine running the console' : 'this machine';
  return (
    <Panel id="machine" title={`On ${where}`} hint="The way to open big folders: the console reads them itself, and nothing passes through the page.">
      <PathForm />
      <WatchForm />
    </Panel>
  );
}

function PathInput({ field, placeholder, testId }: { field: SlotField; placeholder: string; testId: string }) {
  return (
    <PlainTextInput
      id={field.id}
      className="text-input mono-input"
      placeholder={placeholder}
      data-testid={testId}
      value={field.text}
      onChange={field.onChange}
    />
  );
}

function PathForm() {
  const open = useConsole((s) => s.openDownstreamPath);
  const field = useSlotField('path');
  const path = field.text.trim();
  return (
    <BlockForm
      title="Open a folder on this machine"
      inputId={field.id}
      busy={field.busy}
      onSubmit={() => {
        if (path) void open(path);
      }}
    >
      <div className="inline-form">
        <PathInput field={field} placeholder="/home/me/downstream or a file" testId="downstream-path" />
        <SubmitButton busy={field.busy} empty={!path} busyLabel="Opening…" testId="downstream-path-open">
          Open
        </SubmitButton>
      </div>
      <p className="field-hint">A folder is read with its subfolders; log files are searched for payload lines.</p>
      <ErrorAlert message={field.error} onDismiss={field.clear} testId="path-error" />
      <Report slot="path" />
    </BlockForm>
  );
}

function WatchForm() {
  const watch = useConsole((s) => s.downstreamWatch);
  const start = useConsole((s) => s.startDownstreamWatch);
  const field = useSlotField('watch');
  const path = field.text.trim();

  return (
    <BlockForm
      title="Watch a folder"
      inputId={field.id}
      busy={field.busy}
      onSubmit={() => {
        if (path) void start(path);
      }}
    >
      {watch ? (
        <WatchStatus watch={watch} />
      ) : (
        <div className="inline-form">
          <PathInput field={field} placeholder="/tmp/eq-submissions" testId="watch-path" />
          <SubmitButton busy={field.busy} empty={!path} busyLabel="Starting…" testId="watch-start">
            Watch
          </SubmitButton>
        </div>
      )}
      <p className="field-hint">New files are opened as they appear (checked every 2 seconds while this screen is open).</p>
      <ErrorAlert message={field.error} onDismiss={field.clear} testId="watch-error" />
    </BlockForm>
  );
}

function WatchStatus({ watch }: { watch: DownstreamWatchState }) {
  const stop = useConsole((s) => s.stopDownstreamWatch);
  return (
    <div className="watch-line" data-testid="watch-status">
      <span className="spinner" aria-hidden="true" />
      <span className="watch-text">
        Watching <code>{watch.path}</code>: {plural(watch.seen, 'payload')} so far
        {watch.checkedAt && <span className="muted"> · checked {new Date(watch.checkedAt).toLocaleTimeString('en-GB')}</span>}
        {watch.errors.length > 0 && <span className="warning-text"> · {plural(watch.errors.length, 'file')} could not be read</span>}
      </span>
      <button type="button" className="button button-small button-danger-outline" onClick={() => void stop()} data-testid="watch-stop">
        Stop
      </button>
    </div>
  );
}

function Report({ slot }: { slot: OpenReport['slot'] }) {
  const report = useConsole((s) => s.downstreamReport);
  if (!report || report.slot !== slot) return null;
  return (
    <p className="open-report" role="status" data-testid={`${slot}-report`}>
      {openReportText(report.what, report)}
    </p>
  );
}
