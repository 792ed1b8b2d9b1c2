// A value typed for a claim path (`launch --set path=value`): JSON when it parses, else the text.
// A claim the runner reads as a string keeps digits and true/false as text: response_id=1234 is an
// id, and a number there is refused (403, "response_id must be a string").
import type { LaunchPayload, SchemaSummary } from '../launch-types';
import { metadataFieldsFor } from './fields';

// Launch claims every format carries as strings (RUNNER-CONTRACT §3: v2, v1 and the first generation).
const TEXT_CLAIMS = [
  'jti',
  'tx_id',
  'version',
  'case_id',
  'case_ref',
  'case_type',
  'collection_exercise_sid',
  'response_id',
  'response_expires_at',
  'account_service_url',
  'account_service_log_out_url',
  'schema_name',
  'schema_url',
  'survey_url',
  'cir_instrument_id',
  'eq_id',
  'form_type',
  'questionnaire_id',
  'language_code',
  'channel',
  'region_code',
  'survey',
  'ru_ref',
  'ru_name',
  'trad_as',
  'user_id',
  'period_id',
  'period_str',
  'display_address',
  'employment_date',
  'ref_p_start_date',
  'ref_p_end_date',
  'return_by',
];

/** The claim paths whose values are strings, for claims of this format built for this schema. */
export function textClaimPaths(payload: LaunchPayload, schema?: SchemaSummary): Set<string> {
  const paths = new Set(TEXT_CLAIMS);
  for (const f of metadataFieldsFor(schema, payload)) {
    if (f.type === 'boolean') paths.delete(f.path);
    else paths.add(f.path);
  }
  return paths;
}

export function typedClaimValue(path: string, raw: string, textPaths: ReadonlySet<string>): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return raw;
  }
  return (typeof value === 'number' || typeof value === 'boolean') && textPaths.has(path) ? raw : value;
}
