// Saved launch profiles (profiles.json in the config folder), each belonging to one environment:
// the Launch screen lists the active environment's.
import crypto from 'node:crypto';
import type { ConsoleApi } from '../../../shared/api';
import { ConsoleError } from '../../../shared/errors';
import type { Profile } from '../../../shared/launch-types';
import { type DocumentSpec, JsonDocument, type StoreFactory } from '../config/document';

interface ProfilesDoc extends Record<string, unknown> {
  profiles: Profile[];
}

export const PROFILES: DocumentSpec<ProfilesDoc> = {
  name: 'profiles',
  version: '2.0.0',
  legacyVersions: [1],
  schema: {
    profiles: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'environmentId'],
        properties: { id: { type: 'string' }, name: { type: 'string' }, environmentId: { type: 'string' } },
      },
    },
  },
  required: ['profiles'],
  // Version 1 was {version: 1, profiles}: the profiles are the same, conf keeps the version now.
  migrations: { '2.0.0': (store) => store.delete('version') },
  fresh: () => ({ profiles: [] }),
  instead: 'saved profiles start empty',
};

export class ProfileStore implements Readonly<ConsoleApi['profiles']> {
  readonly file: string;
  private readonly doc: JsonDocument<ProfilesDoc>;

  constructor(
    configDir: string,
    /** The active environment's id, asked at each call. */
    private readonly activeEnvironmentId: () => string,
    storeFactory?: StoreFactory,
  ) {
    this.doc = new JsonDocument(configDir, PROFILES, storeFactory);
    this.file = this.doc.file;
  }

  /** Reads the file now, so a damaged one is set aside (and said so) at start. */
  open(): void {
    this.doc.read();
  }

  private read(): Profile[] {
    return this.doc.read().profiles;
  }

  /** Read-modify-write under the file's lock, so a profile saved by another front door meanwhile is kept. */
  private change<T>(apply: (profiles: Profile[]) => { profiles: Profile[]; result: T }): T {
    return this.doc.change((doc) => {
      const { profiles, result } = apply(doc.profiles);
      doc.profiles = profiles;
      return result;
    });
  }

  async list(): Promise<Profile[]> {
    const env = this.activeEnvironmentId();
    return this.read().filter((p) => p.environmentId === env);
  }

  async save(input: Omit<Profile, 'id' | 'savedAt' | 'environmentId'> & { id?: string }): Promise<Profile> {
    const name = input.name.trim();
    if (!name) throw new ConsoleError('bad-input', 'Give the profile a name.');
    const environmentId = this.activeEnvironmentId();
    return this.change((profiles) => {
      const existing = input.id === undefined ? undefined : profiles.find((p) => p.id === input.id);
      if (input.id !== undefined && !existing) throw new ConsoleError('not-found', `There is no profile with id ${String(input.id)}.`);
      const profile: Profile = {
        id: existing?.id ?? crypto.randomUUID(),
        name,
        // An edited profile stays with the environment it was made for.
        environmentId: existing?.environmentId ?? environmentId,
        payload: input.payload,
        claims: input.claims,
        savedAt: new Date().toISOString(),
      };
      if (input.schema !== undefined) profile.schema = input.schema;
      return { profiles: existing ? profiles.map((p) => (p.id === profile.id ? profile : p)) : [...profiles, profile], result: profile };
    });
  }

  async remove(id: string): Promise<void> {
    this.change((profiles) => {
      if (!profiles.some((p) => p.id === id)) throw new ConsoleError('not-found', `There is no profile with id ${String(id)}.`);
      return { profiles: profiles.filter((p) => p.id !== id), result: undefined };
    });
  }

  /** Drops the profiles of an environment that no longer exists. */
  removeEnvironment(environmentId: string): void {
    this.change((profiles) => ({ profiles: profiles.filter((p) => p.environmentId !== environmentId), result: undefined }));
  }
}
