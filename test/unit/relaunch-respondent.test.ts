// "Relaunch as this respondent" as a pure mapping (shared/launch/from-respondent.ts), proved on the
// ONS examples themselves (../shared/ons, read here, never copied): every v2 and v1 downstream
// payload gives launch claims with the respondent's schema, metadata (without the survey_id the
// runner adds), language, region, channel, case and collection exercise, which the runner's rules
// accept; every ONS launch example relaunches with its claims kept and fresh ids and times. The
// response_id is new unless reuse is asked for, and then the warning comes with it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLaunch } from '../../shared/launch/check';
import { DEFAULT_LIFETIME_SECONDS, isoDateTime, RESPONSE_LIFETIME_SECONDS } from '../../shared/launch/index';
import {
  relaunchClaims,
  respondentFromClaims,
  respondentFromPayload,
  REUSE_WARNING,
  runnerAddedMetadata,
  withResponseId,
} from '../../shared/launch/from-respondent';
import type { SchemaSummary } from '../../shared/launch-types';
import { ONS, skipReason, sharedMissing } from '../support/shared';

const V2 = path.join(ONS, 'schema-definitions/v2/examples');
const V1 = path.join(ONS, 'schema-definitions/v1/examples');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NOW = 1_900_000_000;
const V1_RUNNER = { versions: ['v1', 'v2'] as const, known: true, basis: 'a v13 runner' };

const skip = skipReason(sharedMissing());

type Json = Record<string, any>;
const read = (file: string): Json => JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
const filesIn = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesIn(path.join(dir, e.name)) : [path.join(dir, e.name)]));

/** What every relaunch makes fresh, whatever it came from. */
function expectFresh(claims: Json, source: { jti?: unknown; tx_id?: unknown }) {
  expect(claims.jti).toMatch(UUID);
  expect(claims.tx_id).toMatch(UUID);
  expect(claims.jti).not.toBe(claims.tx_id);
  expect(claims.jti).not.toBe(source.jti);
  expect(claims.tx_id).not.toBe(source.tx_id);
  expect(claims.iat).toBe(NOW);
  expect(claims.exp).toBe(NOW + DEFAULT_LIFETIME_SECONDS);
  expect(claims.response_expires_at).toBe(isoDateTime(NOW + RESPONSE_LIFETIME_SECONDS));
}

