import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../support/electron-mock'));

import * as electron from '../support/electron-mock';
import { FakeBrowserWindow, FakeEvent, FakeWebContentsView, resetElectronMock, type FakeSession } from '../support/electron-mock';
import { createAppLocation } from '../../electron/main/app-location';
import { installSecurityPolicy } from '../../electron/main/security';
import { createSessionHost, type DesktopSessionHost } from '../../electron/main/sessions';
import type { OpenSession } from '../../electron/services/sessions/host';
import type { RunnerAnswer } from '../../shared/launch-types';

const INDEX = '/app/out/renderer/index.html';
const APP_URL = 'file:///app/out/renderer/index.html';
const location = createAppLocation({ rendererIndexPath: INDEX });
const RUNNER = 'http://localhost:5000';
const LAUNCH = `${RUNNER}/session?token=eyJ.a.b.c.d`;

let window: FakeBrowserWindow;
let host: DesktopSessionHost;
let answers: RunnerAnswer[];

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  resetElectronMock();
  window = new FakeBrowserWindow({});
  window.webContents.mainFrame.url = APP_URL;
  answers = [];
  host = createSessionHost({ appWindow: () => window as never, location });
});

const request = (over: Partial<OpenSession> = {}): OpenSession => ({
  url: LAUNCH,
  label: 'Test Address',
  historyId: 'h-1',
  runnerUrl: RUNNER,
  dumper: false,
  onAnswer: (answer) => answers.push(answer),
  ...over,
});

