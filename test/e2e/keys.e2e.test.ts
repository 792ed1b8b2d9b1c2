// The Keys screen end to end: the built renderer in Debian's Chromium, talking to the real
// services through browser mode's loopback server (the Heynote approach: same UI, second
// implementation of the preload API). Build first with `npx electron-vite build`.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleApi } from '../../shared/api';
import { e2eSkipReason, startConsoleInChromium, type ConsoleInChromium } from '../support/e2e';
import { RUNNER_KEYS_DIR } from '../support/shared';

const RUNNER_KEY = path.join(RUNNER_KEYS_DIR, 'sdc-rrm-authentication-signing-private-v1.pem');
const RUNNER_KID = '709eb42cfee5570058ce0711f730bfbb7d4c8ade';
const SCREENSHOT = '/tmp/keys.png';

const skipReason = e2eSkipReason(
  'keys',
  fs.existsSync(RUNNER_KEY) ? undefined : `${RUNNER_KEY} is absent (the ONS material lives in ../shared beside the checkout)`,
);

describe.skipIf(skipReason !== undefined)('Keys screen in browser mode', () => {
  let session: ConsoleInChromium;
  let api: ConsoleApi;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    session = await startConsoleInChromium({ name: 'keys' });
    ({ api, context, page } = session);
    // Only the page's own scripts may run; a violation would show up in pageProblems.
    expect(session.response?.headers()['content-security-policy']).toContain("script-src 'self'");
  });

  afterAll(() => session?.close());

  const rows = () => page.getByTestId('key-row');
  const row = (kid: string) => page.locator(`[data-testid="key-row"][data-kid="${kid}"]`);

  it('loads the app frame with the Local runner environment', async () => {
    // A first start generates the development ring before it answers: slow on a busy machine.
    await expect.poll(() => page.getByTestId('active-environment').textContent(), { timeout: 20_000 }).toContain('Local runner');
    await expect(page.title()).resolves.toBe('eQ launch console');
    await expect(page.getByRole('banner').textContent()).resolves.toContain('eQ launch console');
    // The token has left the address bar but stays usable for this tab.
    expect(page.url()).not.toContain('token=');

    const nav = page.getByRole('navigation', { name: 'Sections' });
    for (const name of ['Keys', 'Launch', 'Flush', 'Downstream', 'Inspect']) {
      await expect(nav.getByRole('button', { name }).isVisible()).resolves.toBe(true);
    }
    await nav.getByRole('button', { name: 'Launch' }).click();
    await page.getByRole('heading', { name: 'Launch', level: 1 }).waitFor();
    await nav.getByRole('button', { name: 'Keys' }).click();
    await page.getByRole('heading', { name: 'Keys', level: 1 }).waitFor();

    // A fresh config dir holds the generated dev ring: one signing and one encryption private key.
    await expect.poll(() => rows().count()).toBe(2);
    const storage = await page.getByTestId('secret-storage').textContent();
    expect(storage).toContain((await api.app.info()).secretStorage);
  });

  const USED_FOR_CELL = 7;
  const usedFor = (kid: string) => row(kid).getByRole('cell').nth(USED_FOR_CELL).textContent();

  it('imports a PEM file through the file picker', async () => {
    const devSigner = (await api.keys.list()).find((k) => k.source === 'generated' && k.purpose === 'authentication' && k.use === 'signing');
    expect(devSigner).toBeDefined();
    await expect.poll(() => usedFor(devSigner!.kid)).toContain('signs launches');
    // A fresh ring has no runner public key: the environment cannot launch, and the screen says what to import.
    await expect.poll(() => page.getByTestId('launch-keys-status').textContent()).toContain('cannot launch: runner public key missing');
    await expect(page.getByTestId('role-launch-encryption-missing').textContent()).resolves.toContain('sdc-sr-authentication-encryption-public-v1.pem');

    await page.getByTestId('import-files-input').setInputFiles(RUNNER_KEY);
    await row(RUNNER_KID).waitFor();
    const report = page.getByTestId('import-report');
    await expect(report.textContent()).resolves.toContain('Added 1 key');
    await expect(report.textContent()).resolves.toContain(RUNNER_KID);
    const cells = await row(RUNNER_KID).getByRole('cell').allTextContents();
    expect(cells.slice(0, 5)).toEqual([RUNNER_KID, 'authentication', 'private', 'signing', '2048']);
    expect(cells[5]).toContain('sdc-rrm-authentication-signing-private-v1.pem');

    // An imported signing key takes over launches from the generated one.
    const badges = row(RUNNER_KID).getByRole('list', { name: `What the console uses key ${RUNNER_KID} for` });
    await expect.poll(() => badges.getByRole('listitem').allTextContents()).toContain('signs launches');
    await expect.poll(() => usedFor(devSigner!.kid)).not.toContain('signs launches');
  });

  it('imports a file dropped onto the page', async () => {
    const name = 'sdc-sr-authentication-encryption-public-v1.pem';
    const text = fs.readFileSync(path.join(path.dirname(RUNNER_KEY), name), 'utf8');
    const dataTransfer = await page.evaluateHandle(
      ([fileName, pem]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([pem], fileName, { type: 'application/x-pem-file' }));
        return dt;
      },
      [name, text] as const,
    );
    // Dropped on the header, outside the Keys section: anywhere in the window counts.
    await page.dispatchEvent('header', 'dragenter', { dataTransfer });
    await page.dispatchEvent('header', 'dragover', { dataTransfer });
    await page.dispatchEvent('header', 'drop', { dataTransfer });
    await expect.poll(() => rows().count()).toBe(4);
    const added = await api.keys.list();
    const dropped = added.find((k) => k.source.includes(name));
    expect(dropped).toMatchObject({ type: 'public', purpose: 'authentication', use: 'encryption' });
    await row(dropped!.kid).waitFor();
    // With the runner's public key in, the environment can launch: signed by the imported key, encrypted to the runner's.
    await expect.poll(() => page.getByTestId('launch-keys-status').textContent()).toContain('can launch.');
    await expect(page.getByTestId('role-launch-signing-select').inputValue()).resolves.toBe(RUNNER_KID);
    await expect(page.getByTestId('role-launch-encryption-select').inputValue()).resolves.toBe(dropped!.kid);
    expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it("shows the service's own message when pasted text is not a key", async () => {
    await page.getByLabel('Paste a key or key store').fill('this is not a key, just some words');
    await page.getByRole('button', { name: 'Import pasted text' }).click();
    const alert = page.getByTestId('paste-error');
    await alert.waitFor();
    expect(await alert.getAttribute('role')).toBe('alert');
    const text = (await alert.textContent())!;
    expect(text).not.toMatch(/\bat .+:\d+:\d+|Unexpected error|undefined|\[object/);
    // Whether the service refuses the text outright or reports it skipped, its own words must show.
    const serviceSays = await api.keys.importTexts([{ name: 'pasted', text: 'this is not a key, just some words' }]).then(
      (report) => report.skipped.map((s) => s.reason).join('; '),
      (err: Error) => err.message,
    );
    expect(serviceSays.length).toBeGreaterThan(10);
    expect(text).toContain(serviceSays);
    await expect.poll(() => rows().count()).toBe(4);
  });

  it('generates a key and lists it', async () => {
    const before = await rows().count();
    const form = page.getByTestId('generate-form');
    await form.getByLabel('Purpose').selectOption('submission');
    await expect(form.getByLabel('Use').inputValue()).resolves.toBe('encryption');
    await form.getByLabel('Label').fill('e2e generated');
    await form.getByRole('button', { name: 'Generate key' }).click();
    const result = page.getByTestId('generate-result');
    await result.waitFor({ timeout: 30_000 });
    const kid = (await result.locator('code').textContent())!;
    expect(kid).toMatch(/\S{8,}/);
    await row(kid).waitFor();
    expect(await rows().count()).toBe(before + 1);
    const cells = await row(kid).getByRole('cell').allTextContents();
    expect(cells.slice(1, 5)).toEqual(['submission', 'private', 'encryption', '2048']);
    expect(cells[6]).toBe('e2e generated');
  });

  it('exports the public half with copy and download', async () => {
    await page.getByRole('button', { name: `Export public key ${RUNNER_KID}` }).click();
    const dialog = page.getByTestId('export-dialog');
    const pem = dialog.getByTestId('export-pem');
    await pem.waitFor();
    const pemText = (await pem.textContent())!;
    expect(pemText).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(pemText).not.toContain('PRIVATE');
    expect(await dialog.getByTestId('export-yml').textContent()).toContain(RUNNER_KID);

    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: /^Download PEM/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.pem$/);
    const saved = fs.readFileSync((await download.path())!, 'utf8');
    expect(saved).toBe(pemText);

    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Focus goes back to the button that opened the dialog, for keyboard users.
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    expect(focused).toBe(`Export public key ${RUNNER_KID}`);
  });

  it('looks right (screenshot for a human)', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: SCREENSHOT });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });

  it('deletes a key after confirmation', async () => {
    const before = await rows().count();
    await page.getByRole('button', { name: `Delete key ${RUNNER_KID}` }).click();
    const dialog = page.getByTestId('delete-dialog');
    await dialog.waitFor();
    // Cancelling keeps it.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await row(RUNNER_KID).count()).toBe(1);

    await page.getByRole('button', { name: `Delete key ${RUNNER_KID}` }).click();
    await dialog.getByRole('button', { name: 'Delete key' }).click();
    await row(RUNNER_KID).waitFor({ state: 'detached' });
    expect(await rows().count()).toBe(before - 1);
    expect((await api.keys.list()).map((k) => k.kid)).not.toContain(RUNNER_KID);
  });

  it('refuses a page opened without its token, saying what to do', async () => {
    const bare = await context.newPage();
    await bare.goto(new URL('/', session.server.url).toString());
    const message = await bare.getByTestId('active-environment').getByRole('alert').textContent();
    expect(message).toContain('access token');
    await bare.close();
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});
