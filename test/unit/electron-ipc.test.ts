import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../support/electron-mock'));

import * as electron from '../support/electron-mock';
import { FakeBrowserWindow, FakeWebContents, resetElectronMock, type FakeFrame } from '../support/electron-mock';
import { CHANNELS, type ConsoleApi } from '../../shared/api';
import { ConsoleError } from '../../shared/errors';
import { createAppLocation } from '../../electron/main/app-location';
import { registerIpcHandlers } from '../../electron/main/ipc';

const INDEX = '/app/out/renderer/index.html';
const APP_URL = 'file:///app/out/renderer/index.html';
const location = createAppLocation({ rendererIndexPath: INDEX });

/** A ConsoleApi whose every method records its call and answers with its channel name. */
function recordingApi() {
  const calls: { channel: string; args: unknown[] }[] = [];
  const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const [group, method] = channel.split('.') as [string, string];
    api[group] ??= {};
    api[group][method] = async (...args) => {
      calls.push({ channel, args });
      if (args[0] === 'explode') throw new ConsoleError('key-not-found', 'No key with kid explode');
      return { answeredBy: channel };
    };
  }
  return { api: api as unknown as ConsoleApi, calls };
}

function invokeEvent(sender: FakeWebContents, frame: FakeFrame | null) {
  return { sender, senderFrame: frame, frameId: 1, processId: 1, type: 'frame' };
}

let window: FakeBrowserWindow;
let calls: { channel: string; args: unknown[] }[];

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  resetElectronMock();
  window = new FakeBrowserWindow({});
  window.webContents.mainFrame.url = APP_URL;
  const recording = recordingApi();
  calls = recording.calls;
  registerIpcHandlers(recording.api, { location, appWindow: () => window as never });
});

const call = (channel: string, event: unknown, ...args: unknown[]) => electron.ipcMain.handlers.get(channel)!(event, ...args);

describe('IPC handlers', () => {
  it('are registered for every channel of the contract, and nothing else', () => {
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('pass a call from the app window to the service and return its envelope', async () => {
    const event = invokeEvent(window.webContents, window.webContents.mainFrame);
    await expect(call('keys.remove', event, 'kid-1')).resolves.toEqual({ ok: true, value: { answeredBy: 'keys.remove' } });
    await expect(call('launch.check', event, { tx_id: 'x' })).resolves.toMatchObject({ ok: true });
    expect(calls).toEqual([
      { channel: 'keys.remove', args: ['kid-1'] },
      { channel: 'launch.check', args: [{ tx_id: 'x' }] },
    ]);
  });

  it('refuse bad arguments before the service sees them, naming the argument', async () => {
    const event = invokeEvent(window.webContents, window.webContents.mainFrame);
    await expect(call('keys.remove', event, 42)).resolves.toMatchObject({
      ok: false,
      error: { code: 'bad-input', message: 'keys.remove: kid must be string, not 42.' },
    });
    expect(calls).toEqual([]);
  });

  it('turn service errors into error envelopes with their code', async () => {
    const event = invokeEvent(window.webContents, window.webContents.mainFrame);
    await expect(call('keys.exportPublic', event, 'explode')).resolves.toEqual({
      ok: false,
      error: { code: 'key-not-found', message: 'No key with kid explode' },
    });
  });

  it('accept the app page whatever its hash route', async () => {
    const event = invokeEvent(window.webContents, { url: `${APP_URL}#/tokens`, parent: null });
    await expect(call('app.info', event)).resolves.toMatchObject({ ok: true });
  });

  describe('refuse, without reaching the service, a call from', () => {
    const refused = async (event: unknown) => {
      const result = await call('keys.list', event);
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(calls).toEqual([]);
    };

    it('another webContents, even showing the app page', async () => {
      const other = new FakeWebContents();
      await refused(invokeEvent(other, { url: APP_URL, parent: null }));
    });

    it('the app window after it navigated elsewhere', async () => {
      await refused(invokeEvent(window.webContents, { url: 'https://evil.example/', parent: null }));
    });

    it('another file on disk', async () => {
      await refused(invokeEvent(window.webContents, { url: 'file:///tmp/index.html', parent: null }));
    });

    it('a sub-frame of the app window', async () => {
      await refused(invokeEvent(window.webContents, { url: APP_URL, parent: window.webContents.mainFrame }));
    });

    it('a frame that has gone', async () => {
      await refused(invokeEvent(window.webContents, null));
    });

    it('anyone, once the app window is closed', async () => {
      window.destroyed = true;
      await refused(invokeEvent(window.webContents, window.webContents.mainFrame));
    });
  });

  it('can be removed again', () => {
    resetElectronMock();
    const { api } = recordingApi();
    const dispose = registerIpcHandlers(api, { location, appWindow: () => null });
    expect(electron.ipcMain.handlers.size).toBe(CHANNELS.length);
    dispose();
    expect(electron.ipcMain.handlers.size).toBe(0);
  });
});
