// submission_v1.json (ons-schema-definitions 7d5f5fb, the last commit with v1), hand-written
// like validate-v2.ts and held to ajv by the same differential test. v1 has no payload version
// field: `version` carries the data version, and the questionnaire is named inside `collection`.
import { annotate, bad, boolean, type Check, checkEnvelope, type DownstreamProblem, ifConst, obj } from './check';
import { anyString, D, nonEmpty, TYPE_PREFIX, uuid } from './definitions';
import { feedbackV1, surveyResponse001, surveyResponse003 } from './response-data';

const collection = obj({
  what: 'the collection object {exercise_sid, period, instrument_id, schema_name?}',
  props: [
    ['exercise_sid', uuid],
    ['instrument_id', D.formType],
    ['period', nonEmpty],
    ['schema_name', D.schemaName],
  ],
  required: ['exercise_sid', 'period', 'instrument_id'],
  closed: true,
});

// Open to other keys (additionalProperties: true). The dates are ref_period_*, not launch's ref_p_*.
const metadata = obj({
  what: 'the metadata object {user_id, ru_ref, ...}',
  props: [
    ['display_address', anyString],
    ['ref_period_end_date', D.date],
    ['ref_period_start_date', D.date],
    ['ru_ref', anyString],
    ['user_id', anyString],
  ],
  required: ['user_id', 'ru_ref'],
  closed: false,
});

const PROPS: ReadonlyArray<readonly [string, Check]> = [
  ['case_id', uuid],
  ['case_ref', nonEmpty],
  ['case_type', D.caseType],
  ['channel', nonEmpty],
  ['collection', collection],
  ['flushed', boolean],
  ['form_type', D.formType],
  ['launch_language_code', D.languageCode],
  ['metadata', metadata],
  ['origin', D.origin],
  ['region_code', D.regionCode],
  ['started_at', D.dateTime],
  ['submission_language_code', D.languageCode],
  ['submitted_at', D.dateTime],
  ['survey_id', D.surveyId],
  ['tx_id', uuid],
  ['type', D.submissionTypeV1],
  ['version', D.dataVersion],
];
const KNOWN = new Set(['data', ...PROPS.map(([k]) => k)]);
const REQUIRED = ['tx_id', 'type', 'version', 'origin', 'survey_id', 'submitted_at', 'collection', 'metadata', 'data'];

/** The payload against submission_v1.json; no 'schema' problem exactly when ajv calls it valid. */
export function validateSubmissionV1(payload: unknown): DownstreamProblem[] {
  const out: DownstreamProblem[] = [];
  const p = checkEnvelope(payload, out, 'submission_v1.json', PROPS, KNOWN, REQUIRED);
  if (!p) return out;

  if (p.data !== undefined) {
    const before = out.length;
    let valid: boolean;
    let note = '';
    if (ifConst(p, 'type', `${TYPE_PREFIX}feedback`)) {
      valid = feedbackV1(p.data, out, '', 'data');
      if (p.type === undefined) note = 'judged as feedback, since type is missing';
    } else if (ifConst(p, 'version', '0.0.3')) {
      valid = surveyResponse003(p.data, out, '', 'data');
      if (p.version === undefined) note = 'judged as data_version 0.0.3, since version is missing';
    } else {
      valid = surveyResponse001(p.data, out, '', 'data');
    }
    if (!valid && note) annotate(out[before], note);
  }

  if (ifConst(p, 'type', `${TYPE_PREFIX}surveyresponse`)) {
    const because = p.type === undefined ? 'type is missing, and the schema then requires it' : 'a survey response needs it';
    for (const k of ['case_id', 'flushed']) if (p[k] === undefined) bad(out, '', k, `is required: ${because}`);
  }
  return out;
}