const viewOf = (id: string): FakeWebContentsView => {
  const view = FakeWebContentsView.instances.find((v) => v.options.webPreferences?.partition === `eq-session-${id}`);
  if (!view) throw new Error(`no view for ${id}`);
  return view;
};
const sessionOf = (id: string): FakeSession => electron.session.partitions.get(`eq-session-${id}`)!;
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('opening a respondent session', () => {
  it('is embedded', () => {
    expect(host.embedded).toBe(true);
  });

  it('makes a WebContentsView in its own in-memory partition, sandboxed, with no preload', async () => {
    const info = await host.open(request());
    expect(FakeWebContentsView.instances).toHaveLength(1);
    const prefs = FakeWebContentsView.instances[0]!.options.webPreferences!;
    expect(prefs.partition).toBe(`eq-session-${info.id}`);
    expect(prefs.partition).toMatch(/^eq-session-[0-9a-f-]{36}$/);
    expect(prefs.partition.startsWith('persist:')).toBe(false);
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      javascript: true,
    });
    expect(prefs).not.toHaveProperty('preload');
    expect(FakeWebContentsView.instances[0]!.webContents.loads).toEqual([LAUNCH]);
    expect(FakeWebContentsView.instances[0]!.webContents.session).toBe(sessionOf(info.id));
  });

  it('never lets two sessions share a partition', async () => {
    const a = await host.open(request());
    const b = await host.open(request({ label: 'Second' }));
    expect(a.id).not.toBe(b.id);
    const [pa, pb] = FakeWebContentsView.instances.map((v) => v.options.webPreferences!.partition);
    expect(pa).not.toBe(pb);
    expect(sessionOf(a.id)).not.toBe(sessionOf(b.id));
    expect(viewOf(a.id).webContents.session).not.toBe(viewOf(b.id).webContents.session);
  });

  it('puts a deny-by-default permission handler on each session', async () => {
    const a = await host.open(request());
    const b = await host.open(request());
    for (const id of [a.id, b.id]) {
      const ses = sessionOf(id);
      for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal']) {
        expect(await ses.request(permission, `${RUNNER}/questionnaire/`)).toBe(false);
        expect(ses.check(permission, `${RUNNER}/questionnaire/`)).toBe(false);
      }
      expect(ses.devicePermissionHandler!({})).toBe(false);
    }
  });

  it('denies window.open without launching the browser: a page cannot open it at will', async () => {
    const info = await host.open(request());
    const open = (url: string) => viewOf(info.id).webContents.windowOpenHandler!({ url });
    expect(open('https://www.ons.gov.uk/surveys')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(document.cookie)')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(electron.shell.opened).toEqual([]);
  });

  it('lets the respondent browse the web, and nowhere else', async () => {
    const info = await host.open(request());
    const contents = viewOf(info.id).webContents;
    for (const event of ['will-navigate', 'will-redirect'] as const) {
      expect(contents.navigate(event, `${RUNNER}/questionnaire/`)).toBe(false);
      expect(contents.navigate(event, 'https://www.ons.gov.uk/')).toBe(false);
      expect(contents.navigate(event, 'file:///etc/passwd')).toBe(true);
      expect(contents.navigate(event, 'javascript:alert(1)')).toBe(true);
      expect(contents.navigate(event, 'data:text/html,<script>1</script>')).toBe(true);
      expect(contents.navigate(event, APP_URL)).toBe(true);
    }
  });

  it('prevents <webview> in the runner page', async () => {
    const info = await host.open(request());
    const event = new FakeEvent();
    viewOf(info.id).webContents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('also gets the app-wide policy, installed before any session exists', async () => {
    installSecurityPolicy(location);
    const info = await host.open(request());
    expect(await sessionOf(info.id).request('media', RUNNER)).toBe(false);
  });

  it('refuses a launch URL that is not http(s), and needs the app window', async () => {
    await expect(host.open(request({ url: 'file:///etc/passwd' }))).rejects.toMatchObject({ code: 'bad-input' });
    await expect(host.open(request({ url: 'javascript:alert(1)' }))).rejects.toMatchObject({ code: 'bad-input' });
    window.destroyed = true;
    await expect(host.open(request())).rejects.toThrow(/app window is not open/);
    expect(FakeWebContentsView.instances).toHaveLength(0);
  });

  it('describes the session', async () => {
    const info = await host.open(request({ dumper: true }));
    expect(info).toEqual({
      id: info.id,
      historyId: 'h-1',
      label: 'Test Address',
      url: LAUNCH,
      title: LAUNCH,
      canGoBack: false,
      canGoForward: false,
      loading: false,
      active: true,
      dumper: true,
    });
    const contents = viewOf(info.id).webContents;
    contents.title = 'What is your address? - Test Address';
    contents.loading = true;
    await contents.loadURL(`${RUNNER}/questionnaire/`);
    const [listed] = await host.list();
    expect(listed).toMatchObject({
      url: `${RUNNER}/questionnaire/`,
      title: 'What is your address? - Test Address',
      canGoBack: true,
      canGoForward: false,
      loading: true,
    });
  });

  it('says when the page could not be loaded', async () => {
    const info = await host.open(request());
    const contents = viewOf(info.id).webContents;
    contents.emit('did-start-loading');
    contents.emit('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', LAUNCH, true);
    expect((await host.list())[0]!.title).toMatch(/Could not load the page: ERR_CONNECTION_REFUSED/);
    // An aborted load (replaced by another) is not a failure, and a new load clears the old one.
    contents.emit('did-start-loading');
    contents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', LAUNCH, true);
    expect((await host.list())[0]!.title).toBe(LAUNCH);
  });
});

describe('the runner answer', () => {
  it('reports the first response to <runner>/session once, with its status and redirect', async () => {
    const info = await host.open(request());
    const ses = sessionOf(info.id);
    // Not the launch: ignored.
    ses.respond(`${RUNNER}/static/app.js`, {}, 200);
    expect(answers).toEqual([]);

    ses.respond(LAUNCH, { Location: ['/questionnaire/'], 'Set-Cookie': ['session=abc'] }, 302);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ status: 302, location: '/questionnaire/' });
    expect(new Date(answers[0]!.at).toISOString()).toBe(answers[0]!.at);

    ses.respond(LAUNCH, {}, 401);
    expect(answers).toHaveLength(1);
    expect((await host.list())[0]!.answer).toEqual(answers[0]);
  });

  it('reports a refusal without a location', async () => {
    const info = await host.open(request());
    sessionOf(info.id).respond(LAUNCH, { 'Content-Type': ['text/html'] }, 403);
    expect(answers).toEqual([{ status: 403, at: expect.any(String) }]);
  });

  it('passes every response through untouched', async () => {
    const info = await host.open(request());
    const headers = { 'Set-Cookie': ['session=abc'], Location: ['/questionnaire/'] };
    expect(sessionOf(info.id).respond(LAUNCH, headers, 302)).toBe(headers);
  });

  it('follows a runner mounted under a path', async () => {
    host = createSessionHost({ appWindow: () => window as never, location });
    const info = await host.open(request({ runnerUrl: 'https://eq.example/runner/', url: 'https://eq.example/runner/session?token=x' }));
    sessionOf(info.id).respond('https://eq.example/session', {}, 404);
    expect(answers).toEqual([]);
    sessionOf(info.id).respond('https://eq.example/runner/session?token=x', {}, 500);
    expect(answers).toEqual([{ status: 500, at: expect.any(String) }]);
  });

  it('survives a recorder that fails, synchronously or not', async () => {
    const rejected = await host.open(request({ onAnswer: (() => Promise.reject(new Error('disk full'))) as never }));
    const thrown = await host.open(
      request({
        onAnswer: () => {
          throw new Error('disk full');
        },
      }),
    );
    expect(() => sessionOf(rejected.id).respond(LAUNCH, {}, 302)).not.toThrow();
    expect(() => sessionOf(thrown.id).respond(LAUNCH, {}, 302)).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(console.warn).toHaveBeenCalledWith(expect.stringMatching(/answer for session .* failed: disk full/));
    expect((await host.list()).map((s) => s.answer?.status)).toEqual([302, 302]);
  });

  it('keeps each session to its own answer', async () => {
    const seen: [string, number][] = [];
    const a = await host.open(request({ onAnswer: (x) => seen.push(['a', x.status]) }));
    const b = await host.open(request({ onAnswer: (x) => seen.push(['b', x.status]) }));
    sessionOf(b.id).respond(LAUNCH, {}, 401);
    sessionOf(a.id).respond(LAUNCH, {}, 302);
    expect(seen).toEqual([
      ['b', 401],
      ['a', 302],
    ]);
  });
});

