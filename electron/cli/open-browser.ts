// Opens a URL in the user's browser the way the platform does it ($BROWSER first, as xdg-open
// and Python's webbrowser honour it). Resolves with a reason when it could not, never throws.
import { spawn } from 'node:child_process';

function command(url: string, env: NodeJS.ProcessEnv): [string, string[]] {
  if (env.BROWSER) return [env.BROWSER, [url]];
  if (process.platform === 'darwin') return ['open', [url]];
  // "start" is a cmd built-in; its first quoted argument is a window title.
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
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
