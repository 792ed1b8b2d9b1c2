// "Relaunch as this respondent" end to end: the built renderer in Debian's Chromium (browser
// mode), the real services and the real runner (../shared/runner-kit). A respondent is launched
// outside the console, answers a page and is flushed; the console opens the runner's own log on
// the Downstream screen, and two clicks (the action, then Launch) must start a session the runner
// accepts (302) with the respondent's schema and metadata. Then the same from the launch history,
// where taking the respondent's own response_id is a choice that shows its warning. Screenshots go
// to a fresh folder under the system's temp folder, named at the end of the run. Build first with
// `node scripts/setup.mjs --build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import type { Services } from '../../electron/services/index';
import { importTexts, readKeyFiles } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { sealClaims } from '../../electron/services/tokens/jwt-profile';
import { launchKeys } from '../../electron/services/tokens/launch-keys';
import { newClaims, setAt } from '../../shared/launch/index';
import { e2eSkipReason, startConsoleWithRunner, type ConsoleWithRunner } from '../support/e2e';
import { respond, runnerKitMissing, type RunnerKit } from '../support/runner-kit';
import { RUNNER_KEYS_DIR, sharedMissing } from '../support/shared';

const skip = e2eSkipReason('relaunch', sharedMissing(), runnerKitMissing());

type Json = Record<string, any>;

let shotsDir: string | undefined;
function shot(page: Page, name: string) {
  shotsDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'eq-e2e-relaunch-shots-'));
  return page.screenshot({ path: path.join(shotsDir, `${name}.png`) });
}
afterAll(() => {
  if (shotsDir) console.info(`[relaunch e2e] screenshots in ${shotsDir}`);
});

/** A respondent of test_checkbox launched as the ONS launcher would (not by the console), with metadata of their own, who answered the page. */
async function respondent(runner: RunnerKit): Promise<Json> {
  const ring = new KeyRing();
  importTexts(ring, readKeyFiles([RUNNER_KEYS_DIR]));
  let claims = newClaims({ payload: 'v2', selection: { schema_name: 'test_checkbox' }, nowSeconds: Math.floor(Date.now() / 1000) });
  for (const [p, v] of [
    ['survey_metadata.data.ru_name', 'Relaunched Respondent Ltd'],
    ['survey_metadata.data.user_id', 'RESPONDENT-42'],
    ['survey_metadata.data.period_id', '202503'],
    ['region_code', 'GB-SCT'],
    ['channel', 'RH'],
  ] as const) {
    claims = setAt(claims, p, v);
  }
  const answered = await respond(`${runner.url}/session?token=${sealClaims(claims, launchKeys(ring))}`, { 'mandatory-checkbox-answer': 'Ham' });
  expect(answered).toMatchObject({ launchStatus: 302, postStatus: 302 });
  return claims;
}

/** A command of eq-console with --json, run here through the command line's own entry. */
async function eqConsole(args: string[], input = ''): Promise<Json> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: async () => input });
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as Json;
}

const flush = (runner: RunnerKit, responseId: string) =>
  eqConsole(['flush', '--keys', RUNNER_KEYS_DIR, '--runner', runner.url, '--json', '--response-id', responseId]);

/** The payload the runner logged for a launch, decrypted as `downstream --json` does. */
async function loggedPayload(runner: RunnerKit, txId: string): Promise<Json> {
  const logged = (await runner.payloads()).find((p) => p.tx_id === txId);
  expect(logged, `no payload with tx_id ${txId} in the runner's log`).toBeDefined();
  return (await eqConsole(['downstream', '--keys', RUNNER_KEYS_DIR, '--json', '-'], logged!.message)).payload as Json;
}

