// What a runner accepts, without a runner: the words and parsing (shared/runner-capabilities.ts),
// the rules that follow it (runner-rules.ts through judge()), the v1 builder's form_type, and the
// capability service (electron/services/runner) against loopback stand-ins that answer /status
// and /session as a runner of each kind does. The real runners' answers are in
// test/integration/runner-capabilities.test.ts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { compactDecrypt, decodeJwt } from 'jose';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RunnerCapabilityService } from '../../electron/services/runner/capabilities';
import { RunnerRecords } from '../../electron/services/runner/records';
import type { SigningKeys } from '../../electron/services/tokens/jwt-profile';
import { buildLaunchClaims, convertClaims, newClaims, NO_FORM_TYPE, v1FormType } from '../../shared/launch';
import type { SchemaSummary } from '../../shared/launch-types';
import { acceptanceOf, parseAccepts, type RunnerAcceptance, type RunnerCapabilities } from '../../shared/runner-capabilities';
import { judge } from '../../shared/verdict';
import { codes, legacySeed003, NOW, validV1, validV2 } from './claims-fixtures';

const TAKES_BOTH: RunnerAcceptance = { versions: ['v1', 'v2'], known: true, basis: 'detected by a test' };
const V2_ONLY: RunnerAcceptance = { versions: ['v2'], known: true, basis: 'detected by a test' };
const V1_ONLY: RunnerAcceptance = { versions: ['v1'], known: true, basis: 'set by a test' };
const NOT_CHECKED = acceptanceOf({ runnerUrl: 'http://127.0.0.1:9', accepts: null, source: 'unknown', summary: '', problem: 'connection refused' });

const verdictOn = (claims: Record<string, unknown>, accepts?: RunnerAcceptance) => judge({ kind: 'claims', claims }, { nowSeconds: NOW, runner: { accepts } });

describe('--runner-accepts and the words for what a runner accepts', () => {
  it('reads v1,v2 | v2 | v1 in any order and spacing, and nothing else', () => {
    expect(parseAccepts('v1,v2')).toEqual(['v1', 'v2']);
    expect(parseAccepts(' V2 , v1 ')).toEqual(['v1', 'v2']);
    expect(parseAccepts('v2')).toEqual(['v2']);
    expect(parseAccepts('v1')).toEqual(['v1']);
    for (const bad of ['', 'v3', 'v1,v3', 'legacy', ',']) expect(parseAccepts(bad), bad).toBeUndefined();
  });

  it('says how it is known: set by the user, detected (with the probe answers and the runner version), or not checked', () => {
    const detected = {
      runnerUrl: 'http://r',
      accepts: ['v2'],
      source: 'detected',
      summary: '',
      detected: { accepts: ['v2'], at: '2026-12-02T06:22:00.000Z', runnerVersion: '771844c3a22c', answers: { v1: 403, v2: 500 } },
    } satisfies RunnerCapabilities;
    expect(acceptanceOf(detected)).toEqual({
      versions: ['v2'],
      known: true,
      basis:
        'detected 2026-12-02 06:22 UTC: the runner refused a v1 probe token (403) and let a v2 probe token past its claim checks (500 on a schema that does not exist); /status version 771844c',
    });
    expect(acceptanceOf({ ...detected, source: 'override', override: { accepts: ['v1', 'v2'], by: 'environment' } })).toMatchObject({
      versions: ['v1', 'v2'],
      basis: 'as set for this environment',
    });
    expect(NOT_CHECKED).toEqual({
      versions: ['v2'],
      known: false,
      basis: 'not checked: connection refused; the console assumes v2 only, as for every runner since v14',
    });
  });
});

