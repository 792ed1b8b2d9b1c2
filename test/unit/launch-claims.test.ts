// The claims builder against every questionnaire schema the runner ships for its tests: what it
// builds must be what the runner accepts, in each payload format.
import fs from 'node:fs';
import path from 'node:path';
import { schemaSummary } from '../support/schema-summary';
import { describe, expect, it } from 'vitest';
import { classifyPayload, checkQuestionnaireMetadata, checkRunner, checkSpecV1, isUuid } from '../../shared/claims/index';
import type { SchemaSummary } from '../../shared/launch-types';
import {
  checkLaunch,
  convertAndRemember,
  convertClaims,
  deepMerge,
  getAt,
  metadataFieldsFor,
  newClaims,
  refreshIds,
  sampleString,
  schemaNameOf,
  setAt,
  themeGroup,
  typedDefault,
} from '../../shared/launch/index';
import type { LaunchPayload } from '../../shared/launch-types';
import { summariseSchema } from '../../electron/services/schemas/summary';
import { ONS, skipReason } from '../support/shared';

const SCHEMAS = path.join(ONS, 'runner/schemas/test');
const now = Math.floor(Date.now() / 1000);

function loadSchemas(): SchemaSummary[] {
  const out: SchemaSummary[] = [];
  for (const lang of ['en', 'cy', 'ga']) {
    const dir = path.join(SCHEMAS, lang);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const file = path.join(dir, f);
      out.push(summariseSchema(JSON.parse(fs.readFileSync(file, 'utf8')), { name: f.slice(0, -5), surveyType: 'test', language: lang, origin: file }));
    }
  }
  return out;
}

const schemasMissing = () => (fs.existsSync(SCHEMAS) ? undefined : `skipped: ${SCHEMAS} is absent (the runner's test schemas live in ../shared)`);
const schemas = fs.existsSync(SCHEMAS) ? loadSchemas() : [];

const schema = (overrides: Partial<SchemaSummary> = {}) => schemaSummary({ name: 'test_thing', title: 'Thing', ...overrides });

const runnerProblems = (claims: Record<string, unknown>, s: SchemaSummary) =>
  checkLaunch(claims, s.metadata, now).problems.filter((p) => p.source === 'runner');

describe.skipIf(skipReason(schemasMissing()))('claims for every runner test schema', () => {
  it('finds the 246 schemas', () => {
    expect(schemas.length).toBeGreaterThanOrEqual(240);
  });

  it('v2: the runner would start every questionnaire (302, no runner problems)', () => {
    const refused = schemas
      .map((s) => ({ s, check: checkLaunch(newClaims({ payload: 'v2', schema: s, nowSeconds: now }), s.metadata, now) }))
      .filter(({ check }) => check.runnerStatus !== 302 || check.problems.some((p) => p.source === 'runner'))
      .map(({ s, check }) => `${s.language}/${s.name}: ${check.verdict}`);
    expect(refused).toEqual([]);
  });

  it("v2: business and default themes fit the spec's business metadata shape", () => {
    const business = schemas.filter(
      (s) => themeGroup(s.theme) !== 'social' && s.metadata.every((m) => ['user_id', 'period_id', 'ru_name', 'ru_ref', 'trad_as'].includes(m.name)),
    );
    expect(business.length).toBeGreaterThan(200);
    for (const s of business) {
      const spec = checkLaunch(newClaims({ payload: 'v2', schema: s, nowSeconds: now }), s.metadata, now).problems.filter((p) => p.source === 'spec');
      expect(spec, s.name).toEqual([]);
    }
  });

  it("v1: every schema passes the v1 runner's and the v1 spec's required fields and its own metadata", () => {
    for (const s of schemas) {
      const claims = newClaims({ payload: 'v1', schema: s, nowSeconds: now });
      expect(classifyPayload(claims), s.name).toBe('v1');
      const problems = checkRunner(claims, { nowSeconds: now });
      expect(
        problems.filter((p) => p.code.startsWith('v1.')),
        s.name,
      ).toEqual([]);
      expect(
        checkSpecV1(claims).filter((p) => p.code === 'spec.required' || p.code === 'spec.schema-selection'),
        s.name,
      ).toEqual([]);
      expect(checkQuestionnaireMetadata(claims, s.metadata, 'v1'), s.name).toEqual([]);
    }
  });

  it("legacy: every schema passes the first-generation runner's required fields and its own metadata", () => {
    for (const s of schemas) {
      const claims = newClaims({ payload: 'legacy', schema: s, nowSeconds: now });
      expect(classifyPayload(claims), s.name).toBe('legacy');
      expect(claims.jti).toBeUndefined();
      expect(Number.isInteger(claims.iat) && Number.isInteger(claims.exp)).toBe(true);
      expect(
        checkRunner(claims, { nowSeconds: now }).filter((p) => p.code.startsWith('legacy.')),
        s.name,
      ).toEqual([]);
      expect(checkQuestionnaireMetadata(claims, s.metadata, 'legacy'), s.name).toEqual([]);
      expect(schemaNameOf(claims)).toBe(s.name);
    }
  });

  it('launches the Welsh and Irish schemas in their language', () => {
    const cy = schemas.find((s) => s.language === 'cy')!;
    expect(newClaims({ payload: 'v2', schema: cy, nowSeconds: now }).language_code).toBe('cy');
  });

  it("fills a boolean metadata field with JSON false, and a checkbox's true reaches the claims as true", () => {
    const s = schemas.find((x) => x.metadata.some((m) => m.type === 'boolean'))!;
    const field = s.metadata.find((m) => m.type === 'boolean')!;
    const claims = newClaims({ payload: 'v2', schema: s, nowSeconds: now });
    const p = `survey_metadata.data.${field.name}`;
    expect(getAt(claims, p)).toBe(false);
    const ticked = setAt(claims, p, true);
    expect(getAt(ticked, p)).toBe(true);
    expect(JSON.parse(JSON.stringify(ticked)).survey_metadata.data[field.name]).toBe(true);
    expect(runnerProblems(ticked, s)).toEqual([]);
    expect(getAt(claims, p)).toBe(false); // the original is untouched
  });
});

