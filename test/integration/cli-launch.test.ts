// eq-console launch as people and scripts use it, against the real runner (../shared/runner-kit):
// the URL on the last line opens with the runner's keys, and the runner answers it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { parseSet } from '../../electron/cli/commands/launch';
import { HistoryStore } from '../../electron/services/launch/history';
import { importTexts, readKeyFiles } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { inspectToken } from '../../electron/services/tokens/inspect';
import { cli } from '../support/cli';
import { runnerKitMissing, startRunnerKit, type RunnerKit } from '../support/runner-kit';
import { ONS, RUNNER_DEV_KEYS, RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';

const SCHEMAS = path.join(ONS, 'runner/schemas');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-cli-launch-'));

async function launch(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['launch', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: async () => '' });
  const lines = stdout.trimEnd().split('\n');
  return { code, stdout, stderr, last: lines[lines.length - 1] ?? '' };
}

function runnerRing(): KeyRing {
  const ring = new KeyRing();
  importTexts(ring, readKeyFiles([RUNNER_DEV_KEYS]));
  return ring;
}

/** The runner's first answer to the URL, as a browser would get it before following the redirect. */
async function get(url: string): Promise<{ status: number; location: string | null }> {
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') };
}

afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

describe('parseSet', () => {
  it('reads JSON values when they parse, text otherwise', () => {
    expect(parseSet('survey_metadata.data.flag=true')).toMatchObject({ path: 'survey_metadata.data.flag', value: true });
    expect(parseSet('a=12')).toEqual({ path: 'a', value: 12, raw: '12' });
    expect(parseSet('a="12"')).toMatchObject({ path: 'a', value: '12' });
    expect(parseSet('a={"b":[1]}')).toMatchObject({ path: 'a', value: { b: [1] } });
    expect(parseSet('a=hello=world')).toMatchObject({ path: 'a', value: 'hello=world' });
    expect(parseSet('a=')).toMatchObject({ path: 'a', value: '' });
    expect(() => parseSet('=x')).toThrow(/dotted.path=value/);
    expect(() => parseSet('a..b=1')).toThrow(/not a dotted claim path/);
  });
});

