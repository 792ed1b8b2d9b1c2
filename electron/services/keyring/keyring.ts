// The key ring: keys parsed once, looked up by kid and purpose the way the runner and
// sdc-cryptography do. The same class serves the console's own persisted ring and the
// throw-away rings the CLI builds from --keys.
import type { KeyObject } from 'node:crypto';
import { LAUNCH_ROLES, type KeyInfo, type KeyRole, type KeyType, type KeyUse, type LaunchRole, type Purpose, type SecretStorage } from '../../../shared/api';
import { ConsoleError } from '../../../shared/errors';
import { fitsLaunchRole } from '../../../shared/key-policy';
import { KeyUnavailable } from '../tokens/jwt-profile';
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

/** Who put a key in a role: the user's choice is never undone; an inferred one only yields to a better key. */
export interface RoleHolder {
  kid: string;
  by: 'user' | 'inferred';
}
export type RoleAssignments = Partial<Record<LaunchRole, RoleHolder>>;

const fitsRole = (k: RingKey, role: LaunchRole) => fitsLaunchRole(k.info, role);

export class KeyRing {
  private readonly keys = new Map<string, RingKey>();
  private assignments: RoleAssignments = {};

  constructor(keys: Iterable<RingKey> = [], roles: RoleAssignments = {}) {
    this.replaceAll(keys, roles);
  }

  list(): KeyInfo[] {
    const roles = this.usedFor();
    return [...this.keys.values()].map((k) => {
      const info: KeyInfo = { ...k.info };
      const usedFor = roles.get(k.info.kid);
      if (usedFor) info.usedFor = usedFor;
      if (k.locked) info.locked = k.locked;
      return info;
    });
  }

  /** The keys and roles as they stand, to put back if saving a change fails. */
  snapshot(): { keys: RingKey[]; roles: RoleAssignments } {
    return { keys: [...this.keys.values()].map((k) => ({ ...k, info: { ...k.info } })), roles: structuredClone(this.assignments) };
  }

