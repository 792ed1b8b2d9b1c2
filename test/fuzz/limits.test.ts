// The limits on hostile JSON (shared/json-limits.ts) at every door it comes in by: the scan that
// measures depth without a stack, the contract's claims, a token's headers and claims in inspect,
// downstream payloads plain and sealed, browser mode's request bodies, and the command line's JSON
// inputs. Each refusal names the limit and the value met; a value at the limit is read, and every
// door can send back what it read.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/services/index';
import { sealClaims } from '../../electron/services/tokens/jwt-profile';
import { startWebServer, type WebServer } from '../../electron/web/index';
import { ConsoleError } from '../../shared/errors';
import { CLAIMS, CLAIMS_LIMITS, jsonDepth, PAYLOAD_LIMITS, REQUEST_DEPTH, textOverLimit, TOKEN_LIMITS, valueOverLimit } from '../../shared/json-limits';
import { cli } from '../support/cli';
import { surveyResponse } from '../support/downstream';
import { ONS, sharedMissing, skipReason } from '../support/shared';
import { fuzzKeys, type FuzzKeys, launchClaims } from './fixtures';
import { b64, nested } from './mutate';
import { rng } from './prng';

/** The depth of a parsed value, the obvious recursive way: the reference for the scan (on shallow values only). */
function referenceDepth(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(referenceDepth));
  if (v && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(referenceDepth));
  return 0;
}

const TRICKY = ['[', ']', '{', '}', '"', '\\', '\\"', '"]', '\\\\', 'x', '[{"', '\n'];

/** Random JSON whose strings are full of what could fool a scan: brackets, quotes and backslashes. */
function randomJson(r: ReturnType<typeof rng>, depth: number): unknown {
  const leaf = () => Array.from({ length: r.int(0, 4) }, () => r.pick(TRICKY)).join('');
  if (depth <= 0 || r.chance(0.3)) return r.chance(0.5) ? leaf() : r.int(-5, 5);
  const n = r.int(0, 4);
  return r.chance(0.5)
    ? Array.from({ length: n }, () => randomJson(r, depth - 1))
    : Object.fromEntries(Array.from({ length: n }, () => [leaf(), randomJson(r, depth - 1)]));
}

describe('measuring JSON without a stack', () => {
  it('jsonDepth agrees with the parsed value on texts whose strings are full of brackets, quotes and backslashes', () => {
    const r = rng(20261202);
    for (let i = 0; i < 2000; i++) {
      const text = JSON.stringify(randomJson(r, r.int(0, 12)), null, r.chance(0.5) ? 1 : undefined);
      expect(jsonDepth(text), text).toBe(referenceDepth(JSON.parse(text)));
    }
  });

  it('measures 100,000 levels, where anything recursive would overflow', () => {
    expect(jsonDepth(nested(100_000))).toBe(100_000);
    expect(jsonDepth(`{"a":"${'['.repeat(1000)}","b":${nested(3)}}`)).toBe(4);
    expect(() => JSON.stringify(JSON.parse(nested(100_000)))).toThrow(RangeError);
  });

  it('says which limit and what it met, for text and for values already parsed', () => {
    expect(textOverLimit(`{"x":${nested(5000)}}`, CLAIMS_LIMITS, CLAIMS)).toBe('the claims are nested 5,001 deep; the console reads at most 64 levels');
    expect(textOverLimit(`"${'x'.repeat(10 * 1024 * 1024)}"`, TOKEN_LIMITS, { noun: 'the token' })).toBe('the token is 10 MB; the console reads at most 2 MB');
    expect(textOverLimit(`{"x":${nested(63)}}`, CLAIMS_LIMITS, CLAIMS)).toBeUndefined();
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    // A value that holds itself (IPC's structured clone can carry one) ends at the limit.
    expect(valueOverLimit(loop, CLAIMS_LIMITS, CLAIMS)).toBe('the claims are nested more than 64 deep; the console reads at most 64 levels');
    expect(valueOverLimit({ a: 'x'.repeat(CLAIMS_LIMITS.chars) }, CLAIMS_LIMITS, CLAIMS)).toBe('the claims are over 1 MB; the console reads at most 1 MB');
    expect(valueOverLimit(JSON.parse(`{"x":${nested(63)}}`), CLAIMS_LIMITS, CLAIMS)).toBeUndefined();
  });
});

