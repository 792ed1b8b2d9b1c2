// The desktop SessionHost: each respondent session is a WebContentsView over the app window, in
// an in-memory partition of its own, so two respondents never share the runner's session cookie
// and closing a tab throws its cookies away. The views are native layers above the page: the
// renderer says where it leaves room (setViewport) and only the active view is ever shown.
import type { Emit } from '../services/events';
import { runnerEndpoints } from '../../shared/runner-url';
import { randomUUID } from 'node:crypto';
import { session, shell, WebContentsView, type BrowserWindow, type Session } from 'electron';
import { ConsoleError } from '../../shared/errors';
import type { Rect, RunnerAnswer, SessionAction, SessionInfo } from '../../shared/launch-types';
import type { OpenSession, SessionHost } from '../services/sessions/host';
import type { AppLocation } from './app-location';
import { applyPermissionPolicy, guardRespondentNavigation, lockDownWebContents, respondentWebPreferences, webUrl } from './security';
import { trimChars } from '../../shared/text';

export interface SessionHostOptions {
  /** The window the views sit in; read at each open, as the window may be re-created (macOS). */
  appWindow: () => BrowserWindow | null | undefined;
  location: AppLocation;
  /** Told whenever the sessions change (opened, closed, loading, titled): sessions.changed events. */
  emit?: Emit;
}

export interface DesktopSessionHost extends SessionHost {
  readonly embedded: true;
  /** Closes every session and discards its partition. */
  closeAll(): Promise<void>;
}

interface Entry {
  id: string;
  partition: string;
  view: WebContentsView;
  ses: Session;
  window: BrowserWindow;
  label: string;
  historyId: string;
  runnerUrl: string;
  launchUrl: string;
  dumper: boolean;
  answer?: RunnerAnswer;
  /** Why the last main-frame load failed (the view shows a blank page, so the tab says it). */
  loadError?: string;
}

// Long enough for a runner building a large payload, short enough that a hung runner is reported.
const SUBMISSION_TIMEOUT_MS = 15_000;

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

