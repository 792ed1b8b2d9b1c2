// Small JSON documents in the config folder: written atomically, never overwritten when they
// cannot be read (a corrupt file is reported and left for the user to mend).
import fs from 'node:fs';
import path from 'node:path';
import { ConsoleError } from '../../../shared/errors';

export function readJsonFile<T>(file: string, validate: (doc: unknown) => T): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConsoleError('config-corrupt', `Cannot read ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConsoleError(
      'config-corrupt',
      `${file} is not valid JSON (${(err as Error).message}). It was left untouched: mend it, or move it away to start afresh.`,
    );
  }
  try {
    return validate(doc);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConsoleError('config-corrupt', `${file} is not in the expected shape (${reason}). It was left untouched: mend it, or move it away to start afresh.`);
  }
}

/** Write to a temporary file then rename, so a crash never leaves half a file behind. */
export function writeJsonFile(file: string, doc: unknown, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(doc, null, 2) + '\n', { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}
