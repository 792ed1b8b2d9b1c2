// The Launch screen end to end: the built renderer in Debian's Chromium (browser mode), the real
// services, and the real runner (../shared/runner-kit). The console's active environment points at
// the runner and its key ring holds the runner's test keys, so a launch made in the page is
// decrypted and judged by the runner, and what arrived shows in where its questionnaire goes
// (test_metadata_routing routes on boolean_flag). Build first with `npx electron-vite build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../electron/services/index';
import { e2eSkipReason, startConsoleWithRunner, type ConsoleWithRunner } from '../support/e2e';
import { runnerKitMissing, type RunnerKit } from '../support/runner-kit';
import { ONS, sharedMissing } from '../support/shared';
import { fillRawJson, readRawJson } from '../support/raw-json';

// Its metadata has a boolean (boolean_flag) beside three strings: the launcher could never send it true.
const SCHEMA = 'test_metadata_routing';
const SCHEMA_TITLE = 'Test Metadata Routing';

const skipReason = e2eSkipReason('launch', sharedMissing(), runnerKitMissing());

/**
 * Answers the first page of a test_metadata_routing launch opened in `tab` and says where the
 * runner went next: block1 routes to block3 only when boolean_flag arrived as JSON true, else to block2.
 */
async function routedPast(tab: Page): Promise<string> {
  await tab.waitForURL(/\/questionnaire\/block1\/$/, { timeout: 30_000 });
  await tab.getByRole('button', { name: 'Save and continue' }).click();
  await tab.waitForURL(/\/questionnaire\/block[23]\/$/, { timeout: 30_000 });
  return new URL(tab.url()).pathname;
}

