// One ipcMain.handle per channel of the contract. The services trust their caller, so the
// caller is checked here: only the app's own page, in the app window's top frame, gets through.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type Channel, type ConsoleApi } from '../../shared/api';
import { EVENT_CHANNEL, type ConsoleEvents } from '../../shared/events';
import type { Envelope } from '../../shared/errors';
import { dispatch } from '../../shared/transport';
import type { AppLocation } from './app-location';

export interface IpcOptions {
  location: AppLocation;
  /** The window whose page may call the API; read on every call, as the window may be re-created. */
  appWindow: () => BrowserWindow | null | undefined;
}

/** Why a sender is refused, or null when it is the app's own page. */
export function senderProblem(event: IpcMainInvokeEvent, options: IpcOptions): string | null {
  const window = options.appWindow();
  if (!window || window.isDestroyed()) return 'the app window is not open';
  if (event.sender.id !== window.webContents.id) return 'the call did not come from the app window';
  const frame = event.senderFrame;
  if (!frame) return 'the calling frame has gone';
  if (frame.parent) return 'the call came from a sub-frame';
  if (!options.location.isAppPage(frame.url)) return `the calling page ${frame.url} is not the app`;
  return null;
}

function handlerFor(channel: Channel, api: ConsoleApi, options: IpcOptions) {
  return async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<Envelope<unknown>> => {
    const problem = senderProblem(event, options);
    if (problem) {
      console.warn(`Refused ${channel}: ${problem}`);
      return { ok: false, error: { code: 'forbidden', message: `Refused ${channel}: ${problem}.` } };
    }
    return dispatch(api, channel, args);
  };
}

/** Registers every channel; returns a function that removes them again. */
export function registerIpcHandlers(api: ConsoleApi, options: IpcOptions): () => void {
  for (const channel of CHANNELS) ipcMain.handle(channel, handlerFor(channel, api, options));
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}

/**
 * The services' events go to the app window's page, and nowhere else: never to a respondent's
 * view, which has its own webContents. Returns a function that stops forwarding.
 */
export function forwardEvents(events: ConsoleEvents, appWindow: () => BrowserWindow | null | undefined): () => void {
  return events.onEvent((event) => {
    const window = appWindow();
    if (window && !window.isDestroyed() && !window.webContents.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
  });
}
