// Starts test/stand-in/runner.py, the Python stand-in for the eQ runner (RUNNER-CONTRACT §3-§6),
// on 127.0.0.1 with a free port. It is written in Python on jwcrypto so that it shares no code
// with the console it is used to test: a test double is never the thing it stands in for.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, RUNNER_DEV_KEYS } from './shared';

/** Debian's interpreter, which has python3-jwcrypto and python3-yaml (a pyenv python3 may not). */
export const PYTHON = '/usr/bin/python3';
export const STAND_IN_SCRIPT = path.join(REPO, 'test/stand-in/runner.py');

/** A questionnaire stored before the test launches anything: what /flush finds for response_id. */
export interface SeedEntry {
  response_id: string;
  answers: Record<string, unknown>;
  /** The launch metadata it stands for (not validated); tx_id, case_id and the like are made up when left out. */
  claims?: Record<string, unknown>;
}

export interface StandInOptions {
  /** <survey_type>/<en|cy>/<schema_name>.json, like the runner's schemas/ folder. */
  schemasDir: string;
  /** The runner's sdc key store; ../shared/ons/runner/dev-keys.yml by default. */
  keys?: string;
  /** Where flushed payloads are written: <tx_id>.jwe and JSON lines in runner.log. */
  downstreamDir?: string;
  seed?: SeedEntry[];
}

/** One payload sent downstream, as the runner's `log` backend carries it. */
export interface DownstreamMessage {
  message: string;
  tx_id: string;
  case_id: string;
}

export interface StandInRunner {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  /** "METHOD path?query" of every runner request so far (not the /__stand-in/ ones). */
  requests(): Promise<string[]>;
  seed(entries: SeedEntry[]): Promise<void>;
  downstream(): Promise<DownstreamMessage[]>;
  /** Shift the stand-in's clock by this many seconds from real time (exp, jti retention, response_expires_at). */
  setClockOffset(seconds: number): Promise<void>;
  /** What the stand-in wrote on stderr: empty unless it faulted. */
  stderr(): string;
  close(): Promise<void>;
}

let missing: string | null | undefined;

/** Why the stand-in cannot run here, or undefined when it can. Tests print it and skip. */
export function standInMissing(): string | undefined {
  if (missing === undefined) {
    if (!fs.existsSync(RUNNER_DEV_KEYS)) missing = `skipped: ${RUNNER_DEV_KEYS} is absent (the ONS material lives in ../shared beside the checkout)`;
    else {
      const r = spawnSync(PYTHON, ['-c', 'import jwcrypto, yaml'], { encoding: 'utf8' });
      missing = r.status === 0 ? null : `skipped: the stand-in runner needs ${PYTHON} with Debian python3-jwcrypto and python3-yaml (apt-get install -y python3-jwcrypto python3-yaml)`;
    }
  }
  return missing ?? undefined;
}

/** Starts the stand-in; a bare string is the schemas folder (the older signature). */
export async function startStandInRunner(options: StandInOptions | string): Promise<StandInRunner> {
  const opts: StandInOptions = typeof options === 'string' ? { schemasDir: options } : options;
  const args = [STAND_IN_SCRIPT, '--keys', opts.keys ?? RUNNER_DEV_KEYS, '--schemas', opts.schemasDir, '--port', '0', '--exit-with-stdin'];
  if (opts.downstreamDir) args.push('--downstream', opts.downstreamDir);
  let seedDir: string | undefined;
  if (opts.seed) {
    seedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-stand-in-seed-'));
    const seedFile = path.join(seedDir, 'seed.json');
    fs.writeFileSync(seedFile, JSON.stringify(opts.seed));
    args.push('--seed', seedFile);
  }

  // stdin stays open and unused: when this process dies, the pipe closes and the stand-in exits.
  const child = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      let settled = false;
      const timer = setTimeout(() => fail(new Error(`the stand-in runner did not start within 20 s: ${stderr.trim()}`)), 20_000);
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(e);
      };
      child.once('error', fail);
      child.once('exit', (code, signal) => fail(new Error(`the stand-in runner exited (${signal ?? code}) before listening: ${stderr.trim()}`)));
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        const m = /^listening (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
        if (m && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
  } finally {
    if (seedDir) fs.rmSync(seedDir, { recursive: true, force: true });
  }

  const admin = async (name: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${url}/__stand-in/${name}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const text = await res.text();
    if (!res.ok) throw new Error(`stand-in ${name}: ${res.status} ${res.headers.get('x-stand-in-reason') ?? text}`);
    return JSON.parse(text) as unknown;
  };

  return {
    url,
    requests: async () => (await admin('requests')) as string[],
    seed: async (entries) => void (await admin('seed', entries)),
    downstream: async () => (await admin('downstream')) as DownstreamMessage[],
    setClockOffset: async (seconds) => void (await admin('clock', { offset: seconds })),
    stderr: () => stderr,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(force);
    },
  };
}
