import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkRunner } from '../../shared/claims/runner-rules';
import { predictRunnerStatus, verdict } from '../../shared/claims/predict';
import type { RuleProblem } from '../../shared/inspect-types';
import { codes, isoAt, legacySeed003, NOW, validV1, validV2 } from './claims-fixtures';

const ctx = { nowSeconds: NOW };
const run = (claims: unknown, c: Parameters<typeof checkRunner>[1] = ctx) => checkRunner(claims, c);
const withClaims = (patch: Record<string, unknown>, drop: string[] = []) => {
  const c = { ...validV2(), ...patch };
  for (const k of drop) delete c[k];
  return c;
};
const only = (problems: RuleProblem[], code: string) => {
  const found = problems.filter((p) => p.code === code);
  expect(found, `${code} in ${JSON.stringify(codes(problems))}`).toHaveLength(1);
  return found[0];
};

describe('checkRunner: a valid v2 launch', () => {
  it('has no problems and predicts 302', () => {
    const problems = run(validV2());
    expect(problems).toEqual([]);
    expect(predictRunnerStatus(problems)).toBe(302);
    expect(verdict(problems, 302)).toBe('The runner would accept this token and start the questionnaire (302).');
  });
  it('accepts what the spec refuses: upper-case UUIDs, any language code, roles, a naive expiry', () => {
    const problems = run(
      withClaims({
        case_id: randomUUID().toUpperCase(),
        tx_id: randomUUID().replaceAll('-', ''),
        language_code: 'fr',
        roles: ['dumper'],
        response_expires_at: isoAt(NOW + 86400, ''),
        collection_exercise_sid: '789',
      }),
    );
    expect(problems).toEqual([]);
  });
  it('strips whitespace before validating', () => {
    expect(run(withClaims({ version: ' v2 ', account_service_url: ' https://surveys.example.gov.uk ', case_id: ` ${randomUUID()} ` }))).toEqual([]);
    const p = only(run(withClaims({ collection_exercise_sid: '   ' })), 'claim.empty');
    expect(p).toMatchObject({ path: 'collection_exercise_sid', status: 403, stage: 'runner-claims', source: 'runner' });
  });
});

describe("checkRunner: stage 'token' (the JWT library)", () => {
  it('non-integer iat/exp/nbf strings are 403', () => {
    expect(only(run(withClaims({ iat: 'yesterday' })), 'token.claim-format')).toMatchObject({ path: 'iat', status: 403, stage: 'token' });
    expect(only(run(withClaims({ exp: '1.5' })), 'token.claim-format')).toMatchObject({ path: 'exp', status: 403, stage: 'token' });
    expect(only(run(withClaims({ nbf: 'soon' })), 'token.claim-format')).toMatchObject({ path: 'nbf', status: 403 });
  });
  it('a list or object for exp is an uncaught TypeError: 500', () => {
    const problems = run(withClaims({ exp: [NOW + 600] }));
    expect(only(problems, 'token.claim-crash')).toMatchObject({ path: 'exp', status: 500, stage: 'token' });
    expect(codes(problems)).not.toContain('exp.not-number');
    expect(predictRunnerStatus(problems)).toBe(500);
  });
  it('a non-string jti, iss or typ is 403', () => {
    expect(only(run(withClaims({ jti: 12345 })), 'token.claim-format')).toMatchObject({ path: 'jti', status: 403, stage: 'token' });
    expect(only(run(withClaims({ iss: 5 })), 'token.claim-format').path).toBe('iss');
    expect(only(run(withClaims({ aud: [1] })), 'token.claim-format').path).toBe('aud');
  });
  it('floats, booleans and digit strings pass the JWT library', () => {
    expect(run(withClaims({ iat: 1.5, nbf: true }))).toEqual([]);
    expect(run(withClaims({ iat: String(NOW) }))).toEqual([]);
  });
});

describe("checkRunner: stage 'exp'", () => {
  it('exp missing is 500', () => {
    const problems = run(withClaims({}, ['exp']));
    expect(only(problems, 'exp.missing')).toMatchObject({ path: 'exp', status: 500, stage: 'exp' });
    expect(predictRunnerStatus(problems)).toBe(500);
  });
  it('exp as a digit string passes the JWT library and then fails fromtimestamp: 500', () => {
    const p = only(run(withClaims({ exp: String(NOW + 600) })), 'exp.not-number');
    expect(p).toMatchObject({ status: 500, stage: 'exp' });
  });
  it('exp null is 500', () => expect(only(run(withClaims({ exp: null })), 'exp.not-number').status).toBe(500));
  it('exp in the past, or this very second, is 401 with no leeway', () => {
    expect(only(run(withClaims({ exp: NOW - 1 })), 'exp.expired')).toMatchObject({ status: 401, stage: 'exp' });
    expect(only(run(withClaims({ exp: NOW })), 'exp.expired').status).toBe(401);
    expect(run(withClaims({ exp: NOW + 1 }))).toEqual([]);
  });
  it('exp true means 1970: expired', () => expect(only(run(withClaims({ exp: true })), 'exp.expired').status).toBe(401));
  it('exp beyond the year 9999 is 500', () => expect(only(run(withClaims({ exp: 1e12 })), 'exp.out-of-range').status).toBe(500));
});

