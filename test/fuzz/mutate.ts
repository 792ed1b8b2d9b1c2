// Mutations for the fuzz suite: what can happen to a compact JWE/JWS on its way (truncated, a bit
// flipped, a stray character, bad base64, parts swapped, dots lost or doubled, oversized) and to a
// JSON text (the same, plus values changed, nested thousands deep, 10 MB). Each says what it did,
// so a finding can be reproduced from its description as well as from the seed.
import type { Rng } from './prng';

export interface Mutated {
  text: string;
  /** What was done, e.g. "stray '*' in part 3 at 17". */
  op: string;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Characters that turn up inside pasted tokens: the list, and what base64 and terminals add. */
export const STRAY = [' ', '*', '%', '~', '\n', '\t', '\r', '=', '+', '/', 'é', '\u00a0', '!', '"'];
const TEN_MB = 10 * 1024 * 1024;

const show = (c: string) => JSON.stringify(c);

/** JSON nested `depth` arrays deep, as text (JSON.stringify could not make it). */
export const nested = (depth: number, inner = '') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

export const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64url');

function randomText(r: Rng, length: number, alphabet = B64URL): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[r.int(0, alphabet.length - 1)];
  return out;
}

/** A long run of base64url letters, cheaply: one random block repeated. */
function bulk(r: Rng, length: number, alphabet = B64URL): string {
  const block = randomText(r, 4096, alphabet);
  return block.repeat(Math.ceil(length / block.length)).slice(0, length);
}

function splice(text: string, at: number, remove: number, insert = ''): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

type CompactOp = (parts: string[], r: Rng, others: readonly string[]) => string;

/** Operators on a compact serialisation, as parts: each returns what it did. */
const COMPACT_OPS: readonly (readonly [number, CompactOp])[] = [
  [
    6,
    (p, r) => {
      const i = r.int(0, p.length - 1);
      const cut = r.int(0, Math.max(0, p[i]!.length - 1));
      p[i] = p[i]!.slice(0, cut);
      return `part ${i + 1} cut to ${cut}`;
    },
  ],
  [
    10,
    (p, r) => {
      const i = r.int(0, p.length - 1);
      const bytes = Buffer.from(p[i]!, 'base64url');
      if (!bytes.length) return 'bit flip in an empty part (no change)';
      const at = r.int(0, bytes.length - 1);
      const bit = r.int(0, 7);
      bytes[at]! ^= 1 << bit;
      p[i] = bytes.toString('base64url');
      return `bit ${bit} of byte ${at} of part ${i + 1} flipped`;
    },
  ],
  [
    6,
    (p, r) => {
      const i = r.int(0, p.length - 1);
      if (!p[i]!.length) return 'char flip in an empty part (no change)';
      const at = r.int(0, p[i]!.length - 1);
      const bit = r.int(0, 6);
      const c = String.fromCharCode(p[i]!.charCodeAt(at) ^ (1 << bit));
      p[i] = splice(p[i]!, at, 1, c);
      return `char ${at} of part ${i + 1} became ${show(c)}`;
    },
  ],
  [
    10,
    (p, r) => {
      const i = r.int(0, p.length - 1);
      const c = r.pick(STRAY);
      const at = r.int(0, p[i]!.length);
      p[i] = splice(p[i]!, at, 0, c);
      return `stray ${show(c)} in part ${i + 1} at ${at}`;
    },
  ],
  [
    5,
    (p, r) => {
      // Four stray characters keep the length's remainder: jwcrypto skips them and accepts.
      const i = r.int(0, p.length - 1);
      const chars = Array.from({ length: 4 }, () => r.pick(STRAY.filter((c) => c !== '=')));
      for (const c of chars) p[i] = splice(p[i]!, r.int(0, p[i]!.length), 0, c);
      return `four stray ${chars.map(show).join(' ')} in part ${i + 1}`;
    },
  ],
  [
    5,
    (p, r) => {
      const i = r.int(0, p.length - 1);
      const pad = r.pick(['=', '==', '===', '====']);
      p[i] += pad;
      return `${show(pad)} after part ${i + 1}`;
    },
  ],
  [
    5,
    (p, r) => {
      const i = r.int(0, p.length - 1);
      const junk = r.pick(['', '!!!!', 'A', 'AAAAA', '====', randomText(r, r.int(1, 40), `${B64URL}!@#$^&()[]{}<>?;:,`), randomText(r, 4 * r.int(1, 10) + 1)]);
      p[i] = junk;
      return `part ${i + 1} replaced by ${show(junk)}`;
    },
  ],
  [
    6,
    (p, r) => {
      const i = r.int(0, p.length - 1);
      let j = r.int(0, p.length - 2);
      if (j >= i) j++;
      [p[i], p[j]] = [p[j]!, p[i]!];
      return `parts ${i + 1} and ${j + 1} swapped`;
    },
  ],
  [
    6,
    (p, r, others) => {
      const other = r.pick(others).split('.');
      const i = r.int(0, Math.min(p.length, other.length) - 1);
      p[i] = other[i]!;
      return `part ${i + 1} taken from another token`;
    },
  ],
  [
    6,
    (p, r) => {
      const what = r.int(0, 4);
      if (what === 0 && p.length > 1) {
        const i = r.int(0, p.length - 2);
        p.splice(i, 2, p[i]! + p[i + 1]!);
        return `dot after part ${i + 1} removed`;
      }
      if (what === 1) {
        const i = r.int(0, p.length - 1);
        p.splice(i, 0, '');
        return `dot doubled before part ${i + 1}`;
      }
      if (what === 2) {
        const i = r.int(0, p.length - 1);
        const at = r.int(0, p[i]!.length);
        p.splice(i, 1, p[i]!.slice(0, at), p[i]!.slice(at));
        return `dot added in part ${i + 1} at ${at}`;
      }
      if (what === 3) {
        p.unshift('');
        return 'leading dot';
      }
      p.push('');
      return 'trailing dot';
    },
  ],
  [
    4,
    (p, r) => {
      const i = r.int(0, p.length - 1);
      if (!p[i]!.length) return 'char dropped from an empty part (no change)';
      const at = r.int(0, p[i]!.length - 1);
      const doubled = r.chance(0.5);
      p[i] = doubled ? splice(p[i]!, at, 0, p[i]![at]!) : splice(p[i]!, at, 1);
      return `char ${at} of part ${i + 1} ${doubled ? 'doubled' : 'dropped'}`;
    },
  ],
  [
    4,
    (p, r) => {
      // '+' and '/' for '-' and '_': jwcrypto reads both alphabets.
      const i = r.int(0, p.length - 1);
      const before = p[i]!;
      p[i] = before.replaceAll('-', '+').replaceAll('_', '/');
      return before === p[i] ? `standard alphabet in part ${i + 1} (no change)` : `standard base64 alphabet in part ${i + 1}`;
    },
  ],
  [
    4,
    (p, r) => {
      const header = headerVariant(p[0]!, r);
      p[0] = header.part;
      return `JWE header ${header.op}`;
    },
  ],
];

