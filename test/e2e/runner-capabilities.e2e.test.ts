// What the runner accepts, on the Launch screen, against both real runners: ../shared/runner-kit-v13
// (v13.6.1, v1 and v2) and ../shared/runner-kit (771844c, v2 only), each an environment of the
// console in Chromium (browser mode) with the runner checkout's keys. The payload switch says what
// the active runner takes, its verdict follows, the user's setting wins; and a v1 launch made on
// the page, answered in its tab and flushed, opens on the Downstream screen as a valid v1 payload.
// Build first with `npx electron-vite build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import type { Services } from '../../electron/services/index';
import type { Environment } from '../../shared/api';
import { NO_FORM_TYPE } from '../../shared/launch/form-type';
import { e2eSkipReason, RUNNER_CHECKOUT, startConsoleInChromium, type ConsoleInChromium } from '../support/e2e';
import { runnerKitMissing, startRunnerKit, type RunnerKit } from '../support/runner-kit';
import { sharedMissing } from '../support/shared';

const skip = e2eSkipReason('runner-capabilities', sharedMissing(), runnerKitMissing('current'), runnerKitMissing('v13'));

describe.skipIf(skip !== undefined)('what the runner accepts, on the Launch screen, against runner-kit-v13 and runner-kit', () => {
  let current: RunnerKit;
  let v13: RunnerKit;
  let session: ConsoleInChromium;
  let api: Services;
  let context: BrowserContext;
  let page: Page;
  let envs: { current: Environment; v13: Environment };
  let shots: string;

  beforeAll(async () => {
    shots = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-capabilities-e2e-'));
    [current, v13] = await Promise.all([startRunnerKit({ kit: 'current' }), startRunnerKit({ kit: 'v13' })]);
    session = await startConsoleInChromium({
      name: 'capabilities',
      prepare: async (services) => {
        // Each environment's own ring holds the runner checkout's keys; v13 is the active one.
        const made: Partial<typeof envs> = {};
        for (const [name, kit] of [
          ['current', current],
          ['v13', v13],
        ] as const) {
          made[name] = await services.environments.save({ name: `${name} kit`, runnerUrl: kit.url });
          await services.environments.activate(made[name].id);
          await services.keys.importRunnerCheckout(RUNNER_CHECKOUT);
        }
        envs = made as typeof envs;
      },
    });
    ({ api, context, page } = session);
  }, 300_000);

  afterAll(async () => {
    await session?.close();
    await Promise.all([current?.close(), v13?.close()]);
    if (shots) fs.rmSync(shots, { recursive: true, force: true });
  });

  const status = () => page.getByTestId('predicted-status').textContent();
  const summary = () => page.getByTestId('runner-accepts-summary').textContent();
  const verdict = () => page.getByTestId('verdict-sentence').textContent();
  // The runner does not require form_type, so the form marks it optional.
  const formType = () => page.getByLabel('form_type (optional)', { exact: true });
  const pickPayload = (p: 'v1' | 'v2' | 'legacy') => page.locator('label.segment', { has: page.locator(`input[value="${p}"]`) }).click();
  const sessionRequests = async (kit: RunnerKit) => (await kit.requests()).filter((r) => r.startsWith('GET /session')).length;

  it('says the v13 runner takes v1 and v2, as found out, and a v1 launch of test_checkbox is predicted 302 with its form_type filled', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Launch' }).click();
    await page.getByRole('heading', { name: 'Launch', level: 1 }).waitFor();
    await expect
      .poll(summary, { timeout: 30_000 })
      .toMatch(/^The runner at .* accepts v1 and v2 \(detected .*: the runner let both a v1 and a v2 probe token past/);
    await expect(page.getByTestId('runner-accepts').getAttribute('data-source')).resolves.toBe('detected');
    await expect(page.getByTestId('runner-takes-v1').textContent()).resolves.toContain('this runner takes it');
    await expect(page.getByTestId('runner-takes-legacy').textContent()).resolves.toContain('this runner refuses it');

    // v1 first: claims built for the schema in v1 (switching v2 claims over keeps v2's form_type).
    await pickPayload('v1');
    await expect.poll(() => page.locator('input[name="payload"][value="v1"]').isChecked()).toBe(true);
    const item = page.getByTestId('catalogue').getByTestId('schema-test_checkbox');
    await item.waitFor({ timeout: 30_000 });
    await item.getByRole('button').first().click();
    await expect.poll(() => page.getByLabel('schema_name', { exact: true }).inputValue()).toBe('test_checkbox');
    await expect.poll(status).toBe('302');
    await expect(formType().inputValue()).resolves.toBe('checkbox');
    await expect(page.getByTestId('v1-form-type-warning').count()).resolves.toBe(0);

    // Without form_type the page says what the payload will lack, at the switch and in the verdict.
    await formType().fill('');
    await expect.poll(() => page.getByTestId('v1-form-type-warning').textContent()).toContain('collection.instrument_id');
    await expect.poll(verdict).toContain(NO_FORM_TYPE);
    await formType().fill('checkbox');
    await expect.poll(() => page.getByTestId('v1-form-type-warning').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'v13-v1.png') });
  });

  it('launches the v1 claims in a tab, where the respondent answers; flushed, the v1 payload opens on the Downstream screen as valid', async () => {
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByTestId('launch-button').click()]);
    await tab.waitForURL(/\/questionnaire\//, { timeout: 30_000 });
    expect(tab.url().startsWith(v13.url)).toBe(true);
    await tab.locator('#mandatory-checkbox-answer-2').check(); // Ham
    const question = tab.url();
    await tab.locator('[data-qa="btn-submit"]').click();
    await tab.waitForURL((u) => u.href !== question, { timeout: 30_000 });
    await tab.close();

    const launched = (await api.history.list()).at(-1)!;
    expect(launched).toMatchObject({ runnerUrl: v13.url, payload: 'v1', predicted: { runnerStatus: 302 }, claims: { form_type: 'checkbox' } });
    // The flush as `eq-console flush` does it, with this console's own ring.
    let out = '';
    const code = await runCli(['flush', '--runner', v13.url, '--json', '--response-id', String(launched.claims.response_id)], {
      stdout: (t) => (out += t),
      stderr: () => {},
      readStdin: async () => '',
    });
    expect({ code, flushed: JSON.parse(out) }).toMatchObject({ code: 0, flushed: { httpStatus: 200, outcome: 'flushed' } });

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Downstream' }).click();
    await page.getByRole('heading', { name: 'Downstream', level: 1 }).waitFor();
    await page.getByTestId('downstream-path').fill(v13.logFile);
    await page.getByTestId('downstream-path-open').click();
    const row = page.getByTestId('item-row').filter({ hasText: String(launched.claims.tx_id) });
    await row.waitFor({ timeout: 60_000 });
    await expect(row.getByTestId('item-status').textContent()).resolves.toBe('decryptedsignature okvalid');
    await row.click();
    const envelope = page.getByTestId('reader').getByTestId('envelope');
    await envelope.waitFor();
    const facts = await envelope
      .locator('.fact')
      .evaluateAll((els) => els.map((e) => `${e.querySelector('dt')?.textContent}: ${e.querySelector('dd')?.textContent}`));
    expect(facts).toEqual(expect.arrayContaining(['Data version (v1 layout): 0.0.3', 'Instrument id: checkbox', 'Schema name: test_checkbox', 'Flushed: yes']));
    await page.screenshot({ path: path.join(shots, 'v13-downstream.png') });
  });

  it("the environment's setting wins: 'v2 only' makes the same v1 claims 403, saying so; 'Find out' brings back the detection", async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Launch' }).click();
    await expect.poll(status).toBe('302');
    const probes = await sessionRequests(v13);
    await page.getByTestId('runner-accepts-setting').selectOption('v2');
    await expect.poll(summary).toContain('is taken to accept only v2, as this environment’s setting says; the console detected v1 and v2');
    await expect.poll(status).toBe('403');
    await expect(verdict()).resolves.toContain('this runner accepts only version "v2" (as set for this environment)');
    await expect(page.getByTestId('runner-takes-v1').textContent()).resolves.toContain('this runner refuses it');
    expect((await api.environments.list()).find((e) => e.id === envs.v13.id)?.runnerAccepts).toEqual(['v2']);

    await page.getByTestId('runner-accepts-setting').selectOption('detect');
    await expect.poll(() => page.getByTestId('runner-accepts').getAttribute('data-source')).toBe('detected');
    await expect.poll(status).toBe('302');
    expect((await api.environments.list()).find((e) => e.id === envs.v13.id)?.runnerAccepts).toBeUndefined();
    // Neither asked the runner again: the detection was kept.
    expect(await sessionRequests(v13)).toBe(probes);
  });

  it('on the current runner the switch says v1 is refused, as detected, and the verdict names how; Check again probes anew', async () => {
    await page.getByTestId('environment-select').selectOption(envs.current.id);
    await expect.poll(() => page.getByTestId('environment-url').textContent()).toBe(current.url);
    await expect
      .poll(summary, { timeout: 30_000 })
      .toMatch(/accepts only v2 \(detected .*: the runner refused a v1 probe token \(403\) and let a v2 probe token past/);
    await expect(page.getByTestId('runner-takes-v1').textContent()).resolves.toContain('this runner refuses it');
    await expect(page.getByTestId('runner-takes-v2').textContent()).resolves.toContain('this runner takes it');
    await expect.poll(status).toBe('403');
    await expect(verdict()).resolves.toMatch(/this runner accepts only version "v2" \(detected .*refused a v1 probe token \(403\).*\/status version 771844c\)/);
    await pickPayload('legacy');
    await expect.poll(status).toBe('403');
    await pickPayload('v2');
    await expect.poll(status).toBe('302');

    const before = await sessionRequests(current);
    await page.getByTestId('runner-accepts-check').click();
    await expect.poll(() => sessionRequests(current)).toBe(before + 2);
    await expect.poll(() => page.getByTestId('runner-accepts-check').isEnabled()).toBe(true);
    await expect(summary()).resolves.toContain('accepts only v2');
    await page.screenshot({ path: path.join(shots, 'current.png') });
    expect(session.pageProblems).toEqual([]);
  });
});
