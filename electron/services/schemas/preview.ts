// A questionnaire schema on this machine, served on 127.0.0.1 so a local runner can load it
// through schema_url (RUNNER-CONTRACT §3) before the runner has it. One server per file, on a
// random port, under a random token: nothing else on the machine can guess the address.
//
// The runner keeps every schema it loads from a URL for the life of its process
// (load_schema_from_url is lru_cached on the URL), so a changed file must get a new URL or the
// runner never sees the change: the version is part of the path, and every version serves the
// file as it is now.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nodePath from 'node:path';
import type { ConsoleApi } from '../../../shared/api';
import { SCHEMA_LIMITS, textOverLimit } from '../../../shared/json-limits';
import { ConsoleError } from '../../../shared/errors';
import type { SchemaPreview, SchemaSummary } from '../../../shared/launch-types';
import { isPlainObject } from '../../../shared/claims/formats';
import { type Emit, noEvents } from '../events';
import { holdsPrivateKey, refuseConfigFile } from '../keyring/secret-guard';
import { looksLikeQuestionnaire, summariseSchema } from './summary';

type Schemas = ConsoleApi['schemas'];

export interface SchemaPreviews {
  start: Schemas['previewStart'];
  stop: Schemas['previewStop'];
  /** The preview as it stands (re-reading the file when it moved without a watch event). */
  status(id: string): Promise<SchemaPreview>;
  /** Closes every server and watcher (app shutdown). */
  stopAll(): Promise<void>;
  /**
   * The preview as it stands now, given any URL it handed out (or undefined): a launch must use
   * its current URL, as the runner would answer an old URL from its cache.
   */
  current(schemaUrl: string): Promise<SchemaPreview | undefined>;
}

export interface SchemaPreviewOptions {
  /** Editors save in bursts (truncate, write, rename); one re-read per burst. */
  debounceMs?: number;
  /** Told of every change (a new version, an error reading the file): schemas.preview events. */
  emit?: Emit;
  /** The console's own config folder (its key ring): never served. */
  configDir?: string;
}

/**
 * Why these bytes must not be served, or undefined. The URL goes to the runner and into its logs,
 * so only a questionnaire schema is ever served, and never anything holding a private key.
 */
function refuseToServe(text: string, file: string): string | undefined {
  if (holdsPrivateKey(text)) return `${file} holds private key material; only questionnaire schemas are served.`;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  if (!looksLikeQuestionnaire(doc)) {
    return `${file} is not a questionnaire schema (a JSON object with metadata, sections or questionnaire_flow); only schema files can be previewed.`;
  }
  return undefined;
}

/** Where watch events do not arrive (network drives), the file is looked at this often. */
const STAT_EVERY_MS = 3000;

const HOST = '127.0.0.1';

