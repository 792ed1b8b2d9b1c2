// How claims name their questionnaire schema. The "<eq_id>_<form_type>" rule lives here only, so
// the builder, the services and the renderer cannot disagree about which schema a token loads;
// and which claim a launch selects its schema with, for the Launch screen and `launch` alike.
import type { LaunchPayload, SchemaSummary } from '../launch-types';
import { randomUuid } from './random';

// Hand-written JSON may give form_type as a number; the name is still the digits.
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

/**
 * The schema name the claims select: schema_name, else "<eq_id>_<form_type>" (v1 and first-generation
 * runners), else undefined. Blank values select nothing, as the runners treat them.
 */
export function schemaNameOf(claims: Record<string, unknown>): string | undefined {
  const name = text(claims.schema_name);
  if (name) return name;
  const eqId = text(claims.eq_id);
  const formType = text(claims.form_type);
  return eqId && formType ? `${eqId}_${formType}` : undefined;
}

/** eq_id and form_type from a schema name, the inverse of schemaNameOf for names with an "_". */
export function splitSchemaName(name: string, fallbackFormType = '0001'): { eq_id: string; form_type: string } {
  const i = name.indexOf('_');
  return i > 0 ? { eq_id: name.slice(0, i), form_type: name.slice(i + 1) } : { eq_id: name, form_type: fallbackFormType };
}

/** The file name of a schema URL without .json, as the launcher names URL schemas. */
export function schemaNameFromUrl(url: string): string {
  const file = url.split(/[?#]/)[0]!.split('/').filter(Boolean).pop() ?? url;
  return file.replace(/\.json$/i, '');
}

/** How claims select a questionnaire, as SchemaSelection (build.ts) spells it. */
export type SchemaSelection = { schema_name: string } | { schema_url: string } | { cir_instrument_id: string } | { eq_id: string; form_type: string };

/** Which claim names the questionnaire schema. */
export type SelectionKind = 'schema_name' | 'schema_url' | 'cir_instrument_id' | 'eq_id';

export const SELECTIONS: { id: SelectionKind; label: string; payloads: LaunchPayload[] }[] = [
  { id: 'schema_name', label: 'schema_name', payloads: ['v2', 'v1'] },
  { id: 'schema_url', label: 'schema_url', payloads: ['v2'] },
  { id: 'cir_instrument_id', label: 'cir_instrument_id', payloads: ['v2'] },
  // First-generation runners know only eq_id + form_type.
  { id: 'eq_id', label: 'eq_id + form_type', payloads: ['v1', 'legacy'] },
];

/** An address the runner can fetch the schema from: its own (preview, URL source) or where the console read it. */
export function schemaUrlOf(schema: SchemaSummary | null | undefined): string {
  if (schema?.schemaUrl) return schema.schemaUrl;
  return schema && /^https?:\/\//i.test(schema.origin) ? schema.origin : '';
}

/**
 * The selection claims of the given kind for a schema (empty values when there is none yet).
 * value: what the user gave for it (a schema name, a URL, an instrument id) in place of the schema's own.
 */
export function selectionFor(kind: SelectionKind, schema: SchemaSummary | null | undefined, value?: string): SchemaSelection {
  switch (kind) {
    case 'schema_url':
      return { schema_url: value ?? schemaUrlOf(schema) };
    case 'cir_instrument_id':
      return { cir_instrument_id: value ?? randomUuid() };
    case 'eq_id':
      return schema ? splitSchemaName(value ?? schema.name, schema.formType) : value ? splitSchemaName(value) : { eq_id: '', form_type: '' };
    default:
      return { schema_name: value ?? schema?.name ?? '' };
  }
}

/**
 * The selection a newly chosen schema gets. A schema the runner must fetch (preview, URL source)
 * goes by schema_url in v2 and survey_url in first generation; v1 has no URL claim, so there it
 * goes by name, and the form warns that the runner will look for that name among its own.
 */
export function defaultSelection(schema: SchemaSummary, payload: LaunchPayload): SelectionKind {
  if (schema.schemaUrl && payload !== 'v1') return 'schema_url';
  return payload === 'legacy' ? 'eq_id' : 'schema_name';
}
