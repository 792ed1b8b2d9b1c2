// The Downstream screen's state over a fake ConsoleApi: batching page sources, opening paths,
// the watch, selection and payload fetching, and the hand-off from Launch's sessions strip.
import { describe, expect, it, vi } from 'vitest';
import type { ConsoleApi } from '../../shared/api';
import { ConsoleError } from '../../shared/errors';
import type { DownstreamItem, DownstreamSource, DownstreamWatch } from '../../shared/downstream/types';
import { unwrapDump } from '../../renderer/src/state/downstream-slice';
import { createConsoleStore } from '../../renderer/src/state/store';
import { withEvents } from '../support/fake-events';

function item(id: string, over: Partial<DownstreamItem> = {}): DownstreamItem {
  return {
    id,
    source: `${id}.json`,
    kind: 'json',
    decrypted: false,
    signatureValid: null,
    payloadVersion: 'v2',
    type: 'surveyresponse',
    dataVersion: '0.0.3',
    valid: true,
    problems: [],
    summary: { txId: `tx-${id}` },
    ...over,
  };
}

function fakeApi(mode: 'browser' | 'electron' = 'browser') {
  let n = 0;
  const watchItems: DownstreamItem[] = [];
  const api = withEvents({
    app: {
      info: vi.fn(async () => ({
        mode,
        version: '0',
        configDir: '/x',
        secretStorage: '',
        activeEnvironment: { id: 'local', name: 'Local', runnerUrl: 'http://localhost:5000' },
      })),
    },
    sessions: {
      list: vi.fn(async () => [
        { id: 's1', label: 'Launch 1', title: 'Test Checkbox', url: '', canGoBack: false, canGoForward: false, loading: false, active: true, dumper: true },
      ]),
      previewSubmission: vi.fn(async (): Promise<unknown> => ({ tx_id: 'dumped', data: { answers: [] } })),
    },
    downstream: {
      open: vi.fn(async (sources: DownstreamSource[]) => ({
        items: sources.map((s) => item(`i${++n}`, { source: s.kind === 'text' ? s.name : s.path })),
        errors: sources
          .filter((s) => s.kind === 'path' && s.path.includes('missing'))
          .map((s) => ({ source: (s as { path: string }).path, message: 'no such folder' })),
      })),
      payload: vi.fn(async (id: string) => ({ tx_id: `tx-${id}`, data: { answers: [] } })),
      watchStart: vi.fn(async (path: string): Promise<DownstreamWatch> => ({ id: 'w1', path, items: [...watchItems], errors: [] })),
      watchStop: vi.fn(async () => undefined),
    },
    addWatchItem: (i: DownstreamItem) => watchItems.push(i),
  });
  return api;
}

async function ready(mode: 'browser' | 'electron' = 'browser') {
  const api = fakeApi(mode);
  const store = createConsoleStore(api as unknown as ConsoleApi & typeof api);
  await store.getState().loadInfo();
  return { api, s: () => store.getState() };
}

const file = (name: string, text: string) => ({ name, size: text.length, text: async () => text });

