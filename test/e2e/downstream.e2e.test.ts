// The Downstream screen end to end: the built renderer in Debian's Chromium against browser
// mode's loopback server and the real services. Payloads are the official v2 examples, sealed by
// sdc-oracle (jwcrypto, the runner's own library) with the runner's dev keys, so what the screen
// opens is what the runner would have sent. Build first with `npx electron-vite build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffPayloads } from '../../renderer/src/screens/downstream/model/diff';
import { readCsv } from '../../shared/csv';
import { e2eSkipReason, RUNNER_CHECKOUT, screenshotsDir, startConsoleInChromium, type ConsoleInChromium } from '../support/e2e';
import { ONS, oracle, oracleMissing, REPO, RUNNER_DEV_KEYS, sharedMissing } from '../support/shared';

const SHOTS = screenshotsDir('downstream');

const EXAMPLES = path.join(ONS, 'schema-definitions/v2/examples/eq_runner_to_downstream/payload_v2');
const BIG_ANSWERS = 100_000;

const skip = e2eSkipReason(
  'downstream',
  sharedMissing(),
  oracleMissing(),
  fs.existsSync(path.join(REPO, 'electron/services/downstream/service.ts')) ? undefined : 'the downstream services are not built yet',
);

/** Every official v2 example, relative path → JSON text. */
function examples(): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of fs.readdirSync(EXAMPLES)) {
    for (const f of fs.readdirSync(path.join(EXAMPLES, dir))) out.set(`${dir}/${f}`, fs.readFileSync(path.join(EXAMPLES, dir, f), 'utf8'));
  }
  return out;
}

