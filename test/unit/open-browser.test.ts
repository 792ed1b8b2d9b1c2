import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { command, openInBrowser } from '../../electron/cli/open-browser';

const URL_WITH_SPECIALS = 'http://localhost:5000/session?token=a.b&x=^1 "q"';

describe('opening the browser for launch --open', () => {
  it('reads $BROWSER as xdg-open does: the first of a list, %s for the URL', () => {
    expect(command(URL_WITH_SPECIALS, { BROWSER: 'firefox' })).toEqual(['firefox', [URL_WITH_SPECIALS]]);
    expect(command(URL_WITH_SPECIALS, { BROWSER: 'w3m -o x:lynx' })[0]).toBe('w3m');
    expect(command('u', { BROWSER: 'chromium --new-window %s --x' })).toEqual(['chromium', ['--new-window', 'u', '--x']]);
    expect(command('u', {}, 'darwin')).toEqual(['open', ['u']]);
    expect(command(URL_WITH_SPECIALS, {}, 'win32')).toEqual(['rundll32', ['url.dll,FileProtocolHandler', URL_WITH_SPECIALS]]);
    expect(command('u', {}, 'linux')).toEqual(['xdg-open', ['u']]);
  });

  it('hands the URL over untouched, as one argument, and reports a browser that is missing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-browser-'));
    try {
      const seen = path.join(dir, 'seen.txt');
      const fake = path.join(dir, 'fake-browser');
      fs.writeFileSync(fake, `#!/bin/sh\nprintf '%s|%s' "$#" "$1" > '${seen}'\n`, { mode: 0o755 });
      expect(await openInBrowser(URL_WITH_SPECIALS, { BROWSER: fake })).toBeUndefined();
      expect(fs.readFileSync(seen, 'utf8')).toBe(`1|${URL_WITH_SPECIALS}`);
      expect(await openInBrowser('http://x', { BROWSER: path.join(dir, 'nope') })).toMatch(/was not found/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
