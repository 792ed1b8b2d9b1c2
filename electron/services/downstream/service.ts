// ConsoleApi['downstream']: open files, folders, logs and texts; hand out payloads on demand, and
// a big payload's answers in windows; watch folders. Items are small and kept; payloads are kept
// only for recent items (PayloadCache) and otherwise opened again from their file, or from the
// text kept with the item. A payload's answers table (shared/downstream/answer-table.ts) lives as
// long as the cached payload it was built from.
import path from 'node:path';
import type { ConsoleApi, PayloadOptions } from '../../../shared/api';
import { isObj } from '../../../shared/downstream/check';
import { AnswerTable, withoutAnswers, type AnswerPage, type AnswerQuery, type AnswerWindow } from '../../../shared/downstream/answer-table';
import type { DownstreamItem, DownstreamResult, DownstreamSource, DownstreamWatch } from '../../../shared/downstream/types';
import { ConsoleError } from '../../../shared/errors';
import type { KeyRing } from '../keyring/keyring';
import type { Candidate } from './extract';
import { openCandidate, submissionKeys } from './open';
import { digestOf } from './outputs';
import { PayloadCache } from './payload-cache';
import { type OpenOptions, openEvents } from './pipeline';
import { expandSources, type SourceEvent, type SourceInput } from './sources';
import type { Emit } from '../events';
import { refuseConfigFile } from '../keyring/secret-guard';
import { FolderWatch } from './watch';

export interface DownstreamServiceOptions {
  /** The key ring payloads are opened with, asked for at each call (the active environment's). */
  ring: () => Promise<KeyRing>;
  open?: OpenOptions;
  /** Decrypted payloads kept in memory, by the size of their text. */
  payloadCacheBytes?: number;
  /** Items remembered for payload(); the oldest are forgotten beyond this. */
  maxRecords?: number;
  /** Where folder watches report what they find (downstream.watch events). */
  emit?: Emit;
  /** The console's own config folder, where the key ring lives: never opened or watched. */
  configDir?: string;
}

/** One streamed result: an item (with its payload, when it has one) or a source that could not be read. */
export type StreamEvent = { type: 'item'; item: DownstreamItem; payload?: unknown } | { type: 'error'; source: string; message: string; noPayloads?: boolean };

interface ItemRecord {
  source: string;
  kind: Candidate['kind'];
  /** Where to read it again; text sources keep the candidate's text instead. */
  file?: string;
  text?: string;
  digest: string;
  /** Why there is no payload to give, when there is none. */
  noPayload?: string;
}

export const PAYLOAD_CACHE_BYTES = 256 * 1024 * 1024;
const MAX_RECORDS = 200_000;

/** The candidates keep wants: what a folder watch has not seen yet. */
async function* wanted(events: AsyncIterable<SourceEvent>, keep: (candidate: Candidate, digest: string) => boolean): AsyncGenerator<SourceEvent> {
  for await (const event of events) {
    if (event.type !== 'candidate' || keep(event.candidate, digestOf(event.candidate.text))) yield event;
  }
}

type DownstreamApi = ConsoleApi['downstream'];

export class DownstreamService implements DownstreamApi {
  private readonly records = new Map<string, ItemRecord>();
  private readonly cache: PayloadCache;
  private readonly watches = new Map<string, FolderWatch>();
  /** Each cached payload's answers table, gone with the payload. */
  private readonly tables = new WeakMap<object, AnswerTable>();
  private nextItem = 0;
  private nextWatch = 0;

  constructor(private readonly options: DownstreamServiceOptions) {
    this.cache = new PayloadCache(options.payloadCacheBytes ?? PAYLOAD_CACHE_BYTES);
  }

  async open(sources: DownstreamSource[]): Promise<DownstreamResult> {
    const result: DownstreamResult = { items: [], errors: [] };
    for await (const event of this.stream(checkSources(sources))) {
      if (event.type === 'item') result.items.push(event.item);
      else result.errors.push({ source: event.source, message: event.message });
    }
    return result;
  }

  async payload(itemId: string, options: PayloadOptions = {}): Promise<unknown> {
    const payload = await this.fullPayload(itemId);
    return options.withoutAnswers ? withoutAnswers(payload) : payload;
  }

  async answers(itemId: string, window: AnswerWindow): Promise<AnswerPage> {
    return (await this.answerTable(itemId)).page(window);
  }

  async answersCsv(itemId: string, query: AnswerQuery): Promise<string> {
    return (await this.answerTable(itemId)).csv(query);
  }

  private async answerTable(itemId: string): Promise<AnswerTable> {
    const payload = await this.fullPayload(itemId);
    if (!isObj(payload)) return new AnswerTable(undefined);
    let table = this.tables.get(payload);
    if (!table) this.tables.set(payload, (table = new AnswerTable(payload.data)));
    return table;
  }