function seal(json: string): string {
  const r = oracle(['encrypt', '--keys', RUNNER_DEV_KEYS, '--purpose', 'submission'], json);
  if (r.status !== 0) throw new Error(`sdc-oracle encrypt failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** A change in the ciphertext: the GCM tag no longer matches, so decryption must fail. */
function tamper(jwe: string): string {
  const parts = jwe.split('.');
  const c = parts[3]!;
  parts[3] = (c[0] === 'A' ? 'B' : 'A') + c.slice(1);
  return parts.join('.');
}

function bigPayload(): string {
  const base = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'adhoc/surveyresponse_0_0_3.json'), 'utf8')) as Record<string, any>;
  const answers = Array.from({ length: BIG_ANSWERS }, (_, i) => ({ answer_id: `answer-${String(i).padStart(6, '0')}`, value: i % 3 ? `text ${i}` : i }));
  return JSON.stringify({ ...base, tx_id: '0b5e7d11-0000-4000-8000-000000100000', data: { answers, lists: [] } });
}

describe.skipIf(skip !== undefined)('Downstream screen in browser mode', () => {
  let session: ConsoleInChromium;
  let payloadDir: string;
  let watchDir: string;
  let outside: string | undefined;
  let page: Page;
  let names: string[];

  beforeAll(async () => {
    session = await startConsoleInChromium({
      name: 'downstream',
      prepare: async (api, home) => {
        // Beside the console's home, not in it: the console refuses to open its own config folder.
        outside = fs.mkdtempSync(path.join(os.tmpdir(), 'eq-e2e-downstream-files-'));
        payloadDir = path.join(outside, 'payloads');
        watchDir = path.join(outside, 'watched');
        fs.mkdirSync(watchDir, { recursive: true });
        names = [];
        for (const [rel, json] of examples()) {
          const file = path.join(payloadDir, rel.replace(/\.json$/, '.jwe'));
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, seal(json));
          names.push(rel);
        }
        const sample = fs.readFileSync(path.join(payloadDir, 'adhoc/surveyresponse_0_0_3.jwe'), 'utf8');
        fs.writeFileSync(path.join(payloadDir, 'tampered.jwe'), tamper(sample));
        fs.writeFileSync(path.join(home, 'big.json'), bigPayload());
        await api.keys.importRunnerCheckout(RUNNER_CHECKOUT);
      },
    });
    ({ page } = session);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Downstream' }).click();
    await page.getByRole('heading', { name: 'Downstream', level: 1 }).waitFor();
  }, 300_000);

  afterAll(async () => {
    await session?.close();
    if (outside) fs.rmSync(outside, { recursive: true, force: true });
  });

  const itemRows = () => page.getByTestId('item-row');
  const itemRow = (source: string) => itemRows().filter({ has: page.getByText(source, { exact: false }) });
  const answerIds = () => page.getByTestId('answer-row').evaluateAll((rows) => rows.map((r) => r.children[1]?.textContent ?? ''));

  it('opens a folder on this machine: every example decrypted, verified and valid, the tampered one failing in words', async () => {
    await expect(page.getByTestId('items-empty').textContent()).resolves.toContain('Nothing opened yet');
    await page.getByTestId('downstream-path').fill(payloadDir);
    await page.getByTestId('downstream-path-open').click();
    await expect.poll(() => itemRows().count(), { timeout: 60_000 }).toBe(names.length + 1);
    await expect(page.getByTestId('path-report').textContent()).resolves.toContain(`${names.length} payloads, 1 could not be opened`);

    const tampered = itemRow('tampered.jwe');
    const issue = (await tampered.getByTestId('item-issue').textContent())!;
    expect(issue).toMatch(/^Decryption failed with key \w+: the key does not match or the token was altered\.$/);
    await expect(tampered.getByTestId('item-status').textContent()).resolves.toBe('not decrypted');

    const statuses = await itemRows().evaluateAll((rows) =>
      rows.map((r) => [r.querySelector('[role="cell"]:nth-child(2)')?.textContent ?? '', r.querySelector('[data-testid="item-status"]')?.textContent ?? '']),
    );
    const good = statuses.filter(([source]) => !source.includes('tampered'));
    expect(good).toHaveLength(names.length);
    for (const [source, status] of good) expect([source, status]).toEqual([source, 'decryptedsignature okvalid']);
    await expect(page.getByTestId('items-summary').textContent()).resolves.toContain(`${names.length} valid payloads, 1 that could not be opened`);
    await page.screenshot({ path: path.join(SHOTS, 'downstream-list.png') });

    // Reading the tampered one says why there is nothing to read, and shows its JWE header.
    await tampered.click();
    const reader = page.getByTestId('reader');
    await expect(reader.getByTestId('reader-failure').textContent()).resolves.toBe(issue);
    await expect(reader.textContent()).resolves.toContain('"kid": "');
    await reader.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(SHOTS, 'downstream-failure.png') });
  });

  it('reads a 0.0.3 example: envelope, metadata, answers grouped by list, lists', async () => {
    await itemRow('adhoc/surveyresponse_0_0_3.jwe').click();
    const reader = page.getByTestId('reader');
    await reader.getByTestId('answers-table').waitFor();
    const envelope = await reader.getByTestId('envelope').textContent();
    for (const text of ['ea82c224-0f80-41cc-b877-8a7804b56c26', 'mbs_0001', 'RH', 'GB-ENG', 'Submission language']) expect(envelope).toContain(text);
    await expect(reader.getByTestId('metadata-table').textContent()).resolves.toContain('PARTICIPANT_WINDOW_ID');
    const headings = await reader.getByTestId('answer-row-heading').allTextContents();
    expect(headings[0]).toMatch(/^Not in a list/);
    expect(headings).toContainEqual(expect.stringMatching(/^List people/));
    expect(headings).toContainEqual(expect.stringMatching(/^zGBdpbprimary personitem 1 of 3/));
    const duration = reader.locator('[data-testid="answer-row"]', { hasText: 'duration-answer' });
    await expect(duration.textContent()).resolves.toContain('1 year 2 months');
    const address = reader.locator('[data-testid="answer-row"]', { hasText: 'other-address-uk-answer' }).locator('address');
    await expect(address.evaluate((el) => Array.from(el.children, (c) => c.textContent))).resolves.toEqual([
      'Address Line 1',
      'Town',
      'NP10 8XG',
      'UPRN 12345678912',
    ]);
    await expect(reader.getByTestId('lists').textContent()).resolves.toContain('primary person');
    await reader.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(SHOTS, 'downstream-envelope.png') });
    await reader.getByTestId('answers-table').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'downstream-reader.png') });
  });

  it('sorts and filters the answers table and exports what it shows as CSV', async () => {
    const reader = page.getByTestId('reader');
    await reader.getByTestId('answers-group').uncheck();
    await reader.getByTestId('answers-table').getByRole('button', { name: 'answer_id' }).click();
    const sorted = await answerIds();
    expect(sorted).toEqual([...sorted].sort());
    expect(sorted).toHaveLength(16);
    await reader.getByTestId('answers-table').getByRole('button', { name: 'answer_id' }).click();
    await expect.poll(answerIds).toEqual([...sorted].reverse());
    // A third click gives the payload's own order back, a fourth sorts again.
    await reader.getByTestId('answers-table').getByRole('button', { name: 'answer_id' }).click();
    await expect.poll(answerIds).not.toEqual(sorted);
    await reader.getByTestId('answers-table').getByRole('button', { name: 'answer_id' }).click();
    await expect.poll(answerIds).toEqual(sorted);

    await reader.getByTestId('answers-filter').fill('name');
    await expect.poll(() => reader.getByTestId('answers-count').textContent()).toBe('6 of 16 rows');
    const [download] = await Promise.all([page.waitForEvent('download'), reader.getByTestId('answers-export-csv').click()]);
    // Named after the file it came from: every example shares one tx_id.
    expect(download.suggestedFilename()).toBe('surveyresponse_0_0_3-ea82c224-answers.csv');
    const lines = fs.readFileSync((await download.path())!, 'utf8').split('\r\n');
    // raw is empty for text: value holds it exactly.
    expect(lines).toEqual([
      'answer_id,list,list_item_id,value,raw',
      'first-name,people,zGBdpb,John,',
      'first-name,people,cWGwcF,Marie,',
      'first-name,people,nEMpwe,Jane,',
      'last-name,people,zGBdpb,Doe,',
      'last-name,people,cWGwcF,Doe,',
      'last-name,people,nEMpwe,Doe,',
      '',
    ]);

    await reader.getByTestId('answers-filter').fill('address');
    await expect.poll(() => reader.getByTestId('answers-table').getByRole('row').filter({ hasText: 'other-address-uk-answer' }).count()).toBe(1);
    const [second] = await Promise.all([page.waitForEvent('download'), reader.getByTestId('answers-export-csv').click()]);
    // A second export of the same table never lands on the first.
    expect(second.suggestedFilename()).toBe('surveyresponse_0_0_3-ea82c224-answers-2.csv');
    const address = fs.readFileSync((await second.path())!, 'utf8');
    expect(address).toMatch(
      /^answer_id,list,list_item_id,value,raw\r\nother-address-uk-answer,people,zGBdpb,"Address Line 1, Town, NP10 8XG, UPRN 12345678912","\{.*\}"\r\n$/,
    );
    // raw is the value as the payload has it (its key order is the sealer's).
    expect(JSON.parse(readCsv(address)[1]![4]!)).toEqual({ line1: 'Address Line 1', town: 'Town', postcode: 'NP10 8XG', uprn: '12345678912' });

    // A checkbox whose choices hold commas reads back as the same choices, from either column.
    await reader.getByTestId('answers-filter').fill('internet');
    // The count was 1 for the last filter too: wait for the row itself.
    await expect.poll(() => reader.getByTestId('answers-table').getByRole('row').filter({ hasText: 'internet-answer' }).count()).toBe(1);
    await expect.poll(() => reader.getByTestId('answers-table').getByRole('row').filter({ hasText: 'other-address-uk-answer' }).count()).toBe(0);
    const [third] = await Promise.all([page.waitForEvent('download'), reader.getByTestId('answers-export-csv').click()]);
    expect(third.suggestedFilename()).toBe('surveyresponse_0_0_3-ea82c224-answers-3.csv');
    const [header, row] = readCsv(fs.readFileSync((await third.path())!, 'utf8'));
    const cell = (name: string) => row![header!.indexOf(name)]!;
    const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'adhoc/surveyresponse_0_0_3.json'), 'utf8')) as {
      data: { answers: { answer_id: string; value: string[] }[] };
    };
    const choices = example.data.answers.find((a) => a.answer_id === 'internet-answer')!.value;
    expect(choices.some((c) => c.includes(','))).toBe(true);
    expect(JSON.parse(cell('raw'))).toEqual(choices);
    expect(JSON.parse(`[${cell('value')}]`)).toEqual(choices);

    // Columns can be hidden from the menu.
    await reader.getByTestId('answers-filter').fill('');
    await reader.getByLabel('Choose the columns of the answers').click();
    await reader.getByRole('checkbox', { name: 'Index' }).uncheck();
    const headers = async () => (await reader.getByTestId('answers-table').getByRole('columnheader').allTextContents()).map((h) => h.replace(/[▲▼]/, ''));
    await expect.poll(headers).toEqual(['answer_id', 'List', 'list_item_id', 'Value']);
    await page.keyboard.press('Escape');

    const [json] = await Promise.all([page.waitForEvent('download'), reader.getByTestId('export-json').click()]);
    expect(json.suggestedFilename()).toBe('surveyresponse_0_0_3-ea82c224.json');
    expect(JSON.parse(fs.readFileSync((await json.path())!, 'utf8'))).toMatchObject({ tx_id: 'ea82c224-0f80-41cc-b877-8a7804b56c26', data_version: '0.0.3' });
  });

  it('compares the complete and the flushed business responses', async () => {
    await itemRow('business/surveyresponse_0_0_3.jwe').getByRole('checkbox').check();
    await itemRow('business/surveyresponse_0_0_3_flushed.jwe').getByRole('checkbox').check();
    const compare = page.getByTestId('compare');
    await compare.getByTestId('compare-counts').waitFor();
    const read = (rel: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, rel), 'utf8')) as unknown;
    const d = diffPayloads(read('business/surveyresponse_0_0_3.json'), read('business/surveyresponse_0_0_3_flushed.json'));
    await expect(compare.getByTestId('compare-counts').textContent()).resolves.toMatch(
      new RegExp(`^${d.added} added${d.removed} removed${d.changed} changed${d.unchanged} the same`),
    );
    expect(d.added + d.removed + d.changed).toBeGreaterThan(0);
    await expect(compare.getByTestId('change-row').count()).resolves.toBe(d.answers.length);
    const envelope = await compare.getByTestId('compare-envelope').textContent();
    expect(envelope).toContain('flushed');
    expect(envelope).toContain('submission_language_code');
    await compare.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'downstream-compare.png') });
  });

  it('points at the row a problem is about', async () => {
    const broken = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'adhoc/surveyresponse_0_0_3.json'), 'utf8')) as Record<string, any>;
    broken.data.answers[7].value = { nonsense: true };
    broken.survey_metadata.survey_id = 9;
    await page.getByTestId('downstream-paste').fill(JSON.stringify(broken));
    await page.getByTestId('downstream-paste-open').click();
    const reader = page.getByTestId('reader');
    await reader.getByTestId('problems').waitFor();
    await expect(page.getByTestId('paste-report').textContent()).resolves.toContain('1 payload');
    await reader.getByTestId('answers-filter').fill('first-name');
    await expect.poll(() => reader.getByTestId('answers-count').textContent()).toBe('3 of 16 rows');
    await reader.getByRole('button', { name: 'data.answers[7].value', exact: true }).click();
    // The filter hid the row, so it went; the row is shown and marked.
    const row = reader.locator('[data-testid="answer-row"][data-row-id="7"]');
    await expect.poll(() => row.getAttribute('class')).toContain('row-highlight');
    await expect(reader.getByTestId('answers-filter').inputValue()).resolves.toBe('');
    await reader.getByRole('button', { name: 'survey_metadata.survey_id', exact: true }).click();
    await expect.poll(() => reader.locator('[data-testid="metadata-row"][data-row-id="survey_id"]').getAttribute('class')).toContain('row-highlight');
    await reader.getByTestId('problems').scrollIntoViewIfNeeded();
    await reader.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(SHOTS, 'downstream-problems.png') });
  });

  it('opens a payload of 100,000 answers from the file picker and renders only a window of rows', async () => {
    await page.getByTestId('downstream-files-input').setInputFiles(path.join(session.home, 'big.json'));
    const reader = page.getByTestId('reader');
    await expect
      .poll(
        () =>
          reader
            .getByTestId('answers-count')
            .textContent()
            .catch(() => ''),
        { timeout: 60_000 },
      )
      .toBe('100,000 rows');
    const table = reader.getByTestId('answers-table');
    await expect(table.getAttribute('data-virtual')).resolves.toBe('true');
    const rendered = await reader.getByTestId('answer-row').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(100);
    const scroller = reader.getByTestId('answers-table-scroll');
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(answerIds).toContain('answer-099999');
    expect(await reader.getByTestId('answer-row').count()).toBeLessThan(100);
    // The header stays in view over the scrolled rows.
    const [head, box] = await Promise.all([table.getByRole('columnheader').first().boundingBox(), scroller.boundingBox()]);
    expect(Math.abs(head!.y - box!.y)).toBeLessThan(3);
    await scroller.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'downstream-100k.png') });
  });

  it('watches a folder and lists payloads written into it', async () => {
    await page.getByTestId('watch-path').fill(watchDir);
    await page.getByTestId('watch-start').click();
    await page.getByTestId('watch-status').waitFor();
    const before = await itemRows().count();
    fs.copyFileSync(path.join(payloadDir, 'business/feedback_0_0_3.jwe'), path.join(watchDir, 'arrived.jwe'));
    await expect.poll(() => itemRows().count(), { timeout: 20_000 }).toBe(before + 1);
    await expect(page.getByTestId('watch-status').textContent()).resolves.toContain('1 payload so far');
    await page.getByTestId('watch-stop').click();
    await page.getByTestId('watch-path').waitFor();
  });

  it('opens a folder picked in the page, in batches, and a file dropped anywhere on the screen', async () => {
    await page.getByTestId('clear-items').click();
    await page.getByTestId('items-empty').waitFor();
    await page.getByTestId('downstream-folder-input').setInputFiles(payloadDir);
    await expect.poll(() => itemRows().count(), { timeout: 60_000 }).toBe(names.length + 1);
    await expect(page.getByTestId('files-report').textContent()).resolves.toContain(`${names.length} payloads, 1 could not be opened`);
    // The page names files by their path in the picked folder; the list shows what differs.
    await expect(itemRows().locator('[title="payloads/adhoc/surveyresponse_0_0_3.jwe"]').textContent()).resolves.toBe('adhoc/surveyresponse_0_0_3.jwe');

    const text = fs.readFileSync(path.join(EXAMPLES, 'business/user_research_0_0_3.json'), 'utf8');
    const dataTransfer = await page.evaluateHandle(
      ([json]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([json], 'dropped.json', { type: 'application/json' }));
        return dt;
      },
      [text] as const,
    );
    await page.dispatchEvent('header', 'dragenter', { dataTransfer });
    await page.dispatchEvent('header', 'dragover', { dataTransfer });
    await page.dispatchEvent('header', 'drop', { dataTransfer });
    await expect.poll(() => itemRows().count()).toBe(names.length + 2);
    // One payload opened on its own is the one to read.
    await expect.poll(() => page.getByTestId('reader').locator('#reader-title').textContent()).toBe('dropped.json');
    await expect(page.getByTestId('fields-table').textContent()).resolves.toContain('joe_bloggs@example.com');
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});
