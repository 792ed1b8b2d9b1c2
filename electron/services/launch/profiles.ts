// Saved launch profiles (profiles.json in the config folder), each belonging to one environment:
// the Launch screen lists the active environment's.
import crypto from 'node:crypto';
import path from 'node:path';
import type { ConsoleApi } from '../../../shared/api';
import { ConsoleError } from '../../../shared/errors';
import type { LaunchPayload, Profile } from '../../../shared/launch-types';
import { readJsonFile, writeJsonFile } from '../config/json-file';
import { isPlainObject } from '../../../shared/claims/formats';

const VERSION = 1;
const PAYLOADS: readonly LaunchPayload[] = ['v2', 'v1', 'legacy'];

interface ProfilesDoc {
  version: typeof VERSION;
  profiles: Profile[];
}

function validate(doc: unknown): ProfilesDoc {
  const d = doc as Partial<ProfilesDoc> | null;
  if (!d || typeof d !== 'object' || d.version !== VERSION || !Array.isArray(d.profiles)) throw new Error(`expected {version: ${VERSION}, profiles: [...]}`);
  for (const p of d.profiles) {
    if (typeof p?.id !== 'string' || typeof p.name !== 'string' || typeof p.environmentId !== 'string') throw new Error('a profile lacks id, name or environmentId');
  }
  return d as ProfilesDoc;
}


export class ProfileStore implements Readonly<ConsoleApi['profiles']> {
  readonly file: string;

  constructor(
    configDir: string,
    /** The active environment's id, asked at each call. */
    private readonly activeEnvironmentId: () => string,
  ) {
    this.file = path.join(configDir, 'profiles.json');
  }

  private read(): Profile[] {
    return readJsonFile(this.file, validate)?.profiles ?? [];
  }

  private write(profiles: Profile[]): void {
    writeJsonFile(this.file, { version: VERSION, profiles } satisfies ProfilesDoc);
  }

  async list(): Promise<Profile[]> {
    const env = this.activeEnvironmentId();
    return this.read().filter((p) => p.environmentId === env);
  }

  async save(input: Omit<Profile, 'id' | 'savedAt' | 'environmentId'> & { id?: string }): Promise<Profile> {
    if (!isPlainObject(input)) throw new ConsoleError('bad-input', 'A profile needs a name, a payload format and claims.');
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name) throw new ConsoleError('bad-input', 'Give the profile a name.');
    if (!PAYLOADS.includes(input.payload)) throw new ConsoleError('bad-input', `A profile's payload must be one of ${PAYLOADS.join(', ')}.`);
    if (!isPlainObject(input.claims)) throw new ConsoleError('bad-input', "A profile's claims must be a JSON object.");
    const profiles = this.read();
    const existing = input.id === undefined ? undefined : profiles.find((p) => p.id === input.id);
    if (input.id !== undefined && !existing) throw new ConsoleError('not-found', `There is no profile with id ${String(input.id)}.`);
    const profile: Profile = {
      id: existing?.id ?? crypto.randomUUID(),
      name,
      // An edited profile stays with the environment it was made for.
      environmentId: existing?.environmentId ?? this.activeEnvironmentId(),
      payload: input.payload,
      claims: input.claims,
      savedAt: new Date().toISOString(),
    };
    if (input.schema !== undefined) profile.schema = input.schema;
    this.write(existing ? profiles.map((p) => (p.id === profile.id ? profile : p)) : [...profiles, profile]);
    return profile;
  }

  async remove(id: string): Promise<void> {
    const profiles = this.read();
    if (!profiles.some((p) => p.id === id)) throw new ConsoleError('not-found', `There is no profile with id ${String(id)}.`);
    this.write(profiles.filter((p) => p.id !== id));
  }

  /** Drops the profiles of an environment that no longer exists. */
  removeEnvironment(environmentId: string): void {
    const profiles = this.read();
    if (profiles.some((p) => p.environmentId === environmentId)) this.write(profiles.filter((p) => p.environmentId !== environmentId));
  }
}
