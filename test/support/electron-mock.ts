// A hand-written stand-in for the 'electron' module: just enough of the API the shell uses,
// recording what the shell asked for so tests can replay events against it.
// Use with: vi.mock('electron', () => import('../support/electron-mock'))
import { EventEmitter } from 'node:events';

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  mainFrame: FakeFrame = { url: '', parent: null };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return false;
  }
  /** Replays a navigation the way Electron emits it; returns whether it was prevented. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    const e = new FakeEvent(url);
    this.emit(event, e, url);
    return e.defaultPrevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loaded: { method: 'loadURL' | 'loadFile'; target: string }[] = [];
  shown = false;
  destroyed = false;
  loadError: Error | null = null;
  constructor(readonly options: Record<string, any>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push({ method: 'loadURL', target: url });
    this.webContents.mainFrame.url = url;
    if (this.loadError) throw this.loadError;
  }
  async loadFile(file: string): Promise<void> {
    this.loaded.push({ method: 'loadFile', target: file });
    this.webContents.mainFrame.url = new URL(`file://${file}`).href;
    if (this.loadError) throw this.loadError;
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string; isMainFrame: boolean },
) => void;
type PermissionCheckHandler = (
  contents: unknown,
  permission: string,
  origin: string,
  details: { requestingUrl?: string; isMainFrame: boolean },
) => boolean;
type HeadersListener = (
  details: { url: string; resourceType: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string[]> }) => void,
) => void;

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  devicePermissionHandler: ((details: unknown) => boolean) | null = null;
  headersListener: HeadersListener | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void {
    this.devicePermissionHandler = handler;
  }
  /** Asks the request handler the way Chromium would; resolves with its answer. */
  request(permission: string, requestingUrl: string): Promise<boolean> {
    return new Promise((resolve) => {
      if (!this.permissionRequestHandler) return resolve(true); // Electron's default is to grant
      this.permissionRequestHandler({}, permission, resolve, { requestingUrl, isMainFrame: true });
    });
  }
  check(permission: string, requestingUrl: string): boolean {
    if (!this.permissionCheckHandler) return true;
    return this.permissionCheckHandler({}, permission, new URL(requestingUrl).origin, { requestingUrl, isMainFrame: true });
  }
  /** Runs a response through the headers listener; returns the headers the page would get. */
  respond(url: string, responseHeaders: Record<string, string[]> = {}): Record<string, string[]> {
    let result = responseHeaders;
    this.headersListener?.({ url, resourceType: 'mainFrame', responseHeaders }, (response) => {
      if (response.responseHeaders) result = response.responseHeaders;
    });
    return result;
  }
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

class FakeApp extends EventEmitter {
  isPackaged = false;
  hasLock = true;
  calls: string[] = [];
  exitCode: number | null = null;
  reset(): void {
    this.removeAllListeners();
    this.isPackaged = false;
    this.hasLock = true;
    this.calls = [];
    this.exitCode = null;
  }
  requestSingleInstanceLock(): boolean {
    this.calls.push('requestSingleInstanceLock');
    return this.hasLock;
  }
  whenReady(): Promise<void> {
    this.calls.push('whenReady');
    return Promise.resolve();
  }
  quit(): void {
    this.calls.push('quit');
  }
  exit(code = 0): void {
    this.calls.push('exit');
    this.exitCode = code;
  }
}

export const app = new FakeApp();

export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
};

export const shell = {
  opened: [] as string[],
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  },
};

export const dialog = {
  errorBoxes: [] as { title: string; content: string }[],
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  },
};

export const session = {
  defaultSession: new FakeSession(),
};

export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as string,
  encrypted: [] as string[],
  isEncryptionAvailable(): boolean {
    return this.available;
  },
  getSelectedStorageBackend(): string {
    return this.backend;
  },
  encryptString(plain: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    this.encrypted.push(plain);
    // Reversible but not the identity, so a test can tell sealed from plain.
    return Buffer.from(`enc(${plain})`, 'utf8');
  },
  decryptString(data: Buffer): string {
    if (!this.available) throw new Error('Decryption is not available.');
    const text = data.toString('utf8');
    const match = /^enc\(([\s\S]*)\)$/.exec(text);
    if (!match) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return match[1]!;
  },
};

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    this.exposed.set(key, api);
  },
};

export const ipcRenderer = {
  invocations: [] as { channel: string; args: unknown[] }[],
  reply: (_channel: string, _args: unknown[]): unknown => ({ ok: true, value: null }),
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return this.reply(channel, args);
  },
};

export const BrowserWindow = FakeBrowserWindow;

/** Fresh state for the next test. */
export function resetElectronMock(): void {
  app.reset();
  FakeBrowserWindow.instances = [];
  ipcMain.handlers.clear();
  shell.opened = [];
  dialog.errorBoxes = [];
  session.defaultSession = new FakeSession();
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  safeStorage.encrypted = [];
  contextBridge.exposed.clear();
  ipcRenderer.invocations = [];
  ipcRenderer.reply = () => ({ ok: true, value: null });
}

export default {
  app,
  BrowserWindow,
  ipcMain,
  shell,
  dialog,
  session,
  safeStorage,
  contextBridge,
  ipcRenderer,
};
