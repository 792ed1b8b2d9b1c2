// The ONS launch specification (ons-schema-definitions launch_v2.json at 750c7d7, launch_v1.json at
// 7d5f5fb), hand-written so the renderer can run it without ajv. It must agree with ajv 2020-12
// (allErrors, strict false, ajv-formats full mode) on valid/invalid for every claim set; the
// differential test in test/unit/claims-spec-differential.test.ts holds it to that.
// Patterns are JavaScript RegExps with the "u" flag, as ajv builds them, and unanchored where the
// spec leaves them unanchored: they only need to match somewhere in the value.
import type { Problem } from '../inspect-types';
import { ADHOC_METADATA, BUSINESS_METADATA, DEFS, type FieldRule, type MetadataShape, type StringRule } from '../spec/definitions';
import { isIsoDate, isIsoDateTime, isPlainObject, isUri, pyLen, SPEC_UUID } from './formats';

type Check = (value: unknown, path: string, out: Problem[]) => void;

function issue(out: Problem[], code: string, path: string, message: string): void {
  out.push({ code, path, message, source: 'spec' });
}

const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined;

const FORMAT_WORDS = {
  uri: 'an absolute URI (JSON Schema format "uri")',
  date: 'a real date written YYYY-MM-DD (JSON Schema format "date")',
  'date-time': 'an RFC 3339 date-time with seconds and an optional offset, e.g. 2030-01-31T09:00:00+00:00 (JSON Schema format "date-time")',
} as const;
const FORMAT_TESTS = { uri: isUri, date: isIsoDate, 'date-time': isIsoDateTime } as const;

function str(rule: StringRule = {}): Check {
  return (v, path, out) => {
    if (typeof v !== 'string') return issue(out, 'spec.type', path, `${path} must be a string`);
    if (rule.const !== undefined && v !== rule.const) issue(out, 'spec.const', path, `${path} must be "${rule.const}"`);
    if (rule.enum && !rule.enum.includes(v)) issue(out, 'spec.enum', path, `${path} must be one of ${rule.enum.join(', ')}`);
    const len = rule.minLength !== undefined || rule.maxLength !== undefined ? pyLen(v) : 0;
    if (rule.minLength !== undefined && len < rule.minLength) {
      issue(out, 'spec.min-length', path, rule.minLength === 1 ? `${path} must not be empty` : `${path} must be at least ${rule.minLength} characters`);
    }
    if (rule.maxLength !== undefined && len > rule.maxLength) issue(out, 'spec.max-length', path, `${path} must be at most ${rule.maxLength} characters`);
    if (rule.pattern && !rule.pattern.re.test(v)) {
      issue(out, 'spec.pattern', path, `${path} must ${rule.pattern.says} (pattern ${rule.pattern.re.source})`);
    }
    if (rule.format && !FORMAT_TESTS[rule.format](v)) issue(out, 'spec.format', path, `${path} must be ${FORMAT_WORDS[rule.format]}`);
  };
}

const integer: Check = (v, path, out) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v % 1 !== 0) {
    issue(out, 'spec.type', path, `${path} must be an integer${typeof v === 'string' ? ', not a string' : ''}`);
  }
};

const uuid: Check = (v, path, out) => {
  if (typeof v !== 'string') return issue(out, 'spec.type', path, `${path} must be a string`);
  if (SPEC_UUID.test(v)) return;
  const upper = SPEC_UUID.test(v.toLowerCase());
  issue(
    out,
    'spec.pattern',
    path,
    `${path} must be a lower-case hyphenated UUID (pattern ${SPEC_UUID.source})` +
      (upper ? '; upper-case letters fail the spec although the runner accepts them' : ''),
  );
};

// common/definitions.json, by the names it uses (shared/spec/definitions.ts holds the rules).
const nonEmpty = str(DEFS.nonEmpty);
const date = str(DEFS.date);
const formType = str(DEFS.formType);
const D = {
  uri: str(DEFS.uri),
  dateTime: str(DEFS.dateTime),
  languageCode: str(DEFS.languageCode),
  caseType: str(DEFS.caseType),
  regionCode: str(DEFS.regionCode),
  ruRef: str(DEFS.ruRef),
  schemaName: str(DEFS.schemaName),
  surveyId: str(DEFS.surveyId),
  qid: str(DEFS.qid),
  version: str({ const: 'v2' }),
};

