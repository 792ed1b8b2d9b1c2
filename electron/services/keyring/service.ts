// The Keys operations of the contract over the console's own, persisted key ring.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import YAML from 'yaml';
import type { ConsoleApi, GenerateOptions, ImportOptions, ImportReport, ImportText, KeyInfo, PublicExport } from '../../../shared/api';
import { KEY_USES, LAUNCH_ROLES, PURPOSES, type LaunchRole } from '../../../shared/api';
import { ConsoleError } from '../../../shared/errors';
import { GENERATE_BITS } from '../../../shared/key-policy';
import { importTexts, readKeyFiles, runnerCheckoutFiles } from './import';
import { KeyRing } from './keyring';
import { runnerFileName } from './names';
import { parseSinglePem } from './pem';
import { loadRing, ringFile, ringFileStamp, saveRing } from './ring-file';
import type { SecretSealer } from './secrets';

const generateKeyPair = promisify(crypto.generateKeyPair);

export class KeyringService implements Readonly<ConsoleApi['keys']> {
  readonly ring = new KeyRing();
  readonly file: string;
  /** The ring file as last read or written, to notice another front door's changes. */
  private stamp = '';

  private constructor(file: string, private readonly sealer: SecretSealer) {
    this.file = file;
  }

  /**
   * Opens the ring in configDir. A first run gets a freshly generated development ring, unless
   * this front door cannot store private keys (no keychain): then the ring starts empty and the
   * Keys screen says why when the user tries to add one. `file` is the ring of one environment
   * (default: the ring every front door shared before environments had their own).
   */
  static async open(configDir: string, sealer: SecretSealer, file = ringFile(configDir)): Promise<KeyringService> {
    const service = new KeyringService(file, sealer);
    if (service.refresh()) return service;
    try {
      await service.generate({ purpose: 'authentication', use: 'signing', bits: 2048, label: 'Dev launch signing key' });
      await service.generate({ purpose: 'submission', use: 'encryption', bits: 2048, label: 'Dev downstream decryption key' });
    } catch (err) {
      if (!(err instanceof ConsoleError && err.code === 'secret-storage')) throw err;
    }
    return service;
  }

  /** Re-reads the ring file when another front door (the CLI beside the app) has changed it. */
  refresh(): boolean {
    const stamp = ringFileStamp(this.file);
    if (stamp === undefined) return false;
    if (stamp !== this.stamp) {
      const loaded = loadRing(this.file, this.sealer);
      this.ring.replaceAll(loaded?.entries() ?? [], loaded?.roles());
      this.stamp = stamp;
    }
    return true;
  }

  async list(): Promise<KeyInfo[]> {
    this.refresh();
    return this.ring.list();
  }

  async importTexts(files: ImportText[], options?: ImportOptions): Promise<ImportReport> {
    if (!Array.isArray(files) || files.some((f) => typeof f?.name !== 'string' || typeof f.text !== 'string')) {
      throw new ConsoleError('bad-input', 'Import expects a list of {name, text}.');
    }
    if (files.every((f) => f.text.trim() === '')) throw new ConsoleError('bad-pem', 'Nothing to import: the text is empty.');
    checkOptions(options);
    return this.change(() => importTexts(this.ring, files, options));
  }

  /** Files or folders on this machine: the CLI's `keys import`. */
  async importPaths(paths: string[], options?: ImportOptions): Promise<ImportReport> {
    checkOptions(options);
    return this.change(() => importTexts(this.ring, readKeyFiles(paths), options));
  }

  async importRunnerCheckout(dir: string): Promise<ImportReport> {
    if (typeof dir !== 'string' || !dir.trim()) throw new ConsoleError('bad-input', 'Give the folder of a runner checkout.');
    return this.change(() => importTexts(this.ring, readKeyFiles(runnerCheckoutFiles(dir.trim()))));
  }

  async generate(options: GenerateOptions): Promise<KeyInfo> {
    if (!options || !PURPOSES.includes(options.purpose) || !KEY_USES.includes(options.use)) {
      throw new ConsoleError('bad-input', `A generated key needs a purpose (${PURPOSES.join(', ')}) and a use (signing or encryption).`);
    }
    if (!GENERATE_BITS.includes(options.bits)) throw new ConsoleError('bad-input', `Key size must be one of ${GENERATE_BITS.join(', ')} bits.`);
    const { privateKey } = await generateKeyPair('rsa', { modulusLength: options.bits, publicExponent: 0x10001 });
    const parsed = parseSinglePem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'generated key');
    const label = typeof options.label === 'string' ? options.label.trim() : '';
    await this.change(() => this.ring.add(parsed, { purpose: options.purpose, use: options.use, type: 'private', source: 'generated', label }));
    return this.ring.list().find((k) => k.kid === parsed.kid)!;
  }

  async remove(kid: string): Promise<void> {
    await this.change(() => this.ring.remove(kid));
  }

  /** The user's choice of the key that signs launches, or of the runner key they are encrypted to. */
  async assignRole(role: LaunchRole, kid: string): Promise<KeyInfo[]> {
    if (!LAUNCH_ROLES.includes(role)) throw new ConsoleError('bad-input', `role must be one of ${LAUNCH_ROLES.join(', ')}.`);
    if (typeof kid !== 'string') throw new ConsoleError('bad-input', 'Give the kid of the key.');
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
      keysYml: YAML.stringify({ keys: { [kid]: entry } }, { blockQuote: 'literal' }),
    };
  }

  /**
   * Applies a change to the ring as saved on disk and saves it; if anything fails (the keychain
   * refuses, the disk is full) the ring goes back to what it was, so memory never holds a key
   * the file does not.
   */
  private async change<T>(apply: () => T): Promise<T> {
    this.refresh();
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

function checkOptions(options?: Partial<ImportOptions>): void {
  if (options?.purpose !== undefined && !PURPOSES.includes(options.purpose)) {
    throw new ConsoleError('bad-input', `Purpose must be one of ${PURPOSES.join(', ')}.`);
  }
  if (options?.use !== undefined && !KEY_USES.includes(options.use)) throw new ConsoleError('bad-input', `Use must be signing or encryption.`);
}
