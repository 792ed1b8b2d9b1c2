// Which files hold downstream payloads, for every front door that reads folders: the page
// (dropped and picked folders) and the services (folders on disk). One definition, so the page
// and a watched folder agree on what is looked at.

/** Compact JWEs, JSON payloads, and runner logs (JSON lines or key=value lines). */
export const DOWNSTREAM_FILE_EXTENSIONS = ['.jwe', '.json', '.txt', '.log', '.jsonl'] as const;

/** Rotated logs (runner.log.1) count too. */
export const DOWNSTREAM_FILE_PATTERN = new RegExp(`(?:${DOWNSTREAM_FILE_EXTENSIONS.map((e) => e.replace('.', '\\.')).join('|')})(?:\\.[0-9]+)?$`, 'i');

/**
 * A payload of 100,000 answers is a few MiB; larger files are refused with a reason rather than
 * read whole. Runner logs (.log, .txt, .jsonl, no extension) are read line by line instead.
 */
export const MAX_DOWNSTREAM_FILE_BYTES = 64 * 1024 * 1024;

export function isDownstreamFileName(name: string): boolean {
  return DOWNSTREAM_FILE_PATTERN.test(name);
}

/** A file name without an extension: looked at when its first bytes read like a payload or a log. */
export function hasNoExtension(name: string): boolean {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  return !base.slice(1).includes('.');
}

/** Whether the first bytes of an extension-less file look like a JWE, JSON, or a log with message=. */
export function looksLikeDownstreamText(head: string): boolean {
  if (head.includes('\u0000')) return false;
  const start = head.trimStart();
  return start.startsWith('{') || start.startsWith('[') || start.startsWith('eyJ') || /\bmessage=|"message"\s*:/.test(head);
}
