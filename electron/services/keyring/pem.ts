// Reading RSA keys from PEM text: PKCS#1 and PKCS#8 private keys, SPKI and PKCS#1 public keys.
// Each key is parsed once into node:crypto KeyObjects and named by its kid.
import crypto, { type KeyObject } from 'node:crypto';
import { ConsoleError } from '../../../shared/errors';

export const MIN_BITS = 2048;
export const MAX_BITS = 4096;

export interface ParsedKey {
  kid: string;
  bits: number;
  publicKey: KeyObject;
  /** Present when the PEM held a private key. */
  privateKey?: KeyObject;
  publicPem: string;
  privatePem?: string;
}

const LABEL = /^[A-Z0-9 ]+$/;
/** A key file is a few KB; a key store's PEM text a few dozen. Anything far bigger is not one. */
const MAX_PEM_TEXT = 1024 * 1024;
const MAX_BLOCKS = 100;
const SUPPORTED = new Set(['RSA PRIVATE KEY', 'PRIVATE KEY', 'PUBLIC KEY', 'RSA PUBLIC KEY']);

/**
 * The sdc-cryptography kid: SHA-1 of the public key as SubjectPublicKeyInfo PEM text
 * (64-column base64, trailing newline), the same for both halves of a pair.
 */
export function kidOf(publicKey: KeyObject): string {
  return crypto.createHash('sha1').update(spkiPem(publicKey)).digest('hex');
}

export function spkiPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Every PEM block in the text, or a specific error saying why there is none usable. */
export function parsePemText(text: string, name = 'the text'): ParsedKey[] {
  if (text.length > MAX_PEM_TEXT) {
    throw new ConsoleError(
      'bad-pem',
      `${name} is ${(text.length / 1024 / 1024).toFixed(1)} MB; a PEM key file is a few KB (at most ${MAX_PEM_TEXT / 1024} KB read).`,
    );
  }
  const blocks = pemBlocks(text, name);
  if (blocks.length === 0) {
    const hint = text.includes('-----BEGIN') ? 'it has a BEGIN line without a matching END line' : 'it has no -----BEGIN … KEY----- block';
    throw new ConsoleError('bad-pem', `${name} is not a PEM key: ${hint}.`);
  }
  return blocks.map(([pem, label]) => parsePemBlock(pem, label, name));
}

/**
 * Each -----BEGIN L----- … -----END L----- block, in order: [the block, L]. Found with indexOf, as
 * a regex with a back-reference would backtrack on texts full of BEGIN lines without END lines.
 */
function pemBlocks(text: string, name: string): [string, string][] {
  const blocks: [string, string][] = [];
  for (let at = text.indexOf('-----BEGIN '); at >= 0;) {
    const labelEnd = text.indexOf('-----', at + 11);
    const label = labelEnd < 0 ? '' : text.slice(at + 11, labelEnd);
    const endLine = `-----END ${label}-----`;
    const end = LABEL.test(label) ? text.indexOf(endLine, labelEnd + 5) : -1;
    if (end < 0) {
      at = text.indexOf('-----BEGIN ', at + 1);
      continue;
    }
    if (blocks.length === MAX_BLOCKS) throw new ConsoleError('bad-pem', `${name} holds more than ${MAX_BLOCKS} PEM blocks; a key file holds one or two.`);
    blocks.push([text.slice(at, end + endLine.length), label]);
    at = text.indexOf('-----BEGIN ', end + endLine.length);
  }
  return blocks;
}

function parsePemBlock(pem: string, label: string, name: string): ParsedKey {
  if (label === 'ENCRYPTED PRIVATE KEY') {
    throw new ConsoleError(
      'unsupported-key',
      `${name} holds a password-protected private key; export it without a password (openssl pkey -in key.pem -out plain.pem).`,
    );
  }
  if (label === 'CERTIFICATE') {
    throw new ConsoleError('unsupported-key', `${name} is a certificate, not a key; import the key itself (BEGIN PUBLIC KEY or BEGIN PRIVATE KEY).`);
  }
  if (!SUPPORTED.has(label)) {
    throw new ConsoleError('unsupported-key', `${name} holds a "${label}" block; only RSA keys are supported (PKCS#1, PKCS#8 or SubjectPublicKeyInfo).`);
  }
  const isPrivate = label.endsWith('PRIVATE KEY');
  let privateKey: KeyObject | undefined;
  let publicKey: KeyObject;
  try {
    if (isPrivate) {
      privateKey = crypto.createPrivateKey({ key: pem, format: 'pem' });
      publicKey = crypto.createPublicKey(privateKey);
    } else {
      publicKey = crypto.createPublicKey({ key: pem, format: 'pem' });
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^error:[0-9A-F]+:/, '').trim() : String(err);
    throw new ConsoleError('bad-pem', `${name}: the ${label} block cannot be read (${reason}); it may be truncated or not base64.`);
  }
  if (publicKey.asymmetricKeyType !== 'rsa') {
    throw new ConsoleError('unsupported-key', `${name} holds a ${publicKey.asymmetricKeyType ?? 'non-RSA'} key; the ONS profile uses RSA keys only.`);
  }
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_BITS || bits > MAX_BITS) {
    throw new ConsoleError('unsupported-key', `${name} holds an RSA-${bits} key; keys from ${MIN_BITS} to ${MAX_BITS} bits are supported.`);
  }
  return {
    kid: kidOf(publicKey),
    bits,
    publicKey,
    privateKey,
    publicPem: spkiPem(publicKey),
    privatePem: privateKey?.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function parseSinglePem(text: string, name: string): ParsedKey {
  const keys = parsePemText(text, name);
  if (keys.length !== 1) throw new ConsoleError('bad-pem', `${name} holds ${keys.length} keys; expected one.`);
  return keys[0]!;
}
