// The config folder every front door shares: settings, profiles and history kept with conf, every
// writer (the key ring too) under a cross-process lock, and damaged files set aside so the console
// still starts. Real files in a temporary EQ_CONSOLE_HOME, real processes where two writers meet.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../shared/api';
import type { HistoryEntry } from '../../shared/launch-types';
import { newClaims } from '../../shared/launch/index';
import { HISTORY, HistoryStore } from '../../electron/services/launch/history';
import { PROFILES } from '../../electron/services/launch/profiles';
import { SETTINGS } from '../../electron/services/config/settings';
import { createServices, type Services } from '../../electron/services/index';
import { startWebServer, type WebServer } from '../../electron/web/index';
import { cli } from '../support/cli';
import { schemaSummary } from '../support/schema-summary';
import { REPO } from '../support/shared';

let home: string;
let opened: Services[] = [];

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-config-'));
});
afterEach(async () => {
  for (const s of opened) await s.shutdown();
  opened = [];
  fs.rmSync(home, { recursive: true, force: true });
});

async function services(configDir = home): Promise<Services> {
  const s = await createServices({ configDir, mode: 'browser' });
  opened.push(s);
  return s;
}

const publicPem = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const kidOfPem = (pem: string) =>
  crypto
    .createHash('sha1')
    .update(crypto.createPublicKey(pem).export({ type: 'spki', format: 'pem' }))
    .digest('hex');
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(home, file), 'utf8')) as Record<string, unknown>;
const setAsideFiles = (dir: string, base: string) => fs.readdirSync(dir).filter((f) => f.startsWith(`${base}.damaged-`));
const SET_ASIDE_NAME = (base: string) => new RegExp(`^${base}\\.damaged-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d-\\d{3}Z(-\\d+)?\\.json$`);

/** A launch-ready ring: the generated dev ring signs, and a runner key (any public authentication key) is encrypted to. */
async function launchReady(api: Services): Promise<void> {
  await api.keys.importTexts([{ name: 'sdc-sr-authentication-encryption-public-v1.pem', text: publicPem() }]);
}

function call<T>(server: WebServer, channel: string, args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ args });
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: `/api/${channel}`,
        headers: { Host: `127.0.0.1:${server.port}`, 'Content-Type': 'application/json', 'X-EQ-Token': server.token },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean; value?: T; error?: { message: string } };
          if (reply.ok) resolve(reply.value as T);
          else reject(new Error(reply.error?.message));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `work` over the items, at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!, i);
      }
    }),
  );
  return out;
}

