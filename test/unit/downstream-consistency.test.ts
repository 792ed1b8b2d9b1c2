// The answer-code rules upstream applies beyond submission_v2/v1.json (RUNNER-CONTRACT §6):
// answer codes are unique, and every answer code's answer_id appears in data.answers. ajv knows
// neither, so these are tested here rather than in the differential test.
import { describe, expect, it } from 'vitest';
import type { DownstreamProblem } from '../../shared/downstream/check';
import { validateDownstream } from '../../shared/downstream/index';
import { validateSubmissionV1 } from '../../shared/downstream/validate-v1';
import { validateSubmissionV2 } from '../../shared/downstream/validate-v2';

type Json = Record<string, unknown>;

function answers(): Json[] {
  return [
    { answer_id: 'name-answer', value: 'Ada', list_item_id: 'kPqRsT' },
    { answer_id: 'colour-answer', value: ['Red', 'Blue'] },
    { answer_id: 'count-answer', value: 3 },
  ];
}

function codes(): Json[] {
  return [
    { answer_id: 'name-answer', code: '1' },
    { answer_id: 'colour-answer', answer_value: 'Red', code: '2a' },
    { answer_id: 'colour-answer', answer_value: 'Blue', code: '2b' },
    // A code may name an option nobody chose; only the answer_id has to be answered.
    { answer_id: 'colour-answer', answer_value: 'Green', code: '2c' },
    { answer_id: 'count-answer', code: '3' },
  ];
}

function v2(data: Json = { answers: answers(), lists: [{ name: 'people', items: ['kPqRsT'] }], answer_codes: codes() }): Json {
  return {
    tx_id: '0f5a7e2c-3b1d-4c8e-9a6f-1d2e3f4a5b6c',
    type: 'uk.gov.ons.edc.eq:surveyresponse',
    version: 'v2',
    data_version: '0.0.3',
    origin: 'uk.gov.ons.edc.eq',
    flushed: false,
    submitted_at: '2025-03-04T10:11:12.123456+00:00',
    launch_language_code: 'en',
    submission_language_code: 'en',
    collection_exercise_sid: '7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
    case_id: '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091',
    schema_name: 'qrt_0001',
    survey_metadata: { survey_id: '139', ru_name: 'Example Ltd', user_id: 'u-1', period_id: '202503', form_type: '0001', ru_ref: '12345678901A' },
    data,
  };
}

function v1(data: Json): Json {
  return {
    tx_id: '0f5a7e2c-3b1d-4c8e-9a6f-1d2e3f4a5b6c',
    type: 'uk.gov.ons.edc.eq:surveyresponse',
    version: '0.0.3',
    origin: 'uk.gov.ons.edc.eq',
    survey_id: '139',
    flushed: false,
    submitted_at: '2025-03-04T10:11:12+00:00',
    case_id: '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091',
    collection: { exercise_sid: '7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f', period: '202503', instrument_id: '0001' },
    metadata: { user_id: 'u-1', ru_ref: '12345678901A' },
    data,
  };
}

const consistency = (ps: DownstreamProblem[]) => ps.filter((p) => p.rule === 'consistency');
const schema = (ps: DownstreamProblem[]) => ps.filter((p) => p.rule === 'schema');