describe('newClaims', () => {
  it("makes fresh, distinct UUID v4 ids and the launcher's kind of response_id", () => {
    const a = newClaims({ payload: 'v2', schema: schema(), nowSeconds: now });
    const b = newClaims({ payload: 'v2', schema: schema(), nowSeconds: now });
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const k of ['jti', 'tx_id', 'case_id', 'collection_exercise_sid']) {
      expect(a[k]).toMatch(v4);
      expect(a[k]).not.toBe(b[k]);
    }
    expect(new Set([a.jti, a.tx_id, a.case_id, a.collection_exercise_sid]).size).toBe(4);
    expect(a.response_id).toMatch(/^[0-9]{16}$/);
    expect(a.response_id).not.toBe(b.response_id);
    expect(a).toMatchObject({
      version: 'v2',
      schema_name: 'test_thing',
      iat: now,
      exp: now + 3600,
      account_service_url: 'http://localhost:8000',
      language_code: 'en',
    });
    expect(a.response_expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(Date.parse(a.response_expires_at as string)).toBe((now + 7 * 86400) * 1000);
    expect(checkLaunch(a, schema().metadata, now)).toMatchObject({ payloadVersion: 'v2', runnerStatus: 302, problems: [] });
  });

  it('selects by schema_url, cir_instrument_id or eq_id + form_type', () => {
    const url = newClaims({ payload: 'v2', schema: schema({ schemaUrl: 'http://127.0.0.1:9/x.json' }), nowSeconds: now });
    expect(url.schema_url).toBe('http://127.0.0.1:9/x.json');
    expect(url.schema_name).toBeUndefined();
    const cir = newClaims({ payload: 'v2', selection: { cir_instrument_id: '2b8c3f5e-0f0c-4f38-9f3e-6f1d7e1b2a3c' }, nowSeconds: now });
    expect(cir.cir_instrument_id).toBe('2b8c3f5e-0f0c-4f38-9f3e-6f1d7e1b2a3c');
    expect(checkLaunch(cir, undefined, now).runnerStatus).toBe(302);
    const v1 = newClaims({ payload: 'v1', selection: { eq_id: 'mbs', form_type: '0253' }, nowSeconds: now });
    expect(v1).toMatchObject({ eq_id: 'mbs', form_type: '0253' });
    expect(v1.schema_name).toBeUndefined();
    const v2 = newClaims({ payload: 'v2', selection: { eq_id: 'mbs', form_type: '0253' }, nowSeconds: now });
    expect(v2.schema_name).toBe('mbs_0253');
    expect(() => newClaims({ payload: 'v2', nowSeconds: now })).toThrow(/selection/);
  });

  it('carries the optional claims it is given', () => {
    const c = newClaims({
      payload: 'v2',
      schema: schema(),
      nowSeconds: now,
      lifetimeSeconds: 60,
      language_code: 'cy',
      region_code: 'GB-WLS',
      channel: 'RH',
      roles: ['dumper'],
      account_service_url: 'https://example.com/account',
    });
    expect(c).toMatchObject({
      exp: now + 60,
      language_code: 'cy',
      region_code: 'GB-WLS',
      channel: 'RH',
      roles: ['dumper'],
      account_service_url: 'https://example.com/account',
    });
    expect(checkLaunch(c, schema().metadata, now).runnerStatus).toBe(302);
  });

  it("keeps only the receipting keys the new data holds, else the theme's default", () => {
    const business = schema({ theme: 'business' });
    const carried = newClaims({ payload: 'v2', schema: business, nowSeconds: now, receipting_keys: ['qid'] });
    expect(getAt(carried, 'survey_metadata.receipting_keys')).toBeUndefined();
    expect(checkLaunch(carried, business.metadata, now)).toMatchObject({ runnerStatus: 302, problems: [] });
    expect(
      getAt(newClaims({ payload: 'v2', schema: business, nowSeconds: now, receipting_keys: ['qid', 'ru_ref'] }), 'survey_metadata.receipting_keys'),
    ).toEqual(['ru_ref']);

    const social = schema({ theme: 'social', metadata: [{ name: 'qid', type: 'string' }] });
    const kept = newClaims({ payload: 'v2', schema: social, nowSeconds: now, receipting_keys: ['ru_ref', 'PORTAL_ID'] });
    expect(getAt(kept, 'survey_metadata.receipting_keys')).toEqual(['PORTAL_ID']);
    const none = newClaims({ payload: 'v2', schema: social, nowSeconds: now, receipting_keys: ['ru_ref'] });
    expect(getAt(none, 'survey_metadata.receipting_keys')).toEqual(['qid']);
    expect(checkLaunch(none, social.metadata, now).runnerStatus).toBe(302);
  });

  it('never gives v1 a schema_url, which selects nothing there; first generation gets survey_url', () => {
    const url = 'http://127.0.0.1:9/abc/1/my_survey.json';
    const preview = schema({ name: 'my_survey', schemaUrl: url });
    const v1 = newClaims({ payload: 'v1', schema: preview, nowSeconds: now });
    expect(v1.schema_url).toBeUndefined();
    expect(v1.schema_name).toBe('my_survey');
    expect(checkRunner(v1, { nowSeconds: now }).filter((p) => p.code.startsWith('v1.'))).toEqual([]);
    // An explicit URL selection, and one with no schema to name it: the URL's file name.
    expect(newClaims({ payload: 'v1', schema: preview, selection: { schema_url: url }, nowSeconds: now })).toMatchObject({ schema_name: 'my_survey' });
    const bare = newClaims({ payload: 'v1', selection: { schema_url: url }, nowSeconds: now });
    expect(bare.schema_url).toBeUndefined();
    expect(bare.schema_name).toBe('my_survey');

    const legacy = newClaims({ payload: 'legacy', schema: preview, nowSeconds: now });
    expect(legacy).toMatchObject({ survey_url: url, eq_id: 'my', form_type: 'survey' });
    expect(legacy.schema_url).toBeUndefined();
    expect(checkRunner(legacy, { nowSeconds: now }).filter((p) => p.code.startsWith('legacy.'))).toEqual([]);

    expect(newClaims({ payload: 'v2', schema: preview, nowSeconds: now })).toMatchObject({ schema_url: url });
  });
});

