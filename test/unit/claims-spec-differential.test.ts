// The hand-written spec rules against ajv running the official ONS schemas: for the official
// examples and a corpus of mutated claim sets, checkSpecV2/V1 must find no problem exactly when
// ajv (2020-12, allErrors, strict false, ajv-formats 2.1.1 full mode: what the schema-definitions
// repository validates its own examples with) calls the claims valid.
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { checkSpecV1, checkSpecV2 } from '../../shared/claims/spec-rules';
import type { Problem } from '../../shared/inspect-types';
import { SHARED, skipReason } from '../support/shared';
import { adhocData, businessData, isoAt, NOW, validV1, validV2 } from './claims-fixtures';

const DEFS = path.join(SHARED, 'ons/schema-definitions');
const missing = fs.existsSync(path.join(DEFS, 'v2/schemas/launch_v2.json'))
  ? undefined
  : skipReason(`skipped: ${DEFS} is absent (the ONS schema definitions live in ../shared beside the checkout)`);

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

function compile(version: 'v1' | 'v2'): ValidateFunction {
  const dir = path.join(DEFS, version, 'schemas');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const f of fs.readdirSync(path.join(dir, 'common'))) ajv.addSchema(readJson(path.join(dir, 'common', f)));
  return ajv.compile(readJson(path.join(dir, `launch_${version}.json`)));
}

function examples(version: 'v1' | 'v2'): Array<[string, Record<string, unknown>]> {
  const dir = path.join(DEFS, version, 'examples/rm_to_eq_runner', `payload_${version}`);
  return fs.readdirSync(dir).map((f) => [`official ${f}`, readJson(path.join(dir, f))]);
}

type Case = [name: string, claims: unknown];
type Patch = Record<string, unknown>;

