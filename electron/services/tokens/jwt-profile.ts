// The ONS JWT profile (RUNNER-CONTRACT §1): a JWS (RS256, kid) whose compact form is the
// plaintext of a JWE (RSA-OAEP, A256GCM, kid). jose over node:crypto encrypts and decrypts; the
// RS256 signature is made and checked by node:crypto itself (signJws, verifyRs256).
import crypto, { type KeyObject } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, errors } from 'jose';
import { ConsoleError } from '../../../shared/errors';

export const JWS_ALG = 'RS256';
export const JWE_ALG = 'RSA-OAEP';
export const JWE_ENC = 'A256GCM';

export interface SigningKeys {
  signer: { kid: string; key: KeyObject };
  recipient: { kid: string; key: KeyObject };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const b64url = (text: string | Buffer) => Buffer.from(text).toString('base64url');

/**
 * RS256 is deterministic (RSASSA-PKCS1-v1_5), so this compact JWS is byte for byte what jose's
 * CompactSign makes (a test holds it to that). It signs synchronously: jose's sign hops to
 * libuv's thread pool for every token, which costs batch minting a fifth of its throughput.
 */
export function signJws(claims: unknown, signer: SigningKeys['signer']): string {
  const payload = typeof claims === 'string' ? claims : JSON.stringify(claims);
  const input = `${b64url(JSON.stringify({ alg: JWS_ALG, kid: signer.kid, typ: 'JWT' }))}.${b64url(payload)}`;
  return `${input}.${b64url(crypto.sign('sha256', Buffer.from(input), signer.key))}`;
}

/** Claims as an object, or as JSON text to be signed byte for byte as written. */
export async function sealClaims(claims: Record<string, unknown> | string, keys: SigningKeys): Promise<string> {
  return new CompactEncrypt(encoder.encode(signJws(claims, keys.signer)))
    .setProtectedHeader({ alg: JWE_ALG, enc: JWE_ENC, kid: keys.recipient.kid })
    .encrypt(keys.recipient.key);
}

/** Which step of opening failed: each maps to a plain sentence and to the runner's 403. */
export type OpenFailure = 'format' | 'jwe-header' | 'jwe-key' | 'decrypt' | 'jws-header' | 'jws-key' | 'signature' | 'payload';

export class OpenError extends Error {
  constructor(
    readonly failure: OpenFailure,
    message: string,
    readonly partial: { jweHeader?: Record<string, unknown>; jwsHeader?: Record<string, unknown> } = {},
  ) {
    super(message);
  }
}

export interface KeyResolver {
  decrypter(kid: unknown): KeyObject;
  verifier(kid: unknown): KeyObject;
}

export interface Opened {
  jweHeader: Record<string, unknown>;
  jwsHeader: Record<string, unknown>;
  claims: unknown;
}

export async function openToken(token: string, keys: KeyResolver): Promise<Opened> {
  const parts = token.split('.');
  if (parts.length !== 5) throw new OpenError('format', `A launch token is a JWE with 5 dot-separated parts; this has ${parts.length}.`);
  const jweHeader = readHeader(token, 'jwe-header', 'JWE');
  const partial: OpenError['partial'] = { jweHeader };
  if (jweHeader.alg !== JWE_ALG || jweHeader.enc !== JWE_ENC) {
    throw new OpenError('jwe-header', `The JWE uses alg ${String(jweHeader.alg)} / enc ${String(jweHeader.enc)}; only ${JWE_ALG} / ${JWE_ENC} are accepted.`, partial);
  }
  if (typeof jweHeader.kid !== 'string' || !jweHeader.kid) throw new OpenError('jwe-header', 'The JWE header has no kid.', partial);
  const decrypter = resolve(() => keys.decrypter(jweHeader.kid), 'jwe-key', partial);
  let inner: string;
  try {
    const { plaintext } = await compactDecrypt(token, decrypter, { keyManagementAlgorithms: [JWE_ALG], contentEncryptionAlgorithms: [JWE_ENC] });
    inner = decoder.decode(plaintext);
  } catch (err) {
    throw new OpenError('decrypt', `Decryption failed with key ${jweHeader.kid}: ${joseReason(err)}.`, partial);
  }
  if (inner.split('.').length !== 3) throw new OpenError('jws-header', 'The decrypted content is not a compact JWS (3 dot-separated parts).', partial);
  const jwsHeader = readHeader(inner, 'jws-header', 'JWS', partial);
  partial.jwsHeader = jwsHeader;
  if (jwsHeader.alg !== JWS_ALG) throw new OpenError('jws-header', `The JWS is signed with alg ${String(jwsHeader.alg)}; only ${JWS_ALG} is accepted.`, partial);
  if (typeof jwsHeader.kid !== 'string' || !jwsHeader.kid) throw new OpenError('jws-header', 'The JWS header has no kid.', partial);
  const verifier = resolve(() => keys.verifier(jwsHeader.kid), 'jws-key', partial);
  const payload = verifyRs256(inner, jwsHeader, verifier, partial);
  let claims: unknown;
  try {
    claims = JSON.parse(decoder.decode(payload));
  } catch {
    throw new OpenError('payload', 'The signed payload is not JSON.', partial);
  }
  return { jweHeader, jwsHeader, claims };
}

/** jose's decoder, too, takes trailing padding. */
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * compactVerify for the one algorithm the profile allows, synchronously: jose's verify hops to
 * libuv's thread pool for every token (as its sign does, see signJws), which cost opening
 * RSA-4096 downstream payloads a tenth of their throughput. It refuses what jose refuses (a part
 * that is not base64url, a mismatch), and also any crit header: jose would honour b64: false
 * (RFC 7797), which the ONS profile never uses (a test holds the two to that).
 */
function verifyRs256(compact: string, header: Record<string, unknown>, key: KeyObject, partial: OpenError['partial']): Uint8Array {
  const [protectedHeader, payload, signature] = compact.split('.') as [string, string, string];
  const refuse = (reason: string) => new OpenError('signature', `Signature invalid (kid ${String(header.kid)}): ${reason}.`, partial);
  if (header.crit !== undefined) throw refuse(`the JWS header names critical extensions (crit ${JSON.stringify(header.crit)}), and none is understood`);
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature) || !BASE64URL.test(protectedHeader)) throw refuse('the JWS is not base64url-encoded');
  let ok: boolean;
  try {
    ok = crypto.verify('sha256', Buffer.from(`${protectedHeader}.${payload}`), key, Buffer.from(signature, 'base64url'));
  } catch (err) {
    throw refuse(err instanceof Error ? err.message : String(err));
  }
  if (!ok) throw refuse('the signature does not match');
  return Buffer.from(payload, 'base64url');
}

function readHeader(compact: string, failure: OpenFailure, what: string, partial: OpenError['partial'] = {}): Record<string, unknown> {
  try {
    return decodeProtectedHeader(compact) as Record<string, unknown>;
  } catch {
    throw new OpenError(failure, `The ${what} header is not base64url-encoded JSON.`, partial);
  }
}

function resolve(find: () => KeyObject, failure: OpenFailure, partial: OpenError['partial']): KeyObject {
  try {
    return find();
  } catch (err) {
    if (err instanceof ConsoleError) throw new OpenError(failure, err.message, partial);
    throw err;
  }
}

function joseReason(err: unknown): string {
  if (err instanceof errors.JWEDecryptionFailed) return 'the key does not match or the token was altered';
  return err instanceof Error ? err.message : String(err);
}
