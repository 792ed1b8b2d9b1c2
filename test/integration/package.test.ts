// The desktop app as electron-builder packs it (electron-builder.yml). The real Electron comes
// from GitHub at packaging time, which this machine cannot reach, so electron-builder runs with
// --dir for Linux and a stand-in Electron folder (electronDist: one dummy `electron` executable,
// all it copies and renames), and the test reads back the asar it wrote: main with its worker
// entries, the preload, the renderer page with its Content-Security-Policy, the command line
// with its workers, a package.json that names the main, and nothing at all from node_modules.
import { extractFile, listPackage } from '@electron/asar';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CSP_META } from '../../shared/csp';
import { REPO } from '../support/shared';

// What the packaged app starts from: each must be in the asar.
const ENTRIES = [
  'out/main/index.js',
  'out/main/mint-worker.js',
  'out/main/downstream-worker.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
  'out/cli/eq-console.mjs',
  'out/cli/mint-worker.mjs',
  'out/cli/downstream-worker.mjs',
];
// The folders electron-builder.yml packs, whole.
const PACKED_DIRS = ['out/main', 'out/preload', 'out/renderer', 'out/cli'];

/** Files under `dir`, relative to the repository, with forward slashes. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(REPO, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(REPO, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

function decodeAttribute(value: string): string {
  return value
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('the packaged desktop app (electron-builder --dir, Linux, stand-in Electron)', () => {
  let tmp: string;
  let appDir: string;
  let asarPath: string;
  let entries: string[];
  const read = (file: string) => extractFile(asarPath, file).toString('utf8');

  beforeAll(() => {
    // This test packs the build; it does not build. `npm test` builds first (scripts/setup.mjs --build).
    const unbuilt = ENTRIES.filter((f) => !fs.existsSync(path.join(REPO, f)));
    if (unbuilt.length > 0) {
      throw new Error(`the app is not built (missing ${unbuilt.join(', ')}): run \`npm run build\` first (\`npm test\` builds it before the tests)`);
    }

    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-package-'));
    const electronDist = path.join(tmp, 'electron');
    fs.mkdirSync(electronDist);
    fs.writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\necho "a stand-in for Electron, for packaging tests" >&2\nexit 1\n', { mode: 0o755 });
    const electronVersion = (JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
    const output = path.join(tmp, 'dist');

    const r = spawnSync(
      process.execPath,
      [
        path.join(REPO, 'node_modules/electron-builder/cli.js'),
        '--linux',
        'dir',
        '--publish',
        'never',
        `-c.electronDist=${electronDist}`,
        `-c.electronVersion=${electronVersion}`,
        `-c.directories.output=${output}`,
      ],
      {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 90_000,
        env: {
          ...process.env,
          // Nothing may be fetched: were electron-builder to try for Electron or one of its own
          // tools, it would fail at once on a closed loopback port instead of downloading.
          ELECTRON_MIRROR: 'http://127.0.0.1:9/',
          ELECTRON_BUILDER_BINARIES_MIRROR: 'http://127.0.0.1:9/',
          NO_UPDATE_NOTIFIER: '1',
        },
      },
    );
    if (r.status !== 0) throw new Error(`electron-builder failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n${r.stdout}\n${r.stderr}`);

    // linux-unpacked on x64, linux-<arch>-unpacked elsewhere.
    const unpacked = fs.readdirSync(output).find((d) => /^linux(-\w+)?-unpacked$/.test(d));
    if (!unpacked) throw new Error(`electron-builder wrote no linux-*unpacked folder in ${output}:\n${r.stdout}`);
    appDir = path.join(output, unpacked);
    asarPath = path.join(appDir, 'resources', 'app.asar');
    entries = listPackage(asarPath, { isPack: false }).map((e) => e.split(path.sep).join('/').replace(/^\//, ''));
  }, 120_000);

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is the stand-in Electron renamed, with everything in one asar', () => {
    expect(fs.existsSync(path.join(appDir, 'eq-console'))).toBe(true);
    expect(fs.readdirSync(path.join(appDir, 'resources'))).toEqual(['app.asar']);
  });

  it('holds main with its worker entries, the preload, the renderer and the command line with its workers', () => {
    expect(entries).toEqual(expect.arrayContaining(ENTRIES));
    // Every chunk the entries import, too: the folders go in whole.
    const built = PACKED_DIRS.flatMap(filesUnder);
    expect(built.filter((f) => !entries.includes(f))).toEqual([]);
  });

  it('holds nothing from node_modules, and nothing but the build and package.json', () => {
    expect(entries.filter((e) => e.split('/').includes('node_modules'))).toEqual([]);
    const stray = entries.filter((e) => e !== 'package.json' && e !== 'out' && !PACKED_DIRS.some((d) => e === d || e.startsWith(`${d}/`)));
    expect(stray).toEqual([]);
  });

  it('has a package.json whose main is the main bundle, as an ES module', () => {
    const pkg = JSON.parse(read('package.json')) as Record<string, unknown>;
    expect(pkg.main).toBe('out/main/index.js');
    expect(entries).toContain(pkg.main);
    expect(pkg.type).toBe('module');
    expect(pkg.desktopName).toBe('eq-console.desktop');
    expect(pkg).not.toHaveProperty('devDependencies');
  });

  it('serves the renderer page with the app policy as its first <meta> in <head>', () => {
    const html = read('out/renderer/index.html');
    const head = html.slice(html.indexOf('<head>'), html.indexOf('</head>'));
    const first = /<meta\s[^>]*>/.exec(head)?.[0] ?? '';
    expect(first).toMatch(/http-equiv="Content-Security-Policy"/);
    expect(decodeAttribute(/content="([^"]*)"/.exec(first)?.[1] ?? '')).toBe(APP_CSP_META);
    expect(head.indexOf(first)).toBeLessThan(head.search(/<script|<link/));
  });
});