/** A deterministic PRNG (mulberry32) so a failing combination can be reproduced. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DROP = Symbol('drop');
function apply(base: Record<string, unknown>, patch: Patch): Record<string, unknown> {
  const c = structuredClone(base);
  for (const [k, v] of Object.entries(patch)) {
    if (v === DROP) delete c[k];
    else c[k] = v;
  }
  return c;
}

const WRONG_TYPES: unknown[] = [123, 1.5, 'text', '', null, true, [], {}, ['qid']];
const UUIDS: unknown[] = [
  '6a591d32-6a28-4f7d-85c7-27215cc90705',
  '6A591D32-6A28-4F7D-85C7-27215CC90705',
  '6a591d326a284f7d85c727215cc90705',
  '{6a591d32-6a28-4f7d-85c7-27215cc90705}',
  '6a591d32-6a28-4f7d-85c7-27215cc9070',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  ' 6a591d32-6a28-4f7d-85c7-27215cc90705',
];
const DATE_TIMES: unknown[] = [
  isoAt(NOW + 3600),
  isoAt(NOW + 3600, 'Z'),
  isoAt(NOW + 3600, ''),
  isoAt(NOW + 3600, '.551086'),
  isoAt(NOW + 3600, '+0100'),
  isoAt(NOW + 3600, '-05'),
  isoAt(NOW + 3600, 'z').replace('T', 't'),
  isoAt(NOW + 3600).replace('T', ' '),
  '2030-01-01',
  '2030-01-01T00:00+00:00',
  '2030-01-01T00:00:00.123456789+05:30',
  '2030-06-30T23:59:60Z',
  '2030-06-30T23:59:60',
  '2030-06-30T23:59:60+05:00',
  '2030-06-30T22:59:60+01:00',
  '2030-02-29T00:00:00Z',
  '2030-02-29T00:00:00',
  '2030-01-01T00:00:00+24:00',
  '2030-01-01T00:00:00+99:99',
  '2030-01-01T24:00:00',
  '2030-01-01T00:00',
  '2030-01-01T00:00:00 +00:00',
];
const URIS: unknown[] = [
  'https://surveys.example.gov.uk',
  'http://launcher:8000',
  'mailto:someone@example.com',
  'urn:isbn:0451450523',
  'https://example.com/a b',
  'example.com',
  '//example.com/x',
  'https://[::1]:8000/x?y#z',
  '',
];

function v2Corpus(): Case[] {
  const base = validV2();
  const cases: Case[] = [];
  const mutations: Array<[string, Patch]> = [];
  const required = ['exp', 'iat', 'jti', 'tx_id', 'version', 'account_service_url', 'case_id', 'collection_exercise_sid', 'response_id', 'response_expires_at'];
  for (const k of [...required, 'schema_name', 'survey_metadata']) mutations.push([`drop ${k}`, { [k]: DROP }]);
  const props = [...required, 'channel', 'cir_instrument_id', 'language_code', 'region_code', 'schema_name', 'schema_url', 'survey_metadata'];
  for (const k of props) for (const v of WRONG_TYPES) mutations.push([`${k}=${JSON.stringify(v)}`, { [k]: v }]);
  for (const k of ['jti', 'tx_id', 'case_id', 'collection_exercise_sid']) for (const v of UUIDS) mutations.push([`${k}=${String(v)}`, { [k]: v }]);
  for (const v of UUIDS) mutations.push([`cir_instrument_id=${String(v)}`, { schema_name: DROP, cir_instrument_id: v }]);
  for (const v of ['GB-ENG', 'GB-WLS', 'GB-eng', 'GB-ENGL', 'XGB-ENG', 'GB-ENG\n', 'gb-eng', 'GB_ENG', ''])
    mutations.push([`region_code=${v}`, { region_code: v }]);
  for (const v of ['en', 'cy', 'ga', 'eo', 'fr', 'EN', '', 'en ']) mutations.push([`language_code=${v}`, { language_code: v }]);
  for (const v of DATE_TIMES) mutations.push([`response_expires_at=${String(v)}`, { response_expires_at: v }]);
  for (const v of URIS) {
    mutations.push([`account_service_url=${String(v)}`, { account_service_url: v }]);
    mutations.push([`schema_url=${String(v)}`, { schema_name: DROP, schema_url: v }]);
  }
  for (const v of ['test_checkbox', 'a_b', 'X a_b Y', 'mbs-0253', 'MBS_0253', '_', 'a_']) mutations.push([`schema_name=${v}`, { schema_name: v }]);
  for (const [k, v] of Object.entries({
    roles: ['flusher'],
    foo: 1,
    ru_ref: '49900000001A',
    account_service_log_out_url: 'https://x.example.com',
    survey_id: '009',
  })) {
    mutations.push([`extra ${k}`, { [k]: v }]);
  }
  mutations.push(['schema none', { schema_name: DROP }]);
  mutations.push(['schema_name+schema_url', { schema_url: 'https://schemas.example.com/a.json' }]);
  mutations.push(['schema_name+cir', { cir_instrument_id: '6a591d32-6a28-4f7d-85c7-27215cc90705' }]);
  mutations.push(['all three selectors', { schema_url: 'https://s.example.com/a.json', cir_instrument_id: '6a591d32-6a28-4f7d-85c7-27215cc90705' }]);
  mutations.push(['schema_name null counts as given', { schema_name: null, schema_url: 'https://s.example.com/a.json' }]);
  for (const v of [NOW, -5, 0, 1e20, 1.0, 1.25, '1750000000']) {
    mutations.push([`exp=${String(v)}`, { exp: v }]);
    mutations.push([`iat=${String(v)}`, { iat: v }]);
  }
  for (const v of ['v2', 'V2', ' v2', 'v1', 2]) mutations.push([`version=${String(v)}`, { version: v }]);
  for (const k of ['channel', 'response_id']) for (const v of ['', 'x', ' ']) mutations.push([`${k}=${JSON.stringify(v)}`, { [k]: v }]);

  // survey_metadata shapes
  const sm = (data: unknown, extra: Patch = {}) => ({ survey_metadata: data === DROP ? { ...extra } : { data, ...extra } });
  const b = businessData();
  const a = adhocData();
  const shapes: Array<[string, Patch]> = [
    ['adhoc', sm(a)],
    ['adhoc+receipting', sm(a, { receipting_keys: ['qid'] })],
    ['business+receipting', sm(b, { receipting_keys: ['qid'] })],
    ['receipting only', sm(DROP, { receipting_keys: ['qid'] })],
    ['receipting empty', sm(a, { receipting_keys: [] })],
    ['receipting ru_ref', sm(a, { receipting_keys: ['ru_ref'] })],
    ['receipting string', sm(a, { receipting_keys: 'qid' })],
    ['receipting [1]', sm(a, { receipting_keys: [1] })],
    ['sm empty', { survey_metadata: {} }],
    ['sm extra', sm(b, { extra: 1 })],
    ['data {}', sm({})],
    ['data string', sm('x')],
    ['data list', sm([])],
    ['data null', sm(null)],
    ['data number', sm(5)],
    ['both shapes', sm({ ...b, ...a })],
    ['business+extra', sm({ ...b, flag: true })],
    ['business+qid', sm({ ...b, qid: '0130000000000300' })],
    ['adhoc+ru_name', sm({ ...a, ru_name: 'x' })],
    ['adhoc+case_ref', sm({ ...a, case_ref: '1000000000000001' })],
    ['business+case_ref', sm({ ...b, case_ref: '1000000000000001' })],
  ];
  for (const k of Object.keys(b)) shapes.push([`business drop ${k}`, sm({ ...b, [k]: undefined })]);
  for (const k of Object.keys(a)) shapes.push([`adhoc drop ${k}`, sm({ ...a, [k]: undefined })]);
  const fieldValues: Array<[string, unknown[]]> = [
    ['ru_ref', ['49900000001A', '49900000001a', '4990000000A', '499000000012', 'ABCDEFGHIJKL', '49900000001A!', 123]],
    ['form_type', ['0001', 'a_b', 'a-b', '', 1]],
    ['survey_id', ['009', 'abc', 'ABC', '', 9]],
    ['period_id', ['', 'x', null]],
    ['case_type', ['B', 'b', 'xBx', '', 1]],
    ['employment_date', ['2023-05-18', '2023-5-18', '2023-02-29', '2024-02-29', '2023-05-18T00:00:00Z']],
    ['ref_p_start_date', ['2023-13-01', '2023-04-31', '']],
    ['sds_dataset_id', [...UUIDS, 5]],
    ['display_address', ['', 'x']],
  ];
  for (const [k, vs] of fieldValues) for (const v of vs) shapes.push([`business ${k}=${JSON.stringify(v)}`, sm({ ...b, [k]: v })]);
  const adhocValues: Array<[string, unknown[]]> = [
    ['qid', ['0130000000000300', '013000000000030', 'x0130000000000300x', '01300000000003000000', 130]],
    ['PARTICIPANT_ID', ['DHRF-123456789012', 'DHRF-1234567890123', '']],
    ['PARTICIPANT_WINDOW_ID', ['DHRF-123456789012-001', 'DHRF-123456789012-0012', '']],
    ['PORTAL_ID', ['1', '1234567', '12345678', '12a', '', 1]],
    ['TEST_QUESTIONS', ['T', 'F', 'X', 't']],
    ['WINDOW_START_DATE', ['2023-01-08', '08 Jan 2023']],
    ['BLOOD_TEST_BARCODE', ['', 'BLT1', 5]],
    ['FIRST_NAME', ['', 'Vinny']],
  ];
  for (const [k, vs] of adhocValues) for (const v of vs) shapes.push([`adhoc ${k}=${JSON.stringify(v)}`, sm({ ...a, [k]: v })]);
  // undefined values vanish in structuredClone's JSON-like sense only if removed: drop them explicitly.
  for (const [, patch] of shapes) {
    const d = (patch.survey_metadata as Record<string, unknown>).data;
    if (d && typeof d === 'object') for (const [k, v] of Object.entries(d)) if (v === undefined) delete (d as Record<string, unknown>)[k];
  }
  mutations.push(...shapes);

  for (const [name, patch] of mutations) cases.push([name, apply(base, patch)]);

  // Random combinations of two or three mutations, for interactions (e.g. shape + selector).
  const rand = prng(20250615);
  for (let i = 0; i < 300; i++) {
    const picked = [0, 1, 2].slice(0, 2 + Math.floor(rand() * 2)).map(() => mutations[Math.floor(rand() * mutations.length)]);
    cases.push([picked.map(([n]) => n).join(' & '), picked.reduce((c, [, patch]) => apply(c, patch), base)]);
  }
  return cases;
}

function v1Corpus(): Case[] {
  const base = validV1();
  const mutations: Array<[string, Patch]> = [];
  const required = [
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
  ];
  for (const k of [...required, 'eq_id', 'form_type']) mutations.push([`drop ${k}`, { [k]: DROP }]);
  for (const k of [...required, 'eq_id', 'form_type', 'schema_name', 'survey', 'return_by', 'case_type']) {
    for (const v of WRONG_TYPES) mutations.push([`${k}=${JSON.stringify(v)}`, { [k]: v }]);
  }
  mutations.push(['schema_name only', { schema_name: 'mbs_0253', eq_id: DROP, form_type: DROP }]);
  mutations.push(['eq_id only', { form_type: DROP }]);
  mutations.push(['all selectors', { schema_name: 'mbs_0253' }]);
  mutations.push(['collection_exercise_sid 789 (seed 002)', { collection_exercise_sid: '789' }]);
  for (const v of DATE_TIMES) mutations.push([`response_expires_at=${String(v)}`, { response_expires_at: v }]);
  for (const [k, v] of Object.entries({ version: 'v2', roles: ['flusher'], survey_metadata: { data: {} }, qid: '1' }))
    mutations.push([`extra ${k}`, { [k]: v }]);
  for (const [k, vs] of Object.entries({
    eq_id: ['mbs', 'm-b', ''],
    account_service_log_out_url: URIS,
    return_by: ['2021-04-01', '2021-4-1'],
    language_code: ['en', 'fr'],
    region_code: ['GB-ENG', 'GB-E'],
    ru_ref: ['49900000001A', '4990000001A'],
    survey_id: ['009', '0-9'],
    trad_as: ['', 'x'],
  })) {
    for (const v of vs) mutations.push([`${k}=${JSON.stringify(v)}`, { [k]: v }]);
  }
  const cases: Case[] = mutations.map(([name, patch]) => [name, apply(base, patch)]);
  const rand = prng(7);
  for (let i = 0; i < 100; i++) {
    const picked = [0, 1].map(() => mutations[Math.floor(rand() * mutations.length)]);
    cases.push([picked.map(([n]) => n).join(' & '), picked.reduce((c, [, patch]) => apply(c, patch), base)]);
  }
  return cases;
}

function disagreements(validate: ValidateFunction, check: (c: unknown) => Problem[], cases: Case[]): string[] {
  const out: string[] = [];
  for (const [name, claims] of cases) {
    const ajvValid = validate(claims) as boolean;
    const ours = check(claims);
    if (ajvValid !== (ours.length === 0)) {
      out.push(
        `${name}: ajv ${ajvValid ? 'valid' : JSON.stringify(validate.errors?.map((e) => `${e.instancePath} ${e.message}`))}, ` +
          `rules ${JSON.stringify(ours.map((p) => `${p.path} ${p.code}`))}`,
      );
    }
  }
  return out;
}

describe.skipIf(!!missing)('spec rules agree with ajv on the official launch schemas', () => {
  it('launch_v2.json: every official example validates as published, with ajv and with checkSpecV2', () => {
    const validate = compile('v2');
    const cases = examples('v2');
    expect(cases.length).toBe(3);
    for (const [name, claims] of cases) {
      expect(validate(claims), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(checkSpecV2(claims), name).toEqual([]);
    }
  });

  it('launch_v2.json: mutations agree on valid/invalid', () => {
    const validate = compile('v2');
    const cases = v2Corpus();
    expect(cases.length).toBeGreaterThan(200);
    expect(disagreements(validate, checkSpecV2, cases)).toEqual([]);
    // The corpus has to exercise both answers to mean anything.
    const valid = cases.filter(([, c]) => validate(c)).length;
    expect(valid).toBeGreaterThan(40);
    expect(cases.length - valid).toBeGreaterThan(200);
  });

  it('launch_v1.json: official example and mutations agree on valid/invalid', () => {
    const validate = compile('v1');
    const official = examples('v1');
    expect(official.length).toBe(1);
    for (const [name, claims] of official) {
      expect(validate(claims), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(checkSpecV1(claims), name).toEqual([]);
    }
    const cases = v1Corpus();
    expect(cases.length).toBeGreaterThan(100);
    expect(disagreements(validate, checkSpecV1, [...official, ...cases])).toEqual([]);
    expect(cases.filter(([, c]) => validate(c)).length).toBeGreaterThan(15);
  });
});
