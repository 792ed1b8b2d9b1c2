// The command line as it ships: built JavaScript (out/cli) that needs nothing from node_modules.
// Copied here beside bin/eq-console with no node_modules at all (what `npm prune --omit=dev`, or
// less, leaves), it still runs every kind of command; and --help reads no command's code.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIDS, REPO, RUNNER_DEV_KEYS, RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';

const BUILT = path.join(REPO, 'out/cli/eq-console.mjs');
const missing = skipReason(fs.existsSync(BUILT) ? undefined : `skipped: ${BUILT} is not built (npm test builds it first)`, sharedMissing());

describe.skipIf(missing)('the built command line, without node_modules', () => {
  let bare: string;
  let home: string;
  const run = (args: string[], input = '') =>
    spawnSync(path.join(bare, 'bin/eq-console'), args, { input, encoding: 'utf8', env: { ...process.env, EQ_CONSOLE_HOME: home } });

  beforeAll(() => {
    bare = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-bare-'));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-bare-home-'));
    fs.cpSync(path.join(REPO, 'bin'), path.join(bare, 'bin'), { recursive: true });
    fs.cpSync(path.join(REPO, 'out/cli'), path.join(bare, 'out/cli'), { recursive: true });
    fs.cpSync(path.join(REPO, 'out/renderer'), path.join(bare, 'out/renderer'), { recursive: true });
    fs.copyFileSync(path.join(REPO, 'package.json'), path.join(bare, 'package.json'));
  });
  afterAll(() => {
    fs.rmSync(bare, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('computes a kid, mints one token and 300 on worker threads, reads a YAML key store', () => {
    expect(run(['keys', 'kid', path.join(RUNNER_KEYS_DIR, 'sdc-rrm-authentication-signing-private-v1.pem')]).stdout.trim()).toBe(KIDS.launcherSigning);
    const one = run(['token', 'mint', '--keys', RUNNER_KEYS_DIR], '{"version":"v2"}');
    expect(one.status, one.stderr).toBe(0);
    expect(one.stdout.trim().split('.')).toHaveLength(5);
    const many = run(['token', 'mint', '--keys', RUNNER_KEYS_DIR, '--count', '300'], '{"version":"v2"}');
    expect(many.status, many.stderr).toBe(0);
    expect(new Set(many.stdout.trim().split('\n')).size).toBe(300);
    const imported = run(['keys', 'import', RUNNER_DEV_KEYS]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(run(['keys', 'list']).stdout).toContain(KIDS.runnerEncryption);
  });

  it('serves the built pages from beside itself in browser mode', async () => {
    const child = spawn(path.join(bare, 'bin/eq-console'), ['serve', '--port', '0'], { env: { ...process.env, EQ_CONSOLE_HOME: home } });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d;
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(out);
          if (m) resolve(m[0]);
        });
        child.stderr.on('data', (d: Buffer) => (out += d));
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('answers --help without reading any command module', () => {
    // Only the entry and what it imports statically stay; every chunk loaded on demand goes.
    const dir = path.join(bare, 'out/cli');
    const needed = new Set<string>();
    const visit = (file: string) => {
      if (needed.has(file)) return;
      needed.add(file);
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of text.matchAll(/(?:^|[;}\s])import\s*(?:[^"'();]*?from\s*)?["']\.\/([^"']+)["']/g)) visit(m[1]!);
    };
    visit('eq-console.mjs');
    const lean = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-lean-'));
    try {
      fs.cpSync(path.join(bare, 'bin'), path.join(lean, 'bin'), { recursive: true });
      fs.mkdirSync(path.join(lean, 'out/cli'), { recursive: true });
      for (const file of needed) fs.copyFileSync(path.join(dir, file), path.join(lean, 'out/cli', file));
      expect(needed.size).toBeLessThan(fs.readdirSync(dir).filter((f) => f.endsWith('.mjs')).length);
      for (const args of [['--help'], ['keys', '--help'], ['launch', '--help'], ['token', 'mint', '--help']]) {
        const r = spawnSync(path.join(lean, 'bin/eq-console'), args, { encoding: 'utf8' });
        expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(/eq-console|Usage/);
      }
    } finally {
      fs.rmSync(lean, { recursive: true, force: true });
    }
  });
});
