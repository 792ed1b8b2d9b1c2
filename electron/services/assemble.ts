// The services put together: every service of the contract wired to the others and to the front
// door's options. Loaded by createServices() (index.ts) on the first operation that needs it, so a
// quick command never parses any of this. Nothing is read, written or generated until an
// operation needs it; every contract operation checks its arguments (shared/contract-schemas.ts)
// whichever door it came through.
import { createRequire } from 'node:module';
import type { AppInfo, ConsoleApi } from '../../shared/api';
import { checkedApi } from '../../shared/contract-schemas';
import { ConsoleError } from '../../shared/errors';
import { runnerBaseUrl } from '../../shared/runner-url';
import { launchKeyFacts } from '../../shared/verdict';
import { EnvironmentService } from './config/environments';
import { SettingsStore } from './config/settings';
import { DownstreamService } from './downstream/service';
import type { EventHub } from './events';
import type { DirectOperations, ServicesOptions } from './index';
import { loadHeavyDeps } from './heavy-deps';
import { FlushService } from './flush/service';
import { importTexts, readKeyFiles } from './keyring/import';
import { looksLikeKeyStore } from './keyring/key-store-file';
import { KeyRing } from './keyring/keyring';
import { KeyRings } from './keyring/rings';
import { userOnlyFileSealer } from './keyring/secrets';
import type { KeyringService } from './keyring/service';
import { HistoryStore } from './launch/history';
import { ProfileStore } from './launch/profiles';
import { LaunchService } from './launch/service';
import { RunnerCapabilityService } from './runner/capabilities';
import { RunnerRecords } from './runner/records';
import { runnerSchemaNames, schemaCatalogue } from './schemas/catalogue';
import { createSchemaPreviews } from './schemas/preview';
import { BrowserSessionHost } from './sessions/browser-host';
import { sealClaims } from './tokens/jwt-profile';
import { launchKeys } from './tokens/launch-keys';
import { mintBatch } from './tokens/mint-pool';
import { TokenService } from './tokens/service';

export interface Assembled {
  api: ConsoleApi;
  direct: Omit<DirectOperations, 'kidOf' | 'keyStoreSkipped'>;
  shutdown(): Promise<void>;
}