/** The JWE header changed the ways that matter to the runner: alg, enc, kid, zip, crit, or not JSON at all. */
function headerVariant(part: string, r: Rng): { part: string; op: string } {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    header = { alg: 'RSA-OAEP', enc: 'A256GCM', kid: 'x' };
  }
  const changes: [string, () => unknown][] = [
    ['alg none', () => ({ ...header, alg: 'none' })],
    ['alg RSA-OAEP-256', () => ({ ...header, alg: 'RSA-OAEP-256' })],
    ['alg RSA1_5', () => ({ ...header, alg: 'RSA1_5' })],
    ['enc A128GCM', () => ({ ...header, enc: 'A128GCM' })],
    ['no kid', () => ({ alg: header.alg, enc: header.enc })],
    ['kid a number', () => ({ ...header, kid: 12 })],
    ['kid a list', () => ({ ...header, kid: [header.kid] })],
    ['kid an object', () => ({ ...header, kid: { kid: header.kid } })],
    ['kid null', () => ({ ...header, kid: null })],
    ['kid unknown', () => ({ ...header, kid: '0'.repeat(40) })],
    ['zip DEF', () => ({ ...header, zip: 'DEF' })],
    ['crit', () => ({ ...header, crit: ['exp'] })],
    ['an array', () => [header]],
    ['a string', () => 'kid'],
    ['not JSON', () => undefined],
    ['an extra member', () => ({ ...header, x5u: 'http://127.0.0.1:9/' })],
  ];
  const [name, make] = r.pick(changes);
  const value = make();
  const text = value === undefined ? '{"alg":"RSA-OAEP","kid":' : JSON.stringify(value);
  return { part: b64(text), op: name };
}

/** One to three envelope mutations of a compact token; others: tokens to take parts from. */
export function mutateCompact(token: string, r: Rng, others: readonly string[]): Mutated {
  const parts = token.split('.');
  const n = r.weighted([
    [7, 1],
    [2, 2],
    [1, 3],
  ]);
  const ops: string[] = [];
  for (let i = 0; i < n; i++) ops.push(r.weighted(COMPACT_OPS)(parts, r, others));
  return { text: parts.join('.'), op: ops.join('; ') };
}

/** The rare, heavy ones: 10 MB inputs and headers nested 5,000 and 100,000 deep. */
export function hostileCompact(token: string, r: Rng): Mutated {
  const parts = token.split('.');
  const kind = r.int(0, 4);
  if (kind === 0) {
    const i = r.int(0, parts.length - 1);
    parts[i] = splice(parts[i]!, r.int(0, parts[i]!.length), 0, bulk(r, TEN_MB));
    return { text: parts.join('.'), op: `10 MB of base64url inside part ${i + 1}` };
  }
  if (kind === 1) {
    // 4n stray characters: jwcrypto skips them all; only the size is wrong.
    const i = r.int(0, parts.length - 1);
    parts[i] = splice(parts[i]!, r.int(0, parts[i]!.length), 0, ' * ~'.repeat(TEN_MB / 4));
    return { text: parts.join('.'), op: `10 MB of stray characters inside part ${i + 1}` };
  }
  if (kind === 2) return { text: bulk(r, TEN_MB, `${B64URL}.`), op: '10 MB of base64url and dots' };
  const depth = r.pick([5_000, 100_000]);
  const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  const deep = `{"alg":${JSON.stringify(header.alg)},"enc":${JSON.stringify(header.enc)},"kid":${JSON.stringify(header.kid)},"x":${nested(depth)}}`;
  parts[0] = b64(kind === 3 ? deep : nested(depth, '{"kid":1}'));
  return { text: parts.join('.'), op: `JWE header nested ${depth} deep${kind === 3 ? ' beside its kid' : ''}` };
}

