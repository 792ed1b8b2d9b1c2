// The renderer's side of browser mode and its key-ring state, without a browser: the transport
// over a stubbed fetch, the token hand-over, and the store over a fake ConsoleApi.
import { describe, expect, it, vi } from 'vitest';
import type { ConsoleApi, ImportReport, KeyInfo } from '../../shared/api';
import { ConsoleError } from '../../shared/errors';
import { createBrowserApi, wireArgs } from '../../renderer/src/api/browser';
import { takeAccessToken, TOKEN_STORAGE_KEY } from '../../renderer/src/api/token';
import { errorMessage } from '../../renderer/src/state/errors';
import { createConsoleStore } from '../../renderer/src/state/store';
import { withEvents } from '../support/fake-events';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('browser transport', () => {
  it('posts {args} to /api/<channel> with the token and returns the value', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { ok: true, value: [{ kid: 'k1' }] }));
    const api = createBrowserApi({ token: 'tok', fetch });
    await expect(api.keys.list()).resolves.toEqual([{ kid: 'k1' }]);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/keys.list');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['X-EQ-Token']).toBe('tok');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(JSON.parse(init.body as string)).toEqual({ args: [] });
  });

  it('drops trailing undefined arguments so service defaults still apply', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { ok: true, value: { added: [], unchanged: [], upgraded: [], skipped: [] } }));
    const api = createBrowserApi({ token: 'tok', fetch });
    await api.keys.importTexts([{ name: 'a.pem', text: 'x' }], undefined);
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(JSON.parse(init.body as string)).toEqual({ args: [[{ name: 'a.pem', text: 'x' }]] });
    expect(wireArgs([1, undefined, 2, undefined])).toEqual([1, undefined, 2]);
  });

  it('turns an error envelope into a ConsoleError with the service message', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { ok: false, error: { code: 'key-not-found', message: 'No key abc.' } }));
    const api = createBrowserApi({ token: 'tok', fetch });
    const err = await api.keys.remove('abc').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConsoleError);
    expect(err).toMatchObject({ code: 'key-not-found', message: 'No key abc.' });
  });

  it("uses the server's JSON error for HTTP failures such as 401", async () => {
    const fetch = vi.fn(async () => jsonResponse(401, { ok: false, error: { code: 'forbidden', message: 'Missing or wrong access token.' } }));
    const err = await createBrowserApi({ token: 'bad', fetch })
      .app.info()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'forbidden', message: 'Missing or wrong access token.' });
  });

  it('explains a response that is not an envelope, and an unreachable server', async () => {
    const html = vi.fn(async () => new Response('<html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(createBrowserApi({ token: 't', fetch: html }).app.info()).rejects.toMatchObject({
      code: 'network',
      message: 'The console server answered 502 Bad Gateway',
    });
    const down = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(createBrowserApi({ token: 't', fetch: down }).app.info()).rejects.toMatchObject({ code: 'network' });
  });

  it('does not call the server at all without a token', async () => {
    const fetch = vi.fn();
    const err = await createBrowserApi({ token: null, fetch })
      .app.info()
      .catch((e: unknown) => e);
    expect(fetch).not.toHaveBeenCalled();
    expect((err as Error).message).toContain('access token');
  });
});

describe('access token hand-over', () => {
  function host(href: string, stored: Record<string, string> = {}) {
    const store = new Map(Object.entries(stored));
    const replaced: string[] = [];
    return {
      replaced,
      store,
      location: { href },
      history: { state: { s: 1 }, replaceState: (_d: unknown, _u: string, url?: string | URL | null) => replaced.push(String(url)) },
      sessionStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
    };
  }

  it('takes the token from the address, keeps it for the tab and removes it from the address bar', () => {
    const h = host('http://127.0.0.1:4000/?token=abc_-123&x=1#keys');
    expect(takeAccessToken(h)).toBe('abc_-123');
    expect(h.store.get(TOKEN_STORAGE_KEY)).toBe('abc_-123');
    expect(h.replaced).toEqual(['/?x=1#keys']);
  });

  it('falls back to the stored token after a reload', () => {
    const h = host('http://127.0.0.1:4000/', { [TOKEN_STORAGE_KEY]: 'kept' });
    expect(takeAccessToken(h)).toBe('kept');
    expect(h.replaced).toEqual([]);
    expect(takeAccessToken(host('http://127.0.0.1:4000/'))).toBeNull();
  });
});

describe('errorMessage', () => {
  it("keeps the first line and strips Electron's IPC prefix", () => {
    expect(errorMessage(new ConsoleError('bad-pem', 'Not a PEM key.'))).toBe('Not a PEM key.');
    expect(errorMessage(new Error('boom\n    at x (y.js:1:2)'))).toBe('boom');
    expect(errorMessage(new Error("Error invoking remote method 'keys.remove': Error: No such key"))).toBe('No such key');
    expect(errorMessage(undefined)).toBe('Something went wrong.');
    // What the Electron preload rejects with.
    expect(errorMessage({ name: 'ConsoleError', code: 'bad-pem', message: 'No key imported.' })).toBe('No key imported.');
  });
});

