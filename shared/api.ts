// The one contract. The Electron preload, the browser-mode client and the services all
// compile against ConsoleApi; a channel that is not declared here cannot be called.
// Nothing in these types may carry private key material: the renderer sees kids,
// purposes and public PEMs only.
import type { InspectReport } from './inspect-types';
import type { Verdict } from './verdict';
import type {
  HistoryEntry,
  LaunchRequest,
  LaunchResult,
  Profile,
  Rect,
  SchemaCatalogue,
  SchemaPreview,
  SchemaSource,
  SessionAction,
  SessionInfo,
  SchemaSummary,
} from './launch-types';
import type { FlushJob, FlushRequest } from './flush/types';
import type { DownstreamResult, DownstreamSource, DownstreamWatch } from './downstream/types';
import type { AnswerPage, AnswerQuery, AnswerWindow } from './downstream/answer-query';
import type { LaunchVersion, RunnerCapabilities } from './runner-capabilities';

export type { LaunchVersion, RunnerCapabilities } from './runner-capabilities';
import type { ForgeRequest, ForgeResult } from './launch/forge-kinds';

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
  /** Why this front door cannot use the private half (the desktop keychain holds it). */
  locked?: string;
}

export type KeyRole = LaunchRole | 'downstream-decryption' | 'downstream-verification';

/** The two keys every launch (and flush) token needs; each environment's ring names one key for each. */
export type LaunchRole = 'launch-signing' | 'launch-encryption';
export const LAUNCH_ROLES: readonly LaunchRole[] = ['launch-signing', 'launch-encryption'];

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

/** A runner and the key ring used with it. */
export interface Environment {
  id: string;
  name: string;
  runnerUrl: string;
  /** The launch versions its runner accepts, as the user set them; absent: the console finds out. */
  runnerAccepts?: LaunchVersion[];
}

export interface AppInfo {
  mode: 'electron' | 'browser';
  version: string;
  configDir: string;
  /** How private keys are protected at rest in this mode, in words for the user. */
  secretStorage: string;
  activeEnvironment: Environment;
  /** Damaged config files the console moved aside (one line each: which, why, what it did instead). */
  setAside?: string[];
}

export interface InspectOptions {
  /** Runner base URL: fetch /schemas/<name> to check the questionnaire metadata, and judge by the versions it accepts. */
  runnerUrl?: string;
}