describe('views and the viewport', () => {
  const visible = () => window.contentView.children.filter((v) => v.visible);

  it('adds each view to the app window; only the active one shows, at the viewport', async () => {
    await host.setViewport({ x: 240, y: 96, width: 1000, height: 700 });
    const a = await host.open(request());
    expect(window.contentView.children).toEqual([viewOf(a.id)]);
    expect(visible()).toEqual([viewOf(a.id)]);
    expect(viewOf(a.id).bounds).toEqual({ x: 240, y: 96, width: 1000, height: 700 });

    const b = await host.open(request());
    expect(window.contentView.children).toHaveLength(2);
    expect(visible()).toEqual([viewOf(b.id)]);
    expect(viewOf(b.id).bounds).toEqual({ x: 240, y: 96, width: 1000, height: 700 });

    const listed = await host.control(a.id, 'activate');
    expect(listed.map((s) => [s.id, s.active])).toEqual([
      [a.id, true],
      [b.id, false],
    ]);
    expect(visible()).toEqual([viewOf(a.id)]);
  });

  it('stays hidden until the page says where it goes, and hides when the page leaves', async () => {
    const a = await host.open(request());
    expect(visible()).toEqual([]);
    await host.setViewport({ x: 10, y: 20, width: 300, height: 200 });
    expect(visible()).toEqual([viewOf(a.id)]);
    await host.setViewport(null);
    expect(visible()).toEqual([]);
  });

  it('rounds and clamps the rect to non-negative integers', async () => {
    const a = await host.open(request());
    await host.setViewport({ x: 10.4, y: -3, width: 800.6, height: -1 });
    expect(viewOf(a.id).bounds).toEqual({ x: 10, y: 0, width: 801, height: 0 });
  });

  it('turns CSS pixels into window pixels when the app page is zoomed', async () => {
    window.webContents.zoomFactor = 1.25;
    const a = await host.open(request());
    await host.setViewport({ x: 100, y: 40, width: 800, height: 600 });
    expect(viewOf(a.id).bounds).toEqual({ x: 125, y: 50, width: 1000, height: 750 });
  });

  it('refuses a rect that is not one', async () => {
    await expect(host.setViewport({ x: 1, y: 2, width: Number.NaN, height: 3 })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(host.setViewport('x' as never)).rejects.toMatchObject({ code: 'bad-input' });
  });
});

describe('controls', () => {
  it('go back, forward and reload the page, and open detached devtools', async () => {
    const info = await host.open(request());
    const contents = viewOf(info.id).webContents;
    await contents.loadURL(`${RUNNER}/questionnaire/`);
    let [listed] = await host.control(info.id, 'back');
    expect(listed).toMatchObject({ url: LAUNCH, canGoBack: false, canGoForward: true });
    [listed] = await host.control(info.id, 'forward');
    expect(listed).toMatchObject({ url: `${RUNNER}/questionnaire/`, canGoBack: true, canGoForward: false });
    await host.control(info.id, 'reload');
    expect(contents.reloads).toBe(1);
    await host.control(info.id, 'devtools');
    expect(contents.devTools).toEqual([{ mode: 'detach' }]);
  });

  it('navigate loads http(s) only', async () => {
    const info = await host.open(request());
    const contents = viewOf(info.id).webContents;
    await host.control(info.id, 'navigate', `${RUNNER}/questionnaire/`);
    expect(contents.loads.at(-1)).toBe(`${RUNNER}/questionnaire/`);
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'not a url', undefined]) {
      await expect(host.control(info.id, 'navigate', bad)).rejects.toMatchObject({
        code: 'bad-input',
        message: expect.stringMatching(/only open an http or https address/),
      });
    }
    expect(contents.loads).toEqual([LAUNCH, `${RUNNER}/questionnaire/`]);
  });

  it('external opens the current page in the browser', async () => {
    const info = await host.open(request());
    await viewOf(info.id).webContents.loadURL(`${RUNNER}/questionnaire/`);
    await host.control(info.id, 'external');
    expect(electron.shell.opened).toEqual([`${RUNNER}/questionnaire/`]);
  });

  it('openExternal sends http(s) to the browser and refuses anything else', async () => {
    await host.openExternal(LAUNCH);
    await expect(host.openExternal('file:///etc/passwd')).rejects.toMatchObject({ code: 'bad-input' });
    await expect(host.openExternal('smb://server/share')).rejects.toMatchObject({ code: 'bad-input' });
    expect(electron.shell.opened).toEqual([LAUNCH]);
  });

  it('refuses an unknown session or action', async () => {
    await expect(host.control('nope', 'reload')).rejects.toMatchObject({ code: 'not-found' });
    const info = await host.open(request());
    await expect(host.control(info.id, 'explode' as never)).rejects.toMatchObject({ code: 'bad-input' });
  });
});

