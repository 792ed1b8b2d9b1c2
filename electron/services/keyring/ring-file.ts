// The console's own key ring on disk: one JSON file only the user can read, private halves
// sealed by the front door's SecretSealer. Its own format rather than conf's: the ring holds sealed
// secrets and launch roles, and the service changes it under the file's lock (service.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { KeyInfo, SecretStorage } from '../../../shared/api';
import { readJsonFile, writeJsonFile } from '../config/json-file';
import { DamagedFile } from '../config/set-aside';
import { ConsoleError } from '../../../shared/errors';
import { isPlainObject } from '../../../shared/claims/formats';
import { KeyRing, type RingKey, type RoleAssignments } from './keyring';
import { kidOf } from './pem';
import type { SecretSealer } from './secrets';

// Version 2 names the key of each launch role; a version 1 ring gets its roles inferred on load.
const RING_VERSION = 2;

interface StoredKey extends KeyInfo {
  secret?: { storage: SecretStorage; data: string };
}

interface RingDoc {
  version: 1 | typeof RING_VERSION;
  keys: StoredKey[];
  roles?: RoleAssignments;
}

export function ringFile(configDir: string): string {
  return path.join(configDir, 'keyring.json');
}

function validate(doc: unknown): RingDoc {
  const d = doc as Partial<RingDoc> | null;
  if (d && typeof d.version === 'number' && d.version > RING_VERSION) throw new Error(`version ${d.version}, written by a newer console`);
  if (!d || (d.version !== 1 && d.version !== RING_VERSION) || !Array.isArray(d.keys)) throw new Error(`expected {version: ${RING_VERSION}, keys: [...]}`);
  if (d.roles !== undefined && !isPlainObject(d.roles)) throw new Error('roles is not an object');
  for (const k of d.keys) {
    if (typeof k?.kid !== 'string' || typeof k.publicPem !== 'string') throw new Error('a key lacks kid or publicPem');
    if (k.type === 'private' && !k.secret) throw new Error(`private key ${k.kid} has no secret`);
  }
  return d as RingDoc;
}

/**
 * Changes whenever the file is rewritten (atomic rename: a new inode and mtime). Only a hint for
 * reads: an inode can be reused within one clock tick, so changes re-read the file under the lock.
 */
export function ringFileStamp(file: string): string | undefined {
  try {
    const st = fs.statSync(file, { bigint: true });
    return `${st.ino}:${st.mtimeNs}:${st.ctimeNs}:${st.size}`;
  } catch {
    return undefined;
  }
}

/** The ring in the file, undefined when there is none; DamagedFile when its content cannot be used. */
export function loadRing(file: string, sealer: SecretSealer): KeyRing | undefined {
  const doc = readJsonFile(file, validate);
  if (!doc) return undefined;
  return new KeyRing(
    doc.keys.map((k) => {
      try {
        return toRingKey(k, sealer);
      } catch (err) {
        // A keychain that cannot unseal now is not a damaged file: the key is fine, the keychain is away.
        if (err instanceof ConsoleError) throw err;
        throw new DamagedFile(`key ${String(k.kid)} cannot be read: ${(err as Error).message}`);
      }
    }),
    doc.roles ?? {},
  );
}

function toRingKey(stored: StoredKey, sealer: SecretSealer): RingKey {
  const { secret, ...info } = stored;
  const publicKey = crypto.createPublicKey(info.publicPem);
  if (kidOf(publicKey) !== info.kid) throw new Error('its kid does not match its public PEM');
  const key: RingKey = { info, publicKey };
  if (secret) {
    key.sealed = secret;
    if (secret.storage !== sealer.kind) {
      key.locked =
        secret.storage === 'safeStorage'
          ? `Private key ${info.kid} was stored by the desktop app under the system keychain; this front door cannot unlock it. Use --keys <store>, or import the key here too.`
          : `Private key ${info.kid} was stored by browser mode or the CLI; import it again in the desktop app to protect it with the system keychain.`;
    } else {
      key.privateKey = crypto.createPrivateKey(sealer.unseal(secret.data));
    }
  }
  return key;
}

export function saveRing(file: string, ring: KeyRing, sealer: SecretSealer): void {
  const keys: StoredKey[] = ring.entries().map((k) => {
    if (k.info.type !== 'private') return { ...k.info };
    const secret = k.privateKey ? { storage: sealer.kind, data: sealer.seal(k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) } : k.sealed!;
    k.sealed = secret;
    k.info.storage = secret.storage;
    return { ...k.info, storage: secret.storage, secret };
  });
  writeJsonFile(file, { version: RING_VERSION, keys, roles: ring.roles() } satisfies RingDoc, 0o600);
}
