import { useEffect, useId, useRef, useState } from 'react';
import { ErrorAlert } from '../../components/Alert';
import type { OpenReport } from '../../state/downstream-slice';
import { useConsole } from '../../state/store';
import { fromInput, type PickedFile } from '../keys/read-files';
import { plural } from './labels';
import { needsSniffing, readableFromFolder } from './model/files';

/** Files the user picked or dropped, as the slice reads them; folder contents that are plainly not payloads stay out. */
export function toReadable(picked: PickedFile[]) {
  return picked
    .filter((p) => !p.fromFolder || readableFromFolder(p.name))
    .map((p) => ({ name: p.name, size: p.file.size, text: () => p.file.text(), ...(p.fromFolder && needsSniffing(p.name) ? { sniff: true } : {}) }));
}

export function PagePanel() {
  return (
    <section className="panel page-inputs" aria-labelledby="page-inputs-title">
      <h2 id="page-inputs-title" className="panel-title">
        Open payloads
      </h2>
      <p className="panel-hint">
        JWE files, JSON payloads or runner log lines (<code>message payload</code> with <code>message=</code>). Drop files or folders
        anywhere on this screen, or:
      </p>
      <FilePickers />
      <PasteForm />
    </section>
  );
}

function FilePickers() {
  const open = useConsole((s) => s.openDownstreamFiles);
  const busy = useConsole((s) => s.downstreamBusy.files);
  const progress = useConsole((s) => s.downstreamProgress);
  const error = useConsole((s) => s.downstreamErrors.files);
  const clearError = useConsole((s) => s.clearDownstreamError);
  const folderRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // React has no typed prop for these; without them the browser shows a file picker.
    folderRef.current?.setAttribute('webkitdirectory', '');
    folderRef.current?.setAttribute('directory', '');
  }, []);

  async function onPicked(input: HTMLInputElement) {
    const files = toReadable(fromInput(input.files));
    // Cleared so that picking the same files again opens them again.
    input.value = '';
    await open(files);
  }

  return (
    <div className="import-block" aria-busy={busy || undefined}>
      <div className="button-row">
        <label className="button file-button">
          Choose files…
          <input
            type="file"
            multiple
            className="visually-hidden"
            data-testid="downstream-files-input"
            aria-label="Open payload files"
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
            data-testid="downstream-folder-input"
            aria-label="Open a folder of payloads"
            disabled={busy}
            onChange={(e) => void onPicked(e.currentTarget)}
          />
        </label>
        {busy && (
          <span className="busy" data-testid="files-progress">
            {progress && progress.total > 1 ? `Reading ${progress.done.toLocaleString('en-GB')} of ${progress.total.toLocaleString('en-GB')} files…` : 'Opening…'}
          </span>
        )}
      </div>
      <ErrorAlert message={error} onDismiss={() => clearError('files')} testId="files-error" />
      <Report slot="files" />
    </div>
  );
}

function PasteForm() {
  const open = useConsole((s) => s.openDownstreamTexts);
  const busy = useConsole((s) => s.downstreamBusy.paste);
  const error = useConsole((s) => s.downstreamErrors.paste);
  const clearError = useConsole((s) => s.clearDownstreamError);
  const [text, setText] = useState('');
  const id = useId();

  return (
    <form
      className="import-block paste-block"
      aria-busy={busy || undefined}
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) void open('paste', [{ name: 'pasted text', text }]);
      }}
    >
      <h3 className="block-title">
        <label htmlFor={id}>Paste a JWE, JSON or log lines</label>
      </h3>
      <textarea
        id={id}
        className="paste-area downstream-paste"
        rows={4}
        spellCheck={false}
        autoComplete="off"
        placeholder={'eyJhbGciOiJSU0EtT0FFUCIs…  or  {"tx_id": …}'}
        data-testid="downstream-paste"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (error) clearError('paste');
        }}
      />
      <div className="button-row">
        <button type="submit" className="button" disabled={busy || !text.trim()} data-testid="downstream-paste-open">
          {busy ? 'Opening…' : 'Open pasted text'}
        </button>
        {text && (
          <button type="button" className="button button-quiet" onClick={() => setText('')}>
            Clear
          </button>
        )}
      </div>
      <ErrorAlert message={error} onDismiss={() => clearError('paste')} testId="paste-error" />
      <Report slot="paste" />
    </form>
  );
}

