// common/definitions.json and common/survey_metadata.json of ons-schema-definitions (v2 at
// 750c7d7; v1 at 7d5f5fb has the same definitions apart from the submission type enum), as the
// downstream validators need them. Patterns are the spec's, with the "u" flag ajv adds, and stay
// unanchored where the spec leaves them unanchored.
import { isIsoDate, isIsoDateTime, isUri } from '../claims/formats';
import { ADHOC_METADATA, BUSINESS_METADATA, DEFS, type FieldRule, type MetadataShape, SPEC_UUID, type SpecFormat, type StringRule } from '../spec/definitions';
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

const FORMATS: Record<SpecFormat, NonNullable<Parameters<typeof str>[0]>['format']> = {
  date: dateFormat,
  'date-time': dateTimeFormat,
  uri: { test: isUri, says: (s) => `must be an absolute URI (JSON Schema format "uri"; got ${show(s)})` },
};

/** A shared spec rule as this validator's check. */
export function specString(rule: StringRule): Check {
  return str({ ...rule, format: rule.format && FORMATS[rule.format] });
}

const fieldCheck = (rule: FieldRule): Check => (rule === 'uuid' ? uuid : specString(rule));

export const nonEmpty = specString(DEFS.nonEmpty);
export const anyString = specString(DEFS.anyString);

export const D = {
  date: specString(DEFS.date),
  dateTime: specString(DEFS.dateTime),
  uri: specString(DEFS.uri),
  languageCode: specString(DEFS.languageCode),
  dataVersion: str({ enum: DATA_VERSIONS }),
  origin: str({ const: 'uk.gov.ons.edc.eq' }),
  payloadVersionV2: str({ const: 'v2' }),
  submissionTypeV2: str({ enum: ['surveyresponse', 'feedback', 'user_research'].map((t) => TYPE_PREFIX + t) }),
  submissionTypeV1: str({ enum: ['surveyresponse', 'feedback'].map((t) => TYPE_PREFIX + t) }),
  caseType: specString(DEFS.caseType),
  formType: specString(DEFS.formType),
  regionCode: specString(DEFS.regionCode),
  ruRef: specString(DEFS.ruRef),
  schemaName: specString(DEFS.schemaName),
  surveyId: specString(DEFS.surveyId),
  qid: specString(DEFS.qid),
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

const toShape = (shape: MetadataShape): Shape => ({
  label: shape.label,
  props: new Map(shape.properties.map(([k, rule]) => [k, fieldCheck(rule)] as const)),
  required: shape.required,
});

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
const SHAPES = [BUSINESS_METADATA, ADHOC_METADATA].map(toShape).map((shape) => ({ shape, check: shapeCheck(shape) }));

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
