#!/usr/bin/env node
// Brings a checkout to a runnable state with nothing but Node and npm: installs the
// dependencies when they are missing or out of date, and with --build builds the app
// (main, preload, the renderer pages and the command line) when a source is newer than the last build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`setup: "${cmd} ${args.join(' ')}" failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status || 1);
  }
}

function mtime(p) {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : mtime(p));
  }
  return t;
}

export function ensureDependencies() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (mtime(installed) === 0 || mtime(lock) > mtime(installed)) {
    console.log('setup: installing dependencies (npm ci)…');
    run(npm, fs.existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
  }
}

export function ensureBuild() {
  const stamp = path.join(root, 'out', '.built');
  const sources = Math.max(
    ...['electron', 'renderer', 'shared', 'resources'].map((d) => (fs.existsSync(path.join(root, d)) ? newest(path.join(root, d)) : 0)),
    mtime(path.join(root, 'electron.vite.config.ts')),
    mtime(path.join(root, 'package-lock.json')),
  );
  if (mtime(stamp) >= sources) return;
  console.log('setup: building the console (electron-vite build, then the command line)…');
  run(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
  run(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')]);
  fs.writeFileSync(stamp, new Date().toISOString() + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureDependencies();
  if (process.argv.includes('--build')) ensureBuild();
}
