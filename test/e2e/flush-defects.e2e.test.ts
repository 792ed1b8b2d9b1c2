// Issue 12, Flush: outcomes listed in the order the ids were given whatever order the answers come
// in, and a progress bar whose colour says whether anything failed. In Debian's Chromium against
// browser mode. The real runner (../shared/runner-kit) gives the all-fine and the all-refused
// jobs; what it cannot be made to do on demand (answer the first id last, and refuse some ids of
// a job but not others) is a few lines of node:http here, which opens the console's flush tokens
// with a runner key made for it. Screenshots go to this file's own temporary folder, named in the
// log. Build first with `node scripts/setup.mjs --build`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { compactDecrypt } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../shared/api';
import { newClaims } from '../../shared/launch/index';
import { importTexts, readKeyFiles } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { sealClaims } from '../../electron/services/tokens/jwt-profile';
import { launchKeys } from '../../electron/services/tokens/launch-keys';
import { e2eSkipReason, screenshotsDir, startConsoleWithRunner, type ConsoleWithRunner } from '../support/e2e';
import { respond, runnerKitMissing } from '../support/runner-kit';
import { RUNNER_KEYS_DIR, sharedMissing } from '../support/shared';

const skip = e2eSkipReason('flush defects', sharedMissing(), runnerKitMissing());

/** A runner stand-in that holds the first id of a job until it has answered all the others. */
interface HoldingRunner {
  url: string;
  publicPem: string;
  /** The response ids in the order they were answered. */
  answered: string[];
  close(): Promise<void>;
}

/**
 * Answers POST /flush by the response_id inside the token (decrypted with its own key; the
 * signature is not its concern): `hold` waits until `others` ids have been answered, then gets a
 * 404; ids in `refuse` get the runner's role 403 (empty body); the rest a 404.
 */
