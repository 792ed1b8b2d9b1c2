#!/usr/bin/env node
// `npm start`: set up, then open the desktop app; where Electron cannot run (no binary can be
// had, or no display on a remote host) serve the same console to a local browser instead.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild, ensureDependencies } from './setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureDependencies();
ensureBuild();

function electronBinary() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { why: 'there is no display (DISPLAY/WAYLAND_DISPLAY unset)' };
  }
  try {
    // electron's index.js fetches the binary on first use; a failure means it cannot be had here.
    const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    if (probe.status === 0 && probe.stdout) return { binary: probe.stdout };
    return { why: 'the Electron binary could not be downloaded' };
  } catch {
    return { why: 'the Electron binary could not be downloaded' };
  }
}

/** Browser mode: the same console, served on 127.0.0.1; `serve` prints the URL. */
function serveInBrowser(why) {
  console.log(`Electron cannot start here (${why}); serving the same console in browser mode instead.`);
  const child = spawn(path.join(root, 'bin', 'eq-console'), ['serve', ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}

// An Electron that dies straight away (missing libraries, no sandbox as root) is as good as none.
const EARLY_EXIT_MS = 15_000;

const { binary, why } = electronBinary();
if (!binary) {
  serveInBrowser(why);
} else {
  const started = Date.now();
  const child = spawn(binary, [root], { stdio: 'inherit', cwd: root });
  child.on('exit', (code, signal) => {
    if (code !== 0 && !signal && Date.now() - started < EARLY_EXIT_MS) serveInBrowser(`Electron exited at start with code ${code}`);
    else process.exit(code ?? 0);
  });
}
