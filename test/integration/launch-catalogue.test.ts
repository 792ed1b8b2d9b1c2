// Schema catalogues from a folder, a runner and a URL, and the errors people meet with each.
import { checkArgs } from '../../shared/contract-schemas';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../shared/errors';
import { loadCatalogue, loadSummary, placeOf } from '../../electron/services/schemas/catalogue';
import { runnerKitMissing, startRunnerKit, type RunnerKit } from '../support/runner-kit';
import { ONS, sharedMissing, skipReason } from '../support/shared';

const SCHEMAS = path.join(ONS, 'runner/schemas');

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Answers every request with the given status and body. */
async function fixedServer(status: number, body: string, type = 'text/html'): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('placeOf', () => {
  it("reads survey type and language from the runner's layout, else the parent folder", () => {
    expect(placeOf('test/en/test_textfield.json', 'schemas')).toEqual({ surveyType: 'test', language: 'en' });
    expect(placeOf('cy/test_language.json', 'test')).toEqual({ surveyType: 'test', language: 'cy' });
    expect(placeOf('drafts/mine.json', 'work')).toEqual({ surveyType: 'drafts' });
    expect(placeOf('mine.json', 'work')).toEqual({ surveyType: 'work' });
  });
});

describe.skipIf(skipReason(sharedMissing()))('a folder catalogue', () => {
  it("summarises every schema of the runner's schemas folder, grouped by survey type and language", async () => {
    const catalogue = await loadCatalogue({ kind: 'folder', path: SCHEMAS });
    expect(catalogue.problems).toEqual([]);
    expect(catalogue.schemas).toHaveLength(246);
    expect(new Set(catalogue.schemas.map((s) => s.surveyType))).toEqual(new Set(['test']));
    expect(
      catalogue.schemas
        .filter((s) => s.name === 'test_language')
        .map((s) => s.language)
        .sort(),
    ).toEqual(['cy', 'en', 'ga']);
    const textfield = catalogue.schemas.find((s) => s.name === 'test_textfield')!;
    expect(textfield).toEqual({
      name: 'test_textfield',
      surveyType: 'test',
      language: 'en',
      title: 'Test Textfield',
      theme: 'default',
      surveyId: '999',
      dataVersion: '0.0.3',
      metadata: [
        { name: 'user_id', type: 'string' },
        { name: 'period_id', type: 'string' },
        { name: 'ru_name', type: 'string' },
      ],
      origin: path.join(SCHEMAS, 'test/en/test_textfield.json'),
    });
    expect(catalogue.schemas.find((s) => s.name === 'test_theme_social')?.theme).toBe('social');
  });

  it('skips JSON that is not a questionnaire, reports broken files, and finds one schema by name', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-folder-'));
    try {
      fs.mkdirSync(path.join(dir, 'business/en'), { recursive: true });
      fs.copyFileSync(path.join(SCHEMAS, 'test/en/test_textfield.json'), path.join(dir, 'business/en/mine_0001.json'));
      fs.writeFileSync(path.join(dir, 'package.json'), '{"name": "x"}');
      fs.writeFileSync(path.join(dir, 'broken.json'), '{"metadata": [');
      const catalogue = await loadCatalogue({ kind: 'folder', path: dir });
      expect(catalogue.schemas.map((s) => [s.surveyType, s.language, s.name])).toEqual([['business', 'en', 'mine_0001']]);
      expect(catalogue.problems).toEqual([{ name: 'broken.json', reason: expect.stringMatching(/^not valid JSON/) }]);
      expect((await loadSummary({ kind: 'folder', path: dir }, 'mine_0001')).title).toBe('Test Textfield');
      await expect(loadSummary({ kind: 'folder', path: dir }, 'nothing')).rejects.toThrow(/no schema named "nothing"/);
      await expect(loadCatalogue({ kind: 'folder', path: path.join(dir, 'missing') })).rejects.toThrow(/There is no folder/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prefers the English file when a name has translations', async () => {
    expect((await loadSummary({ kind: 'folder', path: SCHEMAS }, 'test_language')).language).toBe('en');
    expect((await loadSummary({ kind: 'folder', path: SCHEMAS }, 'test/cy/test_language')).language).toBe('cy');
  });
});

describe('runner and URL catalogues: failures', () => {
  it('says plainly that the runner cannot be reached', async () => {
    const port = await closedPort();
    const err = await loadCatalogue({ kind: 'runner', runnerUrl: `http://127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConsoleError);
    expect((err as ConsoleError).message).toBe(`cannot reach the runner at http://127.0.0.1:${port}: connection refused`);
    expect((err as ConsoleError).code).toBe('network');
  });

  it('says when the answer is not JSON, or not a schema list', async () => {
    const html = await fixedServer(200, '<!doctype html><title>Login</title>');
    const odd = await fixedServer(200, '{"schemas": 3}', 'application/json');
    try {
      await expect(loadCatalogue({ kind: 'runner', runnerUrl: html.url })).rejects.toThrow(
        `${html.url}/schemas did not answer with JSON (it starts "<!doctype html><title>Login</title>")`,
      );
      await expect(loadCatalogue({ kind: 'runner', runnerUrl: odd.url })).rejects.toThrow(/did not answer with a schema list/);
      await expect(loadCatalogue({ kind: 'url', url: `${odd.url}/x.json` })).rejects.toThrow(/neither a questionnaire schema nor a schema list/);
    } finally {
      await html.close();
      await odd.close();
    }
  });

  it('refuses sources that are not sources', async () => {
    await expect(loadCatalogue({ kind: 'runner', runnerUrl: 'ftp://x' })).rejects.toThrow(/http/);
    // A source of no known kind never reaches the catalogue: the contract refuses it (contract-validation.test.ts).
    expect(() => checkArgs('schemas.catalogue', [{ kind: 'nope' }])).toThrow(/^schemas\.catalogue: source\.kind must be /);
  });
});

describe.skipIf(skipReason(sharedMissing(), runnerKitMissing()))('a runner catalogue (the real runner)', () => {
  let runner: RunnerKit;
  beforeAll(async () => {
    runner = await startRunnerKit();
  });
  afterAll(async () => {
    await runner?.close();
  });

  it('lists GET /schemas and summarises each /schemas/<name>', async () => {
    const catalogue = await loadCatalogue({ kind: 'runner', runnerUrl: `${runner.url}/` });
    expect(catalogue.problems).toEqual([]);
    expect(catalogue.schemas).toHaveLength(244);
    const textfield = catalogue.schemas.find((s) => s.name === 'test_textfield')!;
    expect(textfield).toMatchObject({
      surveyType: 'test',
      language: 'en',
      title: 'Test Textfield',
      theme: 'default',
      origin: `${runner.url}/schemas/test_textfield`,
    });
    expect(textfield.schemaUrl).toBeUndefined();
    const requests = await runner.requests();
    expect(requests.filter((r) => r.startsWith('GET /schemas/'))).toHaveLength(244);
  });

  it("fetches one schema's summary, and names a schema the runner does not have", async () => {
    expect(await loadSummary({ kind: 'runner', runnerUrl: runner.url }, 'test_theme_health')).toMatchObject({ theme: 'health', surveyType: 'test' });
    await expect(loadSummary({ kind: 'runner', runnerUrl: runner.url }, 'no_such_schema')).rejects.toThrow(
      `the runner at ${runner.url} has no schema named "no_such_schema" (404)`,
    );
  });

  it('reads one schema at a URL (launched by schema_url), or a schema list at a URL', async () => {
    const url = `${runner.url}/schemas/test_checkbox`;
    const one = await loadCatalogue({ kind: 'url', url });
    expect(one.schemas).toEqual([expect.objectContaining({ name: 'test_checkbox', schemaUrl: url, origin: url })]);
    const list = await loadCatalogue({ kind: 'url', url: `${runner.url}/schemas` });
    expect(list.schemas).toHaveLength(244);
    expect(list.schemas.find((s) => s.name === 'test_textfield')?.schemaUrl).toBe(`${runner.url}/schemas/test_textfield`);
    await expect(loadCatalogue({ kind: 'url', url: `${runner.url}/schemas/missing.json` })).rejects.toThrow(/answered 404/);
  });
});