export function MachinePanel() {
  const mode = useConsole((s) => s.info?.mode);
  const where = mode === 'browser' ? 'the machine running the console' : 'this machine';
  return (
    <section className="panel" aria-labelledby="machine-title">
      <h2 id="machine-title" className="panel-title">
        On {where}
      </h2>
      <p className="panel-hint">The way to open big folders: the console reads them itself, and nothing passes through the page.</p>
      <PathForm />
      <WatchForm />
    </section>
  );
}

function PathForm() {
  const open = useConsole((s) => s.openDownstreamPath);
  const busy = useConsole((s) => s.downstreamBusy.path);
  const error = useConsole((s) => s.downstreamErrors.path);
  const clearError = useConsole((s) => s.clearDownstreamError);
  const [path, setPath] = useState('');
  const id = useId();
  return (
    <form
      className="import-block"
      aria-busy={busy || undefined}
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void open(path.trim());
      }}
    >
      <h3 className="block-title">
        <label htmlFor={id}>Open a folder on this machine</label>
      </h3>
      <div className="inline-form">
        <input
          id={id}
          type="text"
          className="text-input mono-input"
          placeholder="/home/me/downstream or a file"
          spellCheck={false}
          autoComplete="off"
          data-testid="downstream-path"
          value={path}
          onChange={(e) => {
            setPath(e.target.value);
            if (error) clearError('path');
          }}
        />
        <button type="submit" className="button" disabled={busy || !path.trim()} data-testid="downstream-path-open">
          {busy ? 'Opening…' : 'Open'}
        </button>
      </div>
      <p className="field-hint">A folder is read with its subfolders; log files are searched for payload lines.</p>
      <ErrorAlert message={error} onDismiss={() => clearError('path')} testId="path-error" />
      <Report slot="path" />
    </form>
  );
}

function WatchForm() {
  const watch = useConsole((s) => s.downstreamWatch);
  const start = useConsole((s) => s.startDownstreamWatch);
  const stop = useConsole((s) => s.stopDownstreamWatch);
  const busy = useConsole((s) => s.downstreamBusy.watch);
  const error = useConsole((s) => s.downstreamErrors.watch);
  const clearError = useConsole((s) => s.clearDownstreamError);
  const [path, setPath] = useState('');
  const id = useId();

  return (
    <form
      className="import-block"
      aria-busy={busy || undefined}
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void start(path.trim());
      }}
    >
      <h3 className="block-title">
        <label htmlFor={id}>Watch a folder</label>
      </h3>
      {watch ? (
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
      ) : (
        <div className="inline-form">
          <input
            id={id}
            type="text"
            className="text-input mono-input"
            placeholder="/tmp/eq-submissions"
            spellCheck={false}
            autoComplete="off"
            data-testid="watch-path"
            value={path}
            onChange={(e) => {
              setPath(e.target.value);
              if (error) clearError('watch');
            }}
          />
          <button type="submit" className="button" disabled={busy || !path.trim()} data-testid="watch-start">
            {busy ? 'Starting…' : 'Watch'}
          </button>
        </div>
      )}
      <p className="field-hint">New files are opened as they appear (checked every 2 seconds while this screen is open).</p>
      <ErrorAlert message={error} onDismiss={() => clearError('watch')} testId="watch-error" />
    </form>
  );
}

function Report({ slot }: { slot: OpenReport['slot'] }) {
  const report = useConsole((s) => s.downstreamReport);
  if (!report || report.slot !== slot) return null;
  return (
    <p className="open-report" role="status" data-testid={`${slot}-report`}>
      {report.items === 0 ? (
        <>No payloads found in {report.what}.</>
      ) : (
        <>
          Opened {report.what}: {plural(report.items, 'payload')}
          {report.failed > 0 && `, ${report.failed.toLocaleString('en-GB')} could not be opened`}.
        </>
      )}
      {report.errors > 0 && <> {plural(report.errors, 'source')} could not be read (listed under Payloads).</>}
    </p>
  );
}
