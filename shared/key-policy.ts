// What the console lets a user generate, shared by the Generate form and the key ring service.
import type { KeyInfo, KeyUse, LaunchRole, Purpose } from './api';

export const GENERATE_BITS = [2048, 3072, 4096] as const;

/**
 * The console keeps the private half of what it generates: a signing key for launch tokens,
 * a decryption key for downstream payloads (RUNNER-CONTRACT §2, the console's side).
 */
export function usualUseForGenerate(purpose: Purpose): KeyUse {
  return purpose === 'authentication' ? 'signing' : 'encryption';
}

/**
 * `use` belongs to the key pair, on both sides of the runner (RUNNER-CONTRACT §2): a "signing" pair
 * is the launcher's (it signs, the runner verifies with the public half), an "encryption" pair the
 * runner's (the console encrypts to the public half, the runner decrypts). So the runner's private
 * decryption key, imported from its own store, is never a key to sign launches with.
 */
export function fitsLaunchRole(key: Pick<KeyInfo, 'purpose' | 'use' | 'type'>, role: LaunchRole): boolean {
  if (key.purpose !== 'authentication') return false;
  return role === 'launch-signing' ? key.use === 'signing' && key.type === 'private' : key.use === 'encryption';
}
