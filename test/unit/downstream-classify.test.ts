import { describe, expect, it } from 'vitest';
import { classifyDownstream } from '../../shared/downstream/classify';
import { validateDownstream } from '../../shared/downstream/index';

const collection = { exercise_sid: '7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f', period: '202503', instrument_id: '0001' };

describe('classifyDownstream', () => {
  it('v2: version "v2", data version from data_version', () => {
    for (const t of ['surveyresponse', 'feedback', 'user_research'] as const) {
      for (const dv of ['0.0.1', '0.0.3'] as const) {
        expect(classifyDownstream({ version: 'v2', type: `uk.gov.ons.edc.eq:${t}`, data_version: dv })).toEqual({
          payloadVersion: 'v2',
          type: t,
          dataVersion: dv,
        });
      }
    }
  });

  it('v1: version is the data version and collection is an object', () => {
    expect(classifyDownstream({ version: '0.0.3', type: 'uk.gov.ons.edc.eq:surveyresponse', collection })).toEqual({
      payloadVersion: 'v1',
      type: 'surveyresponse',
      dataVersion: '0.0.3',
    });
    expect(classifyDownstream({ version: '0.0.1', type: 'uk.gov.ons.edc.eq:feedback', collection: {} })).toEqual({
      payloadVersion: 'v1',
      type: 'feedback',
      dataVersion: '0.0.1',
    });
  });

  it('shape, not validity: a broken v2 payload is still v2', () => {
    expect(classifyDownstream({ version: 'v2' })).toEqual({ payloadVersion: 'v2', type: 'unknown', dataVersion: 'unknown' });
    expect(classifyDownstream({ version: 'v2', data_version: '0.0.2', type: 'surveyresponse' })).toEqual({
      payloadVersion: 'v2',
      type: 'unknown',
      dataVersion: 'unknown',
    });
  });

  it('type needs the uk.gov.ons.edc.eq: prefix and a known name, exactly', () => {
    const type = (t: unknown) => classifyDownstream({ version: 'v2', type: t }).type;
    expect(type('uk.gov.ons.edc.eq:surveyresponse')).toBe('surveyresponse');
    expect(type('surveyresponse')).toBe('unknown');
    expect(type('uk.gov.ons.edc.eq:SurveyResponse')).toBe('unknown');
    expect(type('uk.gov.ons.edc.eq:surveyresponse ')).toBe('unknown');
    expect(type('uk.gov.ons.edc.eq:')).toBe('unknown');
    expect(type(5)).toBe('unknown');
    // user_research exists only in v2, but a v1 payload claiming it still says so.
    expect(classifyDownstream({ version: '0.0.1', collection, type: 'uk.gov.ons.edc.eq:user_research' }).type).toBe('user_research');
  });

  it('unknown: not an object, another version, or a v1 data version without a collection object', () => {
    for (const p of [null, 'x', 5, [], [{ version: 'v2' }]]) {
      expect(classifyDownstream(p)).toEqual({ payloadVersion: 'unknown', type: 'unknown', dataVersion: 'unknown' });
    }
    expect(classifyDownstream({ version: 'V2' }).payloadVersion).toBe('unknown');
    expect(classifyDownstream({ version: ' v2' }).payloadVersion).toBe('unknown');
    expect(classifyDownstream({ version: '0.0.3' })).toEqual({ payloadVersion: 'unknown', type: 'unknown', dataVersion: '0.0.3' });
    expect(classifyDownstream({ version: '0.0.3', collection: [] }).payloadVersion).toBe('unknown');
    expect(classifyDownstream({ version: '0.0.2', collection })).toEqual({ payloadVersion: 'unknown', type: 'unknown', dataVersion: 'unknown' });
    expect(classifyDownstream({ data_version: '0.0.1', type: 'uk.gov.ons.edc.eq:feedback' })).toEqual({
      payloadVersion: 'unknown',
      type: 'feedback',
      dataVersion: '0.0.1',
    });
  });
});

describe('validateDownstream on unclassifiable payloads', () => {
  it('reports one problem saying the payload is neither v2 nor v1', () => {
    const r = validateDownstream({ version: '0.0.3', type: 'uk.gov.ons.edc.eq:surveyresponse' });
    expect(r).toEqual({
      payloadVersion: 'unknown',
      type: 'surveyresponse',
      dataVersion: '0.0.3',
      problems: [{ path: '', message: expect.stringMatching(/neither a v2 .* nor a v1 .*: its version is "0.0.3" and it has no collection$/), rule: 'schema' }],
    });
    expect(validateDownstream('x').problems).toEqual([{ path: '', message: expect.stringMatching(/it is not a JSON object$/), rule: 'schema' }]);
    expect(validateDownstream({}).problems[0].message).toMatch(/its version is missing/);
  });

  it('chooses the validator by classification', () => {
    const v2 = validateDownstream({ version: 'v2' });
    expect(v2.payloadVersion).toBe('v2');
    expect(v2.problems.some((p) => p.message.includes('submission_v2.json'))).toBe(true);
    const v1 = validateDownstream({ version: '0.0.1', collection });
    expect(v1.payloadVersion).toBe('v1');
    expect(v1.problems.some((p) => p.message.includes('submission_v1.json'))).toBe(true);
  });
});
