// File names for what the console exports. A name says where the data came from (the payload's
// file, folder entry or log line; the flush's list of ids) because the runner's examples, and
// a tester's repeated launches, share one tx_id: a name from the tx_id alone says nothing and
// collides with the last export. Names are plain: no path separators, nothing a file system refuses.

import { trimChars } from './text';

/** Long enough to tell files apart, short enough for any file system once suffixes are added. */
const MAX_STEM = 60;
const TX_PREFIX = 8;
/** Device names Windows will not create a file under, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** Letters, digits, _ . and - kept; every other run becomes _, so a name reads the same on any system. */
export function safeStem(text: string, max = MAX_STEM): string {
  const cleaned = text.normalize('NFC').replace(/[^\p{L}\p{N}_.-]+/gu, '_');
  // A leading dot hides the file; edge separators are noise.
  const stem = trimChars(trimChars(cleaned, '._-').slice(0, max), '._-', 'end');
  return RESERVED.test(stem) ? `${stem}_` : stem;
}

/**
 * "/tmp/payloads/adhoc/feedback_0_0_1.jwe" → "feedback_0_0_1"; "runner.log.1:120" (a payload
 * found in a log) → "runner-line120". Folders are left out to keep names short; two files of one
 * name in different folders are told apart by ExportNames' -2.
 */
export function sourceStem(source: string): string {
  const line = /:(\d+)$/.exec(source);
  const path = line ? source.slice(0, line.index) : source;
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  // An extension starts with a letter, so "v1.2" keeps its digits; rotated logs (.log.1) lose both parts.
  const stem = safeStem(base.replace(/\.[a-z][a-z0-9]{0,4}(?:\.\d+)?$/i, ''));
  return line ? `${stem || 'log'}-line${line[1]}` : stem;
}

/**
 * "<source>-<first 8 of tx_id>": the source says which file, the tx_id which submission when one
 * file (a log) holds several. An object named by its tx_id (how GCS stores them) is not named twice.
 */
export function payloadStem(source: string, txId?: string): string {
  const stem = sourceStem(source) || 'payload';
  const tx = safeStem((txId ?? '').slice(0, TX_PREFIX));
  return tx && !stem.toLowerCase().includes(tx.toLowerCase()) ? `${stem}-${tx}` : stem;
}

/**
 * The names given out in one session (the page's lifetime): a name asked for again gets -2, -3,
 * so no export lands on an earlier one or becomes the browser's "name (1)". Compared without
 * case, as Windows and macOS file systems do.
 */
export class ExportNames {
  readonly #taken = new Set<string>();

  /** A name for `stem`.`extension` that this session has not given out yet. */
  claim(stem: string, extension: string): string {
    // Not shortened: the stem was built from short parts, and cutting it would cut its suffix.
    const base = safeStem(stem, Infinity) || 'export';
    const ext = extension.replace(/^\.+/, '');
    let name = `${base}.${ext}`;
    for (let n = 2; this.#taken.has(name.toLowerCase()); n++) name = `${base}-${n}.${ext}`;
    this.#taken.add(name.toLowerCase());
    return name;
  }
}
