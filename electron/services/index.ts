// One set of services behind every front door (Electron IPC, browser mode, CLI).
import { createRequire } from 'node:module';
import type { AppInfo, ConsoleApi } from '../../shared/api';
import { SettingsStore } from './config/settings';
import { KeyringService } from './keyring/service';
import { type SecretSealer, userOnlyFileSealer } from './keyring/secrets';
import { TokenService } from './tokens/service';

export interface ServicesOptions {
  configDir: string;
  mode: 'electron' | 'browser' | 'cli';
  sealer?: SecretSealer;
}

export interface Services extends ConsoleApi {
  keyring: KeyringService;
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  const sealer = options.sealer ?? userOnlyFileSealer;
  const settings = new SettingsStore(options.configDir);
  const keyring = await KeyringService.open(options.configDir, sealer);
  const tokens = new TokenService(() => {
    keyring.refresh();
    return keyring.ring;
  });
  const version = appVersion();
  const info = async (): Promise<AppInfo> => ({
    mode: options.mode === 'electron' ? 'electron' : 'browser',
    version,
    configDir: options.configDir,
    // Asked each time: a keychain can be unlocked while the app runs.
    secretStorage: sealer.description,
    activeEnvironment: settings.activeEnvironment(),
  });
  return {
    keyring,
    app: { info },
    keys: bindAll(keyring),
    tokens: bindAll(tokens),
  };
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
