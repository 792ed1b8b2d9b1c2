// Turning picked or dropped files into ImportText for keys.importTexts. The page reads files
// itself (the services may be on the other side of HTTP), so it keeps to what a key file can be:
// small text files. Anything it will not send is reported as skipped, never silently dropped.
import type { ImportReport, ImportText } from '../../../../shared/api';
import { isKeyFileName, MAX_KEY_FILE_BYTES } from '../../../../shared/key-files';

/** Below the web server's 20 MB request limit, with room for JSON escaping. */
const MAX_TOTAL_BYTES = 12 * 1024 * 1024;
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.venv', '__pycache__']);

export interface PickedFile {
  file: File;
  /** Path inside a picked or dropped folder, or the bare name. */
  name: string;
  fromFolder: boolean;
}

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
  return name.split('/').slice(0, -1).some((part) => SKIPPED_FOLDERS.has(part));
}

/** Files from an <input type="file">; folder pickers fill webkitRelativePath. */
export function fromInput(list: FileList | null): PickedFile[] {
  return Array.from(list ?? [], (file) => ({
    file,
    name: file.webkitRelativePath || file.name,
    fromFolder: file.webkitRelativePath !== '',
  }));
}

/**
 * Files from a drop, walking into dropped folders. The entries must be taken from the
 * DataTransfer during the drop event itself; the browser empties it once the handler returns.
 */
export function entriesFromDrop(data: DataTransfer): { entries: FileSystemEntry[]; files: File[] } {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  return { entries, files: Array.from(data.files ?? []) };
}

export async function pickedFromDrop(drop: { entries: FileSystemEntry[]; files: File[] }): Promise<PickedFile[]> {
  if (drop.entries.length === 0) return drop.files.map((file) => ({ file, name: file.name, fromFolder: false }));
  const out: PickedFile[] = [];
  for (const entry of drop.entries) await walk(entry, false, out);
  return out;
}

async function walk(entry: FileSystemEntry, fromFolder: boolean, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, name: entry.fullPath.replace(/^\//, '') || file.name, fromFolder });
    return;
  }
  if (!entry.isDirectory || SKIPPED_FOLDERS.has(entry.name)) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries hands back at most about a hundred entries per call; keep asking until it is empty.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, true, out);
  }
}
