// What each runner accepts, against both real runners: ../shared/runner-kit (771844c, v2 only) and
// ../shared/runner-kit-v13 (v13.6.1, v1 and v2), each on loopback. The console finds out by itself
// (electron/services/runner), keeps the answer per runner, and judges by it: the RUNNER-CONTRACT §3
// rows that differ between v1 and v2 are predicted as each runner answers them; `launch --payload v1`
// prints a URL for v13 without --force and refuses for the current runner, saying why; and a v1
// launch on v13, answered and flushed, comes back as a v1 payload the console calls valid.
//
// The console here is a user's: a config folder whose ring holds the runner checkout's keys
// (`keys import --runner-checkout`), so it mints launches and opens tokens alike, and the command
// line runs in this process (runCli) as bin/eq-console would run it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { createServices, type Services } from '../../electron/services/index';
import { NO_FORM_TYPE } from '../../shared/launch/form-type';
import { respond, runnerKitMissing, startRunnerKit, type KitName, type RunnerKit } from '../support/runner-kit';
import { ONS, RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';

type Claims = Record<string, unknown>;

const RUNNER_CHECKOUT = path.join(ONS, 'runner');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-capabilities-'));
const now = () => Math.floor(Date.now() / 1000);
const iso = (secondsFromNow: number) => new Date((now() + secondsFromNow) * 1000).toISOString().replace(/\.\d+Z$/, '+00:00');

const missing = skipReason(sharedMissing(), runnerKitMissing('current'), runnerKitMissing('v13'));

const kits = {} as Record<KitName, RunnerKit>;

beforeAll(async () => {
  if (missing) return;
  process.env.EQ_CONSOLE_HOME = home;
  const [current, v13] = await Promise.all([startRunnerKit({ kit: 'current' }), startRunnerKit({ kit: 'v13' })]);
  Object.assign(kits, { current, v13 });
  const imported = await eqConsole(['keys', 'import', '--runner-checkout', RUNNER_CHECKOUT]);
  expect(imported.code, imported.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(kits).map((k) => k.close()));
  fs.rmSync(home, { recursive: true, force: true });
});

/** bin/eq-console's entry, in this process, against the throwaway config folder. */
async function eqConsole(args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: async () => input });
  return { code, stdout, stderr };
}

