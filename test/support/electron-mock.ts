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
  destroyed = false;
  title = '';
  loading = false;
  zoomFactor = 1;
  /** Every URL loadURL was asked for, in order. */
  readonly loads: string[] = [];
  /** When set, the next loadURL rejects with it (e.g. ERR_CONNECTION_REFUSED). */
  loadError: Error | null = null;
  reloads = 0;
  devTools: { mode?: string }[] = [];
  /** What webContents.send sent: [channel, ...args]. */
  readonly sent: unknown[][] = [];
  private entries: string[] = [];
  private index = -1;
  readonly navigationHistory = {
    canGoBack: (): boolean => this.index > 0,
    canGoForward: (): boolean => this.index < this.entries.length - 1,
    goBack: (): void => {
      if (this.index > 0) this.mainFrame.url = this.entries[--this.index]!;
    },
    goForward: (): void => {
      if (this.index < this.entries.length - 1) this.mainFrame.url = this.entries[++this.index]!;
    },
  };
  constructor(private readonly ownSession?: FakeSession) {
    super();
  }
  get session(): FakeSession {
    return this.ownSession ?? session.defaultSession;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  async loadURL(url: string): Promise<void> {
    this.loads.push(url);
    this.entries = [...this.entries.slice(0, this.index + 1), url];
    this.index = this.entries.length - 1;
    this.mainFrame.url = url;
    const error = this.loadError;
    this.loadError = null;
    if (error) throw error;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  getTitle(): string {
    return this.title || this.mainFrame.url;
  }
  isLoading(): boolean {
    return this.loading;
  }
  reload(): void {
    this.reloads++;
  }
  openDevTools(options?: { mode?: string }): void {
    this.devTools.push(options ?? {});
  }
  getZoomFactor(): number {
    return this.zoomFactor;
  }
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }
  /** Replays a navigation the way Electron emits it; returns whether it was prevented. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    const e = new FakeEvent(url);
    this.emit(event, e, url);
    return e.defaultPrevented;
  }
}

export interface FakeRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class FakeView extends EventEmitter {
  children: FakeView[] = [];
  bounds: FakeRect = { x: 0, y: 0, width: 0, height: 0 };
  visible = true;
  addChildView(view: FakeView): void {
    // Electron re-adds a child already present on top instead of adding it twice.
    this.children = [...this.children.filter((v) => v !== view), view];
  }
  removeChildView(view: FakeView): void {
    this.children = this.children.filter((v) => v !== view);
  }
  setBounds(bounds: FakeRect): void {
    this.bounds = { ...bounds };
  }
  getBounds(): FakeRect {
    return { ...this.bounds };
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
  }
  getVisible(): boolean {
    return this.visible;
  }
}

export class FakeWebContentsView extends FakeView {
  static instances: FakeWebContentsView[] = [];
  readonly webContents: FakeWebContents;
  constructor(readonly options: { webPreferences?: Record<string, any> } = {}) {
    super();
    const partition = options.webPreferences?.partition;
    this.webContents = new FakeWebContents(typeof partition === 'string' ? session.fromPartition(partition) : undefined);
    FakeWebContentsView.instances.push(this);
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly contentView = new FakeView();
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
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string, details: { requestingUrl?: string; isMainFrame: boolean }) => boolean;
type HeadersListener = (
  details: { url: string; resourceType: string; statusCode: number; responseHeaders?: Record<string, string[]> },
  callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string[]> }) => void,
) => void;

export type FakeFetch = (input: string, init?: RequestInit) => Promise<Response>;

export class FakeSession extends EventEmitter {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  devicePermissionHandler: ((details: unknown) => boolean) | null = null;
  headersListener: HeadersListener | null = null;
  /** Requests made through this session's own fetch (so with its cookies). */
  fetches: { url: string; init?: RequestInit }[] = [];
  /** What this session's fetch answers; a test replaces it. */
  fetchImpl: FakeFetch = async () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  storageCleared = 0;
  constructor(readonly partition = '') {
    super();
  }
  readonly webRequest = {
    // Electron takes (listener), (filter, listener), or null to remove the listener.
    onHeadersReceived: (...args: unknown[]) => {
      this.headersListener = (args.length > 1 ? args[1] : args[0]) as HeadersListener | null;
    },
  };
  fetch(input: string, init?: RequestInit): Promise<Response> {
    this.fetches.push({ url: input, init });
    return this.fetchImpl(input, init);
  }
  async clearStorageData(): Promise<void> {
    this.storageCleared++;
  }
  cacheCleared = 0;
  async clearCache(): Promise<void> {
    this.cacheCleared++;
  }
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
  respond(url: string, responseHeaders: Record<string, string[]> = {}, statusCode = 200): Record<string, string[]> {
    let result = responseHeaders;
    this.headersListener?.({ url, resourceType: 'mainFrame', statusCode, responseHeaders }, (response) => {
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
  partitions: new Map<string, FakeSession>(),
  fromPartition(partition: string): FakeSession {
    if (partition === '') return this.defaultSession;
    let found = this.partitions.get(partition);
    if (!found) {
      found = new FakeSession(partition);
      this.partitions.set(partition, found);
      app.emit('session-created', found);
    }
    return found;
  },
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
export const WebContentsView = FakeWebContentsView;

/** Fresh state for the next test. */
export function resetElectronMock(): void {
  app.reset();
  FakeBrowserWindow.instances = [];
  FakeWebContentsView.instances = [];
  ipcMain.handlers.clear();
  shell.opened = [];
  dialog.errorBoxes = [];
  session.defaultSession = new FakeSession();
  session.partitions.clear();
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
  WebContentsView,
  ipcMain,
  shell,
  dialog,
  session,
  safeStorage,
  contextBridge,
  ipcRenderer,
};
