// Every operation of the contract checks its arguments at run time, whichever door the call came
// through: the browser-mode server (dispatch over HTTP) and the services as the command line calls
// them. A bad argument is a bad-input error naming it, and the service never runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/services/index';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { CHANNELS, type Channel } from '../../shared/api';
import { argumentNames } from '../../shared/contract-schemas';

let tmp: string;
let services: Services;
let server: WebServer;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-contract-'));
  fs.mkdirSync(path.join(tmp, 'static'));
  fs.writeFileSync(path.join(tmp, 'static', 'index.html'), '<!doctype html><title>x</title>');
  services = await createServices({ configDir: path.join(tmp, 'config'), mode: 'browser' });
  server = await startWebServer({ api: services, staticDir: path.join(tmp, 'static') });
});

afterAll(async () => {
  await server?.close();
  await services?.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A call every channel refuses: a number where its first argument goes, or one argument too many. */
function badCall(channel: Channel): { args: unknown[]; message: RegExp } {
  const [first] = argumentNames(channel);
  if (!first) return { args: ['extra'], message: new RegExp(`^${channel.replace('.', '\\.')} takes no arguments; it was given 1\\.$`) };
  return { args: [42], message: new RegExp(`^${channel.replace('.', '\\.')}: ${first} must be .*, not 42\\.$`) };
}

async function overHttp(channel: Channel, args: unknown[]) {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-EQ-Token': server.token },
    body: JSON.stringify({ args }),
  });
  return (await res.json()) as { ok: boolean; error?: { code: string; message: string } };
}

describe('run-time argument checks on every channel', () => {
  for (const channel of CHANNELS) {
    it(`${channel}: refused over HTTP and on the services, naming the argument`, async () => {
      const { args, message } = badCall(channel);
      const answer = await overHttp(channel, args);
      expect(answer.ok).toBe(false);
      expect(answer.error?.code).toBe('bad-input');
      expect(answer.error?.message).toMatch(message);

      const [group, method] = channel.split('.') as [string, string];
      const fn = (services as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[group]![method]!;
      await expect(fn(...args)).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(message) });
    });
  }

  it('names the place inside an argument, and the service still answers a good call', async () => {
    const answer = await overHttp('keys.generate', [{ purpose: 'authentication', use: 'signing', bits: 1024 }]);
    expect(answer.error).toEqual({ code: 'bad-input', message: expect.stringMatching(/^keys\.generate: options\.bits must be \(2048 or 3072 or 4096\)/) });
    const flushed = await overHttp('flush.start', [{ items: [{ responseId: 7 }] }]);
    expect(flushed.error?.message).toMatch(/^flush\.start: request\.items\[0\]\.responseId must be string, not 7\.$/);
    expect(await overHttp('environments.list', [])).toMatchObject({ ok: true });
  });
});
