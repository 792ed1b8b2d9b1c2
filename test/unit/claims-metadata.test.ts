import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkQuestionnaireMetadata, isKnownMetadataType, type MetadataField } from '../../shared/claims/metadata-rules';
import { predictRunnerStatus } from '../../shared/claims/predict';
import { checkRunner } from '../../shared/claims/runner-rules';
import { SHARED, skipReason } from '../support/shared';
import { businessData, codes, NOW, validV1, validV2 } from './claims-fixtures';

const v2With = (data: Record<string, unknown>) => ({ ...validV2(), survey_metadata: { data } });
const check = (data: Record<string, unknown>, fields: MetadataField[]) => checkQuestionnaireMetadata(v2With(data), fields, 'v2');

describe('checkQuestionnaireMetadata (v2: survey_metadata.data)', () => {
  const standard: MetadataField[] = [
    { name: 'user_id', type: 'string' },
    { name: 'period_id', type: 'string' },
    { name: 'ru_name', type: 'string' },
    { name: 'trad_as', type: 'string', optional: true },
  ];
  it('passes when every required entry is present', () => {
    expect(check(businessData(), standard)).toEqual([]);
  });
  it('a missing required entry is 403 at questionnaire-claims, with its data path', () => {
    const data = businessData();
    delete data.ru_name;
    expect(check(data, standard)).toEqual([
      expect.objectContaining({
        code: 'metadata.required',
        path: 'survey_metadata.data.ru_name',
        status: 403,
        stage: 'questionnaire-claims',
        source: 'runner',
      }),
    ]);
  });
  it('null is refused even for an optional entry', () => {
    expect(check({ ...businessData(), trad_as: null }, standard)).toEqual([
      expect.objectContaining({ code: 'metadata.null', path: 'survey_metadata.data.trad_as' }),
    ]);
  });
  it('types: date, uuid, boolean, url, iso_8601_date_string', () => {
    const fields: MetadataField[] = [
      { name: 'd', type: 'date' },
      { name: 'u', type: 'uuid' },
      { name: 'b', type: 'boolean' },
      { name: 'l', type: 'url' },
      { name: 'i', type: 'iso_8601_date_string' },
    ];
    const good = { d: '2021-1-5', u: 'ABCDEF0123456789ABCDEF0123456789', b: 'yes', l: 'https://a.example.com', i: '2021-01-05T10:00:00' };
    expect(check(good, fields)).toEqual([]);
    const bad = { d: '2021-02-30', u: 'nope', b: 'maybe', l: 'http://launcher:8000', i: '2021-01-05' };
    const problems = check(bad, fields);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['metadata.type', 'survey_metadata.data.d'],
      ['metadata.type', 'survey_metadata.data.u'],
      ['metadata.type', 'survey_metadata.data.b'],
      ['metadata.type', 'survey_metadata.data.l'],
      ['metadata.type', 'survey_metadata.data.i'],
    ]);
    expect(problems.every((p) => p.status === 403)).toBe(true);
  });
  it('a real boolean passes the boolean type, a string that is not a boolean word fails', () => {
    expect(check({ b: true }, [{ name: 'b', type: 'boolean' }])).toEqual([]);
    expect(codes(check({ b: 'TRUE ' }, [{ name: 'b', type: 'boolean' }]))).toEqual([]);
    expect(codes(check({ b: 'tRuE' }, [{ name: 'b', type: 'boolean' }]))).toEqual(['metadata.type']);
  });
  it('length rules apply to the stripped, stored value', () => {
    const fields: MetadataField[] = [
      { name: 'ru_ref', type: 'string', min_length: 12 },
      { name: 'code', type: 'string', max_length: 3 },
      { name: 'qid', type: 'string', length: 16 },
      { name: 'd', type: 'date', length: 10 },
    ];
    expect(check({ ru_ref: '49900000001A', code: ' ab ', qid: '0130000000000300', d: '2021-1-5' }, fields)).toEqual([]);
    const problems = check({ ru_ref: '4990', code: 'abcd', qid: '013', d: '2021-01-05' }, fields);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['metadata.length', 'survey_metadata.data.ru_ref'],
      ['metadata.length', 'survey_metadata.data.code'],
      ['metadata.length', 'survey_metadata.data.qid'],
    ]);
  });
  it('an unknown type or a length clash in the schema is a 500 before any claim is read', () => {
    const problems = check({}, [
      { name: 'a', type: 'string' },
      { name: 'n', type: 'number' },
    ]);
    expect(problems).toEqual([expect.objectContaining({ code: 'metadata.unknown-type', status: 500, stage: 'questionnaire-claims' })]);
    expect(codes(check({ x: 'abc' }, [{ name: 'x', type: 'string', length: 3, min_length: 1 }]))).toEqual(['metadata.bad-length-rule']);
  });
  it('a length rule on a boolean crashes the runner, ahead of the 403s', () => {
    const problems = check({ b: true }, [
      { name: 'missing', type: 'string' },
      { name: 'b', type: 'boolean', max_length: 5 },
    ]);
    expect(problems.map((p) => [p.code, p.status])).toEqual([
      ['metadata.length-crash', 500],
      ['metadata.required', 403],
    ]);
    expect(predictRunnerStatus(problems)).toBe(500);
  });
  it('without survey_metadata the data is empty, so required entries fail before the 500 for its absence', () => {
    const claims = validV2();
    delete claims.survey_metadata;
    const problems = [...checkRunner(claims, { nowSeconds: NOW }), ...checkQuestionnaireMetadata(claims, standard, 'v2')];
    expect(predictRunnerStatus(problems)).toBe(403);
  });
});

