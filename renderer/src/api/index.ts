// One ConsoleApi for the whole UI, whichever front door the page came through.
import type { ConsoleApi } from '../../../shared/api';
import { createBrowserApi } from './browser';
import { takeAccessToken } from './token';

export function resolveApi(win: Window = window): ConsoleApi {
  if (win.eqConsole) return win.eqConsole;
  return createBrowserApi({ token: takeAccessToken(win) });
}

export { createBrowserApi } from './browser';
export { takeAccessToken } from './token';
