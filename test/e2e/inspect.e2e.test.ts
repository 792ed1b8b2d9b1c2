// The Inspect screen end to end: the built renderer in Debian's Chromium (browser mode) over the
// real services. The ring holds the runner checkout's test keys beside the console's generated
// development keys. Tokens are minted by the services (or, for a signer no ring knows, with
// node:crypto here) and pasted in; the page must predict the runner's answer, show the clock claims
// as dates with a live countdown, match each kid to its ring entry or flag it, and relaunch the
// token's respondent from the launch builder. The last describe does that against the real runner
// (../shared/runner-kit), whose answer to the relaunch is the proof. Build first with
// `node scripts/setup.mjs --build`.
import crypto, { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../electron/services/index';
import { sealClaims } from '../../electron/services/tokens/jwt-profile';
import { e2eSkipReason, RUNNER_CHECKOUT, startConsoleInChromium, startConsoleWithRunner, type ConsoleInChromium, type ConsoleWithRunner } from '../support/e2e';
import { runnerKitMissing, type RunnerKit } from '../support/runner-kit';
import { KIDS, RUNNER_KEYS_DIR, sharedMissing } from '../support/shared';
import { readRawJson } from '../support/raw-json';

const skipReason = e2eSkipReason('inspect', sharedMissing());
const runnerSkipReason = skipReason ?? e2eSkipReason('inspect (relaunch as this respondent)', runnerKitMissing());

// Kept after the run, for a human to look at; one fresh folder per run.
let shotsDir: string | undefined;
function screenshotPath(name: string): string {
  shotsDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'eq-e2e-inspect-shots-'));
  return path.join(shotsDir, `${name}.png`);
}
afterAll(() => {
  if (shotsDir) console.info(`[inspect e2e] screenshots in ${shotsDir}`);
});

const now = () => Math.floor(Date.now() / 1000);
/** The date the page must show for epoch seconds, worked out here from Date, not from the page's helper. */
const expectedDate = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.000Z$/, '+00:00');

