// `token forge` against the real runner (../shared/runner-kit): for every kind, the token(s) the
// built CLI prints are sent to GET /session exactly as a browser would (redirects not followed),
// and the runner's answer must be the expectedStatus the CLI printed. The console's one verdict
// must agree: `token inspect --json`, with the runner's own key store (so the console can look
// inside every token the runner can), predicts the same status before the token is sent.
//
// The CLI mints with the console side of the runner's test keys (tests/jwt-test-keys: the
// launcher's signing key, the runner's public encryption key), as runner-contract.test.ts does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedStatuses, FORGE_KINDS, forgeKind, type ForgeKind } from '../../shared/launch/forge-kinds';
import { cli } from '../support/cli';
import { runnerKitMissing, startRunnerKit, type RunnerKit } from '../support/runner-kit';
import { RUNNER_DEV_KEYS, RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';

/** A runner test schema whose metadata (user_id, period_id, ru_name) is required: bad-metadata has something to break. */
const SCHEMA = 'test_textfield';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-forge-'));
const missing = skipReason(sharedMissing(), runnerKitMissing());
let runner: RunnerKit;

beforeAll(async () => {
  if (missing) return;
  runner = await startRunnerKit();
});

afterAll(async () => {
  await runner?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

interface Forged {
  kind: string;
  expectedStatus: number;
  reason: string;
  token: string;
  tokens: string[];
  expectedStatuses: number[];
  urls: string[];
}

async function forge(kind: string, more: string[] = []): Promise<Forged> {
  const r = await cli(['token', 'forge', '--kind', kind, '--json', '--runner', runner.url, '--keys', RUNNER_KEYS_DIR, '--schema-name', SCHEMA, ...more], {
    home,
  });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(r.stdout) as Forged;
}

/** The console's prediction, made with the runner's own key store (its private key opens what it opens). */
async function predict(token: string): Promise<{ runnerStatus: number | null; claims: Record<string, unknown> | null }> {
  const r = await cli(['token', 'inspect', '--keys', RUNNER_DEV_KEYS, '--runner', runner.url, '--json', token], { home });
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return JSON.parse(r.stdout) as { runnerStatus: number | null; claims: Record<string, unknown> | null };
}

/** GET <runner>/session?token=… without following the redirect: the runner's answer. */
async function send(url: string): Promise<number> {
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

describe.skipIf(missing)('token forge: every kind is answered by the real runner as the console says', () => {
  for (const { kind } of FORGE_KINDS) {
    it(`${kind}: ${expectedStatuses(kind).join(', then ')}`, async () => {
      const forged = await forge(kind);
      expect(forged.kind).toBe(kind);
      expect(forged.expectedStatus).toBe(forgeKind(kind as ForgeKind).expectedStatus);
      expect(forged.reason).toContain(String(forged.expectedStatus));
      expect(forged.expectedStatuses).toEqual(expectedStatuses(kind as ForgeKind));
      expect(forged.tokens).toHaveLength(forged.expectedStatuses.length);
      expect(forged.token).toBe(forged.tokens[forged.tokens.length - 1]);
      expect(forged.urls).toEqual(forged.tokens.map((t) => `${runner.url}/session?token=${t}`));

      // Predicted before anything is sent: the runner takes a jti once.
      const predicted = [];
      for (const token of forged.tokens) predicted.push((await predict(token)).runnerStatus);
      const answered = [];
      for (const url of forged.urls) answered.push(await send(url));

      expect(answered).toEqual(forged.expectedStatuses);
      if (kind === 'reused-jti') {
        // The console cannot know that the runner has taken the first token's jti (it did not send
        // it): each token alone is a valid launch, and that is what it predicts for both.
        expect(predicted).toEqual([302, 302]);
      } else {
        expect(predicted).toEqual(forged.expectedStatuses);
      }
    });
  }

  it('prints the token alone without --json (reused-jti: two lines), with the expected answer and its reason on stderr', async () => {
    const r = await cli(['token', 'forge', '--kind', 'reused-jti', '--runner', runner.url, '--keys', RUNNER_KEYS_DIR, '--schema-name', SCHEMA], { home });
    expect(r.code, r.stderr).toBe(0);
    const tokens = r.stdout.trim().split('\n');
    expect(tokens).toHaveLength(2);
    for (const t of tokens) expect(t.split('.')).toHaveLength(5);
    expect(r.stderr).toContain('will answer 302 to token 1, then 401 to token 2');
    expect(await send(`${runner.url}/session?token=${tokens[0]}`)).toBe(302);
    expect(await send(`${runner.url}/session?token=${tokens[1]}`)).toBe(401);
  });

  it('merges --claims into the launch it breaks, as launch does', async () => {
    const file = path.join(home, 'claims.json');
    fs.writeFileSync(file, JSON.stringify({ survey_metadata: { data: { ru_name: 'Forged Claims Ltd' } }, language_code: 'cy' }));
    const forged = await forge('expired', ['--claims', file]);
    const seen = await predict(forged.token);
    expect(seen.claims).toMatchObject({ language_code: 'cy', survey_metadata: { data: { ru_name: 'Forged Claims Ltd', user_id: expect.any(String) } } });
    expect(await send(forged.urls[0]!)).toBe(401);
  });

  it('says clearly, in one line and exit 2, what it cannot do', async () => {
    const unknownKind = await cli(['token', 'forge', '--kind', 'expird', '--runner', runner.url, '--keys', RUNNER_KEYS_DIR], { home });
    expect(unknownKind.code).toBe(2);
    expect(unknownKind.stderr).toMatch(/^eq-console: --kind must be one of expired, no-exp, .*reused-jti, not "expird"\n$/);
    const unknownSchema = await cli(['token', 'forge', '--kind', 'expired', '--runner', runner.url, '--keys', RUNNER_KEYS_DIR, '--schema-name', 'no_such'], {
      home,
    });
    expect(unknownSchema.code).toBe(2);
    expect(unknownSchema.stderr).toContain('has no schema named "no_such"');
    // A launch that is broken already cannot be broken in exactly one more way.
    const file = path.join(home, 'broken.json');
    fs.writeFileSync(file, JSON.stringify({ account_service_url: 'http://launcher:8000' }));
    const broken = await cli(
      ['token', 'forge', '--kind', 'jws-none', '--runner', runner.url, '--keys', RUNNER_KEYS_DIR, '--schema-name', SCHEMA, '--claims', file],
      {
        home,
      },
    );
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/would answer 403 \(account_service_url: .*mend the launch first/);
    expect(broken.stdout).toBe('');
  });
});
