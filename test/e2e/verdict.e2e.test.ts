// One verdict on every screen, and the real runner as the judge: the Launch bar and the Inspect
// screen, in Debian's Chromium over browser mode, say the same thing about the same launch, and
// the runner from ../shared/runner-kit answers what they said. The environment starts with the
// console's own generated keys only (it cannot mint), gets the launcher's keys as a console holds
// them (it can launch, but cannot look inside its tokens: the history says what it minted), and
// finally the runner's own key store (roles stay put, and now it can look inside).
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../shared/api';
import { e2eSkipReason, startConsoleInChromium, type ConsoleInChromium } from '../support/e2e';
import { runnerKitMissing, startRunnerKit, type RunnerKit } from '../support/runner-kit';
import { KIDS, RUNNER_DEV_KEYS, RUNNER_KEYS_DIR, sharedMissing } from '../support/shared';
import { fillRawJson, readRawJson } from '../support/raw-json';

const skipReason = e2eSkipReason('verdict', sharedMissing(), runnerKitMissing());
const SCHEMA = 'test_checkbox';
/** The launcher's side of the runner's test keys: what a console holds, without the runner's private key. */
const CONSOLE_SIDE = ['sdc-rrm-authentication-signing-private-v1.pem', 'sdc-sr-authentication-encryption-public-v1.pem'].map((f) =>
  path.join(RUNNER_KEYS_DIR, f),
);

