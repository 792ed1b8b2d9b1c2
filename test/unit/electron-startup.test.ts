import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../support/electron-mock'));
// electron-store, outside the test's module graph, would load the real electron (and its binary).
vi.mock('electron-store', () => ({ default: class FakeElectronStore {} }));
vi.mock('../../electron/services/index', () => ({ createServices: vi.fn() }));

import * as electron from '../support/electron-mock';
import { FakeBrowserWindow } from '../support/electron-mock';
import { CHANNELS } from '../../shared/api';
import { ConsoleError } from '../../shared/errors';
import { createServices } from '../../electron/services/index';
import { EVENT_CHANNEL, type ConsoleEvent } from '../../shared/events';

const services = vi.mocked(createServices);
// Whatever createServices resolves to; the shell hands it to dispatch() and forwards its events.
const forwarded: ((event: ConsoleEvent) => void)[] = [];
const fakeApi = { onEvent: (l: (event: ConsoleEvent) => void) => (forwarded.push(l), () => {}) } as unknown as Awaited<ReturnType<typeof createServices>>;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
let start: () => Promise<void>;

beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  services.mockResolvedValue(fakeApi);
  // Importing the entry starts the app, as Electron does; let that first run finish.
  ({ start } = await import('../../electron/main/index'));
  await settle();
});

beforeEach(() => {
  electron.resetElectronMock();
  services.mockReset();
  services.mockResolvedValue(fakeApi);
  delete process.env.ELECTRON_RENDERER_URL;
});

afterEach(() => {
  delete process.env.ELECTRON_RENDERER_URL;
});

describe('startup', () => {
  it('creates the services with the safeStorage sealer, then IPC, then the window', async () => {
    await start();
    expect(electron.app.calls.slice(0, 2)).toEqual(['requestSingleInstanceLock', 'whenReady']);
    expect(services).toHaveBeenCalledTimes(1);
    const options = services.mock.calls[0]![0];
    expect(options.mode).toBe('electron');
    expect(options.configDir).toMatch(/eq-console|EQ_CONSOLE_HOME/);
    expect(options.sealer?.kind).toBe('safeStorage');
    // Respondent sessions open embedded in the desktop app.
    expect(options.sessionHost?.embedded).toBe(true);
    // Settings, profiles and history go through electron-store.
    expect(typeof options.storeFactory).toBe('function');
    // The embedded sessions tell the page through the same hub as the services.
    expect(options.events).toBeDefined();

    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    const [window] = FakeBrowserWindow.instances;
    expect(window!.loaded[0]!.method).toBe('loadFile');
    // Unbundled, paths resolve beside electron/main; electron-bundle.test.ts checks the built ones.
    expect(window!.loaded[0]!.target).toMatch(/renderer[\\/]index\.html$/);
    expect(window!.options.webPreferences.preload).toMatch(/preload[\\/]index\.cjs$/);

    expect(electron.session.defaultSession.headersListener).not.toBeNull();
    expect(electron.session.defaultSession.permissionRequestHandler).not.toBeNull();
    expect(electron.dialog.errorBoxes).toEqual([]);
  });

  it("forwards the services' events to the app window's page, on the event channel only", async () => {
    await start();
    const [window] = FakeBrowserWindow.instances;
    const event: ConsoleEvent = { type: 'sessions.changed', sessions: [] };
    forwarded.at(-1)!(event);
    expect(window!.webContents.sent).toEqual([[EVENT_CHANNEL, event]]);
  });

  it('gives IPC access to the window it created', async () => {
    await start();
    const [window] = FakeBrowserWindow.instances;
    const frame = window!.webContents.mainFrame;
    const handler = electron.ipcMain.handlers.get('app.info')!;
    const result = await handler({ sender: window!.webContents, senderFrame: frame });
    // The fake API has no methods, so reaching it is an internal error rather than a refusal.
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('stops the background work of the services before the app exits', async () => {
    const shutdown = vi.fn(async () => {});
    services.mockResolvedValue({ ...fakeApi, shutdown } as unknown as Awaited<ReturnType<typeof createServices>>);
    await start();
    let prevented = false;
    electron.app.emit('will-quit', { preventDefault: () => (prevented = true) });
    await settle();
    expect(prevented).toBe(true);
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(electron.app.exitCode).toBe(0);
  });

  it('quits at once when another instance is running', async () => {
    electron.app.hasLock = false;
    await start();
    expect(electron.app.calls).toEqual(['requestSingleInstanceLock', 'quit']);
    expect(services).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('quits when the last window closes, except on macOS', async () => {
    await start();
    electron.app.emit('window-all-closed');
    expect(electron.app.calls.includes('quit')).toBe(process.platform !== 'darwin');
  });

  it('shows one line, no stack, and exits when the services fail to start', async () => {
    services.mockRejectedValue(new Error('config.json is not valid JSON\n    at parse (/x/y.js:1:1)'));
    await start();
    expect(electron.dialog.errorBoxes).toHaveLength(1);
    const [box] = electron.dialog.errorBoxes;
    expect(box!.title).toBe('eQ console could not start');
    expect(box!.content).toBe('Unexpected error: config.json is not valid JSON');
    expect(box!.content).not.toContain('\n');
    expect(electron.app.exitCode).toBe(1);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('shows a ConsoleError message as it is', async () => {
    services.mockRejectedValue(new ConsoleError('config-corrupt', 'The settings file is damaged.'));
    await start();
    expect(electron.dialog.errorBoxes[0]!.content).toBe('The settings file is damaged.');
  });

  it('reports a page that cannot be loaded', async () => {
    const original = FakeBrowserWindow.prototype.loadFile;
    FakeBrowserWindow.prototype.loadFile = async () => {
      throw new Error("ERR_FILE_NOT_FOUND (-6) loading 'file:///x/out/renderer/index.html'");
    };
    try {
      await start();
    } finally {
      FakeBrowserWindow.prototype.loadFile = original;
    }
    expect(electron.dialog.errorBoxes[0]!.content).toMatch(/ERR_FILE_NOT_FOUND/);
    expect(electron.app.exitCode).toBe(1);
  });

  it('loads the dev server only when not packaged', async () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/';
    await start();
    expect(FakeBrowserWindow.instances[0]!.loaded[0]).toEqual({ method: 'loadURL', target: 'http://localhost:5173/' });

    electron.resetElectronMock();
    electron.app.isPackaged = true;
    await start();
    expect(FakeBrowserWindow.instances[0]!.loaded[0]!.method).toBe('loadFile');
  });
});