describe('the verdict follows what the runner accepts', () => {
  it('a valid v1 launch: 302 on a runner that takes v1, 403 on one that does not, saying how that is known', () => {
    expect(verdictOn(validV1(), TAKES_BOTH)).toMatchObject({ runnerStatus: 302, payloadVersion: 'v1' });
    expect(verdictOn(validV1(), V1_ONLY).runnerStatus).toBe(302);
    const refused = verdictOn(validV1(), V2_ONLY);
    expect(refused.runnerStatus).toBe(403);
    expect(refused.verdict).toContain('this runner accepts only version "v2" (detected by a test); runners before v14 accept v1');
    // Without anything known the console says what it always said.
    expect(verdictOn(validV1()).verdict).toContain('this runner (v14+) accepts only version "v2"; older runners accept v1');
  });

  it('a runner that could not be asked is taken to be v2 only, and the verdict says it could not check', () => {
    const v = verdictOn(validV1(), NOT_CHECKED);
    expect(v.runnerStatus).toBe(403);
    expect(v.verdict).toContain('(not checked: connection refused; the console assumes v2 only, as for every runner since v14)');
    expect(verdictOn(validV2(), NOT_CHECKED).runnerStatus).toBe(302);
  });

  it("on a runner that takes v1, v1's own rules refuse with 403: no ru_ref, no schema, no response_id to build", () => {
    const noRuRef = validV1();
    delete noRuRef.ru_ref;
    const v = verdictOn(noRuRef, TAKES_BOTH);
    expect(v.runnerStatus).toBe(403);
    expect(v.verdict).toBe('The runner would refuse this token with 403: ru_ref is required by the runner.');
    // On a v2-only runner the same gap is a note for older runners, and the version decides.
    expect(verdictOn(noRuRef, V2_ONLY).problems.find((p) => p.path === 'ru_ref')?.message).toMatch(/^for runners before v14/);

    const noSchema = validV1();
    delete noSchema.eq_id;
    expect(verdictOn(noSchema, TAKES_BOTH).verdict).toContain('either schema_name or both eq_id and form_type must be given');
    const noResponseId: Record<string, unknown> = { ...validV1(), schema_name: 'mbs_0253' };
    delete noResponseId.response_id;
    delete noResponseId.eq_id;
    expect(verdictOn(noResponseId, TAKES_BOTH).runnerStatus).toBe(403);
    expect(codes(verdictOn(validV1(), TAKES_BOTH).problems).filter((c) => c.startsWith('v1.') || c.startsWith('version.'))).toEqual([]);
  });

  it('a v1 token expired, or seen before, is 401 whatever the runner accepts', () => {
    const expired = { ...validV1(), exp: NOW - 1 };
    for (const accepts of [TAKES_BOTH, V2_ONLY]) expect(verdictOn(expired, accepts).runnerStatus).toBe(401);
  });

  it('a first-generation token is 403 on every runner: it has no jti', () => {
    const legacy = { ...legacySeed003(), iat: NOW, exp: NOW + 600 };
    for (const accepts of [TAKES_BOTH, V2_ONLY, undefined]) {
      const v = verdictOn(legacy, accepts);
      expect(v.runnerStatus, JSON.stringify(accepts)).toBe(403);
      expect(v.verdict).toContain('jti is missing');
    }
  });

  it('a v2 token on a runner that takes only v1 is refused, saying so', () => {
    const v = verdictOn(validV2(), V1_ONLY);
    expect(v.runnerStatus).toBe(403);
    expect(v.verdict).toContain('this runner accepts only version "v1" (set by a test)');
  });
});

