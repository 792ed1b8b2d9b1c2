// The Flush screen end to end: the built renderer in Debian's Chromium (browser mode), the real
// services, and the real runner (../shared/runner-kit). The active environment points at the
// runner and its ring holds the runner's test keys, so the flush tokens the services mint are
// opened by the runner, which sends what respondents answered downstream (its log). Build first
// with `npx electron-vite build`.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClaims } from '../../shared/launch/index';
import type { Services } from '../../electron/services/index';
import { importTexts, readKeyFiles } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { sealClaims } from '../../electron/services/tokens/jwt-profile';
import { launchKeys } from '../../electron/services/tokens/launch-keys';
import { VIRTUALIZE_OVER } from '../../renderer/src/components/useRowWindow';
import { e2eSkipReason, RUNNER_CHECKOUT, screenshotsDir, startConsoleWithRunner, type ConsoleWithRunner } from '../support/e2e';
import { respond, runnerKitMissing, type RunnerKit } from '../support/runner-kit';
import { RUNNER_KEYS_DIR, sharedMissing } from '../support/shared';

const SHOTS = screenshotsDir('flush');

const SCREENSHOT = path.join(SHOTS, 'flush.png');

const skipReason = e2eSkipReason('flush', sharedMissing(), runnerKitMissing());

/** How many responses respondents answer before the first flush: each is a real launch and a posted page. */
const ANSWERED_COUNT = 20;
const UNKNOWN = Array.from({ length: 30 }, (_, i) => `e2e-unknown-${String(i).padStart(3, '0')}`);
/** A long list, past the rows the table keeps as plain DOM: ids the runner never saw, each still a real /flush. */
const MANY = VIRTUALIZE_OVER + 20;

/** Launches test_checkbox `count` times, outside the console as a launcher would, and answers each page. */
async function answeredResponses(runner: RunnerKit, count: number): Promise<string[]> {
  const ring = new KeyRing();
  importTexts(ring, readKeyFiles([RUNNER_KEYS_DIR]));
  const keys = launchKeys(ring);
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < count) {
        next++;
        const claims = newClaims({ payload: 'v2', selection: { schema_name: 'test_checkbox' }, nowSeconds: Math.floor(Date.now() / 1000) });
        const answered = await respond(`${runner.url}/session?token=${await sealClaims(claims, keys)}`, { 'mandatory-checkbox-answer': 'Ham' });
        expect(answered).toMatchObject({ launchStatus: 302, postStatus: 302 });
        ids.push(String(claims.response_id));
      }
    }),
  );
  return ids;
}

