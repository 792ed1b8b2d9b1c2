import { useEffect, useRef, useState } from 'react';
import { entriesFromDrop, pickedFromDrop, type PickedFile } from './picked-files';

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/**
 * Files dropped anywhere in the window while the caller is mounted go to onFiles, the header and
 * navigation included. Listening on the document rather than the window means these handlers run
 * before App's window-level refusal, which skips any drop cancelled here. True while files are
 * dragged over the window.
 */
export function useFileDrop(onFiles: (picked: PickedFile[]) => Promise<unknown>): boolean {
  const [dragging, setDragging] = useState(false);
  // The listeners are added once, since re-adding them on a render would reset the depth count
  // mid-drag; they reach the caller's latest onFiles through this ref.
  const latest = useRef(onFiles);
  useEffect(() => {
    latest.current = onFiles;
  });

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
      void (async () => latest.current(await pickedFromDrop(drop)))();
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
  }, []);

  return dragging;
}

/** Takes file drops anywhere in the window (useFileDrop) and says over the screen what a drop will do. */
export function WindowFileDrop({ onFiles, message }: { onFiles: (picked: PickedFile[]) => Promise<unknown>; message: string }) {
  const dragging = useFileDrop(onFiles);
  if (!dragging) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-box">{message}</div>
    </div>
  );
}
