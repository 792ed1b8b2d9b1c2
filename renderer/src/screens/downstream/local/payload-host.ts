// What browser mode's page does with a plain JSON payload file instead of uploading it and
// fetching it back: reads it once, parses and validates it and indexes its answers, all in a Web
// Worker (payload-worker.ts runs this), and hands the page the item, the payload without its
// answers, and windows of answers as the table asks. Anything that is not one plain JSON payload
// comes back as text for the services to open. Plain TypeScript: tests run it in-process.
import {
  AnswerTable,
  ANSWER_PAGE,
  answerCount,
  FIRST_QUERY,
  PAGED_ANSWERS,
  withoutAnswers,
  type AnswerPage,
  type AnswerQuery,
  type AnswerWindow,
} from '../../../../../shared/downstream/answer-table';
import { judgePlainJson, plainJsonPayload } from '../../../../../shared/downstream/plain';
import type { DownstreamItem } from '../../../../../shared/downstream/types';

/** Where opening is: reading the file (bytes), parsing it, checking it against the spec, indexing its answers. */
export interface OpenProgress {
  stage: 'reading' | 'parsing' | 'checking' | 'indexing';
  done: number;
  total: number;
}

/** A file as the worker gets it: a File, or anything with its size and text. */
export interface LocalFile {
  size: number;
  text(): Promise<string>;
  stream?(): ReadableStream<Uint8Array>;
}

export type LocalOpened =
  | {
      kind: 'opened';
      item: Omit<DownstreamItem, 'id' | 'source'>;
      /** The whole payload, or (paged) the payload with data.answers emptied. */
      payload: unknown;
      /** The answers stay here and come in windows; `first` is the first of them for FIRST_QUERY. */
      paged: boolean;
      first?: AnswerPage;
    }
  /** Not one plain JSON payload (a log, an array, a record with a JWE, JSON that does not parse): for the services. */
  | { kind: 'not-plain'; text: string };

/** Files this big are read in chunks, so the reading itself shows progress. */
const STREAM_OVER = 4 * 1024 * 1024;
/** Decoded payloads kept, by the size of their text (the services keep as much); the rest are read again from their file. */
const KEEP_BYTES = 256 * 1024 * 1024;

interface Held {
  payload: unknown;
  bytes: number;
  table?: AnswerTable;
}

export class LocalPayloads {
  private readonly files = new Map<string, LocalFile>();
  private readonly held = new Map<string, Held>();
  private heldBytes = 0;

  constructor(private readonly keepBytes = KEEP_BYTES) {}

  async open(itemId: string, file: LocalFile, progress: (p: OpenProgress) => void = () => {}): Promise<LocalOpened> {
    const text = await readText(file, progress);
    progress({ stage: 'parsing', done: 0, total: text.length });
    const payload = plainJsonPayload(text);
    if (!payload) return { kind: 'not-plain', text };
    progress({ stage: 'checking', done: 0, total: answerCount(payload) });
    const item = judgePlainJson(payload);
    this.files.set(itemId, file);
    const held = this.hold(itemId, payload, text.length);
    if (answerCount(payload) <= PAGED_ANSWERS) return { kind: 'opened', item, payload, paged: false };
    progress({ stage: 'indexing', done: 0, total: answerCount(payload) });
    const first = this.tableOf(held).page({ ...FIRST_QUERY, start: 0, end: ANSWER_PAGE });
    return { kind: 'opened', item, payload: withoutAnswers(payload), paged: true, first };
  }

  /** The payload as the reader holds it: whole when small, without its answers when they come in windows. */
  async outline(itemId: string): Promise<unknown> {
    const { payload } = await this.get(itemId);
    return answerCount(payload) <= PAGED_ANSWERS ? payload : withoutAnswers(payload);
  }

  async full(itemId: string): Promise<unknown> {
    return (await this.get(itemId)).payload;
  }

  /** The payload as Export JSON writes it. */
  async json(itemId: string): Promise<string> {
    return `${JSON.stringify((await this.get(itemId)).payload, null, 2)}\n`;
  }

  async answers(itemId: string, window: AnswerWindow): Promise<AnswerPage> {
    return this.tableOf(await this.get(itemId)).page(window);
  }

  async csv(itemId: string, query: AnswerQuery): Promise<string> {
    return this.tableOf(await this.get(itemId)).csv(query);
  }

  /** Forgets items (the page cleared its list): their payloads and files go. */
  drop(itemIds?: readonly string[]): void {
    for (const id of itemIds ?? [...this.files.keys()]) {
      this.files.delete(id);
      this.release(id);
    }
  }

  private tableOf(held: Held): AnswerTable {
    held.table ??= new AnswerTable((held.payload as { data?: unknown }).data);
    return held.table;
  }

  private async get(itemId: string): Promise<Held> {
    const held = this.held.get(itemId);
    if (held) {
      this.held.delete(itemId);
      this.held.set(itemId, held);
      return held;
    }
    const file = this.files.get(itemId);
    if (!file) throw new Error(`There is no payload ${itemId} in this page any more: open its file again.`);
    const payload = plainJsonPayload(await file.text());
    if (!payload) throw new Error('The file has changed since it was opened: open it again.');
    return this.hold(itemId, payload, file.size);
  }

  private hold(itemId: string, payload: unknown, bytes: number): Held {
    this.release(itemId);
    const held: Held = { payload, bytes };
    this.held.set(itemId, held);
    this.heldBytes += bytes;
    for (const oldest of this.held.keys()) {
      if (this.heldBytes <= this.keepBytes || oldest === itemId) break;
      this.release(oldest);
    }
    return held;
  }

  private release(itemId: string): void {
    const held = this.held.get(itemId);
    if (!held) return;
    this.held.delete(itemId);
    this.heldBytes -= held.bytes;
  }
}

async function readText(file: LocalFile, progress: (p: OpenProgress) => void): Promise<string> {
  progress({ stage: 'reading', done: 0, total: file.size });
  if (file.size <= STREAM_OVER || !file.stream) return file.text();
  const reader = file.stream().getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let done = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    parts.push(decoder.decode(chunk.value, { stream: true }));
    done += chunk.value.byteLength;
    progress({ stage: 'reading', done, total: file.size });
  }
  parts.push(decoder.decode());
  return parts.join('');
}
