// JSON files the console keeps in its own format (the key ring): written atomically, and a file
// whose content cannot be used is reported as DamagedFile for the caller to set aside.
import fs from 'node:fs';
import path from 'node:path';
import { ConsoleError } from '../../../shared/errors';
import { DamagedFile } from './set-aside';

export function readJsonFile<T>(file: string, validate: (doc: unknown) => T): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // The disk or the permissions, not the content: moving the file would not help.
    throw new ConsoleError('config-corrupt', `Cannot read ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new DamagedFile(`not valid JSON: ${(err as Error).message}`);
  }
  try {
    return validate(doc);
  } catch (err) {
    throw new DamagedFile(`not in the expected shape: ${err instanceof Error ? err.message : String(err)}`);
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
