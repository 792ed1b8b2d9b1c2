// The key ring handed to a worker thread, which rebuilds its own KeyRing from it: OpenSSL
// serialises RSA blinding on a private key shared between threads, so each worker parses its
// own copy once. The whole ring travels (only submission secrets among it), so a worker's
// "cannot decrypt: it wants kid X, but …" sentences are the ones the main thread would write.
import crypto from 'node:crypto';
import type { KeyInfo } from '../../../shared/api';
import { KeyRing, type RingKey } from '../keyring/keyring';

export interface TransferKey {
  info: KeyInfo;
  publicDer: Buffer;
  /** Submission private keys only: nothing else is needed to open downstream payloads. */
  privateDer?: Buffer;
  locked?: string;
}

export function ringToTransfer(ring: KeyRing): TransferKey[] {
  return ring.entries().map((k) => ({
    info: k.info,
    publicDer: k.publicKey.export({ type: 'spki', format: 'der' }),
    privateDer: k.privateKey && k.info.purpose === 'submission' ? k.privateKey.export({ type: 'pkcs8', format: 'der' }) : undefined,
    locked: k.locked,
  }));
}

export function ringFromTransfer(keys: TransferKey[]): KeyRing {
  return new KeyRing(
    keys.map((k): RingKey => {
      const key: RingKey = { info: k.info, publicKey: crypto.createPublicKey({ key: Buffer.from(k.publicDer), format: 'der', type: 'spki' }) };
      if (k.privateDer) key.privateKey = crypto.createPrivateKey({ key: Buffer.from(k.privateDer), format: 'der', type: 'pkcs8' });
      if (k.locked) key.locked = k.locked;
      return key;
    }),
  );
}
