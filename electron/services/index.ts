// One set of services behind every front door: Electron IPC, browser mode and the command line
// all call createServices(). Nothing is read, written or generated until an operation needs it,
// so a quick command starts quickly; every contract operation checks its arguments
// (shared/contract-schemas.ts) whichever door it came through.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AppInfo, ConsoleApi, ImportOptions, ImportReport } from '../../shared/api';
import { checkedApi } from '../../shared/contract-schemas';
import type { DownstreamSource } from '../../shared/downstream/types';
import { ConsoleError } from '../../shared/errors';
import type { ConsoleEvents } from '../../shared/events';
import { runnerBaseUrl } from '../../shared/runner-url';
import { judge, launchKeyFacts, type Verdict } from '../../shared/verdict';
import { EnvironmentService } from './config/environments';
import type { StoreFactory } from './config/document';
import { onSetAside } from './config/set-aside';
import { SettingsStore } from './config/settings';
import type { OpenEvent, OpenOptions } from './downstream/pipeline';
import { DownstreamService } from './downstream/service';
import { EventHub } from './events';
import { FlushService } from './flush/service';
import { importTexts, readKeyFiles } from './keyring/import';
import { looksLikeKeyStore } from './keyring/key-store-file';
import { KeyRing } from './keyring/keyring';
import { parseSinglePem } from './keyring/pem';
import { KeyRings } from './keyring/rings';
import { type SecretSealer, userOnlyFileSealer } from './keyring/secrets';
import type { KeyringService } from './keyring/service';
import { HistoryStore } from './launch/history';
import { ProfileStore } from './launch/profiles';
import { LaunchService } from './launch/service';
import { runnerSchemaNames, schemaCatalogue } from './schemas/catalogue';
import { createSchemaPreviews, type SchemaPreviews } from './schemas/preview';
import { BrowserSessionHost } from './sessions/browser-host';
import type { SessionHost } from './sessions/host';
import { sealClaims } from './tokens/jwt-profile';
import { launchKeys } from './tokens/launch-keys';
import { mintBatch } from './tokens/mint-pool';
import { TokenService } from './tokens/service';

export interface ServicesOptions {
  configDir: string;
  mode: 'electron' | 'browser' | 'cli';
  sealer?: SecretSealer;
  /** Where respondent sessions open: the desktop shell embeds them; elsewhere the user's browser does. */
  sessionHost?: SessionHost;
  /** The local schema preview servers; made here when not given. */
  previews?: SchemaPreviews;
  /** The hub events go out on, when the front door made it first (the desktop shell's session host emits too). */
  events?: EventHub;
  /** How a URL is opened in the user's browser where the services do it themselves (the command line's --open). */
  openExternal?: (url: string) => Promise<void>;
  /** The command line's --keys: an sdc key store (file or folder of PEMs) to use instead of the active environment's ring. */
  keyStore?: string;
  /** The command line's --runner: the runner to use instead of the active environment's. */
  runnerUrl?: string;
  /** Makes the store of settings, profiles and history: electron-store in the desktop app, plain conf elsewhere. */
  storeFactory?: StoreFactory;
}

/** What only a caller in this process uses (the command line): files on disk, streams, text signed as written. */
export interface DirectOperations {
  /** The kid of the key in a PEM file. */
  kidOf(file: string): string;
  importPaths(paths: string[], options?: ImportOptions): Promise<ImportReport>;
  /** Signs and encrypts claims text byte for byte as written; the launch keys used. */
  mintText(text: string): Promise<{ token: string; signingKid: string; encryptionKid: string }>;
  /** count tokens of the claims, each with a fresh jti and tx_id, handed over in chunks. */
  mintMany(claims: Record<string, unknown>, count: number, emit: (tokens: string[]) => void): Promise<{ signingKid: string; encryptionKid: string }>;
  /** Payloads opened one by one, in input order, in bounded memory (worker threads for many). */
  openDownstream(sources: DownstreamSource[], options?: OpenOptions): AsyncGenerator<OpenEvent>;
  /** The verdict on claims about to be minted, with what this process knows of the runner (a schema it failed to load). */
  judgeLaunch(claims: Record<string, unknown>, facts: Parameters<typeof judge>[1]['runner']): Promise<Verdict>;
  /** The runner launches and flushes go to: --runner, else the active environment's. */
  runnerUrl(): string;
  /** What the --keys store held that is not a key the console can use, one line each. */
  keyStoreSkipped: string[];
}