describe.skipIf(skip !== undefined)('a respondent relaunched from an ONS v2 downstream payload', () => {
  const examples = () => filesIn(path.join(V2, 'eq_runner_to_downstream')).filter((f) => f.endsWith('.json'));

  it('finds the v2 examples (business and ad hoc, every type)', () => {
    expect(examples().length).toBeGreaterThanOrEqual(20);
  });

  it('gives v2 claims with the same schema, metadata, language, region, channel, case and collection exercise; fresh ids and times; a new response_id', () => {
    for (const file of examples()) {
      const payload = read(file);
      const name = path.relative(V2, file);
      const out = relaunchClaims(respondentFromPayload(payload), { nowSeconds: NOW });
      const c = out.claims as Json;
      expect(out.payload, name).toBe('v2');
      expect(c.version, name).toBe('v2');
      for (const key of ['schema_name', 'schema_url', 'cir_instrument_id']) expect(c[key], `${name} ${key}`).toBe(payload[key]);
      expect(c.language_code, name).toBe(payload.launch_language_code);
      expect(c.region_code, name).toBe(payload.region_code);
      expect(c.channel, name).toBe(payload.channel);
      expect(c.case_id, name).toBe(payload.case_id);
      expect(c.collection_exercise_sid, name).toBe(payload.collection_exercise_sid);

      // The business examples carry the spec's whole business shape, survey_id included; in the
      // ad hoc ones survey_id is only the runner's (the ad hoc shape has no survey_id).
      const { survey_id, ...withoutRunners } = payload.survey_metadata as Json;
      const business = name.includes(`${path.sep}business${path.sep}`);
      expect(c.survey_metadata.data, name).toEqual(business ? payload.survey_metadata : withoutRunners);
      if (!business) expect(out.notes.join(' '), name).toContain(`survey_metadata.survey_id (${JSON.stringify(survey_id)}) is left out`);

      expectFresh(c, payload);
      expect(c.response_id, name).toMatch(/^[0-9]{16}$/);
      expect(out).toMatchObject({ reused: false, freshResponseId: c.response_id });
      expect(out.respondentResponseId).toBeUndefined();
      expect(out.warning).toBeUndefined();

      // The runner takes it (no schema given: its metadata is the runner's to check), and the
      // metadata fits one of the spec's shapes.
      const check = checkLaunch(c, undefined, NOW);
      expect(check.runnerStatus, `${name}: ${check.verdict}`).toBe(302);
      expect(
        check.problems.filter((p) => p.path.startsWith('survey_metadata')),
        name,
      ).toEqual([]);
    }
  });

  it('keeps survey_id where the schema asks the launch for it, or where it is not the schema’s own', () => {
    const payload = read(path.join(V2, 'eq_runner_to_downstream/payload_v2/adhoc/surveyresponse_0_0_3.json'));
    const schema = (over: Partial<SchemaSummary>): SchemaSummary => ({
      name: 'mbs_0001',
      surveyType: 'test',
      title: 'MBS',
      theme: 'social',
      metadata: [],
      origin: 'x',
      ...over,
    });
    const dataFor = (s: SchemaSummary) => (relaunchClaims(respondentFromPayload(payload), { nowSeconds: NOW, schema: s }).claims as Json).survey_metadata.data;
    expect(dataFor(schema({ surveyId: '009' })).survey_id).toBeUndefined();
    expect(dataFor(schema({ surveyId: '139' })).survey_id).toBe('009');
    expect(dataFor(schema({ surveyId: '009', metadata: [{ name: 'survey_id', type: 'string' }] })).survey_id).toBe('009');
    // A social schema's receipting key, where the data has it.
    const claims = relaunchClaims(respondentFromPayload(payload), { nowSeconds: NOW, schema: schema({ surveyId: '009' }) }).claims as Json;
    expect(claims.survey_metadata.receipting_keys).toEqual(['qid']);
    // All the metadata there is: the launch must have given it.
    expect(runnerAddedMetadata({ survey_id: '009' })).toEqual([]);
  });

  it('names another schema when asked, and refuses what is not a payload', () => {
    const payload = read(path.join(V2, 'eq_runner_to_downstream/payload_v2/business/surveyresponse_0_0_3_with_cir.json'));
    const out = relaunchClaims(respondentFromPayload(payload), { nowSeconds: NOW, selection: { schema_name: 'test_checkbox' } });
    expect(out.claims.schema_name).toBe('test_checkbox');
    expect(out.claims.cir_instrument_id).toBeUndefined();
    expect(() => respondentFromPayload({ version: 'v3' })).toThrow(/not a downstream payload of version v2 or v1/);
    expect(() => respondentFromPayload({ ...payload, survey_metadata: undefined })).toThrow(/no survey_metadata/);
    const { cir_instrument_id: _c, ...unnamed } = payload;
    expect(() => relaunchClaims(respondentFromPayload(unnamed), { nowSeconds: NOW })).toThrow(/names no questionnaire schema/);
  });

  it('has no response_id to reuse: a payload does not carry it', () => {
    const payload = read(path.join(V2, 'eq_runner_to_downstream/payload_v2/business/surveyresponse_0_0_3_flushed.json'));
    expect(() => relaunchClaims(respondentFromPayload(payload), { nowSeconds: NOW, reuseResponseId: true })).toThrow(
      /does not carry the respondent's response_id/,
    );
  });
});

describe.skipIf(skip !== undefined)('a respondent relaunched from an ONS v1 downstream payload', () => {
  const examples = () => filesIn(path.join(V1, 'eq_runner_to_downstream')).filter((f) => f.endsWith('.json'));

  it('gives v1 claims: the collection and metadata mapped back to the launch claims they came from', () => {
    expect(examples().length).toBeGreaterThanOrEqual(7);
    for (const file of examples()) {
      const payload = read(file);
      const name = path.relative(V1, file);
      const out = relaunchClaims(respondentFromPayload(payload), { nowSeconds: NOW });
      const c = out.claims as Json;
      expect(out.payload, name).toBe('v1');
      expect(c.version, name).toBeUndefined();
      expect(c.survey_metadata, name).toBeUndefined();
      expect(c.schema_name, name).toBe(payload.collection.schema_name);
      expect(c.collection_exercise_sid, name).toBe(payload.collection.exercise_sid);
      expect(c.period_id, name).toBe(payload.collection.period);
      expect(c.form_type, name).toBe(payload.collection.instrument_id);
      expect(c.user_id, name).toBe(payload.metadata.user_id);
      expect(c.ru_ref, name).toBe(payload.metadata.ru_ref);
      expect(c.ref_p_start_date, name).toBe(payload.metadata.ref_period_start_date);
      expect(c.ref_p_end_date, name).toBe(payload.metadata.ref_period_end_date);
      expect(c.display_address, name).toBe(payload.metadata.display_address);
      for (const key of ['case_type', 'case_ref', 'channel', 'region_code']) expect(c[key], `${name} ${key}`).toBe(payload[key]);
      // The older feedback examples have no case_id: the relaunch needs one, and says it made it.
      if (payload.case_id !== undefined) expect(c.case_id, name).toBe(payload.case_id);
      else {
        expect(c.case_id, name).toMatch(UUID);
        expect(out.notes, name).toContain('The payload has no case_id: a new one is given.');
      }
      expect(c.language_code, name).toBe(payload.launch_language_code);
      // The runner's own survey_id (from the schema) is no v1 launch claim.
      expect(c.survey_id, name).toBeUndefined();
      expectFresh(c, payload);
      expect(c.response_id).toMatch(/^[0-9]{16}$/);
      const check = checkLaunch(c, undefined, NOW, { accepts: V1_RUNNER });
      expect(check.payloadVersion, name).toBe('v1');
      expect(check.runnerStatus, `${name}: ${check.verdict}`).toBe(302);
    }
  });

  it('makes up, and says so, what a v1 payload drops but the schema requires', () => {
    const payload = read(path.join(V1, 'eq_runner_to_downstream/payload_v1/surveyresponse_0_0_3.json'));
    const schema: SchemaSummary = {
      name: 'test_relationships',
      surveyType: 'test',
      title: 'Relationships',
      theme: 'default',
      metadata: [
        { name: 'ru_name', type: 'string' },
        { name: 'trad_as', type: 'string', optional: true },
      ],
      origin: 'x',
    };
    const out = relaunchClaims(respondentFromPayload(payload), { nowSeconds: NOW, schema });
    expect(typeof out.claims.ru_name).toBe('string');
    expect(out.claims.trad_as).toBeUndefined();
    expect(out.notes).toContain('Not in the payload, so made up: ru_name.');
    expect(checkLaunch(out.claims, schema.metadata, NOW, { accepts: V1_RUNNER }).runnerStatus).toBe(302);
  });
});

