// Which key-ring entry each header's kid names, and what that means for a launch token: the JWE kid
// must name the runner's private decryption key, the JWS kid the launcher's public signing key
// (RUNNER-CONTRACT §1). Judged on the same KeyInfo list every front door shows, so the Inspect
// screen and `token inspect` say the same.
import type { KeyInfo } from '../../../shared/api';
import type { KidKey, KidMatch, KidReport } from '../../../shared/inspect-types';

export interface KidHeaders {
  jweHeader?: Record<string, unknown> | null;
  jwsHeader?: Record<string, unknown> | null;
}

export function matchKids(keys: readonly KeyInfo[], headers: KidHeaders): KidReport {
  return {
    jwe: headers.jweHeader ? matchJweKid(keys, headers.jweHeader.kid) : null,
    jws: headers.jwsHeader ? matchJwsKid(keys, headers.jwsHeader.kid) : null,
  };
}

type Read = { kid: string; key?: KeyInfo } | { kid: null; said: string };

/** The kid as sdc-cryptography looks it up: only a string can name a key. */
function read(keys: readonly KeyInfo[], kid: unknown, header: 'JWE' | 'JWS'): Read {
  if (kid === undefined) return { kid: null, said: `The ${header} header names no kid` };
  if (typeof kid !== 'string') return { kid: null, said: `The ${header} header's kid is ${JSON.stringify(kid)}, not a string` };
  return { kid, key: keys.find((k) => k.kid === kid) };
}

function entry(k: KeyInfo): KidKey {
  return { label: k.label, purpose: k.purpose, use: k.use, type: k.type, source: k.source, roles: k.usedFor ?? [] };
}

function matchJweKid(keys: readonly KeyInfo[], raw: unknown): KidMatch {
  const r = read(keys, raw, 'JWE');
  if (r.kid === null)
    return { status: 'none', kid: rawText(raw), meaning: `${r.said}: the runner cannot pick a key to decrypt with and refuses the token (403).` };
  const k = r.key;
  if (!k) {
    const runnerKeys = keys.filter((x) => x.purpose === 'authentication' && x.use === 'encryption' && x.type === 'private').map((x) => x.kid);
    const meaning = runnerKeys.length
      ? `Unknown to this key ring, which holds the runner's own decryption keys (${runnerKeys.join(', ')}): the console cannot look inside, and a runner with that key store refuses the token (403).`
      : 'Unknown to this key ring: the console cannot look inside the token. Only a runner holding the private key of this kid can open it; import that key store to look inside.';
    return { status: 'unknown', kid: r.kid, fits: false, meaning };
  }
  const fits = k.purpose === 'authentication' && k.use === 'encryption';
  let meaning: string;
  if (k.purpose !== 'authentication') meaning = `A ${k.purpose} key, not an authentication key: the runner refuses a launch token encrypted to it (403).`;
  else if (k.use === 'signing')
    meaning = "A key of a signing pair (the launcher's): the runner holds no private half of it, so it cannot decrypt the token (403).";
  else if (k.type === 'public')
    meaning =
      "The runner's encryption key, held here as its public half only: launches are encrypted to it, but the console cannot look inside (import the runner's key store to).";
  else if (k.locked) meaning = `The runner's encryption key, but its private half cannot be used here: ${k.locked}`;
  else meaning = "The runner's encryption key, whose private half this ring holds: the console decrypts the token as the runner would.";
  return { status: 'known', kid: r.kid, key: entry(k), fits, meaning };
}

function matchJwsKid(keys: readonly KeyInfo[], raw: unknown): KidMatch {
  const r = read(keys, raw, 'JWS');
  if (r.kid === null)
    return { status: 'none', kid: rawText(raw), meaning: `${r.said}: the runner cannot pick a key to verify with and refuses the token (403).` };
  const k = r.key;
  if (!k) {
    return {
      status: 'unknown',
      kid: r.kid,
      fits: false,
      meaning:
        'Unknown to this key ring: the console cannot check the signature. The runner refuses a token signed with a kid its key store does not hold (403), so a runner whose keys this ring mirrors refuses it.',
    };
  }
  const fits = k.purpose === 'authentication' && k.use === 'signing';
  let meaning: string;
  if (k.purpose !== 'authentication')
    meaning = `A ${k.purpose} key, not an authentication key: the runner verifies launch tokens only with authentication keys and refuses this one (403).`;
  else if (k.use === 'encryption')
    meaning = "A key of the runner's encryption pair: the runner verifies only with the public keys of signing pairs it trusts, and refuses this token (403).";
  else
    meaning = `The launcher's signing key: the runner verifies the signature with its public half.${k.usedFor?.includes('launch-signing') ? ' This ring signs its launches with it.' : ''}`;
  return { status: 'known', kid: r.kid, key: entry(k), fits, meaning };
}

function rawText(kid: unknown): string | null {
  return kid === undefined ? null : JSON.stringify(kid);
}
