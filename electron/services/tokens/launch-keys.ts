import type { KeyRing } from '../keyring/keyring';
import type { SigningKeys } from './jwt-profile';

/** Launch and flush tokens: signed with the ring's authentication private key, encrypted to the runner's. */
export function launchKeys(ring: KeyRing): SigningKeys {
  const signer = ring.signer('authentication');
  return { signer, recipient: ring.recipient('authentication', signer.kid) };
}
