// common/definitions.json and common/survey_metadata.json of ons-schema-definitions (v2 at
// 750c7d7; v1 at 7d5f5fb has the same definitions apart from the submission type enum), as the
// downstream validators need them. Patterns are the spec's, with the "u" flag ajv adds, and stay
// unanchored where the spec leaves them unanchored.
import { isIsoDate, isIsoDateTime, isUri } from '../claims/formats';
import { at, bad, type Check, collect, type DownstreamProblem, isObj, named, type Out, show, str } from './check';

export const TYPE_PREFIX = 'uk.gov.ons.edc.eq:';
export const DATA_VERSIONS = ['0.0.1', '0.0.3'] as const;

const dateFormat = {
  test: isIsoDate,
  says: (s: string) => `must be a real calendar date written YYYY-MM-DD (JSON Schema format "date"; got ${show(s)})`,
};

// isIsoDateTime follows ajv-formats 2.1.1, as upstream's tooling does: the offset is optional, so
// only a genuinely malformed value (no seconds, a bad date or time, the wrong separator) gets here.
const dateTimeFormat = {
  test: isIsoDateTime,
  says: (s: string) =>
    `must be an RFC 3339 date-time such as 2016-05-21T16:37:56.551086+00:00: a real YYYY-MM-DD date, "T", then HH:MM:SS ` +
    `with an optional fraction; the offset may be left out, as upstream's ajv-formats 2.1.1 allows (JSON Schema format "date-time"; got ${show(s)})`,
};

const SPEC_UUID = /^[a-z0-9]{8}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{12}$/u;

/** definitions.json $defs/uuid: lower-case, hyphenated, and (oddly) any letter, not only hex. */
export const uuid: Check = (v, out, base, key) => {
  if (typeof v !== 'string') return bad(out, base, key, `must be a UUID string (got ${show(v)})`);
  if (SPEC_UUID.test(v)) return true;
  const upper = SPEC_UUID.test(v.toLowerCase());
  return bad(
    out,
    base,
    key,
    `must be a lower-case hyphenated UUID (pattern ${SPEC_UUID.source}; got ${show(v)})` +
      (upper ? ': upper-case letters fail the spec although Python reads them as the same UUID' : ''),
  );
};

export function isSpecUuid(v: unknown): boolean {
  return typeof v === 'string' && SPEC_UUID.test(v);
}

export const nonEmpty = str({ minLength: 1 });
export const anyString = str();

export const D = {
  date: str({ format: dateFormat }),
  dateTime: str({ format: dateTimeFormat }),
  uri: str({ format: { test: isUri, says: (s) => `must be an absolute URI (JSON Schema format "uri"; got ${show(s)})` } }),
  languageCode: str({ enum: ['en', 'cy', 'ga', 'eo'] }),
  dataVersion: str({ enum: DATA_VERSIONS }),
  origin: str({ const: 'uk.gov.ons.edc.eq' }),
  payloadVersionV2: str({ const: 'v2' }),
  submissionTypeV2: str({ enum: ['surveyresponse', 'feedback', 'user_research'].map((t) => TYPE_PREFIX + t) }),
  submissionTypeV1: str({ enum: ['surveyresponse', 'feedback'].map((t) => TYPE_PREFIX + t) }),
  caseType: str({ pattern: { re: /[A-Z]+/u, says: 'contain a capital letter A-Z somewhere (the pattern is unanchored)' } }),
  formType: str({ pattern: { re: /^[0-9A-Za-z_]+$/u, says: 'use only letters, digits and underscores' } }),
  regionCode: str({ pattern: { re: /^(GB-)[A-Z]{3}$/u, says: 'be GB- and three capital letters, e.g. GB-ENG' } }),
  ruRef: str({ minLength: 12, pattern: { re: /^[a-zA-Z0-9]+[A-Za-z]+$/u, says: 'be letters and digits ending with a check letter' } }),
  schemaName: str({
    pattern: { re: /[a-z0-9]+_[a-z0-9]+/u, says: 'contain lower-case letters or digits either side of an underscore somewhere (the pattern is unanchored)' },
  }),
  surveyId: str({ minLength: 1, pattern: { re: /^[0-9a-z]+$/u, says: 'use only digits and lower-case letters' } }),
  qid: str({ pattern: { re: /[0-9]{16}/u, says: 'contain 16 digits in a row somewhere (the pattern is unanchored)' } }),
};

// ---------------------------------------------------------------------------------------------
// survey_metadata.json#/submission_survey_metadata: the launch's survey_metadata.data flattened
// with survey_id, matched against {allOf: [oneOf [business, adhoc]], properties: {survey_id},
// required: [survey_id], unevaluatedProperties: false}.

interface Shape {
  label: string;
  props: ReadonlyMap<string, Check>;
  required: readonly string[];
}

