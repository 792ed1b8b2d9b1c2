// A watched folder: the files present when it starts, then every file written or changed,
// opened a moment after the writing stops. Each payload is opened once: a candidate already seen
// (same source, same text) is skipped, so a runner log that grows by a line costs one decryption.
import fs from 'node:fs';
import path from 'node:path';
import type { DownstreamItem, DownstreamWatch } from '../../../shared/downstream/types';
import { ConsoleError } from '../../../shared/errors';
import { type Emit, noEvents } from '../events';
import type { Candidate } from './extract';
import type { StreamEvent } from './service';
import type { SourceInput } from './sources';

export type WatchOpener = (inputs: SourceInput[], keep: (candidate: Candidate, digest: string) => boolean) => AsyncGenerator<StreamEvent>;

/** Quiet time after the last change before a file is opened: writers rarely write in one call. */
const DEBOUNCE_MS = 250;
/** A folder that never goes quiet is still looked at this often. */
const MAX_WAIT_MS = 1000;
const MAX_ERRORS = 1000;

export class FolderWatch {
  private readonly items: DownstreamItem[] = [];
  private readonly errors: DownstreamWatch['errors'] = [];
  private readonly errorKeys = new Set<string>();
  private readonly seen = new Set<string>();
  private readonly dirty = new Set<string>();
  private ended: string | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private firstChangeAt = 0;
  private running: Promise<void> = Promise.resolve();
  private watcher: fs.FSWatcher | undefined;
  /** How many items the page has been sent (downstream.watch events carry only the new ones). */
  private sent = 0;
  private sentErrors = 0;

  private constructor(
    readonly id: string,
    readonly root: string,
    private readonly open: WatchOpener,
    private readonly emit: Emit,
  ) {}

  static async start(id: string, root: string, open: WatchOpener, emit: Emit = noEvents): Promise<FolderWatch> {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(root);
    } catch {
      throw new ConsoleError('not-found', `${root} does not exist.`);
    }
    if (!stat.isDirectory()) throw new ConsoleError('bad-input', `${root} is not a folder: watch the folder payloads are written into.`);
    const watch = new FolderWatch(id, root, open, emit);
    // Listening first, then the scan: a file written during the scan is seen by one or the other
    // (or both, and then skipped the second time).
    watch.listen();
    watch.enqueue([{ kind: 'folder-entry', path: root }]);
    return watch;
  }

  status(since = 0): DownstreamWatch {
    const from = Number.isInteger(since) && since > 0 ? since : 0;
    const status: DownstreamWatch = { id: this.id, path: this.root, items: this.items.slice(from), errors: [...this.errors] };
    if (this.ended) status.ended = this.ended;
    return status;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.watcher?.close();
    await this.running;
  }

  private listen(): void {
    const changed = (_event: string, filename: string | Buffer | null) => this.changed(filename);
    try {
      this.watcher = fs.watch(this.root, { recursive: true }, changed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM') {
        throw new ConsoleError('bad-input', `Cannot watch ${this.root}: ${(err as Error).message.split('\n')[0]}`);
      }
      // Where recursive watching is missing, new files in subfolders are not seen (they were scanned at the start).
      this.watcher = fs.watch(this.root, changed);
    }
    this.watcher.on('error', (err) => this.end(`Watching ${this.root} stopped: ${err.message.split('\n')[0]}.`));
  }

  private changed(filename: string | Buffer | null): void {
    if (this.stopped) return;
    this.dirty.add(filename ? path.join(this.root, filename.toString()) : this.root);
    const now = Date.now();
    if (!this.timer) this.firstChangeAt = now;
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, this.firstChangeAt + MAX_WAIT_MS - now));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const paths = [...this.dirty].sort();
      this.dirty.clear();
      this.enqueue(paths.map((p) => ({ kind: 'folder-entry', path: p })));
    }, wait);
  }

  /** One run at a time, in the order changes were seen; what it found goes out as one event. */
  private enqueue(inputs: SourceInput[]): void {
    this.running = this.running
      .then(() => this.run(inputs))
      .catch((err: unknown) => this.end(`Opening files in ${this.root} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}.`))
      .then(() => this.tell());
  }

  private tell(): void {
    if (this.sent === this.items.length && this.sentErrors === this.errors.length && !this.ended) return;
    const watch = this.status(this.sent);
    this.sent = this.items.length;
    this.sentErrors = this.errors.length;
    this.emit({ type: 'downstream.watch', watch });
  }

  private async run(inputs: SourceInput[]): Promise<void> {
    if (this.stopped) return;
    if (!fs.existsSync(this.root)) {
      this.end(`${this.root} is gone.`);
      return;
    }
    const keep = (candidate: Candidate, digest: string) => {
      const key = `${candidate.source}\u0000${digest}`;
      if (this.seen.has(key)) return false;
      this.seen.add(key);
      return true;
    };
    for await (const event of this.open(inputs, keep)) {
      if (this.stopped) break;
      if (event.type === 'item') this.items.push(event.item);
      else this.error(event.source, event.message);
    }
  }

  private error(source: string, message: string): void {
    const key = `${source}\u0000${message}`;
    if (this.errorKeys.has(key) || this.errors.length >= MAX_ERRORS) return;
    this.errorKeys.add(key);
    this.errors.push({ source, message });
  }

  private end(reason: string): void {
    if (this.stopped) return;
    this.ended ??= reason;
    this.stopped = true;
    clearTimeout(this.timer);
    this.watcher?.close();
    this.tell();
  }
}
