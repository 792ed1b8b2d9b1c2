// Finding downstream payloads in a text: a compact JWE, a JSON payload (or a JSON array of them),
// or a runner log, where the `log` submission backend writes each payload as message=<JWE>
// (RUNNER-CONTRACT §6), as a JSON line or as structlog's key=value line. Pure and synchronous.
import { isObj } from '../../../shared/downstream/check';
import { COMPACT_JWE, isCompactJwe } from '../../../shared/downstream/plain';
import { JsonLimitError, PAYLOAD_LIMITS, parseWithin, sentence, type Subject } from '../../../shared/json-limits';

export interface Candidate {
  kind: 'jwe' | 'json';
  /** The file path or text name, with :<line> (1-based) in a log or [<index>] in a JSON array. */
  source: string;
  /** The compact JWE, or the JSON text of the payload. */
  text: string;
  /** JSON only: the parsed payload. */
  value?: unknown;
  /** JSON only: why the text is not JSON (a .json file that does not parse). */
  parseError?: string;
  /** JSON only: why the console did not parse the text at all (too large or too deeply nested), as a sentence. */
  overLimit?: string;
}

/** What a file's name promises: a .jwe or .json file that holds nothing usable is still reported. */
export type TextHint = 'jwe' | 'json' | 'text';

const JSON_MESSAGE = /"message"\s*:\s*"([A-Za-z0-9_.-]+)"/;
/** structlog's KeyValueRenderer: message='…' (repr), message="…", or bare. */
const KV_MESSAGE = /(?:^|[\s,;{(])message=(?:'([^']*)'|"([^"]*)"|([^\s,;)}]+))/;

const PAYLOAD: Subject = { noun: 'the payload' };

export function hintFor(name: string): TextHint {
  const lower = name.toLowerCase();
  if (lower.endsWith('.jwe')) return 'jwe';
  if (lower.endsWith('.json')) return 'json';
  return 'text';
}

/**
 * The JWE a log line carries, if any. A bare JWE line must start like a JSON header (eyJ) so
 * that dotted version numbers and the like are not taken for one; a message= value need not.
 * Other fields holding JWEs (a launch URL's token=, say) are not downstream payloads and are left alone.
 */
export function jweInLine(line: string): string | undefined {
  const t = line.trim();
  if (!t) return undefined;
  if (t.startsWith('eyJ') && COMPACT_JWE.test(t)) return t;
  const json = t.includes('"message"') ? JSON_MESSAGE.exec(t) : null;
  if (json && COMPACT_JWE.test(json[1]!)) return json[1];
  const kv = t.includes('message=') ? KV_MESSAGE.exec(t) : null;
  const value = kv ? (kv[1] ?? kv[2] ?? kv[3])! : undefined;
  return value !== undefined && COMPACT_JWE.test(value) ? value : undefined;
}

export function* candidatesInLines(text: string, name: string): Generator<Candidate> {
  let line = 1;
  for (let pos = 0; pos <= text.length; line++) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const jwe = jweInLine(text.slice(pos, end));
    if (jwe) yield { kind: 'jwe', source: `${name}:${line}`, text: jwe };
    if (nl === -1) break;
    pos = nl + 1;
  }
}

/** Every payload in the text, in order. */
export function* candidatesInText(text: string, name: string, hint: TextHint): Generator<Candidate> {
  const t = text.trim();
  if (COMPACT_JWE.test(t)) {
    yield { kind: 'jwe', source: name, text: t };
    return;
  }
  let parseError: string | undefined;
  let overLimit: string | undefined;
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      const value: unknown = parseWithin(t, PAYLOAD_LIMITS, PAYLOAD);
      const found = [...candidatesInJson(value, t, name, lineOf(text, text.indexOf(t[0]!)))];
      if (found.length || hint !== 'json') {
        yield* found;
        return;
      }
      yield { kind: 'json', source: name, text: t, value };
      return;
    } catch (err) {
      // JSON lines (a runner log) are not one JSON document, and may be larger or deeper in all
      // than one payload may be: read them line by line below.
      parseError = err instanceof Error ? err.message : String(err);
      if (err instanceof JsonLimitError) overLimit = sentence(parseError);
    }
  }
  let found = false;
  for (const c of candidatesInLines(text, name)) {
    found = true;
    yield c;
  }
  if (found) return;
  // A one-line document that starts like JSON is a broken payload, not a log without payloads.
  if (hint === 'json' || (parseError !== undefined && !t.includes('\n'))) {
    yield { kind: 'json', source: name, text: t, parseError: parseError ?? 'it does not start with { or [', ...(overLimit && { overLimit }) };
  }
  // Opening says why it is not a JWE (how many parts it has), rather than the file passing unseen.
  else if (hint === 'jwe') yield { kind: 'jwe', source: name, text: t };
}

/** A payload object, a log record {message: JWE}, or an array of either. */
function* candidatesInJson(value: unknown, text: string, name: string, line: number): Generator<Candidate> {
  if (isObj(value)) {
    if (isCompactJwe(value.message)) yield { kind: 'jwe', source: `${name}:${line}`, text: value.message };
    else yield { kind: 'json', source: name, text, value };
    return;
  }
  if (isCompactJwe(value)) {
    yield { kind: 'jwe', source: name, text: value };
    return;
  }
  if (!Array.isArray(value)) return;
  for (let i = 0; i < value.length; i++) {
    const el: unknown = value[i];
    const source = `${name}[${i}]`;
    if (isCompactJwe(el)) yield { kind: 'jwe', source, text: el };
    else if (isObj(el) && isCompactJwe(el.message)) yield { kind: 'jwe', source, text: el.message };
    else if (isObj(el)) yield { kind: 'json', source, text: JSON.stringify(el), value: el };
  }
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