const skip = skipReason(sharedMissing());

describe.skipIf(skip !== undefined)('the limits at every door', () => {
  let dir: string;
  let services: Services;
  let keys: FuzzKeys;
  let server: WebServer;
  const nowSeconds = Math.floor(Date.now() / 1000);
  /** Valid launch claims with one more member nested so deep that the whole is `depth` deep. */
  const claimsOfDepth = (depth: number) => ({ ...launchClaims(nowSeconds), deep: JSON.parse(nested(depth - 1)) as unknown });
  const claimsTextOfDepth = (depth: number) => JSON.stringify(launchClaims(nowSeconds)).replace(/^\{/, `{"deep":${nested(depth - 1)},`);
  const payloadTextOfDepth = (depth: number) => JSON.stringify(surveyResponse(2)).replace(/^\{/, `{"deep":${nested(depth - 1)},`);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-limits-'));
    services = await createServices({ configDir: path.join(dir, 'config'), mode: 'browser' });
    await services.keys.importRunnerCheckout(path.join(ONS, 'runner'));
    keys = fuzzKeys(dir);
    const staticDir = path.join(dir, 'static');
    fs.mkdirSync(staticDir);
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    server = await startWebServer({ api: services, staticDir });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await services?.shutdown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('launch.check, launch.start and profiles.save refuse claims beyond the limits, naming them; claims at the limit are judged', async () => {
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (err: unknown) => (err instanceof ConsoleError ? `${err.code}: ${err.message}` : String(err)),
      );
    expect(await refusal(services.launch.check(claimsOfDepth(65)))).toBe(
      'bad-input: launch.check: claims are nested more than 64 deep; the console reads at most 64 levels.',
    );
    expect(await refusal(services.launch.check({ ...launchClaims(nowSeconds), padding: 'x'.repeat(CLAIMS_LIMITS.chars) }))).toBe(
      'bad-input: launch.check: claims are over 1 MB; the console reads at most 1 MB.',
    );
    expect(await refusal(services.launch.start({ claims: claimsOfDepth(5000), open: 'none' }))).toMatch(
      /^bad-input: launch\.start: request\.claims are nested more than 64 deep/,
    );
    expect(await refusal(services.profiles.save({ name: 'deep', payload: 'v2', claims: claimsOfDepth(100) }))).toMatch(
      /^bad-input: profiles\.save: profile\.claims are nested/,
    );
    expect(await services.history.list()).toEqual([]);
    const atLimit = await services.launch.check(claimsOfDepth(64));
    expect(atLimit.runnerStatus).toBe(302);
  });

  it('inspect does not read a token or claims beyond the limits, says so, and predicts nothing; at the limit it judges', async () => {
    const deep = await services.tokens.inspect(sealClaims(claimsTextOfDepth(5001), keys.launch));
    expect(deep).toMatchObject({ state: 'cannot-look-inside', runnerStatus: null, claims: null, jwsHeader: { kid: keys.launch.signer.kid } });
    expect(deep.verdict).toBe('The console does not read this token: the claims are nested 5,001 deep; the console reads at most 64 levels.');
    expect(deep.problems).toEqual([
      { code: 'token.over-limit', path: '', message: 'The claims are nested 5,001 deep; the console reads at most 64 levels.', source: 'console' },
    ]);

    const token = sealClaims(JSON.stringify(launchClaims(nowSeconds)), keys.launch);
    const [, ...rest] = token.split('.');
    const deepHeader = await services.tokens.inspect([b64(`{"kid":"x","h":${nested(100_000)}}`), ...rest].join('.'));
    expect(deepHeader.problems.map((p) => p.message)).toEqual(['The JWE header is nested 100,001 deep; the console reads at most 64 levels.']);

    const huge = await services.tokens.inspect(token + 'A'.repeat(3 * 1024 * 1024));
    expect(huge.verdict).toBe('The console does not read this token: the token is 3 MB; the console reads at most 2 MB.');

    const atLimit = await services.tokens.inspect(sealClaims(claimsTextOfDepth(64), keys.launch));
    expect(atLimit.runnerStatus).toBe(302);
    expect(JSON.parse(JSON.stringify(atLimit.claims))).toMatchObject({ deep: JSON.parse(nested(63)) });
  });

  it('downstream.open reads payloads up to the limit, plain and sealed, and hands them out; deeper ones are refused, naming the limit', async () => {
    const sealed = (text: string) => sealClaims(text, keys.submission);
    const { items } = await services.downstream.open([
      { kind: 'text', name: 'at-limit.json', text: payloadTextOfDepth(PAYLOAD_LIMITS.depth) },
      { kind: 'text', name: 'at-limit.jwe', text: sealed(payloadTextOfDepth(PAYLOAD_LIMITS.depth)) },
      { kind: 'text', name: 'deep.json', text: payloadTextOfDepth(5001) },
      { kind: 'text', name: 'deep.jwe', text: sealed(payloadTextOfDepth(100_001)) },
    ]);
    expect(items.map((i) => [i.source, i.failure?.message ?? 'read'])).toEqual([
      ['at-limit.json', 'read'],
      ['at-limit.jwe', 'read'],
      ['deep.json', 'The payload is nested 5,001 deep; the console reads at most 256 levels.'],
      ['deep.jwe', 'The payload is nested 100,001 deep; the console reads at most 256 levels.'],
    ]);
    // Signed and verified, then not read: what the Downstream screen shows of it.
    expect(items[3]).toMatchObject({ decrypted: true, signatureValid: true, valid: false, failure: { stage: 'parse' } });
    for (const item of items.slice(0, 2)) expect(JSON.stringify(await services.downstream.payload(item.id))).toContain(nested(200));
  });

  it('questionnaire schemas from a runner, a URL or a folder are not read beyond the limits, nor handed back', async () => {
    const deepSchema = `{"metadata":[{"name":"ru_ref","type":${nested(100_000, '"string"')}}]}`;
    const hostile = http.createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(req.url!.startsWith('/schemas/') ? deepSchema : '{"test":["test_checkbox"]}');
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    const runnerUrl = `http://127.0.0.1:${(hostile.address() as { port: number }).port}`;
    try {
      await expect(services.schemas.summary({ kind: 'url', url: `${runnerUrl}/schemas/s.json` }, 's')).rejects.toThrow(
        `the answer from ${runnerUrl}/schemas/s.json is nested 100,003 deep; the console reads at most 64 levels`,
      );
      // Inspect against that runner: the claims are judged, the schema is not read, and it says so.
      const report = await services.tokens.inspect(sealClaims(JSON.stringify(launchClaims(nowSeconds)), keys.launch), { runnerUrl });
      expect(report.runnerStatus).toBe(302);
      expect(report.verdict).toContain(`the questionnaire metadata was not checked: the schema from ${runnerUrl}/schemas/test_checkbox is nested 100,003 deep`);
    } finally {
      hostile.close();
    }
    const folder = path.join(dir, 'schemas');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'deep.json'), deepSchema);
    const catalogue = await services.schemas.catalogue({ kind: 'folder', path: folder });
    expect(catalogue.problems).toEqual([{ name: 'deep.json', reason: 'it is nested 100,003 deep; the console reads at most 64 levels' }]);
    // A summary handed back by the page (any caller of the contract) is held to the limits too.
    const deepSummary = { name: 's', metadata: [{ name: 'ru_ref', type: JSON.parse(nested(100, '"string"')) as unknown }] };
    await expect(services.launch.check(launchClaims(nowSeconds), deepSummary as never)).rejects.toThrow(
      'launch.check: schema is nested more than 64 deep; the console reads at most 64 levels.',
    );
  });

  describe('browser mode', () => {
    const post = (channel: string, body: string, headers: Record<string, string | number> = {}) =>
      new Promise<{ status: number; json: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'POST',
            path: `/api/${channel}`,
            agent: false,
            headers: { 'Content-Type': 'application/json', 'X-EQ-Token': server.token, ...headers },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
          },
        );
        // The server may answer (413) and close before all of a large body is written.
        req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
        req.end(body);
      });

    it('refuses a body nested beyond the limit before parsing it, 10 MB of it too, with a 400 that says why', async () => {
      const deep = await post('launch.check', `{"args":[${claimsTextOfDepth(5001)}]}`);
      expect(deep).toEqual({
        status: 400,
        json: { ok: false, error: { code: 'bad-input', message: 'The request is nested 5,003 deep; the console reads at most 72 levels.' } },
      });
      const tenMb = await post('launch.check', `{"args":[{"x":${nested(5 * 1024 * 1024)}}]}`);
      expect(tenMb.status).toBe(400);
      expect(tenMb.json.error?.message).toBe('The request is nested 5,242,883 deep; the console reads at most 72 levels.');
      // Within the body's limit, beyond the claims': the contract names the argument.
      const claims = await post('launch.check', JSON.stringify({ args: [claimsOfDepth(REQUEST_DEPTH - 4)] }));
      expect(claims).toEqual({
        status: 200,
        json: { ok: false, error: { code: 'bad-input', message: 'launch.check: claims are nested more than 64 deep; the console reads at most 64 levels.' } },
      });
    });

    it('refuses a body over its size limit with a 413 naming both sizes', async () => {
      const big = await post('keys.importTexts', '{"args":[[', { 'Content-Length': 21 * 1024 * 1024 });
      expect(big).toEqual({
        status: 413,
        json: { ok: false, error: { code: 'bad-input', message: 'The request is 21 MB; the console reads requests of at most 20 MB.' } },
      });
    });

    it('hands out a payload at the depth limit (it answered 500 for a deep one)', async () => {
      const opened = await post(
        'downstream.open',
        JSON.stringify({ args: [[{ kind: 'text', name: 'p.json', text: payloadTextOfDepth(PAYLOAD_LIMITS.depth) }]] }),
      );
      const [item] = (opened.json.value as { items: { id: string }[] }).items;
      const payload = await post('downstream.payload', JSON.stringify({ args: [item!.id] }));
      expect(payload.status).toBe(200);
      expect(jsonDepth(JSON.stringify(payload.json.value))).toBe(PAYLOAD_LIMITS.depth);
    });
  });

  describe('the command line', () => {
    // From source, so these test this checkout whatever out/cli holds.
    const run = (args: string[], input?: string) => cli(args, { home: path.join(dir, 'cli-home'), input, env: { EQ_CONSOLE_FROM_SOURCE: '1' } });

    it('refuses claims files, stdin and --set values beyond the limits with one line; inspects a deep token without a stack trace', async () => {
      const file = path.join(dir, 'deep-claims.json');
      fs.writeFileSync(file, claimsTextOfDepth(5001));
      const mint = await run(['token', 'mint', '--keys', path.join(ONS, 'runner/tests/jwt-test-keys'), '--claims', file]);
      expect([mint.code, mint.stderr]).toEqual([2, `eq-console: the claims from ${file} are nested 5,001 deep; the console reads at most 64 levels\n`]);
      const set = await run(['launch', '--schema-name', 'test_checkbox', '--runner', 'http://127.0.0.1:9', '--set', `x=${nested(300)}`]);
      expect([set.code, set.stderr]).toEqual([2, 'eq-console: the claims from --set x are nested 300 deep; the console reads at most 64 levels\n']);
      // A path as deep as a value: setting it would recurse along every step.
      const path60k = await run(['launch', '--schema-name', 'test_checkbox', '--runner', 'http://127.0.0.1:9', '--set', `${'a.'.repeat(60_000)}a=1`]);
      expect([path60k.code, path60k.stderr]).toEqual([2, 'eq-console: --set: a claim path of 60001 levels is deeper than the 64 claims may nest\n']);
      const inspect = await run(
        ['token', 'inspect', '--json', '--keys', path.join(ONS, 'runner/dev-keys.yml'), '-'],
        sealClaims(claimsTextOfDepth(5001), keys.launch),
      );
      expect(inspect.code).toBe(1);
      expect(JSON.parse(inspect.stdout)).toMatchObject({ runnerStatus: null, claims: null, problems: [{ code: 'token.over-limit' }] });
      expect(inspect.stderr).toBe('');
    }, 120_000);
  });
});
