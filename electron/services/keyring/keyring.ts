// The key ring: keys parsed once, looked up by kid and purpose the way the runner and
// sdc-cryptography do. The same class serves the console's own persisted ring and the
// throw-away rings the CLI builds from --keys.
import type { KeyObject } from 'node:crypto';
import type { KeyInfo, KeyRole, KeyType, KeyUse, Purpose, SecretStorage } from '../../../shared/api';
import { ConsoleError } from '../../../shared/errors';
import type { ParsedKey } from './pem';

export interface RingKey {
  info: KeyInfo;
  publicKey: KeyObject;
  /** Undefined for public keys, and for private keys whose secret cannot be unlocked here. */
  privateKey?: KeyObject;
  /** Why a private key cannot be used in this front door (e.g. sealed by the desktop app). */
  locked?: string;
  /** The sealed secret as stored, kept so that saving never loses a key this process cannot unlock. */
  sealed?: { storage: SecretStorage; data: string };
}

export interface KeyMeta {
  purpose: Purpose;
  type: KeyType;
  use: KeyUse;
  source: string;
  label?: string;
}

export type AddOutcome = 'added' | 'unchanged' | 'upgraded';

export class KeyRing {
  private readonly keys = new Map<string, RingKey>();

  constructor(keys: Iterable<RingKey> = []) {
    for (const k of keys) this.keys.set(k.info.kid, k);
  }

  list(): KeyInfo[] {
    const roles = this.roles();
    return [...this.keys.values()].map((k) => {
      const usedFor = roles.get(k.info.kid);
      return usedFor ? { ...k.info, usedFor } : { ...k.info };
    });
  }

  /** The keys as they stand, to put back if saving a change fails. */
  snapshot(): RingKey[] {
    return [...this.keys.values()].map((k) => ({ ...k, info: { ...k.info } }));
  }

  /** Replaces every key (a rollback, or the ring as another front door saved it). */
  replaceAll(keys: Iterable<RingKey>): void {
    this.keys.clear();
    for (const k of keys) this.keys.set(k.info.kid, k);
  }

  entries(): RingKey[] {
    return [...this.keys.values()];
  }

  get(kid: string): RingKey | undefined {
    return this.keys.get(kid);
  }

  has(kid: string): boolean {
    return this.keys.has(kid);
  }

  /** A private half arriving for a key held as public upgrades it; nothing is ever downgraded. */
  add(parsed: ParsedKey, meta: KeyMeta): AddOutcome {
    const type: KeyType = meta.type === 'private' && parsed.privateKey ? 'private' : 'public';
    const existing = this.keys.get(parsed.kid);
    if (existing) {
      if (existing.info.type === 'public' && type === 'private') {
        existing.info = { ...existing.info, type: 'private', source: meta.source, use: meta.use, purpose: meta.purpose };
        existing.privateKey = parsed.privateKey;
        return 'upgraded';
      }
      return 'unchanged';
    }
    this.keys.set(parsed.kid, {
      info: {
        kid: parsed.kid,
        purpose: meta.purpose,
        type,
        use: meta.use,
        bits: parsed.bits,
        source: meta.source,
        label: meta.label ?? '',
        addedAt: new Date().toISOString(),
        publicPem: parsed.publicPem,
      },
      publicKey: parsed.publicKey,
      privateKey: type === 'private' ? parsed.privateKey : undefined,
    });
    return 'added';
  }

  remove(kid: string): void {
    if (!this.keys.delete(kid)) throw new ConsoleError('key-not-found', `There is no key with kid ${kid} in the key ring.`);
  }

  /**
   * The private key that signs tokens of this purpose: a signing key first, as sdc-oracle does.
   * Among several, an imported key beats a generated one (imported keys are the ones a runner
   * already trusts), and a newer one an older one.
   */
  signer(purpose: Purpose): { kid: string; key: KeyObject } {
    const privates = preferred(this.ofPurpose(purpose).filter((k) => k.info.type === 'private'));
    const pick = privates.find((k) => k.info.use === 'signing' && k.privateKey) ?? privates.find((k) => k.privateKey);
    if (!pick) {
      const locked = privates.find((k) => k.locked);
      if (locked) throw new ConsoleError('secret-storage', locked.locked!);
      throw new ConsoleError(
        'no-key-for-purpose',
        `The key ring has no private ${purpose} key to sign with: import the launcher's signing key (e.g. sdc-rrm-authentication-signing-private-v1.pem) or generate one.`,
      );
    }
    return { kid: pick.info.kid, key: pick.privateKey! };
  }

