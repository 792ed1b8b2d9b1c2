// A value typed for a claim path (`launch --set path=value`): JSON when it parses, else the text.
// A claim the runner reads as a string keeps digits and true/false as text: response_id=1234 is an
// id, and a number there is refused (403, "response_id must be a string").
import type { LaunchPayload, SchemaSummary } from '../launch-types';
import { RUNNER_CLAIMS } from './claim-names';
import { metadataFieldsFor } from './fields';

// The launch's own claims that are not strings; every other one the runner reads as a string.
const NOT_TEXT = new Set(['iat', 'exp', 'nbf', 'aud', 'roles', 'survey_metadata']);
// The first generation's and v1's flat metadata, strings too (RUNNER-CONTRACT §3).
const FLAT_METADATA = [
  'case_ref',
  'case_type',
  'form_type',
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
const TEXT_CLAIMS = [...[...RUNNER_CLAIMS].filter((c) => !NOT_TEXT.has(c)), ...FLAT_METADATA];

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
