// The one contract. The Electron preload, the browser-mode client and the services all
// compile against ConsoleApi; a channel that is not declared here cannot be called.
// Nothing in these types may carry private key material: the renderer sees kids,
// purposes and public PEMs only.
import type { InspectReport } from './inspect-types';

export type Purpose = 'authentication' | 'submission' | 'supplementary_data';
export type KeyType = 'public' | 'private';
export type KeyUse = 'signing' | 'encryption';

export const PURPOSES: readonly Purpose[] = ['authentication', 'submission', 'supplementary_data'];
export const KEY_USES: readonly KeyUse[] = ['signing', 'encryption'];

/** Where a private key's secret half is kept at rest. */
export type SecretStorage = 'safeStorage' | 'user-only-file';

export interface KeyInfo {
  kid: string;
  purpose: Purpose;
  /** private: the console holds the private half (and so the public half too). */
  type: KeyType;
  use: KeyUse;
  bits: number;
  /** Where it came from: a file path, "pasted", "generated", "runner checkout …". */
  source: string;
  label: string;
  addedAt: string;
  publicPem: string;
  /** Only for private keys: how the secret half is protected. */
  storage?: SecretStorage;
  /** What the console uses this key for now (derived from the whole ring). */
  usedFor?: KeyRole[];
}

export type KeyRole = 'launch-signing' | 'launch-encryption' | 'downstream-decryption' | 'downstream-verification';

/** A file's text handed over by the renderer (drag and drop, picker, paste). */
export interface ImportText {
  name: string;
  text: string;
}

/** Overrides for keys whose purpose or use cannot be read from a file name or store. */
export interface ImportOptions {
  purpose?: Purpose;
  use?: KeyUse;
}

export interface ImportReport {
  added: KeyInfo[];
  /** Keys already present; a private half arriving for a known public key upgrades it. */
  unchanged: string[];
  upgraded: string[];
  skipped: { name: string; reason: string }[];
}

export interface GenerateOptions {
  purpose: Purpose;
  use: KeyUse;
  bits: 2048 | 3072 | 4096;
  label?: string;
}

export interface PublicExport {
  kid: string;
  /** File name the runner's way: <platform>-<service>-<purpose>-<use>-public-<version>.pem */
  fileName: string;
  pem: string;
  /** A keys.yml fragment the runner's key store can load (the public half only). */
  keysYml: string;
}

export interface Environment {
  id: string;
  name: string;
  runnerUrl: string;
}

export interface AppInfo {
  mode: 'electron' | 'browser';
  version: string;
  configDir: string;
  /** How private keys are protected at rest in this mode, in words for the user. */
  secretStorage: string;
  activeEnvironment: Environment;
}

export interface InspectOptions {
  /** Runner base URL: fetch /schemas/<name> to check the questionnaire metadata. */
  runnerUrl?: string;
}

export interface MintResult {
  token: string;
  signingKid: string;
  encryptionKid: string;
}

export interface ConsoleApi {
  app: {
    info(): Promise<AppInfo>;
  };
  keys: {
    list(): Promise<KeyInfo[]>;
    importTexts(files: ImportText[], options?: ImportOptions): Promise<ImportReport>;
    /** A runner checkout: its tests/jwt-test-keys folder and dev-keys.yml, in one step. */
    importRunnerCheckout(path: string): Promise<ImportReport>;
    generate(options: GenerateOptions): Promise<KeyInfo>;
    remove(kid: string): Promise<void>;
    exportPublic(kid: string): Promise<PublicExport>;
  };
  tokens: {
    /** Signs and encrypts the claims exactly as given, with the key ring's authentication keys. */
    mint(claims: Record<string, unknown>): Promise<MintResult>;
    inspect(input: string, options?: InspectOptions): Promise<InspectReport>;
  };
}

export type ApiGroup = keyof ConsoleApi;
export type Channel = {
  [G in ApiGroup]: `${G}.${Extract<keyof ConsoleApi[G], string>}`;
}[ApiGroup];

/** Every channel, checked against the contract both ways (a missing or extra name fails to compile). */
export const CHANNELS = [
  'app.info',
  'keys.list',
  'keys.importTexts',
  'keys.importRunnerCheckout',
  'keys.generate',
  'keys.remove',
  'keys.exportPublic',
  'tokens.mint',
  'tokens.inspect',
] as const satisfies readonly Channel[];

type Missing = Exclude<Channel, (typeof CHANNELS)[number]>;
// Compile-time proof that CHANNELS lists every operation of ConsoleApi.
export const CHANNELS_COMPLETE: [Missing] extends [never] ? true : Missing = true;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && (CHANNELS as readonly string[]).includes(name);
}