  /** Replaces every key (a rollback, or the ring as another front door saved it). */
  replaceAll(keys: Iterable<RingKey>, roles: RoleAssignments = {}): void {
    this.keys.clear();
    for (const k of keys) this.keys.set(k.info.kid, k);
    this.assignments = structuredClone(roles);
    this.settleRoles();
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

  /**
   * A private half arriving for a key held as public upgrades it (so the ring can open what is
   * encrypted to it); nothing is ever downgraded, and the key keeps the use and roles it had.
   */
  add(parsed: ParsedKey, meta: KeyMeta): AddOutcome {
    const type: KeyType = meta.type === 'private' && parsed.privateKey ? 'private' : 'public';
    const existing = this.keys.get(parsed.kid);
    if (existing) {
      if (existing.info.type === 'public' && type === 'private') {
        existing.info = { ...existing.info, type: 'private', source: meta.source };
        existing.privateKey = parsed.privateKey;
        this.settleRoles();
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
    this.settleRoles();
    return 'added';
  }

  remove(kid: string): void {
    if (!this.keys.delete(kid)) throw new ConsoleError('key-not-found', `There is no key with kid ${kid} in the key ring.`);
    this.settleRoles();
  }

  /** Which key holds each launch role. */
  roles(): RoleAssignments {
    return structuredClone(this.assignments);
  }

  /**
   * The user's choice of key for a role. The key must fit it: a private signing key to sign, a key
   * of the runner's encryption pair to encrypt to. One key never holds both roles.
   */
  assign(role: LaunchRole, kid: string): void {
    const k = this.keys.get(kid);
    if (!k) throw new ConsoleError('key-not-found', `There is no key with kid ${kid} in the key ring.`);
    if (!fitsRole(k, role)) {
      throw new ConsoleError(
        'bad-input',
        role === 'launch-signing'
          ? `Key ${kid} cannot sign launches: that takes a private authentication key of a signing pair (the launcher's), and this is ${describe(k)}.`
          : `Key ${kid} cannot be what launches are encrypted to: that takes an authentication key of the runner's encryption pair, and this is ${describe(k)}.`,
      );
    }
    this.assignments[role] = { kid, by: 'user' };
    this.settleRoles();
  }

  /**
   * Keeps every role held by a key that fits it. An empty role takes the best key that fits
   * (imported before generated, then the newest); a generated key holding a role by inference
   * gives it up to an imported one, since imported keys are the ones a runner already trusts.
   * Nothing else moves a role: a later import never takes it from an imported key or the user's choice.
   */
  settleRoles(): void {
    for (const role of LAUNCH_ROLES) {
      const holder = this.assignments[role];
      const held = holder && this.keys.get(holder.kid);
      if (!held || !fitsRole(held, role)) delete this.assignments[role];
      const best = preferred([...this.keys.values()].filter((k) => fitsRole(k, role)))[0];
      if (!best) continue;
      const yields = holder?.by === 'inferred' && held?.info.source === 'generated' && best.info.source !== 'generated';
      if (!this.assignments[role] || yields) this.assignments[role] = { kid: best.info.kid, by: 'inferred' };
    }
  }

  /** The private key that signs launch and flush tokens. */
  launchSigner(): { kid: string; key: KeyObject } {
    const holder = this.assignments['launch-signing'];
    const k = holder && this.keys.get(holder.kid);
    if (!k) {
      throw new ConsoleError(
        'no-key-for-purpose',
        "The key ring has no launch signing key: import the launcher's signing key (e.g. sdc-rrm-authentication-signing-private-v1.pem, on the Keys screen or with `keys import`) or generate one.",
      );
    }
    if (!k.privateKey) throw new ConsoleError('secret-storage', k.locked ?? `The private half of launch signing key ${k.info.kid} is not available here.`);
    return { kid: k.info.kid, key: k.privateKey };
  }

  /** The runner's public key that launch and flush tokens are encrypted to. */
  launchRecipient(): { kid: string; key: KeyObject } {
    const holder = this.assignments['launch-encryption'];
    const k = holder && this.keys.get(holder.kid);
    if (!k) {
      throw new ConsoleError(
        'no-key-for-purpose',
        "The key ring has no runner public key to encrypt launches to: import the runner's sdc-sr-authentication-encryption-public-v1.pem (on the Keys screen or with `keys import`), or its key store.",
      );
    }
    return { kid: k.info.kid, key: k.publicKey };
  }

  /**
   * The private key for a JWE kid, judged as the receiver (the runner for authentication, SDX for
   * submission) would: its store holds the private half of its own encryption pair only. Where the
   * ring cannot open it but the receiver may, the error is `sealed`.
   */
  decrypter(kid: string | number | boolean | null, purpose: Purpose): { key: KeyObject; refusal?: string } {
    const k = typeof kid === 'string' ? this.keys.get(kid) : undefined;
    const receiver = RECEIVER[purpose];
    const own = this.ofPurpose(purpose).filter((x) => x.info.use === 'encryption' && x.info.type === 'private');
    const ownKids = own.map((x) => x.info.kid).join(', ');
    if (k && k.info.purpose !== purpose)
      throw new KeyUnavailable(`Cannot decrypt: kid ${String(kid)} is a ${k.info.purpose} key, not ${purpose}; ${receiver} refuses it.`);
    if (k?.locked) throw new KeyUnavailable(`Cannot decrypt here: ${k.locked}`, true);
    if (k?.privateKey) {
      if (k.info.use === 'encryption') return { key: k.privateKey };
      return {
        key: k.privateKey,
        refusal: `it is encrypted to ${String(kid)}, a key of a signing pair, whose private half ${receiver} does not hold: ${receiver} cannot decrypt it`,
      };
    }
    if (k && k.info.use === 'signing') {
      throw new KeyUnavailable(`Cannot decrypt: it is encrypted to ${String(kid)}, a key of a signing pair, whose private half ${receiver} does not hold.`);
    }
    if (own.length) {
      // The ring holds the receiver's own private keys (its key store was imported): it speaks for the receiver.
      throw new KeyUnavailable(`Cannot decrypt: it is encrypted to kid ${String(kid)}, and ${receiver}'s private keys in this ring are ${ownKids}.`);
    }
    const known = k
      ? `${receiver}'s public key ${String(kid)}, whose private half this key ring does not hold`
      : `kid ${String(kid)}, which this key ring does not hold`;
    throw new KeyUnavailable(`Cannot look inside: it is encrypted to ${known}; ${PRIVATE_HALF_HINT[purpose]}.`, true);
  }

  /** The public key for a JWS kid, as the receiver's store holds it: the public half of a signing pair. */
  verifier(kid: string | number | boolean | null, purpose: Purpose): KeyObject {
    const k = typeof kid === 'string' ? this.keys.get(kid) : undefined;
    const receiver = RECEIVER[purpose];
    if (k?.info.purpose === purpose && k.info.use === 'signing') return k.publicKey;
    if (k?.info.purpose === purpose) {
      throw new KeyUnavailable(
        `Cannot verify the signature: it is signed with ${String(kid)}, a key of an encryption pair, and ${receiver} verifies only with the public keys of signing pairs it trusts.`,
      );
    }
    const held = this.ofPurpose(purpose)
      .filter((x) => x.info.use === 'signing')
      .map((x) => x.info.kid);
    const why = k ? `kid ${String(kid)} is a ${k.info.purpose} key, not ${purpose}` : `the key ring has no ${purpose} signing key with kid ${String(kid)}`;
    throw new KeyUnavailable(`Cannot verify the signature: ${why} (it has ${held.join(', ') || 'none'}).`);
  }

  private ofPurpose(purpose: Purpose): RingKey[] {
    return [...this.keys.values()].filter((k) => k.info.purpose === purpose);
  }

  private usedFor(): Map<string, KeyRole[]> {
    const roles = new Map<string, KeyRole[]>();
    const add = (kid: string, role: KeyRole) => roles.set(kid, [...(roles.get(kid) ?? []), role]);
    for (const role of LAUNCH_ROLES) {
      const holder = this.assignments[role];
      if (holder) add(holder.kid, role);
    }
    for (const k of this.ofPurpose('submission')) {
      if (k.privateKey && k.info.use === 'encryption') add(k.info.kid, 'downstream-decryption');
      if (k.info.use === 'signing') add(k.info.kid, 'downstream-verification');
    }
    return roles;
  }
}

const RECEIVER: Record<Purpose, string> = {
  authentication: 'the runner',
  submission: 'downstream (SDX)',
  supplementary_data: 'the receiving service',
};

/** Where the private half of a key a token or payload was encrypted to usually lives. */
const PRIVATE_HALF_HINT: Record<Purpose, string> = {
  authentication: "to look inside, import the runner's own key store (its dev-keys.yml) on the Keys screen, or give it with --keys",
  submission: "a downstream payload opens with downstream's private key, e.g. sdc-sdx-submission-encryption-private-v1.pem",
  supplementary_data: 'supplementary data opens with the private key of the service it was encrypted to',
};

function describe(k: RingKey): string {
  return `a ${k.info.type} ${k.info.purpose} key of ${k.info.use === 'encryption' ? 'an encryption' : 'a signing'} pair`;
}

/** Imported before generated, then newest first. */
function preferred(keys: RingKey[]): RingKey[] {
  const generated = (k: RingKey) => (k.info.source === 'generated' ? 1 : 0);
  return [...keys].sort((a, b) => generated(a) - generated(b) || b.info.addedAt.localeCompare(a.info.addedAt));
}