describe('checkQuestionnaireMetadata (v1 and legacy: top level)', () => {
  it('reads the top-level claims and reports top-level paths', () => {
    const claims = validV1();
    expect(checkQuestionnaireMetadata(claims, [{ name: 'ru_ref', type: 'string' }], 'v1')).toEqual([]);
    expect(checkQuestionnaireMetadata(claims, [{ name: 'ru_name', type: 'string' }], 'legacy')).toEqual([
      expect.objectContaining({ code: 'metadata.required', path: 'ru_name' }),
    ]);
  });
});

const schemaDir = path.join(SHARED, 'ons/runner/schemas/test');
const schemasMissing = skipReason(fs.existsSync(schemaDir) ? undefined : `skipped: ${schemaDir} is absent (the ONS material lives in ../shared)`);

describe.skipIf(!!schemasMissing)("the runner's test questionnaire schemas", () => {
  const files = schemasMissing ? [] : (fs.readdirSync(schemaDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json'));

  it('exist', () => expect(files.length).toBeGreaterThan(200));

  it('use only metadata types the rules know, in the expected shape', () => {
    const unknown: string[] = [];
    for (const f of files) {
      const json = JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8')) as { metadata?: unknown };
      if (json.metadata === undefined) continue;
      expect(Array.isArray(json.metadata), f).toBe(true);
      for (const entry of json.metadata as Record<string, unknown>[]) {
        expect(typeof entry.name, `${f}: ${JSON.stringify(entry)}`).toBe('string');
        if (!isKnownMetadataType(entry.type)) unknown.push(`${f}: ${JSON.stringify(entry)}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it("a launch built from each schema's metadata passes its metadata check", () => {
    const sample: Record<string, unknown> = {
      string: 'x',
      date: '2021-01-05',
      uuid: crypto.randomUUID(),
      boolean: 'true',
      url: 'https://a.example.com',
      iso_8601_date_string: '2021-01-05T10:00:00+00:00',
    };
    for (const f of files) {
      const fields = ((JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8')) as { metadata?: MetadataField[] }).metadata ?? []) as MetadataField[];
      const data = Object.fromEntries(fields.map((m) => [m.name, sample[m.type]]));
      expect(checkQuestionnaireMetadata(v2With(data), fields, 'v2'), f).toEqual([]);
    }
  });
});
