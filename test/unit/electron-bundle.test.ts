// Checks what `electron-vite build` produced: a sandboxed preload can require nothing but
// 'electron', and the packaged main process must not need node_modules at run time.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/api';
import { APP_CSP, APP_CSP_META } from '../../shared/csp';

const root = path.resolve(import.meta.dirname, '../..');
const preloadFile = path.join(root, 'out/preload/index.cjs');
const mainFile = path.join(root, 'out/main/index.js');
const built = fs.existsSync(preloadFile) && fs.existsSync(mainFile);
if (!built) console.warn('electron-bundle tests skipped: no build in out/ (run `npx electron-vite build`)');

describe.skipIf(!built)('built bundles', () => {
  it('preload runs in a sandbox-like context with only require("electron")', () => {
    const exposed = new Map<string, unknown>();
    const required: string[] = [];
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: { invoke: async () => ({ ok: true, value: null }) },
    };
    const module = { exports: {} };
    const sandbox = {
      module,
      exports: module.exports,
      require: (id: string) => {
        required.push(id);
        if (id !== 'electron') throw new Error(`module not found: ${id}`);
        return fakeElectron;
      },
    };
    vm.runInNewContext(fs.readFileSync(preloadFile, 'utf8'), sandbox, { filename: preloadFile });
    expect([...new Set(required)]).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['eqConsole']);
    const api = exposed.get('eqConsole') as Record<string, Record<string, unknown>>;
    for (const channel of CHANNELS) {
      const [group, method] = channel.split('.') as [string, string];
      expect(typeof api[group]?.[method]).toBe('function');
    }
  });

  it('preload is CommonJS: no import statements', () => {
    const code = fs.readFileSync(preloadFile, 'utf8');
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(code).not.toMatch(/^\s*export\s/m);
  });

  it('main is ESM importing only electron and node builtins', () => {
    const code = fs.readFileSync(mainFile, 'utf8');
    const specifiers = [
      ...code.matchAll(/^\s*import\s[^'"]*?from\s*["']([^"']+)["']/gm),
      ...code.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
      // Dynamic imports, skipping JSDoc type references like {import('./types').X}.
      ...code.matchAll(/^(?!\s*(?:\*|\/\/)).*?\bimport\(\s*["']([^"']+)["']\s*\)/gm),
    ].map((m) => m[1]!);
    expect(specifiers).toContain('electron');
    const builtins = new Set(builtinModules);
    const foreign = specifiers.filter(
      (s) => s !== 'electron' && !s.startsWith('electron/') && !s.startsWith('node:') && !builtins.has(s) && !s.startsWith('./'),
    );
    expect(foreign).toEqual([]);
  });
});

const rendererIndex = path.join(root, 'out/renderer/index.html');
const rendererBuilt = fs.existsSync(rendererIndex);
if (!rendererBuilt) console.warn('renderer index.html test skipped: no out/renderer/index.html (run `npx electron-vite build`)');

describe.skipIf(!rendererBuilt)('built renderer page', () => {
  const decode = (attr: string) =>
    attr.replace(/&#39;|&#x27;|&quot;|&lt;|&gt;|&amp;/g, (e) => ({ '&#39;': "'", '&#x27;': "'", '&quot;': '"', '&lt;': '<', '&gt;': '>', '&amp;': '&' })[e]!);

  it('carries the shared policy as a meta tag, since file:// pages get no CSP header in Electron', () => {
    const html = fs.readFileSync(rendererIndex, 'utf8');
    const metas = [...html.matchAll(/<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(["'])(.*?)\1\s*\/?>/gi)];
    expect(metas).toHaveLength(1);
    expect(decode(metas[0]![2]!)).toBe(APP_CSP_META);
    // The header-only directive is left out; everything else is the header policy word for word.
    expect(APP_CSP_META).not.toContain('frame-ancestors');
    expect(APP_CSP.replace("; frame-ancestors 'none'", '')).toBe(APP_CSP_META);
    // A meta policy governs only what comes after it.
    const head = html.slice(html.search(/<head>/i), html.search(/<\/head>/i));
    expect(head.search(/<meta\s+http-equiv=["']Content-Security-Policy/i)).toBeLessThan(head.search(/<(script|link|style)\b/i));
  });
});

const downstreamWorker = path.join(root, 'out/main/downstream-worker.js');
const workerBuilt = built && fs.existsSync(downstreamWorker);
if (!workerBuilt) console.warn('bundled downstream worker test skipped: no out/main/downstream-worker.js (run `npx electron-vite build`)');

describe.skipIf(!workerBuilt)('the bundled downstream worker', () => {
  it('sits flat beside the chunks of the main process, which start it from their own directory', () => {
    const dir = path.dirname(downstreamWorker);
    const code = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    expect(code).toContain('bundled: "downstream-worker"');
    expect(code).toMatch(/new Worker\(new URL\(`\.\/\$\{entry\.bundled\}\$\{ext\}`, import\.meta\.url\)/);
    expect(fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isDirectory())).toEqual([]);
  });

  it('opens payloads with the keys it is handed', async () => {
    const { Worker } = await import('node:worker_threads');
    const { ringToTransfer } = await import('../../electron/services/downstream/ring-transfer');
    const { seal, submissionKeys, surveyResponse } = await import('../support/downstream');
    const keys = submissionKeys();
    const payload = surveyResponse();
    const worker = new Worker(downstreamWorker, { workerData: { keys: ringToTransfer(keys.ring), output: 'item' } });
    try {
      const text = seal(payload, keys);
      type Reply = {
        batch: number;
        results: { type: string; found?: { source: string }; opened?: { valid: boolean; failure?: unknown; payload?: unknown } }[][];
      };
      const reply = await new Promise<Reply>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        const tasks = [
          { kind: 'candidate', candidate: { kind: 'jwe', source: 'good', text } },
          { kind: 'candidate', candidate: { kind: 'jwe', source: 'bad', text: 'a.b.c' } },
        ];
        worker.postMessage({ batch: 7, tasks });
      });
      expect(reply.batch).toBe(7);
      expect(reply.results[0]).toEqual([
        expect.objectContaining({
          type: 'item',
          found: expect.objectContaining({ source: 'good' }),
          opened: expect.objectContaining({ valid: true, payload }),
        }),
      ]);
      expect(reply.results[1]![0]!.opened).toMatchObject({ valid: false, failure: { stage: 'decrypt' } });
    } finally {
      await worker.terminate();
    }
  });
});