describe('closing', () => {
  it('removes the view, closes its page and clears its storage', async () => {
    await host.setViewport({ x: 0, y: 0, width: 500, height: 500 });
    const a = await host.open(request());
    const b = await host.open(request());
    const view = viewOf(b.id);
    const ses = sessionOf(b.id);

    const listed = await host.control(b.id, 'close');
    expect(listed.map((s) => s.id)).toEqual([a.id]);
    expect(window.contentView.children).toEqual([viewOf(a.id)]);
    expect(view.webContents.destroyed).toBe(true);
    expect(ses.storageCleared).toBe(1);
    expect(ses.cacheCleared).toBe(1);
    expect(ses.headersListener).toBeNull();
    // The remaining session becomes the active one and shows.
    expect(listed[0]!.active).toBe(true);
    expect(viewOf(a.id).visible).toBe(true);
    // Closing again is harmless.
    await expect(host.control(b.id, 'close')).resolves.toHaveLength(1);
    expect(ses.storageCleared).toBe(1);
  });

  it('drops a session whose page closed itself', async () => {
    const info = await host.open(request());
    viewOf(info.id).webContents.close();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await host.list()).toEqual([]);
    expect(window.contentView.children).toEqual([]);
    expect(sessionOf(info.id).storageCleared).toBe(1);
  });

  it('ends every session of a window that closes', async () => {
    const a = await host.open(request());
    const b = await host.open(request());
    window.destroyed = true;
    window.emit('closed');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await host.list()).toEqual([]);
    for (const id of [a.id, b.id]) {
      expect(viewOf(id).webContents.destroyed).toBe(true);
      expect(sessionOf(id).storageCleared).toBe(1);
    }
  });

  it('closeAll ends everything', async () => {
    await host.open(request());
    await host.open(request());
    await host.closeAll();
    expect(await host.list()).toEqual([]);
    expect(window.contentView.children).toEqual([]);
  });
});

