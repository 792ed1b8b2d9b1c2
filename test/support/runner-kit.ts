// The real eQ Questionnaire Runner for tests: ../shared/runner-kit (eq-questionnaire-runner at
// 771844c, v2 launches only) or ../shared/runner-kit-v13 (v13.6.1, the last release that takes v1
// launches), each started on loopback with its own Redis in a throwaway work folder
// (RUNNER-CONTRACT §8). What the runner sends downstream is read from its log, as its `log`
// submission backend writes it; and respond() answers a question the way a browser would.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHARED } from './shared';

export type KitName = 'current' | 'v13';

export const RUNNER_KITS: Record<KitName, string> = {
  current: path.join(SHARED, 'runner-kit'),
  v13: path.join(SHARED, 'runner-kit-v13'),
};

/** The Debian interpreter the kits run on (a pyenv python3 on PATH has none of their packages). */
const PYTHON = '/usr/bin/python3';
const PY_IMPORTS = 'import flask, flask_login, marshmallow, structlog, redis, jwcrypto, flask_talisman, flask_compress, simplejson';
/** How long the kit may take to answer /status; it normally takes a few seconds. */
const START_TIMEOUT_MS = 30_000;

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, command)));
}

const missingByKit = new Map<KitName, string | null>();

/** Why the kit cannot run here, or undefined when it can. Tests print it and skip (or fail under CI). */
export function runnerKitMissing(kit: KitName = 'current'): string | undefined {
  if (!missingByKit.has(kit)) missingByKit.set(kit, findMissing(kit));
  return missingByKit.get(kit) ?? undefined;
}

function findMissing(kit: KitName): string | null {
  const dir = RUNNER_KITS[kit];
  const install = `run ${path.join(dir, 'install')} as root`;
  if (!fs.existsSync(path.join(dir, 'run'))) return `skipped: ${dir} is absent (the real runner lives in ../shared beside the checkout)`;
  const imports = spawnSync(PYTHON, ['-c', PY_IMPORTS], { encoding: 'utf8' });
  if (imports.status !== 0) {
    const why = (imports.stderr || imports.error?.message || '').trim().split('\n').pop();
    return `skipped: the runner kit needs ${PYTHON} with its Debian packages (${why}); ${install}`;
  }
  // The kit's run script also polls /status with curl and ties its children to it with setpriv.
  for (const command of ['redis-server', 'curl', 'setpriv']) {
    if (!onPath(command)) return `skipped: the runner kit needs ${command} on PATH; ${install}`;
  }
  return null;
}

/** One payload the runner sent downstream: its log backend's "message payload" line. */
export interface RunnerPayload {
  /** The encrypted payload (a compact JWE). */
  message: string;
  tx_id: string;
  case_id: string;
}

export interface RunnerKit {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  /** The runner's structured log (JSON lines among Flask's own lines). */
  logFile: string;
  /** GET /status's version: the runner's commit (771844c… for runner-kit, f66d774… for v13). */
  version: string | null;
  /** Every payload sent downstream so far, oldest first. */
  payloads(): Promise<RunnerPayload[]>;
  /** Every JSON line of the log so far. */
  logLines(): Promise<Record<string, unknown>[]>;
  /** "METHOD /path?query" of every request the runner logged so far, oldest first. */
  requests(): Promise<string[]>;
  close(): Promise<void>;
}

export interface RunnerKitOptions {
  kit?: KitName;
  /** The runner-side sdc key store; the kit's own dev-keys.yml (= ../shared/ons/runner/dev-keys.yml) by default. */
  keys?: string;
}

/** Every runner this process started and has not closed: ended when the process exits. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    // The kit runs in its own process group (detached), with its runner and Redis in it.
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test process that ends without close() still ends its runners. One killed outright cannot
  // run this; setpriv --pdeathsig (below) covers that case.
  process.once('exit', () => {
    for (const child of running) killGroup(child, 'SIGTERM');
  });
}

async function readJsonLines(file: string): Promise<Record<string, unknown>[]> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    return [];
  }
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue; // Flask's and Werkzeug's own lines
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line still being written.
    }
  }
  return out;
}

function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(${file} was not written)`;
  }
}

/**
 * Starts `<kit>/run --port 0 --workdir <fresh tmp dir>` and waits for it to print its URL and log.
 * The caller closes it (afterAll); a test process that dies takes it along.
 */
