import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../support/electron-mock'));

import * as electron from '../support/electron-mock';
import { ConsoleError } from '../../shared/errors';
import { ALLOW_PLAINTEXT_ENV, createSafeStorageSealer } from '../../electron/main/safe-storage';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----\n';
const linux = (env: NodeJS.ProcessEnv = {}) => createSafeStorageSealer({ env, platform: 'linux' });

function sealError(fn: () => unknown): ConsoleError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConsoleError);
    return err as ConsoleError;
  }
  throw new Error('expected seal to throw');
}

beforeEach(() => electron.resetElectronMock());

describe('safeStorage sealer', () => {
  it('encrypts with safeStorage and stores base64, and unseals it back', () => {
    const sealer = linux();
    const sealed = sealer.seal(PEM);
    expect(sealer.kind).toBe('safeStorage');
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(electron.safeStorage.encrypted).toEqual([PEM]);
    expect(sealer.unseal(sealed)).toBe(PEM);
    expect(sealer.description).toContain('libsecret');
  });

  it('refuses to seal with the basic_text backend, with a clear message', () => {
    electron.safeStorage.backend = 'basic_text';
    const sealer = linux();
    const err = sealError(() => sealer.seal(PEM));
    expect(err.code).toBe('secret-storage');
    expect(err.message).toContain('basic_text');
    expect(err.message).toContain(`${ALLOW_PLAINTEXT_ENV}=1`);
    expect(electron.safeStorage.encrypted).toEqual([]);
    expect(sealer.description).toMatch(/cannot be saved/);
  });

  it('refuses to seal when encryption is not available at all', () => {
    electron.safeStorage.available = false;
    const err = sealError(() => linux().seal(PEM));
    expect(err.code).toBe('secret-storage');
    expect(err.message).toContain(ALLOW_PLAINTEXT_ENV);
  });

  it('still unseals keys stored earlier while it refuses to seal new ones', () => {
    const sealed = linux().seal(PEM);
    electron.safeStorage.backend = 'basic_text';
    const sealer = linux();
    expect(() => sealer.seal(PEM)).toThrow(ConsoleError);
    expect(sealer.unseal(sealed)).toBe(PEM);
  });

  it('seals with basic_text when the user opted in, and says how weak that is', () => {
    electron.safeStorage.backend = 'basic_text';
    const sealer = linux({ [ALLOW_PLAINTEXT_ENV]: '1' });
    const sealed = sealer.seal(PEM);
    expect(sealer.unseal(sealed)).toBe(PEM);
    expect(sealer.description).toMatch(/effectively unencrypted/);
  });

  it('only takes "1" as the opt-in', () => {
    electron.safeStorage.backend = 'basic_text';
    expect(() => linux({ [ALLOW_PLAINTEXT_ENV]: '0' }).seal(PEM)).toThrow(ConsoleError);
    expect(() => linux({ [ALLOW_PLAINTEXT_ENV]: '' }).seal(PEM)).toThrow(ConsoleError);
  });

  it('stores unencrypted when opted in and no encryption exists, and reads that back', () => {
    electron.safeStorage.available = false;
    const sealer = linux({ [ALLOW_PLAINTEXT_ENV]: '1' });
    const sealed = sealer.seal(PEM);
    expect(sealed.startsWith('plain:')).toBe(true);
    expect(sealer.unseal(sealed)).toBe(PEM);
  });

  it('asks for the Linux backend only on Linux', () => {
    electron.safeStorage.backend = 'basic_text'; // would be wrong to consult on macOS
    const sealer = createSafeStorageSealer({ env: {}, platform: 'darwin' });
    expect(sealer.unseal(sealer.seal(PEM))).toBe(PEM);
    expect(sealer.description).toContain('Keychain');
  });

  it('explains a ciphertext it cannot decrypt', () => {
    const err = (() => {
      try {
        linux().unseal(Buffer.from('garbage').toString('base64'));
      } catch (e) {
        return e as ConsoleError;
      }
      throw new Error('expected unseal to throw');
    })();
    expect(err.code).toBe('secret-storage');
    expect(err.message).toMatch(/Cannot decrypt/);
  });
});
