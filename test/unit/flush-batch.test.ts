// The batch machinery against real HTTP on loopback: a scripted server plays the network's
// failures (5xx, silence, refusal) that the real runner (../shared/runner-kit) has no reason to produce.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { flushAll } from '../../electron/services/flush/batch';
import { kidOf } from '../../electron/services/keyring/pem';
import { parseResponseIds } from '../../shared/flush/response-ids';

const signing = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const encryption = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys = { signer: { kid: kidOf(signing.publicKey), key: signing.privateKey }, recipient: { kid: kidOf(encryption.publicKey), key: encryption.publicKey } };

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A server that answers each request as the script says; it records what it was sent. */
async function scripted(answer: () => { status: number; body?: string; delayMs?: number }) {
  const seen: string[] = [];
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    seen.push(`${req.method} ${url.pathname} ${url.searchParams.get('token')!.split('.').length}`);
    const a = answer();
    setTimeout(() => {
      res.writeHead(a.status, { 'content-type': 'text/html' });
      res.end(a.body ?? '');
    }, a.delayMs ?? 0);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

describe('flushAll', () => {
  it('POSTs a 5-part token to /flush and reads 200, 404 and 403 the way the runner means them', async () => {
    const answers = [200, 404, 403];
    let i = 0;
    const { url, seen } = await scripted(() => ({ status: answers[i++]!, body: i === 3 ? '<html>error</html>' : '' }));
    const out = await flushAll(['a', 'b', 'c'], { runnerUrl: url, keys, concurrency: 1 });
    expect(out.map((o) => [o.responseId, o.httpStatus, o.outcome])).toEqual([
      ['a', 200, 'flushed'],
      ['b', 404, 'nothing-to-flush'],
      ['c', 403, 'invalid-token'],
    ]);
    expect(out[2]!.message).toContain(keys.signer.kid);
    expect(seen).toEqual(['POST /flush 5', 'POST /flush 5', 'POST /flush 5']);
  });

  it('retries 5xx with backoff but never a 4xx', async () => {
    let calls = 0;
    const { url } = await scripted(() => ({ status: ++calls < 3 ? 503 : 200 }));
    const [retried] = await flushAll(['x'], { runnerUrl: url, keys, backoffMs: 10 });
    expect(retried).toMatchObject({ outcome: 'flushed', attempts: 3 });
    calls = 0;
    const refused = await scripted(() => (calls++, { status: 403 }));
    const [once] = await flushAll(['y'], { runnerUrl: refused.url, keys, backoffMs: 10 });
    expect(once).toMatchObject({ outcome: 'forbidden', attempts: 1 });
    expect(calls).toBe(1);
  });

  it('gives up on a silent runner after the timeout and its retries, then reports the rest at once', async () => {
    const { url } = await scripted(() => ({ status: 200, delayMs: 2000 }));
    const out = await flushAll(['s1', 's2', 's3'], { runnerUrl: url, keys, concurrency: 1, timeoutMs: 100, retries: 1, backoffMs: 10 });
    expect(out[0]).toMatchObject({ httpStatus: null, outcome: 'error', attempts: 2, message: 'No answer from the runner within 0.1 s.' });
    expect(out.slice(1).map((o) => o.message)).toEqual([
      'Not sent: No answer from the runner within 0.1 s.',
      'Not sent: No answer from the runner within 0.1 s.',
    ]);
  });

  it('says a runner that is down is down, one line per id', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const out = await flushAll(['d1', 'd2'], { runnerUrl: `http://127.0.0.1:${port}`, keys, retries: 1, backoffMs: 10 });
    for (const o of out) {
      expect(o.outcome).toBe('error');
      expect(o.httpStatus).toBeNull();
      expect(o.message).toMatch(new RegExp(`Cannot reach the runner at http://127\\.0\\.0\\.1:${port}: connection refused`));
      expect(o.message).not.toContain('\n');
    }
  });

  it('keeps to its concurrency, reports progress for every id, and stops when cancelled', async () => {
    let inFlight = 0;
    let most = 0;
    server = http.createServer((_req, res) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => (inFlight--, res.writeHead(404), res.end()), 20);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const progress: number[] = [];
    const ids = Array.from({ length: 40 }, (_, i) => `r${i}`);
    const out = await flushAll(ids, { runnerUrl: url, keys, concurrency: 3, onOutcome: (_o, done) => progress.push(done) });
    expect(most).toBe(3);
    expect(progress).toEqual(ids.map((_, i) => i + 1));
    expect(out.map((o) => o.responseId)).toEqual(ids);

    const abort = new AbortController();
    const cancelled = flushAll(ids, { runnerUrl: url, keys, concurrency: 2, signal: abort.signal, onOutcome: (_o, done) => done === 4 && abort.abort() });
    const result = await cancelled;
    expect(result.filter((o) => o.outcome === 'nothing-to-flush').length).toBeLessThan(10);
    expect(result.filter((o) => /Cancelled/.test(o.message)).length).toBeGreaterThan(25);
  });
});

describe('parseResponseIds', () => {
  it('reads lines, spaces, and CSV files with a response_id column, once each', () => {
    expect(parseResponseIds('a\nb c\n\n# note\nb\n')).toEqual({ ids: ['a', 'b', 'c'], duplicates: ['b'] });
    expect(parseResponseIds('case_id,response_id,answer\n1,"r,1",x\n2,r2,y\n').ids).toEqual(['r,1', 'r2']);
    expect(parseResponseIds('r1,extra\nr2,extra\n').ids).toEqual(['r1', 'r2']);
  });
});
