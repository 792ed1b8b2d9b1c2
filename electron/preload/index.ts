// The only bridge between the page and the main process: the typed ConsoleApi as plain
// functions. No ipcRenderer, no generic invoke: the page can call the declared operations
// and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, type ConsoleApi } from '../../shared/api';
import { toWireError, type WireError } from '../../shared/errors';
import { createApiClient, type Invoke } from '../../shared/transport';

const BRIDGE_KEY = 'eqConsole';

/**
 * What the page's promises reject with. contextBridge rebuilds Error objects from their
 * message alone, so a ConsoleError's code would be lost; a plain object crosses intact.
 * The renderer can turn it back into a ConsoleError with fromWireError.
 */
export interface BridgedError extends WireError {
  name: 'ConsoleError';
}

/** The global the page sees: `window.eqConsole`. */
export interface EqConsoleGlobal {
  readonly eqConsole: ConsoleApi;
}

const invoke: Invoke = (channel, args) => ipcRenderer.invoke(channel, ...args);

function bridgeable(client: ConsoleApi): ConsoleApi {
  const methods = client as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
  const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const [group, method] = channel.split('.') as [string, string];
    const call = methods[group]![method]!;
    api[group] ??= {};
    api[group][method] = (...args) =>
      call(...args).catch((err: unknown) => {
        const bridged: BridgedError = { name: 'ConsoleError', ...toWireError(err) };
        throw bridged;
      });
  }
  return api as unknown as ConsoleApi;
}

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridgeable(createApiClient(invoke)));
