import { useId } from 'react';
import { ErrorAlert } from '../../components/Alert';
import { Panel } from '../../components/Panel';
import { useConsole } from '../../state/store';
import { plural } from './labels';

/** Big enough for hundreds of thousands of ids; a bigger file is almost certainly not an id list. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Where the response ids come from: launches queued from the history, one typed id, a pasted list or a file. */
export function FlushInputs() {
  return (
    <Panel id="flush-ids" title="Response ids" hint="Use any of these together: every id is flushed once.">
      <QueuedLaunches />
      <SingleIdField />
      <PasteField />
    </Panel>
  );
}

function QueuedLaunches() {
  const queued = useConsole((s) => s.flushQueued);
  const unqueue = useConsole((s) => s.unqueueFlush);
  const runnerUrl = useConsole((s) => s.info?.activeEnvironment.runnerUrl);
  if (queued.length === 0) return null;
  return (
    <div className="flush-block">
      <h3 className="block-title">From the launch history</h3>
      <ul className="queued-list" aria-label="Launches queued to flush" data-testid="flush-queued">
        {queued.map((q) => (
          <li key={q.responseId} className="queued-item">
            <div className="queued-text">
              <span className="queued-label">{q.label}</span> <span className="muted">launched {new Date(q.at).toLocaleString()}</span>
              <code className="queued-id">{q.responseId}</code>
              {runnerUrl && q.runnerUrl !== runnerUrl && (
                <span className="queued-warning">
                  This launch went to <code>{q.runnerUrl}</code>; the flush goes to the active runner.
                </span>
              )}
            </div>
            <button
              type="button"
              className="button button-small button-danger-outline"
              aria-label={`Take ${q.label} (${q.responseId}) off the list`}
              onClick={() => unqueue(q.responseId)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function SingleIdField() {
  const value = useConsole((s) => s.flushSingle);
  const setValue = useConsole((s) => s.setFlushSingle);
  const id = useId();
  return (
    <div className="flush-block field">
      <label htmlFor={id}>One response id</label>
      <input
        id={id}
        className="text-input mono-input"
        value={value}
        spellCheck={false}
        autoComplete="off"
        placeholder="e.g. 1234567890123456"
        data-testid="flush-single"
        onChange={(e) => setValue(e.target.value)}
      />
    </div>
  );
}

function PasteField() {
  const text = useConsole((s) => s.flushText);
  const setText = useConsole((s) => s.setFlushText);
  const fileName = useConsole((s) => s.flushFileName);
  const fileError = useConsole((s) => s.flushErrors.file);
  const setError = useConsole((s) => s.setFlushError);
  const id = useId();
  const hintId = useId();
  return (
    <div className="flush-block field">
      <div className="label-row">
        <label htmlFor={id}>A list or CSV of response ids</label>
        <FilePicker />
      </div>
      <textarea
        id={id}
        className="paste-area flush-paste"
        rows={8}
        spellCheck={false}
        autoComplete="off"
        aria-describedby={hintId}
        placeholder={'One a line, or separated by spaces or commas,\nor a CSV with a response_id column'}
        data-testid="flush-paste"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <p className="field-hint" id={hintId}>
        {fileName ? (
          <>
            Loaded from <span className="file-name">{fileName}</span>; edit freely before flushing.
          </>
        ) : (
          'Lines starting with # are ignored; an id given twice is flushed once.'
        )}
      </p>
      <ErrorAlert message={fileError} onDismiss={() => setError('file', undefined)} testId="flush-file-error" />
    </div>
  );
}

function FilePicker() {
  const load = useConsole((s) => s.loadFlushFile);
  const setError = useConsole((s) => s.setFlushError);

  async function onPicked(input: HTMLInputElement) {
    const file = input.files?.[0];
    // Cleared so picking the same file again (after editing it) still fires a change.
    input.value = '';
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setError('file', `${file.name} is ${Math.round(file.size / (1024 * 1024))} MB; a list of response ids is far smaller. Pick a CSV or text file.`);
      return;
    }
    try {
      load(file.name, await file.text());
    } catch {
      setError('file', `The browser could not read ${file.name}.`);
    }
  }

  return (
    <label className="button button-small file-button">
      Load a CSV or text file…
      <input
        type="file"
        accept=".csv,.txt,.tsv,text/csv,text/plain"
        className="visually-hidden"
        aria-label="Load response ids from a CSV or text file"
        data-testid="flush-file-input"
        onChange={(e) => void onPicked(e.currentTarget)}
      />
    </label>
  );
}

export function PlanLine({ ids, duplicates }: { ids: number; duplicates: number }) {
  if (ids === 0) {
    return (
      <p className="plan-line muted" role="status" data-testid="flush-plan">
        No response ids yet: type, paste or load them, or use Flush on a launch in the Launch screen’s history.
      </p>
    );
  }
  return (
    <p className="plan-line" role="status" data-testid="flush-plan">
      <strong>{plural(ids, 'response id')}</strong> to flush
      {duplicates > 0 && <span className="muted"> · {plural(duplicates, 'duplicate')} dropped</span>}
    </p>
  );
}