type TextOp = (text: string, r: Rng) => Mutated;

/** Operators on a JSON text as text: the damage a file or a paste can take. */
const TEXT_OPS: readonly (readonly [number, TextOp])[] = [
  [
    4,
    (t, r) => {
      const cut = r.int(0, t.length - 1);
      return { text: t.slice(0, cut), op: `cut to ${cut}` };
    },
  ],
  [
    4,
    (t, r) => {
      const at = r.int(0, t.length - 1);
      const c = String.fromCharCode(t.charCodeAt(at) ^ (1 << r.int(0, 6)));
      return { text: splice(t, at, 1, c), op: `char ${at} became ${show(c)}` };
    },
  ],
  [
    4,
    (t, r) => {
      const at = r.int(0, t.length);
      const c = r.pick([...STRAY, '{', '}', '[', ']', ',', ':', '\\', '\u0000', '\ud800']);
      return { text: splice(t, at, 0, c), op: `stray ${show(c)} at ${at}` };
    },
  ],
  [
    3,
    (t, r) => {
      const at = r.int(0, t.length - 1);
      return { text: splice(t, at, 1), op: `char ${at} dropped` };
    },
  ],
  [
    2,
    (t, r) => {
      const a = r.int(0, t.length - 1);
      const b = r.int(a, Math.min(t.length, a + 200));
      return { text: t.slice(0, a) + t.slice(b) + t.slice(a, b), op: `chars ${a}-${b} moved to the end` };
    },
  ],
];

export function mutateText(text: string, r: Rng): Mutated {
  const n = r.weighted([
    [8, 1],
    [2, 2],
  ]);
  const ops: string[] = [];
  let t = text;
  for (let i = 0; i < n; i++) {
    const m = r.weighted(TEXT_OPS)(t, r);
    t = m.text;
    ops.push(m.op);
  }
  return { text: t, op: ops.join('; ') };
}

type Json = Record<string, unknown>;

/** Every [holder, key] of a JSON value, objects' members and arrays' items alike. */
function slots(value: unknown, out: [Json | unknown[], string | number][] = []): [Json | unknown[], string | number][] {
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : value && typeof value === 'object'
      ? Object.entries(value)
      : [];
  for (const [key, v] of entries) {
    out.push([value as Json | unknown[], key]);
    slots(v, out);
  }
  return out;
}

/** A JSON value changed where it counts: a member gone, a value of another type, a 200 KB string. */
export function mutateValue(value: Json, r: Rng): { value: Json; op: string } {
  const copy = structuredClone(value);
  const all = slots(copy);
  if (!all.length) return { value: copy, op: 'nothing to change' };
  const [holder, key] = r.pick(all);
  const at = typeof key === 'number' ? `[${key}]` : `.${key}`;
  const kind = r.int(0, 5);
  const set = (v: unknown) => ((holder as Record<string | number, unknown>)[key] = v);
  if (kind === 0) {
    if (Array.isArray(holder)) holder.splice(key as number, 1);
    else delete holder[key as string];
    return { value: copy, op: `${at} removed` };
  }
  const replacement = r.pick<[string, unknown]>([
    ['null', null],
    ['true', true],
    ['-1', -1],
    ['1e300', 1e300],
    ['""', ''],
    ['[]', []],
    ['{}', {}],
    ['a 200 KB string', 'x'.repeat(200 * 1024)],
    ['a string of 200 KB of digits', '1'.repeat(200 * 1024)],
  ]);
  set(replacement[1]);
  return { value: copy, op: `${at} set to ${replacement[0]}` };
}

/** A JSON object text with a member nested `depth` deep added first. */
export function deepMember(objectText: string, depth: number): string {
  const brace = objectText.indexOf('{');
  return `${objectText.slice(0, brace + 1)}"deep":${nested(depth)}${
    objectText
      .slice(brace + 1)
      .trimStart()
      .startsWith('}')
      ? ''
      : ','
  }${objectText.slice(brace + 1)}`;
}

/** A JSON object text grown past `size` (10 MB) by a member holding one long string. */
export function padded(objectText: string, size = TEN_MB): string {
  const brace = objectText.indexOf('{');
  return `${objectText.slice(0, brace + 1)}"padding":"${'x'.repeat(size)}",${objectText.slice(brace + 1)}`;
}

/** Signed and encrypted, JSON grows by 16/9 (base64url twice): this much JSON makes a 10 MB JWE. */
export const JSON_IN_TEN_MB_JWE = Math.floor((TEN_MB * 9) / 16);
