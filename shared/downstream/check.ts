// The machinery the downstream validators are built from. Pure: the renderer runs it too.
//
// Every check has the signature (value, out, base, key) and answers "is the value valid?". With
// out === null it stops at the first failure and builds no strings, which is what the hot loops
// (answers, relationships, oneOf branches) use; with an array it reports every failure, the way
// ajv does with allErrors. A value's path is at(base, key) and is only built when something fails,
// so a valid payload of 100,000 answers allocates no path strings.

export interface DownstreamProblem {
  /** Dotted/bracketed JSON path, e.g. "data.answers[3].value"; "" for the payload itself. */
  path: string;
  message: string;
  /**
   * 'schema': the official JSON schema (ajv would report it). 'consistency': a rule upstream
   * enforces beyond the JSON schema (RUNNER-CONTRACT §6), which ajv knows nothing about.
   */
  rule: 'schema' | 'consistency';
}

export type Out = DownstreamProblem[] | null;
export type Key = string | number;
export type Check = (v: unknown, out: Out, base: string, key: Key) => boolean;

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** ajv's "integer" without strictNumbers (strict: false): 1.0 passes, "1" does not. */
export function isInteger(v: unknown): v is number {
  return typeof v === 'number' && !(v % 1) && !Number.isNaN(v);
}

const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/** The path of base's child key: "a.b", "a[3]", "b" at the root, 'a["odd key"]' for odd keys. */
export function at(base: string, key: Key): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (key === '') return base;
  if (!PLAIN_KEY.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base === '' ? key : `${base}.${key}`;
}

export function named(path: string): string {
  return path === '' ? 'the payload' : path;
}

/** A short description of an offending value, for messages. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : `a list of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** Reports a schema problem at at(base, key) when collecting; always false, for `return bad(...)`. */
export function bad(out: Out, base: string, key: Key, message: string): false {
  if (out) {
    const path = at(base, key);
    out.push({ path, message: `${named(path)} ${message}`, rule: 'schema' });
  }
  return false;
}

/**
 * A canonical text for a JSON value, equal for two values exactly when fast-deep-equal (what
 * ajv's uniqueItems uses) calls them equal: key order does not matter, types do.
 */
export function canon(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'u';
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + canon(v[i]);
    return `${s}]`;
  }
  const keys = Object.keys(v).sort();
  let s = '{';
  for (let i = 0; i < keys.length; i++) s += `${i ? ',' : ''}${JSON.stringify(keys[i])}:${canon((v as Record<string, unknown>)[keys[i]])}`;
  return `${s}}`;
}

/** fast-deep-equal on JSON values (what ajv's uniqueItems uses), without allocating. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a !== a && b !== b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  // Own keys counted with for...in rather than Object.keys, so comparing allocates nothing.
  let n = 0;
  for (const k in a) {
    if (!hasOwn(a, k)) continue;
    n++;
    if (!hasOwn(b, k) || !deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  for (const k in b) if (hasOwn(b, k)) n--;
  return n === 0;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The first pair of deep-equal items as [earlier, later] indexes, or null. */
export function firstDuplicate(items: readonly unknown[]): [number, number] | null {
  const n = items.length;
  if (n < 2) return null;
  // Pairwise costs nothing for the short lists most answers hold; canonical keys keep long ones linear.
  if (n <= 16) {
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) if (deepEqual(items[j], items[i])) return [j, i];
    return null;
  }
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = canon(items[i]);
    const j = seen.get(k);
    if (j !== undefined) return [j, i];
    seen.set(k, i);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Builders

export interface Pattern {
  re: RegExp;
  /** What the value must look like, in words ("be ..."). */
  says: string;
}