class SchemaPreviewServer {
  readonly id = randomUUID();
  readonly fileName: string;
  readonly dir: string;
  private readonly token = randomBytes(16).toString('hex');
  private readonly server: http.Server;
  private watcher: fs.FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private statTimer: NodeJS.Timeout | null = null;
  private port = 0;
  private version = 1;
  private changedAt: string | undefined;
  private summary: SchemaSummary | undefined;
  private error: string | undefined;
  /** Digest of the last bytes read, so a save that changes nothing (or a touch) is not a new version. */
  private digest: string | undefined;
  /** mtime and size when last read: status() re-reads when they moved and no watch event came. */
  private seen = '';
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    readonly path: string,
    /** The file the preview was started on, links resolved: a link swapped in later is not followed. */
    private readonly realPath: string,
    private readonly debounceMs: number,
    private readonly emit: Emit = noEvents,
    private readonly configDir?: string,
  ) {
    this.fileName = nodePath.basename(path);
    this.dir = nodePath.dirname(path);
    this.server = http.createServer((req, res) => void this.serve(req, res));
  }

  /** Whether a URL was handed out by this preview, whichever version it names. */
  owns(url: string): boolean {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    return u.protocol === 'http:' && u.hostname === HOST && u.port === String(this.port) && this.matches(u.pathname);
  }

  get schemaUrl(): string {
    return `http://${HOST}:${this.port}/${this.token}/${this.version}/${encodeURIComponent(this.fileName)}`;
  }

  async start(): Promise<void> {
    await this.read();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, HOST, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.watch();
    this.statTimer = setInterval(() => void this.statCheck(), STAT_EVERY_MS);
    this.statTimer.unref();
  }

  private async statCheck(): Promise<void> {
    const st = await stat(this.path).catch(() => null);
    if (!this.stopped && (st ? `${st.mtimeMs}:${st.size}` : 'missing') !== this.seen) await this.refresh();
  }

  /** /<token>/<file> or /<token>/<version>/<file>, with any query (the runner adds ?language=). */
  private matches(rawUrl: string | undefined): boolean {
    let parts: string[];
    try {
      parts = new URL(rawUrl ?? '/', `http://${HOST}`).pathname.split('/').map(decodeURIComponent);
    } catch {
      return false;
    }
    if (parts[0] !== '' || parts[1] !== this.token) return false;
    if (parts.length === 3) return parts[2] === this.fileName;
    return parts.length === 4 && /^[0-9]+$/.test(parts[2]!) && parts[3] === this.fileName;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const plain = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (!this.matches(req.url)) return plain(404, 'Not found\n');
    if (req.method !== 'GET') return plain(405, 'Only GET\n', { allow: 'GET' });
    let bytes: Buffer;
    try {
      // Checked on every request: the file may have been replaced, or a link put in its place, since it was started.
      const now = await realpath(this.path);
      if (now !== this.realPath) return plain(403, `${this.fileName} now leads to ${now}, not the file this preview was started on; start a new preview\n`);
      const refusedHere = refuseConfigFile(now, this.configDir);
      if (refusedHere) return plain(403, `${refusedHere}\n`);
      bytes = await readFile(now);
    } catch {
      return plain(404, `${this.fileName} is not there any more\n`);
    }
    const refused = refuseToServe(bytes.toString('utf8'), this.fileName);
    if (refused) return plain(403, `${refused}\n`);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(bytes.length),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(bytes);
  }

  private watch(): void {
    // The directory, not the file: editors that save by writing a new file and renaming it over
    // the old one would leave a watch on the file itself watching nothing.
    this.watcher = fs.watch(this.dir, (_event, name) => {
      if (name === null || name === this.fileName) this.schedule();
    });
    this.watcher.on('error', (err) => {
      this.error = `The console stopped watching ${this.dir} (${err.message}); restart the preview to follow changes.`;
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, this.debounceMs);
  }

  /** Reads run one at a time, so two quick changes cannot bump the version out of order. */
  private refresh(): Promise<void> {
    const before = this.fingerprint();
    this.queue = this.queue
      .then(() => this.read())
      .catch((err: unknown) => {
        this.error = `Could not read ${this.path}: ${err instanceof Error ? err.message : String(err)}`;
      })
      .then(() => {
        if (!this.stopped && this.fingerprint() !== before) this.emit({ type: 'schemas.preview', preview: this.current() });
      });
    return this.queue;
  }

  /** What a page showing the preview would see change. */
  private fingerprint(): string {
    return `${this.version}\u0000${this.error ?? ''}\u0000${JSON.stringify(this.summary ?? null)}`;
  }

  private async read(): Promise<void> {
    const st = await stat(this.path).catch(() => null);
    this.seen = st ? `${st.mtimeMs}:${st.size}` : 'missing';
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (err) {
      // Not a new version: some editors remove the file for a moment while saving.
      this.error = `${this.fileName} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): the runner will fail to load it.`;
      this.summary = undefined;
      return;
    }
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest !== this.digest) {
      if (this.digest !== undefined) {
        this.version++;
        this.changedAt = new Date().toISOString();
      }
      this.digest = digest;
    }
    let json: unknown;
    const text = bytes.toString('utf8');
    const over = textOverLimit(text, SCHEMA_LIMITS, { noun: this.fileName });
    if (over) {
      this.error = `${over}.`;
      this.summary = undefined;
      return;
    }
    try {
      json = JSON.parse(text);
    } catch (err) {
      this.error = `${this.fileName} is not valid JSON (${(err as Error).message}): the runner will fail to load it.`;
      this.summary = undefined;
      return;
    }
    if (!isPlainObject(json)) {
      this.error = `${this.fileName} is JSON but not an object: the runner will fail to load it.`;
      this.summary = undefined;
      return;
    }
    this.error = undefined;
    // No schemaUrl here: it changes with each version, so snapshot() adds the current one.
    this.summary = summariseSchema(json, { name: this.fileName.replace(/\.json$/i, ''), surveyType: 'local preview', origin: this.path });
  }

  async snapshot(): Promise<SchemaPreview> {
    if (!this.stopped) {
      // A safety net for file systems where watch events do not arrive (network drives).
      const st = await stat(this.path).catch(() => null);
      if ((st ? `${st.mtimeMs}:${st.size}` : 'missing') !== this.seen) await this.refresh();
      else await this.queue;
    }
    return this.current();
  }

  private current(): SchemaPreview {
    const schemaUrl = this.schemaUrl;
    return {
      id: this.id,
      path: this.path,
      schemaUrl,
      version: this.version,
      ...(this.changedAt ? { changedAt: this.changedAt } : {}),
      ...(this.summary ? { summary: { ...this.summary, schemaUrl } } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.statTimer) clearInterval(this.statTimer);
    this.watcher?.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // A runner's keep-alive connection would otherwise hold the port open.
      this.server.closeAllConnections();
    });
  }
}

