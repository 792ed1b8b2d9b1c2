// Environments (a runner URL and the key ring used with it). A fresh config folder gets the
// "Local runner" environment so the console works on first start.
import path from 'node:path';
import type { Environment } from '../../../shared/api';
import { readJsonFile, writeJsonFile } from './json-file';

export const SETTINGS_VERSION = 1;

export interface Settings {
  version: typeof SETTINGS_VERSION;
  environments: Environment[];
  activeEnvironmentId: string;
}

export const LOCAL_RUNNER: Environment = { id: 'local', name: 'Local runner', runnerUrl: 'http://localhost:5000' };

function validate(doc: unknown): Settings {
  const d = doc as Partial<Settings> | null;
  if (!d || typeof d !== 'object') throw new Error('not an object');
  if (d.version !== SETTINGS_VERSION) throw new Error(`unknown version ${String(d.version)}`);
  if (!Array.isArray(d.environments) || d.environments.length === 0) throw new Error('no environments');
  for (const e of d.environments) {
    if (typeof e?.id !== 'string' || typeof e.name !== 'string' || typeof e.runnerUrl !== 'string') throw new Error('an environment lacks id, name or runnerUrl');
  }
  if (!d.environments.some((e) => e.id === d.activeEnvironmentId)) throw new Error('activeEnvironmentId names no environment');
  return d as Settings;
}

export class SettingsStore {
  readonly file: string;
  private settings: Settings;
  readonly created: boolean;

  constructor(configDir: string) {
    this.file = path.join(configDir, 'settings.json');
    const existing = readJsonFile(this.file, validate);
    this.created = existing === undefined;
    this.settings = existing ?? { version: SETTINGS_VERSION, environments: [LOCAL_RUNNER], activeEnvironmentId: LOCAL_RUNNER.id };
    if (this.created) writeJsonFile(this.file, this.settings);
  }

  activeEnvironment(): Environment {
    return this.settings.environments.find((e) => e.id === this.settings.activeEnvironmentId)!;
  }
}