describe.skipIf(skipReason !== undefined)('Flush screen in browser mode against the real runner', () => {
  let session: ConsoleWithRunner;
  let runner: RunnerKit;
  let api: Services;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    session = await startConsoleWithRunner('flush');
    ({ runner, api, context, page } = session);
  });

  afterAll(() => session?.close());

  const nav = (name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
  const progress = () => page.getByRole('progressbar', { name: 'Flush progress' });
  const summary = () => page.getByTestId('flush-summary').textContent();
  const rows = () => page.getByTestId('flush-row');
  const filters = () => page.getByRole('group', { name: 'Show outcomes' });

  async function finished(total: number) {
    await expect.poll(() => progress().getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe(String(total));
    await expect.poll(() => page.getByTestId('flush-results').getByRole('heading', { level: 2 }).textContent(), { timeout: 30_000 }).toBe('Flush finished');
  }

  async function downloadCsv(button: ReturnType<Page['getByRole']>): Promise<{ name: string; lines: string[] }> {
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    return { name: download.suggestedFilename(), lines: text.split('\r\n') };
  }

  it(`flushes a pasted list: ${ANSWERED_COUNT} answered responses go downstream, ${UNKNOWN.length} unknown ones had nothing to flush`, async () => {
    const answered = await answeredResponses(runner, ANSWERED_COUNT);
    const before = (await runner.payloads()).length;
    const total = ANSWERED_COUNT + UNKNOWN.length;

    await nav('Flush').click();
    await page.getByRole('heading', { name: 'Flush', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('flush-runner').textContent()).toContain(runner.url);
    await expect(page.getByTestId('flush-start').isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId('flush-plan').textContent()).resolves.toMatch(/^No response ids yet/);

    // With some ids given twice, as a list exported from somewhere else would be.
    const list = [...answered, ...UNKNOWN].flatMap((id, i) => (i % 30 === 0 ? [id, id] : [id]));
    const duplicates = list.length - total;
    expect(duplicates).toBeGreaterThan(1);
    await page.getByLabel('A list or CSV of response ids').fill(list.join('\n'));
    await expect.poll(() => page.getByTestId('flush-plan').textContent()).toBe(`${total} response ids to flush · ${duplicates} duplicates dropped`);
    await page.getByLabel('At once').fill('8');
    await expect(page.getByTestId('flush-start').textContent()).resolves.toBe(`Flush ${total} responses`);
    await page.getByTestId('flush-start').click();

    await expect(progress().getAttribute('aria-valuemax')).resolves.toBe(String(total));
    await finished(total);
    await expect(progress().getAttribute('aria-valuetext')).resolves.toBe(`${total} of ${total}`);
    await expect(page.getByTestId('flush-progress-text').textContent()).resolves.toBe(`${total} of ${total}`);
    expect(await summary()).toBe(`${ANSWERED_COUNT} flushed, ${UNKNOWN.length} had nothing to flush, 0 failed.`);
    // The inputs became the job.
    await expect(page.getByLabel('A list or CSV of response ids').inputValue()).resolves.toBe('');
    await expect(page.getByTestId('flush-cancel').count()).resolves.toBe(0);

    const chips = await filters().getByRole('button').allTextContents();
    expect(chips).toEqual([`All ${total}`, `Flushed ${ANSWERED_COUNT}`, `Nothing to flush ${UNKNOWN.length}`, 'Forbidden 0', 'Invalid token 0', 'Error 0']);
    await expect.poll(() => rows().count()).toBe(total);
    // Nothing failed, so there is nothing to retry.
    await expect(page.getByTestId('flush-retry').isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId('flush-failure-note').count()).resolves.toBe(0);

    expect((await runner.payloads()).length - before).toBe(ANSWERED_COUNT);
  });

  it('filters by outcome, sorts, and exports the rows shown as CSV', async () => {
    await filters()
      .getByRole('button', { name: /^Nothing to flush/ })
      .click();
    await expect(
      filters()
        .getByRole('button', { name: /^Nothing to flush/ })
        .getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    await expect.poll(() => rows().count()).toBe(30);
    const first = rows().first().getByRole('cell');
    await expect(first.nth(1).textContent()).resolves.toBe('Nothing to flush');
    await expect(first.nth(2).textContent()).resolves.toBe('404');
    await expect(first.nth(4).textContent()).resolves.toBe('1');

    // Newest-last by response id, then reversed.
    const idHeader = page.getByRole('columnheader', { name: /Response id/ });
    await idHeader.getByRole('button').click();
    await expect(idHeader.getAttribute('aria-sort')).resolves.toBe('ascending');
    await expect(rows().first().getByRole('cell').first().textContent()).resolves.toBe(UNKNOWN[0]);
    await idHeader.getByRole('button').click();
    await expect(idHeader.getAttribute('aria-sort')).resolves.toBe('descending');
    await expect(rows().first().getByRole('cell').first().textContent()).resolves.toBe(UNKNOWN.at(-1));

    const shown = await downloadCsv(page.getByRole('button', { name: 'Export 30 rows as CSV' }));
    // No file of ids, so the name is the job's start time and the rows' filter.
    expect(shown.name).toMatch(/^flush-\d{4}(-\d\d){5}-nothing-to-flush\.csv$/);
    expect(shown.lines[0]).toBe('responseId,httpStatus,outcome,message,attempts');
    expect(shown.lines.at(-1)).toBe('');
    const body = shown.lines.slice(1, -1);
    expect(body).toHaveLength(30);
    // In the order shown: sorted by response id, descending.
    expect(body.map((l) => l.split(',')[0])).toEqual([...UNKNOWN].reverse());
    for (const line of body) expect(line).toMatch(/^e2e-unknown-\d{3},404,nothing-to-flush,"Nothing to flush: [^"]+",1$/);

    const all = await downloadCsv(page.getByRole('button', { name: 'Export all' }));
    expect(all.name).toBe(shown.name.replace('-nothing-to-flush', ''));
    expect(all.lines.slice(1, -1)).toHaveLength(ANSWERED_COUNT + UNKNOWN.length);
    expect(all.lines.filter((l) => l.includes(',200,flushed,'))).toHaveLength(ANSWERED_COUNT);

    await filters().getByRole('button', { name: /^All/ }).click();
    await expect.poll(() => rows().count()).toBe(ANSWERED_COUNT + UNKNOWN.length);
    await idHeader.getByRole('button').click();
    await expect(idHeader.getAttribute('aria-sort')).resolves.toBeNull();
  });

  it('looks right (screenshot for a human)', async () => {
    await page.getByRole('button', { name: /^Nothing to flush/ }).click();
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    await page.getByTestId('flush-results').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(SHOTS, 'flush-results.png') });
    await filters().getByRole('button', { name: /^All/ }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it('renders only the rows in view for a long list loaded from a file, and scrolls to the end of it', async () => {
    const ids = Array.from({ length: MANY }, (_, i) => `e2e-many-${String(i).padStart(3, '0')}`);
    // A spreadsheet's export: a BOM, CRLF, a header in its own case, notes with a quoted line break.
    const csv = `\ufeffResponse_ID,note\r\n${ids.map((id, i) => `${id},${i % 7 ? 'x' : '"two\r\nlines, one note"'}`).join('\r\n')}\r\n`;
    await page.getByTestId('flush-file-input').setInputFiles({ name: 'many ids.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => page.getByTestId('flush-plan').textContent()).toBe(`${MANY} response ids to flush`);
    await page.getByLabel('At once').fill('32');
    await page.getByTestId('flush-start').click();
    await finished(MANY);
    expect(await summary()).toBe(`0 flushed, ${MANY} had nothing to flush, 0 failed.`);
    // Named after the file the ids came from.
    const exported = await downloadCsv(page.getByRole('button', { name: 'Export CSV' }));
    expect(exported.name).toMatch(/^many_ids-flush-\d{4}(-\d\d){5}\.csv$/);
    expect(exported.lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(expect.arrayContaining(ids));

    const table = page.getByTestId('flush-table');
    await expect(table.getAttribute('aria-rowcount')).resolves.toBe(String(MANY + 1));
    const rendered = await rows().count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(80);

    await page
      .getByRole('columnheader', { name: /Response id/ })
      .getByRole('button')
      .click();
    const scroller = page.getByTestId('flush-table-scroll');
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const last = page.locator(`[data-testid="flush-row"][aria-rowindex="${MANY + 1}"]`);
    await last.waitFor();
    await expect(last.getByRole('cell').first().textContent()).resolves.toBe(ids.at(-1));
    // The sticky header stays at the top of the scrolled box.
    const [box, head] = await Promise.all([scroller.boundingBox(), page.getByTestId('flush-table').locator('thead').boundingBox()]);
    expect(Math.abs(head!.y - box!.y)).toBeLessThan(3);
    await page
      .getByRole('columnheader', { name: /Response id/ })
      .getByRole('button')
      .click();
    await page
      .getByRole('columnheader', { name: /Response id/ })
      .getByRole('button')
      .click();
  });

  it('cancels a running flush: what was not sent yet is reported so, and can be retried', async () => {
    const ids = Array.from({ length: 400 }, (_, i) => `e2e-cancel-${String(i).padStart(3, '0')}`);
    await page.getByLabel('A list or CSV of response ids').fill(ids.join(' '));
    await page.getByLabel('At once').fill('1');
    await page.getByTestId('flush-start').click();
    // The bar shows the last job (finished) until this one replaces it.
    await expect.poll(() => progress().getAttribute('aria-valuemax')).toBe('400');
    await expect.poll(async () => Number(await progress().getAttribute('aria-valuenow')), { timeout: 30_000 }).toBeGreaterThan(10);
    const cancel = page.getByTestId('flush-cancel');
    await expect(cancel.isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('flush-retry').isDisabled()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'flush-running.png') });
    await cancel.click();

    await expect.poll(() => page.getByTestId('flush-results').getByRole('heading', { level: 2 }).textContent(), { timeout: 30_000 }).toBe('Flush cancelled');
    await expect(cancel.count()).resolves.toBe(0);
    const text = (await summary())!;
    // The request in flight when the cancel came is cut off: it counts as failed, not as unsent.
    const m = /^Cancelled: 0 flushed, (\d+) had nothing to flush, ([01]) failed, (\d+) not sent\.$/.exec(text);
    expect(m, text).not.toBeNull();
    const [answered, failed, notSent] = [Number(m![1]), Number(m![2]), Number(m![3])];
    expect(answered).toBeGreaterThan(10);
    expect(answered + failed + notSent).toBe(400);
    await expect(page.getByTestId('flush-failure-note').textContent()).resolves.toContain('Cancelled before it was sent.');
    await expect(page.getByTestId('flush-retry').textContent()).resolves.toBe(`Retry failed (${failed + notSent})`);
    await expect(page.getByTestId('flush-retry').isEnabled()).resolves.toBe(true);
    await page.getByLabel('At once').fill('4');
  });

  it("flushes the response of a launch from the history row's Flush action", async () => {
    const schema = await api.schemas.summary({ kind: 'runner', runnerUrl: runner.url }, 'test_textfield');
    const claims = newClaims({ payload: 'v2', schema, nowSeconds: Date.now() / 1000 });
    const { entry } = await api.launch.start({ claims, schema, open: 'none' });
    // Answer it the way a respondent would, in the runner's questionnaire page: the runner stores
    // the answer and moves on to the submit page.
    const tab = await context.newPage();
    await tab.goto(entry.url);
    await tab.waitForURL(/\/questionnaire\/name-block\/$/, { timeout: 30_000 });
    await tab.getByLabel('What is your name?').fill('Answered earlier');
    await tab.getByRole('button', { name: 'Save and continue' }).click();
    await tab.waitForURL(/\/questionnaire\/submit\/$/, { timeout: 30_000 });
    await tab.close();
    const before = (await runner.payloads()).length;

    await nav('Launch').click();
    const row = page.locator(`[data-testid="history-row"][data-id="${entry.id}"]`);
    await row.waitFor();
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'flush-history.png') });
    await page.setViewportSize({ width: 1100, height: 800 });
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'flush-history-1100.png') });
    // A fifth row action must not push the table wider than its panel at the narrowest supported width.
    const [scrollWidth, clientWidth] = await page.getByTestId('history-table').evaluate((t) => [t.parentElement!.scrollWidth, t.parentElement!.clientWidth]);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth!);
    await page.setViewportSize({ width: 1366, height: 900 });
    await row.getByRole('button', { name: /^Flush the response of / }).click();

    await page.getByRole('heading', { name: 'Flush', level: 1 }).waitFor();
    const queued = page.getByTestId('flush-queued');
    // The row was far down the Launch screen; the queue it went to is at the top of this one.
    await expect.poll(() => queued.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(500);
    await expect(queued.textContent()).resolves.toContain(String(claims.response_id));
    await expect(queued.textContent()).resolves.toContain('Test Textfield');
    await expect(page.getByTestId('flush-plan').textContent()).resolves.toBe('1 response id to flush');
    await page.screenshot({ path: path.join(SHOTS, 'flush-queued.png') });
    await page.getByTestId('flush-start').click();
    await finished(1);
    expect(await summary()).toBe('1 flushed, 0 had nothing to flush, 0 failed.');
    await expect.poll(() => rows().count()).toBe(1);
    const cells = await rows().first().getByRole('cell').allTextContents();
    expect(cells.slice(0, 3)).toEqual([String(claims.response_id), 'Flushed', '200']);
    await expect(queued.count()).resolves.toBe(0);

    // The token was built from the launch's claims: the payload carries that launch's case.
    const sent = await runner.payloads();
    expect(sent.length - before).toBe(1);
    expect(sent.at(-1)!.case_id).toBe(claims.case_id);
  });

  it('reports a runner that is down in plain words, and offers to retry', async () => {
    const closedPort = await freePort();
    const down = await api.environments.save({ name: 'Switched-off runner', runnerUrl: `http://127.0.0.1:${closedPort}` });
    // The header lists environments when the page loads.
    await page.reload();
    await page.getByTestId('environment-select').selectOption(down.id);
    await expect.poll(() => page.getByTestId('environment-url').textContent()).toBe(down.runnerUrl);
    await nav('Flush').click();
    await expect.poll(() => page.getByTestId('flush-runner').textContent()).toContain(down.runnerUrl);

    await page.getByLabel('One response id').fill('e2e-down-1');
    await page.getByLabel('A list or CSV of response ids').fill('e2e-down-2 e2e-down-3');
    await expect(page.getByTestId('flush-plan').textContent()).resolves.toBe('3 response ids to flush');
    // A new environment starts with a generated ring, which holds no key the runner encrypts to:
    // the service refuses, and its sentence is shown as an alert.
    await page.getByTestId('flush-start').click();
    const refused = page.getByTestId('flush-start-error');
    await refused.waitFor();
    await expect(refused.getAttribute('role')).resolves.toBe('alert');
    await expect(refused.textContent()).resolves.toContain('no runner public key');
    await expect(page.getByTestId('flush-results').count()).resolves.toBe(0);

    await api.keys.importRunnerCheckout(RUNNER_CHECKOUT);
    await refused.getByRole('button', { name: 'Dismiss message' }).click();
    await expect(page.getByTestId('flush-plan').textContent()).resolves.toBe('3 response ids to flush');
    await page.getByTestId('flush-start').click();
    await finished(3);
    expect(await summary()).toBe('0 flushed, 0 had nothing to flush, 3 failed.');
    const note = page.getByTestId('flush-failure-note');
    await expect(note.textContent()).resolves.toContain(`Cannot reach the runner at ${down.runnerUrl}`);
    const cells = await rows().first().getByRole('cell').allTextContents();
    expect(cells[1]).toBe('Error');
    expect(cells[2]).toBe('—no answer');
    await expect(filters().getByRole('button', { name: 'Error 3' }).isEnabled()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'flush-down.png') });

    const retry = page.getByTestId('flush-retry');
    await expect(retry.textContent()).resolves.toBe('Retry failed (3)');
    await retry.click();
    await expect.poll(() => page.getByTestId('flush-results').textContent()).toContain('Retry of the ids that failed');
    await finished(3);
    expect(await summary()).toBe('0 flushed, 0 had nothing to flush, 3 failed.');
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});

/** A port nothing listens on: bound once by the OS, then released. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
