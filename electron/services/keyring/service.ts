// The Keys operations of the contract over the console's own, persisted key ring.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { ConsoleApi, GenerateOptions, ImportOptions, ImportReport, ImportText, KeyInfo, PublicExport } from '../../../shared/api';
import type { LaunchRole } from '../../../shared/api';
import { ConsoleError } from '../../../shared/errors';
import { importTexts, readKeyFiles, runnerCheckoutFiles } from './import';
import { KeyRing } from './keyring';
import { runnerFileName } from './names';
import { type ParsedKey, parseSinglePem } from './pem';
import { loadRing, ringFile, ringFileStamp, saveRing } from './ring-file';
import { withFileLock } from '../config/file-lock';
import { yamlModule } from '../heavy-deps';
import { DamagedFile, setAside } from '../config/set-aside';
import type { SecretSealer } from './secrets';

const generateKeyPair = promisify(crypto.generateKeyPair);

export class KeyringService implements Readonly<ConsoleApi['keys']> {
  readonly ring = new KeyRing();
  readonly file: string;
  /** The ring file as last read or written, to notice another front door's changes. */
  private stamp = '';

  private constructor(
    file: string,
    private readonly sealer: SecretSealer,
  ) {
    this.file = file;
  }

  /**
   * Opens the ring in configDir. A first run gets a freshly generated development ring, unless
   * this front door cannot store private keys (no keychain): then the ring starts empty and the
   * Keys screen says why when the user tries to add one. `file` is the ring of one environment
   * (default: the ring every front door shared before environments had their own). A damaged ring
   * file is set aside (and said so) and the environment starts afresh the same way.
   */
  static async open(configDir: string, sealer: SecretSealer, file = ringFile(configDir)): Promise<KeyringService> {
    const service = new KeyringService(file, sealer);
    if (service.refresh()) return service;
    await service.startFresh();
    return service;
  }

  /** The development ring of a first run, unless another front door made the ring meanwhile. */
  private async startFresh(): Promise<void> {
    // Generated before the lock is taken: key generation takes far longer than the write.
    const [signing, decryption] = await Promise.all([newKey(2048), newKey(2048)]);
    try {
      withFileLock(this.file, () => {
        if (this.readFile()) return;
        this.applyAndSave(() => {
          this.ring.add(signing, { purpose: 'authentication', use: 'signing', type: 'private', source: 'generated', label: 'Dev launch signing key' });
          this.ring.add(decryption, { purpose: 'submission', use: 'encryption', type: 'private', source: 'generated', label: 'Dev downstream decryption key' });
        });
      });
    } catch (err) {
      if (!(err instanceof ConsoleError && err.code === 'secret-storage')) throw err;
    }
  }

  /** Re-reads the ring file when another front door (the CLI beside the app) has changed it. */
  refresh(): boolean {
    const stamp = ringFileStamp(this.file);
    if (stamp === undefined) return false;
    return stamp === this.stamp || this.readFile();
  }

  /**
   * Loads the file into the ring; false when there is none. A damaged file is set aside under the
   * lock (after one more look: another front door may have just replaced it) and counts as none.
   */
  private readFile(): boolean {
    const stamp = ringFileStamp(this.file);
    if (stamp === undefined) return false;
    let loaded: KeyRing | undefined;
    try {
      loaded = loadRing(this.file, this.sealer);
    } catch (err) {
      if (!(err instanceof DamagedFile)) throw err;
      return withFileLock(this.file, () => {
        if (ringFileStamp(this.file) !== stamp) return this.readFile();
        setAside(
          this.file,
          err.reason,
          this.stamp === ''
            ? 'the environment starts with a fresh key ring'
            : 'this console keeps the keys it had read from it and saves them there at the next change',
        );
        return false;
      });
    }
    if (!loaded) return false;
    this.ring.replaceAll(loaded.entries(), loaded.roles());
    this.stamp = stamp;
    return true;
  }

  async list(): Promise<KeyInfo[]> {
    this.refresh();
    return this.ring.list();
  }

