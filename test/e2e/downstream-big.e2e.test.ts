// A payload of 100,000 answers on the Downstream screen, end to end: the built renderer in Debian's
// Chromium against browser mode's loopback server. Picked in the page, the file is read once by the
// page's worker (never uploaded, never fetched back) and its answers come to the table in windows;
// opened by path, the services hold it and hand out the windows (downstream.answers). Either way
// the table counts every row, scrolls to the last, filters, sorts and exports all the rows it
// shows. No timings here: the bench (test/bench/ui.ts) measures them. Build first with
// `npx electron-vite build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../shared/csv';
import { surveyResponse } from '../support/downstream';
import { e2eSkipReason, screenshotsDir, startConsoleInChromium, type ConsoleInChromium } from '../support/e2e';

const ANSWERS = 100_000;
const BROKEN = 77_777;
const skip = e2eSkipReason('downstream-big');

describe.skipIf(skip !== undefined)('a payload of 100,000 answers on the Downstream screen', () => {
  let session: ConsoleInChromium;
  let page: Page;
  let bigFile: string;
  /** API calls the page made, by channel. */
  const calls: string[] = [];

  beforeAll(async () => {
    session = await startConsoleInChromium({
      name: 'downstream-big',
      prepare: async () => {
        // A v2 survey response, data 0.0.3: answer-<i>, the value i for even i and "text i" for odd,
        // but for one answer whose value no answer type has (the one problem the reader lists).
        const payload = surveyResponse(ANSWERS);
        payload.data.answers[BROKEN].value = { nonsense: true };
        // Beside the console's config folder, not in it: the console never opens its own folder.
        bigFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-big-payload-')), 'big.json');
        fs.writeFileSync(bigFile, JSON.stringify(payload));
      },
    });
    ({ page } = session);
    page.on('request', (r) => {
      const m = /\/api\/([\w.]+)$/.exec(new URL(r.url()).pathname);
      if (m) calls.push(m[1]!);
    });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Downstream' }).click();
    await page.getByRole('heading', { name: 'Downstream', level: 1 }).waitFor();
  }, 300_000);

  afterAll(() => session?.close());

  const reader = () => page.getByTestId('reader');
  const count = () =>
    reader()
      .getByTestId('answers-count')
      .textContent()
      .catch(() => '');
  /** The answer_id of each row drawn, top to bottom (rows still loading are not rows yet). */
  const answerIds = () =>
    reader()
      .getByTestId('answer-row')
      .evaluateAll((rows) =>
        rows
          .map((r) => ({ top: r.getBoundingClientRect().top, id: r.children[1]?.textContent ?? '' }))
          .sort((a, b) => a.top - b.top)
          .map((r) => r.id),
      );
  const scroller = () => reader().getByTestId('answers-table-scroll');
  const header = (name: string) => reader().getByTestId('answers-table').getByRole('button', { name, exact: true });

  async function download(button: Locator): Promise<string[][]> {
    const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
    return readCsv(fs.readFileSync((await file.path())!, 'utf8'));
  }

  it('opens from the file picker in the page: progress while it opens, every row counted, nothing uploaded or fetched back', async () => {
    // Whatever the page shows of the open, however briefly, is kept to look at afterwards.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenProgress: string[] }).seenProgress = seen;
      new MutationObserver(() => {
        const note = document.querySelector('[data-testid="open-progress"]')?.textContent;
        if (note && seen.at(-1) !== note.trim()) seen.push(note.trim());
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    calls.length = 0;
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByText('Choose files…', { exact: true }).click()]);
    await chooser.setFiles(bigFile);
    await expect.poll(count, { timeout: 60_000 }).toBe('100,000 rows');
    await expect(page.getByTestId('files-report').textContent()).resolves.toContain('Opened big.json: 1 payload');
    const seen = await page.evaluate(() => (window as unknown as { seenProgress: string[] }).seenProgress);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatch(/^Opening big\.json: /);
    await expect(page.getByTestId('open-progress').count()).resolves.toBe(0);
    // Read once, in the page: neither sent to the services nor fetched back from them.
    expect(calls.filter((c) => c.startsWith('downstream.'))).toEqual([]);
    await expect(reader().locator('#reader-title').textContent()).resolves.toBe('big.json');
    await expect(reader().getByTestId('answers-table').getAttribute('data-virtual')).resolves.toBe('true');
    expect((await answerIds()).slice(0, 3)).toEqual(['answer-0', 'answer-1', 'answer-2']);
  });

  it('scrolls to the last answer, drawing only a window of rows', async () => {
    await scroller().evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(answerIds, { timeout: 30_000 }).toContain('answer-99999');
    expect(await reader().getByTestId('answer-row').count()).toBeLessThan(100);
    await page.screenshot({ path: path.join(screenshotsDir('downstream-big'), 'downstream-big-end.png') });
  });

  it('filters to the rows that match, sorts them, and exports all of them', async () => {
    await reader().getByTestId('answers-filter').fill('answer-9999');
    await expect.poll(count, { timeout: 30_000 }).toBe('11 of 100,000 rows');
    const matching = ['answer-9999', ...Array.from({ length: 10 }, (_, i) => `answer-9999${i}`)];
    await expect.poll(answerIds, { timeout: 30_000 }).toEqual(matching);
    await header('answer_id').click();
    await header('answer_id').click();
    await expect.poll(answerIds, { timeout: 30_000 }).toEqual([...matching].reverse());
    const rows = await download(reader().getByTestId('answers-export-csv'));
    expect(rows[0]).toEqual(['answer_id', 'list', 'list_item_id', 'value', 'raw']);
    expect(rows.slice(1).map((r) => r[0])).toEqual([...matching].reverse());
    // raw is the number itself for the even ones, empty for text.
    expect(rows.slice(1).map((r) => [r[3], r[4]])).toContainEqual(['99998', '99998']);
    expect(rows.slice(1).map((r) => [r[3], r[4]])).toContainEqual(['text 99999', '']);
  });

  it('sorts all 100,000 rows and exports every one of them, not only those drawn', async () => {
    await reader().getByTestId('answers-filter').fill('');
    await expect.poll(count, { timeout: 30_000 }).toBe('100,000 rows');
    await scroller().evaluate((el) => el.scrollTo({ top: 0 }));
    // Still sorted by answer_id, descending, numbers within the text by value: 'answer-99999' first.
    const ids = Array.from({ length: ANSWERS }, (_, i) => `answer-${i}`);
    await expect.poll(async () => (await answerIds()).slice(0, 5), { timeout: 30_000 }).toEqual(ids.slice(-5).reverse());
    await header('answer_id').click();
    await header('answer_id').click();
    await expect.poll(async () => (await answerIds()).slice(0, 5), { timeout: 30_000 }).toEqual(ids.slice(0, 5));
    const rows = await download(reader().getByTestId('answers-export-csv'));
    expect(rows).toHaveLength(ANSWERS + 1);
    expect(rows.slice(1).map((r) => r[0])).toEqual(ids);
  });

  it('points at the row a problem is about, wherever the sort put it and whatever the filter hid', async () => {
    await reader().getByTestId('answers-filter').fill('answer-9999');
    await expect.poll(count, { timeout: 30_000 }).toBe('11 of 100,000 rows');
    await reader()
      .getByRole('button', { name: `data.answers[${BROKEN}].value`, exact: true })
      .click();
    await expect(reader().getByTestId('answers-filter').inputValue()).resolves.toBe('');
    const row = reader().locator(`[data-testid="answer-row"][data-row-id="${BROKEN}"]`);
    await expect.poll(() => row.getAttribute('class').catch(() => ''), { timeout: 30_000 }).toContain('row-highlight');
    await expect(row.isVisible()).resolves.toBe(true);
    await expect(row.locator('[role="cell"]').nth(1).textContent()).resolves.toBe(`answer-${BROKEN}`);
  });

  it('opens the same file by path: the services hold it and hand the table its rows in windows', async () => {
    await page.getByTestId('clear-items').click();
    await page.getByTestId('items-empty').waitFor();
    calls.length = 0;
    await page.getByTestId('downstream-path').fill(bigFile);
    await page.getByTestId('downstream-path-open').click();
    await expect.poll(count, { timeout: 60_000 }).toBe('100,000 rows');
    // The payload came without its answers; the rows came as windows.
    expect(calls).toContain('downstream.answers');
    await scroller().evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(answerIds, { timeout: 30_000 }).toContain('answer-99999');
    // 4242, x4242 and 4242x: in their answer_id, index and value alike.
    await reader().getByTestId('answers-filter').fill('4242');
    await expect.poll(count, { timeout: 30_000 }).toBe('20 of 100,000 rows');
    // A number column sorts from the largest first.
    await header('Index').click();
    await expect.poll(async () => (await answerIds()).slice(0, 3), { timeout: 30_000 }).toEqual(['answer-94242', 'answer-84242', 'answer-74242']);
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});