describe.skipIf(skipReason !== undefined)('the verdict on the Launch and Inspect screens, against the real runner', () => {
  let runner: RunnerKit;
  let session: ConsoleInChromium;
  let page: Page;
  let env: Environment;

  beforeAll(async () => {
    runner = await startRunnerKit();
    session = await startConsoleInChromium({
      name: 'verdict',
      prepare: async (api) => {
        env = await api.environments.save({ name: 'Runner kit', runnerUrl: runner.url });
        await api.environments.activate(env.id);
      },
    });
    page = session.page;
  });
  afterAll(async () => {
    await session?.close();
    await runner?.close();
  });

  const nav = (name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true }).click();
  const launchStatus = () => page.getByTestId('predicted-status').textContent();
  const launchButton = () => page.getByTestId('launch-button');
  const runnerAnswer = async (url: string) => (await fetch(url, { redirect: 'manual' })).status;

  async function pickSchema() {
    await nav('Launch');
    const item = page.getByTestId('catalogue').getByTestId(`schema-${SCHEMA}`);
    await item.waitFor({ timeout: 30_000 });
    await item.getByRole('button').first().click();
    await expect.poll(() => page.getByLabel('schema_name', { exact: true }).inputValue()).toBe(SCHEMA);
  }

  /** Launches nowhere (Copy URL): the URL lands in Last launch and the history. */
  async function copyLaunchUrl(): Promise<string> {
    const before = await page
      .getByTestId('last-launch')
      .locator('code.launch-url')
      .textContent()
      .catch(() => null);
    await page.getByTestId('copy-url').click();
    await expect.poll(() => page.getByTestId('last-launch').locator('code.launch-url').textContent()).not.toBe(before);
    return (await page.getByTestId('last-launch').locator('code.launch-url').textContent())!;
  }

  async function inspect(input: string) {
    await nav('Inspect');
    await page.getByTestId('inspect-input').fill(input);
    // The report on screen is the one for this input once the service has answered and the page drawn it.
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/tokens.inspect'));
    await page.getByTestId('inspect-submit').click();
    await answered;
    await expect.poll(() => page.getByTestId('inspect-submit').textContent()).toBe('Inspect');
    await page.getByTestId('inspect-result').waitFor();
    return {
      status: await page.getByTestId('inspect-status').textContent(),
      state: await page.getByTestId('inspect-status').getAttribute('data-state'),
      verdict: await page.getByTestId('inspect-verdict').textContent(),
      claims: await page.getByTestId('inspect-claims').textContent(),
    };
  }

  async function setRawClaims(change: (claims: Record<string, unknown>) => void) {
    const raw = page.getByTestId('raw-json');
    const claims = JSON.parse(await readRawJson(raw)) as Record<string, unknown>;
    change(claims);
    await fillRawJson(raw, JSON.stringify(claims, null, 2));
  }

  it("cannot mint with the console's generated keys alone: no verdict to send, Launch disabled, and the fix named", async () => {
    await pickSchema();
    await expect.poll(() => page.getByTestId('predicted-status').getAttribute('data-state')).toBe('cannot-mint');
    await expect(launchStatus()).resolves.toBe('—');
    await expect(launchButton().isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId('copy-url').isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId('verdict-sentence').textContent()).resolves.toContain('no runner public key');
    await expect(page.getByTestId('verdict-fix').textContent()).resolves.toContain('sdc-sr-authentication-encryption-public-v1.pem');
    await nav('Keys');
    await expect.poll(() => page.getByTestId('launch-keys-status').textContent()).toContain('cannot launch: runner public key missing');
  });

  it("with the launcher's keys: Launch says 302, Inspect shows the claims it minted and 302, and the runner answers 302", async () => {
    await nav('Keys');
    await page.getByTestId('import-files-input').setInputFiles(CONSOLE_SIDE);
    await expect.poll(() => page.getByTestId('launch-keys-status').textContent()).toContain('can launch.');
    await expect(page.getByTestId('role-launch-signing-select').inputValue()).resolves.toBe(KIDS.launcherSigning);
    await pickSchema();
    await expect.poll(launchStatus).toBe('302');
    await expect(launchButton().isEnabled()).resolves.toBe(true);
    const url = await copyLaunchUrl();

    const report = await inspect(url);
    expect(report).toMatchObject({ status: '302', state: 'cannot-look-inside' });
    expect(report.verdict).toContain('minted it');
    expect(JSON.parse(report.claims!)).toMatchObject({ schema_name: SCHEMA, version: 'v2' });
    expect(await runnerAnswer(url)).toBe(302);
  });

  it('has no verdict while the raw JSON is broken, and Launch stays disabled until it parses', async () => {
    await nav('Launch');
    const raw = page.getByTestId('raw-json');
    const good = await readRawJson(raw);
    await fillRawJson(raw, good.slice(0, -3));
    await expect.poll(() => page.getByTestId('predicted-status').getAttribute('data-state')).toBe('invalid-json');
    await expect(launchButton().isDisabled()).resolves.toBe(true);
    await fillRawJson(raw, good);
    await expect.poll(launchStatus).toBe('302');
  });

  it('predicts 500 for a schema_name the runner does not list, on both screens, as the runner answers', async () => {
    await nav('Launch');
    await setRawClaims((c) => (c.schema_name = 'no_such_questionnaire'));
    await expect.poll(launchStatus).toBe('500');
    await expect(page.getByTestId('verdict-sentence').textContent()).resolves.toContain('no_such_questionnaire');
    await page.getByTestId('launch-button').click();
    await page.getByTestId('confirm-launch').waitFor();
    await page.getByTestId('confirm-launch').getByRole('button', { name: 'Cancel' }).click();
    const url = await copyLaunchUrl();
    expect((await inspect(url)).status).toBe('500');
    expect(await runnerAnswer(url)).toBe(500);
  });

  it('predicts 401 for an expired token on both screens, as the runner answers', async () => {
    await pickSchema();
    await setRawClaims((c) => (c.exp = Math.floor(Date.now() / 1000) - 60));
    await expect.poll(launchStatus).toBe('401');
    const url = await copyLaunchUrl();
    expect((await inspect(url)).status).toBe('401');
    expect(await runnerAnswer(url)).toBe(401);
  });

  it('predicts 403 for a token with a stray character, which the runner refuses', async () => {
    await pickSchema();
    await expect.poll(launchStatus).toBe('302');
    const url = await copyLaunchUrl();
    const token = new URL(url).searchParams.get('token')!;
    const broken = `${token.slice(0, 40)}*${token.slice(40)}`;
    const report = await inspect(broken);
    expect(report).toMatchObject({ status: '403', state: 'runner' });
    expect(report.verdict).toContain('not base64url');
    expect(await runnerAnswer(`${runner.url}/session?token=${encodeURIComponent(broken)}`)).toBe(403);
  });

  it("after the runner's own key store is imported, launches still sign with the launcher's key and Inspect looks inside", async () => {
    await nav('Keys');
    await page.getByTestId('import-files-input').setInputFiles(RUNNER_DEV_KEYS);
    await expect.poll(() => page.getByTestId(`key-row`).filter({ hasText: KIDS.runnerEncryption }).getByRole('cell').nth(2).textContent()).toBe('private');
    await expect(page.getByTestId('role-launch-signing-select').inputValue()).resolves.toBe(KIDS.launcherSigning);
    await expect(page.getByTestId('role-launch-encryption-select').inputValue()).resolves.toBe(KIDS.runnerEncryption);
    await pickSchema();
    await expect.poll(launchStatus).toBe('302');
    const url = await copyLaunchUrl();
    const report = await inspect(url);
    expect(report).toMatchObject({ status: '302', state: 'runner' });
    expect(await runnerAnswer(url)).toBe(302);
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});