describe("the v1 builder's form_type, which the runner hands downstream as collection.instrument_id", () => {
  const schema = (name: string, extra: Partial<SchemaSummary> = {}): SchemaSummary => ({
    name,
    surveyType: 'test',
    title: name,
    theme: 'default',
    origin: `http://runner/schemas/${name}`,
    metadata: [
      { name: 'user_id', type: 'string' },
      { name: 'period_id', type: 'string' },
      { name: 'ru_name', type: 'string' },
    ],
    ...extra,
  });
  const v1 = (s: SchemaSummary) => newClaims({ payload: 'v1', schema: s, nowSeconds: NOW });

  it("takes the schema's own form_type, else the one its name holds by the runner's <eq_id>_<form_type> rule", () => {
    expect(v1(schema('test_checkbox', { formType: 'H' })).form_type).toBe('H');
    expect(v1(schema('mbs_0253')).form_type).toBe('0253');
    expect(v1(schema('test_checkbox')).form_type).toBe('checkbox');
    expect(v1FormType(undefined, 'census')).toBeUndefined();
    // A v1 launch selected by eq_id + form_type keeps the user's.
    expect(newClaims({ payload: 'v1', schema: schema('mbs_0253'), selection: { eq_id: 'mbs', form_type: '0106' }, nowSeconds: NOW }).form_type).toBe('0106');
  });

  it('where nothing tells, leaves it out and the verdict says what the downstream payload will lack', () => {
    const claims = v1(schema('census'));
    expect(claims.form_type).toBeUndefined();
    const v = verdictOn(claims, TAKES_BOTH);
    expect(v.runnerStatus).toBe(302);
    expect(v.verdict).toBe(`The runner would accept this token and start the questionnaire (302). Note: ${NO_FORM_TYPE}.`);
    // Given by the user (--set form_type=… or the form's field), the note goes.
    const given = buildLaunchClaims({ payload: 'v1', schema: schema('census'), nowSeconds: NOW }, { sets: [{ path: 'form_type', raw: '0001' }] });
    expect(given.form_type).toBe('0001');
    expect(verdictOn(given, TAKES_BOTH).verdict).not.toContain('Note:');
    // v2 claims are not concerned.
    expect(verdictOn(validV2(), TAKES_BOTH).verdict).not.toContain('instrument_id');
  });

  it('switching v2 claims to v1 fills it from the schema name too', () => {
    const v2 = newClaims({ payload: 'v2', schema: schema('mbs_0253', { theme: 'social' }), nowSeconds: NOW });
    expect((v2.survey_metadata as { data: Record<string, unknown> }).data.form_type).toBeUndefined();
    expect(convertClaims(v2, 'v1', { nowSeconds: NOW }).form_type).toBe('0253');
  });
});

// ---- the capability service, against loopback stand-ins ---------------------------------------------

type Kind = 'v2-only' | 'v1-and-v2' | 'untrusting' | 'silent';

const signer = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const recipient = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEYS: SigningKeys = { signer: { kid: 'a'.repeat(40), key: signer.privateKey }, recipient: { kid: 'b'.repeat(40), key: recipient.publicKey } };

interface StandIn {
  url: string;
  /** The launch versions of the probe tokens it was sent, in arrival order. */
  probes: string[];
  kind: Kind;
  version: string | null;
  close(): Promise<void>;
}

/**
 * Answers /status, and /session as a runner of its kind answers the probe tokens, which it opens
 * with the recipient's private key: 500 for a version it takes (no such schema), 403 otherwise.
 */
