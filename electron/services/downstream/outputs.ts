// What opening a payload produces, made where it was opened (a worker thread or this one), so the
// thread that orders the results has nothing left to do but pass them on: an item for the
// Downstream screen, or the command line's finished output lines.
import crypto from 'node:crypto';
import type { Candidate } from './extract';
import type { OpenedPayload } from './open';
import type { SourceError } from './sources';

/** item: for the services (the screen, folder watches); json and readable: `downstream` lines. */
export type OutputMode = 'item' | 'json' | 'readable';

/** The candidate an item came from, without its text unless it has no file to be read again from. */
export interface Found {
  kind: Candidate['kind'];
  source: string;
  /** The file it came from; undefined for text. */
  file?: string;
  /** Of its text: a folder watch knows by it what it has seen, and a payload read again that it is unchanged. */
  digest: string;
  /** The length of its text. */
  size: number;
  /** Its text, kept only when there is no file to read it from again. */
  text?: string;
}

export interface Counts {
  valid: number;
  invalid: number;
  unopened: number;
}

export type OpenOutput =
  | { type: 'item'; found: Found; opened: OpenedPayload }
  /** One or more payloads' output lines, joined, and how they came out. */
  | { type: 'lines'; text: string; counts: Counts }
  | SourceError;

/** Problems printed per payload in the readable output; --json lists them all. */
const SHOWN_PROBLEMS = 5;

export function digestOf(text: string): string {
  return crypto.createHash('sha1').update(text).digest('base64');
}

/** Collects one task's outputs in order; consecutive lines are joined into one output. */
export class Outputs {
  readonly list: OpenOutput[] = [];
  private lines: Extract<OpenOutput, { type: 'lines' }> | undefined;

  constructor(private readonly mode: OutputMode) {}

  add(candidate: Candidate, file: string | undefined, opened: OpenedPayload): void {
    if (this.mode === 'item') {
      const found: Found = { kind: candidate.kind, source: candidate.source, digest: digestOf(candidate.text), size: candidate.text.length };
      if (file === undefined) found.text = candidate.text;
      else found.file = file;
      this.list.push({ type: 'item', found, opened });
      return;
    }
    if (!this.lines) this.list.push((this.lines = { type: 'lines', text: '', counts: { valid: 0, invalid: 0, unopened: 0 } }));
    this.lines.text += this.mode === 'json' ? JSON.stringify(jsonLine(candidate.source, opened)) + '\n' : readableLine(candidate.source, opened);
    this.lines.counts[opened.valid ? 'valid' : opened.failure ? 'unopened' : 'invalid']++;
  }

  error(error: SourceError): void {
    this.lines = undefined;
    this.list.push(error);
  }
}

/** How many payloads an output stands for. */
export function payloadsIn(output: OpenOutput): number {
  if (output.type === 'lines') return output.counts.valid + output.counts.invalid + output.counts.unopened;
  return output.type === 'item' ? 1 : 0;
}

/** A payload that could not be opened carries the reason as its one problem, at the root. */
function jsonLine(source: string, o: OpenedPayload) {
  return {
    source,
    kind: o.kind,
    decrypted: o.decrypted,
    signatureValid: o.signatureValid,
    payloadVersion: o.payloadVersion,
    type: o.type,
    dataVersion: o.dataVersion,
    valid: o.valid,
    problems: o.failure ? [{ path: '', message: o.failure.message }] : o.problems.map(({ path, message }) => ({ path, message })),
    payload: o.payload ?? null,
  };
}

function readableLine(source: string, o: OpenedPayload): string {
  if (o.failure) return `FAILED   ${source}  ${o.failure.message}\n`;
  const what = `${o.payloadVersion} ${o.type} ${o.dataVersion}${o.kind === 'json' ? ' (plain JSON)' : ''}`;
  const s = o.summary;
  const facts = [s.txId && `tx_id ${s.txId}`, s.answers !== undefined && `${s.answers} answers`, s.flushed && 'flushed'].filter(Boolean).join(', ');
  if (o.valid) return `VALID    ${source}  ${what}${facts ? `  ${facts}` : ''}\n`;
  const lines = [`INVALID  ${source}  ${what}: ${o.problems.length} problem${o.problems.length === 1 ? '' : 's'}`];
  for (const p of o.problems.slice(0, SHOWN_PROBLEMS)) lines.push(`    ${p.path || '(payload)'}: ${p.message}`);
  if (o.problems.length > SHOWN_PROBLEMS) lines.push(`    … and ${o.problems.length - SHOWN_PROBLEMS} more (--json lists them all)`);
  return lines.join('\n') + '\n';
}