export interface Services extends ConsoleApi, ConsoleEvents {
  /** Stops what runs in the background (schema previews, folder watches) when the app quits. */
  shutdown(): Promise<void>;
  /** Every environment's key ring; keys.* work on the active one. */
  keyrings: KeyRings;
  settings: SettingsStore;
  previews: SchemaPreviews;
  direct: DirectOperations;
  /**
   * One line for each damaged file set aside in this config folder since the services started
   * (app.info().setAside shows them in the app). The command line prints each as it happens
   * (electron/cli/main.ts), so it need not print these again.
   */
  notices: string[];
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  const sealer = options.sealer ?? userOnlyFileSealer;
  const hub = options.events ?? new EventHub();
  const emit = hub.emit.bind(hub);
  const notices: string[] = [];
  const stopNotices = onSetAside((note) => {
    if (isInside(note.file, options.configDir)) notices.push(note.text);
  });
  // Read on first use: `keys kid` or `--help` never touch the config folder.
  const settings = lazy(() => new SettingsStore(options.configDir, options.storeFactory));
  const keyrings = lazy(() => new KeyRings(settings(), sealer));
  // Opened now when given: a store that cannot be read is the command's first error, not a later one's.
  const skipped: string[] = [];
  const store = options.keyStore ? ringFromStore(options.keyStore, skipped) : undefined;
  const storeRing = store ? () => store : undefined;
  /** The keys every operation signs, encrypts and opens with: --keys, else the active environment's ring. */
  const activeRing = async (): Promise<KeyRing> => (storeRing ? storeRing() : keyrings().activeRing());
  const runnerUrl = () => (options.runnerUrl ? runnerBaseUrl(options.runnerUrl) : settings().activeEnvironment().runnerUrl);

  const history = new HistoryStore(options.configDir, options.storeFactory);
  const tokens = new TokenService(activeRing, history);
  const profiles = lazy(() => new ProfileStore(options.configDir, () => settings().activeEnvironment().id, options.storeFactory));
  const environments = lazy(
    () =>
      new EnvironmentService(settings(), keyrings(), (id) => {
        try {
          profiles().removeEnvironment(id);
        } catch {
          // A corrupt profiles.json is reported when profiles are next listed; the environment is gone either way.
        }
      }),
  );
  const host = options.sessionHost ?? new BrowserSessionHost(runnerUrl, options.openExternal);
  const previews = options.previews ?? createSchemaPreviews({ emit });
  const launch = new LaunchService({
    history,
    host,
    schemaNames: cachedSchemaNames(),
    currentPreview: (url) => previews.current(url),
    environment: (id) => {
      const env =
        (id !== undefined &&
          settings()
            .environments()
            .find((e) => e.id === id)) ||
        settings().activeEnvironment();
      return options.runnerUrl ? { ...env, runnerUrl: runnerUrl() } : env;
    },
    keys: async (environmentId) => {
      if (storeRing) return launchKeys(storeRing());
      const env = settings().stored(environmentId) ?? settings().activeStored();
      const service = await keyrings().forEnvironment(env);
      service.refresh();
      return launchKeys(service.ring);
    },
    keyFacts: async () => launchKeyFacts((await activeRing()).list()),
  });
  const flush = new FlushService({
    runnerUrl,
    keys: async () => launchKeys(await activeRing()),
    launchClaims: async (historyId) => history.get(historyId).claims,
    emit,
  });
  // The active environment's submission keys, asked for at each call: switching environment
  // switches the keys payloads are opened with.
  const downstream = new DownstreamService({ ring: activeRing, emit });

  const version = appVersion();
  const info = async (): Promise<AppInfo> => {
    // The app asks this first: every file it will use is read now, so what had to be set aside is
    // known. A file that cannot be read at all is reported by the screen that needs it.
    const activeEnvironment = settings().activeEnvironment();
    await Promise.allSettled([(async () => history.open())(), (async () => profiles().open())(), keyrings().active()]);
    return {
      mode: options.mode === 'electron' ? 'electron' : 'browser',
      version,
      configDir: options.configDir,
      // Asked each time: a keychain can be unlocked while the app runs.
      secretStorage: sealer.description,
      activeEnvironment,
      ...(notices.length ? { setAside: [...notices] } : {}),
    };
  };
  const activeKeys = (): Promise<KeyringService> => keyrings().active();

