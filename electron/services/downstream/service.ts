// ConsoleApi['downstream']: open files, folders, logs and texts; hand out payloads on demand;
// watch folders. Items are small and kept; payloads are kept only for recent items (PayloadCache)
// and otherwise opened again from their file, or from the text kept with the item.
import crypto from 'node:crypto';
import path from 'node:path';
import type { ConsoleApi } from '../../../shared/api';
import type { DownstreamItem, DownstreamResult, DownstreamSource, DownstreamWatch } from '../../../shared/downstream/types';
import { ConsoleError } from '../../../shared/errors';
import type { KeyRing } from '../keyring/keyring';
import type { Candidate } from './extract';
import { openCandidate, submissionKeys } from './open';
import { PayloadCache } from './payload-cache';
import { type OpenOptions, openEvents } from './pipeline';
import { expandSources, type SourceEvent, type SourceInput } from './sources';
import type { Emit } from '../events';
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

export function digestOf(candidate: Candidate): string {
  return crypto.createHash('sha1').update(candidate.text).digest('base64');
}

type DownstreamApi = ConsoleApi['downstream'];

export class DownstreamService implements DownstreamApi {
  private readonly records = new Map<string, ItemRecord>();
  private readonly cache: PayloadCache;
  private readonly watches = new Map<string, FolderWatch>();
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

  async payload(itemId: string): Promise<unknown> {
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
    const digests = new WeakMap<Candidate, string>();
    const wanted = async function* (events: AsyncIterable<SourceEvent>): AsyncGenerator<SourceEvent> {
      for await (const event of events) {
        if (event.type === 'candidate') {
          const digest = digestOf(event.candidate);
          if (keep && !keep(event.candidate, digest)) continue;
          digests.set(event.candidate, digest);
        }
        yield event;
      }
    };
    for await (const event of openEvents(wanted(expandSources(inputs)), ring, this.options.open)) {
      if (event.type === 'error') {
        yield event;
        continue;
      }
      const id = `ds-${++this.nextItem}`;
      const { candidate, file, opened } = event;
      const { payload, ...fields } = opened;
      this.remember(id, {
        source: candidate.source,
        kind: candidate.kind,
        file,
        text: file === undefined ? candidate.text : undefined,
        digest: digests.get(candidate) ?? digestOf(candidate),
        noPayload: 'payload' in opened ? undefined : (opened.failure?.message ?? 'it could not be opened'),
      });
      if ('payload' in opened) this.cache.set(id, payload, candidate.text.length);
      yield { type: 'item', item: { id, source: candidate.source, ...fields }, payload };
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
    for await (const event of expandSources([{ kind: 'path', path: record.file! }])) {
      if (event.type !== 'candidate' || event.candidate.source !== record.source) continue;
      if (digestOf(event.candidate) === record.digest) return event.candidate;
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