describe("checkRunner: stage 'jti'", () => {
  it('missing or null is 403', () => {
    expect(only(run(withClaims({}, ['jti'])), 'jti.missing')).toMatchObject({ path: 'jti', status: 403, stage: 'jti' });
    expect(only(run(withClaims({ jti: null })), 'jti.missing').status).toBe(403);
  });
  it('not a UUID is 403', () => {
    expect(only(run(withClaims({ jti: 'not-a-uuid' })), 'jti.invalid')).toMatchObject({ status: 403, stage: 'jti' });
  });
  it('any UUID Python parses is fine', () => {
    expect(run(withClaims({ jti: randomUUID().toUpperCase() }))).toEqual([]);
    expect(run(withClaims({ jti: `{urn:uuid:${randomUUID()}}` }))).toEqual([]);
  });
  it('a jti seen before is 401', () => {
    const claims = validV2();
    const seen = new Set([claims.jti as string]);
    const problems = run(claims, { nowSeconds: NOW, jtiSeen: (j) => seen.has(j) });
    expect(only(problems, 'jti.used')).toMatchObject({ status: 401, stage: 'jti' });
    expect(predictRunnerStatus(problems)).toBe(401);
  });
});

describe("checkRunner: stage 'runner-claims'", () => {
  it.each(['tx_id', 'case_id', 'collection_exercise_sid', 'response_id', 'account_service_url', 'response_expires_at'])('missing %s is 403', (name) => {
    const p = only(run(withClaims({}, [name])), 'claim.required');
    expect(p).toMatchObject({ path: name, status: 403, stage: 'runner-claims' });
  });
  it('without version the claims read as v1, refused as such', () => {
    expect(only(run(withClaims({}, ['version'])), 'version.v1-removed')).toMatchObject({ path: 'version', status: 403, stage: 'runner-claims' });
  });
  it('iat is not required by the runner', () => expect(run(withClaims({}, ['iat']))).toEqual([]));
  it('version must be "v2"', () => {
    expect(only(run(withClaims({ version: 'v3' })), 'claim.value')).toMatchObject({ path: 'version', status: 403 });
  });
  it('URLs: single-label hosts fail, localhost passes', () => {
    expect(only(run(withClaims({ account_service_url: 'http://launcher:8000' })), 'claim.url')).toMatchObject({ path: 'account_service_url', status: 403 });
    expect(run(withClaims({ account_service_url: 'http://localhost:8000' }))).toEqual([]);
    expect(only(run(withClaims({ schema_name: undefined, schema_url: 'http://schemas:5000/x.json' }, ['schema_name'])), 'claim.url').path).toBe('schema_url');
  });
  it('region_code must be GB- and three capitals', () => {
    expect(run(withClaims({ region_code: 'GB-WLS' }))).toEqual([]);
    expect(only(run(withClaims({ region_code: 'GB-wls' })), 'claim.pattern')).toMatchObject({ path: 'region_code', status: 403 });
    expect(only(run(withClaims({ region_code: 'GB-ENGL' })), 'claim.pattern').path).toBe('region_code');
  });
  it('response_expires_at must be a date-time in the future, offset ignored', () => {
    expect(only(run(withClaims({ response_expires_at: isoAt(NOW - 60) })), 'claim.past')).toMatchObject({ path: 'response_expires_at', status: 403 });
    expect(only(run(withClaims({ response_expires_at: '2030-01-01' })), 'claim.datetime').status).toBe(403);
    // 30 minutes ago as clock time, but 4.5 hours ahead as an instant: the runner calls it past.
    expect(only(run(withClaims({ response_expires_at: isoAt(NOW - 1800, '-05:00') })), 'claim.past').path).toBe('response_expires_at');
  });
  it('exactly one of schema_name, schema_url, cir_instrument_id', () => {
    expect(only(run(withClaims({}, ['schema_name'])), 'schema.none')).toMatchObject({ path: '', status: 403, stage: 'runner-claims' });
    expect(only(run(withClaims({ cir_instrument_id: randomUUID() })), 'schema.several').message).toContain('schema_name and cir_instrument_id');
    // An empty string does not count as given.
    expect(run(withClaims({ schema_name: '', schema_url: 'https://schemas.example.com/a.json' }))).toEqual([]);
  });
  it('null is refused even for optional claims', () => {
    expect(only(run(withClaims({ channel: null })), 'claim.null')).toMatchObject({ path: 'channel', status: 403 });
  });
  it('roles must be a list of strings', () => {
    expect(only(run(withClaims({ roles: 'dumper' })), 'claim.type')).toMatchObject({ path: 'roles', status: 403 });
    expect(only(run(withClaims({ roles: ['dumper', 3] })), 'claim.type').path).toBe('roles.1');
  });
  it('survey_metadata: data needs a key, receipting keys must be keys of data, nothing else allowed', () => {
    expect(only(run(withClaims({ survey_metadata: { data: {} } })), 'survey_metadata.data.empty')).toMatchObject({ status: 403, path: 'survey_metadata.data' });
    const rk = only(run(withClaims({ survey_metadata: { data: { ru_ref: 'x' }, receipting_keys: ['qid'] } })), 'survey_metadata.receipting-keys');
    expect(rk).toMatchObject({ path: 'survey_metadata.receipting_keys', status: 403 });
    expect(run(withClaims({ survey_metadata: { data: { qid: '1' }, receipting_keys: ['qid'] } }))).toEqual([]);
    expect(only(run(withClaims({ survey_metadata: { data: { a: 1 }, extra: true } })), 'survey_metadata.unknown').path).toBe('survey_metadata.extra');
  });
  it('survey_metadata or data that is not an object crashes the runner: 500 ahead of 403s', () => {
    for (const sm of ['x', [], 5, { data: 'x' }, { data: null }]) {
      const problems = run(withClaims({ survey_metadata: sm, tx_id: 'bad' }));
      expect(problems[0]).toMatchObject({ code: 'survey_metadata.crash', status: 500, stage: 'runner-claims' });
      expect(predictRunnerStatus(problems)).toBe(500);
    }
    expect(only(run(withClaims({ survey_metadata: null })), 'claim.null').status).toBe(403);
  });
  it('survey_metadata with empty receipting_keys and no data passes validation then crashes', () => {
    const problems = run(withClaims({ survey_metadata: { receipting_keys: [] } }));
    expect(only(problems, 'survey_metadata.no-data')).toMatchObject({ status: 500, stage: 'runner-claims' });
  });
});

