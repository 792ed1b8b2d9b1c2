// One JSON document in the config folder (settings.json, profiles.json, history.json), kept with
// conf, electron-store's core: a JSON schema checked on every read and write, migrations from each
// older form keyed by the document's own data version (conf records it in the file under
// __internal__), atomic writes. Around conf: every change is read-modify-write under the file's
// cross-process lock, and a file that cannot be used is set aside so the console still starts.
import fs from 'node:fs';
import path from 'node:path';
import type Conf from 'conf';
import type { Options } from 'conf';
import { confModule } from '../heavy-deps';
import { ConsoleError } from '../../../shared/errors';
import { isPlainObject } from '../../../shared/claims/formats';
import { withFileLock } from './file-lock';
import { DamagedFile, setAside } from './set-aside';

export type Doc = Record<string, unknown>;
export type StoreOptions = Options<Doc>;
/** Makes the store for one document: plain conf here, electron-store in the desktop app. */
export type StoreFactory = (options: StoreOptions) => Conf<Doc>;
export const confStore: StoreFactory = (options) => new (confModule().default)(options);
export type Migrations = NonNullable<StoreOptions['migrations']>;

export interface DocumentSpec<T extends Doc> {
  /** The file is `<name>.json` in the config folder, as before conf: existing users keep their data. */
  name: string;
  /** This console's data version of the document: conf's projectVersion, the key of its newest migration. */
  version: string;
  /** The `version` numbers of the hand-written files from before conf; the migrations bring them up. */
  legacyVersions: readonly number[];
  schema: NonNullable<StoreOptions['schema']>;
  required: readonly (keyof T & string)[];
  migrations: Migrations;
  /** What a new config folder starts with, and what replaces a damaged file. */
  fresh: () => T;
  /** What the console does in place of a damaged file, for the one-line note. */
  instead: string;
  /** Rules the JSON schema cannot say; throws to call the file damaged. */
  check?: (doc: T) => void;
}

const INTERNAL = '__internal__';

/** The document without conf's __internal__ record, and that record. */
interface Read<T> {
  doc: T;
  internal: unknown;
}

export class JsonDocument<T extends Doc> {
  readonly file: string;
  private store: Conf<Doc> | undefined;

  constructor(
    readonly configDir: string,
    private readonly spec: DocumentSpec<T>,
    private readonly factory: StoreFactory = confStore,
  ) {
    this.file = path.join(configDir, `${spec.name}.json`);
  }

  /** The document as it is on disk now: conf reads the file on every access, so other processes' writes show. */
  read(): T {
    const seen = this.store && this.inspect(this.store);
    if (seen && 'doc' in seen) return seen.doc;
    return withFileLock(this.file, () => this.load().doc);
  }

  /** Reads, changes and writes the document under the file's lock; nothing is written when `change` throws. */
  change<R>(change: (doc: T) => R): R {
    return withFileLock(this.file, () => {
      const { doc, internal } = this.load();
      const result = change(doc);
      // conf's own record (the data version) goes back as read; conf would otherwise read the file again for it.
      this.store!.store = { ...doc, [INTERNAL]: internal };
      return result;
    });
  }

  /** Under the lock: the document, opening the store again when the file went, changed form or broke. */
  private load(): Read<T> {
    const seen = this.store && this.inspect(this.store);
    if (seen && 'doc' in seen) return seen;
    const before = this.damage();
    if (before) this.setAside(before);
    const opened = this.open();
    if ('doc' in opened) return opened;
    this.setAside(opened.damage);
    const fresh = this.open();
    if ('doc' in fresh) return fresh;
    throw new ConsoleError('internal', `${this.file}: a fresh ${this.spec.name} document does not pass its own checks (${fresh.damage}).`);
  }

