// The ONS JWT profile (RUNNER-CONTRACT §1): a JWS (RS256, kid) whose compact form is the
// plaintext of a JWE (RSA-OAEP, A256GCM, kid), made and opened with node:crypto.
//
// Opening follows what the runner does, step by step (sdc-cryptography's decrypt on jwcrypto
// 1.1), so that the console refuses exactly what the runner refuses and opens what it opens:
// parts decoded by jwcrypto's lenient base64url, the kid read as sdc reads it, the GCM tag and the
// signature checked over the canonical re-encoding of what was decoded. jose is the independent
// check in the tests: it opens what this seals, and this opens what it seals.
import crypto, { type KeyObject } from 'node:crypto';
import zlib from 'node:zlib';
import { isPlainObject } from '../../../shared/claims/formats';
import { CLAIMS, depthMessage, type JsonLimits, jsonDepth, sentence, sizeMessage, type Subject, TOKEN_LIMITS } from '../../../shared/json-limits';
import { Base64Error, base64url, jwcryptoBase64urlDecode } from './jwcrypto-base64';

export const JWS_ALG = 'RS256';
export const JWE_ALG = 'RSA-OAEP';
export const JWE_ENC = 'A256GCM';

export interface SigningKeys {
  signer: { kid: string; key: KeyObject };
  recipient: { kid: string; key: KeyObject };
}

/**
 * RS256 is deterministic (RSASSA-PKCS1-v1_5), so this compact JWS is byte for byte what jose's
 * CompactSign makes (a test holds it to that). Synchronous: jose's sign hops to libuv's thread
 * pool for every token.
 */
export function signJws(claims: unknown, signer: SigningKeys['signer']): string {
  const payload = typeof claims === 'string' ? claims : JSON.stringify(claims);
  const input = `${base64url(JSON.stringify({ alg: JWS_ALG, kid: signer.kid, typ: 'JWT' }))}.${base64url(payload)}`;
  return `${input}.${base64url(crypto.sign('sha256', Buffer.from(input), signer.key))}`;
}

