// The best plain node:crypto program for `downstream --json <folder>`, the console's yardstick:
// no services, no validation, keys read from PEM files, this thread and one worker per other core
// taking runs of files from a shared counter. Each file: RSA-OAEP unwrap, AES-256-GCM decrypt,
// RS256 verify, JSON.parse; one JSON line out per payload (in the order they finish).
//   node downstream.mjs <decryption-private.pem> <verification-public.pem> <folder>  > lines
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const RUN = 8;

function opener({ decryptionPem, verificationPem }) {
  const decryption = crypto.createPrivateKey(decryptionPem);
  const verification = crypto.createPublicKey(verificationPem);
  return (file) => {
    const [header, ek, iv, ct, tag] = fs.readFileSync(file, 'utf8').trim().split('.');
    const cek = crypto.privateDecrypt({ key: decryption, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(ek, 'base64url'));
    const d = crypto.createDecipheriv('aes-256-gcm', cek, Buffer.from(iv, 'base64url'));
    d.setAAD(Buffer.from(header));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    const jws = Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString();
    const [h, p, s] = jws.split('.');
    if (!crypto.verify('sha256', Buffer.from(`${h}.${p}`), verification, Buffer.from(s, 'base64url'))) throw new Error(`${file}: bad signature`);
    return JSON.stringify({ source: file, payload: JSON.parse(Buffer.from(p, 'base64url').toString()) }) + '\n';
  };
}

function loop(job, emit) {
  const open = opener(job);
  for (;;) {
    const from = Atomics.add(job.counter, 0, RUN);
    if (from >= job.files.length) return;
    let out = '';
    for (const file of job.files.slice(from, from + RUN)) out += open(file);
    emit(out);
  }
}

if (isMainThread) {
  const [decryptionFile, verificationFile, folder] = process.argv.slice(2);
  const files = fs
    .readdirSync(folder)
    .sort()
    .map((name) => path.join(folder, name));
  const job = {
    decryptionPem: fs.readFileSync(decryptionFile, 'utf8'),
    verificationPem: fs.readFileSync(verificationFile, 'utf8'),
    files,
    counter: new Int32Array(new SharedArrayBuffer(4)),
  };
  const workers = Array.from({ length: os.availableParallelism() - 1 }, () => new Worker(new URL(import.meta.url), { workerData: job }));
  const done = workers.map(
    (w) =>
      new Promise((resolve) => {
        w.on('message', (text) => process.stdout.write(text));
        w.on('exit', resolve);
      }),
  );
  // This thread opens too, yielding between runs so the workers' lines are written as they come.
  const open = opener(job);
  for (;;) {
    const from = Atomics.add(job.counter, 0, RUN);
    if (from >= files.length) break;
    let out = '';
    for (const file of files.slice(from, from + RUN)) out += open(file);
    process.stdout.write(out);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(done);
} else {
  loop(workerData, (text) => parentPort.postMessage(text));
}
