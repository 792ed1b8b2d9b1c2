// submission_v2.json (ons-schema-definitions 750c7d7), hand-written so the renderer can run it
// without ajv. It must agree with ajv 2020-12 (allErrors, strict false, ajv-formats 3) on
// valid/invalid for every payload: test/unit/downstream-differential.test.ts holds it to that.
// Problems with rule 'consistency' are upstream's extra answer-code rules, which ajv does not know.
import { annotate, bad, boolean, type Check, checkEnvelope, type DownstreamProblem, ifConst, isObj } from './check';
import { D, isSpecUuid, nonEmpty, submissionSurveyMetadata, TYPE_PREFIX, uuid } from './definitions';
import { feedbackV2, surveyResponse001, surveyResponse003, userResearch } from './response-data';

const PROPS: ReadonlyArray<readonly [string, Check]> = [
  ['case_id', uuid],
  ['channel', nonEmpty],
  ['cir_instrument_id', uuid],
  ['collection_exercise_sid', uuid],
  ['data_version', D.dataVersion],
  ['flushed', boolean],
  ['launch_language_code', D.languageCode],
  ['origin', D.origin],
  ['region_code', D.regionCode],
  ['schema_name', D.schemaName],
  ['schema_url', D.uri],
  ['started_at', D.dateTime],
  ['submission_language_code', D.languageCode],
  ['submitted_at', D.dateTime],
  ['survey_metadata', submissionSurveyMetadata],
  ['tx_id', uuid],
  ['type', D.submissionTypeV2],
  ['version', D.payloadVersionV2],
];
const KNOWN = new Set(['data', ...PROPS.map(([k]) => k)]);
const REQUIRED = [
  'tx_id',
  'type',
  'version',
  'data_version',
  'origin',
  'flushed',
  'submitted_at',
  'launch_language_code',
  'collection_exercise_sid',
  'case_id',
  'survey_metadata',
  'data',
];
const SELECTORS = ['schema_name', 'schema_url', 'cir_instrument_id'];

/** The payload against submission_v2.json; no 'schema' problem exactly when ajv calls it valid. */
export function validateSubmissionV2(payload: unknown): DownstreamProblem[] {
  const out: DownstreamProblem[] = [];
  const p = checkEnvelope(payload, out, 'submission_v2.json', PROPS, KNOWN, REQUIRED);
  if (!p) return out;

  const given = SELECTORS.filter((k) => p[k] !== undefined);
  if (given.length !== 1) {
    out.push({
      path: '',
      message: `the payload must name its questionnaire with exactly one of schema_name, schema_url or cir_instrument_id (oneOf); it has ${given.length ? given.join(' and ') : 'none'}`,
      rule: 'schema',
    });
  }

  if (p.data !== undefined) {
    const before = out.length;
    let valid: boolean;
    let note = '';
    if (ifConst(p, 'type', `${TYPE_PREFIX}feedback`)) {
      valid = feedbackV2(p.data, out, '', 'data');
      if (p.type === undefined) note = 'judged as feedback, since type is missing';
    } else if (ifConst(p, 'type', `${TYPE_PREFIX}user_research`)) {
      valid = userResearch(p.data, out, '', 'data');
    } else if (ifConst(p, 'data_version', '0.0.3')) {
      valid = surveyResponse003(p.data, out, '', 'data');
      if (p.data_version === undefined) note = 'judged as data_version 0.0.3, since data_version is missing';
    } else {
      valid = surveyResponse001(p.data, out, '', 'data');
    }
    if (!valid && note) annotate(out[before], note);
  }

  if (ifConst(p, 'flushed', false) && p.submission_language_code === undefined) {
    bad(
      out,
      '',
      'submission_language_code',
      p.flushed === undefined
        ? 'is required unless flushed is true, and flushed is missing'
        : 'is required when flushed is false (only a flushed submission may leave it out)',
    );
  }

  // sds_dataset_id and supplementary_data come together or not at all (two if/then rules).
  const sds = sdsDatasetIdGiven(p);
  const supplementary = supplementaryDataGiven(p);
  if (sds && !supplementary) bad(out, 'data', 'supplementary_data', 'is required when survey_metadata.sds_dataset_id is given');
  if (supplementary && !sds) bad(out, 'survey_metadata', 'sds_dataset_id', 'is required (a UUID) when data.supplementary_data is given');
  return out;
}

// The $defs the two rules test. Both only constrain objects, so a non-object survey_metadata or
// data satisfies them (and fails elsewhere).
function sdsDatasetIdGiven(p: Record<string, unknown>): boolean {
  const sm = p.survey_metadata;
  return sm !== undefined && (!isObj(sm) || isSpecUuid(sm.sds_dataset_id));
}

function supplementaryDataGiven(p: Record<string, unknown>): boolean {
  const d = p.data;
  return d !== undefined && (!isObj(d) || isObj(d.supplementary_data));
}
