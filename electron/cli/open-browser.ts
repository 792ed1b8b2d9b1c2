// Opens a URL in the user's browser the way the platform does it ($BROWSER first, as xdg-open
// and Python's webbrowser honour it). Resolves with a reason when it could not, never throws.
import { spawn } from 'node:child_process';

/**
 * $BROWSER as xdg-open and Python's webbrowser read it: a ':'-separated list whose first entry
 * is used, "%s" standing for the URL (appended when absent). No shell is involved, so nothing
 * in the URL is ever interpreted.
 */
export function command(url: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): [string, string[]] {
  const browser = env.BROWSER?.split(':')
    .map((b) => b.trim())
    .find(Boolean);
  if (browser) {
    const [file, ...args] = browser.split(/\s+/);
    return args.some((a) => a.includes('%s')) ? [file!, args.map((a) => a.replaceAll('%s', url))] : [file!, [...args, url]];
  }
  if (platform === 'darwin') return ['open', [url]];
  // Not cmd's "start": cmd would interpret & and ^ in the URL. The URL protocol handler takes it as one argument.
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}

export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const [file, args] = command(url, env);
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(file, args, { stdio: 'ignore', detached: true });
    } catch (err) {
      resolve(`could not run ${file}: ${(err as Error).message}`);
      return;
    }
    // Launchers that hand over and exit answer at once; one that stays (a browser itself) is fine too.
    const timer = setTimeout(() => {
      child.unref();
      resolve(undefined);
    }, 3000);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(err.code === 'ENOENT' ? `${file} was not found` : `${file} failed: ${err.message}`);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : `${file} exited with ${signal ?? code}`);
    });
  });
}