  /** The public key tokens of this purpose are encrypted to: an encryption key other than the signer. */
  recipient(purpose: Purpose, signerKid?: string): { kid: string; key: KeyObject } {
    const candidates = preferred(this.ofPurpose(purpose));
    const pick =
      candidates.find((k) => k.info.use === 'encryption' && k.info.kid !== signerKid) ??
      candidates.find((k) => k.info.type === 'public' && k.info.kid !== signerKid);
    if (!pick) {
      throw new ConsoleError(
        'no-key-for-purpose',
        `The key ring has no ${purpose} encryption key (the runner's public key) to encrypt to: import the runner's sdc-sr-authentication-encryption-public-v1.pem or its key store.`,
      );
    }
    return { kid: pick.info.kid, key: pick.publicKey };
  }

  /** The private key named by a JWE kid, or a sentence saying what the ring has instead. */
  decrypter(kid: unknown, purpose: Purpose): KeyObject {
    const k = typeof kid === 'string' ? this.keys.get(kid) : undefined;
    if (k?.info.purpose === purpose && k.privateKey) return k.privateKey;
    const held = this.ofPurpose(purpose).filter((x) => x.privateKey).map((x) => x.info.kid);
    const have = held.length ? `it has private ${purpose} keys ${held.join(', ')}` : `it has no private ${purpose} key`;
    let why = `the key ring has no private ${purpose} key with kid ${String(kid)}`;
    if (k?.locked) why = k.locked;
    else if (k && k.info.purpose !== purpose) why = `kid ${String(kid)} is a ${k.info.purpose} key, not ${purpose}`;
    else if (k) why = `the key ring holds only the public half of ${String(kid)} (${PRIVATE_HALF_HINT[purpose]})`;
    throw new ConsoleError('key-not-found', `Cannot decrypt: it wants kid ${String(kid)}, but ${why} (${have}).`);
  }

  /** The public key named by a JWS kid; a private key serves as its own public half. */
  verifier(kid: unknown, purpose: Purpose): KeyObject {
    const k = typeof kid === 'string' ? this.keys.get(kid) : undefined;
    if (k?.info.purpose === purpose) return k.publicKey;
    const held = this.ofPurpose(purpose).map((x) => x.info.kid);
    const why = k ? `kid ${String(kid)} is a ${k.info.purpose} key, not ${purpose}` : `the key ring has no ${purpose} key with kid ${String(kid)}`;
    throw new ConsoleError('key-not-found', `Cannot verify the signature: ${why} (it has ${held.join(', ') || 'none'}).`);
  }

  private ofPurpose(purpose: Purpose): RingKey[] {
    return [...this.keys.values()].filter((k) => k.info.purpose === purpose);
  }

  private roles(): Map<string, KeyRole[]> {
    const roles = new Map<string, KeyRole[]>();
    const add = (kid: string, role: KeyRole) => roles.set(kid, [...(roles.get(kid) ?? []), role]);
    const quietly = <T>(find: () => T): T | undefined => {
      try {
        return find();
      } catch {
        return undefined;
      }
    };
    const signer = quietly(() => this.signer('authentication'));
    if (signer) add(signer.kid, 'launch-signing');
    const recipient = quietly(() => this.recipient('authentication', signer?.kid));
    if (recipient) add(recipient.kid, 'launch-encryption');
    for (const k of this.ofPurpose('submission')) {
      if (k.privateKey) add(k.info.kid, 'downstream-decryption');
      if (k.info.use === 'signing') add(k.info.kid, 'downstream-verification');
    }
    return roles;
  }
}

/** Where the private half of a key a token or payload was encrypted to usually lives. */
const PRIVATE_HALF_HINT: Record<Purpose, string> = {
  authentication: "a token meant for the runner opens with the runner's key store, e.g. --keys dev-keys.yml",
  submission: "a downstream payload opens with downstream's private key, e.g. sdc-sdx-submission-encryption-private-v1.pem",
  supplementary_data: "supplementary data opens with the private key of the service it was encrypted to",
};

/** Imported before generated, then newest first. */
function preferred(keys: RingKey[]): RingKey[] {
  const generated = (k: RingKey) => (k.info.source === 'generated' ? 1 : 0);
  return [...keys].sort((a, b) => generated(a) - generated(b) || b.info.addedAt.localeCompare(a.info.addedAt));
}