  private async fullPayload(itemId: string): Promise<unknown> {
    const record = typeof itemId === 'string' ? this.records.get(itemId) : undefined;
    if (!record) throw new ConsoleError('not-found', `There is no downstream item ${String(itemId)} any more: open its source again.`);
    if (record.noPayload) throw new ConsoleError('not-found', `${record.source} has no payload to show: ${record.noPayload}`);
    if (this.cache.has(itemId)) return this.cache.get(itemId);
    const candidate = await this.findAgain(record);
    const opened = await openCandidate(candidate, submissionKeys(await this.options.ring()));
    if (!('payload' in opened)) throw new ConsoleError('not-found', `${record.source} can no longer be opened: ${opened.failure?.message ?? 'unknown reason'}`);
    this.cache.set(itemId, opened.payload, candidate.text.length);
    return opened.payload;
  }

  async watchStart(folder: string): Promise<DownstreamWatch> {
    const refused = refuseConfigFile(folder, this.options.configDir);
    if (refused) throw new ConsoleError('bad-input', refused);
    const id = `watch-${++this.nextWatch}`;
    const watch = await FolderWatch.start(id, path.resolve(folder), (inputs, keep) => this.stream(inputs, keep), this.options.emit);
    this.watches.set(id, watch);
    return watch.status(0);
  }

  async watchStop(watchId: string): Promise<void> {
    const watch = this.watch(watchId);
    this.watches.delete(watchId);
    await watch.stop();
  }

  /** Stops every watch (shutting down, or the end of a test). */
  async stopAll(): Promise<void> {
    const all = [...this.watches.values()];
    this.watches.clear();
    await Promise.all(all.map((w) => w.stop()));
  }

  /**
   * Items as they are opened, in input order. keep: which candidates to open at all (a watch
   * skips the ones it already has, so appending to a log does not decrypt it all again).
   */
  async *stream(inputs: SourceInput[], keep?: (candidate: Candidate, digest: string) => boolean): AsyncGenerator<StreamEvent> {
    const ring = await this.options.ring();
    // Without a filter, payload files are read where they are opened (worker threads, for many).
    const { configDir } = this.options;
    const events = keep ? wanted(expandSources(inputs, { configDir }), keep) : expandSources(inputs, { defer: true, configDir });
    for await (const event of openEvents(events, ring, { ...this.options.open, output: 'item' })) {
      if (event.type === 'error') {
        yield event;
        continue;
      }
      if (event.type !== 'item') continue;
      const id = `ds-${++this.nextItem}`;
      const { found, opened } = event;
      const { payload, ...fields } = opened;
      this.remember(id, {
        source: found.source,
        kind: found.kind,
        file: found.file,
        text: found.text,
        digest: found.digest,
        noPayload: 'payload' in opened ? undefined : (opened.failure?.message ?? 'it could not be opened'),
      });
      if ('payload' in opened) this.cache.set(id, payload, found.size);
      yield { type: 'item', item: { id, source: found.source, ...fields }, payload };
    }
  }

  private remember(id: string, record: ItemRecord): void {
    this.records.set(id, record);
    const max = this.options.maxRecords ?? MAX_RECORDS;
    for (const oldest of this.records.keys()) {
      if (this.records.size <= max) break;
      this.records.delete(oldest);
      this.cache.delete(oldest);
    }
  }

  private async findAgain(record: ItemRecord): Promise<Candidate> {
    if (record.text !== undefined) {
      return record.kind === 'json'
        ? { kind: 'json', source: record.source, text: record.text, value: JSON.parse(record.text) as unknown }
        : { kind: 'jwe', source: record.source, text: record.text };
    }
    for await (const event of expandSources([{ kind: 'path', path: record.file! }], { configDir: this.options.configDir })) {
      if (event.type !== 'candidate' || event.candidate.source !== record.source) continue;
      if (digestOf(event.candidate.text) === record.digest) return event.candidate;
      break;
    }
    throw new ConsoleError('not-found', `${record.source} has changed or gone since it was opened: open it again.`);
  }

  private watch(watchId: string): FolderWatch {
    const watch = this.watches.get(watchId);
    if (!watch) throw new ConsoleError('not-found', `There is no folder watch ${String(watchId)}: it was stopped, or the console restarted.`);
    return watch;
  }
}

/** Paths as absolute ones, so an item's source says where it really is. */
function checkSources(sources: DownstreamSource[]): DownstreamSource[] {
  return sources.map((s) => (s.kind === 'path' ? { kind: 'path', path: path.resolve(s.path) } : s));
}