describe('answer code consistency rules', () => {
  it('a payload whose codes are unique and answered has no problems', () => {
    expect(validateSubmissionV2(v2())).toEqual([]);
  });

  it('answer codes must be unique: a repeated code is a consistency problem the schema misses', () => {
    const p = v2();
    const c = (p.data as Json).answer_codes as Json[];
    c[4].code = '2a';
    const problems = validateSubmissionV2(p);
    expect(schema(problems)).toEqual([]);
    expect(consistency(problems)).toEqual([
      {
        path: 'data.answer_codes[4].code',
        message: expect.stringMatching(
          /^Consistency rule \(upstream, beyond the JSON schema\): answer codes must be unique, and "2a" is already the code of data\.answer_codes\[1\]$/,
        ),
        rule: 'consistency',
      },
    ]);
  });

  it('every third repeat is reported against the first use', () => {
    const p = v2();
    const c = (p.data as Json).answer_codes as Json[];
    c[2].code = '1';
    c[3].code = '1';
    expect(consistency(validateSubmissionV2(p)).map((x) => [x.path, x.message.endsWith('data.answer_codes[0]')])).toEqual([
      ['data.answer_codes[2].code', true],
      ['data.answer_codes[3].code', true],
    ]);
  });

  it('an identical answer code object is both a uniqueItems schema problem and a consistency problem', () => {
    const p = v2();
    (p.data as Json).answer_codes = [...codes(), { answer_id: 'count-answer', code: '3' }];
    const problems = validateSubmissionV2(p);
    expect(schema(problems).map((x) => x.path)).toEqual(['data.answer_codes']);
    expect(schema(problems)[0].message).toMatch(/items 4 and 5 are identical/);
    expect(consistency(problems).map((x) => x.path)).toEqual(['data.answer_codes[5].code']);
  });

  it("every answer code's answer_id must appear in data.answers", () => {
    const p = v2();
    ((p.data as Json).answer_codes as Json[]).push({ answer_id: 'unanswered-answer', code: '9' });
    const problems = validateSubmissionV2(p);
    expect(schema(problems)).toEqual([]);
    expect(consistency(problems)).toEqual([
      {
        path: 'data.answer_codes[5].answer_id',
        message: expect.stringContaining("Consistency rule (upstream, beyond the JSON schema): every answer code's answer_id must appear in data.answers"),
        rule: 'consistency',
      },
    ]);
    expect(consistency(problems)[0].message).toContain('"unanswered-answer"');
  });

  it('answers matched by answer_id alone, whatever their list item', () => {
    const p = v2();
    (p.data as Json).answers = [
      { answer_id: 'name-answer', value: 'Ada', list_item_id: 'kPqRsT' },
      { answer_id: 'name-answer', value: 'Bob', list_item_id: 'uVwXyZ' },
      { answer_id: 'colour-answer', value: ['Red'] },
      { answer_id: 'count-answer', value: 0 },
    ];
    expect(validateSubmissionV2(p)).toEqual([]);
  });

  it('no codes, no consistency problems; a missing or broken answers list is left to the schema', () => {
    const p = v2({ answers: answers(), lists: [] });
    expect(validateSubmissionV2(p)).toEqual([]);
    const broken = v2({ answers: 'none', lists: [], answer_codes: codes() });
    const problems = validateSubmissionV2(broken);
    expect(consistency(problems)).toEqual([]);
    expect(schema(problems).map((x) => x.path)).toEqual(['data.answers']);
    const absent = v2({ lists: [], answer_codes: codes() });
    expect(consistency(validateSubmissionV2(absent))).toEqual([]);
  });

  it('broken answer codes entries are skipped by the consistency rules and reported by the schema', () => {
    const p = v2();
    (p.data as Json).answer_codes = ['1', { code: 1, answer_id: 5 }, { answer_id: 'name-answer', code: '1' }];
    const problems = validateSubmissionV2(p);
    expect(consistency(problems)).toEqual([]);
    expect(schema(problems).length).toBeGreaterThan(0);
  });

  it('only data judged as 0.0.3 survey response data is checked', () => {
    const p = v2();
    p.type = 'uk.gov.ons.edc.eq:feedback';
    ((p.data as Json).answer_codes as Json[]).push({ answer_id: 'x-answer', code: '1' });
    expect(consistency(validateSubmissionV2(p))).toEqual([]);
  });

  it('v1 payloads follow the same rules', () => {
    const data = { answers: answers(), lists: [], answer_codes: [...codes(), { answer_id: 'ghost-answer', code: '1' }] };
    const problems = validateSubmissionV1(v1(data));
    expect(schema(problems)).toEqual([]);
    expect(consistency(problems).map((x) => x.path)).toEqual(['data.answer_codes[5].code', 'data.answer_codes[5].answer_id']);
    expect(validateDownstream(v1(data)).problems).toEqual(problems);
  });

  it('consistency messages are marked as such and schema messages are not', () => {
    const p = v2();
    ((p.data as Json).answer_codes as Json[]).push({ answer_id: 'ghost-answer', code: '1', extra: true });
    for (const x of validateSubmissionV2(p)) {
      expect(x.message.startsWith('Consistency rule')).toBe(x.rule === 'consistency');
    }
  });
});