describe('two writers at once', () => {
  it("lose no key: 20 imports through browser mode's server and 20 `keys import` processes, all at the same time", async () => {
    const api = await services();
    await api.keys.list(); // the dev ring exists before the writers start
    const staticDir = path.join(home, 'static');
    fs.mkdirSync(staticDir);
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    const server = await startWebServer({ api, staticDir });
    try {
      const pems = Array.from({ length: 40 }, publicPem);
      const keyDir = path.join(home, 'keys');
      fs.mkdirSync(keyDir);
      const files = pems.slice(20).map((pem, i) => {
        const file = path.join(keyDir, `cli-${i}.pem`);
        fs.writeFileSync(file, pem);
        return file;
      });
      let cliRunning = true;
      const viaCli = pool(files, 4, async (file) => {
        const r = await cli(['keys', 'import', file], { home });
        expect(r.code, r.stderr).toBe(0);
        return [...r.stdout.matchAll(/^added\s+([0-9a-f]{40})\b/gm)].map((m) => m[1]!);
      }).finally(() => (cliRunning = false));
      // Spread over the time the processes run, so the server writes while they do.
      const viaHttp = (async () => {
        const added: string[][] = [];
        for (const [i, text] of pems.slice(0, 20).entries()) {
          if (cliRunning) await delay(100 + Math.random() * 300);
          const report = await call<ImportReport>(server, 'keys.importTexts', [[{ name: `http-${i}.pem`, text }]]);
          added.push(report.added.map((k) => k.kid));
        }
        return added;
      })();
      const reported = [...(await viaHttp), ...(await viaCli)].flat();

      const expected = pems.map(kidOfPem);
      expect(new Set(reported)).toEqual(new Set(expected));
      const fresh = await services();
      const inRing = new Set((await fresh.keys.list()).map((k) => k.kid));
      const kept = expected.filter((kid) => inRing.has(kid));
      console.log(`key ring: ${kept.length} of 40 imports kept (${reported.length} reported as added)`);
      expect(kept).toHaveLength(40);
      expect(fs.readdirSync(home).filter((f) => f.endsWith('.lock') || f.includes('.tmp'))).toEqual([]);
    } finally {
      await server.close();
    }
  }, 180_000);

  it('lose no launch: 20 launches here and 20 from another process at the same moment, recorded in one history', async () => {
    const api = await services();
    await launchReady(api);
    const child = spawn(
      process.execPath,
      ['--import', path.join(REPO, 'node_modules/tsx/dist/loader.mjs'), path.join(REPO, 'test/support/launch-writer.ts'), home, '20'],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let ready: () => void;
    const childReady = new Promise<void>((resolve) => (ready = resolve));
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (out.startsWith('ready\n')) ready();
    });
    child.stderr.on('data', (d: Buffer) => (err += d));
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    void done.then(() => ready());

    await childReady;
    const here: string[] = [];
    for (let i = 0; i < 20; i++) {
      const claims = { ...newClaims({ payload: 'v2', schema: schemaSummary(), nowSeconds: Math.floor(Date.now() / 1000) }), tx_id: crypto.randomUUID() };
      here.push((await api.launch.start({ claims, open: 'none', runnerUrl: 'http://127.0.0.1:9' })).entry.id);
    }
    expect(await done, err).toBe(0);
    const there = JSON.parse(out.slice('ready\n'.length)) as string[];
    expect(there).toHaveLength(20);
    const recorded = new Set((await new HistoryStore(home).list()).map((e) => e.id));
    const kept = [...here, ...there].filter((id) => recorded.has(id));
    console.log(`history: ${kept.length} of 40 launches kept`);
    expect(kept).toHaveLength(40);
  }, 120_000);
});

describe('damaged files', () => {
  const DAMAGED: Record<string, { text: string; reason: string; instead: string }> = {
    'settings.json': {
      text: '{"version": 9}',
      reason: 'unknown version 9 (written by a newer console)',
      instead: 'the console starts with the Local runner environment (the key rings of other environments stay in keyrings/)',
    },
    'profiles.json': {
      text: '{"version": 1}',
      reason: "not in the expected shape: must have required property 'profiles'",
      instead: 'saved profiles start empty',
    },
    'history.json': { text: '[oops', reason: 'not valid JSON: ', instead: 'the launch history starts empty' },
    'keyring.json': {
      text: '{"version": 2, "keys": {}}',
      reason: 'not in the expected shape: expected {version: 2, keys: [...]}',
      instead: 'the environment starts with a fresh key ring',
    },
  };

  for (const [name, { text, reason, instead }] of Object.entries(DAMAGED)) {
    it(`${name}: set aside under its own name, the console runs, and one line says what happened`, async () => {
      const first = await services();
      await first.app.info(); // every file written once
      fs.writeFileSync(path.join(home, name), text);

      const api = await services();
      const info = await api.app.info();
      const base = name.replace(/\.json$/, '');
      const [moved, ...more] = setAsideFiles(home, base);
      expect(more).toEqual([]);
      expect(moved).toMatch(SET_ASIDE_NAME(base));
      expect(fs.readFileSync(path.join(home, moved!), 'utf8')).toBe(text);
      expect(info.setAside).toHaveLength(1);
      const [line] = info.setAside!;
      expect(line).toContain(`${path.join(home, name)} could not be read (${reason}`);
      expect(line).toContain(`): it was set aside as ${moved} and ${instead}.`);
      expect(line).not.toContain('\n');
      expect(api.notices).toEqual(info.setAside);

      // Everything else carries on.
      expect((await api.environments.list()).map((e) => e.id)).toEqual(['local']);
      expect(await api.profiles.list()).toEqual([]);
      expect((await api.keys.list()).length).toBeGreaterThanOrEqual(2);
      await api.history.list();
      expect(fs.existsSync(path.join(home, name))).toBe(true);
      // Said once: the next start finds nothing to set aside.
      expect((await (await services()).app.info()).setAside).toBeUndefined();
    });
  }

  it('a damaged history never stops a launch: the launch is recorded in a fresh history', async () => {
    const api = await services();
    await launchReady(api);
    fs.writeFileSync(path.join(home, 'history.json'), '{"version": 1, "entries": [{"id": 7}]}');
    const claims = newClaims({ payload: 'v2', schema: schemaSummary(), nowSeconds: Math.floor(Date.now() / 1000) });
    const result = await api.launch.start({ claims, open: 'none', runnerUrl: 'http://127.0.0.1:9' });
    expect((await api.history.list()).map((e) => e.id)).toEqual([result.entry.id]);
    expect(setAsideFiles(home, 'history')).toHaveLength(1);
    expect(api.notices).toEqual([
      expect.stringMatching(/history\.json could not be read \(not in the expected shape: `entries\/0` must have required property/),
    ]);
  });

  it("a settings file in conf's form from a newer console is set aside too, not overwritten", async () => {
    const newer = JSON.stringify({ environments: [], activeEnvironmentId: 'x', __internal__: { migrations: { version: '99.0.0' } } });
    fs.writeFileSync(path.join(home, 'settings.json'), newer);
    const api = await services();
    expect((await api.app.info()).setAside).toEqual([expect.stringContaining('(data version 99.0.0, written by a newer console)')]);
    expect(fs.readFileSync(path.join(home, setAsideFiles(home, 'settings')[0]!), 'utf8')).toBe(newer);
  });

  it('the command line prints the line once on stderr, and carries on', async () => {
    expect((await cli(['keys', 'list'], { home })).code).toBe(0);
    fs.writeFileSync(path.join(home, 'settings.json'), 'not json');
    fs.writeFileSync(path.join(home, 'keyring.json'), '{"version": 2, "keys": [');
    const r = await cli(['keys', 'list'], { home });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^eq-console: .*settings\.json could not be read \(not valid JSON: .*\): it was set aside as settings\.damaged-.*\.json and the console starts with the Local runner environment/,
    );
    expect(lines[1]).toMatch(
      /^eq-console: .*keyring\.json could not be read \(not valid JSON: .*\): it was set aside as keyring\.damaged-.*\.json and the environment starts with a fresh key ring\.$/,
    );
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .filter((line) => !line.startsWith('#')),
    ).toHaveLength(2); // the fresh ring's two generated keys
    const again = await cli(['keys', 'list'], { home });
    expect(again.stderr).toBe('');
  }, 60_000);
});