describe('opening from the page', () => {
  it('opens pasted text and selects the one payload it held', async () => {
    const { api, s } = await ready();
    const found = await s().openDownstreamTexts('paste', [{ name: 'pasted text', text: '{"tx_id":"x"}' }]);
    expect(api.downstream.open).toHaveBeenCalledWith([{ kind: 'text', name: 'pasted text', text: '{"tx_id":"x"}' }]);
    expect(found).toHaveLength(1);
    expect(s().downstreamSelected).toEqual([found[0]!.id]);
    expect(s().downstreamReport).toMatchObject({ slot: 'paste', opened: 1, failed: 0 });
    await vi.waitFor(() => expect(s().downstreamPayloads[found[0]!.id]?.status).toBe('ready'));
  });

  it('reads files and sends them in batches under the 20 MB request limit', async () => {
    const { api, s } = await ready();
    const big = 'x'.repeat(6 * 1024 * 1024);
    const files = [file('a.jwe', big), file('b.jwe', big), file('c.jwe', big), file('d.json', '{}')];
    const found = await s().openDownstreamFiles(files);
    expect(found).toHaveLength(4);
    const calls = api.downstream.open.mock.calls.map((c) => c[0].map((src) => (src.kind === 'text' ? src.name : src.path)));
    expect(calls).toEqual([
      ['a.jwe', 'b.jwe'],
      ['c.jwe', 'd.json'],
    ]);
    for (const [batch] of api.downstream.open.mock.calls) expect(Buffer.byteLength(JSON.stringify({ args: [batch] }))).toBeLessThan(20 * 1024 * 1024);
    expect(s().downstreamItems.map((i) => i.source)).toEqual(['a.jwe', 'b.jwe', 'c.jwe', 'd.json']);
    expect(s().downstreamProgress).toBeNull();
    // Several payloads: none is picked for the user.
    expect(s().downstreamSelected).toEqual([]);
  });

  it('refuses, in words, a file too big for one request in browser mode, and opens the rest', async () => {
    const { api, s } = await ready();
    const huge = { name: 'huge.log', size: 30 * 1024 * 1024, text: vi.fn(async () => '') };
    const found = await s().openDownstreamFiles([huge, file('ok.json', '{}')], [{ source: 'skipped.bin', message: 'not read' }]);
    expect(huge.text).not.toHaveBeenCalled();
    expect(found.map((i) => i.source)).toEqual(['ok.json']);
    expect(api.downstream.open).toHaveBeenCalledTimes(1);
    expect(s().downstreamSourceErrors.map((e) => e.source)).toEqual(['skipped.bin', 'huge.log']);
    expect(s().downstreamSourceErrors[1]!.message).toMatch(/too big for the page to send \(30\.0 MB.*Open a folder on this machine/);
    expect(s().downstreamReport).toMatchObject({ opened: 1, errors: 2 });
  });

  it('sends an extension-less file from a folder only when it reads like a payload', async () => {
    const { api, s } = await ready();
    await s().openDownstreamFiles([
      { ...file('out/ea82c224', 'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d'), sniff: true },
      { ...file('out/LICENSE', 'MIT License'), sniff: true },
    ]);
    expect(api.downstream.open.mock.calls.flatMap((c) => c[0].map((src) => (src.kind === 'text' ? src.name : '')))).toEqual(['out/ea82c224']);
  });

  it('lets the desktop app send what browser mode could not', async () => {
    const { api, s } = await ready('electron');
    const text = 'x'.repeat(20 * 1024 * 1024);
    await s().openDownstreamFiles([file('big.log', text)]);
    expect(api.downstream.open).toHaveBeenCalledTimes(1);
    expect(s().downstreamSourceErrors).toEqual([]);
  });

  it("shows the service's own message when opening fails", async () => {
    const { api, s } = await ready();
    api.downstream.open.mockRejectedValueOnce(new ConsoleError('bad-input', 'The key ring has no submission keys.'));
    await s().openDownstreamTexts('paste', [{ name: 'pasted text', text: 'eyJ' }]);
    expect(s().downstreamErrors.paste).toBe('The key ring has no submission keys.');
    expect(s().downstreamBusy.paste).toBe(false);
  });
});

describe('opening on this machine', () => {
  it('opens a path and lists sources that could not be read', async () => {
    const { api, s } = await ready();
    await s().openDownstreamPath('/data/missing');
    expect(api.downstream.open).toHaveBeenCalledWith([{ kind: 'path', path: '/data/missing' }]);
    expect(s().downstreamSourceErrors).toEqual([{ source: '/data/missing', message: 'no such folder' }]);
    expect(s().downstreamReport).toMatchObject({ slot: 'path', what: '/data/missing', errors: 1 });
  });

  it('watches a folder: new items arrive with downstream.watch events, each listed once', async () => {
    const { api, s } = await ready();
    api.addWatchItem(item('w-a'));
    await s().startDownstreamWatch('/w');
    expect(s().downstreamWatch).toMatchObject({ id: 'w1', path: '/w', seen: 1 });
    const watch = (items: DownstreamItem[], over: Partial<DownstreamWatch> = {}) =>
      api.emit({ type: 'downstream.watch', watch: { id: 'w1', path: '/w', items, errors: [], ...over } });
    watch([item('w-b'), item('w-c')]);
    expect(s().downstreamItems.map((i) => i.id)).toEqual(['w-a', 'w-b', 'w-c']);
    expect(s().downstreamWatch?.seen).toBe(3);
    // Handed over again, nothing is listed twice; another watch's news is not this one's.
    watch([item('w-a'), item('w-b'), item('w-c')]);
    api.emit({ type: 'downstream.watch', watch: { id: 'w9', path: '/other', items: [item('x')], errors: [] } });
    expect(s().downstreamItems).toHaveLength(3);
    await s().stopDownstreamWatch();
    expect(api.downstream.watchStop).toHaveBeenCalledWith('w1');
    expect(s().downstreamWatch).toBeNull();
  });

  it('says so when the watch ends by itself (its folder went)', async () => {
    const { api, s } = await ready();
    await s().startDownstreamWatch('/w');
    api.emit({ type: 'downstream.watch', watch: { id: 'w1', path: '/w', items: [], errors: [], ended: '/w is gone.' } });
    expect(s().downstreamWatch).toBeNull();
    expect(s().downstreamErrors.watch).toBe('Stopped watching /w: /w is gone.');
  });
});

describe('selection and payloads', () => {
  it('reads one, compares two, and a third pick replaces the older', async () => {
    const { api, s } = await ready();
    await s().openDownstreamTexts('files', [
      { name: 'a', text: '{}' },
      { name: 'b', text: '{}' },
      { name: 'c', text: '{}' },
    ]);
    const [a, b, c] = s().downstreamItems.map((i) => i.id) as [string, string, string];
    s().selectDownstream(a);
    s().selectDownstream(b, 'toggle');
    expect(s().downstreamSelected).toEqual([a, b]);
    s().selectDownstream(c, 'toggle');
    expect(s().downstreamSelected).toEqual([b, c]);
    s().selectDownstream(b, 'toggle');
    expect(s().downstreamSelected).toEqual([c]);
    s().selectDownstream(a);
    expect(s().downstreamSelected).toEqual([a]);
    await vi.waitFor(() => expect(s().downstreamPayloads[a]).toEqual({ status: 'ready', data: { tx_id: `tx-${a}`, data: { answers: [] } } }));
    expect(new Set(api.downstream.payload.mock.calls.map((c) => c[0]))).toEqual(new Set([a, b, c]));
  });

  it('does not ask for the payload of an item that could not be decrypted', async () => {
    const { api, s } = await ready();
    api.downstream.open.mockResolvedValueOnce({
      items: [item('bad', { kind: 'jwe', decrypted: false, valid: false, failure: { stage: 'decrypt', message: 'cannot decrypt: it wants kid abc' } })],
      errors: [],
    });
    await s().openDownstreamTexts('paste', [{ name: 'pasted text', text: 'eyJ' }]);
    expect(s().downstreamSelected).toEqual(['bad']);
    expect(api.downstream.payload).not.toHaveBeenCalled();
  });

  it('does not ask for the payload of an item whose signature failed: it was decrypted, but the services hold no payload for it', async () => {
    const { api, s } = await ready();
    const failure = { stage: 'signature' as const, message: 'Signature invalid (kid fe42): the signature does not match.' };
    api.downstream.open.mockResolvedValueOnce({
      items: [
        item('forged', { kind: 'jwe', decrypted: true, signatureValid: false, valid: false, failure, jweHeader: { kid: 'a' }, jwsHeader: { kid: 'fe42' } }),
      ],
      errors: [],
    });
    await s().openDownstreamTexts('paste', [{ name: 'pasted text', text: 'eyJ' }]);
    expect(s().downstreamSelected).toEqual(['forged']);
    expect(api.downstream.payload).not.toHaveBeenCalled();
    expect(s().downstreamPayloads.forged).toBeUndefined();
  });

  it('reports a payload that cannot be fetched; a refusal from the services is not offered again', async () => {
    const { api, s } = await ready();
    api.downstream.payload.mockRejectedValueOnce(new ConsoleError('not-found', 'There is no downstream item i1 any more: open its source again.'));
    await s().openDownstreamTexts('paste', [{ name: 'pasted text', text: '{}' }]);
    await vi.waitFor(() => expect(s().downstreamPayloads.i1?.status).toBe('error'));
    expect(s().downstreamPayloads.i1?.error).toContain('open its source again');
    expect(s().downstreamPayloads.i1?.retryable).toBe(false);
  });

  it('offers to fetch again when the call did not get through', async () => {
    const { api, s } = await ready();
    api.downstream.payload.mockRejectedValueOnce(new ConsoleError('network', 'Cannot reach the console server. Is it still running?'));
    await s().openDownstreamTexts('paste', [{ name: 'pasted text', text: '{}' }]);
    await vi.waitFor(() => expect(s().downstreamPayloads.i1?.status).toBe('error'));
    expect(s().downstreamPayloads.i1?.retryable).toBe(true);
    await s().loadDownstreamPayload('i1');
    expect(s().downstreamPayloads.i1?.status).toBe('ready');
  });

  it('keeps only a few payloads besides the selected ones', async () => {
    const { s } = await ready();
    await s().openDownstreamTexts(
      'files',
      Array.from({ length: 10 }, (_, i) => ({ name: `f${i}`, text: '{}' })),
    );
    for (const i of s().downstreamItems) {
      s().selectDownstream(i.id);
      await vi.waitFor(() => expect(s().downstreamPayloads[i.id]?.status).toBe('ready'));
    }
    const kept = Object.keys(s().downstreamPayloads);
    expect(kept.length).toBeLessThanOrEqual(5);
    expect(kept).toContain(s().downstreamSelected[0]);
  });

  it('clears the list, and drops answers to calls made before', async () => {
    const { api, s } = await ready();
    let release!: () => void;
    api.downstream.open.mockImplementationOnce(
      (sources: DownstreamSource[]) => new Promise((resolve) => (release = () => resolve({ items: sources.map((_, i) => item(`late${i}`)), errors: [] }))),
    );
    const pending = s().openDownstreamPath('/slow');
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    s().clearDownstream();
    release();
    await pending;
    expect(s().downstreamItems).toEqual([]);
  });
});

describe('the hand-off from Launch', () => {
  it("switches to Downstream and opens the session's dump as text named after the session", async () => {
    const { api, s } = await ready();
    await s().loadSessions();
    s().setScreen('launch');
    await s().openSubmissionDump('s1');
    expect(s().screen).toBe('downstream');
    expect(api.downstream.open).toHaveBeenCalledWith([
      { kind: 'text', name: 'dump of Test Checkbox', text: JSON.stringify({ tx_id: 'dumped', data: { answers: [] } }) },
    ]);
    expect(s().downstreamSelected).toHaveLength(1);
    expect(s().downstreamItems[0]!.source).toBe('dump of Test Checkbox');
  });

  it("unwraps the runner's {submission} body when a transport passes it on", async () => {
    expect(unwrapDump({ submission: { tx_id: 'x' } })).toEqual({ tx_id: 'x' });
    expect(unwrapDump({ submission: 1, other: 2 })).toEqual({ submission: 1, other: 2 });
    const { api, s } = await ready();
    api.sessions.previewSubmission.mockResolvedValueOnce({ submission: { tx_id: 'wrapped' } });
    await s().openSubmissionDump('s1');
    expect(api.downstream.open.mock.calls[0]![0][0]).toMatchObject({ text: '{"tx_id":"wrapped"}' });
  });

  it("says which session's dump failed, on the Downstream screen", async () => {
    const { api, s } = await ready();
    await s().loadSessions();
    api.sessions.previewSubmission.mockRejectedValueOnce(new ConsoleError('forbidden', 'The runner answered 401 to http://localhost:5000/dump/submission'));
    await s().openSubmissionDump('s1');
    expect(s().screen).toBe('downstream');
    expect(s().downstreamErrors.dump).toBe('Could not get the submission of Test Checkbox: The runner answered 401 to http://localhost:5000/dump/submission');
    expect(api.downstream.open).not.toHaveBeenCalled();
  });
});