describe('schemaNameOf', () => {
  it('reads schema_name, else <eq_id>_<form_type>, as the runners select', () => {
    expect(schemaNameOf({ schema_name: ' test_thing ', eq_id: 'x', form_type: 'y' })).toBe('test_thing');
    expect(schemaNameOf({ eq_id: 'mbs', form_type: '0253' })).toBe('mbs_0253');
    expect(schemaNameOf({ schema_name: '', eq_id: 'mbs', form_type: 253 })).toBe('mbs_253');
    expect(schemaNameOf({ eq_id: 'mbs' })).toBeUndefined();
    expect(schemaNameOf({ eq_id: ' ', form_type: '0253' })).toBeUndefined();
    expect(schemaNameOf({ schema_url: 'http://x/y.json' })).toBeUndefined();
  });
});

describe('theme defaults', () => {
  it("business and default themes get the business metadata, with the schema's survey_id and form_type", () => {
    for (const theme of ['default', 'business', 'northernireland']) {
      const data = getAt(newClaims({ payload: 'v2', schema: schema({ theme, formType: '0253' }), nowSeconds: now }), 'survey_metadata.data');
      expect(data).toEqual({
        user_id: 'UNKNOWN',
        period_id: '201605',
        ru_name: 'ESSENTIAL ENTERPRISE LTD.',
        ru_ref: '12345678901A',
        form_type: '0253',
        survey_id: '999',
      });
    }
    const noFormType = newClaims({ payload: 'v2', schema: schema({ theme: 'business' }), nowSeconds: now });
    expect(getAt(noFormType, 'survey_metadata.data.form_type')).toBe('0001');
  });

  it('social and health themes get the ad hoc shape, receipted by qid', () => {
    for (const theme of ['social', 'health']) {
      const s = schema({ theme, metadata: [{ name: 'qid', type: 'string' }] });
      const c = newClaims({ payload: 'v2', schema: s, nowSeconds: now });
      const data = getAt(c, 'survey_metadata.data') as Record<string, string>;
      expect(Object.keys(data).sort()).toEqual(['PARTICIPANT_ID', 'PARTICIPANT_WINDOW_ID', 'PORTAL_ID', 'qid']);
      expect(data.qid).toMatch(/^[0-9]{16}$/);
      expect(data.PORTAL_ID).toMatch(/^[0-9]{1,7}$/);
      expect(data.PARTICIPANT_ID.length).toBeLessThanOrEqual(17);
      expect(data.PARTICIPANT_WINDOW_ID.startsWith(`${data.PARTICIPANT_ID}-`)).toBe(true);
      expect(data.PARTICIPANT_WINDOW_ID.length).toBeLessThanOrEqual(21);
      expect(getAt(c, 'survey_metadata.receipting_keys')).toEqual(['qid']);
      expect(checkLaunch(c, s.metadata, now)).toMatchObject({ runnerStatus: 302, problems: [] });
    }
  });

  it("falls back to a value of the field's type, within its length rules", () => {
    const s = schema({
      metadata: [
        { name: 'when', type: 'date' },
        { name: 'id', type: 'uuid' },
        { name: 'flag', type: 'boolean' },
        { name: 'link', type: 'url' },
        { name: 'at', type: 'iso_8601_date_string' },
        { name: 'code', type: 'string', length: 5 },
        { name: 'long', type: 'string', min_length: 20 },
        { name: 'short', type: 'string', max_length: 3 },
        { name: 'ru_ref', type: 'uuid' },
        { name: 'maybe', type: 'string', optional: true },
      ],
    });
    const data = getAt(newClaims({ payload: 'v2', schema: s, nowSeconds: now }), 'survey_metadata.data') as Record<string, unknown>;
    expect(data.when).toBe(new Date(now * 1000).toISOString().slice(0, 10));
    expect(isUuid(data.id)).toBe(true);
    expect(data.flag).toBe(false);
    expect(data.link).toBe('https://example.com');
    expect(typeof data.at).toBe('string');
    expect(data.code).toHaveLength(5);
    expect((data.long as string).length).toBeGreaterThanOrEqual(20);
    expect((data.short as string).length).toBeLessThanOrEqual(3);
    expect(isUuid(data.ru_ref)).toBe(true); // the named value does not fit a uuid field
    expect(data.maybe).toBeUndefined();
    expect(runnerProblems(newClaims({ payload: 'v2', schema: s, nowSeconds: now }), s)).toEqual([]);
    expect(typedDefault({ type: 'string' }, now)).toBe('Sample text');
    expect(sampleString({ max_length: 0 })).toBe('');
  });
});

