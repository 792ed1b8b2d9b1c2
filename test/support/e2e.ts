// The console in a real browser, for the e2e tests: the built renderer, served by browser mode's
// loopback server over the real services on a throwaway EQ home, opened in Debian's Chromium
// started as DESIGN.md says. Each e2e file starts one in beforeAll and closes it in afterAll.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { expect } from 'vitest';
import type { Environment } from '../../shared/api';
import { createServices, type Services } from '../../electron/services/index';
import { startWebServer, type WebServer } from '../../electron/web/index';
import { startRunnerKit, type RunnerKit } from './runner-kit';
import { failUnderCi, ONS, REPO } from './shared';

export const CHROMIUM = '/usr/bin/chromium';
/** DESIGN.md's flags: no sandbox or GPU in a container, and nothing that calls home during a test. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** What `npx electron-vite build` writes; the e2e tests run the renderer as built. */
export const STATIC_DIR = path.join(REPO, 'out/renderer');
/** The runner checkout in ../shared, whose test keys the runner kit uses. */
export const RUNNER_CHECKOUT = path.join(ONS, 'runner');

/**
 * Why the e2e file `name` cannot run here (no Chromium, or the first of `reasons`), printed once as
 * "[name e2e] skipped: …"; undefined when it can run. Under CI=true it throws instead (see
 * skipReason in shared.ts): there, every e2e test must run.
 */
export function e2eSkipReason(name: string, ...reasons: (string | undefined)[]): string | undefined {
  const chromiumMissing = fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`;
  const reason = [chromiumMissing, ...reasons].find(Boolean);
  if (reason) {
    const why = reason.replace(/^skipped: /, '');
    failUnderCi(`[${name} e2e] ${why}`);
    console.warn(`[${name} e2e] skipped: ${why}`);
  }
  return reason;
}

export interface ConsoleInChromium {
  /** The throwaway EQ home: the services' config folder, and EQ_CONSOLE_HOME until close. */
  home: string;
  api: Services;
  server: WebServer;
  browser: Browser;
  context: BrowserContext;
  /** The tab the console was opened in. */
  page: Page;
  /** The answer to opening the console, for checks on its headers. */
  response: Response | null;
  /** The page's uncaught errors and console errors (CSP violations among them): each file's last test insists on none. */
  pageProblems: string[];
  close(): Promise<void>;
}

export interface ConsoleInChromiumOptions {
  /** Names the temp folder, eq-e2e-<name>-… */
  name: string;
  /** Runs before the page first loads: what the page must find in the services (environments, keys, files in home). */
  prepare?: (api: Services, home: string) => Promise<unknown>;
}

export async function startConsoleInChromium({ name, prepare }: ConsoleInChromiumOptions): Promise<ConsoleInChromium> {
  const index = path.join(STATIC_DIR, 'index.html');
  if (!fs.existsSync(index)) throw new Error(`${index} is missing: build the renderer first with \`npx electron-vite build\`.`);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `eq-e2e-${name}-`));
  const savedHome = process.env.EQ_CONSOLE_HOME;
  // Whatever looks for the default config folder in this process finds the throwaway one, never the user's.
  process.env.EQ_CONSOLE_HOME = home;
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  async function close() {
    await browser?.close();
    await server?.close();
    if (savedHome === undefined) delete process.env.EQ_CONSOLE_HOME;
    else process.env.EQ_CONSOLE_HOME = savedHome;
    fs.rmSync(home, { recursive: true, force: true });
  }

  try {
    const api = await createServices({ configDir: home, mode: 'browser' });
    await prepare?.(api, home);
    server = await startWebServer({ api, staticDir: STATIC_DIR });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const pageProblems: string[] = [];
    page.on('pageerror', (err) => pageProblems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageProblems.push(`console: ${msg.text()}`);
    });
    const response = await page.goto(server.url);
    return { home, api, server, browser, context, page, response, pageProblems, close };
  } catch (err) {
    // afterAll has nothing to close when this never returned, so nothing may be left running.
    await close().catch(() => {});
    throw err;
  }
}

export interface ConsoleWithRunner extends ConsoleInChromium {
  /** The real runner (../shared/runner-kit) on loopback. */
  runner: RunnerKit;
  /** The active environment: the runner, its ring holding the runner's test keys. */
  runnerEnv: Environment;
}

/**
 * The console as startConsoleInChromium makes it, pointed at the real runner from
 * ../shared/runner-kit: the runner is the active environment, and that environment's ring holds
 * the runner's test keys (its dev-keys.yml trusts only those).
 */
export async function startConsoleWithRunner(name: string): Promise<ConsoleWithRunner> {
  const runner = await startRunnerKit();
  let runnerEnv: Environment | undefined;
  try {
    const session = await startConsoleInChromium({
      name,
      prepare: async (api) => {
        runnerEnv = await api.environments.save({ name: 'Runner kit', runnerUrl: runner.url });
        await api.environments.activate(runnerEnv.id);
        const report = await api.keys.importRunnerCheckout(RUNNER_CHECKOUT);
        expect(report.added.length + report.upgraded.length).toBeGreaterThan(0);
      },
    });
    const close = async () => {
      await session.close();
      await runner.close();
    };
    return { ...session, runner, runnerEnv: runnerEnv!, close };
  } catch (err) {
    await runner.close();
    throw err;
  }
}

/** A fresh folder for one test file's screenshots, kept after the run for a person to look at; its path is printed. */
export function screenshotsDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `eq-e2e-${name}-shots-`));
  console.info(`[${name} e2e] screenshots in ${dir}`);
  return dir;
}
