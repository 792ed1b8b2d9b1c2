// The launch history: history.json in the config folder, newest first, at most MAX_ENTRIES.
// Every change is read-modify-write under the file's lock, so the CLI and the desktop app can both
// record launches; a damaged file is set aside and the launch is recorded in a fresh history.
import type { ConsoleApi } from '../../../shared/api';
import { ConsoleError } from '../../../shared/errors';
import type { HistoryEntry } from '../../../shared/launch-types';
import { jtiSentIn, type MintedRecord } from '../../../shared/verdict';
import { type DocumentSpec, JsonDocument, type StoreFactory } from '../config/document';

export const MAX_ENTRIES = 500;

interface HistoryDoc extends Record<string, unknown> {
  entries: HistoryEntry[];
}

export const HISTORY: DocumentSpec<HistoryDoc> = {
  name: 'history',
  version: '2.0.0',
  legacyVersions: [1],
  schema: {
    entries: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'at', 'url', 'claims'],
        properties: { id: { type: 'string' }, at: { type: 'string' }, url: { type: 'string' }, claims: { type: 'object' } },
      },
    },
  },
  required: ['entries'],
  // Version 1 was {version: 1, entries}: the entries are the same, conf keeps the version now.
  migrations: { '2.0.0': (store) => store.delete('version') },
  fresh: () => ({ entries: [] }),
  instead: 'the launch history starts empty',
};

export class HistoryStore implements Readonly<ConsoleApi['history']> {
  readonly file: string;
  private readonly doc: JsonDocument<HistoryDoc>;

  constructor(configDir: string, storeFactory?: StoreFactory) {
    this.doc = new JsonDocument(configDir, HISTORY, storeFactory);
    this.file = this.doc.file;
  }

  /** Reads the file now, so a damaged one is set aside (and said so) at start rather than at the first launch. */
  open(): void {
    this.doc.read();
  }

  private read(): HistoryEntry[] {
    return this.doc.read().entries;
  }

  private change<T>(apply: (entries: HistoryEntry[]) => { entries: HistoryEntry[]; result: T }): T {
    return this.doc.change((doc) => {
      const { entries, result } = apply(doc.entries);
      doc.entries = entries.slice(0, MAX_ENTRIES);
      return result;
    });
  }

  async list(): Promise<HistoryEntry[]> {
    return this.read();
  }

  get(id: string): HistoryEntry {
    const entry = this.read().find((e) => e.id === id);
    if (!entry) throw new ConsoleError('not-found', `There is no launch ${String(id)} in the history.`);
    return entry;
  }

  /** The launch that minted this token, if it is still in the history (one that cannot be read now knows none). */
  mintedInto(token: string): MintedRecord | undefined {
    const entry = this.readQuietly().find((e) => e.url.endsWith(`/session?token=${token}`));
    return entry && { historyId: entry.id, at: entry.at, claims: entry.claims };
  }

  /** Whether the console sent a launch with this jti to a runner, which then refuses it again (401). */
  jtiSent(jti: string): boolean {
    return jtiSentIn(this.readQuietly())(jti);
  }

  /** Inspecting a token or judging claims never fails for the history's sake (a folder it cannot read, a lock held too long). */
  private readQuietly(): HistoryEntry[] {
    try {
      return this.read();
    } catch {
      return [];
    }
  }

  add(entry: HistoryEntry): HistoryEntry {
    return this.change((entries) => ({ entries: [entry, ...entries.filter((e) => e.id !== entry.id)], result: entry }));
  }

  /** Adds what was learnt later (the runner's answer); a removed entry stays removed. */
  update(id: string, patch: Partial<Omit<HistoryEntry, 'id'>>): void {
    this.change((entries) => ({ entries: entries.map((e) => (e.id === id ? { ...e, ...patch } : e)), result: undefined }));
  }

  async remove(id: string): Promise<void> {
    this.change((entries) => {
      if (!entries.some((e) => e.id === id)) throw new ConsoleError('not-found', `There is no launch ${String(id)} in the history.`);
      return { entries: entries.filter((e) => e.id !== id), result: undefined };
    });
  }

  async clear(): Promise<void> {
    this.change(() => ({ entries: [], result: undefined }));
  }
}