describe('keys state', () => {
  const key = (kid: string): KeyInfo => ({
    kid,
    purpose: 'authentication',
    type: 'private',
    use: 'signing',
    bits: 2048,
    source: 'generated',
    label: '',
    addedAt: '2025-01-01T00:00:00Z',
    publicPem: '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n',
  });
  const empty = (): ImportReport => ({ added: [], unchanged: [], upgraded: [], skipped: [] });

  function fakeApi(overrides: Partial<ConsoleApi['keys']> = {}) {
    const ring: KeyInfo[] = [key('k1')];
    const keys: ConsoleApi['keys'] = {
      list: vi.fn(async () => [...ring]),
      importTexts: vi.fn(async () => empty()),
      importRunnerCheckout: vi.fn(async () => empty()),
      assignRole: vi.fn(async () => [...ring]),
      generate: vi.fn(async () => {
        ring.push(key('k2'));
        return key('k2');
      }),
      remove: vi.fn(async (kid: string) => {
        ring.splice(
          ring.findIndex((k) => k.kid === kid),
          1,
        );
      }),
      exportPublic: vi.fn(async (kid: string) => ({ kid, fileName: 'a.pem', pem: 'PEM', keysYml: 'yml' })),
      ...overrides,
    };
    return withEvents({ keys, app: { info: vi.fn() }, tokens: {} } as unknown as ConsoleApi);
  }

  it("shows the service's own refusal of an import that took nothing, by that control", async () => {
    const refusal = 'No key imported. pasted: not a PEM key or key store';
    const api = fakeApi({
      importTexts: vi.fn(async () => {
        throw new ConsoleError('bad-pem', refusal);
      }),
    });
    const store = createConsoleStore(api);
    const ok = await store.getState().importTexts('paste', [{ name: 'pasted', text: 'garbage' }]);
    expect(ok).toBe(false);
    expect(store.getState().errors.paste).toBe(refusal);
    expect(store.getState().errors.files).toBeUndefined();
    expect(store.getState().lastImport).toBeNull();
  });

  it("keeps the page's own skips beside a service refusal", async () => {
    const api = fakeApi({
      importTexts: vi.fn(async () => {
        throw new ConsoleError('bad-pem', 'No key imported. a.pem: not a PEM key');
      }),
    });
    const store = createConsoleStore(api);
    await store.getState().importTexts('files', [{ name: 'a.pem', text: 'x' }], [{ name: 'big.pem', reason: 'too big' }]);
    expect(store.getState().errors.files).toBe('No key imported. a.pem: not a PEM key');
    expect(store.getState().lastImport).toEqual({
      source: 'files',
      report: { added: [], unchanged: [], upgraded: [], skipped: [{ name: 'big.pem', reason: 'too big' }] },
    });
  });

  it('explains, without calling the service, when the page held back every file', async () => {
    const api = fakeApi();
    const store = createConsoleStore(api);
    const ok = await store.getState().importTexts('files', [], [{ name: 'big.pem', reason: 'larger than 1024 KB, so not a key file' }]);
    expect(ok).toBe(false);
    expect(api.keys.importTexts).not.toHaveBeenCalled();
    expect(store.getState().errors.files).toBe('Nothing was imported. big.pem: larger than 1024 KB, so not a key file');
    expect(store.getState().lastImport?.report.skipped).toHaveLength(1);

    await store.getState().importTexts('files', []);
    expect(store.getState().errors.files).toBe('Nothing was imported: no key files were found.');
  });

  it('shows a thrown service error by the control that caused it', async () => {
    const api = fakeApi({
      importRunnerCheckout: vi.fn(async () => {
        throw new ConsoleError('not-found', '/nowhere does not exist.');
      }),
    });
    const store = createConsoleStore(api);
    expect(await store.getState().importRunnerCheckout('/nowhere')).toBe(false);
    expect(store.getState().errors.checkout).toBe('/nowhere does not exist.');
    expect(store.getState().busy.checkout).toBe(false);
  });

  it("passes import overrides only when set, and merges the page's own skips into the report", async () => {
    const api = fakeApi({ importTexts: vi.fn(async () => ({ ...empty(), added: [key('k9')] })) });
    const store = createConsoleStore(api);
    await store.getState().importTexts('files', [{ name: 'a.pem', text: 'x' }], [{ name: 'big.bin', reason: 'too big' }]);
    expect(api.keys.importTexts).toHaveBeenLastCalledWith([{ name: 'a.pem', text: 'x' }], undefined);
    expect(store.getState().lastImport?.report.skipped).toEqual([{ name: 'big.bin', reason: 'too big' }]);
    expect(store.getState().highlightKid).toBe('k9');

    store.getState().setOverride('purpose', 'submission');
    await store.getState().importTexts('files', [{ name: 'b.pem', text: 'y' }]);
    expect(api.keys.importTexts).toHaveBeenLastCalledWith([{ name: 'b.pem', text: 'y' }], { purpose: 'submission' });
  });

  it('generates, refreshes the list, and deletes after confirmation', async () => {
    const api = fakeApi();
    const store = createConsoleStore(api);
    await store.getState().refreshKeys();
    expect(store.getState().keys.map((k) => k.kid)).toEqual(['k1']);
    await store.getState().generate({ purpose: 'authentication', use: 'signing', bits: 2048 });
    expect(store.getState().keys.map((k) => k.kid)).toEqual(['k1', 'k2']);
    store.getState().askDelete('k1');
    expect(store.getState().pendingDelete).toBe('k1');
    await store.getState().confirmDelete();
    expect(api.keys.remove).toHaveBeenCalledWith('k1');
    expect(store.getState().pendingDelete).toBeNull();
    expect(store.getState().keys.map((k) => k.kid)).toEqual(['k2']);
  });

  it('keeps the delete dialog open with the error when removal fails', async () => {
    const api = fakeApi({
      remove: vi.fn(async () => {
        throw new ConsoleError('key-not-found', 'No key k1 in the key ring.');
      }),
    });
    const store = createConsoleStore(api);
    store.getState().askDelete('k1');
    await store.getState().confirmDelete();
    expect(store.getState().pendingDelete).toBe('k1');
    expect(store.getState().errors.delete).toBe('No key k1 in the key ring.');
  });
});