/** A compact JWE (RSA-OAEP with SHA-1, as RFC 7518 defines it; A256GCM; a 96-bit IV) of the plaintext. */
export function sealJwe(plaintext: string | Uint8Array, recipient: SigningKeys['recipient']): string {
  const header = base64url(JSON.stringify({ alg: JWE_ALG, enc: JWE_ENC, kid: recipient.kid }));
  const cek = crypto.randomBytes(32);
  const iv = crypto.randomBytes(12);
  const encryptedKey = crypto.publicEncrypt({ key: recipient.key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, cek);
  const cipher = crypto.createCipheriv('aes-256-gcm', cek, iv);
  cipher.setAAD(Buffer.from(header, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${header}.${base64url(encryptedKey)}.${base64url(iv)}.${base64url(ciphertext)}.${base64url(cipher.getAuthTag())}`;
}

/** Claims as an object, or as JSON text to be signed byte for byte as written. */
export function sealClaims(claims: Record<string, unknown> | string, keys: SigningKeys): string {
  return sealJwe(signJws(claims, keys.signer), keys.recipient);
}

/** Which step of opening failed: each maps to a plain sentence and to the runner's answer. */
export type OpenFailure = 'format' | 'jwe-header' | 'jwe-key' | 'decrypt' | 'jws-header' | 'jws-key' | 'signature' | 'payload';

export interface OpenedHeaders {
  jweHeader?: Record<string, unknown>;
  jwsHeader?: Record<string, unknown>;
}

export class OpenError extends Error {
  constructor(
    readonly failure: OpenFailure,
    message: string,
    readonly partial: OpenedHeaders = {},
    /** What the runner answers: 403 for every refusal it catches, 500 where its code breaks first. */
    readonly status: 403 | 500 = 403,
    /** The key ring cannot open the JWE, but the receiver may well be able to (cannot look inside). */
    readonly sealed = false,
  ) {
    super(message);
  }
}

/** The token or its content is beyond the console's limits: it was not read, so nothing recursive meets it. */
export class OpenLimitError extends OpenError {}

/** The limits openToken reads within, and what the messages call the whole token and its signed content. */
export interface OpenLimits extends JsonLimits {
  whole: Subject;
  content: Subject;
}

export const LAUNCH_TOKEN_LIMITS: OpenLimits = { ...TOKEN_LIMITS, whole: { noun: 'the token' }, content: CLAIMS };

/** Why a key a token names cannot be used: refused as the receiver would, or only out of this ring's reach. */
export class KeyUnavailable extends Error {
  constructor(
    message: string,
    readonly sealed = false,
  ) {
    super(message);
  }
}

export interface KeyResolver {
  /** The private key for a JWE kid; a refusal to note means the receiver could not decrypt it, though this ring can. */
  decrypter(kid: string | number | boolean | null): { key: KeyObject; refusal?: string };
  verifier(kid: string | number | boolean | null): KeyObject;
}

export interface Opened {
  jweHeader: Record<string, unknown>;
  jwsHeader: Record<string, unknown>;
  claims: unknown;
  /** The JWE opened here although its receiver would refuse it (e.g. it is encrypted to a signing key). */
  refusal?: string;
}

const PART_NAMES = ['header', 'encrypted key', 'initialization vector', 'ciphertext', 'authentication tag'];
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** What jwcrypto will inflate (its own limit on a compressed JWE). */
const MAX_INFLATED_BYTES = 250 * 1024;

export function openToken(token: string, keys: KeyResolver, limits: OpenLimits = LAUNCH_TOKEN_LIMITS): Opened {
  if (token.length > limits.chars) throw new OpenLimitError('format', sentence(sizeMessage(limits.whole, token.length, limits.chars)));
  const parts = token.split('.');
  if (parts.length !== 5) throw new OpenError('format', `A launch token is a JWE with 5 dot-separated parts; this has ${parts.length}.`);
  const [headerBytes, encryptedKey, iv, ciphertext, tag] = parts.map((p, i) => decodePart(p, `the JWE's ${PART_NAMES[i]} (part ${i + 1})`)) as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  const { header: jweHeader, kid } = readHeader(headerBytes, 'JWE', {}, limits.depth);
  const partial: OpenedHeaders = { jweHeader };
  let decrypter: ReturnType<KeyResolver['decrypter']>;
  try {
    decrypter = keys.decrypter(kid);
  } catch (err) {
    if (err instanceof KeyUnavailable) throw new OpenError('jwe-key', err.message, partial, 403, err.sealed);
    throw err;
  }
  const crit = jweHeader.crit;
  if (crit !== undefined && (!Array.isArray(crit) || crit.length > 0)) {
    throw new OpenError('jwe-header', `The JWE header names critical extensions (crit ${JSON.stringify(crit)}), and none is understood.`, partial);
  }
  if (jweHeader.alg !== JWE_ALG || jweHeader.enc !== JWE_ENC) {
    throw new OpenError(
      'jwe-header',
      `The JWE uses alg ${String(jweHeader.alg)} / enc ${String(jweHeader.enc)}; only ${JWE_ALG} / ${JWE_ENC} are accepted.`,
      partial,
    );
  }
  const inner = decrypt(decrypter.key, base64url(headerBytes), { encryptedKey, iv, ciphertext, tag }, String(kid), partial);
  let plaintext = inner;
  if (jweHeader.zip !== undefined) {
    if (jweHeader.zip !== 'DEF') throw new OpenError('jwe-header', `The JWE is compressed with ${JSON.stringify(jweHeader.zip)}; only DEF is known.`, partial);
    try {
      plaintext = zlib.inflateRawSync(inner, { maxOutputLength: MAX_INFLATED_BYTES });
    } catch {
      throw new OpenError('decrypt', `The JWE's compressed content cannot be inflated within ${MAX_INFLATED_BYTES} bytes.`, partial);
    }
  }
  const opened = openJws(plaintext, keys, partial, limits);
  return decrypter.refusal ? { ...opened, refusal: decrypter.refusal } : opened;
}

function decrypt(
  key: KeyObject,
  aad: string,
  p: { encryptedKey: Buffer; iv: Buffer; ciphertext: Buffer; tag: Buffer },
  kid: string,
  partial: OpenedHeaders,
): Buffer {
  const fail = (reason: string) => new OpenError('decrypt', `Decryption failed with key ${kid}: ${reason}.`, partial);
  let cek: Buffer;
  try {
    cek = crypto.privateDecrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, p.encryptedKey);
  } catch {
    throw fail('the key does not match or the token was altered');
  }
  if (cek.length !== 32) throw fail(`the content key is ${cek.length * 8} bits, not the 256 A256GCM needs`);
  // The limits of the GCM mode jwcrypto decrypts with (pyca/cryptography).
  if (p.iv.length < 8 || p.iv.length > 128) throw fail(`the initialization vector is ${p.iv.length} bytes`);
  if (p.tag.length !== 16) throw fail(`the authentication tag is ${p.tag.length} bytes, not 16`);
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', cek, p.iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(aad, 'ascii'));
    decipher.setAuthTag(p.tag);
    return Buffer.concat([decipher.update(p.ciphertext), decipher.final()]);
  } catch {
    throw fail('the key does not match or the token was altered');
  }
}

/**
 * sdc's JWTHelper.decode of the decrypted content: the header's kid first, then jwcrypto's
 * JWT.deserialize (the dots, every part, the signature, RS256 only).
 */
function openJws(content: Buffer, keys: KeyResolver, partial: OpenedHeaders, limits: OpenLimits): Opened {
  let text: string;
  try {
    text = utf8.decode(content);
  } catch {
    throw new OpenError('jws-header', 'The decrypted content is not UTF-8 text, so not a JWS.', partial);
  }
  const parts = text.split('.');
  const headerBytes = decodePart(parts[0]!, "the JWS's header", 'jws-header', partial);
  const { header: jwsHeader, kid } = readHeader(headerBytes, 'JWS', partial, limits.depth);
  partial.jwsHeader = jwsHeader;
  let key: KeyObject;
  try {
    key = keys.verifier(kid);
  } catch (err) {
    if (err instanceof KeyUnavailable) throw new OpenError('jws-key', err.message, partial);
    throw err;
  }
  // jwcrypto takes 4 dots for a nested JWE, opens it with the public key and raises an error the runner does not catch.
  if (parts.length === 5)
    throw new OpenError('jws-header', 'The decrypted content is another JWE (5 parts), not a JWS: the runner fails with 500 on it.', partial, 500);
  if (parts.length !== 3) throw new OpenError('jws-header', 'The decrypted content is not a compact JWS (3 dot-separated parts).', partial);
  const payload = decodePart(parts[1]!, "the JWS's payload", 'jws-header', partial);
  const signature = decodePart(parts[2]!, "the JWS's signature", 'jws-header', partial);
  const refuse = (reason: string) => new OpenError('signature', `Signature invalid (kid ${String(kid)}): ${reason}.`, partial);
  const b64 = jwsHeader.b64;
  if (b64 !== undefined && typeof b64 !== 'boolean') throw new OpenError('jws-header', "The JWS header's b64 must be true or false.", partial);
  if (jwsHeader.crit !== undefined) throw refuse(`the JWS header names critical extensions (crit ${JSON.stringify(jwsHeader.crit)}), and none is understood`);
  if (jwsHeader.alg !== JWS_ALG)
    throw new OpenError('jws-header', `The JWS is signed with alg ${String(jwsHeader.alg)}; only ${JWS_ALG} is accepted.`, partial);
  // jwcrypto signs what it decoded, re-encoded; with b64 false (RFC 7797) the payload goes in as it is.
  const input = Buffer.concat([Buffer.from(`${base64url(headerBytes)}.`), b64 === false ? payload : Buffer.from(base64url(payload))]);
  let ok: boolean;
  try {
    ok = crypto.verify('sha256', input, key, signature);
  } catch (err) {
    throw refuse(err instanceof Error ? err.message : String(err));
  }
  if (!ok) throw refuse('the signature does not match');
  let json: string;
  try {
    json = utf8.decode(payload);
  } catch {
    throw new OpenError('payload', 'The signed payload is not JSON.', partial);
  }
  const depth = jsonDepth(json);
  if (depth > limits.depth) throw new OpenLimitError('payload', sentence(depthMessage(limits.content, depth, limits.depth)), partial);
  let claims: unknown;
  try {
    claims = JSON.parse(json);
  } catch {
    throw new OpenError('payload', 'The signed payload is not JSON.', partial);
  }
  return { jweHeader: partial.jweHeader!, jwsHeader, claims };
}

function decodePart(part: string, what: string, failure: OpenFailure = 'format', partial: OpenedHeaders = {}): Buffer {
  try {
    return jwcryptoBase64urlDecode(part);
  } catch (err) {
    if (!(err instanceof Base64Error)) throw err;
    throw new OpenError(
      failure,
      `${capitalise(what)} is not base64url as the runner reads it (${err.message}); a stray character, a line break or a space inside a token is enough.`,
      partial,
    );
  }
}

/**
 * sdc-cryptography's extract_kid_from_header: JSON, then a "kid" looked for in the header's text
 * before it is looked up in the object, so some malformed headers break the runner (500) rather
 * than being refused (403).
 */
function readHeader(
  bytes: Buffer,
  what: 'JWE' | 'JWS',
  partial: OpenedHeaders,
  maxDepth: number,
): { header: Record<string, unknown>; kid: string | number | boolean | null } {
  const failure: OpenFailure = what === 'JWE' ? 'jwe-header' : 'jws-header';
  let text: string;
  let parsed: unknown;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new OpenError(failure, `The ${what} header is not base64url-encoded JSON.`, partial);
  }
  const depth = jsonDepth(text);
  if (depth > maxDepth) throw new OpenLimitError(failure, sentence(depthMessage({ noun: `the ${what} header` }, depth, maxDepth)), partial);
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OpenError(failure, `The ${what} header is not base64url-encoded JSON.`, partial);
  }
  if (!text.includes('kid')) throw new OpenError(failure, `The ${what} header has no kid.`, partial);
  if (!isPlainObject(parsed) || !Object.prototype.hasOwnProperty.call(parsed, 'kid')) {
    throw new OpenError(failure, `The ${what} header mentions "kid" but has no kid of its own: the runner fails with 500 reading it.`, partial, 500);
  }
  const kid = parsed.kid;
  if (typeof kid === 'object' && kid !== null) {
    throw new OpenError(
      failure,
      `The ${what} header's kid is a list or an object: the runner fails with 500 looking it up.`,
      { ...partial, [what === 'JWE' ? 'jweHeader' : 'jwsHeader']: parsed },
      500,
    );
  }
  return { header: parsed, kid: kid as string | number | boolean | null };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
