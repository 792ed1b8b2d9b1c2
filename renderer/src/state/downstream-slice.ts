// The Downstream screen's state: every payload opened so far (from the page, a path on this
// machine, a watched folder or a Launch session's dump), which one or two are selected, and the
// decrypted payloads fetched for them. The services decrypt and validate; the page only reads.
// In browser mode a plain JSON file the user picks is opened by the page's worker instead
// (screens/downstream/local): read once, never uploaded. A payload of more than PAGED_ANSWERS
// answers is held without them, and its answers table asks for windows (downstreamAnswers).
import { ANSWER_PAGE, FIRST_QUERY, PAGED_ANSWERS, queryKey, type AnswerPage, type AnswerWindow } from '../../../shared/downstream/answer-query';
import { isObj } from '../../../shared/downstream/check';
import { looksLikeDownstreamText, MAX_DOWNSTREAM_FILE_BYTES } from '../../../shared/downstream/files';
import type { DownstreamItem, DownstreamResult, DownstreamSource, DownstreamWatch } from '../../../shared/downstream/types';
import type { OpenProgress } from '../screens/downstream/local/payload-host';
import { startLocalPayloads, type LocalPayloadClient } from '../screens/downstream/local/client';
import type { AnswerSource } from '../screens/downstream/model/answer-pager';
import { BATCH_BYTES, SourceBatcher, sourceBytes } from '../screens/downstream/model/batch';
import { canRead } from '../screens/downstream/model/items';
import { openCounts, type OpenCounts } from '../screens/downstream/model/report';
import { errorMessage } from './errors';
import type { SliceCreator } from './types';

/** Payloads kept in memory besides the selected ones: a 100,000-answer payload is tens of MB. */
const KEEP_PAYLOADS = 4;

export type DownstreamErrorSlot = 'files' | 'paste' | 'path' | 'watch' | 'payload' | 'dump';
export type DownstreamBusy = 'files' | 'paste' | 'path' | 'watch' | 'dump';

export interface PayloadState {
  status: 'loading' | 'ready' | 'error';
  data?: unknown;
  error?: string;
  /** The call did not get through (the server, the transport): asking again may work. False when the services said no for good. */
  retryable?: boolean;
  /** data.answers was left out of data: the answers table asks answerSource for windows of them. */
  paged?: boolean;
}

/** Where a paged payload's answers come from, and the first window when it came with the payload. */
export interface AnswersOf {
  source: AnswerSource;
  initial?: { query: typeof FIRST_QUERY; page: AnswerPage };
}

/** An open the page's worker is doing: which file, and how far it is. */
export interface OpeningState {
  name: string;
  progress: OpenProgress;
}

export interface SourceError {
  source: string;
  message: string;
}

export interface DownstreamWatchState {
  id: string;
  path: string;
  /** How many items the watch has handed over so far. */
  seen: number;
  errors: SourceError[];
  /** When it last told the page something (a downstream.watch event). */
  checkedAt: string | null;
}

/** What the last open found, for a one-line report beside the inputs. */
export interface OpenReport extends OpenCounts {
  slot: Exclude<DownstreamBusy, 'watch'>;
  what: string;
}

/** A file the page can read: a File, or anything with its name, size and text. */
export interface ReadableFile {
  name: string;
  size: number;
  text(): Promise<string>;
  /** Send only when the first bytes look like a payload or a log (extension-less files from folders). */
  sniff?: boolean;
  /** The File itself: in browser mode a plain JSON payload file goes to the page's worker, not the services. */
  file?: File;
}