/** Unicode code points, as ajv counts minLength/maxLength. */
export function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 === s.length) n++;
    else {
      const d = s.charCodeAt(i + 1);
      n++;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

export interface StringRule {
  minLength?: number;
  maxLength?: number;
  pattern?: Pattern;
  format?: { test: (s: string) => boolean; says: (s: string) => string };
  enum?: readonly string[];
  const?: string;
}

export function str(rule: StringRule = {}): Check {
  const { minLength, maxLength, pattern, format } = rule;
  const allowed = rule.enum ? new Set(rule.enum) : null;
  return (v, out, base, key) => {
    if (typeof v !== 'string') return out !== null && bad(out, base, key, `must be a string (got ${show(v)})`);
    let ok = true;
    if (rule.const !== undefined && v !== rule.const) {
      if (!out) return false;
      ok = bad(out, base, key, `must be ${JSON.stringify(rule.const)} (got ${show(v)})`);
    }
    if (allowed && !allowed.has(v)) {
      if (!out) return false;
      ok = bad(out, base, key, `must be one of ${rule.enum!.map((e) => JSON.stringify(e)).join(', ')} (got ${show(v)})`);
    }
    if (minLength !== undefined || maxLength !== undefined) {
      // A string of n UTF-16 units holds between n/2 and n code points: count only when it matters.
      const n = (minLength !== undefined && v.length < minLength * 2) || (maxLength !== undefined && v.length > maxLength) ? codePoints(v) : v.length;
      if (minLength !== undefined && n < minLength) {
        if (!out) return false;
        ok = bad(out, base, key, minLength === 1 ? 'must not be empty' : `must be at least ${minLength} characters (got ${show(v)}, ${n} long)`);
      }
      if (maxLength !== undefined && n > maxLength) {
        if (!out) return false;
        ok = bad(out, base, key, `must be at most ${maxLength} characters (got ${show(v)}, ${n} long)`);
      }
    }
    if (pattern && !pattern.re.test(v)) {
      if (!out) return false;
      ok = bad(out, base, key, `must ${pattern.says} (pattern ${pattern.re.source}; got ${show(v)})`);
    }
    if (format && !format.test(v)) ok = out !== null && bad(out, base, key, format.says(v));
    return ok;
  };
}

export const boolean: Check = (v, out, base, key) => typeof v === 'boolean' || (out !== null && bad(out, base, key, `must be true or false (got ${show(v)})`));

export const integer: Check = (v, out, base, key) => isInteger(v) || (out !== null && bad(out, base, key, `must be a whole number (got ${show(v)})`));

export interface ObjectRule {
  /** The object in words, for messages: "an address", "the collection object". */
  what: string;
  props: ReadonlyArray<readonly [string, Check]>;
  required?: readonly string[];
  /** additionalProperties: false (unevaluatedProperties: false adds nothing when there is no composition). */
  closed: boolean;
}

export function obj(rule: ObjectRule): Check {
  const names = rule.props.map(([k]) => k);
  const known = new Set(names);
  const required = rule.required ?? [];
  const holds = `${rule.what} allows only ${names.join(', ')}`;
  return (v, out, base, key) => {
    if (!isObj(v)) return out !== null && bad(out, base, key, `must be ${rule.what} (got ${show(v)})`);
    const path = out ? at(base, key) : '';
    let ok = true;
    if (rule.closed) {
      for (const k in v) {
        if (!known.has(k)) {
          if (!out) return false;
          ok = bad(out, path, k, `is not allowed: ${holds}`);
        }
      }
    }
    for (let i = 0; i < required.length; i++) {
      if (v[required[i]] === undefined) {
        if (!out) return false;
        ok = bad(out, path, required[i], `is required in ${rule.what}`);
      }
    }
    for (let i = 0; i < rule.props.length; i++) {
      const [k, check] = rule.props[i];
      const x = v[k];
      if (x !== undefined && !check(x, out, path, k)) {
        if (!out) return false;
        ok = false;
      }
    }
    return ok;
  };
}

export interface ArrayRule {
  what: string;
  minItems?: number;
  unique?: boolean;
}

export function arrayOf(item: Check, rule: ArrayRule): Check {
  return (v, out, base, key) => {
    if (!Array.isArray(v)) return out !== null && bad(out, base, key, `must be ${rule.what} (got ${show(v)})`);
    let ok = true;
    if (rule.minItems !== undefined && v.length < rule.minItems) {
      if (!out) return false;
      ok = bad(out, base, key, rule.minItems === 1 ? `must not be an empty list` : `must hold at least ${rule.minItems} items`);
    }
    const path = out ? at(base, key) : '';
    for (let i = 0; i < v.length; i++) {
      if (!item(v[i], out, path, i)) {
        if (!out) return false;
        ok = false;
      }
    }
    if (rule.unique) {
      const dup = firstDuplicate(v);
      if (dup) ok = out !== null && bad(out, base, key, `must not repeat an item: items ${dup[0]} and ${dup[1]} are identical (uniqueItems)`);
    }
    return ok;
  };
}

/** Adds a parenthesis after the path a problem's message starts with. */
export function annotate(p: DownstreamProblem, note: string): void {
  const name = named(p.path);
  if (p.message.startsWith(name)) p.message = `${name} (${note})${p.message.slice(name.length)}`;
  else p.message += ` (${note})`;
}

/** Runs a check in collecting mode into a fresh list, for choosing which branch to explain. */
export function collect(check: Check, v: unknown, base: string, key: Key): DownstreamProblem[] {
  const out: DownstreamProblem[] = [];
  check(v, out, base, key);
  return out;
}

/**
 * `if: {properties: {k: {const: c}}}` passes when k is absent (properties ignores absent keys), so
 * a missing type makes the schema judge data as feedback and a missing flushed requires
 * submission_language_code. Mirrored on purpose: this is what ajv reports.
 */
export const ifConst = (p: Record<string, unknown>, k: string, c: unknown) => p[k] === undefined || p[k] === c;

/**
 * The top level of a closed submission schema: an object, no unknown keys, the required ones
 * present, each known one checked. Returns the object when it is one, for the schema's own rules.
 */
export function checkEnvelope(
  payload: unknown,
  out: DownstreamProblem[],
  schemaFile: string,
  props: ReadonlyArray<readonly [string, Check]>,
  known: ReadonlySet<string>,
  required: readonly string[],
): Record<string, unknown> | undefined {
  if (!isObj(payload)) {
    bad(out, '', '', `must be a JSON object (got ${show(payload)})`);
    return undefined;
  }
  for (const k in payload) {
    if (!known.has(k)) bad(out, '', k, `is not allowed: ${schemaFile} lists every top-level field and allows no others`);
  }
  for (const k of required) if (payload[k] === undefined) bad(out, '', k, `is required by ${schemaFile}`);
  for (const [k, check] of props) if (payload[k] !== undefined) check(payload[k], out, '', k);
  return payload;
}
