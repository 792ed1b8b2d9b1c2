// The parts of a downstream payload around its data: the envelope facts a reader looks for first,
// and the survey metadata, for v2 and the deprecated v1 layout alike (RUNNER-CONTRACT §6).
import { at, isObj } from '../../../../../shared/downstream/check';
import { classifyDownstream } from '../../../../../shared/downstream/classify';
import { plainText } from './values';

export interface Fact {
  term: string;
  value: string;
  /** The JSON path of the field, so a problem at that path can point to the fact. */
  path: string;
  /** Ids and codes read better in a fixed-width font. */
  mono?: boolean;
  /** Not in the payload: shown dimmed, with value saying why. */
  absent?: boolean;
}

export type DataKind = 'answers' | 'qcodes' | 'feedback' | 'user_research' | 'unknown';

/** Which reader the data needs: a q_code table, an answers table or key/value pairs. */
export function dataKindOf(payload: unknown): DataKind {
  const c = classifyDownstream(payload);
  if (c.type === 'feedback') return 'feedback';
  if (c.type === 'user_research') return 'user_research';
  const data = isObj(payload) ? payload.data : undefined;
  if (isObj(data) && Array.isArray(data.answers)) return 'answers';
  if (c.dataVersion === '0.0.1' && isObj(data)) return 'qcodes';
  if (c.dataVersion === '0.0.3') return 'answers';
  return isObj(data) ? 'qcodes' : 'unknown';
}

interface FactSpec {
  path: string;
  term: string;
  mono?: boolean;
  /** Said when the field is missing, if its absence means something. */
  whenAbsent?: string;
  format?: (v: unknown) => string;
}

const yesNo = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : plainText(v));
const typeText = (v: unknown) => plainText(v).replace(/^uk\.gov\.ons\.edc\.eq:/, '');

const V2_FACTS: FactSpec[] = [
  { path: 'type', term: 'Type', format: typeText },
  { path: 'version', term: 'Payload version' },
  { path: 'data_version', term: 'Data version' },
  { path: 'tx_id', term: 'tx_id', mono: true },
  { path: 'case_id', term: 'case_id', mono: true },
  { path: 'schema_name', term: 'Schema name' },
  { path: 'schema_url', term: 'Schema URL', mono: true },
  { path: 'cir_instrument_id', term: 'CIR instrument id', mono: true },
  { path: 'collection_exercise_sid', term: 'Collection exercise', mono: true },
  { path: 'flushed', term: 'Flushed', format: yesNo },
  { path: 'started_at', term: 'Started at', whenAbsent: 'not sent' },
  { path: 'submitted_at', term: 'Submitted at' },
  { path: 'launch_language_code', term: 'Launch language' },
  { path: 'submission_language_code', term: 'Submission language', whenAbsent: 'not sent' },
  { path: 'channel', term: 'Channel', whenAbsent: 'not sent' },
  { path: 'region_code', term: 'Region', whenAbsent: 'not sent' },
  { path: 'origin', term: 'Origin' },
];

const V1_FACTS: FactSpec[] = [
  { path: 'type', term: 'Type', format: typeText },
  { path: 'version', term: 'Data version (v1 layout)' },
  { path: 'tx_id', term: 'tx_id', mono: true },
  { path: 'case_id', term: 'case_id', mono: true },
  { path: 'collection.schema_name', term: 'Schema name', whenAbsent: 'not sent' },
  { path: 'survey_id', term: 'Survey id' },
  { path: 'form_type', term: 'Form type' },
  { path: 'case_ref', term: 'Case ref', mono: true },
  { path: 'case_type', term: 'Case type' },
  { path: 'collection.exercise_sid', term: 'Collection exercise', mono: true },
  { path: 'collection.period', term: 'Period' },
  { path: 'collection.instrument_id', term: 'Instrument id' },
  { path: 'flushed', term: 'Flushed', format: yesNo },
  { path: 'started_at', term: 'Started at', whenAbsent: 'not sent' },
  { path: 'submitted_at', term: 'Submitted at' },
  { path: 'launch_language_code', term: 'Launch language', whenAbsent: 'not sent' },
  { path: 'submission_language_code', term: 'Submission language', whenAbsent: 'not sent' },
  { path: 'channel', term: 'Channel', whenAbsent: 'not sent' },
  { path: 'region_code', term: 'Region', whenAbsent: 'not sent' },
  { path: 'origin', term: 'Origin' },
];

/** Fields shown elsewhere on the reader, never as envelope facts. */
const NOT_ENVELOPE = new Set(['data', 'survey_metadata', 'metadata']);

function get(payload: Record<string, unknown>, path: string): unknown {
  let v: unknown = payload;
  for (const part of path.split('.')) v = isObj(v) ? v[part] : undefined;
  return v;
}

/**
 * The envelope as a definition list: the spec's fields in reading order (the schema selection
 * only as whichever of schema_name/schema_url/cir_instrument_id is there), then any other
 * top-level field the payload carries, so nothing it holds is hidden.
 */
export function envelopeFacts(payload: unknown): Fact[] {
  if (!isObj(payload)) return [];
  const v1 = classifyDownstream(payload).payloadVersion === 'v1';
  const specs = v1 ? V1_FACTS : V2_FACTS;
  const out: Fact[] = [];
  const shown = new Set<string>();
  const schemaChoices = ['schema_name', 'schema_url', 'cir_instrument_id'];
  const noSchema = !v1 && schemaChoices.every((k) => payload[k] === undefined);
  for (const spec of specs) {
    shown.add(spec.path.split('.')[0]!);
    const v = get(payload, spec.path);
    const mono = spec.mono ? { mono: true } : {};
    if (v !== undefined) {
      out.push({ term: spec.term, value: (spec.format ?? plainText)(v), path: spec.path, ...mono });
    } else if (!v1 && schemaChoices.includes(spec.path)) {
      // v2 needs one of the three; say so once rather than three times.
      if (noSchema && spec.path === 'schema_name')
        out.push({ term: 'Schema', value: 'missing (no schema_name, schema_url or cir_instrument_id)', path: '', absent: true });
    } else {
      out.push({ term: spec.term, value: spec.whenAbsent ?? 'missing', path: spec.path, absent: true, ...mono });
    }
  }
  for (const [k, v] of Object.entries(payload)) {
    if (shown.has(k) || NOT_ENVELOPE.has(k)) continue;
    out.push({ term: k, value: plainText(v), path: at('', k) });
  }
  return out;
}

export interface MetadataRow {
  key: string;
  value: string;
  /** survey_metadata.ru_ref, or metadata.ru_ref for v1. */
  path: string;
}

/** v2's survey_metadata, or v1's metadata: flat key/value pairs in payload order. */
export function metadataRows(payload: unknown): MetadataRow[] {
  if (!isObj(payload)) return [];
  const field = classifyDownstream(payload).payloadVersion === 'v1' ? 'metadata' : 'survey_metadata';
  const m = payload[field];
  if (!isObj(m)) return [];
  return Object.entries(m).map(([key, value]) => ({ key, value: plainText(value), path: at(field, key) }));
}

export function metadataField(payload: unknown): 'metadata' | 'survey_metadata' {
  return classifyDownstream(payload).payloadVersion === 'v1' ? 'metadata' : 'survey_metadata';
}
