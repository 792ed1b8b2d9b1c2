// Inspect's "Relaunch as this respondent" without a browser: the store over a fake ConsoleApi. An
// inspected token's claims reach the Launch screen's builder as a new launch: fresh jti, tx_id,
// iat, exp and response_expires_at from shared/launch, the builder's default lifetime, a new
// response_id (the respondent's own only when chosen), the schema looked up, everything else kept.
import { describe, expect, it, vi } from 'vitest';
import type { ConsoleApi, Environment } from '../../shared/api';
import type { ConsoleEvents } from '../../shared/events';
import type { InspectReport } from '../../shared/inspect-types';
import { DEFAULT_LIFETIME_SECONDS } from '../../shared/launch';
import type { SchemaSummary } from '../../shared/launch-types';
import { inspectedRespondent } from '../../renderer/src/state/inspect-slice';
import { createConsoleStore } from '../../renderer/src/state/store';
import type { ConsoleState } from '../../renderer/src/state/types';
import { withEvents } from '../support/fake-events';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LOCAL: Environment = { id: 'local', name: 'Local runner', runnerUrl: 'http://localhost:5000' };
const now = () => Math.floor(Date.now() / 1000);

const ROUTING: SchemaSummary = {
  name: 'test_metadata_routing',
  surveyType: 'test',
  title: 'Test Metadata Routing',
  theme: 'default',
  surveyId: '999',
  metadata: [
    { name: 'user_id', type: 'string' },
    { name: 'period_id', type: 'string' },
    { name: 'boolean_flag', type: 'boolean' },
    { name: 'ru_name', type: 'string' },
  ],
  origin: 'http://localhost:5000/schemas/test_metadata_routing',
};

/** What a token minted an hour ago with a 5-minute lifetime carries: expired, and its response deadline passed. */
function inspectedClaims(): Record<string, unknown> {
  const then = now() - 3600;
  return {
    version: 'v2',
    jti: '2f1b7c8e-3f0a-4b8e-9c61-0d9d1c3e5a77',
    tx_id: '6a0c2e54-93b1-4d7e-8f20-5b4e1f0a9c33',
    iat: then,
    exp: then + 300,
    case_id: '0b7d8f9a-1c2e-4f3a-8b5c-6d7e8f9a0b1c',
    collection_exercise_sid: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
    response_id: '1234567890123456',
    account_service_url: 'http://localhost:8000',
    response_expires_at: '2020-01-01T00:00:00+00:00',
    schema_name: 'test_metadata_routing',
    language_code: 'cy',
    channel: 'RH',
    roles: ['dumper'],
    survey_metadata: { data: { user_id: 'U1', period_id: '202401', boolean_flag: true, ru_name: 'Inspected Ltd' }, receipting_keys: ['user_id'] },
  };
}

function report(over: Partial<InspectReport> = {}): InspectReport {
  return {
    state: 'runner',
    runnerStatus: 401,
    payloadVersion: 'v2',
    verdict: 'The runner would answer 401: the token expired.',
    problems: [],
    jweHeader: { kid: 'enc' },
    jwsHeader: { kid: 'sig' },
    claims: inspectedClaims(),
    kids: { jwe: null, jws: null },
    ...over,
  };
}

function setup(inspected: InspectReport) {
  const api = withEvents({
    app: { info: vi.fn(async () => ({ mode: 'browser', version: '0.1.0', configDir: '/x', secretStorage: 'file', activeEnvironment: LOCAL })) },
    tokens: { inspect: vi.fn(async () => inspected) },
    schemas: { summary: vi.fn(async (_source: unknown, name: string) => (name === ROUTING.name ? ROUTING : Promise.reject(new Error(`no schema ${name}`)))) },
  });
  const store = createConsoleStore(api as unknown as ConsoleApi & ConsoleEvents);
  return { api, s: () => store.getState() };
}

