// Which launch format a claim set is written in. This decides which rule sets apply, so it
// is deliberately about shape, not validity: a broken v2 token is still v2.
import type { PayloadVersion } from '../inspect-types';
import { isPlainObject, pyStrip, pyTruthy } from './formats';

const has = (c: Record<string, unknown>, k: string) => c[k] !== undefined && c[k] !== null;

/** True when the claims name a questionnaire in any format (v2 selectors or v1's eq_id + form_type). */
export function hasSchemaSelection(c: Record<string, unknown>): boolean {
  return has(c, 'schema_name') || has(c, 'schema_url') || has(c, 'cir_instrument_id') || (has(c, 'eq_id') && has(c, 'form_type'));
}

/** True when roles holds "flusher". */
export function hasFlusherRole(c: Record<string, unknown>): boolean {
  return Array.isArray(c.roles) && c.roles.includes('flusher');
}

/**
 * - 'flush': roles contains "flusher" and nothing selects a questionnaire. The Go launcher's flush
 *   tokens are full v2 launch claims plus roles ["flusher"]; those name a schema and classify as
 *   'v2', because /session would take them as ordinary launches (it never looks at roles).
 * - 'v2': version is "v2" (after the whitespace strip the runner applies).
 * - 'v1': no version, a jti, and a v1 field: schema_name, eq_id + form_type, case_id or
 *   response_expires_at (payload v1, seed 002).
 * - 'legacy': no version and first-generation fields (eq_id with form_type, ru_ref or user_id;
 *   seeds 001 and 003, which have no jti and may carry iat/exp as strings).
 * - 'unknown': anything else, including a version other than "v2".
 */
export function classifyPayload(claims: unknown): PayloadVersion {
  if (!isPlainObject(claims)) return 'unknown';
  if (hasFlusherRole(claims) && !hasSchemaSelection(claims)) return 'flush';
  if (claims.version !== undefined) {
    return typeof claims.version === 'string' && pyStrip(claims.version) === 'v2' ? 'v2' : 'unknown';
  }
  const v1Field =
    has(claims, 'schema_name') || (has(claims, 'eq_id') && has(claims, 'form_type')) || has(claims, 'case_id') || has(claims, 'response_expires_at');
  if (pyTruthy(claims.jti) && v1Field) return 'v1';
  if (has(claims, 'eq_id') && (has(claims, 'form_type') || has(claims, 'ru_ref') || has(claims, 'user_id'))) return 'legacy';
  return 'unknown';
}
