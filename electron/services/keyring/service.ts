// The Keys operations of the contract over the console's own, persisted key ring.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import YAML from 'yaml';
import type { ConsoleApi, GenerateOptions, ImportOptions, ImportReport, ImportText, KeyInfo, PublicExport } from '../../../shared/api';
import { KEY_USES, PURPOSES } from '../../../shared/api';
import { ConsoleError } from '../../../shared/errors';
import { importTexts, readKeyFiles, runnerCheckoutFiles } from './import';
import { KeyRing } from './keyring';
import { runnerFileName } from './names';
import { parseSinglePem } from './pem';
import { loadRing, ringFile, saveRing } from './ring-file';
import type { SecretSealer } from './secrets';

const generateKeyPair = promisify(crypto.generateKeyPair);
const BITS = [2048, 3072, 4096] as const;

export class KeyringService implements Readonly<ConsoleApi['keys']> {
  readonly ring: KeyRing;
  private readonly file: string;

  private constructor(ring: KeyRing, file: string, private readonly sealer: SecretSealer) {
    this.ring = ring;
    this.file = file;
  }

  /** Opens the ring in configDir; a first run gets a freshly generated development ring. */
  static async open(configDir: string, sealer: SecretSealer): Promise<KeyringService> {
    const file = ringFile(configDir);
    const existing = loadRing(file, sealer);
    const service = new KeyringService(existing ?? new KeyRing(), file, sealer);
    if (!existing) {
      await service.generate({ purpose: 'authentication', use: 'signing', bits: 2048, label: 'Dev launch signing key' });
      await service.generate({ purpose: 'submission', use: 'encryption', bits: 2048, label: 'Dev downstream decryption key' });
    }
    return service;
  }

  async list(): Promise<KeyInfo[]> {
    return this.ring.list();
  }

  async importTexts(files: ImportText[], options?: ImportOptions): Promise<ImportReport> {
    if (!Array.isArray(files) || files.some((f) => typeof f?.name !== 'string' || typeof f.text !== 'string')) {
      throw new ConsoleError('bad-input', 'Import expects a list of {name, text}.');
    }
    if (files.every((f) => f.text.trim() === '')) throw new ConsoleError('bad-pem', 'Nothing to import: the text is empty.');
    checkOptions(options);
    return this.commit(importTexts(this.ring, files, options));
  }

  async importPaths(paths: string[], options?: ImportOptions): Promise<ImportReport> {
    checkOptions(options);
    return this.commit(importTexts(this.ring, readKeyFiles(paths), options));
  }

  async importRunnerCheckout(dir: string): Promise<ImportReport> {
    return this.commit(importTexts(this.ring, readKeyFiles(runnerCheckoutFiles(dir))));
  }

  async generate(options: GenerateOptions): Promise<KeyInfo> {
    checkOptions(options);
    if (!BITS.includes(options.bits)) throw new ConsoleError('bad-input', `Key size must be one of ${BITS.join(', ')} bits.`);
    const { privateKey } = await generateKeyPair('rsa', { modulusLength: options.bits, publicExponent: 0x10001 });
    const parsed = parseSinglePem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'generated key');
    this.ring.add(parsed, { purpose: options.purpose, use: options.use, type: 'private', source: 'generated', label: options.label?.trim() ?? '' });
    this.save();
    return this.ring.get(parsed.kid)!.info;
  }

  async remove(kid: string): Promise<void> {
    this.ring.remove(kid);
    this.save();
  }

  async exportPublic(kid: string): Promise<PublicExport> {
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

  private commit(report: ImportReport): ImportReport {
    const recognised = report.added.length + report.upgraded.length + report.unchanged.length;
    if (recognised === 0 && report.skipped.length > 0) {
      const [first, ...rest] = report.skipped;
      throw new ConsoleError('bad-pem', `No key imported. ${first!.reason}${rest.length ? ` (and ${rest.length} more file(s) refused)` : ''}`);
    }
    if (report.added.length || report.upgraded.length) this.save();
    return report;
  }

  private save(): void {
    saveRing(this.file, this.ring, this.sealer);
  }
}

function checkOptions(options?: Partial<ImportOptions>): void {
  if (options?.purpose !== undefined && !PURPOSES.includes(options.purpose)) {
    throw new ConsoleError('bad-input', `Purpose must be one of ${PURPOSES.join(', ')}.`);
  }
  if (options?.use !== undefined && !KEY_USES.includes(options.use)) throw new ConsoleError('bad-input', `Use must be signing or encryption.`);
}