  /** Opens conf on the file, which runs the migrations a file older than this console needs. */
  private open(): Read<T> | { damage: string } {
    fs.mkdirSync(this.configDir, { recursive: true, mode: 0o700 });
    // conf writes while it migrates: a file that then fails is put back as it was, to be set aside as the user had it.
    const original = readIfThere(this.file);
    const exists = original !== undefined;
    try {
      this.store = this.factory({
        cwd: this.configDir,
        configName: this.spec.name,
        fileExtension: 'json',
        projectVersion: this.spec.version,
        migrations: this.spec.migrations,
        schema: this.spec.schema,
        rootSchema: { required: [...this.spec.required] },
        // Only a new file starts from the fresh document: on an existing one conf would quietly fill its gaps.
        defaults: exists ? undefined : this.spec.fresh(),
        // conf's default is 0666 (less the umask); these files hold what only the user should read.
        configFileMode: 0o600,
        accessPropertiesByDotNotation: false,
        clearInvalidConfig: false,
        watch: false,
      });
    } catch (err) {
      const damage = damageIn(err);
      if (damage === undefined) throw err;
      this.store = undefined;
      putBack(this.file, original);
      return { damage };
    }
    const seen = this.inspect(this.store);
    if ('doc' in seen) return seen;
    putBack(this.file, original);
    return { damage: seen.damage ?? "it was not written in this console's form" };
  }

  /** The document through conf; damage, or nothing at all when the file is gone or in another version's form. */
  private inspect(store: Conf<Doc>): Read<T> | { damage?: string } {
    let raw: Doc;
    try {
      raw = store.store;
    } catch (err) {
      const damage = damageIn(err);
      if (damage === undefined) throw err;
      return { damage };
    }
    // conf reads a missing file as {}; a file another console migrated or replaced needs opening again.
    if (dataVersion(raw) !== this.spec.version) return {};
    const { [INTERNAL]: internal, ...doc } = raw;
    try {
      this.spec.check?.(doc as T);
    } catch (err) {
      return { damage: `not in the expected shape: ${(err as Error).message}` };
    }
    return { doc: doc as T, internal };
  }

  /** What conf cannot be trusted to refuse: not JSON, not an object, or a version it would quietly overwrite. */
  private damage(): string | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ConsoleError('config-corrupt', `Cannot read ${this.file}: ${(err as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return `not valid JSON: ${(err as Error).message}`;
    }
    if (!isPlainObject(raw)) return 'not a JSON object';
    const version = dataVersion(raw);
    if (version !== undefined) {
      // conf would record its own version over a newer one and carry on with a document it does not know.
      if (typeof version !== 'string' || !SEMVER.test(version)) return `unknown data version ${JSON.stringify(version)}`;
      if (compareVersions(version, this.spec.version) > 0) return `data version ${version}, written by a newer console`;
      return undefined;
    }
    const legacy = raw.version;
    if (typeof legacy === 'number' && this.spec.legacyVersions.includes(legacy)) return undefined;
    const newer = typeof legacy === 'number' && legacy > Math.max(...this.spec.legacyVersions);
    return `unknown version ${JSON.stringify(legacy) ?? 'none'}${newer ? ' (written by a newer console)' : ''}`;
  }

  private setAside(reason: string): void {
    setAside(this.file, reason, this.spec.instead);
    this.store = undefined;
  }
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Restores a file's bytes atomically: readers outside the lock never see half of it. */
function putBack(file: string, bytes: Buffer | undefined): void {
  if (bytes === undefined) return;
  const tmp = `${file}.${process.pid}.restore.tmp`;
  fs.writeFileSync(tmp, bytes, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => SEMVER.exec(v)!.slice(1).map(Number)) as [number[], number[]];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

function dataVersion(raw: Doc): unknown {
  const internal = raw[INTERNAL];
  if (!isPlainObject(internal) || !isPlainObject(internal.migrations)) return undefined;
  return internal.migrations.version;
}

/** conf's words for a file whose content is at fault; undefined for anything else (the disk, a bug). */
function damageIn(err: unknown): string | undefined {
  if (err instanceof DamagedFile) return err.reason;
  // conf parses the file with JSON.parse and nothing else.
  if (err instanceof SyntaxError) return `not valid JSON: ${err.message}`;
  const message = err instanceof Error ? err.message : '';
  if (message.startsWith('Config schema violation: ')) {
    // conf names each failing place as `path`; the document itself has the empty path.
    return `not in the expected shape: ${message.slice('Config schema violation: '.length).replaceAll('`` ', '')}`;
  }
  const migration = /^Something went wrong during the migration!.*?restored\. ([\s\S]*)$/.exec(message);
  if (migration) return `its migration failed: ${migration[1]}`;
  return undefined;
}
