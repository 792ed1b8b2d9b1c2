import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../support/electron-mock'));

import * as electron from '../support/electron-mock';
import { CHANNELS } from '../../shared/api';
import { fromWireError } from '../../shared/errors';

type Api = Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
let api: Api;

beforeAll(async () => {
  electron.resetElectronMock();
  // The preload does its work on load, as it does in the renderer.
  await import('../../electron/preload/index');
  api = electron.contextBridge.exposed.get('eqConsole') as Api;
});

beforeEach(() => {
  electron.ipcRenderer.invocations = [];
  electron.ipcRenderer.reply = () => ({ ok: true, value: null });
});

describe('preload', () => {
  it('exposes exactly one key, eqConsole', () => {
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['eqConsole']);
  });

  it('exposes every operation of the contract as a function, and nothing else', () => {
    const expected: Record<string, string[]> = {};
    for (const channel of CHANNELS) {
      const [group, method] = channel.split('.') as [string, string];
      (expected[group] ??= []).push(method);
    }
    // Besides the operations, one function: onEvent, for what the main process tells the page.
    expect(Object.keys(api).sort()).toEqual([...Object.keys(expected), 'onEvent'].sort());
    expect(typeof api.onEvent).toBe('function');
    for (const [group, methods] of Object.entries(expected)) {
      expect(Object.keys(api[group]!).sort()).toEqual([...methods].sort());
      for (const method of methods) expect(typeof api[group]![method]).toBe('function');
    }
    const everything = JSON.stringify(Object.keys(api)) + JSON.stringify(Object.values(api).map((g) => Object.keys(g as object)));
    // Whole names only: "previewSubmission" ends in "on" and is no event emitter.
    expect(everything).not.toMatch(/"(ipcRenderer|invoke|send|on)"/);
  });

  it('invokes the channel of the operation with its arguments, spread', async () => {
    electron.ipcRenderer.reply = (channel) => ({ ok: true, value: `reply from ${channel}` });
    await expect(api.keys!.importTexts!([{ name: 'a.pem', text: 'x' }], { purpose: 'authentication' })).resolves.toBe('reply from keys.importTexts');
    await expect(api.app!.info!()).resolves.toBe('reply from app.info');
    expect(electron.ipcRenderer.invocations).toEqual([
      { channel: 'keys.importTexts', args: [[{ name: 'a.pem', text: 'x' }], { purpose: 'authentication' }] },
      { channel: 'app.info', args: [] },
    ]);
  });

  it('calls each channel by its own name', async () => {
    for (const channel of CHANNELS) {
      const [group, method] = channel.split('.') as [string, string];
      await api[group]![method]!('x');
    }
    expect(electron.ipcRenderer.invocations.map((i) => i.channel)).toEqual([...CHANNELS]);
  });

  it('rejects with a plain object that keeps the error code (contextBridge would drop it from an Error)', async () => {
    electron.ipcRenderer.reply = () => ({ ok: false, error: { code: 'key-not-found', message: 'No key with kid k1' } });
    const err = await api.keys!.remove!('k1').catch((e: unknown) => e);
    expect(err).toEqual({ name: 'ConsoleError', code: 'key-not-found', message: 'No key with kid k1' });
    expect(Object.getPrototypeOf(err)).toBe(Object.prototype);
    const revived = fromWireError(err as never);
    expect(revived.code).toBe('key-not-found');
  });

  it('reports a failed invoke (no handler, uncloneable argument) the same way', async () => {
    electron.ipcRenderer.reply = () => {
      throw new Error("No handler registered for 'keys.list'");
    };
    await expect(api.keys!.list!()).rejects.toEqual({
      name: 'ConsoleError',
      code: 'internal',
      message: "Unexpected error: No handler registered for 'keys.list'",
    });
  });
});
