// The Environments operations of the contract: each environment is a runner URL with a key ring
// of its own, so keys trusted by one runner are never sent to another by mistake.
import path from 'node:path';
import type { ConsoleApi, Environment, LaunchVersion } from '../../../shared/api';
import { LAUNCH_VERSIONS } from '../../../shared/runner-capabilities';
import { ConsoleError } from '../../../shared/errors';
import { runnerBaseUrl } from '../../../shared/runner-url';
import type { KeyRings } from '../keyring/rings';
import { publicEnvironment, type SettingsStore, type StoredEnvironment } from './settings';
import { trimChars } from '../../../shared/text';

function slug(name: string): string {
  const dashed = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
  return trimChars(trimChars(dashed, '-').slice(0, 40), '-', 'end') || 'environment';
}

export class EnvironmentService implements Readonly<ConsoleApi['environments']> {
  constructor(
    private readonly settings: SettingsStore,
    private readonly rings: KeyRings,
    /** Called after an environment is gone, to drop what belonged to it (its profiles). */
    private readonly onRemoved: (id: string) => void = () => {},
  ) {}

  async list(): Promise<Environment[]> {
    return this.settings.environments();
  }

  async save(input: Omit<Environment, 'id'> & { id?: string }): Promise<Environment> {
    const name = input.name.trim();
    if (!name) throw new ConsoleError('bad-input', 'Give the environment a name.');
    if (name.length > 100) throw new ConsoleError('bad-input', 'An environment name must be at most 100 characters.');
    const runnerUrl = runnerBaseUrl(input.runnerUrl);

    if (input.id !== undefined) {
      return this.settings.update((s) => {
        const env = s.environments.find((e) => e.id === input.id);
        if (!env) throw new ConsoleError('not-found', `There is no environment with id ${String(input.id)}.`);
        env.name = name;
        // What the user said another runner accepts says nothing about this one.
        if (env.runnerUrl !== runnerUrl) delete env.runnerAccepts;
        env.runnerUrl = runnerUrl;
        return publicEnvironment(env);
      });
    }

    const created = this.settings.update((s) => {
      const taken = new Set(s.environments.map((e) => e.id));
      const base = slug(name);
      let id = base;
      for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
      const env: StoredEnvironment = { id, name, runnerUrl, keyring: path.join('keyrings', `${id}.json`) };
      s.environments.push(env);
      return env;
    });
    try {
      // Its own ring, generated now as on first run, so the Keys screen has something to show.
      await this.rings.forEnvironment(created);
    } catch (err) {
      this.settings.update((s) => {
        s.environments = s.environments.filter((e) => e.id !== created.id);
      });
      throw err;
    }
    return publicEnvironment(created);
  }

  /** Removes the environment and, unless another environment shares it, its key ring file. */
  async remove(id: string): Promise<void> {
    const removed = this.settings.update((s) => {
      const env = s.environments.find((e) => e.id === id);
      if (!env) throw new ConsoleError('not-found', `There is no environment with id ${String(id)}.`);
      if (s.environments.length === 1) throw new ConsoleError('bad-input', 'The last environment cannot be removed: add another one first.');
      s.environments = s.environments.filter((e) => e.id !== id);
      if (s.activeEnvironmentId === id) s.activeEnvironmentId = s.environments[0]!.id;
      const shared = s.environments.some((e) => path.normalize(e.keyring) === path.normalize(env.keyring));
      return { env, shared };
    });
    if (!removed.shared) await this.rings.discard(removed.env);
    this.onRemoved(id);
  }

  /** The launch versions the environment's runner accepts, as the user says; null: the console finds out. */
  async setRunnerAccepts(id: string, accepts: LaunchVersion[] | null): Promise<Environment> {
    return this.settings.update((s) => {
      const env = s.environments.find((e) => e.id === id);
      if (!env) throw new ConsoleError('not-found', `There is no environment with id ${String(id)}.`);
      if (accepts) env.runnerAccepts = LAUNCH_VERSIONS.filter((v) => accepts.includes(v));
      else delete env.runnerAccepts;
      return publicEnvironment(env);
    });
  }

  async activate(id: string): Promise<Environment> {
    const env = this.settings.update((s) => {
      const found = s.environments.find((e) => e.id === id);
      if (!found) throw new ConsoleError('not-found', `There is no environment with id ${String(id)}.`);
      s.activeEnvironmentId = id;
      return found;
    });
    await this.rings.forEnvironment(env);
    return publicEnvironment(env);
  }
}
