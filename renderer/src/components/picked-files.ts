// Files the user picked or dropped, before any screen decides what to do with them. Every screen
// that takes files (keys to import, payloads to open) gets the same list from a picker, a folder
// picker or a drop, so a folder means the same thing whichever way it arrives.

/** Tool and VCS folders: never walked into, and never read from a picked folder. */
export const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.venv', '__pycache__']);

export interface PickedFile {
  file: File;
  /** Path inside a picked or dropped folder, or the bare name. */
  name: string;
  fromFolder: boolean;
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
