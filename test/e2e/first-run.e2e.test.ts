// The first run, end to end (issue 12, item 2): a fresh config folder, nothing at the default
// http://localhost:5000. The Launch screen guides the user instead of greeting them with red errors
// and a red verdict; adding an environment switches to it; the Keys screen says what the active
// environment can do and what it lacks, and "can launch" once the runner's keys are in. The real
// runner (../shared/runner-kit) is the environment added. Screenshots go to the test's own temp
// folder (eq-e2e-first-run-shots-*), kept for a person to look at and printed. Build first with `npx electron-vite build`.
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../electron/services/index';
import { e2eSkipReason, screenshotsDir, RUNNER_CHECKOUT, startConsoleInChromium, type ConsoleInChromium } from '../support/e2e';
import { runnerKitMissing, startRunnerKit, type RunnerKit } from '../support/runner-kit';
import { sharedMissing } from '../support/shared';

const DEFAULT_RUNNER = 'http://localhost:5000';
const RUNNER_KEY_MISSING = "cannot launch: runner public key missing (import the runner's public encryption key)";

const skip = e2eSkipReason('first-run', sharedMissing(), runnerKitMissing('current'));

/** Whether something answers TCP on localhost:5000; the first run must find nothing there. */
function defaultRunnerAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: 'localhost', port: 5000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe.skipIf(skip !== undefined)('first run and environments, in Chromium', () => {
  let runner: RunnerKit;
  let session: ConsoleInChromium;
  let api: Services;
  let page: Page;
  const shots = screenshotsDir('first-run');

  beforeAll(async () => {
    if (await defaultRunnerAnswers()) {
      throw new Error(
        `Something answers at ${DEFAULT_RUNNER}; this test needs the default runner address unanswered, as on a first run. Stop it and run again.`,
      );
    }
    runner = await startRunnerKit();
    session = await startConsoleInChromium({ name: 'first-run' });
    ({ api, page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await runner?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const go = async (screen: 'Launch' | 'Keys') => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: screen }).click();
    await page.getByRole('heading', { name: screen, level: 1 }).waitFor();
  };
  const guide = () => page.getByTestId('first-run-guide');
  const ability = (id: string) => page.getByTestId('environment-abilities').locator(`[data-ability="${id}"]`);
  const abilityText = (id: string) => ability(id).locator('.ability-text').textContent();
  const activeName = () => page.getByTestId('environment-select').locator('option:checked').textContent();
  const keyRows = () => page.getByTestId('key-row');
  const kidsShown = async () => (await keyRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kid')))).sort();

  it('a fresh start: Launch guides the user, with no red error and no verdict before there are claims', async () => {
    // A first start generates the development ring before it answers: slow on a busy machine.
    await expect.poll(activeName, { timeout: 30_000 }).toBe('Local runner');
    await go('Launch');
    await guide().waitFor({ timeout: 30_000 });
    const runnerStep = guide().getByTestId('guide-step-runner');
    await expect(runnerStep.textContent()).resolves.toContain(`cannot reach the runner at ${DEFAULT_RUNNER}: connection refused`);
    // How to start one, in a command the user can type.
    await expect(runnerStep.locator('code').allTextContents()).resolves.toEqual(expect.arrayContaining([expect.stringMatching(/run/)]));
    await expect(guide().getByTestId('guide-step-environment').textContent()).resolves.toContain(DEFAULT_RUNNER);
    await expect.poll(() => guide().getByTestId('guide-step-keys').textContent(), { timeout: 20_000 }).toContain(`Local runner ${RUNNER_KEY_MISSING}`);

    // Nothing red: no alert anywhere on the screen, no verdict, no "Launch anyway".
    const screen = page.getByTestId('launch-screen');
    await expect(screen.getByRole('alert').allTextContents()).resolves.toEqual([]);
    await expect(screen.getByTestId('catalogue-error').count()).resolves.toBe(0);
    await expect(screen.getByTestId('verdict').count()).resolves.toBe(0);
    await expect(screen.getByTestId('launch-button').count()).resolves.toBe(0);
    await expect(screen.getByText('Launch anyway').count()).resolves.toBe(0);
    await expect(screen.getByTestId('no-verdict').textContent()).resolves.toContain('No verdict yet');
    await shot('1-first-run-launch');
  });

  it('the guide leads to where each step is done: the environment dialog and the Keys screen', async () => {
    await guide().getByRole('button', { name: 'Edit the environment' }).click();
    const dialog = page.getByTestId('environment-dialog');
    await dialog.waitFor();
    await expect(dialog.getByLabel('Runner URL').inputValue()).resolves.toBe(DEFAULT_RUNNER);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    await guide().getByRole('button', { name: 'Import keys on the Keys screen' }).click();
    await page.getByRole('heading', { name: 'Keys', level: 1 }).waitFor();
  });

  it('Keys says what the Local runner can do and what it lacks', async () => {
    await expect.poll(() => abilityText('launch'), { timeout: 20_000 }).toContain(RUNNER_KEY_MISSING);
    await expect(ability('launch').getAttribute('data-ok')).resolves.toBe('false');
    // The fresh ring: a generated signing key and a generated downstream decryption key.
    await expect(abilityText('sign')).resolves.toContain('can sign');
    await expect(abilityText('open-downstream')).resolves.toContain('can open downstream payloads');
    await expect(abilityText('verify-downstream')).resolves.toContain('cannot verify downstream payloads: no runner submission signing key');
    await expect.poll(() => abilityText('runner'), { timeout: 30_000 }).toContain(`cannot reach the runner at ${DEFAULT_RUNNER}`);
    await expect(ability('runner').getAttribute('data-ok')).resolves.toBe('unknown');
    await expect(page.getByTestId('launch-keys-status').textContent()).resolves.toContain(`Local runner ${RUNNER_KEY_MISSING}`);
    await shot('2-keys-local-runner');
  });

  it('adding an environment switches to it: the header names it and Keys shows its own ring', async () => {
    const localKids = (await api.keys.list()).map((k) => k.kid).sort();
    await expect.poll(kidsShown).toEqual(localKids);

    await page.getByRole('button', { name: 'Add an environment' }).click();
    const dialog = page.getByTestId('environment-dialog');
    await dialog.getByLabel('Name').fill('Runner kit');
    await dialog.getByLabel('Runner URL').fill(runner.url);
    await dialog.getByRole('button', { name: 'Add environment' }).click();
    await dialog.waitFor({ state: 'detached' });

    await expect.poll(activeName, { timeout: 20_000 }).toBe('Runner kit');
    await expect(page.getByTestId('environment-url').textContent()).resolves.toBe(runner.url);
    const active = (await api.app.info()).activeEnvironment;
    expect(active).toMatchObject({ name: 'Runner kit', runnerUrl: runner.url });

    // The new environment's freshly generated ring, not the Local runner's.
    const ringKids = (await api.keys.list()).map((k) => k.kid).sort();
    expect(ringKids).toHaveLength(2);
    expect(ringKids.filter((kid) => localKids.includes(kid))).toEqual([]);
    await expect.poll(kidsShown, { timeout: 20_000 }).toEqual(ringKids);
    await expect(page.getByTestId('environment-abilities').getByRole('heading').textContent()).resolves.toContain('Runner kit');
    await expect.poll(() => abilityText('launch')).toContain(RUNNER_KEY_MISSING);
    // The console asks a runner with probe tokens, which it cannot mint without the runner's key.
    await expect.poll(() => abilityText('runner'), { timeout: 60_000 }).toMatch(/^runner: not known which launch versions it accepts \(.*runner public key/);
    await expect(ability('runner').getAttribute('data-ok')).resolves.toBe('unknown');
    await shot('3-keys-added-environment');
  }, 120_000);

  it("importing the runner's keys: the environment can launch and check downstream payloads", async () => {
    await page.getByTestId('checkout-path').fill(RUNNER_CHECKOUT);
    await page.getByTestId('checkout-import').click();
    await expect.poll(() => abilityText('launch'), { timeout: 20_000 }).toBe('can launch');
    await expect(ability('launch').getAttribute('data-ok')).resolves.toBe('true');
    await expect(abilityText('verify-downstream')).resolves.toContain('can verify downstream payloads');
    await expect(page.getByTestId('launch-keys-status').textContent()).resolves.toContain('Runner kit can launch');
    // With the keys in, the console asks the runner, and says what it accepts.
    await expect.poll(() => abilityText('runner'), { timeout: 60_000 }).toBe('runner accepts only v2 launches (detected)');
    await expect(ability('runner').getAttribute('data-ok')).resolves.toBe('true');
    await shot('4-keys-runner-keys-imported');
  }, 120_000);

  it('Launch against a reachable runner with its keys: no guide, and a verdict only once a schema is picked', async () => {
    await go('Launch');
    const item = page.getByTestId('catalogue').getByTestId('schema-test_checkbox');
    await item.waitFor({ timeout: 30_000 });
    await expect(guide().count()).resolves.toBe(0);
    await expect(page.getByTestId('verdict').count()).resolves.toBe(0);
    await page.getByTestId('no-verdict').waitFor();

    await item.getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('predicted-status').textContent(), { timeout: 20_000 }).toBe('302');
    await expect(page.getByTestId('no-verdict').count()).resolves.toBe(0);
    await shot('5-launch-schema-picked');
  });

  it('switching back to the Local runner brings the guide back, with the verdict kept for the claims given', async () => {
    await page.getByTestId('environment-select').selectOption({ label: 'Local runner' });
    await guide().waitFor({ timeout: 30_000 });
    await expect(guide().getByTestId('guide-step-runner').textContent()).resolves.toContain(`cannot reach the runner at ${DEFAULT_RUNNER}`);
    // The claims are the user's work: their verdict stays, now for a ring that cannot launch.
    await expect.poll(() => page.getByTestId('predicted-status').getAttribute('data-state')).toBe('cannot-mint');
    await expect(page.getByTestId('launch-screen').getByTestId('catalogue-error').count()).resolves.toBe(0);
    await shot('6-launch-back-to-local');
    expect(session.pageProblems).toEqual([]);
  });
});