async function standIn(kind: Kind, version: string | null = 'abc1234', port = 0): Promise<StandIn> {
  const self = { probes: [] as string[], kind, version } as StandIn;
  const server = http.createServer((req, res) => {
    if (self.kind === 'silent') return; // takes the connection, never answers
    if (req.url === '/status') return void res.end(JSON.stringify({ status: 'OK', version: self.version }));
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
    if (!req.url?.startsWith('/session?') || !token) return void res.writeHead(404).end();
    void compactDecrypt(token, recipient.privateKey).then(({ plaintext }) => {
      const claims = decodeJwt(new TextDecoder().decode(plaintext));
      const version = claims.version === 'v2' ? 'v2' : 'v1';
      self.probes.push(version);
      const takes = self.kind === 'v1-and-v2' || (self.kind === 'v2-only' && version === 'v2');
      res.writeHead(takes ? 500 : 403).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  self.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return self;
}

describe('the capability service', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-capabilities-'));
  const started: StandIn[] = [];

  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  /** A new service, as a new process makes one: nothing kept in memory, the record on disk shared. */
  function service(override?: RunnerCapabilities['override'], timeouts?: { statusMs?: number; probeMs?: number }) {
    const records = new RunnerRecords(home);
    return new RunnerCapabilityService({ keys: async () => KEYS, records: () => records, override: () => override, timeouts });
  }
  const run = async (kind: Kind, version?: string | null) => {
    const s = await standIn(kind, version);
    started.push(s);
    return s;
  };

  it('keeps what a probe found per runner URL: a new service asks /status but sends no probe again; refresh does', async () => {
    const runner = await run('v1-and-v2');
    const first = await service().capabilities(runner.url);
    expect(first).toMatchObject({ accepts: ['v1', 'v2'], source: 'detected', detected: { answers: { v1: 500, v2: 500 }, runnerVersion: 'abc1234' } });
    expect(first.cached).toBeUndefined();
    expect(runner.probes.sort()).toEqual(['v1', 'v2']);
    const again = await service().capabilities(runner.url);
    expect(again).toMatchObject({ accepts: ['v1', 'v2'], source: 'detected', cached: true });
    expect(runner.probes).toHaveLength(2);
    await service().capabilities(runner.url, { refresh: true });
    expect(runner.probes).toHaveLength(4);
  });

  it('probes again when the runner at the URL reports another version (it was upgraded)', async () => {
    const runner = await run('v1-and-v2', 'f66d774');
    expect((await service().capabilities(runner.url)).accepts).toEqual(['v1', 'v2']);
    runner.kind = 'v2-only';
    runner.version = '771844c';
    const upgraded = await service().capabilities(runner.url);
    expect(upgraded).toMatchObject({ accepts: ['v2'], source: 'detected', detected: { runnerVersion: '771844c' } });
    expect(upgraded.cached).toBeUndefined();
    expect(runner.probes).toHaveLength(4);
  });

  it('v2 only: the v1 probe refused while the v2 one gets past the claim checks', async () => {
    const runner = await run('v2-only');
    const caps = await service().capabilities(runner.url);
    expect(caps).toMatchObject({ accepts: ['v2'], source: 'detected', detected: { answers: { v1: 403, v2: 500 } } });
    expect(caps.summary).toContain(`The runner at ${runner.url} accepts only v2 (detected `);
  });

  it('a runner that refuses both probes (it does not trust the keys) tells nothing: unknown, and why', async () => {
    const runner = await run('untrusting');
    const caps = await service().capabilities(runner.url);
    expect(caps).toMatchObject({ accepts: null, source: 'unknown' });
    expect(caps.problem).toContain('refused both probe tokens (403): it does not trust the launch keys');
    expect(acceptanceOf(caps)).toMatchObject({ versions: ['v2'], known: false });
  });

  it('a runner that is down is unknown, saying so; one that never answers is unknown within the timeout, not a hang', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const caps = await service().capabilities(down);
    expect(caps).toMatchObject({ accepts: null, source: 'unknown', problem: `cannot reach the runner at ${down}: connection refused` });
    expect(caps.summary).toContain('it assumes v2 only');

    const silent = await run('silent');
    const quiet = await service(undefined, { statusMs: 300 }).capabilities(silent.url);
    expect(quiet).toMatchObject({ accepts: null, source: 'unknown', problem: `cannot reach the runner at ${silent.url}: no answer within 0.3 s` });
  });

  it("the user's word wins and the runner is not probed for it; what was detected before is still shown", async () => {
    const runner = await run('v2-only');
    await service().capabilities(runner.url);
    const told = await service({ accepts: ['v1', 'v2'], by: 'environment' }).capabilities(runner.url);
    expect(told).toMatchObject({ accepts: ['v1', 'v2'], source: 'override', detected: { accepts: ['v2'] }, cached: true });
    expect(told.summary).toContain('is taken to accept v1 and v2, as this environment’s setting says; the console detected only v2');
    expect(runner.probes).toHaveLength(2);
    expect(verdictOn(validV1(), acceptanceOf(told)).runnerStatus).toBe(302);
  });
});