describe("checkRunner: stage 'survey-metadata'", () => {
  it('survey_metadata absent is 403 (the questionnaire requires metadata, or is not known), 500 only when it requires none; after everything else', () => {
    const problems = run(withClaims({}, ['survey_metadata']));
    expect(problems).toEqual([expect.objectContaining({ code: 'survey_metadata.absent', status: 403, stage: 'survey-metadata' })]);
    expect(verdict(problems, predictRunnerStatus(problems))).toMatch(/^The runner would refuse this token with 403: survey_metadata is missing/);
    const none = checkRunner(withClaims({}, ['survey_metadata']), { nowSeconds: NOW, metadataRequired: false });
    expect(none).toEqual([expect.objectContaining({ code: 'survey_metadata.absent', status: 500, stage: 'survey-metadata' })]);
  });
  it('survey_metadata {} is fine for the runner', () => expect(run(withClaims({ survey_metadata: {} }))).toEqual([]));
});

describe('checkRunner: v1 and legacy tokens', () => {
  it('v1: refused for want of version, plus what older runners need', () => {
    const claims = validV1();
    delete claims.ru_ref;
    const problems = run(claims);
    const removed = only(problems, 'version.v1-removed');
    expect(removed).toMatchObject({ path: 'version', status: 403, stage: 'runner-claims' });
    expect(removed.message).toContain('accepts only version "v2"; older runners accept v1');
    expect(only(problems, 'schema.none').message).toContain('eq_id + form_type');
    const older = only(problems, 'v1.claim.required');
    expect(older).toMatchObject({ path: 'ru_ref' });
    expect(older.status).toBeUndefined();
    expect(codes(problems)).not.toContain('survey_metadata.absent');
    expect(predictRunnerStatus(problems)).toBe(403);
    expect(verdict(problems, 403)).toBe(
      'The runner would refuse this token with 403: this is a v1 launch token (no version claim): this runner (v14+) accepts only version "v2"; older runners accept v1.',
    );
  });
  it('a complete v1 token has no v1.* problems', () => {
    expect(codes(run(validV1())).filter((c) => c.startsWith('v1.'))).toEqual([]);
  });
  it('v1 without response_id needs eq_id and form_type on older runners', () => {
    const claims = validV1();
    delete claims.response_id;
    delete claims.eq_id;
    claims.schema_name = 'mbs_0253';
    expect(codes(run(claims))).toContain('v1.response_id');
  });
  it('legacy (seed 003): string exp passes the JWT library and crashes the exp check', () => {
    const problems = run(legacySeed003());
    expect(only(problems, 'exp.not-number').status).toBe(500);
    expect(predictRunnerStatus(problems)).toBe(500);
    const legacy = problems.filter((p) => p.code.startsWith('legacy.'));
    expect(legacy.map((p) => p.path)).toEqual(['tx_id', 'account_service_url', 'response_id']);
    expect(legacy.every((p) => p.status === undefined)).toBe(true);
    expect(codes(problems)).toContain('version.legacy-removed');
  });
  it('legacy: at least one of ru_name and trad_as', () => {
    const claims = legacySeed003();
    delete claims.ru_name;
    expect(only(run(claims), 'legacy.ru-name-or-trad-as').path).toBe('ru_name');
  });
});

it('a non-object payload is a 403 at the token stage', () => {
  expect(run([1, 2])).toEqual([expect.objectContaining({ code: 'token.not-object', status: 403, stage: 'token' })]);
});