async function mint(claims: Claims): Promise<string> {
  const r = await eqConsole(['token', 'mint', '--keys', RUNNER_KEYS_DIR], JSON.stringify(claims));
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** `token inspect --runner <kit> --json`, asked before the token is sent (the runner consumes its jti). */
async function predict(kit: RunnerKit, token: string): Promise<{ runnerStatus: number; verdict: string }> {
  const r = await eqConsole(['token', 'inspect', '--runner', kit.url, '--json', token]);
  const report = JSON.parse(r.stdout) as { runnerStatus: number; problems: { message: string }[] };
  const human = await eqConsole(['token', 'inspect', '--runner', kit.url, token]);
  return { runnerStatus: report.runnerStatus, verdict: human.stdout.split('\n')[0]! };
}

async function send(kit: RunnerKit, token: string): Promise<number> {
  const res = await fetch(`${kit.url}/session?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

const sessionRequests = async (kit: RunnerKit) => (await kit.requests()).filter((r) => r.startsWith('GET /session')).length;

// ---- claims: test_checkbox asks for user_id, period_id and ru_name ---------------------------------

const METADATA = { user_id: 'UNKNOWN', period_id: '201605', ru_name: 'ESSENTIAL ENTERPRISE LTD.' };

/** Valid v1 claims for test_checkbox; undefined removes a claim. */
function v1(overrides: Claims = {}): Claims {
  const claims: Claims = {
    jti: crypto.randomUUID(),
    tx_id: crypto.randomUUID(),
    iat: now(),
    exp: now() + 600,
    case_id: crypto.randomUUID(),
    collection_exercise_sid: crypto.randomUUID(),
    response_id: crypto.randomBytes(8).toString('hex'),
    account_service_url: 'http://localhost:8000',
    response_expires_at: iso(86_400),
    schema_name: 'test_checkbox',
    language_code: 'en',
    ru_ref: '12345678901A',
    form_type: '0001',
    ...METADATA,
    ...overrides,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return claims;
}

function v2(overrides: Claims = {}): Claims {
  const { ru_ref: _r, form_type: _f, user_id: _u, period_id: _p, ru_name: _n, ...launch } = v1();
  const claims: Claims = { version: 'v2', ...launch, survey_metadata: { data: { ...METADATA } }, ...overrides };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return claims;
}

/** A first-generation token (seed 001's shape): no jti, no version, eq_id + form_type. */
function legacy(): Claims {
  return {
    tx_id: crypto.randomUUID(),
    iat: now(),
    exp: now() + 600,
    eq_id: 'test',
    form_type: 'checkbox',
    collection_exercise_sid: crypto.randomUUID(),
    response_id: crypto.randomBytes(8).toString('hex'),
    case_id: crypto.randomUUID(),
    account_service_url: 'http://localhost:8000',
    ru_ref: '12345678901A',
    ...METADATA,
  };
}

// ---------------------------------------------------------------------------------------------------

describe.skipIf(missing)('finding out what each runner accepts', () => {
  let services: Services;
  let servicesHome: string;
  /** A console as a new process makes one: nothing in memory, runners.json on disk. */
  const fresh = () => createServices({ configDir: servicesHome, mode: 'cli', keyStore: RUNNER_KEYS_DIR });

  beforeAll(async () => {
    servicesHome = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-capabilities-services-'));
    services = await fresh();
  });
  afterAll(async () => {
    await services?.shutdown();
    if (servicesHome) fs.rmSync(servicesHome, { recursive: true, force: true });
  });

  it('runner-kit is v2 only and runner-kit-v13 takes v1 and v2, each told by its answers to the probes, with its /status version', async () => {
    const before = { current: await sessionRequests(kits.current), v13: await sessionRequests(kits.v13) };
    const current = await services.runners.capabilities(kits.current.url);
    expect(current, current.problem).toMatchObject({ accepts: ['v2'], source: 'detected', detected: { accepts: ['v2'], answers: { v1: 403, v2: 500 } } });
    expect(current.detected!.runnerVersion).toMatch(/^771844c/);
    expect(current.summary).toMatch(/accepts only v2 \(detected .*: the runner refused a v1 probe token \(403\)/);
    const v13 = await services.runners.capabilities(kits.v13.url);
    expect(v13, v13.problem).toMatchObject({ accepts: ['v1', 'v2'], source: 'detected', detected: { answers: { v1: 500, v2: 500 } } });
    expect(v13.detected!.runnerVersion).toMatch(/^f66d774/);
    // Two probe tokens each, no more.
    expect({ current: await sessionRequests(kits.current), v13: await sessionRequests(kits.v13) }).toEqual({
      current: before.current + 2,
      v13: before.v13 + 2,
    });
  });

  it('the probes start no session: each stops at the claims (403) or at loading a schema that does not exist (500)', async () => {
    for (const kit of [kits.current, kits.v13]) {
      const probed = (await kit.logLines()).filter((l) => String(l.schema_name ?? '').startsWith('eq_console_probe_'));
      expect(probed.length, kit.url).toBeGreaterThan(0);
      const events = new Set(probed.map((l) => l.event));
      expect(events.has('user authenticated') || events.has('decrypted token and parsed metadata'), [...events].join(', ')).toBe(false);
      const answers = probed.filter((l) => l.event === 'response').map((l) => l.status_code);
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.every((s) => s === 403 || s === 500)).toBe(true);
    }
  });

  it('a second console (another process) asks /status and probes no more; refresh probes again', async () => {
    const before = await sessionRequests(kits.v13);
    const again = await (await fresh()).runners.capabilities(kits.v13.url);
    expect(again).toMatchObject({ accepts: ['v1', 'v2'], source: 'detected', cached: true });
    expect(await sessionRequests(kits.v13)).toBe(before);
    const refreshed = await (await fresh()).runners.capabilities(kits.v13.url, { refresh: true });
    expect(refreshed.cached).toBeUndefined();
    expect(await sessionRequests(kits.v13)).toBe(before + 2);
  });

  it('a runner that cannot be reached is unknown: v2 only is assumed, and the verdict on v1 says it could not check', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const caps = await services.runners.capabilities(down);
    expect(caps).toMatchObject({ accepts: null, source: 'unknown', problem: `cannot reach the runner at ${down}: connection refused` });
    const r = await eqConsole(['launch', '--runner', down, '--schema-url', `${kits.v13.url}/schemas/test_checkbox`, '--payload', 'v1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`The console could not find out which launch versions the runner at ${down} accepts (cannot reach the runner at ${down}`);
    expect(r.stderr).toContain('this runner accepts only version "v2" (not checked: cannot reach the runner');
  });

  it("the environment's setting wins over what was detected, and clearing it goes back to finding out", async () => {
    const env = await services.environments.save({ name: 'Current kit', runnerUrl: kits.current.url });
    await services.environments.activate(env.id);
    const told = await services.runners.setAccepts(env.id, ['v1', 'v2']);
    expect(told.runnerAccepts).toEqual(['v1', 'v2']);
    expect((await services.environments.list()).find((e) => e.id === env.id)?.runnerAccepts).toEqual(['v1', 'v2']);
    const caps = await services.runners.capabilities();
    expect(caps).toMatchObject({ runnerUrl: kits.current.url, accepts: ['v1', 'v2'], source: 'override', detected: { accepts: ['v2'] } });
    const v1Claims = v1();
    expect((await services.launch.check(v1Claims)).runnerStatus).toBe(302);
    await services.runners.setAccepts(env.id, null);
    expect(await services.runners.capabilities()).toMatchObject({ accepts: ['v2'], source: 'detected' });
    const judged = await services.launch.check(v1Claims);
    expect(judged.runnerStatus).toBe(403);
    expect(judged.verdict).toContain('this runner accepts only version "v2" (detected ');
  });
});

describe.skipIf(missing)('RUNNER-CONTRACT §3 rows that differ between v1 and v2: the console predicts what each runner answers', () => {
  const rows: Record<string, { current: number; v13: number; token: () => Promise<string> }> = {
    'a valid v1 launch': { current: 403, v13: 302, token: () => mint(v1()) },
    'v1 selecting its schema by eq_id + form_type (test + checkbox)': {
      current: 403,
      v13: 302,
      token: () => mint(v1({ schema_name: undefined, eq_id: 'test', form_type: 'checkbox' })),
    },
    'v1 naming a schema the runner does not have': { current: 403, v13: 500, token: () => mint(v1({ schema_name: 'no_such_schema' })) },
    'v1 without ru_ref': { current: 403, v13: 403, token: () => mint(v1({ ru_ref: undefined })) },
    'v1 with a tx_id that is not a UUID': { current: 403, v13: 403, token: () => mint(v1({ tx_id: 'abc' })) },
    // NOTE (a defect of RUNNER-CONTRACT.md §3 v1, which lists response_id as required): v13.6.1
    // builds one from ru_ref, collection_exercise_sid, eq_id and form_type when it is absent.
    'v1 without response_id, selecting by eq_id + form_type (the runner builds one)': {
      current: 403,
      v13: 302,
      token: () => mint(v1({ response_id: undefined, schema_name: undefined, eq_id: 'test', form_type: 'checkbox' })),
    },
    'v1 without response_id, and no eq_id + form_type to build one from': {
      current: 403,
      v13: 403,
      token: () => mint(v1({ response_id: undefined, form_type: undefined })),
    },
    'v1 without the metadata the questionnaire requires (ru_name)': { current: 403, v13: 403, token: () => mint(v1({ ru_name: undefined })) },
    'v1 expired': { current: 401, v13: 401, token: () => mint(v1({ exp: now() - 1 })) },
    'a first-generation token (no jti)': { current: 403, v13: 403, token: () => mint(legacy()) },
    'a valid v2 launch': { current: 302, v13: 302, token: () => mint(v2()) },
    'v2 without survey_metadata': { current: 403, v13: 403, token: () => mint(v2({ survey_metadata: undefined })) },
  };
  for (const kit of ['current', 'v13'] as const) {
    for (const [name, row] of Object.entries(rows)) {
      it(`${kit}: ${name}: ${row[kit]}`, async () => {
        const token = await row.token();
        const predicted = await predict(kits[kit], token);
        expect({ runner: await send(kits[kit], token), console: predicted.runnerStatus }).toEqual({ runner: row[kit], console: row[kit] });
      });
    }
  }

  it('a first-generation launch built by `launch --payload legacy` is predicted 403 on both, and both answer 403', async () => {
    for (const kit of [kits.current, kits.v13]) {
      const r = await eqConsole(['launch', '--runner', kit.url, '--schema-name', 'test_checkbox', '--payload', 'legacy', '--json', '--force']);
      expect(r.code, r.stderr).toBe(0);
      const launched = JSON.parse(r.stdout) as { url: string; runnerStatus: number; verdict: string };
      expect(launched.verdict).toContain('jti is missing');
      const res = await fetch(launched.url, { redirect: 'manual' });
      expect({ runner: res.status, console: launched.runnerStatus }).toEqual({ runner: 403, console: 403 });
    }
  });
});

describe.skipIf(missing)('`launch --payload v1` on each runner', () => {
  it('prints the URL for runner-kit-v13 without --force, and the runner starts the questionnaire', async () => {
    const r = await eqConsole(['launch', '--runner', kits.v13.url, '--schema-name', 'test_checkbox', '--payload', 'v1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/accepts v1 and v2 \(detected /);
    expect(r.stderr).toContain('The runner would accept this token and start the questionnaire (302).');
    const url = r.stdout.trim().split('\n').pop()!;
    expect(url.startsWith(`${kits.v13.url}/session?token=`)).toBe(true);
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(302);
  });

  it('refuses for runner-kit, naming what was detected and how, and prints no URL', async () => {
    const r = await eqConsole(['launch', '--runner', kits.current.url, '--schema-name', 'test_checkbox', '--payload', 'v1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^The runner would refuse this token with 403: this is a v1 launch token \(no version claim\): this runner accepts only version "v2" \(detected \d{4}-\d\d-\d\d \d\d:\d\d UTC: the runner refused a v1 probe token \(403\) and let a v2 probe token past its claim checks \(500 on a schema that does not exist\); \/status version 771844c\); runners before v14 accept v1\.$/m,
    );
    expect(r.stderr).toContain('say so with --runner-accepts v1,v2');
    expect(r.stderr).toContain('No URL printed');
  });

  it("--runner-accepts is taken at its word, either way (and the runner's answer shows when it is wrong)", async () => {
    const forced = await eqConsole(['launch', '--runner', kits.current.url, '--runner-accepts', 'v1,v2', '--schema-name', 'test_checkbox', '--payload', 'v1']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('is taken to accept v1 and v2, as --runner-accepts says');
    expect((await fetch(forced.stdout.trim().split('\n').pop()!, { redirect: 'manual' })).status).toBe(403);

    const refused = await eqConsole(['launch', '--runner', kits.v13.url, '--runner-accepts', 'v2', '--schema-name', 'test_checkbox', '--payload', 'v1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('this runner accepts only version "v2" (as --runner-accepts says)');

    const inspected = await eqConsole(['token', 'inspect', '--runner-accepts', 'v1,v2', '--json', await mint(v1())]);
    expect(JSON.parse(inspected.stdout)).toMatchObject({ payloadVersion: 'v1', runnerStatus: 302 });

    const bad = await eqConsole(['launch', '--runner-accepts', 'v3', '--schema-name', 'test_checkbox']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toContain('--runner-accepts takes v2, v1,v2 or v1');
  });
});

describe.skipIf(missing)('a v1 launch on runner-kit-v13, answered and flushed, opens downstream as valid v1', () => {
  const downstream = async () => {
    const opened = await eqConsole(['downstream', '--json', kits.v13.logFile]);
    return opened.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            payloadVersion: string;
            decrypted: boolean;
            signatureValid: boolean;
            valid: boolean;
            problems: { path: string }[];
            payload: Claims;
          },
      );
  };
  const answerAndFlush = async (url: string, claims: Claims) => {
    expect(await respond(url, { 'mandatory-checkbox-answer': 'Ham' })).toMatchObject({ launchStatus: 302, postStatus: 302 });
    const flushed = await eqConsole(['flush', '--runner', kits.v13.url, '--json', '--response-id', String(claims.response_id)]);
    expect(JSON.parse(flushed.stdout)).toMatchObject({ httpStatus: 200, outcome: 'flushed' });
  };

  it('the builder fills form_type from the schema name, so the payload carries collection.instrument_id', async () => {
    const r = await eqConsole(['launch', '--runner', kits.v13.url, '--schema-name', 'test_checkbox', '--payload', 'v1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const launched = JSON.parse(r.stdout) as { url: string; runnerStatus: number; claims: Claims };
    expect(launched).toMatchObject({ runnerStatus: 302, claims: { form_type: 'checkbox', schema_name: 'test_checkbox' } });
    expect(launched.claims.version).toBeUndefined();
    await answerAndFlush(launched.url, launched.claims);

    const mine = (await downstream()).filter((i) => i.payload?.tx_id === launched.claims.tx_id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      payloadVersion: 'v1',
      decrypted: true,
      signatureValid: true,
      valid: true,
      problems: [],
      payload: {
        version: '0.0.3',
        flushed: true,
        case_id: launched.claims.case_id,
        collection: { exercise_sid: launched.claims.collection_exercise_sid, schema_name: 'test_checkbox', instrument_id: 'checkbox' },
        metadata: { ru_ref: '12345678901A', user_id: 'UNKNOWN' },
        data: { answers: [{ answer_id: 'mandatory-checkbox-answer', value: ['Ham'] }] },
      },
    });
  });

  it('a v1 launch without form_type is predicted to lack instrument_id, and its payload is invalid for exactly that', async () => {
    const claims = v1({ form_type: undefined });
    const token = await mint(claims);
    const predicted = await predict(kits.v13, token);
    expect(predicted.runnerStatus).toBe(302);
    expect(predicted.verdict).toBe(`The runner would accept this token and start the questionnaire (302). Note: ${NO_FORM_TYPE}.`);
    await answerAndFlush(`${kits.v13.url}/session?token=${token}`, claims);

    const mine = (await downstream()).find((i) => i.payload?.tx_id === claims.tx_id)!;
    expect(mine).toMatchObject({ payloadVersion: 'v1', decrypted: true, signatureValid: true, valid: false });
    expect(mine.payload.collection).not.toHaveProperty('instrument_id');
    expect(mine.problems.map((p) => p.path)).toEqual(['collection.instrument_id']);
  });
});