describe('which claims can be edited', () => {
  it('takes the claims read from the token, or those the console minted into one it cannot open', () => {
    const opened = report();
    expect(inspectedRespondent(opened)).toEqual({ kind: 'claims', claims: opened.claims, source: 'the inspected token' });
    const minted = { historyId: 'h1', at: '2025-01-01T00:00:00.000Z', claims: { version: 'v2', jti: 'x' } };
    const sealed = report({
      state: 'cannot-look-inside',
      runnerStatus: null,
      claims: null,
      minted: { ...minted, check: { payloadVersion: 'v2', runnerStatus: 302, verdict: 'ok', problems: [] } },
    });
    expect(inspectedRespondent(sealed)).toMatchObject({ kind: 'claims', claims: minted.claims });
  });

  it('says why there is nothing to edit when the token could not be opened', () => {
    const sealed = inspectedRespondent(report({ state: 'cannot-look-inside', runnerStatus: null, claims: null }));
    expect(sealed).toEqual({ why: expect.stringMatching(/cannot look inside.*Import the runner's key store/) });
    const refused = inspectedRespondent(report({ runnerStatus: 403, claims: null }));
    expect(refused).toEqual({ why: expect.stringMatching(/could not be opened/) });
  });
});

/** What the Inspect screen's button does with the report on screen. */
async function relaunchInspected(s: () => ConsoleState): Promise<void> {
  const from = inspectedRespondent(s().inspectReport!);
  if (!('why' in from)) await s().relaunchAsRespondent(from);
}

describe('Relaunch as this respondent, from Inspect', () => {
  it('lands on the Launch screen with fresh ids and times, a new response_id, and everything else as the token had it', async () => {
    const { api, s } = setup(report());
    await s().loadInfo();
    s().setInspectInput('a.b.c.d.e');
    await s().inspectToken();
    expect(s().screen).not.toBe('launch');
    const before = s().claims;

    const t0 = now();
    await relaunchInspected(s);
    const t1 = now();
    expect(s().screen).toBe('launch');

    const source = inspectedClaims();
    const { jti, tx_id, iat, exp, response_expires_at, response_id, ...rest } = s().claims;
    expect(jti).toMatch(UUID);
    expect(tx_id).toMatch(UUID);
    expect(jti).not.toBe(source.jti);
    expect(tx_id).not.toBe(source.tx_id);
    expect(jti).not.toBe(before.jti);
    expect(jti).not.toBe(tx_id);
    expect(iat).toBeGreaterThanOrEqual(t0);
    expect(iat).toBeLessThanOrEqual(t1);
    // The builder's default lifetime, not the 5 minutes the token had.
    expect((exp as number) - (iat as number)).toBe(DEFAULT_LIFETIME_SECONDS);
    expect(s().lifetimeMinutes).toBe(DEFAULT_LIFETIME_SECONDS / 60);
    // A response deadline already past would be the runner's 403: a relaunch gets a fresh one.
    expect(Date.parse(response_expires_at as string)).toBeGreaterThan(Date.now());
    // A new response, so the respondent's stored answers are not opened; theirs is one click away.
    expect(response_id).toMatch(/^[0-9]{16}$/);
    expect(response_id).not.toBe(source.response_id);
    expect(s().respondent).toMatchObject({ source: 'the inspected token', respondentResponseId: source.response_id, freshResponseId: response_id });
    const { jti: _j, tx_id: _t, iat: _i, exp: _e, response_expires_at: _r, response_id: _id, ...kept } = source;
    expect(rest).toEqual(kept);

    expect(api.schemas.summary).toHaveBeenCalledWith({ kind: 'runner', runnerUrl: LOCAL.runnerUrl }, ROUTING.name);
    expect(s().schema).toEqual(ROUTING);
    expect(s().payload).toBe('v2');
    expect(JSON.parse(s().rawText)).toEqual(s().claims);
    expect(s().check.runnerStatus).toBe(302);

    s().setReuseResponseId(true);
    expect(s().claims.response_id).toBe(source.response_id);
    s().setReuseResponseId(false);
    expect(s().claims.response_id).toBe(response_id);
  });

  it('takes a v1 token as v1 claims', async () => {
    const now0 = now();
    const v1 = { jti: '2f1b7c8e-3f0a-4b8e-9c61-0d9d1c3e5a77', tx_id: '6a0c2e54-93b1-4d7e-8f20-5b4e1f0a9c33', iat: now0, exp: now0 + 60 };
    const claims = { ...v1, schema_name: 'test_metadata_routing', ru_ref: '12345678901A', user_id: 'U1', period_id: '202401', case_id: v1.jti };
    const { s } = setup(report({ payloadVersion: 'v1', claims }));
    await s().loadInfo();
    await s().inspectToken();
    await relaunchInspected(s);
    expect(s().payload).toBe('v1');
    expect(s().claims.ru_ref).toBe('12345678901A');
    expect(s().claims.jti).not.toBe(v1.jti);
  });

  it('loads the claims even when their schema cannot be read, and says so on the Launch screen', async () => {
    const { s } = setup(report({ claims: { ...inspectedClaims(), schema_name: 'gone_schema' } }));
    await s().loadInfo();
    await s().inspectToken();
    await relaunchInspected(s);
    expect(s().screen).toBe('launch');
    expect(s().claims.schema_name).toBe('gone_schema');
    expect(s().launchErrors.load).toMatch(/schema "gone_schema" could not be read.*no schema gone_schema/);
  });

  it('does nothing when the report has no claims', async () => {
    const { s } = setup(report({ runnerStatus: 403, claims: null }));
    await s().inspectToken();
    const before = s().claims;
    await relaunchInspected(s);
    expect(s().screen).not.toBe('launch');
    expect(s().claims).toBe(before);
  });
});
