// Turning picked or dropped files into ImportText for keys.importTexts. The page reads files
// itself (the services may be on the other side of HTTP), so it keeps to what a key file can be:
// small text files. Anything it will not send is reported as skipped, never silently dropped.
import type { ImportReport, ImportText } from '../../../../shared/api';
import { isKeyFileName, MAX_KEY_FILE_BYTES } from '../../../../shared/key-files';
import { SKIPPED_FOLDERS, type PickedFile } from '../../components/picked-files';

/** Below the web server's 20 MB request limit, with room for JSON escaping. */
const MAX_TOTAL_BYTES = 12 * 1024 * 1024;

export interface ReadResult {
  texts: ImportText[];
  skipped: ImportReport['skipped'];
}

export async function readPickedFiles(picked: PickedFile[]): Promise<ReadResult> {
  const texts: ImportText[] = [];
  const skipped: ImportReport['skipped'] = [];
  let total = 0;
  for (const { file, name, fromFolder } of picked) {
    // Inside folders only: a folder holds much besides keys, a file the user picked was meant.
    if (fromFolder && (!isKeyFileName(file.name) || inSkippedFolder(name))) continue;
    if (file.size > MAX_KEY_FILE_BYTES) {
      skipped.push({ name, reason: `larger than ${MAX_KEY_FILE_BYTES / 1024} KB, so not a key file` });
      continue;
    }
    if (total + file.size > MAX_TOTAL_BYTES) {
      skipped.push({ name, reason: `not sent: this import already holds ${MAX_TOTAL_BYTES / (1024 * 1024)} MB; import the rest separately` });
      continue;
    }
    try {
      texts.push({ name, text: await file.text() });
      total += file.size;
    } catch {
      skipped.push({ name, reason: 'the browser could not read this file' });
    }
  }
  return { texts, skipped };
}

function inSkippedFolder(name: string): boolean {
  return name
    .split('/')
    .slice(0, -1)
    .some((part) => SKIPPED_FOLDERS.has(part));
}
