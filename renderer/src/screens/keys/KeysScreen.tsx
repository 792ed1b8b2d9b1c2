import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/Alert';
import { useConsole } from '../../state/store';
import { DeleteDialog } from './DeleteDialog';
import { ExportDialog } from './ExportDialog';
import { GeneratePanel } from './GeneratePanel';
import { ImportPanel } from './ImportPanel';
import { KeysTable } from './KeysTable';
import { entriesFromDrop, pickedFromDrop, readPickedFiles } from './read-files';

export function KeysScreen() {
  const keys = useConsole((s) => s.keys);
  const loaded = useConsole((s) => s.keysLoaded);
  const listError = useConsole((s) => s.errors.list);
  const secretStorage = useConsole((s) => s.info?.secretStorage);
  const refreshKeys = useConsole((s) => s.refreshKeys);
  const dragging = useFileDrop();

  useEffect(() => {
    void refreshKeys();
  }, [refreshKeys]);

  return (
    <section className="screen keys-screen" aria-labelledby="screen-title" data-testid="keys-screen">
      <div className="screen-head">
        <h1 id="screen-title" className="screen-title">
          Keys
        </h1>
        <p className="screen-lead">
          The key ring the console signs and encrypts launch tokens with, and decrypts downstream payloads with.
        </p>
      </div>

      <section className="panel" aria-labelledby="ring-title">
        <div className="panel-head">
          <h2 id="ring-title" className="panel-title">
            Key ring {loaded && <span className="count">({keys.length})</span>}
          </h2>
          <button type="button" className="button button-small" onClick={() => void refreshKeys()}>
            Refresh
          </button>
        </div>
        {secretStorage && (
          <p className="storage-note" data-testid="secret-storage">
            <strong>How private keys are stored:</strong> {secretStorage}
          </p>
        )}
        <p className="panel-hint" data-testid="launch-key-rule">
          When the ring holds several keys of one kind, launches use the most recently imported one; generated keys are
          used only when none was imported.
        </p>
        <ErrorAlert message={listError} testId="list-error" />
        {loaded ? <KeysTable keys={keys} /> : !listError && <p className="busy">Loading keys…</p>}
      </section>

      <div className="panel-grid">
        <ImportPanel />
        <GeneratePanel />
      </div>

      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-box">Drop key files or folders to import them</div>
        </div>
      )}
      <ExportDialog />
      <DeleteDialog />
    </section>
  );
}

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/**
 * Files dropped anywhere in the window while this screen is open are imported, the header and
 * navigation included. Listening on the document rather than the window means these handlers run
 * before App's window-level refusal, which skips any drop cancelled here.
 */
function useFileDrop(): boolean {
  const importTexts = useConsole((s) => s.importTexts);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    // dragenter/dragleave fire for every element crossed; only the count says when the pointer left the window.
    let depth = 0;
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth += 1;
      setDragging(true);
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e) || !e.dataTransfer) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const drop = entriesFromDrop(e.dataTransfer);
      void (async () => {
        const { texts, skipped } = await readPickedFiles(await pickedFromDrop(drop));
        await importTexts('files', texts, skipped);
      })();
    };
    document.addEventListener('dragenter', onEnter);
    document.addEventListener('dragleave', onLeave);
    document.addEventListener('dragover', onOver);
    document.addEventListener('drop', onDrop);
    return () => {
      document.removeEventListener('dragenter', onEnter);
      document.removeEventListener('dragleave', onLeave);
      document.removeEventListener('dragover', onOver);
      document.removeEventListener('drop', onDrop);
    };
  }, [importTexts]);

  return dragging;
}
