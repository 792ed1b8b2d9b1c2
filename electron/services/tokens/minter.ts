// Many tokens of one claim set, each with its own jti and tx_id (RUNNER-CONTRACT §1: random UUID
// v4 each, never equal), as fast as the machine allows: everything that is the same for every
// token (the claims' JSON around the two ids, the JWS and JWE headers) is made once, the random
// bytes for a run of tokens are drawn at once, and tokens leave as one joined text per run.
import crypto, { type KeyObject } from 'node:crypto';
import { base64url } from './jwcrypto-base64';
import { JWE_ALG, JWE_ENC, JWS_ALG, type SigningKeys } from './jwt-profile';

const JTI = '\u0000jti\u0000';
const TX_ID = '\u0000tx_id\u0000';

export class Minter {
  private readonly before: string;
  private readonly between: string;
  private readonly after: string;
  private readonly jwsHeader: string;
  private readonly jweHeader: string;
  private readonly aad: Buffer;

  constructor(
    claims: Record<string, unknown>,
    private readonly signer: { kid: string; key: KeyObject },
    private readonly recipient: { kid: string; key: KeyObject },
  ) {
    // The claims as withFreshIds would have them: the ids keep their places when the claims have them.
    const text = JSON.stringify({ ...claims, jti: JTI, tx_id: TX_ID });
    const [jti, txId] = [JSON.stringify(JTI), JSON.stringify(TX_ID)];
    const [a, b] = [text.indexOf(jti), text.indexOf(txId)];
    const [first, firstLength, second, secondLength] = a < b ? [a, jti.length, b, txId.length] : [b, txId.length, a, jti.length];
    this.before = text.slice(0, first);
    this.between = text.slice(first + firstLength, second);
    this.after = text.slice(second + secondLength);
    this.jwsHeader = base64url(JSON.stringify({ alg: JWS_ALG, kid: signer.kid, typ: 'JWT' }));
    this.jweHeader = base64url(JSON.stringify({ alg: JWE_ALG, enc: JWE_ENC, kid: recipient.kid }));
    this.aad = Buffer.from(this.jweHeader, 'ascii');
  }

  static of(claims: Record<string, unknown>, keys: SigningKeys): Minter {
    return new Minter(claims, keys.signer, keys.recipient);
  }

  /** n tokens, each followed by a line break. */
  mint(n: number): string {
    const random = crypto.randomBytes(44 * n);
    let out = '';
    for (let i = 0; i < n; i++) {
      // Both ids are fresh random UUIDs, so which of the two places is jti does not matter here.
      const payload = `${this.before}"${crypto.randomUUID()}"${this.between}"${crypto.randomUUID()}"${this.after}`;
      const input = `${this.jwsHeader}.${base64url(payload)}`;
      const jws = `${input}.${base64url(crypto.sign('sha256', Buffer.from(input), this.signer.key))}`;
      const cek = random.subarray(44 * i, 44 * i + 32);
      const iv = random.subarray(44 * i + 32, 44 * i + 44);
      const encryptedKey = crypto.publicEncrypt({ key: this.recipient.key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, cek);
      const cipher = crypto.createCipheriv('aes-256-gcm', cek, iv);
      cipher.setAAD(this.aad);
      const ciphertext = Buffer.concat([cipher.update(jws), cipher.final()]);
      out += `${this.jweHeader}.${base64url(encryptedKey)}.${base64url(iv)}.${base64url(ciphertext)}.${base64url(cipher.getAuthTag())}\n`;
    }
    return out;
  }
}
