// A config file the console cannot read (not JSON, the wrong shape, a newer console's format) is
// moved aside rather than left to stop every start or every launch: the user keeps the bytes to
// mend or delete, and the console carries on with a fresh document. Each move is told once, in one
// line, to whoever listens: the services (for AppInfo.setAside) and the CLI (on stderr).
import fs from 'node:fs';
import path from 'node:path';

/** Thrown by a reader when the file's content, not the disk, is at fault. */
export class DamagedFile extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DamagedFile';
  }
}

export interface SetAsideNote {
  /** The file that was damaged, where it was. */
  file: string;
  /** Where it is now. */
  movedTo: string;
  /** One line for the user: what was set aside, why, and what the console does instead. */
  text: string;
}

type Listener = (note: SetAsideNote) => void;
const listeners = new Set<Listener>();

/** Hears every file set aside in this process from now on; call the result to stop. */
export function onSetAside(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `settings.json` → `settings.damaged-2025-01-31T09-15-02-123Z.json`: sorts by time, no ':' for Windows. */
export function setAsideName(file: string, when: Date): string {
  const ext = path.extname(file);
  const base = path.basename(file, ext);
  return `${base}.damaged-${when.toISOString().replace(/[:.]/g, '-')}${ext || '.json'}`;
}

/**
 * Moves a damaged file aside and tells the listeners. The caller holds the file's lock, so no
 * other front door is writing it or moving it at the same time.
 */
export function setAside(file: string, reason: string, instead: string): SetAsideNote {
  const when = new Date();
  let movedTo = path.join(path.dirname(file), setAsideName(file, when));
  // Two set-asides of one file in the same millisecond must not overwrite the first.
  for (let n = 2; fs.existsSync(movedTo); n++) movedTo = path.join(path.dirname(file), setAsideName(file, when).replace(/(\.[^.]*)$/, `-${n}$1`));
  fs.renameSync(file, movedTo);
  const oneLine = reason.replace(/\s+/g, ' ').trim();
  const note: SetAsideNote = {
    file,
    movedTo,
    text: `${file} could not be read (${oneLine}): it was set aside as ${path.basename(movedTo)} and ${instead}.`,
  };
  for (const listener of [...listeners]) listener(note);
  return note;
}
