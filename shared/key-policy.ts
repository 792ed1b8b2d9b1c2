// What the console lets a user generate, shared by the Generate form and the key ring service.
import type { KeyUse, Purpose } from './api';

export const GENERATE_BITS = [2048, 3072, 4096] as const;

/**
 * The console keeps the private half of what it generates: a signing key for launch tokens,
 * a decryption key for downstream payloads (RUNNER-CONTRACT §2, the console's side).
 */
export function usualUseForGenerate(purpose: Purpose): KeyUse {
  return purpose === 'authentication' ? 'signing' : 'encryption';
}
