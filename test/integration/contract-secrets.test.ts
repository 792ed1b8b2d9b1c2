// No private key crosses the contract, whatever is asked. Every operation of ConsoleApi is called
// through the browser-mode door (HTTP, as the page and anyone holding its token would call it),
// with ordinary arguments and with hostile ones: the key ring file, the config folder, a private
// key file and a link to the ring as downstream payloads, schema previews, catalogues and watches.
// Every answer, every error and every event is searched for private key material: PEM markers,
// private JWK members, and the body of each private key the ring holds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Channel } from '../../shared/api';
import { createServices, type Services } from '../../electron/services/index';
import { startWebServer, type WebServer } from '../../electron/web/server';

let tmp: string;
let configDir: string;
let api: Services;
let server: WebServer;
let privateBodies: string[];
const events: unknown[] = [];

/** What a response or event must never contain. */
function leaks(text: string): string[] {
  const found: string[] = [];
  if (/PRIVATE KEY-----/.test(text)) found.push('a PEM private key marker');
  if (/\\?"d\\?"\s*:\s*\\?"[A-Za-z0-9_-]{40}/.test(text)) found.push('a private JWK member "d"');
  for (const body of privateBodies) if (text.includes(body)) found.push(`the body of a private key (${body.slice(0, 12)}…)`);
  return found;
}

async function call(channel: Channel, args: unknown[]): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url.split('?')[0]!.replace(/\/$/, '')}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-eq-token': server.token },
    body: JSON.stringify({ args }),
  });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-secrets-'));
  configDir = path.join(tmp, 'config');
  api = await createServices({ configDir, mode: 'browser' });
  api.onEvent((event) => events.push(event));
  server = await startWebServer({ api, staticDir: path.join(tmp, 'no-pages') });
  // The ring holds private keys of every kind the console keeps: generated, and imported from a PEM file.
  await api.keys.generate({ purpose: 'authentication', use: 'signing', bits: 2048 });
  await api.keys.generate({ purpose: 'submission', use: 'encryption', bits: 2048 });
  const imported = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const importedPem = imported.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  fs.writeFileSync(path.join(tmp, 'sdx-submission-encryption-private-v1.pem'), importedPem);
  await api.keys.importTexts([{ name: 'sdx-submission-encryption-private-v1.pem', text: importedPem }]);
  // Every private key as the ring file keeps it: any run of its base64 body would be a leak.
  const ringText = fs.readFileSync(path.join(configDir, 'keyring.json'), 'utf8');
  const pems = [...ringText.matchAll(/-----BEGIN PRIVATE KEY-----\\n([A-Za-z0-9+/=\\n]+?)\\n-----END/g)].map((m) => m[1]!);
  expect(pems.length).toBeGreaterThanOrEqual(3);
  privateBodies = pems.flatMap((body) => body.split('\\n').slice(1, 4));
  fs.symlinkSync(path.join(configDir, 'keyring.json'), path.join(tmp, 'innocent-payload.json'));
  // One ordinary payload beside them, so the operations on an opened item are walked too.
  const answers = [{ answer_id: 'a1', value: 'x' }];
  fs.writeFileSync(path.join(tmp, 'payload.json'), JSON.stringify({ tx_id: crypto.randomUUID(), type: 'uk.gov.ons.edc.eq:surveyresponse', data: { answers } }));
});

