import crypto from 'node:crypto';
import { submissionKeys, seal, surveyResponse } from '../test/support/downstream';
import { openJwe, submissionKeys as resolver } from '../electron/services/downstream/open';
import { validateDownstream } from '../shared/downstream/index';
import { compactDecrypt, compactVerify } from 'jose';
const keys = submissionKeys(4096);
const N = 300;
const jwes: string[] = [];
for (let i = 0; i < N; i++) jwes.push(await seal(surveyResponse(20), keys));
const r = resolver(keys.ring);
const padding = crypto.constants.RSA_PKCS1_OAEP_PADDING;
const wrapped = crypto.publicEncrypt({ key: keys.decryption.publicKey, padding, oaepHash: 'sha1' }, crypto.randomBytes(32));
const inner: string[] = [];
for (const j of jwes) inner.push(new TextDecoder().decode((await compactDecrypt(j, keys.decryption.privateKey)).plaintext));
const payloads = jwes.map(() => surveyResponse(20));
const cpu = async (label: string, f: () => Promise<unknown> | unknown) => { const c = process.cpuUsage(); await f(); const d = process.cpuUsage(c); return `${label} ${((d.user + d.system) / 1000 / N).toFixed(3)}`; };
for (let rep = 0; rep < 3; rep++) {
  console.log([
    await cpu('raw', () => { for (let i = 0; i < N; i++) crypto.privateDecrypt({ key: keys.decryption.privateKey, padding, oaepHash: 'sha1' }, wrapped); }),
    await cpu('jweDecrypt', async () => { for (const j of jwes) await compactDecrypt(j, keys.decryption.privateKey); }),
    await cpu('jwsVerify', async () => { for (const j of inner) await compactVerify(j, keys.signing.publicKey); }),
    await cpu('syncVerify', () => { for (const j of inner) { const p = j.split('.'); crypto.verify('sha256', Buffer.from(p[0] + '.' + p[1]), keys.signing.publicKey, Buffer.from(p[2]!, 'base64url')); } }),
    await cpu('validate', () => { for (const p of payloads) validateDownstream(p); }),
    await cpu('openJwe', async () => { for (const j of jwes) await openJwe(j, r); }),
    await cpu('clone', () => { for (const p of payloads) structuredClone(p); }),
  ].join(' | '));
}
