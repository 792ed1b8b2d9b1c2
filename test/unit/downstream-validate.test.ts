// Paths, messages and the spec's less obvious corners, on payloads written here (so these run
// without ../shared); agreement with ajv is downstream-differential.test.ts's job.
import { describe, expect, it } from 'vitest';
import type { DownstreamProblem } from '../../shared/downstream/check';
import { validateDownstream } from '../../shared/downstream/index';
import { validateSubmissionV1 } from '../../shared/downstream/validate-v1';
import { validateSubmissionV2 } from '../../shared/downstream/validate-v2';

type Json = Record<string, any>;

const BUSINESS = { survey_id: '139', ru_name: 'Example Ltd', user_id: 'u-1', period_id: '202503', form_type: '0001', ru_ref: '12345678901A' };
const ADHOC = { survey_id: '283', qid: '0130000000000300', PARTICIPANT_WINDOW_ID: 'ABC-123456789012-001', PORTAL_ID: '1234567' };
const REL = Object.freeze({ list_item_id: 'kPqRsT', to_list_item_id: 'uVwXyZ', relationship: 'Brother or sister' });

function v2(): Json {
  return {
    tx_id: '0f5a7e2c-3b1d-4c8e-9a6f-1d2e3f4a5b6c',
    type: 'uk.gov.ons.edc.eq:surveyresponse',
    version: 'v2',
    data_version: '0.0.3',
    origin: 'uk.gov.ons.edc.eq',
    flushed: false,
    submitted_at: '2025-03-04T10:11:12.123456+00:00',
    started_at: '2025-03-04T09:00:00Z',
    launch_language_code: 'cy',
    submission_language_code: 'en',
    collection_exercise_sid: '7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
    case_id: '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091',
    schema_name: 'qrt_0001',
    channel: 'RAS',
    region_code: 'GB-WLS',
    survey_metadata: { ...BUSINESS },
    data: {
      answers: [
        { answer_id: 'name-answer', value: 'Ada', list_item_id: 'kPqRsT' },
        { answer_id: 'name-answer', value: 'Bob', list_item_id: 'uVwXyZ' },
        { answer_id: 'turnover-answer', value: 1250.5 },
        { answer_id: 'sites-answer', value: ['Cardiff', 'Newport'] },
        { answer_id: 'trading-answer', value: { years: 3, months: 2 } },
        { answer_id: 'address-answer', value: { line1: '1 High Street', postcode: 'CF10 1AA' } },
        { answer_id: 'relationships-answer', value: [{ ...REL }] },
      ],
      lists: [{ name: 'people', items: ['kPqRsT', 'uVwXyZ'], primary_person: 'kPqRsT' }],
    },
  };
}

function v1(): Json {
  return {
    tx_id: '0f5a7e2c-3b1d-4c8e-9a6f-1d2e3f4a5b6c',
    type: 'uk.gov.ons.edc.eq:surveyresponse',
    version: '0.0.1',
    origin: 'uk.gov.ons.edc.eq',
    survey_id: '139',
    flushed: false,
    submitted_at: '2025-03-04T10:11:12+00:00',
    case_id: '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091',
    collection: { exercise_sid: '7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f', schema_name: 'qrt_0001', period: '202503', instrument_id: '0001' },
    metadata: { user_id: 'u-1', ru_ref: '12345678901A', ref_period_start_date: '2025-01-01', ref_period_end_date: '2025-03-31' },
    data: { '0001': '12', '0002': '04/03/2025' },
  };
}

const paths = (ps: DownstreamProblem[]) => ps.map((p) => p.path);

