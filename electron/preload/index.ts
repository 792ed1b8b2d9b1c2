// The only bridge between the page and the main process: the typed ConsoleApi as plain
// functions, and onEvent for what the main process tells the page. No ipcRenderer, no generic
// invoke: the page can call the declared operations, hear the declared events, and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, type ConsoleApi } from '../../shared/api';
import { EVENT_CHANNEL, EVENT_TYPES, type ConsoleEvent, type ConsoleEvents, type EventListener } from '../../shared/events';
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
  readonly eqConsole: ConsoleApi & ConsoleEvents;
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

/** Events of the declared types only; the listener gets a plain copy, never the IPC event. */
function onEvent(listener: EventListener): () => void {
  const forward = (_event: unknown, payload: ConsoleEvent) => {
    if (payload && (EVENT_TYPES as readonly string[]).includes(payload.type)) listener(payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, forward);
  return () => void ipcRenderer.off(EVENT_CHANNEL, forward);
}

contextBridge.exposeInMainWorld(BRIDGE_KEY, { ...bridgeable(createApiClient(invoke)), onEvent });