async function holdingRunner(hold: string, others: number, refuse: Set<string>): Promise<HoldingRunner> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const answered: string[] = [];
  let release: () => void = () => {};
  const othersDone = new Promise<void>((resolve) => (release = resolve));
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method !== 'POST' || url.pathname !== '/flush') return void res.writeHead(404, { 'content-length': '0' }).end();
      const token = url.searchParams.get('token') ?? '';
      const { plaintext } = await compactDecrypt(token, privateKey);
      const claims = JSON.parse(Buffer.from(new TextDecoder().decode(plaintext).split('.')[1]!, 'base64url').toString('utf8')) as { response_id: string };
      const id = claims.response_id;
      if (id === hold) await othersDone;
      res.writeHead(refuse.has(id) ? 403 : 404, { 'content-length': '0' }).end();
      answered.push(id);
      if (answered.length === others) release();
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    answered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(skip !== undefined)('Flush defects of issue 12, in Chromium', () => {
  let session: ConsoleWithRunner;
  let page: Page;
  let shots: string;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    shots = screenshotsDir('flush-defects');
    session = await startConsoleWithRunner('flush-defects');
    ({ page } = session);
  }, 120_000);

  afterAll(async () => {
    for (const close of closers) await close();
    await session?.close();
  });

  const progress = () => page.getByRole('progressbar', { name: 'Flush progress' });
  const rows = () => page.getByTestId('flush-row');
  async function shot(name: string) {
    await page.getByTestId('flush-results').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    // The fill grows with a short transition: the picture shows where it ends.
    await expect.poll(() => page.locator('.progress-fill').evaluate((el) => el.getAnimations().length)).toBe(0);
    await page.screenshot({ path: path.join(shots, `${name}.png`) });
  }

  /** The environment made active, and the page reloaded onto the Flush screen (the header lists environments as it loads). */
  async function useEnvironment(env: Environment) {
    await session.api.environments.activate(env.id);
    await page.reload();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Flush', exact: true }).click();
    await page.getByRole('heading', { name: 'Flush', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('flush-runner').textContent()).toContain(env.runnerUrl);
  }

  async function flush(ids: string[], concurrency: number) {
    await page.getByLabel('A list or CSV of response ids').fill(ids.join('\n'));
    await page.getByLabel('At once').fill(String(concurrency));
    await page.getByTestId('flush-start').click();
    await expect.poll(() => progress().getAttribute('aria-valuemax')).toBe(String(ids.length));
    await expect.poll(() => page.getByTestId('flush-results').getByRole('heading', { level: 2 }).textContent(), { timeout: 60_000 }).toBe('Flush finished');
    await expect.poll(() => rows().count()).toBe(ids.length);
  }

  /** The bar's fill colour, and what the page's own colour variables compute to, as rgb() strings. */
  async function colours() {
    return page.getByTestId('flush-progress').evaluate((bar) => {
      const fill = bar.querySelector('.progress-fill')!;
      const resolve = (name: string) => {
        const probe = document.createElement('div');
        probe.style.background = `var(${name})`;
        document.body.append(probe);
        const value = getComputedStyle(probe).backgroundColor;
        probe.remove();
        return value;
      };
      return { fill: getComputedStyle(fill).backgroundColor, ok: resolve('--ok'), danger: resolve('--danger'), warn: resolve('--warn') };
    });
  }

  const listed = () => rows().evaluateAll((trs) => trs.map((tr) => [tr.querySelector('td')?.textContent ?? '', tr.getAttribute('data-outcome') ?? '']));

  it('all fine on the real runner: the bar is green', async () => {
    const ring = new KeyRing();
    importTexts(ring, readKeyFiles([RUNNER_KEYS_DIR]));
    const claims = newClaims({ payload: 'v2', selection: { schema_name: 'test_checkbox' }, nowSeconds: Math.floor(Date.now() / 1000) });
    const answered = await respond(`${session.runner.url}/session?token=${sealClaims(claims, launchKeys(ring))}`, { 'mandatory-checkbox-answer': 'Ham' });
    expect(answered).toMatchObject({ launchStatus: 302, postStatus: 302 });
    await useEnvironment(session.runnerEnv);

    await flush([String(claims.response_id), 'e2e-fine-unknown-1', 'e2e-fine-unknown-2'], 2);
    await expect(page.getByTestId('flush-summary').textContent()).resolves.toBe('1 flushed, 2 had nothing to flush, 0 failed.');
    const c = await colours();
    expect(c.fill).toBe(c.ok);
    await expect(progress().getAttribute('data-tone')).resolves.toBe('ok');
    await shot('flush-all-fine');
  });

  it('every request refused by the real runner: the bar is red, not green', async () => {
    // The runner's encryption key only: the console signs with the ring's own generated key,
    // which the runner does not trust, so it answers every flush with its invalid-token 403.
    const untrusted = await session.api.environments.save({ name: 'Runner kit, untrusted signer', runnerUrl: session.runner.url });
    await session.api.environments.activate(untrusted.id);
    const name = 'sdc-sr-authentication-encryption-public-v1.pem';
    await session.api.keys.importTexts([{ name, text: fs.readFileSync(path.join(RUNNER_KEYS_DIR, name), 'utf8') }]);
    await useEnvironment(untrusted);

    const ids = ['e2e-refused-1', 'e2e-refused-2', 'e2e-refused-3'];
    await flush(ids, 3);
    await expect(page.getByTestId('flush-summary').textContent()).resolves.toBe('0 flushed, 0 had nothing to flush, 3 failed.');
    expect(await listed()).toEqual(ids.map((id) => [id, 'invalid-token']));
    const c = await colours();
    expect(c.fill).not.toBe(c.ok);
    expect(c.fill).toBe(c.danger);
    await expect(progress().getAttribute('data-tone')).resolves.toBe('failed');
    await expect(progress().getAttribute('aria-valuetext')).resolves.toBe('3 of 3, 3 failed');
    await shot('flush-all-failed');
  });

  it('answers that come back out of order are listed in the order given; some refused: the bar is amber', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `e2e-order-${i}`);
    const refuse = new Set([ids[3]!, ids[6]!]);
    const fake = await holdingRunner(ids[0]!, ids.length - 1, refuse);
    closers.push(fake.close);
    const env = await session.api.environments.save({ name: 'Holding runner', runnerUrl: fake.url });
    await session.api.environments.activate(env.id);
    await session.api.keys.importTexts([{ name: 'sdc-sr-authentication-encryption-public-v1.pem', text: fake.publicPem }]);
    await useEnvironment(env);

    await flush(ids, 4);
    // The first id was answered last: listed in the order answered, it would be at the bottom.
    expect(fake.answered).toHaveLength(ids.length);
    expect(fake.answered.at(-1)).toBe(ids[0]);
    expect(fake.answered).not.toEqual(ids);
    expect(await listed()).toEqual(ids.map((id) => [id, refuse.has(id) ? 'forbidden' : 'nothing-to-flush']));
    await expect(page.getByTestId('flush-summary').textContent()).resolves.toBe('0 flushed, 6 had nothing to flush, 2 failed.');

    const c = await colours();
    expect(c.fill).not.toBe(c.ok);
    expect(c.fill).not.toBe(c.danger);
    expect(c.fill).toBe(c.warn);
    await expect(progress().getAttribute('data-tone')).resolves.toBe('mixed');
    await expect(progress().getAttribute('aria-valuetext')).resolves.toBe('8 of 8, 2 failed');
    await shot('flush-out-of-order-mixed');
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});
