// The best plain node:crypto program for `token mint --count N`, the console's yardstick: no
// services, no checks, keys read from PEM files, this thread and one worker per other core taking
// runs of tokens from a shared counter, each token a JWS RS256 inside a JWE RSA-OAEP/A256GCM of
// the claims in the file with a fresh jti and tx_id.
//   node mint.mjs <signing-private.pem> <encryption-public.pem> <claims.json> <count>  > tokens
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const RUN = 32;
const b64 = (x) => Buffer.from(x).toString('base64url');
const kid = (key) =>
  crypto
    .createHash('sha1')
    .update(key.export({ type: 'spki', format: 'pem' }))
    .digest('hex');

function minter({ signerPem, recipientPem, claims }) {
  const signer = crypto.createPrivateKey(signerPem);
  const recipient = crypto.createPublicKey(recipientPem);
  const jwsHeader = b64(JSON.stringify({ alg: 'RS256', kid: kid(crypto.createPublicKey(signer)), typ: 'JWT' }));
  const jweHeader = b64(JSON.stringify({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: kid(recipient) }));
  const aad = Buffer.from(jweHeader);
  return (n) => {
    let out = '';
    for (let i = 0; i < n; i++) {
      const input = `${jwsHeader}.${b64(JSON.stringify({ ...claims, jti: crypto.randomUUID(), tx_id: crypto.randomUUID() }))}`;
      const jws = `${input}.${b64(crypto.sign('sha256', Buffer.from(input), signer))}`;
      const cek = crypto.randomBytes(32);
      const iv = crypto.randomBytes(12);
      const ek = crypto.publicEncrypt({ key: recipient, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, cek);
      const c = crypto.createCipheriv('aes-256-gcm', cek, iv);
      c.setAAD(aad);
      const ct = Buffer.concat([c.update(jws), c.final()]);
      out += `${jweHeader}.${b64(ek)}.${b64(iv)}.${b64(ct)}.${b64(c.getAuthTag())}\n`;
    }
    return out;
  };
}

function loop(job, emit) {
  const mint = minter(job);
  for (;;) {
    const from = Atomics.add(job.counter, 0, RUN);
    if (from >= job.count) return;
    emit(mint(Math.min(RUN, job.count - from)));
  }
}

if (isMainThread) {
  const [signerFile, recipientFile, claimsFile, countText] = process.argv.slice(2);
  const job = {
    signerPem: fs.readFileSync(signerFile, 'utf8'),
    recipientPem: fs.readFileSync(recipientFile, 'utf8'),
    claims: JSON.parse(fs.readFileSync(claimsFile, 'utf8')),
    count: Number(countText),
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
  // This thread mints too, yielding between runs so the workers' runs are written as they come.
  const mint = minter(job);
  for (;;) {
    const from = Atomics.add(job.counter, 0, RUN);
    if (from >= job.count) break;
    process.stdout.write(mint(Math.min(RUN, job.count - from)));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(done);
} else {
  loop(workerData, (text) => parentPort.postMessage(text));
}