export interface DownstreamSlice {
  downstreamItems: DownstreamItem[];
  /** Sources that could not be read or sent at all, newest last. */
  downstreamSourceErrors: SourceError[];
  downstreamBusy: Partial<Record<DownstreamBusy, boolean>>;
  /** Files read so far while the page opens a selection of its own. */
  downstreamProgress: { done: number; total: number } | null;
  /** The file the page's worker is opening, and how far it is. */
  downstreamOpening: OpeningState | null;
  downstreamErrors: Partial<Record<DownstreamErrorSlot, string>>;
  downstreamReport: OpenReport | null;
  /** Up to two item ids: one is read, two are compared (oldest selection first). */
  downstreamSelected: string[];
  downstreamPayloads: Record<string, PayloadState>;
  downstreamWatch: DownstreamWatchState | null;

  openDownstreamTexts(slot: 'files' | 'paste', texts: { name: string; text: string }[], skipped?: SourceError[]): Promise<DownstreamItem[]>;
  openDownstreamFiles(files: ReadableFile[], skipped?: SourceError[]): Promise<DownstreamItem[]>;
  openDownstreamPath(path: string): Promise<DownstreamItem[]>;
  /** Launch's "Preview submission": the session's /dump/submission opened here. */
  openSubmissionDump(sessionId: string): Promise<void>;
  selectDownstream(id: string, how?: 'only' | 'toggle'): void;
  clearDownstreamSelection(): void;
  loadDownstreamPayload(id: string): Promise<void>;
  /** Where a paged payload's answers come from (the services, or the page's worker). */
  downstreamAnswers(id: string): AnswersOf;
  /** The whole payload, answers and all (a comparison of a paged payload needs it). */
  downstreamFullPayload(id: string): Promise<unknown>;
  /** The whole payload as Export JSON writes it. */
  downstreamPayloadJson(id: string): Promise<string>;
  startDownstreamWatch(path: string): Promise<void>;
  /** What a downstream.watch event brings: the new items, the errors, or the end of the watch. */
  watchReported(watch: DownstreamWatch): void;
  stopDownstreamWatch(): Promise<void>;
  clearDownstream(): void;
  clearDownstreamError(slot: DownstreamErrorSlot): void;
}

/** The runner answers /dump/submission with {submission: …}; a transport that passes that on as-is still works. */
export function unwrapDump(value: unknown): unknown {
  return isObj(value) && Object.keys(value).length === 1 && 'submission' in value ? value.submission : value;
}

/**
 * A refusal from the services (the item is gone, its file changed, it has no payload) is the same
 * next time; only a call that did not get through, or failed inside, is worth trying again.
 */
