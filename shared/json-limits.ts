// Limits on the JSON the console reads from outside: launch claims, tokens, downstream payloads,
// request bodies. JSON.parse itself never overflows the stack, but nearly everything after it
// walks the value recursively (JSON.stringify, structured clone for IPC and worker threads, the
// rules, the reports), and a value nested a few thousand deep overflows all of them. So depth is
// measured on the text, by a scan that keeps one counter and no stack, before anything parses it;
// nothing recursive ever sees a value deeper than these limits. Each refusal names the limit and
// the value met, in words a user can act on.
import { MAX_DOWNSTREAM_FILE_BYTES } from './downstream/files';

export interface JsonLimits {
  /** The deepest nesting of arrays and objects read (a flat object is 1). */
  depth: number;
  /** The longest text read, in UTF-16 code units: a byte each for the ASCII of tokens and most JSON. */
  chars: number;
}

const KIB = 1024;
const MIB = 1024 * KIB;

/**
 * Launch claims: ONS claims nest 3 deep (survey_metadata.data.<field>). 1 MiB leaves room for
 * the 200 KB strings of negative tests; the runner itself refuses a /session URL over 64 KiB (414).
 */
export const CLAIMS_LIMITS: JsonLimits = { depth: 64, chars: 1 * MIB };

/** A launch token: 1 MiB of claims is about 1.8 MiB once signed and encrypted (base64url twice). */
export const TOKEN_LIMITS: JsonLimits = { depth: CLAIMS_LIMITS.depth, chars: 2 * MIB };

/**
 * A downstream payload, as JSON text or as a compact JWE: ONS payloads nest at most 8 deep, but a
 * payload of 100,000 answers is 5 to 15 MB of JSON and 8 to 25 MB as a JWE, and a payload file may
 * be 64 MiB (shared/downstream/files.ts). 256 levels is still far below the ~2,000 at which
 * JSON.stringify and structured clone overflow on Node's main thread.
 */
export const PAYLOAD_LIMITS: JsonLimits = { depth: 256, chars: MAX_DOWNSTREAM_FILE_BYTES };

/**
 * A questionnaire schema (from a runner, a URL or a folder): the runner's 246 test schemas nest at
 * most 24 deep and weigh at most 170 KB; the console already reads at most 32 MiB of one.
 */
export const SCHEMA_LIMITS: JsonLimits = { depth: 64, chars: 32 * MIB };

/** A request body in browser mode: {"args": [{"claims": …}]} wraps claims in a few levels more. */
export const REQUEST_DEPTH = CLAIMS_LIMITS.depth + 8;

/** What is being read, for the messages: "the claims are …", "the token is …". */
export interface Subject {
  noun: string;
  plural?: boolean;
}

export const CLAIMS: Subject = { noun: 'the claims', plural: true };

/**
 * The deepest nesting of arrays and objects in a JSON text, strings skipped. Linear, with no
 * stack: a string is skipped with indexOf, and a quote is escaped when an odd run of
 * backslashes precedes it (each run is looked at once, by the quote after it). Text that is not
 * JSON gets some number; JSON.parse refuses it afterwards anyway.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end = i;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end === -1) return max;
        let k = end - 1;
        while (text.charCodeAt(k) === 0x5c) k--;
        if ((end - 1 - k) % 2 === 0) break;
      }
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return max;
}

/** Why the console does not read this JSON text, or undefined when it is within the limits. */
export function textOverLimit(text: string, limits: JsonLimits, subject: Subject): string | undefined {
  if (text.length > limits.chars) return sizeMessage(subject, text.length, limits.chars);
  const depth = jsonDepth(text);
  return depth > limits.depth ? depthMessage(subject, depth, limits.depth) : undefined;
}

export class JsonLimitError extends Error {}

/** JSON.parse, once the text is known to be within the limits (else a JsonLimitError saying why). */
export function parseWithin(text: string, limits: JsonLimits, subject: Subject): unknown {
  const over = textOverLimit(text, limits, subject);
  if (over) throw new JsonLimitError(over);
  return JSON.parse(text);
}

/**
 * Why the console does not take this value (arguments that arrive already parsed: IPC, or a
 * caller in this process), or undefined. Walked with a stack of its own, and it stops as soon as
 * the value is too deep or too large, so a value that refers to itself ends too. The size is
 * what the value would take as JSON, give or take escapes.
 */
export function valueOverLimit(value: unknown, limits: JsonLimits, subject: Subject): string | undefined {
  // Two parallel stacks rather than one of pairs: nothing is allocated per value.
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let size = 0;
  while (values.length) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (typeof v === 'string') size += v.length + 2;
    else if (typeof v === 'number' || typeof v === 'boolean') size += String(v).length;
    else if (v === null || typeof v !== 'object') size += 4;
    else {
      if (depth + 1 > limits.depth) return depthMessage(subject, depth + 1, limits.depth, true);
      if (Array.isArray(v)) {
        size += 2 + v.length;
        if (size > limits.chars) break;
        for (let i = v.length - 1; i >= 0; i--) {
          values.push(v[i]);
          depths.push(depth + 1);
        }
      } else {
        const keys = Object.keys(v);
        size += 2;
        for (const key of keys) size += key.length + 4;
        if (size > limits.chars) break;
        for (const key of keys) {
          values.push((v as Record<string, unknown>)[key]);
          depths.push(depth + 1);
        }
      }
    }
    if (size > limits.chars) break;
  }
  return size > limits.chars ? sizeMessage(subject, size, limits.chars, true) : undefined;
}

/** "the claims are nested 5,000 deep; …"; atLeast: the walk stopped at the limit, so only that much is known. */
export function depthMessage(subject: Subject, depth: number, limit: number, atLeast = false): string {
  return `${is(subject)} nested ${atLeast ? 'more than ' : ''}${count(atLeast ? limit : depth)} deep; the console reads at most ${count(limit)} levels`;
}

export function sizeMessage(subject: Subject, size: number, limit: number, atLeast = false): string {
  return `${is(subject)} ${atLeast ? 'over ' : ''}${bytes(atLeast ? limit : size)}; the console reads at most ${bytes(limit)}`;
}

/** An empty noun leaves the verb alone, for a message that follows the thing's name ("claims are …"). */
const is = (subject: Subject) => `${subject.noun ? `${subject.noun} ` : ''}${subject.plural ? 'are' : 'is'}`;

export const capitalise = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}`;

/** A message above as a sentence of its own. */
export const sentence = (message: string) => `${capitalise(message)}.`;

/** 5000 -> "5,000". */
export function count(n: number): string {
  const digits = String(Math.trunc(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) out += (i && (digits.length - i) % 3 === 0 ? ',' : '') + digits[i];
  return out;
}

/** A size as people read it: "10.5 MB", "2 MB", "200 KB", "512 characters". */
export function bytes(n: number): string {
  const unit = n >= MIB ? [MIB, 'MB'] : n >= KIB ? [KIB, 'KB'] : null;
  if (!unit) return `${count(n)} characters`;
  const value = (n / (unit[0] as number)).toFixed(1).replace(/\.0$/, '');
  return `${value} ${unit[1] as string}`;
}
