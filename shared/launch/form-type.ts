// form_type in v1 launch claims. A v1 runner copies it into the downstream payload as
// collection.instrument_id, which the ONS v1 submission schema requires, and leaves
// instrument_id out when the launch has none (RUNNER-CONTRACT §8). The runner itself does not
// need it, so nothing but the downstream side ever notices it missing.
import type { PayloadVersion } from '../inspect-types';
import type { SchemaSummary } from '../launch-types';
import { splitSchemaName } from './selection';

export const NO_FORM_TYPE =
  "without form_type the runner's payload has no collection.instrument_id, which the ONS v1 submission schema (submission_v1.json) requires";

// The spec's form_type (common/definitions.json): what instrument_id must be downstream.
const FORM_TYPE = /^[0-9A-Za-z_]+$/;

/**
 * The form_type a v1 launch of the schema carries: the schema's own form_type, else the one its
 * name holds by the runner's own rule (a v1 runner loads "<eq_id>_<form_type>", so mbs_0253 is
 * form type 0253); undefined when neither tells.
 */
export function v1FormType(schema: SchemaSummary | undefined, schemaName?: string): string | undefined {
  const own = schema?.formType?.trim();
  if (own && FORM_TYPE.test(own)) return own;
  const name = (schemaName ?? schema?.name ?? '').trim();
  if (name.indexOf('_') <= 0) return undefined;
  const { form_type } = splitSchemaName(name);
  return form_type && FORM_TYPE.test(form_type) ? form_type : undefined;
}

/** Whether the runner's v1 payload for these claims will lack collection.instrument_id. */
export function lacksFormType(claims: Record<string, unknown>): boolean {
  const f = claims.form_type;
  return !(typeof f === 'string' ? f.trim() : typeof f === 'number');
}

/** Said after the verdict on v1 claims: what the downstream side will miss. */
export function downstreamNotes(claims: Record<string, unknown>, version: PayloadVersion): string[] {
  return version === 'v1' && lacksFormType(claims) ? [NO_FORM_TYPE] : [];
}
