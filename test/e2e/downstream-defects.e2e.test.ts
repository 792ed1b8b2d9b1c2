// Issue 12, Downstream: what a tester found wrong on the screen, each proved in Debian's Chromium
// against browser mode and the real services. Payloads are the official v2 examples sealed by
// sdc-oracle (jwcrypto, the runner's own library) with the runner's dev keys; the payload with a
// bad signature is made with jose, signed by a key the runner never had under the runner's kid.
// Screenshots go to this file's own temporary folder, named in the log. Build first with
// `node scripts/setup.mjs --build`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompactEncrypt, CompactSign } from 'jose';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eSkipReason, screenshotsDir, RUNNER_CHECKOUT, startConsoleInChromium, type ConsoleInChromium } from '../support/e2e';
import { ONS, oracle, oracleKid, oracleMissing, RUNNER_DEV_KEYS, RUNNER_KEYS_DIR, sharedMissing } from '../support/shared';

const EXAMPLES = path.join(ONS, 'schema-definitions/v2/examples/eq_runner_to_downstream/payload_v2');
const SDX_PRIVATE = path.join(RUNNER_KEYS_DIR, 'sdc-sdx-submission-encryption-private-v1.pem');
const RUNNER_SIGNING_PRIVATE = path.join(RUNNER_KEYS_DIR, 'sdc-sr-submission-signing-private-v1.pem');

const skip = e2eSkipReason('downstream defects', sharedMissing(), oracleMissing());

type Json = Record<string, any>;

const readExample = (rel: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, rel), 'utf8')) as Json;

function seal(payload: unknown): string {
  const r = oracle(['encrypt', '--keys', RUNNER_DEV_KEYS, '--purpose', 'submission'], JSON.stringify(payload));
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

/**
 * Encrypted to downstream's key as the runner does, but signed by a stranger's key under the
 * runner's own kid: it decrypts, and its signature fails.
 */
async function badlySigned(payload: unknown, kids: { sdx: string; signing: string }): Promise<string> {
  const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'RS256', kid: kids.signing }).sign(stranger);
  const sdxPublic = crypto.createPublicKey(fs.readFileSync(SDX_PRIVATE, 'utf8'));
  return new CompactEncrypt(new TextEncoder().encode(jws)).setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: kids.sdx }).encrypt(sdxPublic);
}

/** with_supplementary_data with three of its supplementary leaves changed, and the list mapping that names one. */
function supplementaryVariant(): Json {
  const v = readExample('business/surveyresponse_0_0_3_with_supplementary_data.json');
  v.tx_id = '5c1ad7f4-6d7e-4f0a-9b44-0d5e9e0b6a11';
  v.data.supplementary_data.company_name = 'Tesco Stores';
  v.data.supplementary_data.items.employees[0].identifier = '429009';
  delete v.data.supplementary_data.items.employees[0].personal_details.address.city;
  v.data.lists[0].supplementary_data_mappings[0].identifier = '429009';
  return v;
}

