// The metadata fields a launch form shows for a schema and a payload format: the schema's own
// `metadata` list, then what the format or the spec's shape for the theme expects besides.
import type { MetadataField } from '../claims/metadata-rules';
import type { LaunchPayload, SchemaSummary } from '../launch-types';
import { themeGroup } from './defaults';

export interface MetadataConstraints {
  min_length?: number;
  max_length?: number;
  length?: number;
}

export interface MetadataFieldDescriptor {
  name: string;
  /** The runner's metadata type: string, date, uuid, boolean, url, iso_8601_date_string. */
  type: string;
  /** True when the launch works without it (as far as the runner is concerned). */
  optional: boolean;
  /** Where the value lives in the claims, dotted: survey_metadata.data.<name> (v2) or <name>. */
  path: string;
  constraints: MetadataConstraints;
  /**
   * schema: the questionnaire's metadata list. payload: not in the schema, but the format needs it
   * (v1 and first-generation runners) or the spec's metadata shape for the theme does (v2).
   */
  source: 'schema' | 'payload';
  /** A new launch fills it: the schema requires it, or the format or the spec's shape expects it. */
  prefilled: boolean;
}

/** prefilled: false for a field the form offers but a new launch leaves to the builder or the user. */
type Extra = { name: string; type: string; optional: boolean; constraints?: MetadataConstraints; prefilled?: boolean };
const req = (name: string, type = 'string'): Extra => ({ name, type, optional: false });
const opt = (name: string, type = 'string', constraints?: MetadataConstraints): Extra => ({ name, type, optional: true, constraints });

// launch_v2.json's business_metadata and adhoc_metadata required lists. The runner itself needs
// none of them, so they are optional here and the spec check says what their absence costs.
const V2_BUSINESS = [opt('ru_ref', 'string', { min_length: 12 }), opt('ru_name'), opt('user_id'), opt('period_id'), opt('form_type'), opt('survey_id')];
const V2_SOCIAL = [
  opt('qid', 'string', { length: 16 }),
  opt('PARTICIPANT_ID', 'string', { min_length: 1, max_length: 17 }),
  opt('PARTICIPANT_WINDOW_ID', 'string', { min_length: 1, max_length: 21 }),
  opt('PORTAL_ID', 'string', { min_length: 1, max_length: 7 }),
];
// RunnerMetadataSchema for payload v1 (RUNNER-CONTRACT §3 v1): these three are metadata-like
// claims the runner required at the top level. form_type it does not require, but its payload
// carries it downstream as collection.instrument_id; the builder fills it where the schema tells
// it (form-type.ts), so it is offered here without a made-up default.
const V1: Extra[] = [req('ru_ref'), req('user_id'), req('period_id'), { ...opt('form_type'), prefilled: false }];
// Seeds 001 and 003: the first-generation runner's fields, all at the top level.
const LEGACY = [
  req('user_id'),
  req('ru_ref'),
  req('ru_name'),
  opt('trad_as'),
  req('period_id'),
  opt('period_str'),
  opt('ref_p_start_date', 'date'),
  opt('ref_p_end_date', 'date'),
  opt('employment_date', 'date'),
  opt('return_by', 'date'),
];

function payloadExtras(schema: SchemaSummary | undefined, payload: LaunchPayload): Extra[] {
  if (payload === 'v1') return V1;
  if (payload === 'legacy') return LEGACY;
  const extras = themeGroup(schema?.theme) === 'social' ? V2_SOCIAL : V2_BUSINESS;
  // Without a schema there is no survey_id to give, and a made-up one would mislabel the response.
  return schema?.surveyId ? extras : extras.filter((e) => e.name !== 'survey_id');
}

function constraintsOf(field: MetadataField): MetadataConstraints {
  const c: MetadataConstraints = {};
  if (typeof field.min_length === 'number') c.min_length = field.min_length;
  if (typeof field.max_length === 'number') c.max_length = field.max_length;
  if (typeof field.length === 'number') c.length = field.length;
  return c;
}

/** The path of a metadata key in claims of this format. */
export function metadataPath(name: string, payload: LaunchPayload): string {
  return payload === 'v2' ? `survey_metadata.data.${name}` : name;
}

export function metadataFieldsFor(schema: SchemaSummary | undefined, payload: LaunchPayload): MetadataFieldDescriptor[] {
  const out: MetadataFieldDescriptor[] = [];
  const seen = new Set<string>();
  const extras = payloadExtras(schema, payload);
  const expected = new Set(extras.filter((e) => e.prefilled !== false).map((e) => e.name));
  for (const field of schema?.metadata ?? []) {
    if (!field || typeof field.name !== 'string' || seen.has(field.name)) continue;
    seen.add(field.name);
    out.push({
      name: field.name,
      type: String(field.type),
      optional: Boolean(field.optional),
      path: metadataPath(field.name, payload),
      constraints: constraintsOf(field),
      source: 'schema',
      prefilled: !field.optional || expected.has(field.name),
    });
  }
  for (const extra of extras) {
    if (seen.has(extra.name)) continue;
    seen.add(extra.name);
    out.push({
      name: extra.name,
      type: extra.type,
      optional: extra.optional,
      constraints: extra.constraints ?? {},
      path: metadataPath(extra.name, payload),
      source: 'payload',
      prefilled: extra.prefilled ?? true,
    });
  }
  return out;
}

/** A descriptor as the runner's metadata rules and the defaults read it. */
export function asMetadataField(d: MetadataFieldDescriptor): MetadataField {
  return { name: d.name, type: d.type, optional: d.optional, ...d.constraints };
}