// ---------------------------------------------------------------------------------------------
// survey_metadata (common/survey_metadata.json)

interface Shape {
  label: string;
  properties: Map<string, Check>;
  required: readonly string[];
}

const toShape = (shape: MetadataShape): Shape => ({
  label: shape.label,
  properties: new Map(shape.properties.map(([k, rule]: readonly [string, FieldRule]) => [k, rule === 'uuid' ? uuid : str(rule)] as const)),
  required: shape.required,
});
const BUSINESS = toShape(BUSINESS_METADATA);
const ADHOC = toShape(ADHOC_METADATA);

function checkShape(shape: Shape, data: Record<string, unknown>, path: string): Problem[] {
  const out: Problem[] = [];
  for (const k of shape.required) {
    if (!has(data, k)) issue(out, 'spec.required', `${path}.${k}`, `${path}.${k} is required by the ${shape.label} metadata shape`);
  }
  for (const [k, check] of shape.properties) if (has(data, k)) check(data[k], `${path}.${k}`, out);
  return out;
}

// data is {$ref: oneOf[business, adhoc], unevaluatedProperties: false}. Neither shape says
// "type": "object", so a non-object matches both and fails the oneOf; an object must pass exactly
// one shape and then hold only that shape's properties.
const surveyMetadataData: Check = (v, path, out) => {
  if (!isPlainObject(v)) {
    return issue(out, 'spec.metadata-shape', path, `${path} must be an object in either the business or the ad-hoc metadata shape`);
  }
  const results = [BUSINESS, ADHOC].map((shape) => ({ shape, problems: checkShape(shape, v, path) }));
  const passing = results.filter((r) => r.problems.length === 0);
  if (passing.length === 2) {
    return issue(out, 'spec.metadata-shape', path, `${path} fits both the business and the ad-hoc metadata shape; the spec needs it to fit exactly one`);
  }
  if (passing.length === 1) {
    const { shape } = passing[0];
    for (const k of Object.keys(v)) {
      if (!shape.properties.has(k)) {
        issue(out, 'spec.unevaluated-property', `${path}.${k}`, `${path}.${k} is not a property of the ${shape.label} metadata shape, which allows no others`);
      }
    }
    return;
  }
  const closest = results[1].problems.length < results[0].problems.length ? results[1] : results[0];
  issue(
    out,
    'spec.metadata-shape',
    path,
    `${path} fits neither the business nor the ad-hoc metadata shape; the nearest, ${closest.shape.label}, fails as follows`,
  );
  out.push(...closest.problems);
};

const receiptingKeys: Check = (v, path, out) => {
  if (!Array.isArray(v)) return issue(out, 'spec.type', path, `${path} must be a list`);
  if (v.length < 1) issue(out, 'spec.min-items', path, `${path} must hold at least one key`);
  v.forEach((item, i) => {
    const p = `${path}.${i}`;
    if (typeof item !== 'string') issue(out, 'spec.type', p, `${p} must be a string`);
    else if (item !== 'qid') issue(out, 'spec.enum', p, `${p} must be "qid", the only receipting key the spec allows`);
  });
};

const surveyMetadata: Check = (v, path, out) => {
  if (!isPlainObject(v)) return issue(out, 'spec.type', path, `${path} must be an object`);
  const keys = Object.keys(v);
  if (keys.length < 1) issue(out, 'spec.min-properties', path, `${path} must not be empty`);
  for (const k of keys) {
    if (k !== 'data' && k !== 'receipting_keys') {
      issue(out, 'spec.additional-property', `${path}.${k}`, `${path}.${k} is not allowed: survey_metadata holds only data and receipting_keys`);
    }
  }
  if (has(v, 'data')) surveyMetadataData(v.data, `${path}.data`, out);
  if (has(v, 'receipting_keys')) receiptingKeys(v.receipting_keys, `${path}.receipting_keys`, out);
};

// ---------------------------------------------------------------------------------------------
// Top level

interface LaunchSchema {
  file: string;
  properties: Map<string, Check>;
  required: readonly string[];
  selection: (claims: Record<string, unknown>, out: Problem[]) => void;
}