describe('metadataFieldsFor', () => {
  it("lists the schema's fields, then what the format or theme expects, with their claim paths", () => {
    const s = schema({
      metadata: [
        { name: 'user_id', type: 'string' },
        { name: 'flag', type: 'boolean', optional: true },
        { name: 'code', type: 'string', min_length: 2, max_length: 4 },
      ],
    });
    const v2 = metadataFieldsFor(s, 'v2');
    expect(v2.slice(0, 3)).toEqual([
      { name: 'user_id', type: 'string', optional: false, path: 'survey_metadata.data.user_id', constraints: {}, source: 'schema', prefilled: true },
      { name: 'flag', type: 'boolean', optional: true, path: 'survey_metadata.data.flag', constraints: {}, source: 'schema', prefilled: false },
      {
        name: 'code',
        type: 'string',
        optional: false,
        path: 'survey_metadata.data.code',
        constraints: { min_length: 2, max_length: 4 },
        source: 'schema',
        prefilled: true,
      },
    ]);
    expect(v2.filter((f) => f.source === 'payload').map((f) => f.name)).toEqual(['ru_ref', 'ru_name', 'period_id', 'form_type', 'survey_id']);
    const v1 = metadataFieldsFor(s, 'v1');
    expect(v1.find((f) => f.name === 'ru_ref')).toMatchObject({ path: 'ru_ref', optional: false, source: 'payload' });
    expect(metadataFieldsFor(undefined, 'v2').map((f) => f.name)).not.toContain('survey_id');
  });
});

