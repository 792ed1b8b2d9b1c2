// A flush target that misbehaves: an endless 200 body is read only as far as the outcome needs,
// and retries against a failing runner leave no abort listeners behind on the job's signal.
// The "runner" here is a few lines of node:http on loopback: no real runner answers like this.
import crypto from 'node:crypto';
import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { flushAll } from '../../electron/services/flush/batch';
import { kidOf } from '../../electron/services/keyring/pem';
import type { SigningKeys } from '../../electron/services/tokens/jwt-profile';

function keys(): SigningKeys {
  const pair = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const s = pair();
  const r = pair();
  return { signer: { kid: kidOf(s.publicKey), key: s.privateKey }, recipient: { kid: kidOf(r.publicKey), key: r.publicKey } };
}

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function listen(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`)));
}

describe('flush against a hostile runner', () => {
  it('reads a few KB of an endless 200 body, reports it flushed, and drops the connection', async () => {
    let written = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', closed);
      pump();
    });
    const [outcome] = await flushAll(['r-1'], { runnerUrl: url, keys: keys(), retries: 0, timeoutMs: 10_000 });
    expect(outcome).toMatchObject({ responseId: 'r-1', httpStatus: 200, outcome: 'flushed' });
    await connectionClosed;
    // The server stops at whatever the socket buffers took before the console hung up: far from endless.
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it('leaves no abort listener on the job signal after many retries', async () => {
    const url = await listen((_req, res) => res.writeHead(503).end('busy'));
    const job = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const outcomes = await flushAll(
        Array.from({ length: 6 }, (_, i) => `r-${i}`),
        { runnerUrl: url, keys: keys(), retries: 4, backoffMs: 1, signal: job.signal, concurrency: 6 },
      );
      expect(outcomes.every((o) => o.httpStatus === 503)).toBe(true);
      expect(outcomes.every((o) => o.attempts === 5)).toBe(true);
      expect(getEventListeners(job.signal, 'abort')).toHaveLength(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