export async function startRunnerKit(options: RunnerKitOptions = {}): Promise<RunnerKit> {
  const kit = options.kit ?? 'current';
  const missing = runnerKitMissing(kit);
  if (missing) throw new Error(missing.replace(/^skipped: /, ''));
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), `eqc-runner-${kit}-`));
  const args = [path.join(RUNNER_KITS[kit], 'run'), '--port', '0', '--workdir', workdir];
  if (options.keys) args.push('--keys', options.keys);

  // setpriv --pdeathsig: if this process dies, run gets SIGTERM and stops its runner and Redis
  // (they carry the same tie to run). detached: run leads its own process group, which close()
  // signals as a whole.
  const child = spawn('setpriv', ['--pdeathsig', 'TERM', ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  installExitHook();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM');
      const force = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    }
    // Its runner and Redis may outlive run by a moment; nothing of the group may stay.
    killGroup(child, 'SIGKILL');
    running.delete(child);
    fs.rmSync(workdir, { recursive: true, force: true });
  };

  let url: string;
  let logFile: string;
  try {
    [url, logFile] = await new Promise<[string, string]>((resolve, reject) => {
      let stdout = '';
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(
          new Error(
            `the runner kit (${kit}) ${why}.\nrun said: ${(stdout + stderr).trim() || '(nothing)'}\nthe end of ${path.join(workdir, 'runner.log')}:\n${tail(path.join(workdir, 'runner.log'))}`,
          ),
        );
      };
      const timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
      child.once('error', (err) => fail(`could not be started (${err.message})`));
      child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it answered`));
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        const runner = /^runner: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
        const log = /^log: (.+)$/m.exec(stdout);
        if (runner && log && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve([runner[1]!, log[1]!.trim()]);
        }
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }

  let version: string | null;
  try {
    const status = (await (await fetch(`${url}/status`)).json()) as { version?: string | null };
    version = status.version ?? null;
  } catch (err) {
    await stop();
    throw new Error(`the runner kit (${kit}) at ${url} did not answer /status with JSON: ${(err as Error).message}`, { cause: err });
  }

  return {
    url,
    logFile,
    version,
    logLines: () => readJsonLines(logFile),
    payloads: async () =>
      (await readJsonLines(logFile))
        .filter((l) => l.event === 'message payload')
        .map((l) => ({ message: String(l.message), tx_id: String(l.tx_id), case_id: String(l.case_id) })),
    requests: async () =>
      (await readJsonLines(logFile))
        .filter((l) => l.event === 'request')
        // The runner logs url_path with a bare "?" when there is no query.
        .map((l) => `${String(l.method)} ${String(l.url_path).replace(/\?$/, '')}`),
    close: stop,
  };
}

// ---- a respondent ----------------------------------------------------------------------------

/** Cookies by name, as one browser tab keeps them for one host. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair!.indexOf('=');
      if (eq <= 0) continue;
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /;\s*max-age=0/i.test(header) || /;\s*expires=Thu, 01[ -]Jan[ -]1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface Respondent {
  /** The runner's answer to the /session URL: 302 when it started the questionnaire. */
  launchStatus: number;
  /** The questionnaire page the redirects ended at (absolute), or '' when the launch was refused. */
  pageUrl: string;
  /** The answer to posting the form: 302 to the next page when the runner stored the answers. */
  postStatus: number;
  /** Where that 302 goes (as the runner wrote it), or null. */
  location: string | null;
  /** GET another page with the same cookies (redirects not followed). */
  get(url: string): Promise<{ status: number; location: string | null; body: string }>;
}

const decodeHtml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * What a browser does with a launch URL: GET it without following the redirect, keep the cookie,
 * follow the redirects to the questionnaire page, take the hidden csrf_token from its form and
 * POST the fields (e.g. test_checkbox: { 'mandatory-checkbox-answer': 'Ham' }) to where the form
 * posts, with the same cookies. When postStatus is 302 the runner has stored the answers, so a
 * flush of the launch's response_id answers 200 (once).
 */
export async function respond(sessionUrl: string, fields: Record<string, string | string[]> = {}): Promise<Respondent> {
  const jar = new CookieJar();
  const request = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const cookie = jar.header();
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.take(res);
    return { status: res.status, location: res.headers.get('location'), body: await res.text() };
  };
  const get = (url: string) => request(url);

  const launched = await request(sessionUrl);
  if (launched.status !== 302 || !launched.location) {
    return { launchStatus: launched.status, pageUrl: '', postStatus: 0, location: null, get };
  }
  // /session -> /questionnaire/ -> the first question's page (or an introduction, a hub …).
  let pageUrl = new URL(launched.location, sessionUrl).href;
  let page = await request(pageUrl);
  for (let hops = 0; page.status >= 300 && page.status < 400 && page.location && hops < 10; hops++) {
    pageUrl = new URL(page.location, pageUrl).href;
    page = await request(pageUrl);
  }
  if (page.status !== 200) throw new Error(`the questionnaire page ${pageUrl} answered ${page.status}`);
  const form = /<form\b[^>]*>/i.exec(page.body)?.[0];
  if (!form) throw new Error(`the questionnaire page ${pageUrl} has no form`);
  const csrf = /<input\b[^>]*\bname="csrf_token"[^>]*>/i.exec(page.body)?.[0];
  const csrfValue = csrf && /\bvalue="([^"]*)"/.exec(csrf)?.[1];
  if (csrfValue === undefined) throw new Error(`the questionnaire page ${pageUrl} has no csrf_token in its form`);
  const action = /\baction="([^"]*)"/i.exec(form)?.[1];
  const target = action ? new URL(decodeHtml(action), pageUrl).href : pageUrl;

  const body = new URLSearchParams({ csrf_token: decodeHtml(csrfValue) });
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  const posted = await request(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  return { launchStatus: launched.status, pageUrl, postStatus: posted.status, location: posted.location, get };
}
