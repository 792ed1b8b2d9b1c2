// Environments (a runner URL and the key ring used with it) and which one is active. A fresh
// config folder gets the "Local runner" environment so the console works on first start.
// Read afresh on every call: the CLI and the desktop app share the file.
import path from 'node:path';
import type { Environment } from '../../../shared/api';
import { readJsonFile, writeJsonFile } from './json-file';

export const SETTINGS_VERSION = 2;

/** An environment as stored: its key ring file, relative to the config folder. */
export interface StoredEnvironment extends Environment {
  keyring: string;
}

export interface Settings {
  version: typeof SETTINGS_VERSION;
  environments: StoredEnvironment[];
  activeEnvironmentId: string;
}

/** The ring file every front door used before environments had rings of their own. */
export const SHARED_RING_FILE = 'keyring.json';

export const LOCAL_RUNNER: Environment = { id: 'local', name: 'Local runner', runnerUrl: 'http://localhost:5000' };

function checkEnvironments(list: unknown, withRing: boolean): void {
  if (!Array.isArray(list) || list.length === 0) throw new Error('no environments');
  for (const e of list as Partial<StoredEnvironment>[]) {
    if (typeof e?.id !== 'string' || typeof e.name !== 'string' || typeof e.runnerUrl !== 'string') throw new Error('an environment lacks id, name or runnerUrl');
    if (withRing && (typeof e.keyring !== 'string' || path.isAbsolute(e.keyring) || e.keyring.split(/[\\/]/).includes('..'))) {
      throw new Error(`environment ${e.id} has no key ring file inside the config folder`);
    }
  }
}

function validate(doc: unknown): { settings: Settings; migrated: boolean } {
  const d = doc as { version?: unknown; environments?: unknown; activeEnvironmentId?: unknown } | null;
  if (!d || typeof d !== 'object') throw new Error('not an object');
  let migrated = false;
  let settings: Settings;
  if (d.version === 1) {
    // Version 1 had one ring for every environment: each keeps using it.
    checkEnvironments(d.environments, false);
    const environments = (d.environments as Environment[]).map(({ id, name, runnerUrl }) => ({ id, name, runnerUrl, keyring: SHARED_RING_FILE }));
    settings = { version: SETTINGS_VERSION, environments, activeEnvironmentId: d.activeEnvironmentId as string };
    migrated = true;
  } else if (d.version === SETTINGS_VERSION) {
    checkEnvironments(d.environments, true);
    settings = d as Settings;
  } else {
    throw new Error(`unknown version ${String(d.version)}${typeof d.version === 'number' && d.version > SETTINGS_VERSION ? ' (written by a newer console)' : ''}`);
  }
  if (!settings.environments.some((e) => e.id === settings.activeEnvironmentId)) throw new Error('activeEnvironmentId names no environment');
  return { settings, migrated };
}

export class SettingsStore {
  readonly file: string;
  readonly created: boolean;

  constructor(readonly configDir: string) {
    this.file = path.join(configDir, 'settings.json');
    const existing = readJsonFile(this.file, validate);
    this.created = existing === undefined;
    if (existing === undefined) {
      this.write({ version: SETTINGS_VERSION, environments: [{ ...LOCAL_RUNNER, keyring: SHARED_RING_FILE }], activeEnvironmentId: LOCAL_RUNNER.id });
    } else if (existing.migrated) {
      this.write(existing.settings);
    }
  }

  read(): Settings {
    const found = readJsonFile(this.file, validate);
    // Moved away while running: start afresh rather than fail every call.
    return found?.settings ?? { version: SETTINGS_VERSION, environments: [{ ...LOCAL_RUNNER, keyring: SHARED_RING_FILE }], activeEnvironmentId: LOCAL_RUNNER.id };
  }

  write(settings: Settings): void {
    writeJsonFile(this.file, settings);
  }

  /** Reads, changes and writes the settings in one step. */
  update<T>(change: (settings: Settings) => T): T {
    const settings = this.read();
    const result = change(settings);
    this.write(settings);
    return result;
  }

  environments(): Environment[] {
    return this.read().environments.map(publicEnvironment);
  }

  activeEnvironment(): Environment {
    return publicEnvironment(this.activeStored());
  }

  activeStored(): StoredEnvironment {
    const s = this.read();
    return s.environments.find((e) => e.id === s.activeEnvironmentId)!;
  }

  stored(id: string): StoredEnvironment | undefined {
    return this.read().environments.find((e) => e.id === id);
  }

  /** The absolute path of an environment's key ring file. */
  ringPath(env: StoredEnvironment): string {
    return path.join(this.configDir, env.keyring);
  }
}

export function publicEnvironment({ id, name, runnerUrl }: StoredEnvironment): Environment {
  return { id, name, runnerUrl };
}
