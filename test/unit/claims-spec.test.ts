import { describe, expect, it } from 'vitest';
import { checkSpecV1, checkSpecV2 } from '../../shared/claims/spec-rules';
import { adhocData, businessData, codes, isoAt, NOW, validV1, validV2 } from './claims-fixtures';

const v2 = (patch: Record<string, unknown> = {}, drop: string[] = []) => {
  const c = { ...validV2(), ...patch };
  for (const k of drop) delete c[k];
  return c;
};
const withData = (data: unknown, extra: Record<string, unknown> = {}) => v2({ survey_metadata: { data, ...extra } });
const pathsAndCodes = (problems: { code: string; path: string }[]) => problems.map((p) => [p.code, p.path]);

describe('checkSpecV2', () => {
  it('accepts a valid business launch and a valid ad-hoc launch', () => {
    expect(checkSpecV2(validV2())).toEqual([]);
    expect(checkSpecV2(withData(adhocData(), { receipting_keys: ['qid'] }))).toEqual([]);
  });
  it('every problem is marked as the spec speaking', () => {
    expect(checkSpecV2(v2({ roles: ['x'], iat: 'x' })).every((p) => p.source === 'spec')).toBe(true);
  });
  it('roles is not allowed, and says why it matters', () => {
    const [p] = checkSpecV2(v2({ roles: ['flusher'] }));
    expect(p).toMatchObject({ code: 'spec.roles', path: 'roles' });
    expect(p.message).toBe("the spec's launch schema does not allow roles; the runner needs it for flush/dumper");
  });
  it('any other extra claim is refused: the schema is closed', () => {
    expect(pathsAndCodes(checkSpecV2(v2({ ru_ref: 'x', account_service_log_out_url: 'https://a.example.com' })))).toEqual([
      ['spec.additional-property', 'ru_ref'],
      ['spec.additional-property', 'account_service_log_out_url'],
    ]);
  });
  it('required claims, including iat which the runner ignores', () => {
    expect(pathsAndCodes(checkSpecV2(v2({}, ['iat', 'response_expires_at'])))).toEqual([
      ['spec.required', 'iat'],
      ['spec.required', 'response_expires_at'],
    ]);
  });
  it('iat and exp must be integers', () => {
    expect(pathsAndCodes(checkSpecV2(v2({ iat: String(NOW), exp: NOW + 0.5 })))).toEqual([
      ['spec.type', 'exp'],
      ['spec.type', 'iat'],
    ]);
  });
  it('UUIDs must be lower case; the message says the runner would take upper case', () => {
    const [p] = checkSpecV2(v2({ case_id: (validV2().case_id as string).toUpperCase() }));
    expect(p).toMatchObject({ code: 'spec.pattern', path: 'case_id' });
    expect(p.message).toContain('upper-case letters fail the spec although the runner accepts them');
    expect(checkSpecV2(v2({ tx_id: 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz' }))).toEqual([]);
  });
  it('language_code is en, cy, ga or eo', () => {
    expect(checkSpecV2(v2({ language_code: 'ga' }))).toEqual([]);
    expect(pathsAndCodes(checkSpecV2(v2({ language_code: 'fr' })))).toEqual([['spec.enum', 'language_code']]);
  });
  it('region_code is anchored; schema_name, qid and case_type are not', () => {
    expect(pathsAndCodes(checkSpecV2(v2({ region_code: 'GB-ENGL' })))).toEqual([['spec.pattern', 'region_code']]);
    expect(checkSpecV2(v2({ schema_name: 'Not Really a_b Schema!' }))).toEqual([]);
    expect(pathsAndCodes(checkSpecV2(v2({ schema_name: 'mbs-0253' })))).toEqual([['spec.pattern', 'schema_name']]);
    expect(checkSpecV2(withData({ ...adhocData(), qid: 'x01300000000003009999' }))).toEqual([]);
    expect(checkSpecV2(withData({ ...businessData(), case_type: 'business B' }))).toEqual([]);
    expect(pathsAndCodes(checkSpecV2(withData({ ...businessData(), case_type: 'b' })))).toEqual([
      ['spec.metadata-shape', 'survey_metadata.data'],
      ['spec.pattern', 'survey_metadata.data.case_type'],
    ]);
  });
  it('response_expires_at needs seconds but no offset (ajv-formats 2.1.1, as upstream); account_service_url may be any absolute URI', () => {
    expect(checkSpecV2(v2({ response_expires_at: isoAt(NOW + 3600, '') }))).toEqual([]);
    expect(checkSpecV2(v2({ response_expires_at: isoAt(NOW + 3600, '.551086') }))).toEqual([]);
    expect(pathsAndCodes(checkSpecV2(v2({ response_expires_at: isoAt(NOW + 3600).replace(/:\d\d\+00:00$/, '+00:00') })))).toEqual([
      ['spec.format', 'response_expires_at'],
    ]);
    expect(pathsAndCodes(checkSpecV2(v2({ response_expires_at: isoAt(NOW + 3600).slice(0, 10) })))).toEqual([['spec.format', 'response_expires_at']]);
    expect(checkSpecV2(v2({ account_service_url: 'http://launcher:8000' }))).toEqual([]);
    expect(pathsAndCodes(checkSpecV2(v2({ account_service_url: 'launcher:8000/x y' })))).toEqual([['spec.format', 'account_service_url']]);
  });
  it('exactly one of schema_name, schema_url, cir_instrument_id', () => {
    expect(pathsAndCodes(checkSpecV2(v2({}, ['schema_name'])))).toEqual([['spec.schema-selection', '']]);
    const [two] = checkSpecV2(v2({ schema_url: 'https://schemas.example.com/a.json' }));
    expect(two).toMatchObject({ code: 'spec.schema-selection', path: '' });
    expect(two.message).toContain('schema_name and schema_url');
  });
  it('survey_metadata.data must fit exactly one shape and hold nothing else', () => {
    const missing = businessData();
    delete missing.survey_id;
    expect(pathsAndCodes(checkSpecV2(withData(missing)))).toEqual([
      ['spec.metadata-shape', 'survey_metadata.data'],
      ['spec.required', 'survey_metadata.data.survey_id'],
    ]);
    expect(pathsAndCodes(checkSpecV2(withData({ ...businessData(), flag: true })))).toEqual([['spec.unevaluated-property', 'survey_metadata.data.flag']]);
    expect(pathsAndCodes(checkSpecV2(withData({ ...businessData(), qid: '0130000000000300' })))).toEqual([
      ['spec.unevaluated-property', 'survey_metadata.data.qid'],
    ]);
    expect(pathsAndCodes(checkSpecV2(withData({ ...businessData(), ...adhocData() })))).toEqual([['spec.metadata-shape', 'survey_metadata.data']]);
    expect(pathsAndCodes(checkSpecV2(withData('x')))).toEqual([['spec.metadata-shape', 'survey_metadata.data']]);
  });
  it('ru_ref: at least 12 characters ending in a letter', () => {
    expect(pathsAndCodes(checkSpecV2(withData({ ...businessData(), ru_ref: '49900000001' })))).toEqual([
      ['spec.metadata-shape', 'survey_metadata.data'],
      ['spec.min-length', 'survey_metadata.data.ru_ref'],
      ['spec.pattern', 'survey_metadata.data.ru_ref'],
    ]);
  });
  it('receipting_keys: at least one, and only "qid"', () => {
    expect(pathsAndCodes(checkSpecV2(withData(adhocData(), { receipting_keys: [] })))).toEqual([['spec.min-items', 'survey_metadata.receipting_keys']]);
    expect(pathsAndCodes(checkSpecV2(withData(adhocData(), { receipting_keys: ['ru_ref'] })))).toEqual([['spec.enum', 'survey_metadata.receipting_keys.0']]);
  });
  it('survey_metadata: not empty, only data and receipting_keys, data optional', () => {
    expect(pathsAndCodes(checkSpecV2(v2({ survey_metadata: {} })))).toEqual([['spec.min-properties', 'survey_metadata']]);
    expect(checkSpecV2(v2({ survey_metadata: { receipting_keys: ['qid'] } }))).toEqual([]);
    expect(pathsAndCodes(checkSpecV2(v2({ survey_metadata: { data: businessData(), x: 1 } })))).toEqual([['spec.additional-property', 'survey_metadata.x']]);
  });
  it('a non-object is one problem at the top', () => {
    expect(pathsAndCodes(checkSpecV2('claims'))).toEqual([['spec.type', '']]);
  });
});

describe('checkSpecV1', () => {
  it('accepts a valid v1 launch', () => expect(checkSpecV1(validV1())).toEqual([]));
  it('collection_exercise_sid must be a UUID, so the seed 002 example fails', () => {
    expect(pathsAndCodes(checkSpecV1({ ...validV1(), collection_exercise_sid: '789' }))).toEqual([['spec.pattern', 'collection_exercise_sid']]);
  });
  it('schema_name, or eq_id with form_type', () => {
    const c = validV1();
    delete c.form_type;
    expect(codes(checkSpecV1(c))).toEqual(['spec.schema-selection']);
    expect(checkSpecV1({ ...c, schema_name: 'mbs_0253' })).toEqual([]);
  });
  it('v1 required claims and its closed property list', () => {
    const c = validV1();
    delete c.ru_ref;
    expect(pathsAndCodes(checkSpecV1({ ...c, version: 'v2', roles: [] }))).toEqual([
      ['spec.required', 'ru_ref'],
      ['spec.additional-property', 'version'],
      ['spec.roles', 'roles'],
    ]);
  });
});