describe.skipIf(skip !== undefined)('Downstream defects of issue 12, in Chromium', () => {
  let session: ConsoleInChromium;
  let page: Page;
  let payloadDir: string;
  let shots: string;
  let exampleCount: number;
  let kids: { sdx: string; signing: string };

  beforeAll(async () => {
    shots = screenshotsDir('downstream-defects');
    // Not in the console's home: the console refuses to open its own config folder.
    payloadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eq-e2e-downstream-defects-payloads-'));
    kids = { sdx: oracleKid(SDX_PRIVATE), signing: oracleKid(RUNNER_SIGNING_PRIVATE) };
    session = await startConsoleInChromium({
      name: 'downstream-defects',
      prepare: async (api) => {
        exampleCount = 0;
        for (const dir of fs.readdirSync(EXAMPLES)) {
          fs.mkdirSync(path.join(payloadDir, dir), { recursive: true });
          for (const f of fs.readdirSync(path.join(EXAMPLES, dir))) {
            fs.writeFileSync(path.join(payloadDir, dir, f.replace(/\.json$/, '.jwe')), seal(readExample(`${dir}/${f}`)));
            exampleCount++;
          }
        }
        fs.writeFileSync(path.join(payloadDir, 'supplementary-changed.jwe'), seal(supplementaryVariant()));
        fs.writeFileSync(path.join(payloadDir, 'tampered.jwe'), tamper(fs.readFileSync(path.join(payloadDir, 'adhoc/surveyresponse_0_0_3.jwe'), 'utf8')));
        fs.writeFileSync(path.join(payloadDir, 'bad-signature.jwe'), await badlySigned(readExample('business/surveyresponse_0_0_3.json'), kids));
        await api.keys.importRunnerCheckout(RUNNER_CHECKOUT);
      },
    });
    ({ page } = session);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Downstream' }).click();
    await page.getByRole('heading', { name: 'Downstream', level: 1 }).waitFor();
  }, 300_000);

  afterAll(async () => {
    await session?.close();
    if (payloadDir) fs.rmSync(payloadDir, { recursive: true, force: true });
  });

  const itemRows = () => page.getByTestId('item-row');
  const itemRow = (source: string) => itemRows().filter({ has: page.getByTitle(path.join(payloadDir, source), { exact: true }) });
  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`) });

  /** Every payload that opens (the examples and the changed copy); two more cannot be opened. */
  const openable = () => exampleCount + 1;

  /** The folder listed, opened by path (each test can run on its own). */
  async function folderListed() {
    if ((await itemRows().count()) === openable() + 2 && (await itemRow('tampered.jwe').count()) === 1) return;
    if (await page.getByTestId('clear-items').count()) await page.getByTestId('clear-items').click();
    await page.getByTestId('downstream-path').fill(payloadDir);
    await page.getByTestId('downstream-path-open').click();
    await expect.poll(() => itemRows().count(), { timeout: 60_000 }).toBe(openable() + 2);
  }

  it('counts what an open found: the payloads that opened, and apart from them the ones that could not be opened', async () => {
    await page.getByTestId('downstream-path').fill(payloadDir);
    await page.getByTestId('downstream-path-open').click();
    await expect.poll(() => itemRows().count(), { timeout: 60_000 }).toBe(openable() + 2);
    // The list itself shows which two did not open.
    await expect(
      itemRows()
        .filter({ has: page.locator('.issue-failure') })
        .count(),
    ).resolves.toBe(2);
    await expect(page.getByTestId('path-report').textContent()).resolves.toBe(`Opened ${payloadDir}: ${openable()} payloads, 2 could not be opened.`);
    await expect(page.getByTestId('items-summary').textContent()).resolves.toMatch(new RegExp(`^${openable()} valid payloads, 2 that could not be opened`));
    await shot('counts-path');

    // The same folder picked in the page says the same.
    await page.getByTestId('clear-items').click();
    await page.getByTestId('items-empty').waitFor();
    await page.getByTestId('downstream-folder-input').setInputFiles(payloadDir);
    await expect.poll(() => itemRows().count(), { timeout: 60_000 }).toBe(openable() + 2);
    await expect(page.getByTestId('files-report').textContent()).resolves.toMatch(new RegExp(`: ${openable()} payloads, 2 could not be opened\\.$`));
  });

  /** The reader of an item that did not open: one alert, the item's own reason, and the headers it carries. */
  async function readFailed(source: string): Promise<{ reader: Locator; issue: string }> {
    await folderListed();
    const row = itemRow(source);
    const issue = (await row.getByTestId('item-issue').textContent())!;
    await row.click();
    const reader = page.getByTestId('reader');
    await expect.poll(() => reader.locator('#reader-title').textContent()).toBe(path.join(payloadDir, source));
    await reader.getByTestId('reader-failure').waitFor();
    // Nothing is loading or failing to load behind it, and there is nothing to try again.
    await expect(reader.getByTestId('payload-progress').count()).resolves.toBe(0);
    await expect(reader.getByRole('alert').allTextContents()).resolves.toEqual([issue]);
    await expect(reader.getByTestId('payload-error').count()).resolves.toBe(0);
    await expect(reader.getByRole('button', { name: 'Try again' }).count()).resolves.toBe(0);
    expect(await reader.textContent()).not.toMatch(/could not fetch/i);
    return { reader, issue };
  }

  const headerJson = async (reader: Locator, which: 'jwe' | 'jws') => JSON.parse((await reader.getByTestId(`reader-${which}-header`).textContent())!) as Json;

  it('a payload whose signature fails shows one error, its own, and the JWE and JWS headers it carries', async () => {
    const { reader, issue } = await readFailed('bad-signature.jwe');
    expect(issue).toMatch(new RegExp(`^Signature invalid \\(kid ${kids.signing}\\)`));
    await expect(headerJson(reader, 'jwe')).resolves.toEqual({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: kids.sdx });
    await expect(headerJson(reader, 'jws')).resolves.toEqual({ alg: 'RS256', kid: kids.signing });
    await reader.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('bad-signature');
  });

  it('a payload that cannot be decrypted shows one error and its JWE header; its JWS header is inside the encryption', async () => {
    const { reader, issue } = await readFailed('tampered.jwe');
    expect(issue).toMatch(/^Decryption failed with key \w+/);
    await expect(headerJson(reader, 'jwe')).resolves.toMatchObject({ alg: 'RSA-OAEP', enc: 'A256GCM' });
    await expect(reader.getByTestId('reader-jws-header').count()).resolves.toBe(0);
    await expect(reader.getByTestId('reader-headers').textContent()).resolves.toContain('The JWS header is inside the encryption');
    await shot('tampered');
  });

  /** Ticks two rows and waits for the comparison of the two. */
  async function compare(before: string, after: string): Promise<Locator> {
    await folderListed();
    await itemRow(before).click();
    await itemRow(after).getByRole('checkbox').check();
    const view = page.getByTestId('compare');
    await view.getByTestId('compare-counts').waitFor();
    return view;
  }

  /** A FieldChanges table as [path, change, before, after] rows. */
  const fieldRows = (section: Locator) =>
    section.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent ?? '')));

  it('compares answer_codes: the 15 codes one example adds are listed as added, not "the same"', async () => {
    const view = await compare('business/surveyresponse_0_0_3.jwe', 'business/surveyresponse_0_0_3_with_answer_codes.jwe');
    const codes = readExample('business/surveyresponse_0_0_3_with_answer_codes.json').data.answer_codes as Json[];
    expect(codes).toHaveLength(15);
    const section = view.getByTestId('compare-answer-codes');
    await expect(section.getByRole('heading').textContent()).resolves.toBe('Answer codes (15 differences)');
    const rows = await fieldRows(section);
    expect(rows.map(([p]) => p).sort()).toEqual(
      codes.map((c) => `answer_codes.${c.answer_id}${c.answer_value === undefined ? '' : `=${c.answer_value}`}`).sort(),
    );
    for (const [p, change, before, after] of rows) {
      const code = codes.find((c) => p === `answer_codes.${c.answer_id}${c.answer_value === undefined ? '' : `=${c.answer_value}`}`)!;
      expect([p, change, before, after]).toEqual([p, 'added', '(none)', code.code]);
    }
    await section.scrollIntoViewIfNeeded();
    await shot('compare-answer-codes');
  });

  it('compares supplementary_data leaf by leaf, and the lists that map to it', async () => {
    const view = await compare('business/surveyresponse_0_0_3_with_supplementary_data.jwe', 'supplementary-changed.jwe');
    // The answers are the same: without these sections the two would look alike.
    await expect(view.getByTestId('compare-counts').textContent()).resolves.toMatch(/^0 added0 removed0 changed\d+ the same/);
    const supplementary = view.getByTestId('compare-supplementary');
    await expect(supplementary.getByRole('heading').textContent()).resolves.toBe('Supplementary data (3 differences)');
    expect((await fieldRows(supplementary)).sort()).toEqual(
      [
        ['supplementary_data.company_name', 'changed', 'Tesco', 'Tesco Stores'],
        ['supplementary_data.items.employees[0].identifier', 'changed', '429001', '429009'],
        ['supplementary_data.items.employees[0].personal_details.address.city', 'removed', 'Bristol', '(none)'],
      ].sort(),
    );
    const lists = view.getByTestId('compare-lists');
    await expect(lists.getByRole('heading').textContent()).resolves.toBe('Lists (1 difference)');
    const [row] = await fieldRows(lists);
    expect(row).toEqual(['lists.employees.supplementary_data_mappings', 'changed', expect.stringContaining('429001'), expect.stringContaining('429009')]);
    expect(row![2]).toContain('zPDHbT');
    await supplementary.scrollIntoViewIfNeeded();
    await shot('compare-supplementary');
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});