describe('validateSubmissionV2', () => {
  it('accepts a well-formed survey response of every answer value shape', () => {
    expect(validateSubmissionV2(v2())).toEqual([]);
    expect(validateDownstream(v2())).toEqual({ payloadVersion: 'v2', type: 'surveyresponse', dataVersion: '0.0.3', problems: [] });
  });

  it('reports the root as "" and never throws on odd input', () => {
    for (const p of [null, undefined, 5, 'x', [], [v2()], true]) {
      expect(validateSubmissionV2(p)).toEqual([{ path: '', message: expect.stringMatching(/^the payload must be a JSON object \(got /), rule: 'schema' }]);
      expect(validateSubmissionV1(p)).toHaveLength(1);
    }
  });

  it('paths are dotted and bracketed, and messages name the rule and the value', () => {
    const p = v2();
    p.data.answers[3].value = ['Cardiff', ''];
    p.data.answers[6].value[0].to_list_item_id = 'xyz';
    p.data.answers[1].list_item_id = 'uVwXy1';
    p['odd key'] = 1;
    const problems = validateSubmissionV2(p);
    expect(paths(problems)).toEqual([
      '["odd key"]',
      'data.answers[1].list_item_id',
      'data.answers[3].value',
      'data.answers[3].value[1]',
      'data.answers[6].value',
      'data.answers[6].value[0].to_list_item_id',
    ]);
    const byPath = new Map(problems.map((x) => [x.path, x.message]));
    expect(byPath.get('data.answers[1].list_item_id')).toBe(
      'data.answers[1].list_item_id must be a list item id of exactly 6 letters a-z or A-Z (got "uVwXy1")',
    );
    expect(byPath.get('data.answers[3].value')).toMatch(/matches no answer value shape .*read as a checkbox answer it fails as follows/);
    expect(byPath.get('data.answers[3].value[1]')).toBe('data.answers[3].value[1] must not be empty');
    expect(byPath.get('data.answers[6].value')).toMatch(/read as relationships it fails as follows/);
  });

  it('envelope rules: required fields, consts, enums, UUIDs and formats', () => {
    const p = v2();
    delete p.case_id;
    p.version = 'V2';
    p.origin = 'eq';
    p.type = 'uk.gov.ons.edc.eq:SurveyResponse';
    p.data_version = '0.0.2';
    p.launch_language_code = 'fr';
    p.tx_id = p.tx_id.toUpperCase();
    p.collection_exercise_sid = 'not-a-uuid';
    p.region_code = 'GB-Wales';
    p.channel = '';
    p.flushed = 'false';
    const byPath = new Map(validateSubmissionV2(p).map((x) => [x.path, x.message]));
    expect(byPath.get('case_id')).toBe('case_id is required by submission_v2.json');
    expect(byPath.get('version')).toBe('version must be "v2" (got "V2")');
    expect(byPath.get('origin')).toBe('origin must be "uk.gov.ons.edc.eq" (got "eq")');
    expect(byPath.get('type')).toMatch(/^type must be one of "uk.gov.ons.edc.eq:surveyresponse", .* \(got "uk.gov.ons.edc.eq:SurveyResponse"\)$/);
    expect(byPath.get('data_version')).toBe('data_version must be one of "0.0.1", "0.0.3" (got "0.0.2")');
    expect(byPath.get('launch_language_code')).toBe('launch_language_code must be one of "en", "cy", "ga", "eo" (got "fr")');
    expect(byPath.get('tx_id')).toMatch(/lower-case hyphenated UUID .*upper-case letters fail the spec/);
    expect(byPath.get('collection_exercise_sid')).toMatch(/lower-case hyphenated UUID/);
    expect(byPath.get('collection_exercise_sid')).not.toMatch(/upper-case/);
    expect(byPath.get('region_code')).toMatch(/GB- and three capital letters/);
    expect(byPath.get('channel')).toBe('channel must not be empty');
    expect(byPath.get('flushed')).toBe('flushed must be true or false (got "false")');
  });

  it('date-times follow ajv-formats 2.1.1, as upstream: seconds required, the offset optional', () => {
    for (const ok of [
      '2016-05-21T16:37:56.551086',
      '2016-05-21T16:37:56',
      '2016-05-21T16:37:56Z',
      '2016-05-21t16:37:56z',
      '2016-05-21 16:37:56+01:00',
      '2016-06-30T23:59:60Z',
      '2016-06-30T23:59:60',
    ]) {
      expect(validateSubmissionV2({ ...v2(), submitted_at: ok }), ok).toEqual([]);
    }
    const p = v2();
    p.submitted_at = '2016-05-21T16:37';
    p.started_at = '21/05/2016 16:37';
    const problems = validateSubmissionV2(p);
    expect(problems.map((x) => x.path).sort()).toEqual(['started_at', 'submitted_at']);
    for (const x of problems) {
      expect(x.message).toMatch(/must be an RFC 3339 date-time such as 2016-05-21T16:37:56\.551086\+00:00: .*HH:MM:SS/);
      expect(x.message).toMatch(/offset may be left out/);
      expect(x.message).not.toMatch(/which has none/);
    }
    expect(problems.find((x) => x.path === 'submitted_at')?.message).toMatch(/got "2016-05-21T16:37"\)$/);
  });

  it('schema selection: exactly one of schema_name, schema_url, cir_instrument_id', () => {
    const none = v2();
    delete none.schema_name;
    expect(validateSubmissionV2(none)).toEqual([{ path: '', message: expect.stringMatching(/exactly one of .*; it has none$/), rule: 'schema' }]);
    const two = { ...v2(), cir_instrument_id: 'c7b0cfa8-147d-4345-8948-813dcbc1539f' };
    expect(validateSubmissionV2(two)[0].message).toMatch(/it has schema_name and cir_instrument_id$/);
    const cir = { ...none, cir_instrument_id: 'c7b0cfa8-147d-4345-8948-813dcbc1539f' };
    expect(validateSubmissionV2(cir)).toEqual([]);
    const url = { ...none, schema_url: 'https://schemas.example.com/qrt_0001.json' };
    expect(validateSubmissionV2(url)).toEqual([]);
  });

  it('submission_language_code may only be left out of a flushed submission', () => {
    const flushed: Json = { ...v2(), flushed: true };
    delete flushed.submission_language_code;
    expect(validateSubmissionV2(flushed)).toEqual([]);
    const notFlushed = { ...flushed, flushed: false };
    expect(validateSubmissionV2(notFlushed)).toEqual([
      { path: 'submission_language_code', message: expect.stringContaining('is required when flushed is false'), rule: 'schema' },
    ]);
    // An absent flushed passes the schema's `if`, so the language code is required then too.
    const { flushed: _, ...noFlushed } = notFlushed;
    expect(paths(validateSubmissionV2(noFlushed))).toEqual(['flushed', 'submission_language_code']);
    // A non-boolean flushed fails the `if`, so only its type is reported.
    expect(paths(validateSubmissionV2({ ...notFlushed, flushed: 'false' }))).toEqual(['flushed']);
  });

  it('survey_metadata is flat: survey_id plus exactly one of the business and ad-hoc shapes', () => {
    expect(validateSubmissionV2({ ...v2(), survey_metadata: ADHOC })).toEqual([]);
    const nested = validateSubmissionV2({ ...v2(), survey_metadata: { survey_id: '139', data: BUSINESS } });
    expect(nested[0]).toEqual({ path: 'survey_metadata', message: expect.stringMatching(/fits neither .*the nearer, ad-hoc/), rule: 'schema' });
    const both = validateSubmissionV2({ ...v2(), survey_metadata: { ...BUSINESS, ...ADHOC } });
    expect(both).toEqual([{ path: 'survey_metadata', message: expect.stringMatching(/fits both .* exactly one \(oneOf\)/), rule: 'schema' }]);
    // A property of the other shape is not evaluated by the passing one.
    const mixed = validateSubmissionV2({ ...v2(), survey_metadata: { ...BUSINESS, qid: '0130000000000300' } });
    expect(mixed).toEqual([{ path: 'survey_metadata.qid', message: expect.stringContaining('not a property of the business metadata shape'), rule: 'schema' }]);
    const { survey_id: _, ...noId } = BUSINESS;
    expect(paths(validateSubmissionV2({ ...v2(), survey_metadata: noId }))).toEqual([
      'survey_metadata.survey_id',
      'survey_metadata',
      'survey_metadata.survey_id',
    ]);
  });

  it('sds_dataset_id and data.supplementary_data come together', () => {
    const sds: Json = { ...v2(), survey_metadata: { ...BUSINESS, sds_dataset_id: 'c067f6de-6d64-42b1-8b02-431a3486c178' } };
    expect(validateSubmissionV2(sds)).toEqual([
      { path: 'data.supplementary_data', message: 'data.supplementary_data is required when survey_metadata.sds_dataset_id is given', rule: 'schema' },
    ]);
    const both = { ...sds, data: { ...sds.data, supplementary_data: { schema_version: 'v1' } } };
    expect(validateSubmissionV2(both)).toEqual([]);
    const suppOnly = { ...v2(), data: { ...v2().data, supplementary_data: { schema_version: 'v1' } } };
    expect(paths(validateSubmissionV2(suppOnly))).toEqual(['survey_metadata.sds_dataset_id']);
    expect(paths(validateSubmissionV2({ ...both, data: { ...both.data, supplementary_data: {} } }))).toEqual(['data.supplementary_data']);
  });

  it('data follows type and data_version; an absent type judges data as feedback, as the schema does', () => {
    const feedback = { ...v2(), type: 'uk.gov.ons.edc.eq:feedback', data: { feedback_rating: 'Neutral' } };
    expect(validateSubmissionV2(feedback)).toEqual([]);
    expect(validateSubmissionV2({ ...feedback, data: { feedback_type: 'Other', feedback_text: 'Fine', feedback_count: '1' } })).toEqual([]);
    const both = validateSubmissionV2({ ...feedback, data: { feedback_rating: 'Neutral', feedback_type: 'Other', feedback_text: 'x', feedback_count: '1' } });
    expect(both.map((x) => x.message)).toEqual([
      expect.stringMatching(
        /^data must match one feedback shape: .*the nearer, legacy feedback \{feedback_type, feedback_text, feedback_count\}, fails as follows$/,
      ),
      expect.stringMatching(/^data.feedback_rating is not allowed: legacy feedback/),
    ]);
    const research = { ...v2(), type: 'uk.gov.ons.edc.eq:user_research', data: { email_address: 'someone@example.com' } };
    expect(validateSubmissionV2(research)).toEqual([]);
    expect(paths(validateSubmissionV2({ ...research, data: { full_name: 'A B' } }))).toEqual(['data.email_address']);
    const sr001 = { ...v2(), data_version: '0.0.1', data: { '0001': 'x', 'q.2_b-3': 'y' } };
    expect(validateSubmissionV2(sr001)).toEqual([]);
    expect(paths(validateSubmissionV2({ ...sr001, data: { 'q 1': 'x', '0002': '' } }))).toEqual(['data["q 1"]', 'data.0002']);
    const { type: _, ...untyped } = v2();
    const untypedProblems = validateSubmissionV2(untyped);
    expect(untypedProblems.find((x) => x.path === 'data')?.message).toMatch(
      /^data \(judged as feedback, since type is missing\) must match one feedback shape/,
    );
  });

  it('answer values: the corners of the oneOf', () => {
    const withValue = (value: unknown) => {
      const p = v2();
      p.data.answers[2].value = value;
      return validateSubmissionV2(p);
    };
    // An empty list is a valid (empty) relationships answer; checkbox answers need an item.
    expect(withValue([])).toEqual([]);
    expect(withValue([REL, { ...REL }])[1]).toEqual({
      path: 'data.answers[2].value',
      message: expect.stringContaining('items 0 and 1 are identical (uniqueItems)'),
      rule: 'schema',
    });
    // Checkbox answers may repeat an option: only relationships are uniqueItems.
    expect(withValue(['a', 'a'])).toEqual([]);
    expect(withValue({ years: 1.0 })).toEqual([]);
    expect(withValue(0)).toEqual([]);
    expect(withValue(-2.5)).toEqual([]);
    expect(paths(withValue({ years: 1, line1: 'x' }))).toEqual(['data.answers[2].value', 'data.answers[2].value.years']);
    expect(paths(withValue({}))).toEqual(['data.answers[2].value', 'data.answers[2].value.line1']);
    expect(paths(withValue({ months: '2' }))).toEqual(['data.answers[2].value', 'data.answers[2].value.months']);
    expect(withValue(null)).toEqual([
      { path: 'data.answers[2].value', message: expect.stringMatching(/^data.answers\[2\].value must be a text, a number, .* \(got null\)$/), rule: 'schema' },
    ]);
    expect(withValue('')[0].message).toBe('data.answers[2].value must not be an empty string (a text answer needs a character)');
  });

  it('lists and supplementary data mappings', () => {
    const p = v2();
    p.data.lists[0].supplementary_data_mappings = [
      { identifier: 0, list_item_id: 'kPqRsT' },
      { identifier: '429001', list_item_id: 'uVwXyZ' },
    ];
    p.data.lists[0].same_name_items = ['kPqRsT', 'uVwXyZ'];
    expect(validateSubmissionV2(p)).toEqual([]);
    p.data.lists[0].supplementary_data_mappings[0].identifier = -1;
    p.data.lists[0].supplementary_data_mappings[1].identifier = 1.5;
    p.data.lists.push({ name: '', items: ['kPqRsT'], colour: 'red' });
    expect(paths(validateSubmissionV2(p))).toEqual([
      'data.lists[0].supplementary_data_mappings[0].identifier',
      'data.lists[0].supplementary_data_mappings[1].identifier',
      'data.lists[1].colour',
      'data.lists[1].name',
    ]);
  });

  it('does not modify the payload', () => {
    const p = v2();
    p.data.answers.push({ answer_id: 'Bad', value: {} });
    const frozen = deepFreeze(p);
    expect(() => validateSubmissionV2(frozen)).not.toThrow();
    expect(validateSubmissionV2(frozen).length).toBeGreaterThan(0);
  });
});

