// "Make a broken token" on the Launch screen, in Debian's Chromium over browser mode, against the
// real runner (../shared/runner-kit): the panel offers the same list as `token forge`, a token it
// makes is answered by the runner with the status it showed, and that status is the one the CLI
// prints for the same kind. Build first with `node scripts/setup.mjs --build`.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../electron/services/index';
import { FORGE_KINDS } from '../../shared/launch/forge-kinds';
import { cli } from '../support/cli';
import { e2eSkipReason, startConsoleWithRunner, type ConsoleWithRunner } from '../support/e2e';
import { runnerKitMissing, type RunnerKit } from '../support/runner-kit';
import { RUNNER_KEYS_DIR, sharedMissing } from '../support/shared';
import { readRawJson } from '../support/raw-json';

const skipReason = e2eSkipReason('forge', sharedMissing(), runnerKitMissing());
/** Its metadata (user_id, period_id, ru_name) is required, so every kind can be made from it. */
const SCHEMA = 'test_textfield';

describe.skipIf(skipReason !== undefined)('Make a broken token, in the browser, against the real runner', () => {
  let session: ConsoleWithRunner;
  let runner: RunnerKit;
  let api: Services;
  let page: Page;

  beforeAll(async () => {
    session = await startConsoleWithRunner('forge');
    ({ runner, api, page } = session);
  });
  afterAll(() => session?.close());

  const panel = () => page.getByTestId('broken-token').locator('xpath=..');
  const runnerAnswer = async (url: string) => {
    const res = await fetch(url, { redirect: 'manual' });
    await res.arrayBuffer();
    return res.status;
  };
  const builderClaims = async () => JSON.parse(await readRawJson(page.getByTestId('raw-json'))) as Record<string, unknown>;

  /** Makes a broken token of the kind and waits for the one the service answered. */
  async function make(kind: string) {
    await page.getByTestId('forge-kind').selectOption(kind);
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/launch.forge'));
    await page.getByTestId('forge-make').click();
    await answered;
    await expect.poll(() => page.getByTestId('forge-make').textContent()).toBe('Make');
  }

  it('lists every kind of token forge, by the labels of the one list', async () => {
    await expect.poll(() => page.getByTestId('environment-url').textContent()).toBe(runner.url);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Launch', exact: true }).click();
    const item = page.getByTestId('catalogue').getByTestId(`schema-${SCHEMA}`);
    await item.waitFor({ timeout: 30_000 });
    await item.getByRole('button').first().click();
    await expect.poll(() => page.getByLabel('schema_name', { exact: true }).inputValue()).toBe(SCHEMA);
    await expect.poll(() => page.getByTestId('predicted-status').textContent()).toBe('302');

    const options = page.getByTestId('forge-kind').locator('option');
    const listed = await options.evaluateAll((els) => els.map((e) => ({ kind: (e as HTMLOptionElement).value, label: e.textContent })));
    expect(listed.map((o) => o.kind).sort()).toEqual(FORGE_KINDS.map((k) => k.kind).sort());
    for (const o of listed) expect(o.label).toBe(FORGE_KINDS.find((k) => k.kind === o.kind)!.label);
    await expect(panel().getByRole('heading', { name: 'Make a broken token' }).count()).resolves.toBe(1);
  });

  it("makes an expired token: the status shown is the CLI's, and the runner answers it", async () => {
    const builderJti = (await builderClaims()).jti;
    await make('expired');
    const result = page.getByTestId('forge-result');
    await result.waitFor();
    const shown = Number(await page.getByTestId('forge-expected').textContent());
    await expect(page.getByTestId('forge-reason').textContent()).resolves.toContain('exp');

    const fromCli = await cli(['token', 'forge', '--kind', 'expired', '--json', '--runner', runner.url, '--keys', RUNNER_KEYS_DIR, '--schema-name', SCHEMA], {
      home: session.home,
    });
    expect(fromCli.code, fromCli.stderr).toBe(0);
    expect(shown).toBe((JSON.parse(fromCli.stdout) as { expectedStatus: number }).expectedStatus);

    const token = (await page.getByTestId('forge-token').textContent())!;
    const link = await page.getByTestId('forge-url').getAttribute('href');
    expect(link).toBe(`${runner.url}/session?token=${token}`);
    // Inside it (the ring holds the runner's own key store): the builder's launch, expired, with its own jti.
    const inspected = await api.tokens.inspect(token);
    expect(inspected.claims?.jti).not.toBe(builderJti);
    expect(inspected.claims?.exp as number).toBeLessThan(Date.now() / 1000);
    expect(inspected.runnerStatus).toBe(shown);

    expect(await runnerAnswer(link!)).toBe(shown);
    // The builder's own launch was not spent: it is still the runner's 302.
    expect((await builderClaims()).jti).toBe(builderJti);
    await expect.poll(() => page.getByTestId('predicted-status').textContent()).toBe('302');
  });

  it('makes two tokens with one jti: the runner takes the first and answers the second as shown', async () => {
    await make('reused-jti');
    await page.getByTestId('forge-result').waitFor();
    const shown = Number(await page.getByTestId('forge-expected').textContent());
    const links = await page.getByTestId('forge-url').evaluateAll((els) => els.map((e) => (e as HTMLAnchorElement).href));
    expect(links).toHaveLength(2);
    expect(await runnerAnswer(links[0]!)).toBe(302);
    expect(await runnerAnswer(links[1]!)).toBe(shown);
  });

  it('says why when the launch in the builder is not one the runner would accept to begin with', async () => {
    await page.getByLabel('user_id', { exact: true }).fill('');
    await expect.poll(() => page.getByTestId('predicted-status').textContent()).toBe('403');
    await make('jws-none');
    const error = page.getByTestId('forge-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/would answer 403 \(survey_metadata\.data\.user_id: .*mend the launch first/);
    await expect(page.getByTestId('forge-result').count()).resolves.toBe(0);
    await page.getByLabel('user_id', { exact: true }).fill('UNKNOWN');
    await expect.poll(() => page.getByTestId('predicted-status').textContent()).toBe('302');
  });

  it('left no errors in the page', () => {
    expect(session.pageProblems).toEqual([]);
  });
});