describe.skipIf(skip !== undefined)('a respondent relaunched from their launch token (the ONS launch examples)', () => {
  const launches = () => [
    ...filesIn(path.join(V2, 'rm_to_eq_runner')).map((f) => ({ file: f, version: 'v2' as const })),
    ...filesIn(path.join(V1, 'rm_to_eq_runner')).map((f) => ({ file: f, version: 'v1' as const })),
  ];

  it('keeps every claim but the fresh ones and times, in the same format, with a new response_id', () => {
    expect(launches().length).toBe(4);
    for (const { file, version } of launches()) {
      const token = read(file);
      const name = path.basename(file);
      const out = relaunchClaims(respondentFromClaims(token), { nowSeconds: NOW });
      const c = out.claims as Json;
      expect(out.payload, name).toBe(version);
      expectFresh(c, token);
      expect(c.response_id, name).toMatch(/^[0-9]{16}$/);
      expect(c.response_id, name).not.toBe(token.response_id);
      expect(out.respondentResponseId, name).toBe(token.response_id);
      const fresh = ['jti', 'tx_id', 'iat', 'exp', 'response_expires_at', 'response_id'];
      const rest = (o: Json) => Object.fromEntries(Object.entries(o).filter(([k]) => !fresh.includes(k)));
      expect(rest(c), name).toEqual(rest(token));
      // The runner's claims rules take it (its response deadline has long passed in the example).
      const check = checkLaunch(c, undefined, NOW, { accepts: V1_RUNNER });
      expect(check.runnerStatus, `${name}: ${check.verdict}`).toBe(302);
    }
  });

  it("reuses the respondent's response_id only when asked, and then warns", () => {
    const token = read(path.join(V2, 'rm_to_eq_runner/payload_v2/launch_jwt_social.json'));
    const out = relaunchClaims(respondentFromClaims(token), { nowSeconds: NOW, reuseResponseId: true });
    expect(out.claims.response_id).toBe(token.response_id);
    expect(out.reused).toBe(true);
    expect(out.warning).toBe(`Reusing the respondent's response_id ${token.response_id}: ${REUSE_WARNING}.`);
    expect(REUSE_WARNING).toBe("the runner will open the respondent's stored answers; a launch can change them");
    // The UI's checkbox goes back and forth between the two ids.
    expect(withResponseId(out.claims, out, false).response_id).toBe(out.freshResponseId);
    expect(withResponseId(out.claims, out, true).response_id).toBe(token.response_id);
  });

  it('refuses a flush token and claims of no launch format', () => {
    expect(() => respondentFromClaims({ roles: ['flusher'], response_id: '1', jti: 'x' })).toThrow(/flush token/);
    expect(() => respondentFromClaims({ hello: 'world' })).toThrow(/not a launch of a known format/);
  });

  it('puts another schema in place of the token’s own when asked', () => {
    const token = read(path.join(V2, 'rm_to_eq_runner/payload_v2/launch_jwt_business_cir.json'));
    const out = relaunchClaims(respondentFromClaims(token), { nowSeconds: NOW, selection: { schema_name: 'test_checkbox' } });
    expect(out.claims.schema_name).toBe('test_checkbox');
    expect(out.claims.cir_instrument_id).toBeUndefined();
    expect(out.claims.survey_metadata).toEqual(token.survey_metadata);
  });
});
