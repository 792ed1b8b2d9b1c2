import crypto from 'node:crypto';
import { CompactEncrypt, CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { parseSinglePem } from '../../electron/services/keyring/pem';
import { OpenError, openToken, sealClaims, signJws } from '../../electron/services/tokens/jwt-profile';
import { mintBatch } from '../../electron/services/tokens/mint-pool';
import { launchKeys } from '../../electron/services/tokens/launch-keys';

function ringWithPairs() {
  const signing = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const encryption = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ring = new KeyRing();
  const pem = (k: crypto.KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
  ring.add(parseSinglePem(pem(signing.privateKey), 's'), { purpose: 'authentication', type: 'private', use: 'signing', source: 't' });
  ring.add(parseSinglePem(pem(encryption.privateKey), 'e'), { purpose: 'authentication', type: 'private', use: 'encryption', source: 't' });
  return ring;
}

const resolver = (ring: KeyRing) => ({
  decrypter: (kid: unknown) => ring.decrypter(kid, 'authentication'),
  verifier: (kid: unknown) => ring.verifier(kid, 'authentication'),
});

async function expectOpenFailure(token: string, ring: KeyRing, failure: OpenError['failure'], text: RegExp) {
  const err = await openToken(token, resolver(ring)).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OpenError);
  expect((err as OpenError).failure).toBe(failure);
  expect((err as OpenError).message).toMatch(text);
}

describe('the ONS JWT profile', () => {
  const ring = ringWithPairs();
  const keys = launchKeys(ring);
  const claims = { version: 'v2', jti: crypto.randomUUID(), flag: true, n: 1 };

  it('seals claims as a JWS RS256 inside a JWE RSA-OAEP/A256GCM, each with its kid', async () => {
    const token = await sealClaims(claims, keys);
    expect(token.split('.')).toHaveLength(5);
    const opened = await openToken(token, resolver(ring));
    expect(opened.claims).toEqual(claims);
    expect(opened.jweHeader).toEqual({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: keys.recipient.kid });
    expect(opened.jwsHeader).toEqual({ alg: 'RS256', kid: keys.signer.kid, typ: 'JWT' });
  });

  it('accepts no other algorithms', async () => {
    const inner = await new CompactSign(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'RS256', kid: keys.signer.kid }).sign(keys.signer.key);
    const encryptWith = (alg: string, enc: string, key = keys.recipient.key) =>
      new CompactEncrypt(new TextEncoder().encode(inner)).setProtectedHeader({ alg, enc, kid: keys.recipient.kid }).encrypt(key);
    await expectOpenFailure(await encryptWith('RSA-OAEP-256', 'A256GCM'), ring, 'jwe-header', /only RSA-OAEP \/ A256GCM/);
    await expectOpenFailure(await encryptWith('RSA-OAEP', 'A128GCM'), ring, 'jwe-header', /enc A128GCM/);
    const ps256 = await new CompactSign(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'PS256', kid: keys.signer.kid }).sign(keys.signer.key);
    const wrapped = await new CompactEncrypt(new TextEncoder().encode(ps256)).setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: keys.recipient.kid }).encrypt(keys.recipient.key);
    await expectOpenFailure(wrapped, ring, 'jws-header', /signed with alg PS256; only RS256/);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
    const unsigned = await new CompactEncrypt(new TextEncoder().encode(none)).setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: keys.recipient.kid }).encrypt(keys.recipient.key);
    await expectOpenFailure(unsigned, ring, 'jws-header', /alg none/);
  });

  it('names the kid it wanted and the kids the ring has', async () => {
    const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await sealClaims(claims, { signer: keys.signer, recipient: { kid: 'f'.repeat(40), key: stranger.publicKey } });
    await expectOpenFailure(token, ring, 'jwe-key', new RegExp(`it wants kid ${'f'.repeat(40)}.*it has private authentication keys ${keys.signer.kid}`));
  });

  it('tells a bad signature from a decryption failure', async () => {
    const token = await sealClaims(claims, keys);
    const parts = token.split('.');
    const tamperedCipher = [...parts.slice(0, 3), Buffer.from('garbage').toString('base64url'), parts[4]].join('.');
    await expectOpenFailure(tamperedCipher, ring, 'decrypt', /Decryption failed/);
    const impostor = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await sealClaims(claims, { signer: { kid: keys.signer.kid, key: impostor.privateKey }, recipient: keys.recipient });
    await expectOpenFailure(forged, ring, 'signature', /Signature invalid .*does not match/);
    await expectOpenFailure('a.b.c', ring, 'format', /5 dot-separated parts; this has 3/);
    await expectOpenFailure('!!.b.c.d.e', ring, 'jwe-header', /not base64url-encoded JSON/);
  });

  it('mints batches with a fresh jti and tx_id per token, in-process and on worker threads', async () => {
    for (const count of [5, 300]) {
      const tokens: string[] = [];
      await mintBatch(claims, keys, count, (t) => tokens.push(...t), 2);
      expect(tokens).toHaveLength(count);
      const opened = await Promise.all(tokens.map((t) => openToken(t, resolver(ring))));
      const ids = opened.flatMap((o) => [(o.claims as { jti: string }).jti, (o.claims as { tx_id: string }).tx_id]);
      expect(new Set(ids).size).toBe(count * 2);
      for (const o of opened) expect(o.claims).toMatchObject({ version: 'v2', flag: true, n: 1 });
    }
  });
});

describe('the RS256 signature', () => {
  it('is byte for byte the JWS jose\'s CompactSign makes', async () => {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const claims = { version: 'v2', text: 'naïve – “quoted” ✓', n: [1, 2.5, null], nested: { ok: true } };
    const ours = signJws(claims, { kid: 'abc', key: privateKey });
    const jose = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'RS256', kid: 'abc', typ: 'JWT' })
      .sign(privateKey);
    expect(ours).toBe(jose);
  });
});