describe('validateSubmissionV1', () => {
  it('accepts a well-formed v1 payload and classifies it', () => {
    expect(validateSubmissionV1(v1())).toEqual([]);
    expect(validateDownstream(v1())).toEqual({ payloadVersion: 'v1', type: 'surveyresponse', dataVersion: '0.0.1', problems: [] });
  });

  it('metadata is open and uses ref_period_*; collection is closed', () => {
    const p = v1();
    p.metadata.ref_p_start_date = 'any value: the launch spelling is just an extra key here';
    p.metadata.ref_period_end_date = '31/03/2025';
    p.collection.eq_id = 'qrt';
    delete p.collection.period;
    const byPath = new Map(validateSubmissionV1(p).map((x) => [x.path, x.message]));
    expect([...byPath.keys()]).toEqual(['collection.eq_id', 'collection.period', 'metadata.ref_period_end_date']);
    expect(byPath.get('collection.eq_id')).toMatch(/is not allowed: the collection object .* allows only exercise_sid, instrument_id, period, schema_name/);
    expect(byPath.get('metadata.ref_period_end_date')).toMatch(/real calendar date written YYYY-MM-DD/);
  });

  it('case_id and flushed are required for survey responses only; v1 has no user_research', () => {
    const p = v1();
    delete p.case_id;
    delete p.flushed;
    expect(paths(validateSubmissionV1(p))).toEqual(['case_id', 'flushed']);
    const feedback = { ...p, type: 'uk.gov.ons.edc.eq:feedback', data: { name: 'A', email: 'a@example.com', message: 'Hi' } };
    expect(validateSubmissionV1(feedback)).toEqual([]);
    expect(validateSubmissionV1({ ...feedback, data: { feedback_type: 'Other', feedback_text: 'x', feedback_count: '2' } })).toEqual([]);
    expect(paths(validateSubmissionV1({ ...v1(), type: 'uk.gov.ons.edc.eq:user_research' }))).toEqual(['type']);
    expect(paths(validateSubmissionV1({ ...v1(), survey_metadata: { survey_id: '139' } }))).toEqual(['survey_metadata']);
  });
});

