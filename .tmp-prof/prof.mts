import crypto from 'node:crypto';
import { submissionKeys, seal, surveyResponse } from '/work/main/test/support/downstream';
import { openJwe, submissionKeys as resolver } from '/work/main/electron/services/downstream/open';
import { compactDecrypt, compactVerify } from 'jose';
const keys = submissionKeys(4096);
const jwes: string[] = [];
for (let i = 0; i < 300; i++) jwes.push(await seal(surveyResponse(20), keys));
const r = resolver(keys.ring);
const padding = crypto.constants.RSA_PKCS1_OAEP_PADDING;
const wrapped = crypto.publicEncrypt({ key: keys.decryption.publicKey, padding, oaepHash: 'sha1' }, crypto.randomBytes(32));
for (let rep = 0; rep < 3; rep++) {
  let t = performance.now();
  for (let i = 0; i < 300; i++) crypto.privateDecrypt({ key: keys.decryption.privateKey, padding, oaepHash: 'sha1' }, wrapped);
  const raw = (performance.now() - t) / 300;
  t = performance.now();
  for (const j of jwes) await compactDecrypt(j, keys.decryption.privateKey);
  const dec = (performance.now() - t) / 300;
  const inner = [];
  for (const j of jwes.slice(0, 50)) inner.push(new TextDecoder().decode((await compactDecrypt(j, keys.decryption.privateKey)).plaintext));
  t = performance.now();
  for (let i = 0; i < 300; i++) await compactVerify(inner[i % 50], keys.signing.publicKey);
  const ver = (performance.now() - t) / 300;
  t = performance.now();
  for (const j of jwes) await openJwe(j, r);
  const open = (performance.now() - t) / 300;
  console.log({ raw: raw.toFixed(2), jwe: dec.toFixed(2), verify: ver.toFixed(3), openJwe: open.toFixed(2) });
}
