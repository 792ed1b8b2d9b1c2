// The launch form as a person uses it, in Debian's Chromium over browser mode, against the real
// runner from ../shared/runner-kit (issue 12, item 3): the raw JSON is a CodeMirror editor whose
// errors say line and column; dates are ISO text with a picker that never hides the typed value;
// the sticky launch bar never covers a field's error; the catalogue is dense and one tab stop; and
// a Folder schema launches through the local preview's schema_url. Screenshots of each state are
// written under this run's own temporary folder (printed), for a person to look at.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eSkipReason, screenshotsDir, startConsoleWithRunner, type ConsoleWithRunner } from '../support/e2e';
import { runnerKitMissing } from '../support/runner-kit';
import { ONS, sharedMissing } from '../support/shared';
import { fillRawJson, readRawJson } from '../support/raw-json';

const skipReason = e2eSkipReason('launch-form', sharedMissing(), runnerKitMissing());

const SCHEMA = 'test_checkbox';
const DATE_SCHEMA = 'test_date_validation_single';
/** A name the runner does not have: it can only load this schema by URL. */
const FOLDER_SCHEMA = 'e2e_folder_only_checkbox';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe.skipIf(skipReason !== undefined)('the launch form in Chromium, against the real runner', () => {
  let session: ConsoleWithRunner;
  let page: Page;
  let shots: string;
  let folder: string;

  beforeAll(async () => {
    session = await startConsoleWithRunner('launch-form');
    page = session.page;
    shots = screenshotsDir('launch-form');
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'eq-e2e-launch-form-schemas-'));
    await openLaunch();
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
  const status = () => page.getByTestId('predicted-status').textContent();
  const editor = () => page.getByTestId('raw-json');
  const box = async (locator: Locator): Promise<Box> => (await locator.boundingBox())!;

  async function openLaunch() {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Launch', exact: true }).click();
    await page.getByTestId('catalogue').getByTestId(`schema-${SCHEMA}`).waitFor({ timeout: 30_000 });
  }

  async function pick(name: string) {
    const catalogue = page.getByTestId('catalogue');
    await catalogue.getByTestId('catalogue-search').fill(name);
    await catalogue.getByTestId(`schema-${name}`).getByRole('button').click();
    await catalogue.getByTestId('catalogue-search').fill('');
  }

  it('shows a dense catalogue that is one tab stop: arrows move within it, Enter picks, Tab leaves for the form', async () => {
    await page.setViewportSize({ width: 1366, height: 800 });
    const list = page.getByTestId('schema-list');
    const rows = list.locator('.schema-item');
    expect(await rows.count()).toBeGreaterThan(200);

    // Rows wholly inside both the list's scroll box and the window.
    const visible = await list.evaluate((el) => {
      const frame = el.getBoundingClientRect();
      const top = Math.max(frame.top, 0);
      const bottom = Math.min(frame.bottom, window.innerHeight);
      return [...el.querySelectorAll('.schema-item')].filter((row) => {
        const r = row.getBoundingClientRect();
        return r.height > 0 && r.top >= top && r.bottom <= bottom;
      }).length;
    });
    console.info(`[launch-form e2e] ${visible} schemas visible at once in a 800 px high window`);
    expect(visible).toBeGreaterThanOrEqual(12);
    await shot('catalogue-dense');

    // Tab stops from the first control of the catalogue to the first control of the form.
    await page.getByTestId('catalogue').getByRole('radio', { name: 'Runner' }).focus();
    let stops = 0;
    const inForm = () => page.evaluate(() => !!document.activeElement?.closest('[data-testid="builder"]'));
    while (!(await inForm()) && stops < 400) {
      await page.keyboard.press('Tab');
      stops++;
    }
    console.info(`[launch-form e2e] ${stops} tab stops from the catalogue's first control to the form`);
    expect(stops).toBeLessThan(10);

    // Tab from the search box enters the list once; the arrows move the focus within it.
    await page.getByTestId('catalogue-search').focus();
    await page.keyboard.press('Tab');
    const focusedRow = () => page.evaluate(() => document.activeElement?.closest('.schema-item')?.getAttribute('data-testid') ?? null);
    const names = (await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')))) as string[];
    expect(await focusedRow()).toBe(names[0]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focusedRow()).toBe(names[2]);
    await page.keyboard.press('ArrowUp');
    expect(await focusedRow()).toBe(names[1]);
    await page.keyboard.press('End');
    expect(await focusedRow()).toBe(names.at(-1));
    await page.keyboard.press('Home');
    expect(await focusedRow()).toBe(names[0]);
    await page.keyboard.press('PageDown');
    expect(await focusedRow()).toBe(names[10]);
    // The detail below the list follows the focus.
    const focusedName = names[10].replace(/^schema-/, '');
    await expect(page.getByTestId('schema-detail').textContent()).resolves.toContain(focusedName);
    await shot('catalogue-keyboard');

    // Enter picks the focused schema.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('schema_name', { exact: true }).inputValue()).toBe(focusedName);
    // One Tab leaves the list: the focus is on no row.
    await page.keyboard.press('Tab');
    expect(await focusedRow()).toBeNull();
    // Coming back lands on the picked schema, not the top of the list.
    await page.keyboard.press('Shift+Tab');
    expect(await focusedRow()).toBe(names[10]);
  });

  it('edits the claims in CodeMirror, with highlighting, a lint marker and the error at its line and column', async () => {
    await pick(SCHEMA);
    await expect.poll(() => page.getByLabel('schema_name', { exact: true }).inputValue()).toBe(SCHEMA);
    await expect.poll(status).toBe('302');

    const cm = page.locator('.raw-json .cm-editor');
    await expect(cm.count()).resolves.toBe(1);
    // CodeMirror's own stylesheet applied under the page's CSP (its base theme makes the editor a flex box).
    await expect(cm.evaluate((el) => getComputedStyle(el).display)).resolves.toBe('flex');
    // Highlighting: property names and string values are drawn in different colours.
    const colours = await editor().evaluate((el) => {
      const spans = [...el.querySelectorAll('.cm-line span')];
      return [...new Set(spans.map((s) => getComputedStyle(s).color))];
    });
    expect(colours.length).toBeGreaterThanOrEqual(2);

    const good = await readRawJson(editor());
    const claims = JSON.parse(good) as Record<string, unknown>;
    expect(claims.schema_name).toBe(SCHEMA);

    // The comma after the second property goes missing: the third line's start is where it breaks.
    const lines = JSON.stringify(claims, null, 2).split('\n');
    lines[2] = lines[2].replace(/,$/, '');
    await fillRawJson(editor(), lines.join('\n'));
    const error = page.getByTestId('raw-json-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain('line 4, column 3');
    await expect(error.textContent()).resolves.toContain('expected "," or "}" after a property value');
    await expect(page.getByTestId('launch-button').isDisabled()).resolves.toBe(true);
    await expect.poll(() => page.getByTestId('predicted-status').getAttribute('data-state')).toBe('invalid-json');
    // The editor marks the spot (a lint range on line 4, and a marker in the gutter).
    await expect.poll(() => page.locator('.raw-json .cm-lintRange-error').count()).toBeGreaterThan(0);
    await expect(page.locator('.raw-json .cm-lint-marker-error').count()).resolves.toBe(1);
    await expect(editor().getAttribute('aria-invalid')).resolves.toBe('true');
    await page.locator('.raw-json').scrollIntoViewIfNeeded();
    await shot('raw-json-error');

    // Typed back in by keyboard: the comma at the end of line 3.
    await editor().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.type(',');
    await error.waitFor({ state: 'detached' });
    await expect.poll(status).toBe('302');
    await expect(page.getByTestId('launch-button').isEnabled()).resolves.toBe(true);
    await expect.poll(() => page.locator('.raw-json .cm-lintRange-error').count()).toBe(0);
    expect(JSON.parse(await readRawJson(editor()))).toEqual(claims);

    // The form and the editor still follow each other.
    await page.getByLabel('ru_name', { exact: true }).fill('CodeMirror Ltd');
    await expect.poll(async () => JSON.parse(await readRawJson(editor())).survey_metadata.data.ru_name).toBe('CodeMirror Ltd');
  });

  it('shows a date as the ISO text the claims hold, a bad one included, and the picker never blanks it', async () => {
    await pick(DATE_SCHEMA);
    await expect.poll(() => page.getByLabel('schema_name', { exact: true }).inputValue()).toBe(DATE_SCHEMA);
    const date = page.getByLabel('ref_p_start_date', { exact: true });
    const field = page.locator('.claim-field[data-path="survey_metadata.data.ref_p_start_date"]');
    await expect(date.getAttribute('type')).resolves.toBe('text');

    // A date that is no date (30 February), put in through the raw JSON: it stays on screen with its error.
    const claims = JSON.parse(await readRawJson(editor()));
    claims.survey_metadata.data.ref_p_start_date = '2026-02-30';
    await fillRawJson(editor(), JSON.stringify(claims, null, 2));
    await expect.poll(() => date.inputValue()).toBe('2026-02-30');
    await expect.poll(status).toBe('403');
    await expect(field.getByTestId('field-problems').textContent()).resolves.toMatch(/date/i);

    // Opening the picker and leaving it changes nothing.
    await field.getByRole('button', { name: 'Pick ref_p_start_date from a calendar' }).click();
    await page.keyboard.press('Escape');
    await expect(date.inputValue()).resolves.toBe('2026-02-30');
    await field.scrollIntoViewIfNeeded();
    await shot('date-bad-value');

    // Typed text is the claim as typed.
    await date.fill('2026-12-02');
    await expect.poll(status).toBe('302');
    expect(JSON.parse(await readRawJson(editor())).survey_metadata.data.ref_p_start_date).toBe('2026-12-02');

    // A choice in the picker (its input, as the browser's popup would set it) becomes ISO text.
    const picker = page.getByTestId('date-picker-survey_metadata.data.ref_p_start_date');
    await expect(picker.getAttribute('type')).resolves.toBe('date');
    await picker.fill('2027-01-15', { force: true });
    await expect.poll(() => date.inputValue()).toBe('2027-01-15');

    // Date-times: any offset is kept as typed; the picker offers the same instant in UTC and gives UTC back.
    const expires = page.getByLabel('response_expires_at', { exact: true });
    const expiresField = page.locator('.claim-field[data-path="response_expires_at"]');
    await expires.fill('2030-01-01T09:00:00+01:00');
    await expect.poll(status).toBe('302');
    await expiresField.getByRole('button', { name: 'Pick response_expires_at from a calendar' }).click();
    await page.keyboard.press('Escape');
    const expiresPicker = page.getByTestId('date-picker-response_expires_at');
    // (Chromium drops zero seconds from a datetime-local value.)
    await expect(expiresPicker.inputValue()).resolves.toMatch(/^2030-01-01T08:00(:00)?$/);
    await expect(expires.inputValue()).resolves.toBe('2030-01-01T09:00:00+01:00');
    await expiresPicker.fill('2030-03-04T05:06:07', { force: true });
    await expect.poll(() => expires.inputValue()).toBe('2030-03-04T05:06:07+00:00');

    // Words where a date-time belongs stay there, with the runner's objection.
    await expires.fill('next tuesday');
    await expect.poll(status).toBe('403');
    await expect(expires.inputValue()).resolves.toBe('next tuesday');
    await expect(expiresField.getByTestId('field-problems').count()).resolves.toBe(1);
    await expiresField.getByRole('button', { name: 'Pick response_expires_at from a calendar' }).click();
    await page.keyboard.press('Escape');
    await expect(expires.inputValue()).resolves.toBe('next tuesday');
    await expiresField.scrollIntoViewIfNeeded();
    await shot('datetime-bad-value');
    await expiresField.getByRole('button', { name: 'Set response_expires_at to 7 days from now' }).click();
    await expect.poll(status).toBe('302');
  });

  it('never lets the sticky launch bar cover a field error, in a short window', async () => {
    await page.setViewportSize({ width: 1366, height: 560 });
    const bar = page.getByTestId('launch-bar');
    const url = page.getByLabel('account_service_url', { exact: true });
    const field = page.locator('.claim-field[data-path="account_service_url"]');
    const problems = field.getByTestId('field-problems');
    const good = await url.inputValue();

    // A single-label host: the runner refuses it (403), and the field says so.
    await url.fill('http://launcher:8000');
    await problems.waitFor();

    // Scrolled so the field's bottom meets the bottom of the window: it ends above the bar.
    await page.evaluate(() => window.scrollTo(0, 0));
    await field.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await page.evaluate(() => new Promise(requestAnimationFrame));
    expect(intersects(await box(problems), await box(bar))).toBe(false);
    await shot('bar-scrolled-to-field');

    /** Scrolls the page so the field's top sits `below` px under the bar's top edge: hidden behind it. */
    async function hideBehindBar(below: number) {
      await page.evaluate(() => window.scrollTo(0, 0));
      const barTop = (await box(bar)).y;
      const fieldTop = (await box(field)).y;
      await page.evaluate((dy) => window.scrollBy(0, dy), fieldTop - barTop + below);
      await page.evaluate(() => new Promise(requestAnimationFrame));
      expect(intersects(await box(field), await box(bar))).toBe(true);
    }

    // Tabbing onto a field behind the bar brings it, with its error, clear of the bar.
    await hideBehindBar(10);
    await page.locator('.claim-field[data-path="channel"] input').evaluate((el: HTMLInputElement) => el.focus({ preventScroll: true }));
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.closest('.claim-field')?.getAttribute('data-path'))).resolves.toBe('account_service_url');
    await page.evaluate(() => new Promise(requestAnimationFrame));
    expect(intersects(await box(problems), await box(bar))).toBe(false);
    expect(intersects(await box(url), await box(bar))).toBe(false);
    await shot('bar-tab-to-field');

    // An error that appears while typing in a field just above the bar is brought into view too.
    await url.fill(good);
    await problems.waitFor({ state: 'detached' });
    await page.evaluate(() => window.scrollTo(0, 0));
    const inputBottom = async () => {
      const b = await box(url);
      return b.y + b.height;
    };
    await page.evaluate((dy) => window.scrollBy(0, dy), (await inputBottom()) - (await box(bar)).y + 2);
    await url.evaluate((el: HTMLInputElement) => el.focus({ preventScroll: true }));
    await page.keyboard.press('End');
    await page.keyboard.type('x:not-a-port');
    await problems.waitFor();
    await page.evaluate(() => new Promise(requestAnimationFrame));
    expect(intersects(await box(problems), await box(bar))).toBe(false);
    await shot('bar-error-while-typing');

    await url.fill(good);
    await problems.waitFor({ state: 'detached' });
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it('launches a Folder schema the runner does not have through the local preview’s schema_url: 302', async () => {
    const source = fs.readFileSync(path.join(ONS, 'runner/schemas/test/en', `${SCHEMA}.json`), 'utf8');
    fs.writeFileSync(path.join(folder, `${FOLDER_SCHEMA}.json`), source);

    const catalogue = page.getByTestId('catalogue');
    await catalogue.getByText('Folder', { exact: true }).click();
    await catalogue.getByLabel('Folder of schema files').fill(folder);
    await catalogue.getByRole('button', { name: 'Load' }).click();
    const item = catalogue.getByTestId(`schema-${FOLDER_SCHEMA}`);
    await item.waitFor({ timeout: 30_000 });
    await item.getByRole('button').click();

    const served = page.getByTestId('preview-url');
    await served.waitFor({ timeout: 30_000 });
    const schemaUrl = (await served.textContent())!;
    expect(schemaUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(schemaUrl.endsWith(`/${FOLDER_SCHEMA}.json`)).toBe(true);
    await expect.poll(() => page.getByLabel('schema_url', { exact: true }).inputValue()).toBe(schemaUrl);
    const claims = JSON.parse(await readRawJson(editor()));
    expect(claims.schema_url).toBe(schemaUrl);
    expect(claims.schema_name).toBeUndefined();
    await expect.poll(status, { message: 'the verdict on the folder schema' }).toBe('302');
    await shot('folder-schema-picked');

    // Launched nowhere (Copy URL), then the URL is opened as a respondent's browser would.
    await page.getByTestId('copy-url').click();
    const launchUrl = page.getByTestId('last-launch').locator('code.launch-url');
    await launchUrl.waitFor();
    const answer = await fetch((await launchUrl.textContent())!, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toContain('/questionnaire/');
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});
