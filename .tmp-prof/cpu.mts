import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { submissionKeys, seal, surveyResponse } from '../test/support/downstream';
import { openEvents, emptyStats } from '../electron/services/downstream/pipeline';
import { expandSources } from '../electron/services/downstream/sources';
const keys = submissionKeys(4096);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpu-'));
const N = 600;
for (let i = 0; i < N; i++) fs.writeFileSync(path.join(dir, `${String(i).padStart(5, '0')}.jwe`), await seal(surveyResponse(20), keys));
const padding = crypto.constants.RSA_PKCS1_OAEP_PADDING;
const wrapped = crypto.publicEncrypt({ key: keys.decryption.publicKey, padding, oaepHash: 'sha1' }, crypto.randomBytes(32));
const cpu = (f: () => Promise<void> | void) => async () => { const c = process.cpuUsage(); const t = performance.now(); await f(); const d = process.cpuUsage(c); return { cpuMs: (d.user + d.system) / 1000, wallMs: performance.now() - t }; };
for (let rep = 0; rep < 2; rep++) {
  const raw = await cpu(() => { for (let i = 0; i < N; i++) crypto.privateDecrypt({ key: keys.decryption.privateKey, padding, oaepHash: 'sha1' }, wrapped); })();
  const read = await cpu(async () => { for await (const _ of expandSources([{ kind: 'path', path: dir }])); })();
  const one = await cpu(async () => { for await (const _ of openEvents(expandSources([{ kind: 'path', path: dir }]), keys.ring, { threads: 1 })); })();
  const stats = emptyStats();
  const pool = await cpu(async () => { for await (const _ of openEvents(expandSources([{ kind: 'path', path: dir }]), keys.ring, { stats })); })();
  const per = (x: { cpuMs: number; wallMs: number }) => `${(x.cpuMs / N).toFixed(2)} ms CPU, ${(x.wallMs / N).toFixed(2)} ms wall`;
  console.log(`raw ${per(raw)} | read+extract ${per(read)} | one thread ${per(one)} | pool ${per(pool)} (${stats.pooled} pooled)`);
}
fs.rmSync(dir, { recursive: true });
