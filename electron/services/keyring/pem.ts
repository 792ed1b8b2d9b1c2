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

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
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
  const blocks = [...text.matchAll(BLOCK)];
  if (blocks.length === 0) {
    const hint = text.includes('-----BEGIN') ? 'it has a BEGIN line without a matching END line' : 'it has no -----BEGIN … KEY----- block';
    throw new ConsoleError('bad-pem', `${name} is not a PEM key: ${hint}.`);
  }
  return blocks.map((m) => parsePemBlock(m[0], m[1]!, name));
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
