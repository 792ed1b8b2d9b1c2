// Private keys at rest in the desktop app: sealed with Electron's safeStorage (the OS keychain).
// Where safeStorage has no real keychain behind it (Linux "basic_text", or no encryption at all)
// sealing would only pretend to protect the key, so it is refused unless the user opts in.
// Unsealing always works, so keys stored earlier stay usable whatever the backend is today.
import { safeStorage } from 'electron';
import { ConsoleError } from '../../shared/errors';
import type { SecretSealer } from '../services/keyring/secrets';

export const ALLOW_PLAINTEXT_ENV = 'EQ_CONSOLE_ALLOW_PLAINTEXT_KEYS';

// Marks secrets stored without any encryption (opt-in, encryption unavailable). Base64 has no
// ':' so the marker cannot collide with a safeStorage ciphertext.
const PLAIN_PREFIX = 'plain:';

export interface SafeStorageSealerOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

type Strength = { ok: true; backend: string } | { ok: false; reason: string; canEncrypt: boolean };

function backendName(platform: NodeJS.Platform, linuxBackend: string): string {
  if (platform === 'darwin') return 'the macOS Keychain';
  if (platform === 'win32') return 'Windows DPAPI';
  if (linuxBackend === 'gnome_libsecret') return 'the desktop keyring (libsecret)';
  if (linuxBackend.startsWith('kwallet')) return 'KWallet';
  return `the "${linuxBackend}" keyring`;
}

export function createSafeStorageSealer(options: SafeStorageSealerOptions = {}): SecretSealer {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const optedIn = (): boolean => env[ALLOW_PLAINTEXT_ENV] === '1';

  // Asked on every use, not once: the keyring can be unlocked or lost while the app runs.
  const strength = (): Strength => {
    const canEncrypt = safeStorage.isEncryptionAvailable();
    if (!canEncrypt) return { ok: false, canEncrypt, reason: 'no OS keychain is available to Electron safeStorage' };
    const linuxBackend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : '';
    if (linuxBackend === 'basic_text') {
      return {
        ok: false,
        canEncrypt,
        reason: 'Electron safeStorage found no keyring on this desktop and would only obfuscate keys (backend basic_text)',
      };
    }
    return { ok: true, backend: backendName(platform, linuxBackend) };
  };

  const sealer: SecretSealer = {
    kind: 'safeStorage',
    get description(): string {
      const s = strength();
      if (s.ok) {
        return (
          `Private keys are encrypted with ${s.backend} through Electron safeStorage: other users and copies ` +
          'of your disk cannot read them, but programs running as you while you are logged in can.'
        );
      }
      if (optedIn()) {
        return (
          `Private keys are stored effectively unencrypted because ${s.reason}; you allowed this with ` +
          `${ALLOW_PLAINTEXT_ENV}=1. Anyone who can read your config folder or its backups can read them.`
        );
      }
      return (
        `Private keys cannot be saved: ${s.reason}. Start or unlock a keyring (GNOME Keyring, KWallet), ` +
        `or set ${ALLOW_PLAINTEXT_ENV}=1 to store them effectively unencrypted. Public keys work either way.`
      );
    },
    seal(plain: string): string {
      const s = strength();
      if (!s.ok && !optedIn()) {
        throw new ConsoleError(
          'secret-storage',
          `Refusing to store a private key: ${s.reason}. Start or unlock a keyring, or set ` +
            `${ALLOW_PLAINTEXT_ENV}=1 and restart the console to store private keys effectively unencrypted.`,
        );
      }
      if (!s.ok && !s.canEncrypt) return PLAIN_PREFIX + Buffer.from(plain, 'utf8').toString('base64');
      try {
        return safeStorage.encryptString(plain).toString('base64');
      } catch (err) {
        throw new ConsoleError('secret-storage', `Could not encrypt the private key: ${oneLine(err)}`);
      }
    },
    unseal(sealed: string): string {
      if (sealed.startsWith(PLAIN_PREFIX)) return Buffer.from(sealed.slice(PLAIN_PREFIX.length), 'base64').toString('utf8');
      if (!safeStorage.isEncryptionAvailable()) {
        throw new ConsoleError('secret-storage', 'Cannot decrypt a stored private key: the OS keychain is not available. Unlock it and restart the console.');
      }
      try {
        return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
      } catch (err) {
        throw new ConsoleError('secret-storage', `Cannot decrypt a stored private key (was it saved under another user or keyring?): ${oneLine(err)}`);
      }
    },
  };
  return sealer;
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
