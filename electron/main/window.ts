// The app window: the React UI with the preload's typed API, nothing else.
import { BrowserWindow } from 'electron';
import type { AppLocation } from './app-location';
import { appWebPreferences, guardAppNavigation } from './security';

export const APP_TITLE = 'eQ console';

export function createAppWindow(location: AppLocation, preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 900,
    minHeight: 600,
    title: APP_TITLE,
    // Shown once the first paint is ready, so the user never sees an empty white frame.
    show: false,
    webPreferences: appWebPreferences(preloadPath),
  });
  guardAppNavigation(window.webContents, location);
  window.once('ready-to-show', () => window.show());
  return window;
}

/** Loads the UI; rejects when the page cannot be loaded (missing build, dev server down). */
export async function loadAppPage(window: BrowserWindow, location: AppLocation): Promise<void> {
  if (location.devServerUrl) await window.loadURL(location.devServerUrl);
  else await window.loadFile(location.rendererIndexPath);
}