  const api: ConsoleApi = {
    app: { info },
    keys: {
      list: async () => (storeRing ? storeRing().list() : (await activeKeys()).list()),
      importTexts: async (files, opts) => (await activeKeys()).importTexts(files, opts),
      importRunnerCheckout: async (path) => (await activeKeys()).importRunnerCheckout(path),
      generate: async (opts) => (await activeKeys()).generate(opts),
      remove: async (kid) => (await activeKeys()).remove(kid),
      exportPublic: async (kid) => (await activeKeys()).exportPublic(kid),
      assignRole: async (role, kid) => (await activeKeys()).assignRole(role, kid),
    },
    tokens: {
      inspect: (input, opts) => tokens.inspect(input, opts),
    },
    environments: {
      list: () => environments().list(),
      save: (env) => environments().save(env),
      remove: (id) => environments().remove(id),
      activate: (id) => environments().activate(id),
    },
    schemas: {
      ...schemaCatalogue,
      previewStart: (path) => previews.start(path),
      previewStop: (id) => previews.stop(id),
    },
    launch: {
      check: (claims, schema) => launch.check(claims, schema),
      start: (request) => launch.start(request),
      relaunch: (historyId, opts) => launch.relaunch(historyId, opts),
    },
    history: {
      list: () => history.list(),
      remove: (id) => history.remove(id),
      clear: () => history.clear(),
    },
    profiles: {
      list: () => profiles().list(),
      save: (profile) => profiles().save(profile),
      remove: (id) => profiles().remove(id),
    },
    flush: {
      start: (request) => flush.start(request),
      cancel: (id) => flush.cancel(id),
      retry: (id) => flush.retry(id),
    },
    downstream: {
      open: (sources) => downstream.open(sources),
      payload: (itemId) => downstream.payload(itemId),
      watchStart: (path) => downstream.watchStart(path),
      watchStop: (id) => downstream.watchStop(id),
    },
    sessions: {
      list: () => host.list(),
      control: (id, action, url) => host.control(id, action, url),
      setViewport: (rect) => host.setViewport(rect),
      previewSubmission: (id) => host.previewSubmission(id),
    },
  };

  const direct: DirectOperations = {
    kidOf: (file) => {
      const text = readText(file);
      if (looksLikeKeyStore(text)) throw new ConsoleError('bad-pem', `${file} is a key store, not a PEM file; each key in it is filed under its kid already`);
      return parseSinglePem(text, file).kid;
    },
    importPaths: async (paths, opts) => (await activeKeys()).importPaths(paths, opts),
    mintText: async (text) => {
      const keys = launchKeys(await activeRing());
      return { token: sealClaims(text, keys), signingKid: keys.signer.kid, encryptionKid: keys.recipient.kid };
    },
    mintMany: async (claims, count, emitTokens) => {
      const keys = launchKeys(await activeRing());
      await mintBatch(claims, keys, count, emitTokens);
      return { signingKid: keys.signer.kid, encryptionKid: keys.recipient.kid };
    },
    openDownstream: async function* (sources, openOptions) {
      const { openEvents } = await import('./downstream/pipeline');
      const { expandSources } = await import('./downstream/sources');
      yield* openEvents(expandSources(sources), await activeRing(), openOptions);
    },
    judgeLaunch: async (claims, facts) => launch.judgeWith(claims, facts),
    runnerUrl,
    keyStoreSkipped: skipped,
  };

  return {
    ...checkedApi(api),
    onEvent: (listener) => hub.onEvent(listener),
    shutdown: async () => {
      stopNotices();
      await Promise.all([previews.stopAll(), downstream.stopAll()]);
    },
    get keyrings() {
      return keyrings();
    },
    get settings() {
      return settings();
    },
    previews,
    direct,
    notices,
  };
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** A value made on first use and kept. */
function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** --keys: the keys of an sdc key store file or a folder of PEM files, held in memory only. */
function ringFromStore(keysPath: string, skipped: string[]): KeyRing {
  const ring = new KeyRing();
  const report = importTexts(ring, readKeyFiles([keysPath]));
  if (ring.list().length === 0) {
    const reason = report.skipped[0]?.reason ?? 'no keys found';
    throw new ConsoleError('bad-key-store', `${keysPath} gave no usable keys: ${reason}`);
  }
  for (const s of report.skipped) skipped.push(`warning: skipped ${s.name}: ${s.reason}`);
  return ring;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConsoleError('not-found', `cannot read ${file}`);
  }
}

/** A runner's schema list, asked again at most every half minute: launches judge against it. */
function cachedSchemaNames(): (runnerUrl: string) => Promise<string[] | undefined> {
  const seen = new Map<string, { at: number; names?: string[] }>();
  return async (url) => {
    const hit = seen.get(url);
    if (hit && Date.now() - hit.at < 30_000) return hit.names;
    const names = await runnerSchemaNames(url).catch(() => undefined);
    seen.set(url, { at: Date.now(), names });
    return names;
  };
}

function appVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
