// One writer at a time for each config file, across processes: the desktop app or browser-mode
// server and any number of CLI runs read, change and write the same files, and without a lock two
// of them reading the same version lose one of the changes.
//
// proper-lockfile's lock is a `<file>.lock` folder (mkdir is atomic, on network drives too) that
// counts as stale after STALE_MS, so a process that died holding it blocks the others only briefly.
// The lock is taken synchronously: every change the console makes is a few milliseconds of sync
// work (the stores' APIs are sync), and a held lock is waited for by sleeping the thread, which
// only happens while another process is inside its own few milliseconds.
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { ConsoleError } from '../../../shared/errors';

const STALE_MS = 10_000;
/** Longer than STALE_MS, so a dead holder's lock is always taken over before anyone gives up. */
const WAIT_MS = 15_000;

/** Files this process holds: a read that finds damage while a change holds the lock must not wait for itself. */
const held = new Set<string>();

export function withFileLock<T>(file: string, work: () => T): T {
  const target = path.resolve(file);
  if (held.has(target)) return work();
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  const release = acquire(target);
  held.add(target);
  try {
    return work();
  } finally {
    held.delete(target);
    release();
  }
}

function acquire(file: string): () => void {
  const deadline = Date.now() + WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      // realpath: false, since the file itself may not exist yet (a first run).
      return lockfile.lockSync(file, { stale: STALE_MS, realpath: false });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      if (Date.now() > deadline) {
        throw new ConsoleError(
          'internal',
          `${file} stayed locked by another eq-console process for ${WAIT_MS / 1000} s; try again, or remove ${file}.lock if no console is running.`,
        );
      }
      // Short first waits (a change takes milliseconds), jittered so waiters do not retry in step.
      sleep(Math.min(2 ** attempt, 50) + Math.random() * 5);
    }
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}
