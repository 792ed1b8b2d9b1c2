// The Downstream screen's state: every payload opened so far (from the page, a path on this
// machine, a watched folder or a Launch session's dump), which one or two are selected, and the
// decrypted payloads fetched for them. The services decrypt and validate; the page only reads.
import { isObj } from '../../../shared/downstream/check';
import { looksLikeDownstreamText } from '../../../shared/downstream/files';
import type { DownstreamItem, DownstreamResult, DownstreamSource, DownstreamWatch } from '../../../shared/downstream/types';
import { BATCH_BYTES, SourceBatcher, sourceBytes } from '../screens/downstream/model/batch';
import { canRead } from '../screens/downstream/model/items';
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
export interface OpenReport {
  slot: Exclude<DownstreamBusy, 'watch'>;
  what: string;
  items: number;
  failed: number;
  errors: number;
}

/** A file the page can read: a File, or anything with its name, size and text. */
export interface ReadableFile {
  name: string;
  size: number;
  text(): Promise<string>;
  /** Send only when the first bytes look like a payload or a log (extension-less files from folders). */
  sniff?: boolean;
}

export interface DownstreamSlice {
  downstreamItems: DownstreamItem[];
  /** Sources that could not be read or sent at all, newest last. */
  downstreamSourceErrors: SourceError[];
  downstreamBusy: Partial<Record<DownstreamBusy, boolean>>;
  /** Files read so far while the page opens a selection of its own. */
  downstreamProgress: { done: number; total: number } | null;
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

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export const createDownstreamSlice: SliceCreator<DownstreamSlice> = (set, get, api) => {
  const setBusy = (key: DownstreamBusy, value: boolean) => set((s) => ({ downstreamBusy: { ...s.downstreamBusy, [key]: value } }));
  const setError = (slot: DownstreamErrorSlot, message: string | undefined) => set((s) => ({ downstreamErrors: { ...s.downstreamErrors, [slot]: message } }));
  let watchIds = new Set<string>();
  // Bumped by clearDownstream, so results of calls made before it are dropped.
  let generation = 0;

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
    set({ downstreamReport: { slot, what, items: items.length, failed: items.filter((i) => i.failure).length, errors: errors.length } });
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
          if (file.size > limit) {
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
        next = { status: 'ready', data: await api.downstream.payload(id) };
      } catch (err) {
        next = { status: 'error', error: errorMessage(err) };
      }
      // Dropped meanwhile (cleared, or evicted after the user moved on): do not bring it back.
      if (!get().downstreamPayloads[id]) return;
      set((s) => ({ downstreamPayloads: { ...s.downstreamPayloads, [id]: next } }));
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
      set({ downstreamItems: [], downstreamSourceErrors: [], downstreamSelected: [], downstreamPayloads: {}, downstreamReport: null });
    },

    clearDownstreamError: (slot) => setError(slot, undefined),
  };
};