function checkLaunch(schema: LaunchSchema, claims: unknown): Problem[] {
  const out: Problem[] = [];
  if (!isPlainObject(claims)) {
    issue(out, 'spec.type', '', 'the claims must be a JSON object');
    return out;
  }
  for (const k of schema.required) {
    if (!has(claims, k)) issue(out, 'spec.required', k, `${k} is required by the spec (${schema.file})`);
  }
  for (const k of Object.keys(claims)) {
    if (schema.properties.has(k)) continue;
    if (k === 'roles') {
      issue(out, 'spec.roles', k, "the spec's launch schema does not allow roles; the runner needs it for flush/dumper");
    } else {
      issue(out, 'spec.additional-property', k, `${k} is not allowed: the spec's launch schema (${schema.file}) is closed to claims it does not list`);
    }
  }
  for (const [k, check] of schema.properties) if (has(claims, k)) check(claims[k], k, out);
  schema.selection(claims, out);
  return out;
}

const V2: LaunchSchema = {
  file: 'launch_v2.json',
  properties: new Map<string, Check>([
    ['account_service_url', D.uri],
    ['case_id', uuid],
    ['channel', nonEmpty],
    ['cir_instrument_id', uuid],
    ['collection_exercise_sid', uuid],
    ['exp', integer],
    ['iat', integer],
    ['jti', uuid],
    ['language_code', D.languageCode],
    ['region_code', D.regionCode],
    ['response_expires_at', D.dateTime],
    ['response_id', nonEmpty],
    ['schema_name', D.schemaName],
    ['schema_url', D.uri],
    ['survey_metadata', surveyMetadata],
    ['tx_id', uuid],
    ['version', D.version],
  ]),
  required: ['exp', 'iat', 'jti', 'tx_id', 'version', 'account_service_url', 'case_id', 'collection_exercise_sid', 'response_id', 'response_expires_at'],
  selection: (claims, out) => {
    const given = ['schema_name', 'schema_url', 'cir_instrument_id'].filter((k) => has(claims, k));
    if (given.length !== 1) {
      issue(
        out,
        'spec.schema-selection',
        '',
        `the spec needs exactly one of schema_name, schema_url or cir_instrument_id; this token has ${given.length ? given.join(' and ') : 'none'}`,
      );
    }
  },
};

const V1: LaunchSchema = {
  file: 'launch_v1.json',
  properties: new Map<string, Check>([
    ['account_service_log_out_url', D.uri],
    ['account_service_url', D.uri],
    ['case_id', uuid],
    ['case_ref', nonEmpty],
    ['case_type', D.caseType],
    ['channel', nonEmpty],
    ['collection_exercise_sid', uuid],
    ['display_address', nonEmpty],
    ['employment_date', date],
    ['eq_id', formType],
    ['exp', integer],
    ['form_type', formType],
    ['iat', integer],
    ['jti', uuid],
    ['language_code', D.languageCode],
    ['period_id', nonEmpty],
    ['period_str', nonEmpty],
    ['ref_p_end_date', date],
    ['ref_p_start_date', date],
    ['region_code', D.regionCode],
    ['response_expires_at', D.dateTime],
    ['response_id', nonEmpty],
    ['return_by', date],
    ['ru_name', nonEmpty],
    ['ru_ref', D.ruRef],
    ['schema_name', D.schemaName],
    ['survey', nonEmpty],
    ['survey_id', D.surveyId],
    ['trad_as', nonEmpty],
    ['tx_id', uuid],
    ['user_id', nonEmpty],
  ]),
  required: [
    'exp',
    'iat',
    'jti',
    'tx_id',
    'account_service_url',
    'case_id',
    'collection_exercise_sid',
    'response_id',
    'period_id',
    'ru_ref',
    'user_id',
    'response_expires_at',
  ],
  selection: (claims, out) => {
    if (!has(claims, 'schema_name') && !(has(claims, 'eq_id') && has(claims, 'form_type'))) {
      issue(out, 'spec.schema-selection', '', 'the v1 spec needs schema_name, or eq_id together with form_type');
    }
  },
};

/** The claims against launch_v2.json; [] exactly when ajv would call them valid. */
export function checkSpecV2(claims: unknown): Problem[] {
  return checkLaunch(V2, claims);
}

/** The claims against the deprecated launch_v1.json; [] exactly when ajv would call them valid. */
export function checkSpecV1(claims: unknown): Problem[] {
  return checkLaunch(V1, claims);
}