describe.skipIf(skipReason !== undefined)('Launch screen in browser mode against the real runner', () => {
  let session: ConsoleWithRunner;
  let runner: RunnerKit;
  let api: Services;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    session = await startConsoleWithRunner('launch');
    ({ runner, api, context, page } = session);
  });

  afterAll(() => session?.close());

  const field = (path: string) => page.locator(`[data-path="${path}"]`);
  const fieldProblems = (path: string) => field(path).getByTestId('field-problems');
  const status = () => page.getByTestId('predicted-status').textContent();
  const meta = (name: string) => `survey_metadata.data.${name}`;

  it("lists the runner's schemas and builds claims for the chosen one", async () => {
    await expect.poll(() => page.getByTestId('environment-url').textContent()).toBe(runner.url);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Launch' }).click();
    await page.getByRole('heading', { name: 'Launch', level: 1 }).waitFor();

    const catalogue = page.getByTestId('catalogue');
    await catalogue.getByTestId(`schema-${SCHEMA}`).waitFor({ timeout: 30_000 });
    await expect(catalogue.getByRole('heading', { level: 3, name: /^test/ }).count()).resolves.toBe(1);
    await catalogue.getByLabel('Search schemas').fill('metadata routing');
    const item = catalogue.getByTestId(`schema-${SCHEMA}`);
    // The compact metadata list says what the schema asks for.
    await expect(item.getByRole('list', { name: `Metadata of ${SCHEMA}` }).textContent()).resolves.toContain('boolean_flag:boolean');
    await item.getByRole('button', { name: SCHEMA_TITLE }).click();

    await expect.poll(() => page.getByTestId('chosen-schema').textContent()).toContain(SCHEMA_TITLE);
    await expect.poll(() => page.getByLabel('schema_name', { exact: true }).inputValue()).toBe(SCHEMA);
    const flag = page.getByRole('checkbox', { name: 'boolean_flag' });
    await expect(flag.isChecked()).resolves.toBe(false);
    await expect.poll(status).toBe('302');
    await expect(page.getByTestId('verdict-sentence').textContent()).resolves.toContain('would accept');
    await expect(page.getByTestId('launch-bar').getByRole('button', { name: 'Launch', exact: true }).isEnabled()).resolves.toBe(true);
  });

  it('shows a problem at the field that has it, and clears it when fixed', async () => {
    const userId = page.getByLabel('user_id', { exact: true });
    await userId.fill('');
    await fieldProblems(meta('user_id')).waitFor();
    await expect(fieldProblems(meta('user_id')).getAttribute('role')).resolves.toBe('alert');
    await expect(fieldProblems(meta('user_id')).textContent()).resolves.toContain('required');
    await expect.poll(status).toBe('403');
    await expect(page.getByTestId('launch-button').textContent()).resolves.toBe('Launch anyway');

    // A broken UUID is reported at its own field, and the form keeps what was typed.
    const txId = page.getByLabel('tx_id', { exact: true });
    const goodTxId = await txId.inputValue();
    await txId.fill('not-a-uuid');
    await expect.poll(() => fieldProblems('tx_id').textContent()).toContain('UUID');
    await expect(txId.getAttribute('aria-invalid')).resolves.toBe('true');

    // "Launch anyway" asks first.
    await page.getByTestId('launch-button').click();
    const confirm = page.getByTestId('confirm-launch');
    await confirm.waitFor();
    await expect(confirm.textContent()).resolves.toContain('403');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });

    await txId.fill(goodTxId);
    await userId.fill('UNKNOWN');
    await expect.poll(() => fieldProblems(meta('user_id')).count()).toBe(0);
    await expect.poll(() => fieldProblems('tx_id').count()).toBe(0);
    await expect.poll(status).toBe('302');
    await expect(page.getByTestId('launch-button').textContent()).resolves.toBe('Launch');
  });

  it('edits the claims as JSON in both directions', async () => {
    const raw = page.getByTestId('raw-json');
    // Form to JSON.
    await page.getByLabel('ru_name', { exact: true }).fill('Form Edit Ltd');
    await expect.poll(async () => JSON.parse(await readRawJson(raw)).survey_metadata.data.ru_name).toBe('Form Edit Ltd');

    // JSON to form.
    const claims = JSON.parse(await readRawJson(raw));
    claims.survey_metadata.data.ru_name = 'Raw Edit Ltd';
    claims.language_code = 'cy';
    await fillRawJson(raw, JSON.stringify(claims, null, 2));
    await expect.poll(() => page.getByLabel('ru_name', { exact: true }).inputValue()).toBe('Raw Edit Ltd');
    await expect(page.getByLabel('language_code').inputValue()).resolves.toBe('cy');

    // Broken JSON: the error shows and the form keeps the last valid claims.
    await fillRawJson(raw, '{ "version": "v2", "survey_metadata": ');
    const error = page.getByTestId('raw-json-error');
    await error.waitFor();
    await expect(error.getAttribute('role')).resolves.toBe('alert');
    await expect(error.textContent()).resolves.toContain('Not valid JSON');
    await expect(page.getByLabel('ru_name', { exact: true }).inputValue()).resolves.toBe('Raw Edit Ltd');
    // Text that does not parse is no claims to judge: no prediction until it does.
    await expect.poll(status).toBe('—');

    // Editing the form again replaces the broken text with the claims.
    await page.getByLabel('language_code').fill('en');
    await error.waitFor({ state: 'detached' });
    expect(JSON.parse(await readRawJson(raw)).language_code).toBe('en');
    await expect.poll(status).toBe('302');
  });

  it('launches in a new tab, where the boolean arrives as JSON true', async () => {
    await page.getByRole('checkbox', { name: 'boolean_flag' }).check();
    await expect.poll(async () => JSON.parse(await readRawJson(page.getByTestId('raw-json'))).survey_metadata.data.boolean_flag).toBe(true);
    await expect.poll(status).toBe('302');

    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByTestId('launch-button').click()]);
    await tab.waitForURL(/\/questionnaire\//, { timeout: 30_000 });
    expect(tab.url().startsWith(runner.url)).toBe(true);
    expect(await routedPast(tab)).toBe('/questionnaire/block3/');
    await tab.close();

    await expect.poll(() => page.getByTestId('last-launch-status').textContent()).toContain('Opened in a new browser tab');
    // The runner takes each jti once: the builder moved on to a fresh one.
    const history = await api.history.list();
    const launched = history.at(-1)!;
    expect((launched.claims.survey_metadata as { data: Record<string, unknown> }).data).toMatchObject({ boolean_flag: true, ru_name: 'Raw Edit Ltd' });
    expect(launched.claims.jti).not.toBe(JSON.parse(await readRawJson(page.getByTestId('raw-json'))).jti);
    expect((await runner.requests()).some((r) => r.startsWith('GET /session?token='))).toBe(true);
  });

  it('lists the launch in the history and resumes it with fresh ids and the same response_id', async () => {
    const rows = page.getByTestId('history-row');
    await expect.poll(() => rows.count()).toBe(1);
    const cells = await rows.first().getByRole('cell').allTextContents();
    expect(cells[1]).toBe(SCHEMA_TITLE);
    expect(cells[2]).toBe('v2');
    expect(cells[3]).toBe('302');
    expect(cells[4]).toBe('not observed');

    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      rows
        .first()
        .getByRole('button', { name: /^Resume / })
        .click(),
    ]);
    // A second use of the first jti would be refused with 401; Resume, with a fresh jti and the
    // same response_id (which its name says: a respondent relaunch gets a new one), resumes the
    // stored response where the first launch left it: at block3, where only boolean_flag true leads.
    await tab.waitForURL(/\/questionnaire\/block3\/\?resume=True$/, { timeout: 30_000 });
    await tab.close();
    await expect.poll(() => rows.count()).toBe(2);
    const [first, second] = await api.history.list().then((h) => h.slice(-2));
    expect(second!.claims.jti).not.toBe(first!.claims.jti);
    expect(second!.claims.response_id).toBe(first!.claims.response_id);
  });

  it('previews a local schema file and relaunches when it changes', async () => {
    // A draft beside the config folder, not in it: the console never serves files from its own folder.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-drafts-')), 'my_survey.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const schema = JSON.parse(fs.readFileSync(path.join(ONS, 'runner/schemas/test/en', `${SCHEMA}.json`), 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...schema, title: 'Draft survey one' }));

    const panel = page.getByTestId('schema-preview');
    await panel.getByLabel('Schema file path').fill(file);
    await panel.getByRole('button', { name: 'Preview' }).click();
    const served = panel.getByTestId('preview-url');
    await served.waitFor();
    expect(await served.textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    await panel.getByRole('button', { name: 'Use in the builder' }).click();
    await expect.poll(() => page.getByLabel('schema_url', { exact: true }).inputValue()).toBe(await served.textContent());
    await expect.poll(() => page.getByTestId('chosen-schema').textContent()).toContain('Draft survey one');
    await expect.poll(status).toBe('302');

    // The runner names the questionnaire in the page title: "<question> - <schema title>".
    const [first] = await Promise.all([context.waitForEvent('page'), page.getByTestId('launch-button').click()]);
    await first.waitForURL(/\/questionnaire\/block1\/$/, { timeout: 30_000 });
    await expect(first.title()).resolves.toBe('Question 1 - Draft survey one');
    await first.close();

    // The page polls every 2 s: a saved change shows up as an offer to relaunch.
    fs.writeFileSync(file, JSON.stringify({ ...schema, title: 'Draft survey two' }));
    const relaunch = panel.getByRole('button', { name: 'The file changed — relaunch' });
    await relaunch.waitFor({ timeout: 15_000 });
    const [second] = await Promise.all([context.waitForEvent('page'), relaunch.click()]);
    // The runner keeps every schema_url it fetched (lru_cache on the URL): the relaunch works
    // only because a changed file is served at a new URL.
    await second.waitForURL(/\/questionnaire\/block1\/$/, { timeout: 30_000 });
    await expect(second.title()).resolves.toBe('Question 1 - Draft survey two');
    await second.close();
    await relaunch.waitFor({ state: 'detached' });

    // A file that stops being JSON is reported where the preview is shown.
    fs.writeFileSync(file, '{ "title": ');
    const broken = panel.getByTestId('preview-file-error');
    await broken.waitFor({ timeout: 15_000 });
    await expect(broken.getAttribute('role')).resolves.toBe('alert');
    await panel.getByRole('button', { name: 'Stop' }).click();
    await served.waitFor({ state: 'detached' });
  });

  it('saves the builder as a profile and loads it back with fresh ids', async () => {
    await page.getByTestId('catalogue').getByRole('button', { name: SCHEMA_TITLE }).click();
    await expect.poll(() => page.getByLabel('schema_name', { exact: true }).inputValue()).toBe(SCHEMA);
    await page.getByRole('checkbox', { name: 'boolean_flag' }).check();
    await page.getByLabel('Profile name').fill('Routing with the flag');
    await page.getByRole('button', { name: 'Save the builder' }).click();
    const item = page.getByTestId('profile-item');
    await expect.poll(() => item.count()).toBe(1);
    const savedJti = (await api.profiles.list())[0]!.claims.jti;

    await page.getByRole('checkbox', { name: 'boolean_flag' }).uncheck();
    await item.getByRole('button', { name: 'Load profile Routing with the flag' }).click();
    await expect.poll(() => page.getByRole('checkbox', { name: 'boolean_flag' }).isChecked()).toBe(true);
    const claims = JSON.parse(await readRawJson(page.getByTestId('raw-json')));
    expect(claims.jti).not.toBe(savedJti);
    expect(claims.schema_name).toBe(SCHEMA);
  });

  it('looks right at 1366 and at 1100 wide (screenshots for a human)', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: '/tmp/launch-1366.png' });
    await page.screenshot({ path: '/tmp/launch-1366-full.png', fullPage: true });
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.screenshot({ path: '/tmp/launch-1100.png' });
    await page.screenshot({ path: '/tmp/launch-1100-full.png', fullPage: true });
    await page.getByTestId('history').screenshot({ path: '/tmp/launch-history-1100.png' });
    await page.setViewportSize({ width: 1366, height: 900 });
    // Nothing sticks out sideways at either width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(fs.statSync('/tmp/launch-1366.png').size).toBeGreaterThan(10_000);
  });

  it('adds an environment, says plainly when its runner is down, and switching back reloads', async () => {
    await page.getByRole('button', { name: 'Add an environment' }).click();
    const dialog = page.getByTestId('environment-dialog');
    await dialog.getByLabel('Name').fill('Nowhere');
    await dialog.getByLabel('Runner URL').fill('http://127.0.0.1:9');
    await dialog.getByRole('button', { name: 'Add environment' }).click();
    await dialog.waitFor({ state: 'detached' });
    const nowhere = (await api.environments.list()).find((e) => e.name === 'Nowhere')!;
    expect(nowhere.runnerUrl).toBe('http://127.0.0.1:9');

    await page.getByTestId('environment-select').selectOption(nowhere.id);
    await expect.poll(() => page.getByTestId('environment-url').textContent()).toBe('http://127.0.0.1:9');
    // A runner that is down is not the user's error: the first-run guide says so, and what to do.
    const guide = page.getByTestId('first-run-guide');
    await guide.waitFor({ timeout: 30_000 });
    await expect(guide.getByTestId('guide-step-runner').textContent()).resolves.toContain('cannot reach the runner at http://127.0.0.1:9');
    await expect(page.getByTestId('catalogue-error').count()).resolves.toBe(0);
    await expect(page.getByTestId('schema-list').count()).resolves.toBe(0);

    // Removing asks first, then the service picks the environment that takes over.
    await page.getByRole('button', { name: 'Remove environment Nowhere' }).click();
    const confirm = page.getByTestId('environment-remove-dialog');
    await confirm.getByRole('button', { name: 'Remove environment' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(async () => (await api.environments.list()).some((e) => e.id === nowhere.id)).toBe(false);
    // The environment that takes over is switched to in full first (its ring, runner and history): slow on a busy machine.
    await expect.poll(() => page.getByTestId('environment-select').locator('option').allTextContents(), { timeout: 20_000 }).not.toContain('Nowhere');

    await page.getByTestId('environment-select').selectOption(session.runnerEnv.id);
    await expect.poll(() => page.getByTestId('environment-url').textContent()).toBe(runner.url);
    await page.getByTestId('catalogue').getByTestId(`schema-${SCHEMA}`).waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('catalogue-error').count()).resolves.toBe(0);
  });

  it('hides the sessions strip in browser mode', async () => {
    await expect(page.getByTestId('sessions-strip').count()).resolves.toBe(0);
  });

  // Electron cannot run here, so the desktop page is the same build with a window.eqConsole that
  // says mode "electron", fakes the session host and passes everything else to the real services.
  it('shows desktop sessions and keeps the embedded view over its viewport box only', async () => {
    const desk = await context.newPage();
    desk.on('pageerror', (err) => session.pageProblems.push(`desk pageerror: ${err.message}`));
    await desk.addInitScript(fakeDesktopBridge, runner.url);
    await desk.goto(session.server.url);
    await desk.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Launch' }).click();
    const strip = desk.getByTestId('sessions-strip');
    await strip.waitFor();
    const tabs = strip.getByRole('tab');
    await expect.poll(() => tabs.count()).toBe(2);
    await expect(strip.getByRole('tab', { selected: true }).textContent()).resolves.toContain('Test Metadata Routing');
    await expect.poll(() => strip.getByLabel('Address').inputValue()).toBe(`${runner.url}/questionnaire/`);
    await expect(strip.getByRole('button', { name: 'Back' }).isDisabled()).resolves.toBe(true);

    // Where the native view belongs: the viewport box, less what the sticky header covers.
    const viewportBox = async () =>
      desk.getByTestId('session-viewport').evaluate((el) => {
        const r = el.getBoundingClientRect();
        const header = document.querySelector('.app-header')!.getBoundingClientRect().bottom;
        return { x: Math.round(r.x), y: Math.round(Math.max(r.y, header)), width: Math.round(r.width) };
      });
    const matches = async () => {
      const [rect, box] = [(await lastRect()) as { x: number; y: number; width: number; height: number } | string | null, await viewportBox()];
      return typeof rect === 'object' && rect !== null && rect.x === box.x && rect.y === box.y && rect.width === box.width && rect.height > 100;
    };
    const lastRect = () =>
      desk.evaluate(() => {
        const sent = (window as unknown as { __viewport: unknown[] }).__viewport;
        return sent.length ? sent[sent.length - 1] : 'nothing sent';
      });
    await desk.getByTestId('session-viewport').scrollIntoViewIfNeeded();
    await expect.poll(matches).toBe(true);
    // Scrolled so the box slides under the header: the view follows and stops at the header.
    await desk.getByTestId('session-viewport').evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - 20));
    await expect.poll(matches).toBe(true);
    await expect(lastRect()).resolves.toMatchObject({ y: 48 });

    // "Preview submission" opens the session's dump on the Downstream screen, and leaving Launch
    // takes the native view away until the user comes back.
    await strip.getByRole('button', { name: 'Preview submission' }).click();
    await desk.getByRole('heading', { name: 'Downstream', level: 1 }).waitFor();
    await expect.poll(lastRect).toBeNull();
    const reader = desk.getByTestId('reader');
    await expect
      .poll(() =>
        reader
          .locator('#reader-title')
          .textContent()
          .catch(() => ''),
      )
      .toBe('dump of Test Metadata Routing');
    await expect
      .poll(() =>
        reader
          .getByTestId('envelope')
          .textContent()
          .catch(() => ''),
      )
      .toContain('b5c6a1d0-0000-4000-8000-000000000000');
    await desk.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Launch' }).click();
    await strip.waitFor();
    await expect.poll(lastRect).toMatchObject({ width: expect.any(Number) });

    // Enter in the address bar navigates the active session.
    const address = strip.getByLabel('Address');
    await address.fill(`${runner.url}/dump/submission`);
    await address.press('Enter');
    await expect
      .poll(() => desk.evaluate(() => (window as unknown as { __controls: unknown[] }).__controls))
      .toContainEqual(['s1', 'navigate', `${runner.url}/dump/submission`]);
    await strip.getByRole('tab', { name: /Second/ }).click();
    await expect.poll(() => strip.getByRole('tab', { selected: true }).textContent()).toContain('Second');

    await strip.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await desk.screenshot({ path: '/tmp/launch-desktop.png' });
    // Leaving the screen takes the view away.
    await desk.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Keys' }).click();
    await expect.poll(lastRect).toBeNull();
    await desk.close();
  });

  it('keeps the prediction at 302 from a social-theme schema to a business-theme one', async () => {
    const catalogue = page.getByTestId('catalogue');
    const raw = async () => JSON.parse(await readRawJson(page.getByTestId('raw-json')));
    const pick = async (name: string) => {
      await catalogue.getByLabel('Search schemas').fill(name);
      const item = catalogue.getByTestId(`schema-${name}`);
      await item.waitFor({ timeout: 30_000 });
      await item.getByRole('button').first().click();
      await expect.poll(() => page.getByLabel('schema_name', { exact: true }).inputValue()).toBe(name);
    };
    await pick('test_theme_social');
    await expect.poll(async () => (await raw()).survey_metadata.receipting_keys).toEqual(['qid']);
    await expect.poll(status).toBe('302');
    // Its metadata has no qid: receipting by the social schema's qid would be refused with 403.
    await pick('test_placeholder_dependencies_with_calculation_summaries');
    await expect.poll(status).toBe('302');
    expect((await raw()).survey_metadata.receipting_keys).toBeUndefined();
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});

