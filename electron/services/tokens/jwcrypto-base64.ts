// base64url as the runner and SDX read it: jwcrypto's base64url_decode (jwcrypto 1.1) on CPython
// 3.11, the library sdc-cryptography opens every token with. It is not strict, and the console's
// verdicts must not be stricter or looser than the runner's:
// - the length decides the padding added (a length of 4n+1 is refused outright);
// - '-' and '_' are read as '+' and '/', and '+' and '/' are accepted as they are;
// - any other byte outside the alphabet (a space, '*', a line break, a non-ASCII letter) is skipped,
//   but it counted towards the length, so one stray character breaks the padding;
// - '=' ends the data once a quad has two or three characters; elsewhere it is skipped.
// A single stray character is therefore always refused, while '==' on a part of length 4n+2, or
// four stray characters, decode to the same bytes and are accepted.

export class Base64Error extends Error {}

const PAD = 0x3d;
const TABLE = new Int8Array(256).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < 64; i++) TABLE[ALPHABET.charCodeAt(i)] = i;
TABLE['-'.charCodeAt(0)] = 62;
TABLE['_'.charCodeAt(0)] = 63;

/** The alphabet alone: what every token the runner or the console makes is spelt in. */
const CLEAN = /^[A-Za-z0-9_-]*$/;

/** The bytes jwcrypto.common.base64url_decode gives for this text, or the error it raises. */
export function jwcryptoBase64urlDecode(text: string): Buffer {
  // Nothing to skip and no padding to weigh: node's decoder gives the same bytes, several times faster.
  if (text.length % 4 !== 1 && CLEAN.test(text)) return Buffer.from(text, 'base64url');
  // Python's len() counts code points, not UTF-16 units.
  let length = 0;
  for (const _ of text) length++;
  const size = length % 4;
  if (size === 1) throw new Base64Error('Invalid base64 string');
  const bytes = Buffer.from(size === 2 ? `${text}==` : size === 3 ? `${text}=` : text, 'utf8');
  return a2bBase64(bytes);
}

/** binascii.a2b_base64(data, strict_mode=False), CPython 3.11. */
function a2bBase64(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(Math.floor((data.length * 3) / 4) + 3);
  let n = 0;
  let quad = 0;
  let left = 0;
  let pads = 0;
  for (const byte of data) {
    if (byte === PAD) {
      if (quad >= 2 && quad + ++pads >= 4) return out.subarray(0, n);
      continue;
    }
    const v = TABLE[byte]!;
    if (v < 0) continue;
    pads = 0;
    switch (quad) {
      case 0:
        quad = 1;
        left = v;
        break;
      case 1:
        quad = 2;
        out[n++] = (left << 2) | (v >> 4);
        left = v & 0x0f;
        break;
      case 2:
        quad = 3;
        out[n++] = ((left << 4) | (v >> 2)) & 0xff;
        left = v & 0x03;
        break;
      default:
        quad = 0;
        out[n++] = ((left << 6) | v) & 0xff;
        left = 0;
    }
  }
  if (quad === 1) throw new Base64Error(`Invalid base64-encoded string: number of data characters (${(n / 3) * 4 + 1}) cannot be 1 more than a multiple of 4`);
  if (quad !== 0) throw new Base64Error('Incorrect padding');
  return out.subarray(0, n);
}

/** jwcrypto's base64url_encode: what it signs and authenticates, whatever the token spelt. */
export function base64url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url');
}