afterAll(async () => {
  await server?.close();
  await api?.shutdown();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('no private key crosses the contract', () => {
  it('in any answer, error or event of any operation, hostile arguments included', async () => {
    const ring = path.join(configDir, 'keyring.json');
    const keyFile = path.join(tmp, 'sdx-submission-encryption-private-v1.pem');
    const link = path.join(tmp, 'innocent-payload.json');
    const keys = JSON.parse((await call('keys.list', [])).text) as { value: { kid: string }[] };
    const kid = keys.value[0]!.kid;
    const dead = 'http://127.0.0.1:9';
    const claims = { schema_name: 'test_checkbox', version: 'v2' };
    const schema = { name: 'test_checkbox', title: 'x', surveyType: 'test', language: 'en', origin: 'x', metadata: [] };
    const opens: Record<string, unknown>[][] = [
      [{ kind: 'path', path: ring }],
      [{ kind: 'path', path: configDir }],
      [{ kind: 'path', path: keyFile }],
      [{ kind: 'path', path: link }],
      [{ kind: 'path', path: tmp }],
      [{ kind: 'text', name: 'pasted.json', text: fs.readFileSync(ring, 'utf8') }],
      [{ kind: 'text', name: 'pasted.pem', text: fs.readFileSync(keyFile, 'utf8') }],
    ];
    // Each operation with the arguments to try: a channel left out here fails to compile.
    const calls: Record<Channel, unknown[][]> = {
      'app.info': [[]],
      'keys.list': [[]],
      'keys.importTexts': [[[{ name: 'again.pem', text: fs.readFileSync(keyFile, 'utf8') }]]],
      'keys.importRunnerCheckout': [[tmp], [configDir]],
      'keys.generate': [[{ purpose: 'supplementary_data', use: 'signing', bits: 2048 }]],
      'keys.remove': [['no-such-kid']],
      'keys.exportPublic': [[kid]],
      'keys.assignRole': [['launch-signing', kid]],
      'tokens.inspect': [['eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d'], [fs.readFileSync(ring, 'utf8')]],
      'environments.list': [[]],
      'environments.save': [[{ name: 'Walk', runnerUrl: dead }]],
      'environments.remove': [['no-such-environment']],
      'environments.activate': [['no-such-environment']],
      'runners.capabilities': [[dead]],
      'runners.setAccepts': [['no-such-environment', null]],
      'schemas.catalogue': [[{ kind: 'folder', path: configDir }], [{ kind: 'folder', path: tmp }], [{ kind: 'runner', runnerUrl: dead }]],
      'schemas.summary': [[{ kind: 'folder', path: configDir }, 'keyring']],
      'schemas.previewStart': [[ring], [keyFile], [link]],
      'schemas.previewStop': [['no-such-preview']],
      'launch.check': [[claims], [claims, schema]],
      'launch.start': [[{ claims, runnerUrl: dead, open: 'none' }]],
      'launch.relaunch': [['no-such-launch']],
      'launch.forge': [[{ kind: 'jws-hs256', claims, schema, runnerUrl: dead }]],
      'history.list': [[]],
      'history.remove': [['no-such-launch']],
      'history.clear': [[]],
      'profiles.list': [[]],
      'profiles.save': [[{ name: 'walk', payload: 'v2', claims }]],
      'profiles.remove': [['no-such-profile']],
      'flush.start': [[{ items: [{ responseId: 'r1' }], runnerUrl: dead }]],
      'flush.cancel': [['no-such-job']],
      'flush.retry': [['no-such-job']],
      'downstream.open': opens.map((sources) => [sources]),
      'downstream.payload': [],
      'downstream.answers': [],
      'downstream.answersCsv': [],
      'downstream.watchStart': [[configDir], [tmp]],
      'downstream.watchStop': [['no-such-watch']],
      'sessions.list': [[]],
      'sessions.control': [['no-such-session', 'reload']],
      'sessions.setViewport': [[null]],
      'sessions.previewSubmission': [['no-such-session']],
    };
    const answers: { what: string; text: string }[] = [];
    for (const channel of CHANNELS) {
      for (const args of calls[channel]) {
        const { status, text } = await call(channel, args);
        answers.push({ what: `${channel}(${JSON.stringify(args).slice(0, 120)}) -> ${status}`, text });
      }
    }
    // Whatever downstream.open found, its payloads in every form the contract hands them out.
    const itemIds = answers.filter((a) => a.what.startsWith('downstream.open')).flatMap((a) => [...a.text.matchAll(/"id":"(ds-[0-9]+)"/g)].map((m) => m[1]!));
    for (const itemId of itemIds) {
      for (const [channel, args] of [
        ['downstream.payload', [itemId]],
        ['downstream.payload', [itemId, { withoutAnswers: true }]],
        ['downstream.answers', [itemId, { start: 0, end: 50 }]],
        ['downstream.answersCsv', [itemId, {}]],
      ] as const) {
        const { status, text } = await call(channel, args as unknown as unknown[]);
        answers.push({ what: `${channel}(${itemId}) -> ${status}`, text });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500)); // flush and watch events
    answers.push(...events.map((e) => ({ what: `event ${(e as { type: string }).type}`, text: JSON.stringify(e) })));

    const leaked = answers.flatMap((a) => leaks(a.text).map((l) => `${a.what}: ${l}`));
    expect(leaked).toEqual([]);
    // The hostile asks were refused, each saying why (not merely answered with nothing).
    const said = answers.map((a) => a.text).join('\n');
    expect(said).toContain("in the console's own configuration folder");
    expect(said).toContain('holds private key material');
    // Every operation was called at least once.
    const called = new Set(answers.map((a) => a.what.split('(')[0]));
    expect(CHANNELS.filter((c) => !called.has(c))).toEqual([]);
  });
});