  async importTexts(files: ImportText[], options?: ImportOptions): Promise<ImportReport> {
    if (files.every((f) => f.text.trim() === '')) throw new ConsoleError('bad-pem', 'Nothing to import: the text is empty.');
    return this.change(() => importTexts(this.ring, files, options));
  }

  /** Files or folders on this machine: the CLI's `keys import`. */
  async importPaths(paths: string[], options?: ImportOptions): Promise<ImportReport> {
    // Read before the lock is taken: the lock is held for the change, not for the disk.
    const files = readKeyFiles(paths);
    return this.change(() => importTexts(this.ring, files, options));
  }

  async importRunnerCheckout(dir: string): Promise<ImportReport> {
    const files = readKeyFiles(runnerCheckoutFiles(dir.trim()));
    return this.change(() => importTexts(this.ring, files));
  }

  async generate(options: GenerateOptions): Promise<KeyInfo> {
    const parsed = await newKey(options.bits);
    const label = typeof options.label === 'string' ? options.label.trim() : '';
    await this.change(() => this.ring.add(parsed, { purpose: options.purpose, use: options.use, type: 'private', source: 'generated', label }));
    return this.ring.list().find((k) => k.kid === parsed.kid)!;
  }

  async remove(kid: string): Promise<void> {
    await this.change(() => this.ring.remove(kid));
  }

  /** The user's choice of the key that signs launches, or of the runner key they are encrypted to. */
  async assignRole(role: LaunchRole, kid: string): Promise<KeyInfo[]> {
    await this.change(() => this.ring.assign(role, kid));
    return this.ring.list();
  }

  async exportPublic(kid: string): Promise<PublicExport> {
    this.refresh();
    const key = this.ring.get(kid);
    if (!key) throw new ConsoleError('key-not-found', `There is no key with kid ${kid} in the key ring.`);
    const { purpose, use, publicPem } = key.info;
    const entry = { platform: 'sdc', service: 'console', purpose, type: 'public', use, version: 'v1', value: publicPem };
    return {
      kid,
      fileName: runnerFileName({ purpose, use }),
      pem: publicPem,
      keysYml: yamlModule().stringify({ keys: { [kid]: entry } }, { blockQuote: 'literal' }),
    };
  }

  /**
   * Applies a change to the ring as saved on disk and saves it, all under the file's lock: the
   * file is read again inside the lock (never trusted from an earlier read), so a change another
   * front door saved a moment ago is kept.
   */
  private async change<T>(apply: () => T): Promise<T> {
    return withFileLock(this.file, () => {
      this.readFile();
      return this.applyAndSave(apply);
    });
  }

  /**
   * If anything fails (the keychain refuses, the disk is full) the ring goes back to what it was,
   * so memory never holds a key the file does not.
   */
  private applyAndSave<T>(apply: () => T): T {
    const before = this.ring.snapshot();
    const rolesBefore = JSON.stringify(before.roles);
    try {
      const result = apply();
      this.ring.settleRoles();
      if (isReport(result)) refuseEmpty(result);
      if (!isReport(result) || result.added.length || result.upgraded.length || JSON.stringify(this.ring.roles()) !== rolesBefore) {
        saveRing(this.file, this.ring, this.sealer);
        this.stamp = ringFileStamp(this.file) ?? '';
      }
      return result;
    } catch (err) {
      this.ring.replaceAll(before.keys, before.roles);
      throw err;
    }
  }
}

async function newKey(bits: number): Promise<ParsedKey> {
  const { privateKey } = await generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return parseSinglePem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'generated key');
}

function isReport(value: unknown): value is ImportReport {
  return typeof value === 'object' && value !== null && 'skipped' in value && 'added' in value;
}

function refuseEmpty(report: ImportReport): void {
  const recognised = report.added.length + report.upgraded.length + report.unchanged.length;
  if (recognised === 0 && report.skipped.length > 0) {
    const [first, ...rest] = report.skipped;
    throw new ConsoleError('bad-pem', `No key imported. ${first!.reason}${rest.length ? ` (and ${rest.length} more file(s) refused)` : ''}`);
  }
}