describe('performance', () => {
  it('validates 100,000 answers in one pass and 10,000 ordinary payloads quickly', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const id = (i: number) => Array.from({ length: 6 }, (_, k) => letters[Math.floor(i / 26 ** k) % 26]).join('');
    const big = v2();
    big.data.answers = Array.from(
      { length: 100_000 },
      (_, i) =>
        [
          { answer_id: 'name-answer', value: 'Ada', list_item_id: id(i) },
          { answer_id: 'turnover-answer', value: i },
          { answer_id: 'sites-answer', value: ['Cardiff', 'Newport'] },
          { answer_id: 'address-answer', value: { line1: '1 High Street', postcode: 'CF10 1AA' }, list_item_id: id(i) },
          { answer_id: 'relationships-answer', value: [REL, { ...REL, relationship: 'Partner' }] },
        ][i % 5],
    );
    big.data.answer_codes = Array.from({ length: 2_000 }, (_, i) => ({ answer_id: 'name-answer', code: `c${i}` }));
    let t = performance.now();
    expect(validateSubmissionV2(big)).toEqual([]);
    const bigMs = performance.now() - t;

    big.data.answers[99_999] = { answer_id: 'name-answer', value: '' };
    expect(paths(validateSubmissionV2(big))).toEqual(['data.answers[99999].value']);

    const many = Array.from({ length: 10_000 }, v2);
    t = performance.now();
    for (const p of many) if (validateDownstream(p).problems.length) throw new Error('unexpected problem');
    const manyMs = performance.now() - t;
    console.log(`downstream validation: 100,000 answers in ${bigMs.toFixed(0)} ms; 10,000 payloads in ${manyMs.toFixed(0)} ms`);
    // Generous bounds for a loaded 2-core CI machine; typical figures are ~10x lower.
    expect(bigMs).toBeLessThan(3_000);
    expect(manyMs).toBeLessThan(5_000);
  });
});

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