/**
 * Runs in the page before the app: a desktop bridge whose sessions are fakes (recording what the
 * page asks of them) and whose other operations go to the browser-mode server, token and all.
 */
function fakeDesktopBridge(runner: string) {
  const w = window as unknown as Record<string, unknown> & { __viewport: unknown[]; __controls: unknown[] };
  const token = new URL(location.href).searchParams.get('token') ?? sessionStorage.getItem('eq-console-token');
  if (token) sessionStorage.setItem('eq-console-token', token);
  const base = location.origin;
  w.__viewport = [];
  w.__controls = [];
  const session = (id: string, title: string, active: boolean, dumper: boolean) => ({
    id,
    label: title,
    title,
    url: `${runner}/questionnaire/`,
    canGoBack: false,
    canGoForward: false,
    loading: false,
    active,
    dumper,
    answer: { status: 302, location: '/questionnaire/', at: new Date().toISOString() },
  });
  let sessions = [session('s1', 'Test Metadata Routing', true, true), session('s2', 'Second session', false, false)];
  const fakeSessions = {
    list: async () => sessions,
    control: async (id: string, action: string, url?: string) => {
      w.__controls.push(url === undefined ? [id, action] : [id, action, url]);
      if (action === 'activate') sessions = sessions.map((s) => ({ ...s, active: s.id === id }));
      if (action === 'close') sessions = sessions.filter((s) => s.id !== id);
      return sessions;
    },
    setViewport: async (rect: unknown) => void w.__viewport.push(rect),
    previewSubmission: async () => ({ submission: { tx_id: 'b5c6a1d0-0000-4000-8000-000000000000', data: { answers: [] } } }),
  };
  const call = async (channel: string, args: unknown[]) => {
    while (args.length && args[args.length - 1] === undefined) args.pop();
    const res = await fetch(`${base}/api/${channel}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-EQ-Token': token ?? '' },
      body: JSON.stringify({ args }),
    });
    const body = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
    if (!body.ok) throw Object.assign(new Error(body.error!.message), body.error);
    return body.value;
  };
  w.eqConsole = new Proxy(
    {},
    {
      get: (_t, group: string) =>
        group === 'onEvent'
          ? // The desktop shell's events: none come in this test (the fake host answers every call itself).
            () => () => {}
          : group === 'sessions'
            ? fakeSessions
            : new Proxy(
                {},
                {
                  get:
                    (_u, method: string) =>
                    async (...args: unknown[]) => {
                      const value = await call(`${group}.${method}`, args);
                      return group === 'app' && method === 'info' ? { ...(value as object), mode: 'electron' } : value;
                    },
                },
              ),
    },
  );
}
