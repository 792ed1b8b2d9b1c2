// What a runner-style file name and the mirror-image table tell us about a key.
import type { KeyType, KeyUse, Purpose } from '../../../shared/api';
import { PURPOSES } from '../../../shared/api';

export interface NameHints {
  platform?: string;
  service?: string;
  purpose?: Purpose;
  use?: KeyUse;
  type?: KeyType;
  version?: string;
}

/** `<platform>-<service>-<purpose>-<use>-<type>-<version>.pem`, e.g. sdc-rrm-authentication-signing-private-v1.pem */
export function hintsFromFileName(fileName: string): NameHints {
  const base = fileName
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(pem|key|pub)$/i, '');
  const m = /^([a-z0-9]+)-([a-z0-9]+)-([a-z_]+)-(signing|encryption)-(public|private)-(v[0-9]+)$/i.exec(base);
  if (!m) {
    const purpose = PURPOSES.find((p) => base.includes(p));
    const use = base.includes('signing') ? 'signing' : base.includes('encryption') ? 'encryption' : undefined;
    return { purpose, use };
  }
  const purpose = PURPOSES.find((p) => p === m[3]!.toLowerCase());
  return {
    platform: m[1]!.toLowerCase(),
    service: m[2]!.toLowerCase(),
    purpose,
    use: m[4]!.toLowerCase() as KeyUse,
    type: m[5]!.toLowerCase() as KeyType,
    version: m[6]!.toLowerCase(),
  };
}

/**
 * The console holds the mirror image of the runner's store (RUNNER-CONTRACT §2): its own
 * private keys sign launch tokens and decrypt downstream payloads; its public keys encrypt
 * to the runner and verify the runner's signatures.
 */
export function defaultUse(purpose: Purpose, type: KeyType): KeyUse {
  if (purpose === 'authentication') return type === 'private' ? 'signing' : 'encryption';
  return type === 'private' ? 'encryption' : 'signing';
}

export function runnerFileName(parts: { purpose: Purpose; use: KeyUse; service?: string; version?: string }): string {
  return `sdc-${parts.service ?? 'console'}-${parts.purpose}-${parts.use}-public-${parts.version ?? 'v1'}.pem`;
}
