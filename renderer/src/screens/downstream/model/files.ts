// Which files from a picked or dropped folder the page reads. The rules are shared/downstream's
// (the services apply the same ones to folders on disk), so a folder opened from the page and the
// same folder opened by path agree on what is looked at.
import { hasNoExtension, isDownstreamFileName } from '../../../../../shared/downstream/files';

const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__']);

/** True for files inside a folder worth reading: not hidden, not in a tool's folder, named like a payload or a log. */
export function readableFromFolder(relativePath: string): boolean {
  const parts = relativePath.split('/');
  if (parts.some((p) => p.startsWith('.') || SKIPPED_FOLDERS.has(p))) return false;
  return isDownstreamFileName(relativePath) || hasNoExtension(relativePath);
}

/** An extension-less file (GCS objects are named by tx_id) is sent only when its first bytes look like a payload. */
export function needsSniffing(relativePath: string): boolean {
  return hasNoExtension(relativePath);
}