/** A v2 launch for test_checkbox that the runner would take, but for exp, which is `expIn` seconds from now. */
function v2Claims(expIn: number): Record<string, unknown> {
  const t = now();
  return {
    version: 'v2',
    exp: t + expIn,
    iat: t + expIn - 600,
    jti: randomUUID(),
    tx_id: randomUUID(),
    account_service_url: 'https://surveys.example.gov.uk',
    case_id: randomUUID(),
    collection_exercise_sid: randomUUID(),
    response_id: 'QzXMrPqoLiyEyerrED88AbkQoQK0sVVX72ZtVphHr0w=',
    response_expires_at: new Date((t + 7 * 86400) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    schema_name: 'test_checkbox',
    language_code: 'en',
    survey_metadata: {
      data: { ru_name: 'ACME Ltd', user_id: 'UNKNOWN', period_id: '202506', form_type: '0001', ru_ref: '49900000001A', survey_id: '009' },
    },
  };
}

async function openInspect(page: Page) {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Inspect', exact: true }).click();
  await page.getByRole('heading', { name: 'Inspect', level: 1 }).waitFor();
}

/** Pastes the text, inspects it and waits for the report on it (its verdict, as the service gives it). */
async function inspectInPage(page: Page, text: string, verdict: string) {
  await page.getByLabel('A token or a launch URL').fill(text);
  await page.getByTestId('inspect-submit').click();
  await expect.poll(() => page.getByTestId('inspect-verdict').textContent(), { timeout: 15_000 }).toBe(verdict);
}

describe.skipIf(skipReason !== undefined)('Inspect screen in browser mode', () => {
  let session: ConsoleInChromium;
  let api: Services;
  let page: Page;

  beforeAll(async () => {
    session = await startConsoleInChromium({
      name: 'inspect',
      prepare: async (services) => {
        const report = await services.keys.importRunnerCheckout(RUNNER_CHECKOUT);
        expect(report.added.length + report.upgraded.length).toBeGreaterThan(0);
      },
    });
    ({ api, page } = session);
  });

  afterAll(() => session?.close());

  /** What the service itself says, so the page is checked against it and not against a guess. */
  const serviceReport = async (token: string) => api.tokens.inspect(token, { runnerUrl: (await api.app.info()).activeEnvironment.runnerUrl });

  it('predicts 401 for a pasted launch URL whose token expired, and says why', async () => {
    const claims = v2Claims(-3600);
    const { token } = await api.direct.mintText(JSON.stringify(claims));
    // The page checks against the active environment's runner (here one that is not running) by default.
    const expected = await serviceReport(token);
    expect(expected.runnerStatus).toBe(401);
    const expProblem = expected.problems.find((p) => p.code === 'exp.expired');
    expect(expProblem).toBeDefined();

    await openInspect(page);
    expect(await page.getByTestId('not-built').count()).toBe(0);
    const submit = page.getByRole('button', { name: 'Inspect', exact: true }).and(page.getByTestId('inspect-submit'));
    await expect(submit.isDisabled()).resolves.toBe(true);

    await page.getByLabel('A token or a launch URL').fill(`http://localhost:5000/session?token=${token}`);
    await submit.click();
    await page.getByTestId('inspect-result').waitFor();

    await expect(page.getByTestId('inspect-status').textContent()).resolves.toBe('401');
    await expect(page.getByTestId('inspect-verdict').textContent()).resolves.toBe(expected.verdict);
    await expect(page.getByTestId('inspect-payload-version').textContent()).resolves.toContain('v2');

    const runnerGroup = page.getByRole('group', { name: /What the runner checks/ });
    const expRow = runnerGroup.locator('[data-testid="inspect-problem"][data-code="exp.expired"]');
    await expect(expRow.textContent()).resolves.toContain('exp');
    await expect(expRow.textContent()).resolves.toContain(expProblem!.message);
    await page.getByRole('group', { name: /ONS specification/ }).waitFor();

    const jwe = JSON.parse((await page.getByTestId('inspect-jwe-header').textContent())!);
    expect(jwe).toEqual(expected.jweHeader);
    const jws = JSON.parse((await page.getByTestId('inspect-jws-header').textContent())!);
    expect(jws).toEqual(expected.jwsHeader);
    const shown = JSON.parse((await page.getByTestId('inspect-claims').textContent())!);
    expect(shown.exp).toBe(expected.claims!.exp);
    expect(shown.survey_metadata.data.ru_ref).toBe('49900000001A');

    // The clock claims as dates, and how long ago exp passed.
    const times = page.getByRole('group', { name: 'Times' });
    for (const name of ['iat', 'exp'] as const) {
      const row = times.getByTestId(`inspect-time-${name}`);
      await expect(row.getByTestId('inspect-time-raw').textContent()).resolves.toBe(String(claims[name]));
      await expect(row.getByTestId('inspect-time-date').textContent()).resolves.toBe(expectedDate(claims[name] as number));
      await expect(row.getByTestId('inspect-time-date').getAttribute('datetime')).resolves.toBe(expectedDate(claims[name] as number));
    }
    const countdown = times.getByTestId('inspect-exp-countdown');
    await expect(countdown.getAttribute('data-expired')).resolves.toBe('true');
    await expect(countdown.textContent()).resolves.toMatch(/^expired 1 h( \d+ min)? ago$/);
    await expect(times.getByTestId('inspect-time-response_expires_at').textContent()).resolves.toContain(claims.response_expires_at as string);

    // Both kids are the runner checkout's keys: matched, neither flagged.
    const kids = page.getByRole('group', { name: 'Keys named by the token' });
    await expect(kids.getByTestId('inspect-kid-jwe').getAttribute('data-status')).resolves.toBe('known');
    await expect(kids.getByTestId('inspect-kid-jwe').textContent()).resolves.toContain(KIDS.runnerEncryption);
    await expect(kids.getByTestId('inspect-kid-jwe').getByTestId('kid-meaning').textContent()).resolves.toBe(expected.kids.jwe!.meaning);
    // The runner's encryption key is the one this environment's launches are encrypted to: its role shows.
    expect(expected.kids.jwe!.key!.roles).toContain('launch-encryption');
    await expect(
      kids
        .getByTestId('inspect-kid-jwe')
        .getByRole('list', { name: /What the console uses/ })
        .textContent(),
    ).resolves.toBe('launches are encrypted to it');
    await expect(kids.getByTestId('inspect-kid-jws').textContent()).resolves.toContain(KIDS.launcherSigning);
    await expect(kids.getByTestId('kid-unknown').count()).resolves.toBe(0);

    await page.screenshot({ path: screenshotPath('expired'), fullPage: true });
  });

  it("shows a known signing kid with its ring entry's label, and a countdown that ticks", async () => {
    // The console's own generated signing key carries a label (imported keys have none): sign with it.
    const keys = await api.keys.list();
    const runnerSigner = keys.find((k) => k.kid === KIDS.launcherSigning)!;
    const devSigner = keys.find((k) => k.source === 'generated' && k.purpose === 'authentication' && k.use === 'signing')!;
    expect(devSigner.label).not.toBe('');
    await api.keys.assignRole('launch-signing', devSigner.kid);
    let token: string;
    try {
      ({ token } = await api.direct.mintText(JSON.stringify(v2Claims(3600))));
    } finally {
      await api.keys.assignRole('launch-signing', runnerSigner.kid);
    }
    const expected = await serviceReport(token);
    expect(expected.kids.jws).toMatchObject({ status: 'known', kid: devSigner.kid, key: { label: devSigner.label } });

    await inspectInPage(page, token, expected.verdict);
    const jwsRow = page.getByRole('group', { name: 'Keys named by the token' }).getByTestId('inspect-kid-jws');
    await expect(jwsRow.getAttribute('data-status')).resolves.toBe('known');
    await expect(jwsRow.locator('code.kid').textContent()).resolves.toBe(devSigner.kid);
    await expect(jwsRow.getByTestId('kid-label').textContent()).resolves.toBe(devSigner.label);
    await expect(jwsRow.getByTestId('kid-entry').textContent()).resolves.toMatch(/authentication · signing pair · private/);
    await expect(jwsRow.getByTestId('kid-meaning').textContent()).resolves.toBe(expected.kids.jws!.meaning);

    const countdown = page.getByTestId('inspect-exp-countdown');
    await expect(countdown.getAttribute('data-expired')).resolves.toBe('false');
    const first = (await countdown.textContent())!;
    expect(first).toMatch(/^expires in (59 min \d+ s|1 h)$/);
    // It ticks on its own: the text changes with no click.
    await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(first);
    expect(await countdown.textContent()).toMatch(/^expires in 59 min \d+ s$/);
  });

  it('flags a signing kid the key ring does not know, and offers no edit of claims it could not read', async () => {
    // A signer neither this ring nor the runner has ever seen, encrypted to the runner's own key.
    const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const strangerKid = crypto
      .createHash('sha1')
      .update(stranger.publicKey.export({ type: 'spki', format: 'pem' }))
      .digest('hex');
    const runnerPublic = crypto.createPublicKey(fs.readFileSync(path.join(RUNNER_KEYS_DIR, 'sdc-sr-authentication-encryption-public-v1.pem')));
    const token = sealClaims(v2Claims(3600), {
      signer: { kid: strangerKid, key: stranger.privateKey },
      recipient: { kid: KIDS.runnerEncryption, key: runnerPublic },
    });
    const expected = await serviceReport(token);
    expect(expected.runnerStatus).toBe(403);

    await inspectInPage(page, token, expected.verdict);
    await expect(page.getByTestId('inspect-status').textContent()).resolves.toBe('403');
    const kids = page.getByRole('group', { name: 'Keys named by the token' });
    const jwsRow = kids.getByTestId('inspect-kid-jws');
    await expect(jwsRow.getAttribute('data-status')).resolves.toBe('unknown');
    await expect(jwsRow.locator('code.kid').textContent()).resolves.toBe(strangerKid);
    await expect(jwsRow.getByTestId('kid-unknown').textContent()).resolves.toBe('unknown to this key ring');
    await expect(jwsRow.getByTestId('kid-entry').count()).resolves.toBe(0);
    await expect(jwsRow.getByTestId('kid-meaning').textContent()).resolves.toContain('refuses a token signed with a kid its key store does not hold (403)');
    // The JWE kid is still the runner's, known.
    await expect(kids.getByTestId('inspect-kid-jwe').getAttribute('data-status')).resolves.toBe('known');

    await expect(page.getByTestId('inspect-edit').count()).resolves.toBe(0);
    await expect(page.getByTestId('inspect-edit-unavailable').textContent()).resolves.toMatch(/could not be opened, so it has no claims/);
    await expect(page.getByTestId('inspect-times').count()).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath('unknown-kid'), fullPage: true });
  });

  it('explains text that is no token as the runner would refuse it (403), in words', async () => {
    await page.getByLabel('A token or a launch URL').fill('not a token at all');
    await page.getByTestId('inspect-submit').click();
    const result = page.getByTestId('inspect-result');
    await expect.poll(() => result.textContent(), { timeout: 10_000 }).toMatch(/403/);
    expect(await result.textContent()).toContain('A launch token is a JWE with 5 dot-separated parts; this has 1.');
    expect(await page.getByTestId('inspect-error').count()).toBe(0);
    // No header to read, so no kids to match; no claims, so nothing to edit.
    expect(await page.getByTestId('inspect-kids').count()).toBe(0);
    expect(await page.getByTestId('inspect-edit-unavailable').count()).toBe(1);
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});

describe.skipIf(runnerSkipReason !== undefined)('Inspect: relaunch as this respondent, against the real runner', () => {
  let session: ConsoleWithRunner;
  let runner: RunnerKit;
  let api: Services;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    session = await startConsoleWithRunner('inspect-edit');
    ({ runner, api, context, page } = session);
  });

  afterAll(() => session?.close());

  it('lands on Launch with the same schema and metadata, fresh jti and tx_id, a new response_id unless theirs is chosen, and the runner takes it (302)', async () => {
    const t = now();
    // Expired an hour ago, with a 10-minute lifetime: the builder must give it fresh times, not these.
    const claims: Record<string, unknown> = {
      version: 'v2',
      iat: t - 4200,
      exp: t - 3600,
      jti: randomUUID(),
      tx_id: randomUUID(),
      account_service_url: 'http://localhost:8000',
      case_id: randomUUID(),
      collection_exercise_sid: randomUUID(),
      response_id: `inspect-edit-${randomUUID()}`,
      response_expires_at: new Date((t + 7 * 86400) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      schema_name: 'test_metadata_routing',
      language_code: 'en',
      survey_metadata: { data: { user_id: 'INSPECTED', period_id: '202411', boolean_flag: true, ru_name: 'Inspected Ltd' } },
    };
    const { token } = await api.direct.mintText(JSON.stringify(claims));
    const expected = await api.tokens.inspect(token, { runnerUrl: runner.url });
    expect(expected.runnerStatus).toBe(401);

    await expect.poll(() => page.getByTestId('environment-url').textContent()).toBe(runner.url);
    await openInspect(page);
    await inspectInPage(page, `${runner.url}/session?token=${token}`, expected.verdict);
    await page.getByRole('button', { name: 'Relaunch as this respondent' }).click();

    await page.getByRole('heading', { name: 'Launch', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('chosen-schema').textContent(), { timeout: 30_000 }).toContain('Test Metadata Routing');
    const raw = page.getByTestId('raw-json');
    const built = JSON.parse(await readRawJson(raw)) as Record<string, unknown>;
    expect(built.schema_name).toBe(claims.schema_name);
    expect(built.survey_metadata).toEqual(claims.survey_metadata);
    for (const kept of ['case_id', 'collection_exercise_sid', 'account_service_url', 'language_code', 'version']) {
      expect(built[kept], kept).toBe(claims[kept]);
    }
    // A new response, so the respondent's stored answers are not opened, until their own is chosen (with a warning).
    expect(built.response_id).toMatch(/^[0-9]{16}$/);
    const panel = page.getByTestId('respondent-panel');
    await expect(panel.getByTestId('respondent-source').textContent()).resolves.toBe('the inspected token');
    await expect(panel.getByTestId('respondent-warning').count()).resolves.toBe(0);
    await panel.getByRole('checkbox', { name: /Reuse the respondent's response_id/ }).check();
    await expect(panel.getByTestId('respondent-warning').textContent()).resolves.toBe(
      "Warning: the runner will open the respondent's stored answers; a launch can change them.",
    );
    await expect.poll(async () => (JSON.parse(await readRawJson(raw)) as Record<string, unknown>).response_id).toBe(claims.response_id);
    await panel.getByRole('checkbox', { name: /Reuse the respondent's response_id/ }).uncheck();
    await expect.poll(async () => (JSON.parse(await readRawJson(raw)) as Record<string, unknown>).response_id).toBe(built.response_id);
    expect(built.jti).not.toBe(claims.jti);
    expect(built.tx_id).not.toBe(claims.tx_id);
    expect(built.jti).not.toBe(built.tx_id);
    expect(built.iat as number).toBeGreaterThanOrEqual(t);
    expect((built.exp as number) - (built.iat as number)).toBe(3600);
    await expect(page.getByRole('checkbox', { name: 'boolean_flag' }).isChecked()).resolves.toBe(true);

    await expect.poll(() => page.getByTestId('predicted-status').textContent(), { timeout: 30_000 }).toBe('302');
    await page.screenshot({ path: screenshotPath('relaunched-in-builder'), fullPage: true });

    // The runner's own answer: the edited launch opens the questionnaire.
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByTestId('launch-button').click()]);
    await tab.waitForURL(/\/questionnaire\//, { timeout: 30_000 });
    expect(tab.url().startsWith(runner.url)).toBe(true);
    await tab.close();
    const launched = (await api.history.list()).at(-1)!;
    expect(launched.claims.jti).toBe(built.jti);
    expect(launched.claims.survey_metadata).toEqual(claims.survey_metadata);
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});
