import crypto from 'node:crypto';
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { parseSinglePem } from '../../electron/services/keyring/pem';
import { type KeyResolver, OpenError, openToken, sealClaims, signJws } from '../../electron/services/tokens/jwt-profile';
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

const resolver = (ring: KeyRing): KeyResolver => ({
  decrypter: (kid) => ring.decrypter(kid, 'authentication'),
  verifier: (kid) => ring.verifier(kid, 'authentication'),
});

async function expectOpenFailure(token: string, ring: KeyRing, failure: OpenError['failure'], text: RegExp) {
  let err: unknown;
  try {
    openToken(token, resolver(ring));
  } catch (e) {
    err = e;
  }
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

  it('jose opens and verifies what it seals with node:crypto, and it opens what jose seals', async () => {
    const token = sealClaims(claims, keys);
    const { plaintext, protectedHeader } = await compactDecrypt(token, ring.decrypter(keys.recipient.kid, 'authentication').key, {
      keyManagementAlgorithms: ['RSA-OAEP'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    expect(protectedHeader).toEqual({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: keys.recipient.kid });
    const { payload } = await compactVerify(new TextDecoder().decode(plaintext), keys.signer.key, { algorithms: ['RS256'] });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(claims);

    const inner = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'RS256', kid: keys.signer.kid })
      .sign(keys.signer.key);
    const joseToken = await new CompactEncrypt(new TextEncoder().encode(inner))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: keys.recipient.kid })
      .encrypt(keys.recipient.key);
    expect(openToken(joseToken, resolver(ring)).claims).toEqual(claims);
  });

  it('accepts no other algorithms', async () => {
    const inner = await new CompactSign(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'RS256', kid: keys.signer.kid }).sign(keys.signer.key);
    const encryptWith = (alg: string, enc: string, key = keys.recipient.key) =>
      new CompactEncrypt(new TextEncoder().encode(inner)).setProtectedHeader({ alg, enc, kid: keys.recipient.kid }).encrypt(key);
    await expectOpenFailure(await encryptWith('RSA-OAEP-256', 'A256GCM'), ring, 'jwe-header', /only RSA-OAEP \/ A256GCM/);
    await expectOpenFailure(await encryptWith('RSA-OAEP', 'A128GCM'), ring, 'jwe-header', /enc A128GCM/);
    const ps256 = await new CompactSign(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'PS256', kid: keys.signer.kid }).sign(keys.signer.key);
    const wrapped = await new CompactEncrypt(new TextEncoder().encode(ps256))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: keys.recipient.kid })
      .encrypt(keys.recipient.key);
    await expectOpenFailure(wrapped, ring, 'jws-header', /signed with alg PS256; only RS256/);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: keys.signer.kid })).toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
    const unsigned = await new CompactEncrypt(new TextEncoder().encode(none))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: keys.recipient.kid })
      .encrypt(keys.recipient.key);
    await expectOpenFailure(unsigned, ring, 'jws-header', /alg none/);
  });

  it('names the kid it wanted and the kids the ring has', async () => {
    const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await sealClaims(claims, { signer: keys.signer, recipient: { kid: 'f'.repeat(40), key: stranger.publicKey } });
    const runnerKid = ring.launchRecipient().kid;
    await expectOpenFailure(
      token,
      ring,
      'jwe-key',
      new RegExp(`encrypted to kid ${'f'.repeat(40)}, and the runner's private keys in this ring are ${runnerKid}`),
    );
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
    await expectOpenFailure('!!.bb.cc.dd.ee', ring, 'jwe-header', /not base64url-encoded JSON/);
    await expectOpenFailure('!!.b.cc.dd.ee', ring, 'format', /encrypted key \(part 2\) is not base64url as the runner reads it/);
  });

  it('mints batches with a fresh jti and tx_id per token, in-process and on worker threads', async () => {
    for (const count of [5, 300]) {
      const tokens: string[] = [];
      await mintBatch(claims, keys, count, (text) => tokens.push(...text.trimEnd().split('\n')), 2);
      expect(tokens).toHaveLength(count);
      const opened = await Promise.all(tokens.map((t) => openToken(t, resolver(ring))));
      const ids = opened.flatMap((o) => [(o.claims as { jti: string }).jti, (o.claims as { tx_id: string }).tx_id]);
      expect(new Set(ids).size).toBe(count * 2);
      for (const o of opened) expect(o.claims).toMatchObject({ version: 'v2', flag: true, n: 1 });
    }
  });

  it('mints the claims as given, keys in their order and every value as it was, only the two ids fresh', async () => {
    const given = { z: 'first', jti: 'old', nested: { a: [1, 'two', null], 'quote"d': 'é\u2028' }, tx_id: 'old', last: 0.5 };
    const tokens: string[] = [];
    await mintBatch(given, keys, 3, (text) => tokens.push(...text.trimEnd().split('\n')), 1);
    for (const token of tokens) {
      const inner = new TextDecoder().decode(
        (
          await compactDecrypt(token, ring.decrypter(keys.recipient.kid, 'authentication').key, {
            keyManagementAlgorithms: ['RSA-OAEP'],
            contentEncryptionAlgorithms: ['A256GCM'],
          })
        ).plaintext,
      );
      const { payload } = await compactVerify(inner, keys.signer.key, { algorithms: ['RS256'] });
      const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      expect(Object.keys(claims)).toEqual(Object.keys(given));
      expect({ ...claims, jti: 'old', tx_id: 'old' }).toEqual(given);
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(claims.tx_id).not.toBe(claims.jti);
    }
  });
});

describe('the RS256 signature', () => {
  it("is byte for byte the JWS jose's CompactSign makes", async () => {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const claims = { version: 'v2', text: 'naïve – “quoted” ✓', n: [1, 2.5, null], nested: { ok: true } };
    const ours = signJws(claims, { kid: 'abc', key: privateKey });
    const jose = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'RS256', kid: 'abc', typ: 'JWT' })
      .sign(privateKey);
    expect(ours).toBe(jose);
  });
});
