// One ConsoleApi, and its events, for the whole UI, whichever front door the page came through.
import type { ConsoleApi } from '../../../shared/api';
import type { ConsoleEvents } from '../../../shared/events';
import { createBrowserApi } from './browser';
import { createEventStream } from './events';
import { takeAccessToken } from './token';

/** What the page talks to: the contract's operations, and the events the Node side sends. */
export type ConsoleClient = ConsoleApi & ConsoleEvents;

export function resolveApi(win: Window = window): ConsoleClient {
  if (win.eqConsole) return win.eqConsole;
  const token = takeAccessToken(win);
  return { ...createBrowserApi({ token }), ...createEventStream({ token }) };
}

export { createBrowserApi } from './browser';
export { takeAccessToken } from './token';
