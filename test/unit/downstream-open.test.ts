// Opening one payload: each way it can fail says so in its own words (cannot decrypt, signature
// invalid, schema invalid), with keys generated here.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompactEncrypt } from 'jose';
import { describe, expect, it } from 'vitest';
import { openCandidate, openJwe, submissionKeys as resolver } from '../../electron/services/downstream/open';
import { keyPair, seal, submissionKeys, surveyResponse } from '../support/downstream';
import { oracle, oracleMissing, skipReason } from '../support/shared';

const keys = submissionKeys();
const open = (text: string) => openJwe(text, resolver(keys.ring));

describe('opening a downstream JWE', () => {
  it('decrypts with the key the JWE names, verifies with the key the JWS names, and validates', async () => {
    const payload = surveyResponse(4);
    const item = await open(await seal(payload, keys));
    expect(item).toMatchObject({
      kind: 'jwe',
      decrypted: true,
      signatureValid: true,
      payloadVersion: 'v2',
      type: 'surveyresponse',
      dataVersion: '0.0.3',
      valid: true,
      problems: [],
      jweHeader: { alg: 'RSA-OAEP', enc: 'A256GCM', kid: keys.decryption.kid },
      jwsHeader: { alg: 'RS256', kid: keys.signing.kid },
      summary: { txId: payload.tx_id, caseId: payload.case_id, schema: 'qrt_0001', submittedAt: payload.submitted_at, flushed: false, answers: 4 },
    });
    expect(item.failure).toBeUndefined();
    expect(item.payload).toEqual(payload);
  });

  it('tampered ciphertext: a decrypt failure', async () => {
    const parts = (await seal(surveyResponse(), keys)).split('.');
    parts[3] = Buffer.from('not the ciphertext').toString('base64url');
    const item = await open(parts.join('.'));
    expect(item).toMatchObject({ decrypted: false, signatureValid: null, valid: false, failure: { stage: 'decrypt' } });
    expect(item.failure!.message).toMatch(/Decryption failed with key .*does not match or the token was altered/);
    expect(item.jweHeader?.kid).toBe(keys.decryption.kid);
    expect('payload' in item).toBe(false);
  });

  it('encrypted to a key the ring lacks: names the kid it wants and the kids the ring has', async () => {
    const stranger = keyPair();
    const jwe = await seal(surveyResponse(), { signer: keys.sealing.signer, recipient: { kid: stranger.kid, key: stranger.publicKey } });
    const item = await open(jwe);
    expect(item.failure?.stage).toBe('decrypt');
    expect(item.failure!.message).toBe(
      `Cannot decrypt: it is encrypted to kid ${stranger.kid}, and downstream (SDX)'s private keys in this ring are ${keys.decryption.kid}.`,
    );
  });

  it('signed by a key the ring does not know, or forged under a known kid: a signature failure', async () => {
    const impostor = keyPair();
    const unknown = await open(await seal(surveyResponse(), { signer: { kid: impostor.kid, key: impostor.privateKey }, recipient: keys.sealing.recipient }));
    expect(unknown).toMatchObject({ decrypted: true, signatureValid: false, valid: false, failure: { stage: 'signature' } });
    expect(unknown.failure!.message).toMatch(
      new RegExp(`^Cannot verify the signature: the key ring has no submission signing key with kid ${impostor.kid} \\(it has .*${keys.signing.kid}`),
    );
    expect(unknown.jwsHeader?.kid).toBe(impostor.kid);

    const forged = await open(await seal(surveyResponse(), { signer: { kid: keys.signing.kid, key: impostor.privateKey }, recipient: keys.sealing.recipient }));
    expect(forged).toMatchObject({ decrypted: true, signatureValid: false, failure: { stage: 'signature' } });
    expect(forged.failure!.message).toMatch(/^Signature invalid \(kid [0-9a-f]{40}\): the signature does not match\.$/);
  });

  it('a schema-invalid payload opens, verifies, and lists its problems by path', async () => {
    const payload = surveyResponse();
    delete payload.case_id;
    payload.data.answers[1].answer_id = '';
    const item = await open(await seal(payload, keys));
    expect(item).toMatchObject({ decrypted: true, signatureValid: true, valid: false, payloadVersion: 'v2' });
    expect(item.failure).toBeUndefined();
    expect(item.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['case_id', 'data.answers[1].answer_id']));
    expect(item.problems.find((p) => p.path === 'case_id')!.message).toMatch(/required/);
    expect(item.payload).toEqual(payload);
  });

  it('a signed payload that is not JSON is a parse failure; a text that is not a JWE says how many parts it has', async () => {
    const notJson = await open(await seal('this is not json', keys));
    expect(notJson).toMatchObject({
      decrypted: true,
      signatureValid: true,
      valid: false,
      failure: { stage: 'parse', message: 'The signed payload is not JSON.' },
    });
    expect((await open('a.b.c')).failure).toEqual({
      stage: 'decrypt',
      message: 'Cannot decrypt: a downstream payload is a compact JWE of 5 dot-separated parts; this has 3.',
    });
    expect((await open('')).failure?.message).toBe('Cannot decrypt: it is empty, not a JWE.');
  });
});