describe.skipIf(skipReason(sharedMissing()))('eq-console launch: usage', () => {
  beforeAll(() => {
    process.env.EQ_CONSOLE_HOME = home;
  });

  it('exits 2 with one line for usage errors', async () => {
    for (const args of [
      [],
      ['--schema-name', 'a', '--schema-url', 'http://x.example.com/a.json'],
      ['--schema-name', 'a', '--payload', 'v3'],
      ['--schema-name', 'a', '--set', 'novalue'],
      ['--runner', 'launcher:8000', '--schema-name', 'a'],
    ]) {
      const r = await launch(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('exits 2 with one line when the runner cannot be reached', async () => {
    const r = await launch(['--keys', RUNNER_KEYS_DIR, '--runner', 'http://127.0.0.1:39991', '--schema-name', 'test_textfield']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'eq-console: cannot reach the runner at http://127.0.0.1:39991: connection refused\n' });
  });

  it('launches by cir_instrument_id without a schema, saying the metadata is not filled', async () => {
    const id = '2b8c3f5e-0f0c-4f38-9f3e-6f1d7e1b2a3c';
    const r = await launch(['--keys', RUNNER_KEYS_DIR, '--runner', 'http://127.0.0.1:5000', '--cir-instrument-id', id]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/metadata is not filled/);
    expect(r.last).toMatch(/^http:\/\/127\.0\.0\.1:5000\/session\?token=[\w-]+(\.[\w-]*){4}$/);
    const report = await inspectToken(r.last, runnerRing());
    expect(report.claims).toMatchObject({ version: 'v2', cir_instrument_id: id });
    expect(report.runnerStatus).toBe(302);
  });

  it('shows its usage with --help', async () => {
    let out = '';
    expect(await runCli(['launch', '--help'], { stdout: (t) => (out += t), stderr: () => {}, readStdin: async () => '' })).toBe(0);
    expect(out).toMatch(/^Usage: eq-console launch .*--schema-name N/m);
    let overview = '';
    await runCli(['--help'], { stdout: (t) => (overview += t), stderr: () => {}, readStdin: async () => '' });
    expect(overview).toContain('eq-console launch ');
  });
});

describe.skipIf(skipReason(sharedMissing(), runnerKitMissing()))('eq-console launch against the real runner', () => {
  let runner: RunnerKit;
  beforeAll(async () => {
    process.env.EQ_CONSOLE_HOME = home;
    runner = await startRunnerKit();
  });
  afterAll(async () => {
    await runner?.close();
  });
  const base = () => ['--keys', RUNNER_KEYS_DIR, '--runner', runner.url];

  it("prints the URL last; its token opens with the runner's keys and the runner starts the questionnaire", async () => {
    const r = await launch([...base(), '--schema-name', 'test_textfield']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${r.last}\n`);
    expect(r.last.startsWith(`${runner.url}/session?token=`)).toBe(true);
    const report = await inspectToken(r.last, runnerRing(), { runnerUrl: runner.url });
    expect(report).toMatchObject({ payloadVersion: 'v2', runnerStatus: 302 });
    expect(report.problems.filter((p) => p.source === 'runner')).toEqual([]);
    expect(report.claims).toMatchObject({
      schema_name: 'test_textfield',
      survey_metadata: { data: { ru_name: 'ESSENTIAL ENTERPRISE LTD.', survey_id: '999' } },
    });
    expect(await get(r.last)).toMatchObject({ status: 302, location: expect.stringMatching(/\/questionnaire\/$/) });
    // Each token is good once.
    expect((await get(r.last)).status).toBe(401);
  });

  it('--set gives JSON values (a boolean arrives as boolean), --claims merges, --role adds roles', async () => {
    const file = path.join(home, 'claims.json');
    fs.writeFileSync(file, JSON.stringify({ region_code: 'GB-WLS', survey_metadata: { data: { trad_as: 'ACME' } } }));
    const r = await launch([
      ...base(),
      '--schema-name',
      'test_metadata_routing',
      '--claims',
      file,
      '--set',
      'survey_metadata.data.boolean_flag=true',
      '--set',
      'channel=RH',
      '--role',
      'dumper',
      '--role',
      'flusher',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { url: string; runnerStatus: number; historyId: string };
    expect(out.runnerStatus).toBe(302);
    const claims = (await inspectToken(out.url, runnerRing())).claims as Record<string, any>;
    expect(claims.survey_metadata.data.boolean_flag).toBe(true);
    expect(claims.survey_metadata.data.trad_as).toBe('ACME');
    expect(claims.survey_metadata.data.ru_name).toBe('ESSENTIAL ENTERPRISE LTD.');
    expect(claims).toMatchObject({ region_code: 'GB-WLS', channel: 'RH', roles: ['dumper', 'flusher'] });
    expect((await get(out.url)).status).toBe(302);
    // Recorded, so the desktop app's history shows it.
    expect((await new HistoryStore(home).list()).some((e) => e.id === out.historyId && e.url === out.url)).toBe(true);
  });

  it('refuses a launch the runner would refuse: exit 1, the reasons on stderr, no URL', async () => {
    const before = (await new HistoryStore(home).list()).length;
    const r = await launch([
      ...base(),
      '--schema-name',
      'test_textfield',
      '--set',
      'survey_metadata.data.period_id=[2016]',
      '--set',
      'response_expires_at=2020-01-01T00:00:00+00:00',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^The runner would refuse this token with 403/);
    expect(r.stderr).toContain('response_expires_at: response_expires_at must be in the future');
    expect(r.stderr).toContain('survey_metadata.data.period_id: survey_metadata.data.period_id must be a string');
    expect((await new HistoryStore(home).list()).length).toBe(before);
  });

  it('--force launches it anyway, still listing the reasons; the runner answers 403', async () => {
    const r = await launch([...base(), '--schema-name', 'test_textfield', '--set', 'account_service_url=http://launcher:8000', '--force']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('account_service_url: account_service_url must be a URL the runner accepts');
    expect(r.last).toMatch(/\/session\?token=/);
    expect(await get(r.last)).toMatchObject({ status: 403 });
  });

  it('keeps --set values text where the schema types the metadata as string, and where the runner reads a claim as a string', async () => {
    const r = await launch([
      ...base(),
      '--schema-name',
      'test_textfield',
      '--set',
      'survey_metadata.data.period_id=201605',
      '--set',
      'survey_metadata.data.extra=7',
      '--set',
      'response_id=1234567890123456',
      '--set',
      'channel=12',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const claims = (await inspectToken(r.last, runnerRing())).claims as {
      response_id: unknown;
      channel: unknown;
      survey_metadata: { data: Record<string, unknown> };
    };
    expect(claims.survey_metadata.data.period_id).toBe('201605');
    expect(claims.survey_metadata.data.extra).toBe(7);
    expect(claims.response_id).toBe('1234567890123456');
    expect(claims.channel).toBe('12');
    expect((await get(r.last)).status).toBe(302);
  });

  it('refuses a schema the runner does not have (its 500) with exit 1, and --force sends it anyway', async () => {
    const r = await launch([...base(), '--schema-name', 'no_such_schema']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^The runner would refuse this token with 500: /);
    expect(r.stderr).toContain(`schema_name: the runner at ${runner.url} has no schema named "no_such_schema" (404); the runner would answer 500`);
    const forced = await launch([...base(), '--schema-name', 'no_such_schema', '--force']);
    expect(forced.code).toBe(0);
    expect(await get(forced.last)).toMatchObject({ status: 500 });
  });

  it('launches a schema by URL (schema_url), and older payloads that this runner refuses', async () => {
    const byUrl = await launch([...base(), '--schema-url', `${runner.url}/schemas/test_checkbox`]);
    expect(byUrl.code).toBe(0);
    expect((await inspectToken(byUrl.last, runnerRing())).claims).toMatchObject({ schema_url: `${runner.url}/schemas/test_checkbox` });
    expect((await get(byUrl.last)).status).toBe(302);

    const v1 = await launch([...base(), '--schema-name', 'test_textfield', '--payload', 'v1']);
    expect(v1.code).toBe(1);
    expect(v1.stderr).toMatch(/accepts only version "v2"/);
    const forced = await launch([
      ...base(),
      '--schema-name',
      'test_textfield',
      '--payload',
      'legacy',
      '--set',
      'eq_id=test',
      '--set',
      'form_type=textfield',
      '--force',
    ]);
    const claims = (await inspectToken(forced.last, runnerRing())).claims!;
    expect(claims).toMatchObject({ eq_id: 'test', form_type: 'textfield', ru_ref: '12345678901A' });
    expect(claims.jti).toBeUndefined();
    expect((await get(forced.last)).status).toBe(403);
  });

  it("starts a wide spread of the runner's test schemas (every 5th), in their language", async () => {
    const files = ['en', 'cy', 'ga'].flatMap((lang) =>
      fs
        .readdirSync(path.join(SCHEMAS, 'test', lang))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => ({ lang, name: f.slice(0, -5) })),
    );
    const picked = files.filter((_, i) => i % 5 === 0);
    expect(picked.length).toBeGreaterThanOrEqual(49);
    const failures: string[] = [];
    for (const { lang, name } of picked) {
      const r = await launch([...base(), '--schema-name', name, '--set', `language_code=${lang}`]);
      const answer = r.code === 0 ? await get(r.last) : undefined;
      if (answer?.status !== 302) failures.push(`${lang}/${name}: exit ${r.code} ${answer?.status ?? ''} ${r.stderr.trim()}`);
    }
    expect(failures).toEqual([]);
  });

  it("works as a program: bin/eq-console with the console's own ring, --open with a failing browser", async () => {
    const cliHome = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-cli-launch-bin-'));
    try {
      const imported = await cli(
        [
          'keys',
          'import',
          path.join(RUNNER_KEYS_DIR, 'sdc-rrm-authentication-signing-private-v1.pem'),
          path.join(RUNNER_KEYS_DIR, 'sdc-sr-authentication-encryption-public-v1.pem'),
        ],
        { home: cliHome },
      );
      expect(imported.code).toBe(0);
      const r = await cli(['launch', '--runner', runner.url, '--schema-name', 'test_theme_social', '--open'], {
        home: cliHome,
        env: { BROWSER: '/bin/false' },
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/warning: could not open the browser \(\/bin\/false exited with 1\)/);
      const url = r.stdout.trimEnd().split('\n').pop()!;
      const report = await inspectToken(url, runnerRing());
      expect(report.claims).toMatchObject({ survey_metadata: { receipting_keys: ['qid'] } });
      expect((await get(url)).status).toBe(302);
      expect((await new HistoryStore(cliHome).list()).map((e) => e.url)).toEqual([url]);
    } finally {
      fs.rmSync(cliHome, { recursive: true, force: true });
    }
  });

  // The runner's own store beside the console's keys, in any order: the launcher's key still signs,
  // the runner's public key is still the one launches are encrypted to, and the runner takes them.
  const checkout = path.join(ONS, 'runner');
  for (const order of [
    [[RUNNER_KEYS_DIR], [RUNNER_DEV_KEYS]],
    [[RUNNER_DEV_KEYS], [RUNNER_KEYS_DIR]],
    [['--runner-checkout', checkout]],
    [[RUNNER_DEV_KEYS], ['--runner-checkout', checkout], [RUNNER_KEYS_DIR]],
  ]) {
    const said = order.map((args) => path.basename(args[args.length - 1]!)).join(', then ');
    it(`launches to 302 after importing ${said} beside the console's own keys`, async () => {
      const cliHome = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-cli-order-'));
      try {
        for (const args of order) expect((await cli(['keys', 'import', ...args], { home: cliHome })).code).toBe(0);
        const r = await cli(['launch', '--runner', runner.url, '--schema-name', 'test_checkbox'], { home: cliHome });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain('signed with 709eb42cfee5570058ce0711f730bfbb7d4c8ade, encrypted to e19091072f920cbf3ca9f436ceba309e7d814a62');
        expect((await get(r.stdout.trimEnd().split('\n').pop()!)).status).toBe(302);
      } finally {
        fs.rmSync(cliHome, { recursive: true, force: true });
      }
    });
  }
});
