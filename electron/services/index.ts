// One set of services behind every front door (Electron IPC, browser mode, CLI).
import { createRequire } from 'node:module';
import type { AppInfo, ConsoleApi } from '../../shared/api';
import { EnvironmentService } from './config/environments';
import { SettingsStore } from './config/settings';
import { HistoryStore } from './launch/history';
import { ProfileStore } from './launch/profiles';
import { LaunchService } from './launch/service';
import { KeyRings } from './keyring/rings';
import { type SecretSealer, userOnlyFileSealer } from './keyring/secrets';
import type { KeyringService } from './keyring/service';
import { runnerSchemaNames, schemaCatalogue } from './schemas/catalogue';
import { createSchemaPreviews, type SchemaPreviews } from './schemas/preview';
import { BrowserSessionHost } from './sessions/browser-host';
import type { SessionHost } from './sessions/host';
import { launchKeys } from './tokens/launch-keys';
import { DownstreamService } from './downstream/service';
import { FlushService } from './flush/service';
import { TokenService } from './tokens/service';

export interface ServicesOptions {
  configDir: string;
  mode: 'electron' | 'browser' | 'cli';
  sealer?: SecretSealer;
  /** Where respondent sessions open: the desktop shell embeds them; elsewhere the user's browser does. */
  sessionHost?: SessionHost;
  /** The local schema preview servers; made here when not given. */
  previews?: SchemaPreviews;
}

export interface Services extends ConsoleApi {
  /** Stops what runs in the background (schema previews, folder watches) when the app quits. */
  shutdown(): Promise<void>;
  /** Every environment's key ring; keys.* work on the active one. */
  keyrings: KeyRings;
  settings: SettingsStore;
  previews: SchemaPreviews;
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  const sealer = options.sealer ?? userOnlyFileSealer;
  const settings = new SettingsStore(options.configDir);
  const keyrings = new KeyRings(settings, sealer);
  // Opened now, so a first run generates its dev ring before the UI asks for it.
  await keyrings.active();
  const history = new HistoryStore(options.configDir);
  const tokens = new TokenService(() => keyrings.activeRing(), history);
  const profiles = new ProfileStore(options.configDir, () => settings.activeEnvironment().id);
  const environments = new EnvironmentService(settings, keyrings, (id) => {
    try {
      profiles.removeEnvironment(id);
    } catch {
      // A corrupt profiles.json is reported when profiles are next listed; the environment is gone either way.
    }
  });
  const host = options.sessionHost ?? new BrowserSessionHost(() => settings.activeEnvironment().runnerUrl);
  const previews = options.previews ?? createSchemaPreviews();
  const launch = new LaunchService({
    history,
    host,
    schemaNames: cachedSchemaNames(),
    currentPreview: (url) => previews.current(url),
    environment: (id) => (id !== undefined && settings.environments().find((e) => e.id === id)) || settings.activeEnvironment(),
    keys: async (environmentId) => {
      const env = settings.stored(environmentId) ?? settings.activeStored();
      const service = await keyrings.forEnvironment(env);
      service.refresh();
      return launchKeys(service.ring);
    },
  });

  const flush = new FlushService({
    runnerUrl: () => settings.activeEnvironment().runnerUrl,
    keys: async () => launchKeys(await keyrings.activeRing()),
    launchClaims: async (historyId) => history.get(historyId).claims,
  });

  // The active environment's submission keys, asked for at each call: switching environment
  // switches the keys payloads are opened with.
  const downstream = new DownstreamService({ ring: () => keyrings.activeRing() });

  const version = appVersion();
  const info = async (): Promise<AppInfo> => ({
    mode: options.mode === 'electron' ? 'electron' : 'browser',
    version,
    configDir: options.configDir,
    // Asked each time: a keychain can be unlocked while the app runs.
    secretStorage: sealer.description,
    activeEnvironment: settings.activeEnvironment(),
  });
  const activeKeys = () => keyrings.active();
  return {
    shutdown: async () => {
      await Promise.all([previews.stopAll(), downstream.stopAll()]);
    },
    keyrings,
    settings,
    previews,
    app: { info },
    keys: delegate<KeyringService, ConsoleApi['keys']>(activeKeys, ['list', 'importTexts', 'importRunnerCheckout', 'generate', 'remove', 'exportPublic', 'assignRole']),
    tokens: bindAll(tokens),
    environments: bindAll(environments),
    schemas: {
      ...schemaCatalogue,
      previewStart: (path) => previews.start(path),
      previewStatus: (id) => previews.status(id),
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
      list: () => profiles.list(),
      save: (profile) => profiles.save(profile),
      remove: (id) => profiles.remove(id),
    },
    flush: bindAll(flush),
    downstream: {
      open: (sources) => downstream.open(sources),
      payload: (itemId) => downstream.payload(itemId),
      watchStart: (path) => downstream.watchStart(path),
      watchStatus: (id, since) => downstream.watchStatus(id, since),
      watchStop: (id) => downstream.watchStop(id),
    },
    sessions: {
      list: () => host.list(),
      control: (id, action, url) => host.control(id, action, url),
      setViewport: (rect) => host.setViewport(rect),
      previewSubmission: (id) => host.previewSubmission(id),
    },
  };
}

/** A runner's schema list, asked again at most every half minute: launches judge against it. */
function cachedSchemaNames(): (runnerUrl: string) => Promise<string[] | undefined> {
  const seen = new Map<string, { at: number; names?: string[] }>();
  return async (runnerUrl) => {
    const hit = seen.get(runnerUrl);
    if (hit && Date.now() - hit.at < 30_000) return hit.names;
    const names = await runnerSchemaNames(runnerUrl).catch(() => undefined);
    seen.set(runnerUrl, { at: Date.now(), names });
    return names;
  };
}

/** The contract's methods called on whatever instance get() gives at the time of the call. */
function delegate<T extends object, G>(get: () => Promise<T>, methods: (keyof G & keyof T)[]): G {
  const out: Record<string, unknown> = {};
  for (const name of methods) {
    out[name as string] = async (...args: unknown[]) => {
      const target = await get();
      return (target[name] as (...a: unknown[]) => unknown).apply(target, args);
    };
  }
  return out as G;
}

/** Class methods as plain functions, so transports can call them detached from the instance. */
function bindAll<T extends object>(instance: T): T {
  const proto = Object.getPrototypeOf(instance) as object;
  const out: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(proto)) {
    const value = (instance as Record<string, unknown>)[name];
    if (name !== 'constructor' && typeof value === 'function') out[name] = value.bind(instance);
  }
  return out as T;
}

function appVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