function header(headers: Record<string, string[] | string> | undefined, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** origin + path, without query or hash: how a launch request is recognised whatever its token. */
function endpoint(url: string): string | null {
  const u = webUrl(url);
  return u ? `${u.origin}${u.pathname}` : null;
}

function launchEndpoints(runnerUrl: string, launchUrl: string): Set<string> {
  const found = new Set<string>();
  const base = webUrl(runnerUrl);
  if (base) found.add(`${base.origin}${trimChars(base.pathname, '/', 'end')}/session`);
  // The launch URL itself too, should it spell the runner's host differently (localhost vs 127.0.0.1).
  const own = endpoint(launchUrl);
  if (own?.endsWith('/session')) found.add(own);
  return found;
}

function checkedRect(rect: unknown): Rect | null {
  if (rect === null || rect === undefined) return null;
  const r = rect as Partial<Record<keyof Rect, unknown>>;
  const fields = ['x', 'y', 'width', 'height'] as const;
  if (typeof rect !== 'object' || fields.some((k) => typeof r[k] !== 'number' || !Number.isFinite(r[k]))) {
    throw new ConsoleError('bad-input', 'The viewport must be null or {x, y, width, height} in finite numbers.');
  }
  return { x: r.x as number, y: r.y as number, width: r.width as number, height: r.height as number };
}

export function createSessionHost(options: SessionHostOptions): DesktopSessionHost {
  const sessions = new Map<string, Entry>();
  const watchedWindows = new WeakSet<BrowserWindow>();
  let activeId: string | null = null;
  let viewport: Rect | null = null;

  const liveWindow = (): BrowserWindow | null => {
    const window = options.appWindow();
    return window && !window.isDestroyed() ? window : null;
  };

  const get = (id: string): Entry => {
    const entry = sessions.get(id);
    if (!entry) throw new ConsoleError('not-found', `There is no open session ${id}; it may have been closed.`);
    return entry;
  };

  /** The renderer measures in CSS pixels; views are placed in window DIPs, which differ when the app page is zoomed. */
  const toBounds = (rect: Rect, window: BrowserWindow): Rect => {
    const zoom = window.isDestroyed() ? 1 : window.webContents.getZoomFactor() || 1;
    const px = (n: number): number => Math.max(0, Math.round(n * zoom));
    return { x: px(rect.x), y: px(rect.y), width: px(rect.width), height: px(rect.height) };
  };

  const layout = (): void => {
    for (const entry of sessions.values()) {
      const show = viewport !== null && entry.id === activeId;
      if (show) entry.view.setBounds(toBounds(viewport!, entry.window));
      entry.view.setVisible(show);
    }
  };

  const info = (entry: Entry): SessionInfo => {
    const contents = entry.view.webContents;
    const alive = !contents.isDestroyed();
    const url = (alive && contents.getURL()) || entry.launchUrl;
    const title = entry.loadError ? `Could not load the page: ${entry.loadError}` : (alive && contents.getTitle()) || entry.label;
    return {
      id: entry.id,
      historyId: entry.historyId,
      label: entry.label,
      url,
      title,
      canGoBack: alive && contents.navigationHistory.canGoBack(),
      canGoForward: alive && contents.navigationHistory.canGoForward(),
      loading: alive && contents.isLoading(),
      active: entry.id === activeId,
      dumper: entry.dumper,
      ...(entry.answer ? { answer: entry.answer } : {}),
    };
  };

  const list = async (): Promise<SessionInfo[]> => [...sessions.values()].map(info);
  const changed = (): void => options.emit?.({ type: 'sessions.changed', sessions: [...sessions.values()].map(info) });

  const close = async (entry: Entry): Promise<void> => {
    // Also reached from the 'destroyed' event that closing the webContents emits: once is enough.
    if (!sessions.delete(entry.id)) return;
    if (activeId === entry.id) activeId = [...sessions.keys()].at(-1) ?? null;
    if (!entry.window.isDestroyed()) entry.window.contentView.removeChildView(entry.view);
    entry.ses.webRequest.onHeadersReceived(null);
    const contents = entry.view.webContents;
    if (!contents.isDestroyed()) contents.close();
    try {
      // Cookies, storage and the HTTP cache: nothing of this respondent is left for the next.
      await Promise.all([entry.ses.clearStorageData(), entry.ses.clearCache()]);
    } catch (err) {
      console.warn(`Could not clear the storage of closed session ${entry.id}: ${firstLine(err)}`);
    }
    layout();
    changed();
  };

  const closeAll = async (): Promise<void> => {
    await Promise.all([...sessions.values()].map(close));
  };

  /** Views of a closed window are not destroyed with it (WebContentsView); their sessions end with it. */
  const watchWindow = (window: BrowserWindow): void => {
    if (watchedWindows.has(window)) return;
    watchedWindows.add(window);
    window.once('closed', () => {
      void Promise.all([...sessions.values()].filter((e) => e.window === window).map(close));
    });
  };

  /** Reports the runner's first answer to the launch once; later /session loads (reloads, relaunches in the tab) are not it. */
  const watchLaunchAnswer = (entry: Entry, onAnswer: (answer: RunnerAnswer) => void): void => {
    const endpoints = launchEndpoints(entry.runnerUrl, entry.launchUrl);
    entry.ses.webRequest.onHeadersReceived((details, callback) => {
      // Never hold up or alter the runner's response: this listener only watches.
      callback({});
      if (entry.answer) return;
      const at = endpoint(details.url);
      if (!at || !endpoints.has(at)) return;
      const location = header(details.responseHeaders, 'location');
      entry.answer = { status: details.statusCode, ...(location ? { location } : {}), at: new Date().toISOString() };
      entry.ses.webRequest.onHeadersReceived(null);
      changed();
      const failed = (err: unknown): void => console.warn(`Recording the runner's answer for session ${entry.id} failed: ${firstLine(err)}`);
      try {
        // The services may record it asynchronously; a failure there must not become an unhandled rejection.
        const result: unknown = onAnswer(entry.answer);
        if (result instanceof Promise) result.catch(failed);
      } catch (err) {
        failed(err);
      }
    });
  };

  const load = (entry: Entry, url: string): void => {
    // Failures arrive as did-fail-load (and the tab shows them); the promise adds nothing but noise.
    entry.view.webContents.loadURL(url).catch(() => {});
  };

  const open = async (request: OpenSession): Promise<SessionInfo> => {
    const target = webUrl(request.url);
    if (!target) throw new ConsoleError('bad-input', `A session can only open an http or https address, not ${request.url}`);
    const window = liveWindow();
    if (!window) throw new ConsoleError('internal', 'The app window is not open, so the session has nowhere to show.');

    const id = randomUUID();
    const partition = `eq-session-${id}`;
    // The session exists, with its policy, before the view can make its first request.
    const ses = session.fromPartition(partition);
    applyPermissionPolicy(ses, options.location);
    const view = new WebContentsView({ webPreferences: respondentWebPreferences(partition) });
    const contents = view.webContents;
    lockDownWebContents(contents, 'deny');
    guardRespondentNavigation(contents);

    const entry: Entry = {
      id,
      partition,
      view,
      ses,
      window,
      label: request.label,
      historyId: request.historyId,
      runnerUrl: request.runnerUrl,
      launchUrl: target.href,
      dumper: request.dumper,
    };
    watchLaunchAnswer(entry, request.onAnswer);
    contents.on('did-start-loading', () => {
      delete entry.loadError;
      changed();
    });
    contents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
      // -3 is ERR_ABORTED: a load replaced by another (a click while loading), not a failure.
      if (isMainFrame && errorCode !== -3) entry.loadError = `${errorDescription || `error ${errorCode}`} (${validatedURL})`;
      changed();
    });
    for (const name of ['did-stop-loading', 'page-title-updated', 'did-navigate', 'did-navigate-in-page'] as const)
      contents.on(name as 'did-stop-loading', changed);
    // The runner's page may close itself (window.close()); the tab goes with it.
    contents.once('destroyed', () => void close(entry));

    sessions.set(id, entry);
    activeId = id;
    window.contentView.addChildView(view);
    watchWindow(window);
    layout();
    load(entry, target.href);
    changed();
    return info(entry);
  };

  const openExternal = async (url: string): Promise<void> => {
    const target = webUrl(url);
    if (!target) throw new ConsoleError('bad-input', `Only http and https addresses open in the browser, not ${url}`);
    try {
      await shell.openExternal(target.href);
    } catch (err) {
      throw new ConsoleError('internal', `Could not open ${target.href} in the browser: ${firstLine(err)}`);
    }
  };

  const control = async (id: string, action: SessionAction, url?: string): Promise<SessionInfo[]> => {
    // Closing twice (a double click, a page that closed itself) is not worth an error.
    if (action === 'close' && !sessions.has(id)) return list();
    const entry = get(id);
    const contents = entry.view.webContents;
    switch (action) {
      case 'activate':
        activeId = id;
        layout();
        changed();
        break;
      case 'back':
        if (contents.navigationHistory.canGoBack()) contents.navigationHistory.goBack();
        break;
      case 'forward':
        if (contents.navigationHistory.canGoForward()) contents.navigationHistory.goForward();
        break;
      case 'reload':
        contents.reload();
        break;
      case 'devtools':
        contents.openDevTools({ mode: 'detach' });
        break;
      case 'external':
        // The browser does not have this session's cookie: past the launch it shows the runner's sign-out page.
        await openExternal(contents.getURL() || entry.launchUrl);
        break;
      case 'navigate': {
        const target = webUrl(url);
        if (!target) throw new ConsoleError('bad-input', `A session can only open an http or https address, not ${String(url)}`);
        load(entry, target.href);
        break;
      }
      case 'close':
        await close(entry);
        break;
      default:
        throw new ConsoleError('bad-input', `Unknown session action: ${String(action)}`);
    }
    return list();
  };

  const setViewport = async (rect: Rect | null): Promise<void> => {
    viewport = checkedRect(rect);
    layout();
  };

  const previewSubmission = async (id: string): Promise<unknown> => {
    const entry = get(id);
    if (!entry.dumper) {
      throw new ConsoleError('bad-input', 'This session was not launched with role dumper: launch with role dumper to preview the submission.');
    }
    const url = runnerEndpoints.dumpSubmission(entry.runnerUrl);
    let res: Response;
    try {
      // The partition's own fetch carries this respondent's runner cookie; nothing else would.
      res = await session.fromPartition(entry.partition).fetch(url, {
        credentials: 'include',
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(SUBMISSION_TIMEOUT_MS),
      });
    } catch (err) {
      const why = (err as Error)?.name === 'TimeoutError' ? `no answer within ${SUBMISSION_TIMEOUT_MS / 1000} s` : firstLine(err);
      throw new ConsoleError('network', `Could not reach ${url}: ${why}`);
    }
    if (!res.ok) {
      const code = res.status === 401 || res.status === 403 ? 'forbidden' : res.status === 404 ? 'not-found' : 'network';
      const hint = code === 'forbidden' ? ' (has the session expired, or signed out?)' : '';
      throw new ConsoleError(code, `The runner answered ${res.status} to ${url}${hint}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(await res.text());
    } catch {
      throw new ConsoleError('network', `${url} did not answer with JSON; the session may have ended.`);
    }
    if (!body || typeof body !== 'object' || !('submission' in body)) {
      throw new ConsoleError('network', `${url} answered without a "submission".`);
    }
    return (body as { submission: unknown }).submission;
  };

  return { embedded: true, open, openExternal, list, control, setViewport, previewSubmission, closeAll };
}