export interface PayloadOptions {
  /** Leave data.answers empty: the page asks for the answers in windows (downstream.answers). */
  withoutAnswers?: boolean;
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
    /** Names the key that signs launches, or the runner key launches are encrypted to; the list after. */
    assignRole(role: LaunchRole, kid: string): Promise<KeyInfo[]>;
  };
  tokens: {
    inspect(input: string, options?: InspectOptions): Promise<InspectReport>;
  };
  environments: {
    list(): Promise<Environment[]>;
    /** Adds or updates (by id); a new environment starts with its own, freshly generated, key ring. */
    save(environment: Omit<Environment, 'id'> & { id?: string }): Promise<Environment>;
    remove(id: string): Promise<void>;
    /** The Keys, Launch and Flush screens work with the active environment's runner and key ring. */
    activate(id: string): Promise<Environment>;
  };
  runners: {
    /**
     * Which launch versions a runner accepts (the active environment's runner when none is named):
     * the environment's setting, else what the runner answered to the console's probe, kept per
     * runner URL. refresh: probe it again now.
     */
    capabilities(runnerUrl?: string, options?: { refresh?: boolean }): Promise<RunnerCapabilities>;
    /** Sets (or, with null, clears: the console finds out) the versions an environment's runner accepts. */
    setAccepts(environmentId: string, accepts: LaunchVersion[] | null): Promise<Environment>;
  };
  schemas: {
    catalogue(source: SchemaSource): Promise<SchemaCatalogue>;
    /** One schema's summary, fetched the way the runner would (e.g. to validate a launch's metadata). */
    summary(source: SchemaSource, name: string): Promise<SchemaSummary>;
    /** Serves a schema file on 127.0.0.1; its changes arrive as schemas.preview events. */
    previewStart(path: string): Promise<SchemaPreview>;
    previewStop(id: string): Promise<void>;
  };
  launch: {
    /**
     * The verdict on claims before they are minted (shared/verdict.ts): the active ring's launch keys,
     * the runner's schema list, the schema's metadata when given, the jtis already sent.
     */
    check(claims: Record<string, unknown>, schema?: SchemaSummary): Promise<Verdict>;
    /** Mints the token, records the launch in the history and opens the session as asked. */
    start(request: LaunchRequest): Promise<LaunchResult>;
    /** The same launch again with fresh jti, tx_id, iat, exp (and a new response when asked). */
    relaunch(historyId: string, options?: { newResponse?: boolean; open?: LaunchRequest['open'] }): Promise<LaunchResult>;
    /**
     * A broken token on purpose (shared/launch/forge-kinds.ts): a valid launch with one thing broken,
     * what the runner will answer and why. Nothing is sent or recorded.
     */
    forge(request: ForgeRequest): Promise<ForgeResult>;
  };
  history: {
    list(): Promise<HistoryEntry[]>;
    remove(id: string): Promise<void>;
    clear(): Promise<void>;
  };
  profiles: {
    /** The active environment's profiles. */
    list(): Promise<Profile[]>;
    save(profile: Omit<Profile, 'id' | 'savedAt' | 'environmentId'> & { id?: string }): Promise<Profile>;
    remove(id: string): Promise<void>;
  };
  flush: {
    /** Starts flushing in the background; progress and outcomes arrive as flush.progress events. */
    start(request: FlushRequest): Promise<FlushJob>;
    cancel(jobId: string): Promise<FlushJob>;
    /** A new job for the ids of a finished job that were not flushed and had something to flush. */
    retry(jobId: string): Promise<FlushJob>;
  };
  downstream: {
    /** Decrypts, verifies and validates every payload found in the sources (files, folders, logs, texts). */
    open(sources: DownstreamSource[]): Promise<DownstreamResult>;
    /**
     * The decrypted payload of an item from open() or a watch. withoutAnswers: data.answers comes
     * empty (a payload of 100,000 answers is tens of MB); answers() hands them out in windows.
     */
    payload(itemId: string, options?: PayloadOptions): Promise<unknown>;
    /** A window of the item's answers (data 0.0.3), filtered, sorted and grouped where the payload is held. */
    answers(itemId: string, window: AnswerWindow): Promise<AnswerPage>;
    /** Every answer the query lets through, in its order, as the answers table's CSV. */
    answersCsv(itemId: string, query: AnswerQuery): Promise<string>;
    /** Watches a folder on this machine: new files are opened as they appear, and arrive as downstream.watch events. */
    watchStart(path: string): Promise<DownstreamWatch>;
    watchStop(watchId: string): Promise<void>;
  };
  sessions: {
    list(): Promise<SessionInfo[]>;
    control(id: string, action: SessionAction, url?: string): Promise<SessionInfo[]>;
    /** Where the page leaves room for the embedded session (desktop only; a no-op elsewhere). */
    setViewport(rect: Rect | null): Promise<void>;
    /** GET /dump/submission with the session's own cookies (sessions launched with role dumper). */
    previewSubmission(id: string): Promise<unknown>;
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
  'keys.assignRole',
  'tokens.inspect',
  'environments.list',
  'environments.save',
  'environments.remove',
  'environments.activate',
  'runners.capabilities',
  'runners.setAccepts',
  'schemas.catalogue',
  'schemas.summary',
  'schemas.previewStart',
  'schemas.previewStop',
  'launch.check',
  'launch.start',
  'launch.relaunch',
  'launch.forge',
  'history.list',
  'history.remove',
  'history.clear',
  'profiles.list',
  'profiles.save',
  'profiles.remove',
  'flush.start',
  'flush.cancel',
  'flush.retry',
  'downstream.open',
  'downstream.payload',
  'downstream.answers',
  'downstream.answersCsv',
  'downstream.watchStart',
  'downstream.watchStop',
  'sessions.list',
  'sessions.control',
  'sessions.setViewport',
  'sessions.previewSubmission',
] as const satisfies readonly Channel[];

type Missing = Exclude<Channel, (typeof CHANNELS)[number]>;
// Compile-time proof that CHANNELS lists every operation of ConsoleApi.
export const CHANNELS_COMPLETE: [Missing] extends [never] ? true : Missing = true;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && (CHANNELS as readonly string[]).includes(name);
}