export function createSchemaPreviews(options: SchemaPreviewOptions = {}): SchemaPreviews {
  const debounceMs = options.debounceMs ?? 200;
  const previews = new Map<string, SchemaPreviewServer>();

  const get = (id: string): SchemaPreviewServer => {
    const preview = previews.get(id);
    if (!preview) throw new ConsoleError('not-found', `There is no schema preview ${id}; it may have been stopped.`);
    return preview;
  };

  const starting = new Map<string, Promise<SchemaPreview>>();

  const start = async (file: string): Promise<SchemaPreview> => {
    const absolute = nodePath.resolve(file);
    // One server per file: starting again (a second click, a relaunch) finds the running one.
    for (const preview of previews.values()) if (preview.path === absolute) return preview.snapshot();
    // Two clicks at once would otherwise both pass the check above and serve the file twice.
    const pending = starting.get(absolute) ?? startServer(absolute).finally(() => starting.delete(absolute));
    starting.set(absolute, pending);
    return pending;
  };

  const startServer = async (absolute: string): Promise<SchemaPreview> => {
    const st = await stat(absolute).catch(() => null);
    if (!st) throw new ConsoleError('not-found', `There is no file at ${absolute}`);
    if (!st.isFile()) throw new ConsoleError('bad-input', `${absolute} is not a file`);
    const real = await realpath(absolute);
    const refused = refuseConfigFile(real, options.configDir) ?? refuseToServe(await readFile(real, 'utf8').catch(() => ''), absolute);
    if (refused) throw new ConsoleError('bad-input', refused);
    const preview = new SchemaPreviewServer(absolute, real, debounceMs, options.emit, options.configDir);
    try {
      await preview.start();
    } catch (err) {
      await preview.stop();
      throw new ConsoleError('internal', `Could not serve ${absolute}: ${err instanceof Error ? err.message : String(err)}`);
    }
    previews.set(preview.id, preview);
    return preview.snapshot();
  };

  const status = async (id: string): Promise<SchemaPreview> => get(id).snapshot();

  const stop = async (id: string): Promise<void> => {
    const preview = previews.get(id);
    // Stopping twice is what a shutdown racing a click does; not worth an error.
    if (!preview) return;
    previews.delete(id);
    await preview.stop();
  };

  const stopAll = async (): Promise<void> => {
    const all = [...previews.values()];
    previews.clear();
    await Promise.all(all.map((p) => p.stop()));
  };

  const current = async (schemaUrl: string): Promise<SchemaPreview | undefined> => {
    for (const preview of previews.values()) if (preview.owns(schemaUrl)) return preview.snapshot();
    return undefined;
  };

  return { start, status, stop, stopAll, current };
}
