// The Inspect screen end to end: the built renderer in Debian's Chromium (browser mode) over the
// real services. The ring holds the runner checkout's test keys; a token minted from valid-looking
// v2 claims with an expired exp is pasted as a launch URL, and the screen must predict the
// runner's 401 and name the exp problem. Build first with `npx electron-vite build`.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../electron/services/index';
import { e2eSkipReason, RUNNER_CHECKOUT, startConsoleInChromium, type ConsoleInChromium } from '../support/e2e';
import { sharedMissing } from '../support/shared';

const SCREENSHOT = '/tmp/inspect.png';

const skipReason = e2eSkipReason('inspect', sharedMissing());

/** A v2 launch the runner would take, but for exp: it ran out an hour ago. */
function expiredV2Claims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    version: 'v2',
    exp: now - 3600,
    iat: now - 4200,
    jti: randomUUID(),
    tx_id: randomUUID(),
    account_service_url: 'https://surveys.example.gov.uk',
    case_id: randomUUID(),
    collection_exercise_sid: randomUUID(),
    response_id: 'QzXMrPqoLiyEyerrED88AbkQoQK0sVVX72ZtVphHr0w=',
    response_expires_at: new Date((now + 7 * 86400) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    schema_name: 'test_checkbox',
    language_code: 'en',
    survey_metadata: {
      data: { ru_name: 'ACME Ltd', user_id: 'UNKNOWN', period_id: '202506', form_type: '0001', ru_ref: '49900000001A', survey_id: '009' },
    },
  };
}

describe.skipIf(skipReason !== undefined)('Inspect screen in browser mode', () => {
  let session: ConsoleInChromium;
  let api: Services;
  let page: Page;

  beforeAll(async () => {
    session = await startConsoleInChromium({
      name: 'inspect',
      prepare: async (services) => {
        const report = await services.keys.importRunnerCheckout(RUNNER_CHECKOUT);
        expect(report.added.length + report.upgraded.length).toBeGreaterThan(0);
      },
    });
    ({ api, page } = session);
  });

  afterAll(() => session?.close());

  it('predicts 401 for a pasted launch URL whose token expired, and says why', async () => {
    const { token } = await api.direct.mintText(JSON.stringify(expiredV2Claims()));
    // What the service itself says, so the page is checked against it and not against a guess. The
    // page checks against the active environment's runner (here one that is not running) by default.
    const expected = await api.tokens.inspect(token, { runnerUrl: (await api.app.info()).activeEnvironment.runnerUrl });
    expect(expected.runnerStatus).toBe(401);
    const expProblem = expected.problems.find((p) => p.code === 'exp.expired');
    expect(expProblem).toBeDefined();

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Inspect', exact: true }).click();
    await page.getByRole('heading', { name: 'Inspect', level: 1 }).waitFor();
    expect(await page.getByTestId('not-built').count()).toBe(0);
    const submit = page.getByRole('button', { name: 'Inspect', exact: true }).and(page.getByTestId('inspect-submit'));
    await expect(submit.isDisabled()).resolves.toBe(true);

    await page.getByLabel('A token or a launch URL').fill(`http://localhost:5000/session?token=${token}`);
    await submit.click();
    const result = page.getByTestId('inspect-result');
    await result.waitFor();

    await expect(page.getByTestId('inspect-status').textContent()).resolves.toBe('401');
    await expect(page.getByTestId('inspect-verdict').textContent()).resolves.toBe(expected.verdict);
    await expect(page.getByTestId('inspect-payload-version').textContent()).resolves.toContain('v2');

    const runnerGroup = page.getByRole('group', { name: /What the runner checks/ });
    const expRow = runnerGroup.locator('[data-testid="inspect-problem"][data-code="exp.expired"]');
    await expect(expRow.textContent()).resolves.toContain('exp');
    await expect(expRow.textContent()).resolves.toContain(expProblem!.message);
    await page.getByRole('group', { name: /ONS specification/ }).waitFor();

    const jwe = JSON.parse((await page.getByTestId('inspect-jwe-header').textContent())!);
    expect(jwe).toEqual(expected.jweHeader);
    const jws = JSON.parse((await page.getByTestId('inspect-jws-header').textContent())!);
    expect(jws).toEqual(expected.jwsHeader);
    const claims = JSON.parse((await page.getByTestId('inspect-claims').textContent())!);
    expect(claims.exp).toBe(expected.claims!.exp);
    expect(claims.survey_metadata.data.ru_ref).toBe('49900000001A');

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('explains text that is no token as the runner would refuse it (403), in words', async () => {
    await page.getByLabel('A token or a launch URL').fill('not a token at all');
    await page.getByTestId('inspect-submit').click();
    const result = page.getByTestId('inspect-result');
    await expect.poll(() => result.textContent(), { timeout: 10_000 }).toMatch(/403/);
    expect(await result.textContent()).toContain('A launch token is a JWE with 5 dot-separated parts; this has 1.');
    expect(await page.getByTestId('inspect-error').count()).toBe(0);
  });

  it('raised no page errors or CSP violations', () => {
    expect(session.pageProblems).toEqual([]);
  });
});