describe("the RS256 check, as the runner's library makes it", () => {
  const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  const jws = (header: Record<string, unknown>, payload: string, key = keys.signing.privateKey) => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`;
  };
  const envelope = (inner: string) =>
    new CompactEncrypt(new TextEncoder().encode(inner))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: keys.decryption.kid })
      .encrypt(keys.decryption.publicKey);
  const header = { alg: 'RS256', kid: keys.signing.kid, typ: 'jwt' };
  const body = JSON.stringify(surveyResponse());
  const good = jws(header, body);
  const [h, p, sig] = good.split('.') as [string, string, string];
  const cases: [string, string][] = [
    ['as signed', good],
    ['a critical extension', jws({ ...header, crit: ['exp'], exp: 1 }, body)],
    ['b64 false', jws({ ...header, crit: ['b64'], b64: false }, body)],
    ['another payload', `${h}.${b64('{"version": "v2"}')}.${sig}`],
    ['a flipped signature bit', `${h}.${p}.${Buffer.from(Buffer.from(sig, 'base64url').map((x, i) => (i === 10 ? x ^ 1 : x))).toString('base64url')}`],
    ['a payload part with a stray character', `${h}.${p}!.${sig}`],
    ['padding that fits the signature', `${h}.${p}.${sig}==`],
    ['four stray characters in the payload', `${h}.${p.slice(0, 9)}****${p.slice(9)}.${sig}`],
    ["'/' for '_' in the signature", `${h}.${p}.${sig.replaceAll('_', '/')}`],
    ['an empty signature', `${h}.${p}.`],
  ];

  it.skipIf(skipReason(oracleMissing()))('accepts and refuses exactly what jwcrypto (sdc-oracle) does', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-rs256-'));
    try {
      const store = path.join(dir, 'keys.yml');
      const entry = (purpose: string, type: string, value: string) => ({ purpose, type, value });
      fs.writeFileSync(
        store,
        JSON.stringify({
          keys: {
            [keys.decryption.kid]: entry('submission', 'private', keys.decryption.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
            [keys.signing.kid]: entry('submission', 'public', keys.signing.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
          },
        }),
      );
      for (const [what, inner] of cases) {
        const jwe = await envelope(inner);
        const jwcryptoAccepts = oracle(['decrypt', '--keys', store, '--purpose', 'submission'], jwe).status === 0;
        const item = await open(jwe);
        expect({ what, accepted: item.signatureValid === true }).toEqual({ what, accepted: jwcryptoAccepts });
        if (!jwcryptoAccepts) expect(item.failure?.stage).toBe('signature');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('opening plain JSON', () => {
  const ring = resolver(keys.ring);

  it('is valid when the spec finds no problem; there is nothing decrypted and no signature', async () => {
    const payload = surveyResponse();
    const item = await openCandidate({ kind: 'json', source: 'p.json', text: JSON.stringify(payload), value: payload }, ring);
    expect(item).toMatchObject({ kind: 'json', decrypted: false, signatureValid: null, valid: true, problems: [] });
    expect(item.payload).toBe(payload);
  });

  it("counts keys for data 0.0.1 and reports a v1 payload's schema name", async () => {
    const v1 = {
      version: '0.0.1',
      collection: { exercise_sid: 'x', schema_name: 'mbs_0001', period: '2025', instrument_id: '0001' },
      data: { '0001': '1', '0002': '2' },
    };
    const item = await openCandidate({ kind: 'json', source: 'v1.json', text: JSON.stringify(v1), value: v1 }, ring);
    expect(item).toMatchObject({ payloadVersion: 'v1', dataVersion: '0.0.1', valid: false, summary: { schema: 'mbs_0001', answers: 2 } });
  });

  it('a file that does not parse is a parse failure', async () => {
    const item = await openCandidate({ kind: 'json', source: 'bad.json', text: '{', parseError: 'Unexpected end of JSON input' }, ring);
    expect(item).toMatchObject({ kind: 'json', valid: false, failure: { stage: 'parse', message: 'Not a JSON payload: Unexpected end of JSON input.' } });
  });
});