describe('migrations', () => {
  const entry: HistoryEntry = {
    id: 'h1',
    at: '2025-01-01T00:00:00.000Z',
    environmentId: 'local',
    runnerUrl: 'http://localhost:5000',
    label: 'Launch',
    payload: 'v2',
    claims: { n: 1 },
    url: 'http://localhost:5000/session?token=x',
    predicted: { runnerStatus: 302, verdict: 'ok' },
    roles: [],
  };

  it("read version 1 history and profiles files and rewrite them in conf's form", async () => {
    const profile = { id: 'p1', name: 'Mine', environmentId: 'local', payload: 'v2', claims: {}, savedAt: '2025-01-01T00:00:00.000Z' };
    fs.writeFileSync(path.join(home, 'history.json'), JSON.stringify({ version: 1, entries: [entry] }));
    fs.writeFileSync(path.join(home, 'profiles.json'), JSON.stringify({ version: 1, profiles: [profile] }));
    const api = await services();
    expect(await api.history.list()).toEqual([entry]);
    expect(await api.profiles.list()).toEqual([profile]);
    expect(read('history.json')).toEqual({ entries: [entry], __internal__: { migrations: { version: HISTORY.version } } });
    expect(read('profiles.json')).toEqual({ profiles: [profile], __internal__: { migrations: { version: PROFILES.version } } });
    expect((await api.app.info()).setAside).toBeUndefined();
  });

  it('write a new config folder only the user can open: the folder 0700, each file 0600', async () => {
    const fresh = path.join(home, 'new', 'eq-console');
    const api = await services(fresh);
    await api.app.info();
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o700);
    for (const name of ['settings.json', 'profiles.json', 'history.json', 'keyring.json']) {
      expect(fs.statSync(path.join(fresh, name)).mode & 0o777, name).toBe(0o600);
    }
    expect(JSON.parse(fs.readFileSync(path.join(fresh, 'settings.json'), 'utf8')).__internal__).toEqual({ migrations: { version: SETTINGS.version } });
  });
});