describe('previewing the submission', () => {
  it("fetches /dump/submission through the session's own partition", async () => {
    const a = await host.open(request({ dumper: true }));
    const b = await host.open(request({ dumper: true, runnerUrl: `${RUNNER}/` }));
    const payload = { tx_id: 't-1', data: { answers: [] } };
    sessionOf(a.id).fetchImpl = async () => json({ submission: payload });
    sessionOf(b.id).fetchImpl = async () => json({ submission: { other: true } });

    await expect(host.previewSubmission(a.id)).resolves.toEqual(payload);
    expect(sessionOf(a.id).fetches).toHaveLength(1);
    expect(sessionOf(a.id).fetches[0]!.url).toBe(`${RUNNER}/dump/submission`);
    expect(sessionOf(a.id).fetches[0]!.init).toMatchObject({ credentials: 'include' });
    expect(sessionOf(b.id).fetches).toEqual([]);
    expect(electron.session.defaultSession.fetches).toEqual([]);

    await expect(host.previewSubmission(b.id)).resolves.toEqual({ other: true });
    expect(sessionOf(b.id).fetches[0]!.url).toBe(`${RUNNER}/dump/submission`);
  });

  it('refuses a session not launched with role dumper, without asking the runner', async () => {
    const info = await host.open(request({ dumper: false }));
    await expect(host.previewSubmission(info.id)).rejects.toThrow(/launch with role dumper to preview the submission/);
    expect(sessionOf(info.id).fetches).toEqual([]);
  });

  it('reports the status of a refusal, a network failure in one line, and an answer that is not JSON', async () => {
    const info = await host.open(request({ dumper: true }));
    const ses = sessionOf(info.id);
    ses.fetchImpl = async () => json({ error: 'forbidden' }, 403);
    await expect(host.previewSubmission(info.id)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('403') });
    ses.fetchImpl = async () => json({}, 500);
    await expect(host.previewSubmission(info.id)).rejects.toMatchObject({ code: 'network', message: expect.stringContaining('500') });

    ses.fetchImpl = async () => {
      throw new Error('net::ERR_CONNECTION_REFUSED\n    at SimpleURLLoaderWrapper.<anonymous>');
    };
    const err = await host.previewSubmission(info.id).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'network' });
    expect((err as Error).message).toBe(`Could not reach ${RUNNER}/dump/submission: net::ERR_CONNECTION_REFUSED`);

    ses.fetchImpl = async () => new Response('<html>Sign in</html>', { status: 200 });
    await expect(host.previewSubmission(info.id)).rejects.toThrow(/did not answer with JSON/);
    ses.fetchImpl = async () => json({ something: 'else' });
    await expect(host.previewSubmission(info.id)).rejects.toThrow(/without a "submission"/);
  });

  it('refuses an unknown session', async () => {
    await expect(host.previewSubmission('nope')).rejects.toMatchObject({ code: 'not-found' });
  });
});
