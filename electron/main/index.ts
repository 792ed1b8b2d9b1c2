// The Electron shell: wires the services, IPC and the window together. The domain lives in
// electron/services and knows nothing about Electron.
import { app, dialog, session, type BrowserWindow } from 'electron';
import ElectronStore, { type Options as ElectronStoreOptions } from 'electron-store';
import { toWireError } from '../../shared/errors';
import { createServices } from '../services/index';
import { defaultConfigDir } from '../services/config/paths';
import { createAppLocation, defaultPreloadPath, devServerUrlFrom, defaultRendererIndexPath } from './app-location';
import { EventHub } from '../services/events';
import { forwardEvents, registerIpcHandlers } from './ipc';
import { createSafeStorageSealer } from './safe-storage';
import { installSecurityPolicy, secureDefaultSession } from './security';
import { createSessionHost } from './sessions';
import { APP_TITLE, createAppWindow, loadAppPage } from './window';

let appWindow: BrowserWindow | null = null;

function showWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

export async function main(): Promise<void> {
  // A second instance would fight the first over the config files; hand over to the first.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  // A packaged app never loads its UI from a URL named in the environment; a dev build only from loopback.
  const devServerUrl = devServerUrlFrom(process.env.ELECTRON_RENDERER_URL, app.isPackaged);
  const location = createAppLocation({ devServerUrl, rendererIndexPath: defaultRendererIndexPath() });
  installSecurityPolicy(location);

  app.on('second-instance', () => {
    if (appWindow && !appWindow.isDestroyed()) showWindow(appWindow);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  await app.whenReady();
  secureDefaultSession(session.defaultSession, location);

  // One hub: the services and the embedded sessions both tell the page what changed.
  const events = new EventHub();
  const api = await createServices({
    configDir: defaultConfigDir(),
    mode: 'electron',
    sealer: createSafeStorageSealer(),
    events,
    // Launches opened "embedded" become respondent views over the app window.
    sessionHost: createSessionHost({ appWindow: () => appWindow, location, emit: (event) => events.emit(event) }),
    // Settings, profiles and history through electron-store. Each document keeps its own data
    // version: electron-store only fills projectVersion with the app's version when none is given.
    storeFactory: ({ configName, ...options }) => new ElectronStore({ ...options, name: configName } as ElectronStoreOptions<Record<string, unknown>>),
  });
  registerIpcHandlers(api, { location, appWindow: () => appWindow });
  forwardEvents(api, () => appWindow);
  // Preview servers and folder watches hold ports and file handles; let them go before exit.
  app.once('will-quit', (event) => {
    event.preventDefault();
    void api.shutdown().finally(() => app.exit(0));
  });

  const openWindow = async (): Promise<void> => {
    const window = createAppWindow(location, defaultPreloadPath());
    // Set before loading: the page calls the API while it is still loading.
    appWindow = window;
    window.on('closed', () => {
      if (appWindow === window) appWindow = null;
    });
    await loadAppPage(window, location);
  };

  // macOS keeps the app running with no window; the dock icon brings one back.
  app.on('activate', () => {
    if (!appWindow) openWindow().catch(fail);
  });
  await openWindow();
}

function fail(err: unknown): void {
  // One plain line for the user; the stack goes to the terminal for whoever started us there.
  console.error(err);
  const message = toWireError(err).message.split('\n')[0] ?? 'Unknown error';
  dialog.showErrorBox(`${APP_TITLE} could not start`, message);
  app.exit(1);
}

/** Runs the app; a failure at any step ends in one error box and exit code 1. */
export function start(): Promise<void> {
  return main().catch(fail);
}

void start();
