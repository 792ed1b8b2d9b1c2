// token inspect as other tools use it: the --json shape, exit codes, and explanations in words,
// against the runner's test keys and the real runner (../shared/runner-kit) serving its test schemas.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { importTexts, readKeyFiles } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { sealClaims } from '../../electron/services/tokens/jwt-profile';
import { launchKeys } from '../../electron/services/tokens/launch-keys';
import { cli } from '../support/cli';
import { runnerKitMissing, startRunnerKit, type RunnerKit } from '../support/runner-kit';
import { RUNNER_DEV_KEYS, RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';
import { v2LaunchClaims } from '../support/claims';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-inspect-'));
const now = () => Math.floor(Date.now() / 1000);

function validClaims(): Record<string, unknown> {
  return v2LaunchClaims(
    { user_id: 'UNKNOWN', period_id: '201605', ru_name: 'ESSENTIAL ENTERPRISE LTD.', ru_ref: '12345678901A', form_type: '0001', survey_id: '001' },
    { language_code: 'en' },
  );
}

async function inspect(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['token', 'inspect', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => '',
  });
  return { code, stdout, stderr };
}

// The tests that check against a runner need the real runner; the rest run without it.
const noRunner = skipReason(runnerKitMissing());

describe.skipIf(skipReason(sharedMissing()))('token inspect', () => {
  let runner: RunnerKit | undefined;
  let mint: (claims: Record<string, unknown>) => Promise<string>;
  beforeAll(async () => {
    if (!noRunner) runner = await startRunnerKit();
    const ring = new KeyRing();
    importTexts(ring, readKeyFiles([RUNNER_KEYS_DIR]));
    const keys = launchKeys(ring);
    mint = async (claims) => sealClaims(claims, keys);
  });
  afterAll(async () => {
    await runner?.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  const started = () => {
    if (!runner) throw new Error('the runner did not start');
    return runner;
  };
  const json = async (claims: Record<string, unknown>, runnerUrl?: string) => {
    const token = await mint(claims);
    const out = await inspect(['--json', '--keys', RUNNER_DEV_KEYS, ...(runnerUrl ? ['--runner', runnerUrl] : []), token]);
    return {
      ...out,
      report: JSON.parse(out.stdout) as Record<string, unknown> & { problems: { code: string; path: string; source: string; message: string }[] },
    };
  };

  it.skipIf(noRunner)('predicts 302 for a valid v2 launch, checked against the schema the runner serves', async () => {
    const runner = started();
    const { code, report } = await json(validClaims(), runner.url);
    expect(Object.keys(report)).toEqual(['jweHeader', 'jwsHeader', 'claims', 'payloadVersion', 'runnerStatus', 'problems', 'kids']);
    expect(report).toMatchObject({ payloadVersion: 'v2', runnerStatus: 302, problems: [] });
    expect(code).toBe(0);
    expect(await runner.requests()).toContain('GET /schemas/test_textfield');
  });

  it.skipIf(noRunner)('names the missing questionnaire metadata (403) only when it has the schema', async () => {
    const runner = started();
    const claims = validClaims();
    delete (claims.survey_metadata as { data: Record<string, unknown> }).data.ru_name;
    const checked = await json(claims, runner.url);
    expect(checked.report.runnerStatus).toBe(403);
    expect(checked.report.problems).toContainEqual(expect.objectContaining({ path: 'survey_metadata.data.ru_name', source: 'runner' }));
    expect(checked.code).toBe(1);
    const unchecked = await json({ ...claims, jti: crypto.randomUUID() });
    expect(unchecked.report.problems.filter((p) => p.source === 'runner')).toEqual([]);
  });

  it.skipIf(noRunner)('fetches a schema_url only when asked to check against a runner', async () => {
    const runner = started();
    const claims = validClaims();
    delete claims.schema_name;
    const url = `${runner.url}/schemas/test_textfield?from=schema_url`;
    await json({ ...claims, schema_url: url });
    expect((await runner.requests()).filter((r) => r.includes('from=schema_url'))).toEqual([]);
    const checked = await json({ ...claims, jti: crypto.randomUUID(), schema_url: url }, runner.url);
    expect((await runner.requests()).filter((r) => r.includes('from=schema_url'))).toHaveLength(1);
    expect(checked.report.runnerStatus).toBe(302);
    const elsewhere = await inspect([
      '--keys',
      RUNNER_DEV_KEYS,
      '--runner',
      runner.url,
      await mint({ ...claims, jti: crypto.randomUUID(), schema_url: 'http://schemas.example.invalid/x.json' }),
    ]);
    expect(elsewhere.stdout).toMatch(/schema_url points at another host \(schemas\.example\.invalid\)/);
  });

  it.skipIf(noRunner)('predicts 500 for a schema the runner does not have, 401 for an expired token, 500 without exp', async () => {
    const runner = started();
    expect((await json({ ...validClaims(), schema_name: 'no_such_schema' }, runner.url)).report.runnerStatus).toBe(500);
    const expired = await json({ ...validClaims(), exp: now() - 10 });
    expect(expired.report.runnerStatus).toBe(401);
    expect(expired.report.problems[0]).toMatchObject({ path: 'exp', source: 'runner' });
    const noExp = validClaims();
    delete noExp.exp;
    expect((await json(noExp)).report.runnerStatus).toBe(500);
  });

  it('reports the runner and the specification separately', async () => {
    const { report } = await json({ ...validClaims(), roles: ['flusher'], language_code: 'fr' });
    expect(report.runnerStatus).toBe(302);
    expect(report.problems.map((p) => [p.source, p.path])).toEqual(
      expect.arrayContaining([
        ['spec', 'roles'],
        ['spec', 'language_code'],
      ]),
    );
  });

  it('explains a broken token in words', async () => {
    const token = await mint(validClaims());
    const wrongStore = await inspect(['--keys', RUNNER_KEYS_DIR, token]);
    expect(wrongStore.code).toBe(1);
    // Encrypted to the runner: without its private half the console makes no prediction at all.
    expect(wrongStore.stdout).toMatch(
      /^The console cannot look inside this token\. Cannot look inside: it is encrypted to the runner's public key e19091072f920cbf3ca9f436ceba309e7d814a62/,
    );
    expect(wrongStore.stdout).toMatch(/dev-keys\.yml/);
    const bad = await inspect(['--keys', RUNNER_DEV_KEYS, `${token.slice(0, -4)}AAAA`]);
    expect(bad.stdout).toMatch(/^The runner would refuse this token with 403: Decryption failed/);
    const launchUrl = await inspect(['--keys', RUNNER_DEV_KEYS, `http://localhost:5000/session?token=${token}`]);
    expect(launchUrl.stdout).toMatch(/^The runner would accept this token/);
    const empty = await inspect(['--json', '--keys', RUNNER_DEV_KEYS, 'http://localhost:5000/session']);
    expect(JSON.parse(empty.stdout)).toMatchObject({ runnerStatus: 401, claims: null });
  });

  it('answers usage and key-store errors with exit 2 and one line, from the real executable', async () => {
    const cases: [string[], RegExp][] = [
      [['token', 'inspect'], /^eq-console: token inspect takes one token/],
      [['token', 'inspect', '--keys', '/nonexistent/keys.yml', 'x'], /^eq-console: \/nonexistent\/keys.yml does not exist/],
      [['token', 'mint', '--count', 'ten'], /^eq-console: --count must be a positive whole number/],
      [['token', 'inspect', '--bogus', 'x'], /^eq-console: Unknown option '--bogus'/],
      [['keys', 'kid', '/etc/hostname'], /^eq-console: \/etc\/hostname is not a PEM key/],
      [['frobnicate'], /^eq-console: unknown command "frobnicate"/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args, { home })));
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(2);
      expect(r.stderr).toMatch(cases[i]![1]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
    const store = path.join(home, 'broken.yml');
    fs.writeFileSync(store, 'keys: [unclosed');
    const broken = await cli(['token', 'mint', '--keys', store], { home, input: '{}' });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^eq-console: .*broken.yml (gave no usable keys|is not valid YAML)/);
  });

  it('has --help on every command', async () => {
    for (const args of [
      ['--help'],
      ['keys', '--help'],
      ['keys', 'kid', '--help'],
      ['keys', 'list', '--help'],
      ['keys', 'import', '--help'],
      ['token', '--help'],
      ['token', 'mint', '--help'],
      ['token', 'inspect', '--help'],
      ['serve', '--help'],
    ]) {
      let out = '';
      const code = await runCli(args, { stdout: (t) => (out += t), stderr: () => {}, readStdin: async () => '' });
      expect(code, args.join(' ')).toBe(0);
      expect(out).toMatch(/Usage: eq-console|Commands:/);
    }
  });
});
