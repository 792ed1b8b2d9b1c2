import type { KeyRing } from '../keyring/keyring';
import type { SigningKeys } from './jwt-profile';

/** Launch and flush tokens: signed with the ring's launch signing key, encrypted to the runner's public key. */
export function launchKeys(ring: KeyRing): SigningKeys {
  return { signer: ring.launchSigner(), recipient: ring.launchRecipient() };
}