/** hub: where events go out; notices and skipped: what createServices() hands its callers. */
export async function assemble(options: ServicesOptions, hub: EventHub, notices: string[], skipped: string[]): Promise<Assembled> {
  const sealer = options.sealer ?? userOnlyFileSealer;
  const emit = hub.emit.bind(hub);
  // Read on first use: `keys kid` or `--help` never touch the config folder.
  const settings = lazy(() => new SettingsStore(options.configDir, options.storeFactory));
  const keyrings = lazy(() => new KeyRings(settings(), sealer));
  const store = options.keyStore ? await ringFromStore(options.keyStore, skipped) : undefined;
  const storeRing = store ? () => store : undefined;
  /** The keys every operation signs, encrypts and opens with: --keys, else the active environment's ring. */
  const activeRing = async (): Promise<KeyRing> => {
    if (storeRing) return storeRing();
    await loadHeavyDeps();
    return keyrings().activeRing();
  };
  const runnerUrl = () => (options.runnerUrl ? runnerBaseUrl(options.runnerUrl) : settings().activeEnvironment().runnerUrl);

  const runnerRecords = lazy(() => new RunnerRecords(options.configDir, options.storeFactory));
  const runners = new RunnerCapabilityService({
    keys: async () => launchKeys(await activeRing()),
    records: runnerRecords,
    // --runner-accepts wins; else the active environment's setting, for its own runner only.
    override: (url) => {
      if (options.runnerAccepts) return { accepts: [...options.runnerAccepts], by: 'command-line' };
      const env = settings().activeEnvironment();
      return env.runnerAccepts && runnerBaseUrl(env.runnerUrl) === url ? { accepts: env.runnerAccepts, by: 'environment' } : undefined;
    },
  });
  /** What the rules take for a runner; with --runner-accepts, also when no runner is named. */
  const acceptance = async (url: string | undefined) =>
    url !== undefined ? runners.acceptance(url) : options.runnerAccepts ? runners.acceptance(runnerUrl()) : undefined;

  const history = new HistoryStore(options.configDir, options.storeFactory);
  const tokens = new TokenService(activeRing, history, acceptance);
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
  const previews = options.previews ?? createSchemaPreviews({ emit, configDir: options.configDir });
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
    acceptance: (url) => runners.acceptance(url),
  });
  const flush = new FlushService({
    runnerUrl,
    keys: async () => launchKeys(await activeRing()),
    launchClaims: async (historyId) => history.get(historyId).claims,
    emit,
  });
  // The active environment's submission keys, asked for at each call: switching environment
  // switches the keys payloads are opened with.
  const downstream = new DownstreamService({ ring: activeRing, emit, configDir: options.configDir });

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
    runners: {
      capabilities: (url, opts) => runners.capabilities(url ?? runnerUrl(), opts),
      setAccepts: (id, accepts) => environments().setRunnerAccepts(id, accepts),
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
      forge: (request) => launch.forge(request),
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
      payload: (itemId, options) => downstream.payload(itemId, options),
      answers: (itemId, window) => downstream.answers(itemId, window),
      answersCsv: (itemId, query) => downstream.answersCsv(itemId, query),
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

  const direct: Assembled['direct'] = withHeavyDeps(
    {
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
        const ring = await activeRing();
        yield* openEvents(expandSources(sources, { defer: true, configDir: options.configDir }), ring, openOptions);
      },
      judgeLaunch: async (claims, facts) => launch.judgeWith(claims, facts),
      runnerUrl: async () => runnerUrl(),
    },
    // These reach their keys through activeRing(), which loads what it needs: a folder of PEMs
    // given with --keys needs neither YAML nor the settings store.
    ['mintText', 'mintMany', 'openDownstream'],
  );

  return {
    api: checkedApi(withHeavyDeps(api)),
    direct,
    shutdown: async () => {
      await Promise.all([previews.stopAll(), downstream.stopAll()]);
    },
  };
}

/**
 * The same operations, each loading the heavy dependencies (heavy-deps.ts) before it runs: a
 * group of the contract, or the direct operations except those named, which never need them.
 */
function withHeavyDeps<T extends object>(ops: T, light: string[] = []): T {
  const wrap =
    (fn: (...a: unknown[]) => Promise<unknown>) =>
    async (...args: unknown[]) => {
      await loadHeavyDeps();
      return fn(...args);
    };
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(ops)) {
    if (light.includes(name) || (typeof value !== 'function' && (typeof value !== 'object' || value === null || Array.isArray(value)))) out[name] = value;
    else if (typeof value === 'function') out[name] = wrap(value as (...a: unknown[]) => Promise<unknown>);
    else out[name] = withHeavyDeps(value as object);
  }
  return out as T;
}

/** A value made on first use and kept. */
function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** --keys: the keys of an sdc key store file or a folder of PEM files, held in memory only. */
async function ringFromStore(keysPath: string, skipped: string[]): Promise<KeyRing> {
  const ring = new KeyRing();
  const texts = readKeyFiles([keysPath]);
  // YAML is loaded only for a key store; a folder of PEM files does without it.
  if (texts.some((t) => looksLikeKeyStore(t.text))) await loadHeavyDeps();
  const report = importTexts(ring, texts);
  if (ring.list().length === 0) {
    const reason = report.skipped[0]?.reason ?? 'no keys found';
    throw new ConsoleError('bad-key-store', `${keysPath} gave no usable keys: ${reason}`);
  }
  for (const s of report.skipped) skipped.push(`warning: skipped ${s.name}: ${s.reason}`);
  return ring;
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
