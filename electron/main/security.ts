// The Electron rules of DESIGN.md, written once. Everything here is deny-by-default: a
// feature the UI needs is allowed by name, never by turning a whole check off.
import { app, shell, type Session, type WebContents, type WebPreferences } from 'electron';
import { APP_CSP, APP_CSP_DIRECTIVES, serializeCsp } from '../../shared/csp';
import type { AppLocation } from './app-location';

/** What every page the console shows gets, the app's own and the respondents' alike. */
const LOCKED_DOWN: WebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  // A file dropped on a page must not replace it with file://.
  navigateOnDragDrop: false,
  experimentalFeatures: false,
  safeDialogs: true,
};

/** DevTools are a development aid: a packaged app's pages (the runner's included) cannot open them. */
function lockedDown(): WebPreferences {
  return { ...LOCKED_DOWN, devTools: !app.isPackaged };
}

export function appWebPreferences(preloadPath: string): WebPreferences {
  return { ...lockedDown(), preload: preloadPath };
}

/**
 * A respondent's session: the runner's pages and nothing of the app. An in-memory partition of
 * its own (no "persist:") so no two respondents share the runner's session cookie, and no preload:
 * the runner's page never gets the console's API.
 */
export function respondentWebPreferences(partition: string): WebPreferences {
  if (partition.startsWith('persist:') || partition === '') {
    throw new Error(`A respondent session needs its own in-memory partition, not "${partition}"`);
  }
  return { ...lockedDown(), partition, javascript: true };
}

/** The URL when it is http(s), else null: the only schemes the console ever hands on or loads. */
export function webUrl(url: unknown): URL | null {
  if (typeof url !== 'string') return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed : null;
}

/** Opens http(s) links in the user's browser; anything else (javascript:, file:, custom schemes) is dropped. */
export function openExternalSafely(url: string): boolean {
  const parsed = webUrl(url);
  if (!parsed) return false;
  shell.openExternal(parsed.href).catch((err: unknown) => {
    console.warn(`Could not open ${parsed.href} in the browser: ${err instanceof Error ? err.message : String(err)}`);
  });
  return true;
}

/**
 * For every webContents the app ever creates: no new windows, no <webview>. Links the app's own
 * page opens go to the user's browser; a respondent's page (any site the runner links to) gets
 * no such power, or it could launch the browser at will: the session toolbar opens it on request.
 */
export function lockDownWebContents(contents: WebContents, links: 'open-externally' | 'deny' = 'open-externally'): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (links === 'open-externally') openExternalSafely(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The app window may only ever show the app's own page. */
export function guardAppNavigation(contents: WebContents, location: AppLocation): void {
  const guard = (event: { preventDefault(): void; url: string }): void => {
    if (!location.isAppPage(event.url)) {
      event.preventDefault();
      console.warn(`Blocked navigation of the app window to ${event.url}`);
    }
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
}

/**
 * A respondent's view browses the runner (and whatever the runner links to) like a browser tab,
 * but never leaves the web: no file:, javascript:, data: or custom schemes, even by redirect.
 */
export function guardRespondentNavigation(contents: WebContents): void {
  const guard = (event: { preventDefault(): void; url: string }): void => {
    if (!webUrl(event.url)) {
      event.preventDefault();
      console.warn(`Blocked navigation of a respondent session to ${event.url}`);
    }
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
}

// Writing text to the clipboard is the one capability the UI needs (copying tokens and
// links); reading the clipboard, media, notifications, geolocation etc. stay denied.
const APP_PAGE_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function applyPermissionPolicy(session: Session, location: AppLocation): void {
  const allowed = (permission: string, requestingUrl: string | undefined): boolean =>
    APP_PAGE_PERMISSIONS.has(permission) && requestingUrl !== undefined && location.isAppPage(requestingUrl);

  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(allowed(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, _origin, details) => allowed(permission, details.requestingUrl));
  session.setDevicePermissionHandler(() => false);
}

/**
 * The shared app policy. A packaged app loads file:// pages, which never reach onHeadersReceived:
 * there the same policy arrives as the <meta> tag the build puts into index.html, and this header
 * only ever applies to the dev server.
 */
export function contentSecurityPolicy(location: AppLocation): string {
  if (!location.devServerUrl) return APP_CSP;
  // The dev server's React refresh preamble is an inline script, and Vite injects imported CSS
  // as <style> elements; the build has neither.
  return serializeCsp({
    ...APP_CSP_DIRECTIVES,
    'script-src': "'self' 'unsafe-inline'",
    'style-src': "'self' 'unsafe-inline'",
  });
}

export function applyContentSecurityPolicy(session: Session, location: AppLocation): void {
  const policy = contentSecurityPolicy(location);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!location.isAppResource(details.url)) {
      callback({});
      return;
    }
    // Drop any policy the dev server sent so ours is the only one in force.
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });
}

/**
 * The catch-all for any webContents, whatever created it: only the app's page or the web, never
 * file:, javascript:, data: or custom schemes. The app window and respondent views add their own,
 * stricter, guards on top.
 */
export function guardAnyNavigation(contents: WebContents, location: AppLocation): void {
  const guard = (event: { preventDefault(): void; url: string }): void => {
    if (!webUrl(event.url) && !location.isAppPage(event.url)) {
      event.preventDefault();
      console.warn(`Blocked navigation to ${event.url}`);
    }
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
}

/** Nothing a page links to is saved to disk: the console has no use for downloads. */
export function denyDownloads(session: Session): void {
  session.on('will-download', (event, item) => {
    event.preventDefault();
    console.warn(`Blocked a download of ${item.getURL()}`);
  });
}

/**
 * Installs the rules that hold for the whole app. Call before app ready so the sessions and
 * webContents created during startup are covered too.
 */
export function installSecurityPolicy(location: AppLocation): void {
  app.on('session-created', (session) => {
    applyPermissionPolicy(session, location);
    denyDownloads(session);
  });
  app.on('web-contents-created', (_event, contents) => {
    lockDownWebContents(contents);
    guardAnyNavigation(contents, location);
  });
}

/** The default session exists only after ready; it hosts the app window, so it also gets the CSP. */
export function secureDefaultSession(session: Session, location: AppLocation): void {
  applyPermissionPolicy(session, location);
  applyContentSecurityPolicy(session, location);
  denyDownloads(session);
}
