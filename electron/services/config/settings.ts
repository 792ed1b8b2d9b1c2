// Environments (a runner URL and the key ring used with it) and which one is active. A fresh
// config folder gets the "Local runner" environment so the console works on first start.
// Read afresh on every call: the CLI and the desktop app share the file.
import path from 'node:path';
import type { Environment } from '../../../shared/api';
import { type DocumentSpec, JsonDocument, type StoreFactory } from './document';

/** An environment as stored: its key ring file, relative to the config folder. */
export interface StoredEnvironment extends Environment {
  keyring: string;
}

export interface Settings extends Record<string, unknown> {
  environments: StoredEnvironment[];
  activeEnvironmentId: string;
}

/** The ring file every front door used before environments had rings of their own. */
export const SHARED_RING_FILE = 'keyring.json';

export const LOCAL_RUNNER: Environment = { id: 'local', name: 'Local runner', runnerUrl: 'http://localhost:5000' };

const text = { type: 'string' } as const;

export const SETTINGS: DocumentSpec<Settings> = {
  name: 'settings',
  version: '3.0.0',
  legacyVersions: [1, 2],
  schema: {
    environments: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'name', 'runnerUrl', 'keyring'],
        // runnerAccepts is optional, so files without it need no migration, and older consoles ignore it.
        properties: { id: text, name: text, runnerUrl: text, keyring: text, runnerAccepts: { type: 'array', minItems: 1, items: { enum: ['v1', 'v2'] } } },
      },
    },
    activeEnvironmentId: text,
  },
  required: ['environments', 'activeEnvironmentId'],
  migrations: {
    // Version 1 had one ring for every environment: each keeps using it.
    '2.0.0': (store) => {
      if (store.get('version') !== 1) return;
      const environments = store.get('environments');
      if (!Array.isArray(environments)) throw new Error('a version 1 settings file without environments');
      store.set(
        'environments',
        environments.map(({ id, name, runnerUrl }: Environment) => ({ id, name, runnerUrl, keyring: SHARED_RING_FILE })),
      );
    },
    // From here conf keeps the version (under __internal__), not the file's own field.
    '3.0.0': (store) => store.delete('version'),
  },
  fresh: () => ({ environments: [{ ...LOCAL_RUNNER, keyring: SHARED_RING_FILE }], activeEnvironmentId: LOCAL_RUNNER.id }),
  instead: 'the console starts with the Local runner environment (the key rings of other environments stay in keyrings/)',
  check(settings) {
    for (const e of settings.environments) {
      // A ring path from the file is joined to the config folder: it must stay inside it.
      if (path.isAbsolute(e.keyring) || e.keyring.split(/[\\/]/).includes('..'))
        throw new Error(`environment ${e.id} has no key ring file inside the config folder`);
    }
    if (!settings.environments.some((e) => e.id === settings.activeEnvironmentId)) throw new Error('activeEnvironmentId names no environment');
  },
};

export class SettingsStore {
  readonly file: string;
  private readonly doc: JsonDocument<Settings>;

  constructor(
    readonly configDir: string,
    storeFactory?: StoreFactory,
  ) {
    this.doc = new JsonDocument(configDir, SETTINGS, storeFactory);
    this.file = this.doc.file;
    // Now, so a first run writes the file (and a damaged one is set aside) before anything else asks.
    this.doc.read();
  }

  read(): Settings {
    return this.doc.read();
  }

  /** Reads, changes and writes the settings in one step, under the file's lock. */
  update<T>(change: (settings: Settings) => T): T {
    return this.doc.change(change);
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

export function publicEnvironment({ id, name, runnerUrl, runnerAccepts }: StoredEnvironment): Environment {
  return runnerAccepts ? { id, name, runnerUrl, runnerAccepts: [...runnerAccepts] } : { id, name, runnerUrl };
}
