// The README's start command where Electron cannot run (no display here): one line saying so,
// then the same console served to a browser, its URL printed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/shared';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-start-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const built = fs.existsSync(path.join(REPO, 'out/renderer/index.html'));

describe.skipIf(!built && (console.warn('skipped: out/ is not built (npm test builds it first)'), true))('npm start without a display', () => {
  it('says why in one line and serves the console in browser mode', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, EQ_CONSOLE_HOME: home };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const child = spawn(process.execPath, [path.join(REPO, 'scripts/start.mjs'), '--port', '0'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const m = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`start exited with ${code}: ${out}`)));
    });
    try {
      expect(out).toMatch(
        /^Electron cannot start here \(there is no display \(DISPLAY\/WAYLAND_DISPLAY unset\)\); serving the same console in browser mode instead\.$/m,
      );
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const token = new URL(url).searchParams.get('token')!;
      const api = await fetch(new URL('/api/app.info', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-eq-token': token },
        body: '{"args":[]}',
      });
      expect(await api.json()).toMatchObject({
        ok: true,
        value: { mode: 'browser', activeEnvironment: { name: 'Local runner', runnerUrl: 'http://localhost:5000' } },
      });
    } finally {
      child.kill('SIGTERM');
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`serve stops on ${signal}, its schema previews with it`, async () => {
      // Not in the console's config folder (EQ_CONSOLE_HOME): that one is never served.
      const schema = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-preview-')), `preview-${signal}.json`);
      fs.writeFileSync(schema, JSON.stringify({ mime_type: 'application/json/ons/eq', schema_version: '0.0.1', metadata: [], sections: [] }));
      const child = spawn(path.join(REPO, 'bin/eq-console'), ['serve', '--port', '0'], {
        env: { ...process.env, EQ_CONSOLE_HOME: home },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d;
          const m = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const token = new URL(url).searchParams.get('token')!;
      const started = await fetch(new URL('/api/schemas.previewStart', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-eq-token': token },
        body: JSON.stringify({ args: [schema] }),
      });
      const preview = ((await started.json()) as { value: { schemaUrl: string } }).value;
      expect((await fetch(preview.schemaUrl)).status).toBe(200);
      child.kill(signal);
      expect(await exited).toBe(0);
      await expect(fetch(preview.schemaUrl)).rejects.toThrow();
      await expect(fetch(url)).rejects.toThrow();
    });
  }
});
