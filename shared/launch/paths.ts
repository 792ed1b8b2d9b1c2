// Dotted paths into claims ("survey_metadata.data.ru_ref", "roles.0"), for the form and the
// CLI's --set. Updates return new objects and never touch the input, so a React store can
// compare by reference.
import { isPlainObject } from '../claims/formats';
import { CLAIMS_LIMITS } from '../json-limits';

type Container = Record<string, unknown> | unknown[];

function segments(path: string): string[] {
  if (typeof path !== 'string' || path === '') throw new Error('a claim path must not be empty');
  const parts = path.split('.');
  if (parts.some((p) => p === '')) throw new Error(`"${path}" is not a dotted claim path (empty segment)`);
  // setAt recurses along the path: one deeper than claims may nest is refused before it does.
  if (parts.length > CLAIMS_LIMITS.depth) throw new Error(`a claim path of ${parts.length} levels is deeper than the ${CLAIMS_LIMITS.depth} claims may nest`);
  return parts;
}

const isIndex = (s: string) => /^(0|[1-9][0-9]*)$/.test(s);

/** The value at a dotted path, or undefined when any step is missing. */
export function getAt(claims: unknown, path: string): unknown {
  let here: unknown = claims;
  for (const key of segments(path)) {
    if (Array.isArray(here) && isIndex(key)) here = here[Number(key)];
    else if (isPlainObject(here) && Object.prototype.hasOwnProperty.call(here, key)) here = here[key];
    else return undefined;
  }
  return here;
}

/**
 * A copy of the claims with the value at the path replaced; objects are created along the way.
 * undefined removes the key (an emptied form field leaves no claim behind). The value is kept as
 * given: a boolean stays a JSON boolean, a number a number.
 */
export function setAt<T extends Record<string, unknown>>(claims: T, path: string, value: unknown): T {
  const keys = segments(path);
  return put(claims, keys, value) as T;
}

function put(node: unknown, keys: string[], value: unknown): Container {
  const [key, ...rest] = keys as [string, ...string[]];
  const copy: Container = Array.isArray(node) && isIndex(key) ? [...node] : isPlainObject(node) ? { ...node } : {};
  const current = Array.isArray(copy) ? copy[Number(key)] : copy[key];
  const next = rest.length ? put(current, rest, value) : value;
  if (Array.isArray(copy)) {
    if (next === undefined) copy.splice(Number(key), 1);
    else copy[Number(key)] = next;
  } else if (next === undefined) {
    delete copy[key];
  } else {
    copy[key] = next;
  }
  return copy;
}

/**
 * The base with the overlay laid on top: objects merge key by key, anything else (lists
 * included) replaces. So {"survey_metadata": {"data": {"flag": true}}} changes one field.
 */
export function deepMerge(base: Record<string, unknown>, overlay: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}
