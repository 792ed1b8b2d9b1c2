// How a private key's PEM is protected at rest. The Electron shell supplies a safeStorage
// sealer; browser mode and the CLI keep the PEM in a file only the user can read.
import type { SecretStorage } from '../../../shared/api';

export interface SecretSealer {
  readonly kind: SecretStorage;
  /** One sentence for the user: what this protects and what it does not. */
  readonly description: string;
  seal(plain: string): string;
  unseal(sealed: string): string;
}

export const userOnlyFileSealer: SecretSealer = {
  kind: 'user-only-file',
  description:
    'Private keys are kept unencrypted in a file only your user account can read (mode 0600): ' +
    'other users of this machine cannot read them, but anything running as you, an administrator, ' +
    'or anyone with a copy of your disk or backups can.',
  seal: (plain) => plain,
  unseal: (sealed) => sealed,
};