function mightPassLater(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined;
  return code === undefined || code === 'network' || code === 'internal';
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Items the page's worker opened have ids of their own, never one the services hand out (ds-…). */
const LOCAL_PREFIX = 'page-';
export const isLocalItem = (id: string) => id.startsWith(LOCAL_PREFIX);
const isJsonName = (name: string) => name.toLowerCase().endsWith('.json');
const isPaged = (item: DownstreamItem | undefined) => (item?.summary.answers ?? 0) > PAGED_ANSWERS;

export const createDownstreamSlice: SliceCreator<DownstreamSlice> = (set, get, api) => {
  const setBusy = (key: DownstreamBusy, value: boolean) => set((s) => ({ downstreamBusy: { ...s.downstreamBusy, [key]: value } }));
  const setError = (slot: DownstreamErrorSlot, message: string | undefined) => set((s) => ({ downstreamErrors: { ...s.downstreamErrors, [slot]: message } }));
  let watchIds = new Set<string>();
  // Bumped by clearDownstream, so results of calls made before it are dropped.
  let generation = 0;
  // The page's payload worker: started for the first plain JSON file picked in browser mode.
  let local: LocalPayloadClient | null | undefined;
  let localItems = 0;
  /** The first window of a paged payload's answers, fetched with it (the worker's, or a request made beside the payload's). */
  const firstPages = new Map<string, AnswerPage>();
  const prefetched = new Map<string, Promise<AnswerPage>>();

  /** The worker, started the first time it is wanted; only in browser mode (the desktop app hands files to the Node side over IPC). */
  async function startLocal(): Promise<LocalPayloadClient | null> {
    if (local !== undefined) return local;
    // A file picked as the page comes up may come before the page's own app.info has answered.
    const mode =
      get().info?.mode ??
      (await api.app.info().then(
        (info) => info.mode,
        () => undefined,
      ));
    if (mode === undefined) return null;
    local ??= mode === 'browser' ? startLocalPayloads() : null;
    return local;
  }

  /** The worker that opened the page's own items (page-…). */
  const localHost = () => local ?? null;

  /**
   * A plain JSON payload file, opened by the page's worker: listed like any item, and its payload
   * (without its answers, when it has many) ready to read. Its text comes back when it is something
   * else, for the services to open (a log, an array, a JWE record).
   */
  async function openLocal(
    host: LocalPayloadClient,
    file: ReadableFile & { file: File },
    gen: number,
    found: DownstreamItem[],
  ): Promise<'listed' | 'unreadable' | { text: string }> {
    const itemId = `${LOCAL_PREFIX}${++localItems}`;
    set({ downstreamOpening: { name: file.name, progress: { stage: 'reading', done: 0, total: file.size } } });
    try {
      const opened = await host.open(itemId, file.file, (progress) => {
        if (gen === generation) set({ downstreamOpening: { name: file.name, progress } });
      });
      if (opened.kind === 'not-plain') return { text: opened.text };
      if (gen !== generation) {
        void host.drop([itemId]).catch(() => {});
        return 'listed';
      }
      const item: DownstreamItem = { id: itemId, source: file.name, ...opened.item };
      if (opened.first) firstPages.set(itemId, opened.first);
      set((s) => ({
        downstreamPayloads: { ...s.downstreamPayloads, [itemId]: { status: 'ready', data: opened.payload, ...(opened.paged ? { paged: true } : {}) } },
      }));
      found.push(...addItems([item], []));
      return 'listed';
    } catch {
      // The worker could not do it (it failed to start, say): the services open the file as before.
      return file.text().then(
        (text) => ({ text }),
        () => 'unreadable' as const,
      );
    } finally {
      set({ downstreamOpening: null });
    }
  }

  /** Adds items not yet listed (a watch can hand one over twice), keeping arrival order. */
  function addItems(items: DownstreamItem[], errors: SourceError[]): DownstreamItem[] {
    const known = new Set(get().downstreamItems.map((i) => i.id));
    const fresh = items.filter((i) => !known.has(i.id) && (known.add(i.id), true));
    if (fresh.length || errors.length) {
      set((s) => ({
        downstreamItems: fresh.length ? [...s.downstreamItems, ...fresh] : s.downstreamItems,
        downstreamSourceErrors: errors.length ? [...s.downstreamSourceErrors, ...errors] : s.downstreamSourceErrors,
      }));
    }
    return fresh;
  }

  /** One payload opened on its own (a paste, a dump) is what the user wants to read next. */
  function selectIfOne(items: DownstreamItem[]) {
    if (items.length === 1) get().selectDownstream(items[0]!.id, 'only');
  }

  const batchLimit = () => (get().info?.mode === 'electron' ? 16 * BATCH_BYTES : BATCH_BYTES);

  async function send(batch: DownstreamSource[], gen: number, found: DownstreamItem[], errors: SourceError[]) {
    const result: DownstreamResult = await api.downstream.open(batch);
    if (gen !== generation) return;
    found.push(...addItems(result.items, result.errors));
    errors.push(...result.errors);
  }

  function report(slot: OpenReport['slot'], what: string, items: DownstreamItem[], errors: SourceError[]) {
    set({ downstreamReport: { slot, what, ...openCounts(items, errors.length) } });
  }

  /**
   * The start of every open: the slot busy and its error cleared, and the lists its batches fill.
   * Sources refused before sending (skipped, too big) are listed as errors straight away.
   */
  function beginOpen(slot: Exclude<DownstreamBusy, 'watch'>, skipped: SourceError[]) {
    setBusy(slot, true);
    setError(slot, undefined);
    const found: DownstreamItem[] = [];
    const errors: SourceError[] = [...skipped];
    if (skipped.length) addItems([], skipped);
    const refuse = (e: SourceError) => {
      errors.push(e);
      addItems([], [e]);
    };
    return { found, errors, refuse };
  }

  async function openSources(slot: Exclude<DownstreamBusy, 'watch'>, what: string, sources: DownstreamSource[], skipped: SourceError[] = []) {
    const gen = generation;
    const { found, errors, refuse } = beginOpen(slot, skipped);
    try {
      const batcher = new SourceBatcher(batchLimit());
      for (const source of sources) {
        const r = batcher.add(source);
        if (r.tooBig) refuse(tooBigError(source));
        if (r.ready) await send(r.ready, gen, found, errors);
      }
      const rest = batcher.flush();
      if (rest) await send(rest, gen, found, errors);
      report(slot, what, found, errors);
      return found;
    } catch (err) {
      setError(slot, errorMessage(err));
      return found;
    } finally {
      setBusy(slot, false);
    }
  }

  const tooBigMessage = (bytes: number) =>
    `too big for the page to send (${mb(bytes)}; one request holds at most ${mb(batchLimit())}): open it with "Open a folder on this machine" instead`;
  const tooBigError = (source: DownstreamSource): SourceError =>
    source.kind === 'text'
      ? { source: source.name, message: tooBigMessage(sourceBytes(source)) }
      : { source: source.path, message: tooBigMessage(sourceBytes(source)) };

  function keepPayloads(selected: string[]) {
    const payloads = get().downstreamPayloads;
    const ids = Object.keys(payloads);
    if (ids.length <= KEEP_PAYLOADS + selected.length) return;
    // Object keys keep insertion order: the oldest fetched go first.
    const drop = ids.filter((id) => !selected.includes(id)).slice(0, ids.length - KEEP_PAYLOADS - selected.length);
    if (!drop.length) return;
    const next = { ...payloads };
    for (const id of drop) delete next[id];
    set({ downstreamPayloads: next });
  }

  return {
    downstreamItems: [],
    downstreamSourceErrors: [],
    downstreamBusy: {},
    downstreamProgress: null,
    downstreamOpening: null,
    downstreamErrors: {},
    downstreamReport: null,
    downstreamSelected: [],
    downstreamPayloads: {},
    downstreamWatch: null,

    async openDownstreamTexts(slot, texts, skipped = []) {
      const what = slot === 'paste' ? 'the pasted text' : texts.length === 1 ? texts[0]!.name : `${texts.length} files`;
      const found = await openSources(
        slot,
        what,
        texts.map((t) => ({ kind: 'text', name: t.name, text: t.text })),
        skipped,
      );
      selectIfOne(found);
      return found;
    },

    async openDownstreamFiles(files, skipped = []) {
      // Read and sent batch by batch, so a big selection never sits in the page all at once.
      const gen = generation;
      const { found, errors, refuse } = beginOpen('files', skipped);
      set({ downstreamProgress: { done: 0, total: files.length } });
      const limit = batchLimit();
      try {
        const batcher = new SourceBatcher(limit);
        let done = 0;
        for (const file of files) {
          if (gen !== generation) break;
          const host = file.file && isJsonName(file.name) && file.size <= MAX_DOWNSTREAM_FILE_BYTES ? await startLocal() : null;
          if (host) {
            // What was read before it goes first, so the list keeps the order of the files.
            const before = batcher.flush();
            if (before) await send(before, gen, found, errors);
            const outcome = await openLocal(host, file as ReadableFile & { file: File }, gen, found);
            if (outcome === 'unreadable') refuse({ source: file.name, message: 'the browser could not read this file' });
            else if (outcome !== 'listed') {
              const source: DownstreamSource = { kind: 'text', name: file.name, text: outcome.text };
              const r = batcher.add(source);
              if (r.tooBig) refuse(tooBigError(source));
              if (r.ready) await send(r.ready, gen, found, errors);
            }
          } else if (file.size > limit) {
            refuse({ source: file.name, message: tooBigMessage(file.size) });
          } else {
            let text: string | null = null;
            try {
              text = await file.text();
            } catch {
              refuse({ source: file.name, message: 'the browser could not read this file' });
            }
            if (text !== null && file.sniff && !looksLikeDownstreamText(text.slice(0, 4096))) text = null;
            if (text !== null) {
              const source: DownstreamSource = { kind: 'text', name: file.name, text };
              const r = batcher.add(source);
              if (r.tooBig) refuse(tooBigError(source));
              if (r.ready) await send(r.ready, gen, found, errors);
            }
          }
          done++;
          if (done % 25 === 0 || done === files.length) set({ downstreamProgress: { done, total: files.length } });
        }
        const rest = batcher.flush();
        if (rest && gen === generation) await send(rest, gen, found, errors);
        report('files', files.length === 1 ? files[0]!.name : `${files.length} files`, found, errors);
        selectIfOne(found);
      } catch (err) {
        setError('files', errorMessage(err));
      } finally {
        setBusy('files', false);
        set({ downstreamProgress: null });
      }
      return found;
    },

    async openDownstreamPath(path) {
      const found = await openSources('path', path, [{ kind: 'path', path }]);
      selectIfOne(found);
      return found;
    },

    async openSubmissionDump(sessionId) {
      const session = get().sessions.find((s) => s.id === sessionId);
      const label = session?.title || session?.label || sessionId;
      get().setScreen('downstream');
      setBusy('dump', true);
      setError('dump', undefined);
      let payload: unknown;
      try {
        payload = unwrapDump(await api.sessions.previewSubmission(sessionId));
      } catch (err) {
        setError('dump', `Could not get the submission of ${label}: ${errorMessage(err)}`);
        setBusy('dump', false);
        return;
      }
      setBusy('dump', false);
      const name = `dump of ${label}`;
      const found = await openSources('dump', name, [{ kind: 'text', name, text: JSON.stringify(payload) }]);
      if (get().downstreamErrors.dump) setError('dump', `Could not open the ${name}: ${get().downstreamErrors.dump}`);
      selectIfOne(found);
    },

    selectDownstream(id, how = 'only') {
      const current = get().downstreamSelected;
      let next: string[];
      if (how === 'only') next = [id];
      else if (current.includes(id)) next = current.filter((x) => x !== id);
      // A third pick replaces the older of the two, so the newest pair is compared.
      else next = [...current, id].slice(-2);
      set({ downstreamSelected: next });
      setError('payload', undefined);
      for (const sel of next) {
        const item = get().downstreamItems.find((i) => i.id === sel);
        if (item && canRead(item) && !get().downstreamPayloads[sel]) void get().loadDownstreamPayload(sel);
      }
      keepPayloads(next);
    },

    clearDownstreamSelection() {
      set({ downstreamSelected: [] });
    },

    async loadDownstreamPayload(id) {
      const existing = get().downstreamPayloads[id];
      if (existing?.status === 'loading') return;
      set((s) => ({ downstreamPayloads: { ...s.downstreamPayloads, [id]: { status: 'loading' } } }));
      let next: PayloadState;
      try {
        const paged = isPaged(get().downstreamItems.find((i) => i.id === id));
        let data: unknown;
        if (isLocalItem(id)) {
          const host = localHost();
          if (!host) throw new Error('This page no longer holds the payload: open its file again.');
          data = await host.outline(id);
        } else if (paged) {
          // The first window of answers is asked for beside the payload, not after it.
          const window: AnswerWindow = { ...FIRST_QUERY, start: 0, end: ANSWER_PAGE };
          const first = api.downstream.answers(id, window);
          first.catch(() => {});
          prefetched.set(`${id} ${queryKey(window)} 0`, first);
          data = await api.downstream.payload(id, { withoutAnswers: true });
        } else {
          data = await api.downstream.payload(id);
        }
        next = { status: 'ready', data, ...(paged ? { paged: true } : {}) };
      } catch (err) {
        next = { status: 'error', error: errorMessage(err), retryable: mightPassLater(err) };
      }
      // Dropped meanwhile (cleared, or evicted after the user moved on): do not bring it back.
      if (!get().downstreamPayloads[id]) return;
      set((s) => ({ downstreamPayloads: { ...s.downstreamPayloads, [id]: next } }));
    },

    downstreamAnswers(id) {
      const host = isLocalItem(id) ? localHost() : null;
      if (host) {
        const first = firstPages.get(id);
        return {
          source: { page: (w) => host.answers(id, w), csv: (q) => host.csv(id, q) },
          ...(first ? { initial: { query: FIRST_QUERY, page: first } } : {}),
        };
      }
      return {
        source: {
          page: (w) => {
            const key = `${id} ${queryKey(w)} ${w.start}`;
            const early = w.find === undefined && w.end === w.start + ANSWER_PAGE ? prefetched.get(key) : undefined;
            prefetched.delete(key);
            return early ?? api.downstream.answers(id, w);
          },
          csv: (q) => api.downstream.answersCsv(id, q),
        },
      };
    },

    async downstreamFullPayload(id) {
      if (!isLocalItem(id)) return api.downstream.payload(id);
      const host = localHost();
      if (!host) throw new Error('This page no longer holds the payload: open its file again.');
      return host.full(id);
    },

    async downstreamPayloadJson(id) {
      const host = isLocalItem(id) ? localHost() : null;
      if (host) return host.json(id);
      return `${JSON.stringify(await get().downstreamFullPayload(id), null, 2)}\n`;
    },

    async startDownstreamWatch(path) {
      if (get().downstreamWatch) await get().stopDownstreamWatch();
      setBusy('watch', true);
      setError('watch', undefined);
      try {
        const w = await api.downstream.watchStart(path);
        watchIds = new Set(w.items.map((i) => i.id));
        addItems(w.items, []);
        set({ downstreamWatch: { id: w.id, path: w.path, seen: watchIds.size, errors: w.errors, checkedAt: new Date().toISOString() } });
      } catch (err) {
        setError('watch', errorMessage(err));
      } finally {
        setBusy('watch', false);
      }
    },

    watchReported(w) {
      const watch = get().downstreamWatch;
      // Another watch's news (one stopped meanwhile) is not this one's.
      if (watch?.id !== w.id) return;
      // Counting distinct ids is right however often an item is handed over.
      for (const item of w.items) watchIds.add(item.id);
      addItems(w.items, []);
      if (w.ended) {
        set({ downstreamWatch: null });
        setError('watch', `Stopped watching ${watch.path}: ${w.ended}`);
        return;
      }
      set({ downstreamWatch: { ...watch, seen: watchIds.size, errors: w.errors, checkedAt: new Date().toISOString() } });
    },

    async stopDownstreamWatch() {
      const watch = get().downstreamWatch;
      if (!watch) return;
      set({ downstreamWatch: null });
      try {
        await api.downstream.watchStop(watch.id);
      } catch (err) {
        setError('watch', errorMessage(err));
      }
    },

    clearDownstream() {
      generation++;
      firstPages.clear();
      prefetched.clear();
      if (local) void local.drop().catch(() => {});
      set({ downstreamItems: [], downstreamSourceErrors: [], downstreamSelected: [], downstreamPayloads: {}, downstreamReport: null });
    },

    clearDownstreamError: (slot) => setError(slot, undefined),
  };
};
