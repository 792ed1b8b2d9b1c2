import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/Alert';
import { WATCH_POLL_MS } from '../../state/downstream-slice';
import { useConsole } from '../../state/store';
import { entriesFromDrop, pickedFromDrop } from '../keys/read-files';
import { CompareView } from './CompareView';
import { MachinePanel, PagePanel, toReadable } from './Inputs';
import { ItemsList } from './ItemsList';
import { Reader } from './Reader';

export function DownstreamScreen() {
  const dragging = useFileDrop();
  useWatchPolling();
  const dumpBusy = useConsole((s) => s.downstreamBusy.dump);
  const dumpError = useConsole((s) => s.downstreamErrors.dump);
  const clearError = useConsole((s) => s.clearDownstreamError);

  return (
    <section className="screen downstream-screen" aria-labelledby="screen-title" data-testid="downstream-screen">
      <div className="screen-head">
        <h1 id="screen-title" className="screen-title">
          Downstream
        </h1>
        <p className="screen-lead">
          What the runner sends downstream: decrypted with the key ring, signature checked, validated against the spec, ready to read and
          compare.
        </p>
      </div>
      {dumpBusy && (
        <p className="busy" data-testid="dump-busy">
          Fetching the session's submission…
        </p>
      )}
      <ErrorAlert message={dumpError} onDismiss={() => clearError('dump')} testId="dump-error" />
      <div className="panel-grid downstream-inputs">
        <PagePanel />
        <MachinePanel />
      </div>
      <ItemsList />
      <Selection />
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-box">Drop payload files or folders to open them</div>
        </div>
      )}
    </section>
  );
}

function Selection() {
  const selected = useConsole((s) => s.downstreamSelected);
  const items = useConsole((s) => s.downstreamItems);
  const chosen = selected.map((id) => items.find((i) => i.id === id)).filter((i) => i !== undefined);
  if (chosen.length === 2) return <CompareView items={[chosen[0]!, chosen[1]!]} />;
  if (chosen.length === 1) return <Reader key={chosen[0]!.id} item={chosen[0]!} />;
  return null;
}

/** A watch is polled while this screen shows; the service keeps watching meanwhile, and "since" catches up on return. */
function useWatchPolling() {
  const watchId = useConsole((s) => s.downstreamWatch?.id);
  const poll = useConsole((s) => s.pollDownstreamWatch);
  useEffect(() => {
    if (!watchId) return;
    void poll();
    const timer = setInterval(() => void poll(), WATCH_POLL_MS);
    return () => clearInterval(timer);
  }, [watchId, poll]);
}

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/**
 * Files dropped anywhere in the window while this screen shows are opened. Listening on the
 * document runs these handlers before App's window-level refusal, which skips drops cancelled here.
 */
function useFileDrop(): boolean {
  const open = useConsole((s) => s.openDownstreamFiles);
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
      void (async () => open(toReadable(await pickedFromDrop(drop))))();
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
  }, [open]);

  return dragging;
}