describe('refreshIds', () => {
  it('changes the ids and times and keeps everything else', () => {
    const before = newClaims({ payload: 'v2', schema: schema(), nowSeconds: now - 7200, lifetimeSeconds: 600, roles: ['dumper'] });
    const after = refreshIds(before, { nowSeconds: now });
    expect(after.jti).not.toBe(before.jti);
    expect(after.tx_id).not.toBe(before.tx_id);
    expect(isUuid(after.jti) && isUuid(after.tx_id)).toBe(true);
    expect(after).toMatchObject({ iat: now, exp: now + 600 });
    const { jti: _a, tx_id: _b, iat: _c, exp: _d, ...rest } = after;
    const { jti: _e, tx_id: _f, iat: _g, exp: _h, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    expect(checkLaunch(after, schema().metadata, now).runnerStatus).toBe(302);
  });

  it('makes a new response when asked, and moves a passed response_expires_at ahead', () => {
    const before = newClaims({ payload: 'v2', schema: schema(), nowSeconds: now });
    const fresh = refreshIds(before, { nowSeconds: now, newResponse: true });
    expect(fresh.response_id).not.toBe(before.response_id);
    expect(fresh.case_id).not.toBe(before.case_id);
    expect(fresh.collection_exercise_sid).toBe(before.collection_exercise_sid);
    const old = { ...before, response_expires_at: '2020-01-01T00:00:00+00:00' };
    const later = refreshIds(old, { nowSeconds: now });
    expect(later.response_id).toBe(before.response_id);
    expect(Date.parse(later.response_expires_at as string)).toBeGreaterThan(now * 1000);
  });

  it('keeps first-generation string iat/exp as strings and adds no jti', () => {
    const legacy = { ...newClaims({ payload: 'legacy', schema: schema(), nowSeconds: now }), iat: '1458047712', exp: '1458057712' };
    const after = refreshIds(legacy, { nowSeconds: now });
    expect(after).toMatchObject({ iat: String(now), exp: String(now + 10000) });
    expect(after.jti).toBeUndefined();
    expect(classifyPayload(after)).toBe('legacy');
  });
});

describe('convertClaims', () => {
  it('v2 → v1 → v2 gives back the same claims, without the memory too when v1 needs nothing new', () => {
    const v2 = newClaims({ payload: 'v2', schema: schema(), nowSeconds: now, roles: ['dumper'] });
    const v1 = convertClaims(v2, 'v1', { nowSeconds: now });
    expect(v1.version).toBeUndefined();
    expect(v1.survey_metadata).toBeUndefined();
    expect(v1).toMatchObject({ ru_ref: '12345678901A', user_id: 'UNKNOWN', jti: v2.jti, schema_name: 'test_thing' });
    expect(classifyPayload(v1)).toBe('v1');
    expect(checkRunner(v1, { nowSeconds: now }).filter((p) => p.code.startsWith('v1.'))).toEqual([]);
    expect(convertClaims(v1, 'v2', { nowSeconds: now })).toEqual(v2);
  });

  it('v1 → v2 → v1 gives back the same claims, without the memory too when v2 needs nothing new', () => {
    const v1 = newClaims({ payload: 'v1', schema: schema({ metadata: [...schema().metadata, { name: 'flag', type: 'boolean' }] }), nowSeconds: now });
    const v2 = convertClaims(v1, 'v2', { nowSeconds: now });
    expect(v2.survey_metadata).toMatchObject({ data: { ru_ref: '12345678901A', flag: false } });
    expect(checkLaunch(v2, schema().metadata, now).runnerStatus).toBe(302);
    expect(convertClaims(v2, 'v1', { nowSeconds: now })).toEqual(v1);
  });

  it('to and from the first-generation format: eq_id + form_type, no jti', () => {
    const v2 = newClaims({ payload: 'v2', schema: schema(), nowSeconds: now });
    const legacy = convertClaims(v2, 'legacy', { nowSeconds: now });
    expect(legacy).toMatchObject({ eq_id: 'test', form_type: 'thing', ru_name: 'ESSENTIAL ENTERPRISE LTD.' });
    expect(legacy.jti).toBeUndefined();
    expect(legacy.schema_name).toBeUndefined();
    expect(classifyPayload(legacy)).toBe('legacy');
    expect(checkRunner(legacy, { nowSeconds: now }).filter((p) => p.code.startsWith('legacy.'))).toEqual([]);
    const back = convertClaims({ ...legacy, iat: String(now), exp: String(now + 60) }, 'v2', { nowSeconds: now });
    expect(back).toMatchObject({ version: 'v2', schema_name: 'test_thing', iat: now, exp: now + 60, tx_id: v2.tx_id, response_id: v2.response_id });
    expect(isUuid(back.jti)).toBe(true);
    expect(checkLaunch(back, schema().metadata, now).runnerStatus).toBe(302);
  });

  // The claims the builder makes for each theme, in each format.
  const THEMES = {
    social: schema({ theme: 'social', metadata: [{ name: 'qid', type: 'string' }] }),
    business: schema({ theme: 'business', formType: '0253' }),
    default: schema({ theme: 'default' }),
  };
  const PAIRS: [LaunchPayload, LaunchPayload][] = [
    ['v2', 'v1'],
    ['v2', 'legacy'],
    ['v1', 'v2'],
    ['v1', 'legacy'],
    ['legacy', 'v2'],
    ['legacy', 'v1'],
  ];

  for (const [theme, s] of Object.entries(THEMES)) {
    it(`${theme} theme: converting there and back with the memory gives back the same claims`, () => {
      for (const [from, to] of PAIRS) {
        const original = newClaims({ payload: from, schema: s, nowSeconds: now, roles: ['dumper'] });
        const { claims: there, memory } = convertAndRemember(original, to, { nowSeconds: now });
        expect(classifyPayload(there), `${from} → ${to}`).toBe(to);
        const back = convertClaims(there, from, { nowSeconds: now, undo: memory });
        expect(back, `${from} → ${to} → ${from}`).toEqual(original);
      }
    });
  }

  it('social v2 → v1 adds what v1 needs, and taking it back leaves no trace of it in the data', () => {
    const s = THEMES.social;
    const v2 = newClaims({ payload: 'v2', schema: s, nowSeconds: now });
    const { claims: v1, memory } = convertAndRemember(v2, 'v1', { nowSeconds: now });
    expect(v1).toMatchObject({ ru_ref: '12345678901A', user_id: 'UNKNOWN', period_id: '201605' });
    expect(checkRunner(v1, { nowSeconds: now }).filter((p) => p.code.startsWith('v1.'))).toEqual([]);
    const back = convertClaims(v1, 'v2', { nowSeconds: now, undo: memory });
    expect(Object.keys(getAt(back, 'survey_metadata.data') as object).sort()).toEqual(['PARTICIPANT_ID', 'PARTICIPANT_WINDOW_ID', 'PORTAL_ID', 'qid']);
    expect(getAt(back, 'survey_metadata.receipting_keys')).toEqual(['qid']);
    expect(checkLaunch(back, s.metadata, now)).toMatchObject({ runnerStatus: 302, problems: [] });

    // What the user changed in between stays; what the conversion made up and nobody touched goes.
    const edited = { ...v1, ru_ref: '49900000001A', PORTAL_ID: '1234567' };
    const afterEdit = convertClaims(edited, 'v2', { nowSeconds: now, undo: memory });
    expect(getAt(afterEdit, 'survey_metadata.data')).toMatchObject({ ru_ref: '49900000001A', PORTAL_ID: '1234567' });
    expect(getAt(afterEdit, 'survey_metadata.data.user_id')).toBeUndefined();
    // Memory from another conversion does not apply.
    expect(convertClaims(v1, 'legacy', { nowSeconds: now, undo: memory }).ru_ref).toBe('12345678901A');
  });

  it('a schema_url becomes the schema_name v1 can select by, and comes back on the return', () => {
    const url = 'http://127.0.0.1:9/abc/1/my_survey.json';
    const v2 = newClaims({ payload: 'v2', schema: schema({ name: 'my_survey', schemaUrl: url }), nowSeconds: now });
    const { claims: v1, memory } = convertAndRemember(v2, 'v1', { nowSeconds: now });
    expect(v1.schema_url).toBeUndefined();
    expect(v1.schema_name).toBe('my_survey');
    expect(checkRunner(v1, { nowSeconds: now }).filter((p) => p.code.startsWith('v1.'))).toEqual([]);
    expect(convertClaims(v1, 'v2', { nowSeconds: now, undo: memory })).toEqual(v2);
    // A schema the user named in v1 meanwhile wins: two selectors would be refused.
    const renamed = convertClaims({ ...v1, schema_name: 'test_other' }, 'v2', { nowSeconds: now, undo: memory });
    expect(renamed).toMatchObject({ schema_name: 'test_other' });
    expect(renamed.schema_url).toBeUndefined();
  });

  it('first generation has no response_expires_at, as newClaims makes it', () => {
    const v2 = newClaims({ payload: 'v2', schema: schema(), nowSeconds: now });
    expect(convertClaims(v2, 'legacy', { nowSeconds: now }).response_expires_at).toBeUndefined();
    expect(convertClaims(newClaims({ payload: 'v1', schema: schema(), nowSeconds: now }), 'legacy', { nowSeconds: now }).response_expires_at).toBeUndefined();
  });

  it('fills what the target format requires from claims that lack it', () => {
    const social = newClaims({ payload: 'v2', schema: schema({ theme: 'social', metadata: [{ name: 'qid', type: 'string' }] }), nowSeconds: now });
    const v1 = convertClaims(social, 'v1', { nowSeconds: now });
    expect(v1).toMatchObject({ ru_ref: '12345678901A', user_id: 'UNKNOWN', period_id: '201605', qid: getAt(social, 'survey_metadata.data.qid') });
    expect(checkRunner(v1, { nowSeconds: now }).filter((p) => p.code.startsWith('v1.'))).toEqual([]);
  });
});

describe('paths', () => {
  it('reads and writes dotted paths without touching the input', () => {
    const c = { a: { b: 1 }, roles: ['x'] };
    expect(getAt(c, 'a.b')).toBe(1);
    expect(getAt(c, 'roles.0')).toBe('x');
    expect(getAt(c, 'a.nope.deeper')).toBeUndefined();
    const d = setAt(c, 'survey_metadata.data.flag', true);
    expect(d).toEqual({ a: { b: 1 }, roles: ['x'], survey_metadata: { data: { flag: true } } });
    expect(c).toEqual({ a: { b: 1 }, roles: ['x'] });
    expect(setAt(d, 'a.b', undefined)).toEqual({ a: {}, roles: ['x'], survey_metadata: { data: { flag: true } } });
    expect(setAt(c, 'roles.1', 'y').roles).toEqual(['x', 'y']);
    expect(() => getAt(c, 'a..b')).toThrow(/empty segment/);
    expect(deepMerge({ a: { b: 1, c: 2 }, l: [1] }, { a: { c: 3 }, l: [2] })).toEqual({ a: { b: 1, c: 3 }, l: [2] });
  });
});

describe('shared/launch', () => {
  it('imports nothing from Node or Electron: the renderer runs it', () => {
    const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../shared/launch');
    const offences: string[] = [];
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) offences.push(`${f}: ${spec}`);
        else if (path.resolve(dir, spec).includes(`${path.sep}electron${path.sep}`)) offences.push(`${f}: ${spec}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
