import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../support/electron-mock'));

import * as electron from '../support/electron-mock';
import { FakeBrowserWindow, FakeEvent, FakeSession, FakeWebContents, resetElectronMock } from '../support/electron-mock';
import { createAppLocation, devServerUrlFrom } from '../../electron/main/app-location';
import { APP_CSP, APP_CSP_DIRECTIVES } from '../../shared/csp';
import {
  applyContentSecurityPolicy,
  applyPermissionPolicy,
  contentSecurityPolicy,
  installSecurityPolicy,
  lockDownWebContents,
  respondentWebPreferences,
  secureDefaultSession,
} from '../../electron/main/security';
import { APP_TITLE, createAppWindow, loadAppPage } from '../../electron/main/window';

const INDEX = '/opt/eq console/out/renderer/index.html';
const APP_URL = 'file:///opt/eq%20console/out/renderer/index.html';
const prod = () => createAppLocation({ rendererIndexPath: INDEX });
const dev = () => createAppLocation({ devServerUrl: 'http://localhost:5173/', rendererIndexPath: INDEX });

beforeEach(() => resetElectronMock());

describe('app window', () => {
  it('is created with the locked-down web preferences and the preload', () => {
    createAppWindow(prod(), '/opt/eq console/out/preload/index.cjs');
    const [window] = FakeBrowserWindow.instances;
    expect(window!.options.title).toBe(APP_TITLE);
    expect(window!.options.show).toBe(false);
    expect(window!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      preload: '/opt/eq console/out/preload/index.cjs',
    });
  });

  it('shows itself once ready to show', () => {
    const window = createAppWindow(prod(), '/p.cjs') as unknown as FakeBrowserWindow;
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('loads the built page from disk, or the dev server when there is one', async () => {
    const built = createAppWindow(prod(), '/p.cjs');
    await loadAppPage(built, prod());
    const devWindow = createAppWindow(dev(), '/p.cjs');
    await loadAppPage(devWindow, dev());
    const [a, b] = FakeBrowserWindow.instances;
    expect(a!.loaded).toEqual([{ method: 'loadFile', target: INDEX }]);
    expect(b!.loaded).toEqual([{ method: 'loadURL', target: 'http://localhost:5173/' }]);
  });

  it('refuses to navigate anywhere but the app page', () => {
    const window = createAppWindow(prod(), '/p.cjs') as unknown as FakeBrowserWindow;
    const contents = window.webContents;
    for (const event of ['will-navigate', 'will-redirect'] as const) {
      expect(contents.navigate(event, 'https://evil.example/')).toBe(true);
      expect(contents.navigate(event, 'http://localhost:5000/session?token=x')).toBe(true);
      expect(contents.navigate(event, 'file:///etc/passwd')).toBe(true);
      expect(contents.navigate(event, 'file:///opt/eq%20console/out/renderer/other.html')).toBe(true);
      expect(contents.navigate(event, 'javascript:alert(1)')).toBe(true);
      expect(contents.navigate(event, APP_URL)).toBe(false);
      expect(contents.navigate(event, `${APP_URL}#/keys`)).toBe(false);
    }
  });

  it('in dev, allows only the dev server page', () => {
    const window = createAppWindow(dev(), '/p.cjs') as unknown as FakeBrowserWindow;
    expect(window.webContents.navigate('will-navigate', 'http://localhost:5173/')).toBe(false);
    expect(window.webContents.navigate('will-navigate', 'http://localhost:5174/')).toBe(true);
    expect(window.webContents.navigate('will-navigate', APP_URL)).toBe(true);
  });
});

describe('window.open and <webview>', () => {
  it('denies every new window and opens only http(s) links in the browser', () => {
    const contents = new FakeWebContents();
    lockDownWebContents(contents as never);
    const open = (url: string) => contents.windowOpenHandler!({ url });

    expect(open('https://github.com/ONSdigital/eq-questionnaire-runner')).toEqual({ action: 'deny' });
    expect(open('http://localhost:5000/')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(open('not a url')).toEqual({ action: 'deny' });
    expect(open('smb://server/share')).toEqual({ action: 'deny' });

    expect(electron.shell.opened).toEqual(['https://github.com/ONSdigital/eq-questionnaire-runner', 'http://localhost:5000/']);
  });

  it('prevents every <webview> from attaching', () => {
    const contents = new FakeWebContents();
    lockDownWebContents(contents as never);
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('applies to every webContents the app creates', () => {
    installSecurityPolicy(prod());
    const contents = new FakeWebContents();
    electron.app.emit('web-contents-created', new FakeEvent(), contents);
    expect(contents.windowOpenHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('permissions', () => {
  const everything = ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'usb', 'serial'];

  it('denies every permission request and check, for the app page and for others', async () => {
    const ses = new FakeSession();
    applyPermissionPolicy(ses as never, prod());
    for (const permission of everything) {
      for (const url of [APP_URL, 'https://runner.example/questionnaire']) {
        expect(await ses.request(permission, url)).toBe(false);
        expect(ses.check(permission, url)).toBe(false);
      }
    }
    expect(ses.devicePermissionHandler!({})).toBe(false);
  });

  it('lets only the app page write (never read) the clipboard', async () => {
    const ses = new FakeSession();
    applyPermissionPolicy(ses as never, prod());
    expect(await ses.request('clipboard-sanitized-write', APP_URL)).toBe(true);
    expect(ses.check('clipboard-sanitized-write', APP_URL)).toBe(true);
    expect(await ses.request('clipboard-sanitized-write', 'https://runner.example/')).toBe(false);
    expect(ses.check('clipboard-sanitized-write', 'https://runner.example/')).toBe(false);
    expect(await ses.request('clipboard-read', APP_URL)).toBe(false);
  });

  it('is applied to every session as it is created, and to the default session', async () => {
    installSecurityPolicy(prod());
    const respondent = new FakeSession();
    electron.app.emit('session-created', respondent);
    expect(await respondent.request('media', 'https://runner.example/')).toBe(false);

    secureDefaultSession(electron.session.defaultSession as never, prod());
    expect(await electron.session.defaultSession.request('geolocation', APP_URL)).toBe(false);
  });
});

describe('content security policy', () => {
  const directives = (policy: string) => Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1).join(' ')]));

  it('is the shared app policy for the packaged app, strict throughout', () => {
    const policy = contentSecurityPolicy(prod());
    expect(policy).toBe(APP_CSP);
    expect(directives(policy)).toMatchObject({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'object-src': "'none'",
    });
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
  });

  it('in dev, loosens only scripts and styles, for the refresh preamble and injected <style>', () => {
    const policy = directives(contentSecurityPolicy(dev()));
    expect(policy).toEqual({
      ...APP_CSP_DIRECTIVES,
      'script-src': "'self' 'unsafe-inline'",
      'style-src': "'self' 'unsafe-inline'",
    });
    expect(contentSecurityPolicy(dev())).not.toContain('unsafe-eval');
  });

  it('is set as a header on the app page, replacing any other policy', () => {
    const ses = new FakeSession();
    applyContentSecurityPolicy(ses as never, prod());
    const headers = ses.respond(APP_URL, { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] });
    expect(headers['Content-Security-Policy']).toEqual([APP_CSP]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['X-Other']).toEqual(['1']);
    expect(ses.respond('file:///opt/eq%20console/out/renderer/assets/index-abc.js')['Content-Security-Policy']).toBeDefined();
  });

  it('leaves pages that are not the app alone', () => {
    const ses = new FakeSession();
    applyContentSecurityPolicy(ses as never, prod());
    const original = { 'Set-Cookie': ['session=1'] };
    expect(ses.respond('https://runner.example/session', original)).toBe(original);
    expect(ses.respond('file:///etc/passwd')['Content-Security-Policy']).toBeUndefined();
  });

  it('in dev, follows the dev server origin', () => {
    const ses = new FakeSession();
    applyContentSecurityPolicy(ses as never, dev());
    expect(ses.respond('http://localhost:5173/')['Content-Security-Policy']).toBeDefined();
    expect(ses.respond('http://localhost:9999/')['Content-Security-Policy']).toBeUndefined();
  });

  it('is installed with the permission policy on the default session', () => {
    secureDefaultSession(electron.session.defaultSession as never, prod());
    expect(electron.session.defaultSession.headersListener).not.toBeNull();
    expect(electron.session.defaultSession.permissionRequestHandler).not.toBeNull();
  });
});

describe('hardening for every webContents and session', () => {
  it('lets any webContents the app creates navigate only to the web or the app page', () => {
    installSecurityPolicy(prod());
    const contents = new FakeWebContents();
    electron.app.emit('web-contents-created', new FakeEvent(), contents);
    for (const event of ['will-navigate', 'will-redirect'] as const) {
      expect(contents.navigate(event, 'file:///etc/passwd')).toBe(true);
      expect(contents.navigate(event, 'javascript:alert(1)')).toBe(true);
      expect(contents.navigate(event, 'data:text/html,<script>1</script>')).toBe(true);
      expect(contents.navigate(event, 'ms-settings:privacy')).toBe(true);
      expect(contents.navigate(event, 'http://localhost:5000/session')).toBe(false);
      expect(contents.navigate(event, APP_URL)).toBe(false);
    }
  });

  it('cancels every download, in sessions created later and in the default session', () => {
    installSecurityPolicy(prod());
    const respondent = new FakeSession('respondent-1');
    electron.app.emit('session-created', respondent);
    secureDefaultSession(electron.session.defaultSession as never, prod());
    for (const session of [respondent, electron.session.defaultSession]) {
      const event = new FakeEvent();
      session.emit('will-download', event, { getURL: () => 'https://example.org/payload.json' }, null);
      expect(event.defaultPrevented).toBe(true);
    }
  });

  it('allows DevTools only while the app is not packaged', () => {
    createAppWindow(prod(), '/p.cjs');
    expect(FakeBrowserWindow.instances[0]!.options.webPreferences).toMatchObject({ devTools: true });
    electron.app.isPackaged = true;
    createAppWindow(prod(), '/p.cjs');
    expect(FakeBrowserWindow.instances[1]!.options.webPreferences).toMatchObject({ devTools: false });
    expect(respondentWebPreferences('respondent-2')).toMatchObject({ devTools: false });
  });

  it('takes ELECTRON_RENDERER_URL only unpackaged and only on loopback', () => {
    expect(devServerUrlFrom('http://localhost:5173/', false)).toBe('http://localhost:5173/');
    expect(devServerUrlFrom('http://127.0.0.1:5173', false)).toBe('http://127.0.0.1:5173/');
    expect(devServerUrlFrom('http://[::1]:5173/', false)).toBe('http://[::1]:5173/');
    expect(devServerUrlFrom('http://localhost:5173/', true)).toBeUndefined();
    expect(devServerUrlFrom('https://evil.example/', true)).toBeUndefined();
    expect(devServerUrlFrom(undefined, false)).toBeUndefined();
    for (const bad of ['https://evil.example/', 'http://192.168.1.5:5173/', 'http://localhost.evil.example/', 'file:///tmp/index.html', 'not a url']) {
      expect(() => devServerUrlFrom(bad, false)).toThrow(/ELECTRON_RENDERER_URL must be the dev server on this machine/);
    }
  });
});