describe.skipIf(skip !== undefined)('Relaunch as this respondent, in Chromium against the real runner', () => {
  let session: ConsoleWithRunner;
  let runner: RunnerKit;
  let api: Services;
  let context: BrowserContext;
  let page: Page;
  /** The runner's answer to each /session request any tab of the browser made, in order. */
  const sessionAnswers: number[] = [];

  beforeAll(async () => {
    session = await startConsoleWithRunner('relaunch');
    ({ runner, api, context, page } = session);
    context.on('response', (res) => {
      if (new URL(res.url()).pathname === '/session') sessionAnswers.push(res.status());
    });
  }, 120_000);

  afterAll(() => session?.close());

  const nav = (name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
  const panel = () => page.getByTestId('respondent-panel');
  /** The response_id the builder's claims carry, as the panel shows it (the raw JSON editor draws only the lines in view). */
  const panelResponseId = () => panel().getByTestId('respondent-response-id').locator('code').textContent();

  /** Launch, and the runner's answer to the session it opened in a new tab (browser mode). */
  async function launchFromBuilder(): Promise<number> {
    const before = sessionAnswers.length;
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByTestId('launch-button').click()]);
    await tab.waitForURL(/\/questionnaire\//, { timeout: 30_000 });
    expect(tab.url().startsWith(runner.url)).toBe(true);
    await tab.close();
    await expect.poll(() => sessionAnswers.length).toBeGreaterThan(before);
    return sessionAnswers[before]!;
  }

  it('opens a flushed respondent’s payload from the runner’s log, and in two clicks the runner answers 302 with the same metadata', async () => {
    const claims = await respondent(runner);
    expect(await flush(runner, String(claims.response_id))).toMatchObject({ httpStatus: 200, outcome: 'flushed' });
    const payload = await loggedPayload(runner, String(claims.tx_id));
    expect(payload.survey_metadata).toMatchObject(claims.survey_metadata.data);

    await nav('Downstream').click();
    await page.getByRole('heading', { name: 'Downstream', level: 1 }).waitFor();
    await page.getByTestId('downstream-path').fill(runner.logFile);
    await page.getByTestId('downstream-path-open').click();
    const row = page.getByTestId('item-row');
    await expect.poll(() => row.count(), { timeout: 60_000 }).toBe(1);
    await row.first().click();
    const reader = page.getByTestId('reader');
    await reader.getByTestId('metadata-table').waitFor();
    await expect(reader.getByTestId('metadata-table').textContent()).resolves.toContain('Relaunched Respondent Ltd');
    await reader.getByRole('button', { name: 'Relaunch as this respondent' }).scrollIntoViewIfNeeded();
    await shot(page, 'payload-in-reader');

    // Click one.
    await reader.getByRole('button', { name: 'Relaunch as this respondent' }).click();
    await page.getByRole('heading', { name: 'Launch', level: 1 }).waitFor();
    await expect(panel().getByTestId('respondent-source').textContent()).resolves.toMatch(
      new RegExp(`^${runner.logFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+$`),
    );
    await expect.poll(() => page.getByTestId('chosen-schema').textContent(), { timeout: 30_000 }).toContain('Test Checkbox');
    const fresh = (await panelResponseId())!;
    expect(fresh).toMatch(/^[0-9]{16}$/);
    expect(fresh).not.toBe(claims.response_id);
    await expect(panel().getByTestId('respondent-response-id').textContent()).resolves.toBe(
      `response_id ${fresh} is new: the respondent’s stored answers are not touched.`,
    );
    // A payload does not carry the respondent's response_id: there is none to reuse.
    await expect(
      panel()
        .getByRole('checkbox', { name: /Reuse the respondent's response_id/ })
        .isDisabled(),
    ).resolves.toBe(true);
    await expect(page.getByLabel('ru_name', { exact: true }).inputValue()).resolves.toBe('Relaunched Respondent Ltd');
    await expect.poll(() => page.getByTestId('predicted-status').textContent(), { timeout: 30_000 }).toBe('302');
    await shot(page, 'relaunch-in-builder');

    // Click two: the runner's own answer, to the claims the builder held.
    expect(await launchFromBuilder()).toBe(302);
    await expect(page.getByTestId('last-launch-status').textContent()).resolves.toBe('Opened in a new browser tab. Predicted 302.');
    const sent = (await api.history.list())[0]!.claims;
    expect(sent.schema_name).toBe('test_checkbox');
    // The payload's metadata: the respondent's, and the schema's survey_id, which the spec's business shape (complete here) has the launch give.
    expect(sent.survey_metadata).toEqual({ data: payload.survey_metadata });
    for (const same of ['case_id', 'collection_exercise_sid', 'language_code', 'region_code', 'channel']) expect(sent[same], same).toBe(claims[same]);
    for (const made of ['jti', 'tx_id', 'response_id']) expect(sent[made], made).not.toBe(claims[made]);
    expect(sent.response_id).toBe(fresh);
    await page.getByTestId('last-launch').scrollIntoViewIfNeeded();
    await shot(page, 'relaunched');
  });

  it('relaunches from the history with a new response_id, and the respondent’s own only when chosen, with its warning', async () => {
    // Newest first: the relaunch launched above.
    const entry = (await api.history.list())[0]!;
    const rows = page.getByTestId('history-row');
    await expect.poll(() => rows.count()).toBe(1);
    await rows
      .first()
      .getByRole('button', { name: /^Relaunch as this respondent: / })
      .click();
    await expect.poll(() => panel().getByTestId('respondent-source').textContent()).toMatch(/^the launch of Test Checkbox at /);
    const fresh = (await panelResponseId())!;
    expect(fresh).toMatch(/^[0-9]{16}$/);
    expect(fresh).not.toBe(entry.claims.response_id);
    await expect(panel().getByTestId('respondent-warning').count()).resolves.toBe(0);

    await panel()
      .getByRole('checkbox', { name: /Reuse the respondent's response_id/ })
      .check();
    await expect(panel().getByTestId('respondent-warning').textContent()).resolves.toBe(
      "Warning: the runner will open the respondent's stored answers; a launch can change them.",
    );
    await expect.poll(panelResponseId).toBe(entry.claims.response_id);
    await expect.poll(() => page.getByTestId('predicted-status').textContent(), { timeout: 30_000 }).toBe('302');
    await shot(page, 'reuse-warning');
    expect(await launchFromBuilder()).toBe(302);
    const sent = (await api.history.list())[0]!.claims;
    expect(sent.response_id).toBe(entry.claims.response_id);
    expect(sent.survey_metadata).toEqual(entry.claims.survey_metadata);
    expect(sent.case_id).toBe(entry.claims.case_id);
    expect(sent.jti).not.toBe(entry.claims.jti);
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});
