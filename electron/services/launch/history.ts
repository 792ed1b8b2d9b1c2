// The launch history: history.json in the config folder, newest first, at most MAX_ENTRIES.
// Every change reads the file afresh and writes it atomically, so the CLI and the desktop app
// can both record launches.
import path from 'node:path';
import type { ConsoleApi } from '../../../shared/api';
import { ConsoleError } from '../../../shared/errors';
import type { HistoryEntry } from '../../../shared/launch-types';
import { jtiSentIn, type MintedRecord } from '../../../shared/verdict';
import { readJsonFile, writeJsonFile } from '../config/json-file';

export const MAX_ENTRIES = 500;
const VERSION = 1;

interface HistoryDoc {
  version: typeof VERSION;
  entries: HistoryEntry[];
}

function validate(doc: unknown): HistoryDoc {
  const d = doc as Partial<HistoryDoc> | null;
  if (!d || typeof d !== 'object' || d.version !== VERSION || !Array.isArray(d.entries)) throw new Error(`expected {version: ${VERSION}, entries: [...]}`);
  for (const e of d.entries) {
    if (typeof e?.id !== 'string' || typeof e.at !== 'string' || typeof e.url !== 'string' || typeof e.claims !== 'object') {
      throw new Error('an entry lacks id, at, url or claims');
    }
  }
  return d as HistoryDoc;
}

export class HistoryStore implements Readonly<ConsoleApi['history']> {
  readonly file: string;

  constructor(configDir: string) {
    this.file = path.join(configDir, 'history.json');
  }

  private read(): HistoryEntry[] {
    return readJsonFile(this.file, validate)?.entries ?? [];
  }

  private change<T>(apply: (entries: HistoryEntry[]) => { entries: HistoryEntry[]; result: T }): T {
    const { entries, result } = apply(this.read());
    writeJsonFile(this.file, { version: VERSION, entries: entries.slice(0, MAX_ENTRIES) } satisfies HistoryDoc);
    return result;
  }

  async list(): Promise<HistoryEntry[]> {
    return this.read();
  }

  get(id: string): HistoryEntry {
    const entry = this.read().find((e) => e.id === id);
    if (!entry) throw new ConsoleError('not-found', `There is no launch ${String(id)} in the history.`);
    return entry;
  }

  /** The launch that minted this token, if it is still in the history (a damaged history knows none). */
  mintedInto(token: string): MintedRecord | undefined {
    const entry = this.readQuietly().find((e) => e.url.endsWith(`/session?token=${token}`));
    return entry && { historyId: entry.id, at: entry.at, claims: entry.claims };
  }

  /** Whether the console sent a launch with this jti to a runner, which then refuses it again (401). */
  jtiSent(jti: string): boolean {
    return jtiSentIn(this.readQuietly())(jti);
  }

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
