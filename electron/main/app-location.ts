// Where the app's own page lives. Navigation guards, the CSP and the IPC sender check all ask
// the same question ("is this URL ours?"), so it is answered in one place.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface AppLocation {
  /** The dev server URL, when the renderer is served by electron-vite dev. */
  readonly devServerUrl: string | undefined;
  /** out/renderer/index.html, loaded with loadFile when there is no dev server. */
  readonly rendererIndexPath: string;
  /** The URL the app window loads. */
  readonly entryUrl: string;
  /** The app's own page (the document that may use the API), whatever its hash or query. */
  isAppPage(url: string): boolean;
  /** Anything the app serves itself (its page, scripts, styles, workers): gets the app's CSP. */
  isAppResource(url: string): boolean;
}

// main is bundled into out/main/index.js (this module is always in the entry chunk),
// so the preload and renderer outputs sit beside it whatever the app's install path is.
const outDir = fileURLToPath(new URL('..', import.meta.url));

export function defaultPreloadPath(): string {
  return path.join(outDir, 'preload', 'index.cjs');
}

export function defaultRendererIndexPath(): string {
  return path.join(outDir, 'renderer', 'index.html');
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * ELECTRON_RENDERER_URL as the app may use it: electron-vite's dev server, so only when the app
 * is not packaged, and only on this machine. Anything else would let the environment hand the
 * console's API to any page.
 */
export function devServerUrlFrom(value: string | undefined, isPackaged: boolean): string | undefined {
  if (isPackaged || !value) return undefined;
  const url = parse(value);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new Error(`ELECTRON_RENDERER_URL must be the dev server on this machine (http://localhost:<port>/ or http://127.0.0.1:<port>/), got ${value}`);
  }
  return url.href;
}

export function createAppLocation(options: { devServerUrl?: string; rendererIndexPath: string }): AppLocation {
  const rendererIndexPath = path.resolve(options.rendererIndexPath);
  const dev = options.devServerUrl ? parse(options.devServerUrl) : null;
  if (options.devServerUrl && (!dev || (dev.protocol !== 'http:' && dev.protocol !== 'https:'))) {
    throw new Error(`ELECTRON_RENDERER_URL must be an http(s) URL, got ${options.devServerUrl}`);
  }

  if (dev) {
    const origin = dev.origin;
    const pagePaths = new Set([dev.pathname, '/', '/index.html']);
    return {
      devServerUrl: dev.href,
      rendererIndexPath,
      entryUrl: dev.href,
      isAppPage: (url) => {
        const u = parse(url);
        return !!u && u.origin === origin && pagePaths.has(u.pathname);
      },
      isAppResource: (url) => parse(url)?.origin === origin,
    };
  }

  const entry = pathToFileURL(rendererIndexPath);
  // Compare decoded, normalised paths: Chromium and pathToFileURL may escape differently.
  const filePath = (u: URL): string | null => {
    if (u.protocol !== 'file:' || (u.host !== '' && u.host !== 'localhost')) return null;
    try {
      return path.resolve(fileURLToPath(u));
    } catch {
      return null;
    }
  };
  const rendererDir = path.dirname(rendererIndexPath) + path.sep;
  return {
    devServerUrl: undefined,
    rendererIndexPath,
    entryUrl: entry.href,
    isAppPage: (url) => {
      const u = parse(url);
      return !!u && filePath(u) === rendererIndexPath;
    },
    isAppResource: (url) => {
      const u = parse(url);
      const p = u && filePath(u);
      return !!p && (p === rendererIndexPath || p.startsWith(rendererDir));
    },
  };
}