const BUSINESS: Shape = {
  label: 'business',
  props: new Map<string, Check>([
    ['case_ref', nonEmpty],
    ['case_type', D.caseType],
    ['display_address', nonEmpty],
    ['employment_date', D.date],
    ['form_type', D.formType],
    ['period_id', nonEmpty],
    ['period_str', nonEmpty],
    ['ref_p_end_date', D.date],
    ['ref_p_start_date', D.date],
    ['ru_name', nonEmpty],
    ['ru_ref', D.ruRef],
    ['trad_as', nonEmpty],
    ['user_id', nonEmpty],
    ['survey_id', D.surveyId],
    ['sds_dataset_id', uuid],
  ]),
  required: ['ru_name', 'user_id', 'period_id', 'form_type', 'ru_ref', 'survey_id'],
};

const ADHOC: Shape = {
  label: 'ad-hoc',
  props: new Map<string, Check>([
    ['case_ref', nonEmpty],
    ['qid', D.qid],
    ['BLOOD_TEST_BARCODE', anyString],
    ['SWAB_TEST_BARCODE', anyString],
    ['PARTICIPANT_ID', str({ minLength: 1, maxLength: 17 })],
    ['PARTICIPANT_WINDOW_ID', str({ minLength: 1, maxLength: 21 })],
    ['TEST_QUESTIONS', str({ enum: ['T', 'F'] })],
    ['COLLEX_OPEN_DATE', nonEmpty],
    ['COLLEX_CLOSE_DATE', nonEmpty],
    ['FIRST_NAME', nonEmpty],
    ['WINDOW_START_DATE', D.date],
    ['WINDOW_CLOSE_DATE', D.date],
    ['PORTAL_ID', str({ minLength: 1, maxLength: 7, pattern: { re: /^[0-9]+$/u, says: 'be digits only' } })],
  ]),
  required: ['qid', 'PARTICIPANT_WINDOW_ID', 'PORTAL_ID'],
};

// Neither shape says "type": "object", so both accept anything else.
function shapeCheck(shape: Shape): Check {
  return (v, out, base, key) => {
    if (!isObj(v)) return true;
    const path = out ? at(base, key) : '';
    let ok = true;
    for (const k of shape.required) {
      if (v[k] === undefined) {
        if (!out) return false;
        ok = bad(out, path, k, `is required by the ${shape.label} metadata shape`);
      }
    }
    for (const [k, check] of shape.props) {
      if (v[k] !== undefined && !check(v[k], out, path, k)) {
        if (!out) return false;
        ok = false;
      }
    }
    return ok;
  };
}
const SHAPES = [BUSINESS, ADHOC].map((shape) => ({ shape, check: shapeCheck(shape) }));

export const submissionSurveyMetadata: Check = (v, out, base, key) => {
  if (!isObj(v)) {
    // Both shapes accept a non-object, so the oneOf fails.
    return bad(out, base, key, `must be an object: survey_id plus the business or the ad-hoc metadata (got ${show(v)})`);
  }
  const path = out ? at(base, key) : '';
  const start = out ? out.length : 0;
  let ok = true;
  if (v.survey_id === undefined) {
    if (!out) return false;
    ok = bad(out, path, 'survey_id', 'is required in survey_metadata');
  } else if (!D.surveyId(v.survey_id, out, path, 'survey_id')) {
    if (!out) return false;
    ok = false;
  }
  const passing = SHAPES.filter(({ check }) => check(v, null, '', ''));
  if (passing.length === 2) {
    return bad(out, base, key, 'fits both the business and the ad-hoc metadata shape; the spec needs it to fit exactly one (oneOf)');
  }
  if (passing.length === 1) {
    const { shape } = passing[0];
    for (const k in v) {
      if (k !== 'survey_id' && !shape.props.has(k)) {
        if (!out) return false;
        ok = bad(out, path, k, `is not a property of the ${shape.label} metadata shape, and survey_metadata allows no others (unevaluatedProperties)`);
      }
    }
    return ok;
  }
  if (!out) return false;
  const tries = SHAPES.map(({ shape, check }) => ({ shape, problems: collect(check, v, base, key) }));
  const nearest = tries[1].problems.length < tries[0].problems.length ? tries[1] : tries[0];
  out.push({
    path,
    message: `${named(path)} fits neither the business nor the ad-hoc metadata shape; the nearer, ${nearest.shape.label}, fails as follows`,
    rule: 'schema',
  });
  // The business shape re-checks survey_id, which is already reported above.
  const reported = new Set(out.slice(start).map((q) => q.message));
  for (const p of nearest.problems) if (!reported.has(p.message)) out.push(p);
  return false;
};

export type { DownstreamProblem, Out };
