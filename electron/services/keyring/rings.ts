// One key ring per environment. Rings are opened on first use and kept: each re-reads its own
// file when another front door changes it.
import fs from 'node:fs';
import { withFileLock } from '../config/file-lock';
import { type SettingsStore, type StoredEnvironment } from '../config/settings';
import type { KeyRing } from './keyring';
import type { SecretSealer } from './secrets';
import { KeyringService } from './service';

export class KeyRings {
  private readonly open = new Map<string, Promise<KeyringService>>();

  constructor(
    private readonly settings: SettingsStore,
    private readonly sealer: SecretSealer,
  ) {}

  /** The ring of an environment; a ring file that does not exist yet starts as a fresh dev ring. */
  forEnvironment(env: StoredEnvironment): Promise<KeyringService> {
    const file = this.settings.ringPath(env);
    let service = this.open.get(file);
    if (!service) {
      service = KeyringService.open(this.settings.configDir, this.sealer, file);
      // A failed open (a keychain that cannot unseal it yet) is not cached: the next call tries again.
      service.catch(() => this.open.delete(file));
      this.open.set(file, service);
    }
    return service;
  }

  /** The active environment's ring service (Keys screen, keys.*). */
  active(): Promise<KeyringService> {
    return this.forEnvironment(this.settings.activeStored());
  }

  /** The active environment's keys as they stand now. */
  async activeRing(): Promise<KeyRing> {
    const service = await this.active();
    service.refresh();
    return service.ring;
  }

  /** Forgets and deletes a ring file (after its environment was removed). */
  async discard(env: StoredEnvironment): Promise<void> {
    const file = this.settings.ringPath(env);
    this.open.delete(file);
    withFileLock(file, () => fs.rmSync(file, { force: true }));
  }
}
