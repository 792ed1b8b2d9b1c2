// The local schema preview server, over real HTTP on loopback and a real watched file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchemaPreviews, type SchemaPreviews } from '../../electron/services/schemas/preview';
import { ConsoleError } from '../../shared/errors';
import type { SchemaPreview } from '../../shared/launch-types';

const schema = (title: string, extra: Record<string, unknown> = {}) => ({
  mime_type: 'application/json/ons/eq',
  language: 'en',
  schema_version: '0.0.1',
  data_version: '0.0.3',
  survey_id: '999',
  form_type: 'H',
  title,
  theme: 'social',
  metadata: [
    { name: 'user_id', type: 'string' },
    { name: 'ru_name', type: 'string', optional: true },
  ],
  ...extra,
});

let dir: string;
let file: string;
let previews: SchemaPreviews;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eq-preview-'));
  file = path.join(dir, 'test_local schema.json');
  fs.writeFileSync(file, JSON.stringify(schema('First title')));
  previews = createSchemaPreviews({ debounceMs: 50 });
});

afterEach(async () => {
  await previews.stopAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Polls status until it shows a newer version, for at most 10 s (watch events are not instant). */
async function nextVersion(id: string, after: number): Promise<SchemaPreview> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const status = await previews.status(id);
    if (status.version > after) return status;
    if (Date.now() > deadline) throw new Error(`version stayed at ${status.version}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until the predicate holds on the status (or 10 s pass). */
async function until(id: string, ok: (s: SchemaPreview) => boolean): Promise<SchemaPreview> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const status = await previews.status(id);
    if (ok(status)) return status;
    if (Date.now() > deadline) throw new Error(`status never matched: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('schema preview server', () => {
  it('serves the file as JSON on 127.0.0.1 under a random token, with the summary', async () => {
    const preview = await previews.start(file);
    const url = new URL(preview.schemaUrl);
    expect(url.protocol).toBe('http:');
    expect(url.hostname).toBe('127.0.0.1');
    const [, token, version, name] = url.pathname.split('/');
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(version).toBe('1');
    expect(decodeURIComponent(name!)).toBe('test_local schema.json');

    expect(preview).toMatchObject({ path: file, version: 1 });
    expect(preview.error).toBeUndefined();
    expect(preview.changedAt).toBeUndefined();
    expect(preview.summary).toEqual({
      name: 'test_local schema',
      surveyType: 'local preview',
      language: 'en',
      title: 'First title',
      theme: 'social',
      surveyId: '999',
      formType: 'H',
      dataVersion: '0.0.3',
      metadata: [
        { name: 'user_id', type: 'string' },
        { name: 'ru_name', type: 'string', optional: true },
      ],
      schemaUrl: preview.schemaUrl,
      origin: file,
    });

    const res = await fetch(preview.schemaUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(schema('First title'));
  });

  it('answers the runner, which asks for <schema_url>?language=<code>', async () => {
    const preview = await previews.start(file);
    const res = await fetch(`${preview.schemaUrl}?language=cy`);
    expect(res.status).toBe(200);
    expect((await res.json()).title).toBe('First title');
  });

  it('needs the token path: anything else is 404, and only GET is served', async () => {
    const preview = await previews.start(file);
    const url = new URL(preview.schemaUrl);
    const [, token] = url.pathname.split('/');
    const at = (p: string) => `${url.origin}${p}`;
    const status = async (u: string, init?: RequestInit) => (await fetch(u, init)).status;

    expect(await status(at('/'))).toBe(404);
    expect(await status(at('/test_local%20schema.json'))).toBe(404);
    expect(await status(at(`/${'0'.repeat(32)}/1/test_local%20schema.json`))).toBe(404);
    expect(await status(at(`/${token}/`))).toBe(404);
    expect(await status(at(`/${token}/1/other.json`))).toBe(404);
    expect(await status(at(`/${token}/x/test_local%20schema.json`))).toBe(404);
    expect(await status(at(`/${token}/1/..%2Fetc%2Fpasswd`))).toBe(404);
    expect(await status(at(`/${token}/1/%E0%A4%A`))).toBe(404);
    // Without the version segment too (a URL typed by hand).
    expect(await status(at(`/${token}/test_local%20schema.json`))).toBe(200);
    expect(await status(preview.schemaUrl, { method: 'POST', body: '{}' })).toBe(405);
    expect(await status(preview.schemaUrl, { method: 'DELETE' })).toBe(405);
  });

  it('listens on loopback only', async () => {
    const preview = await previews.start(file);
    const url = new URL(preview.schemaUrl);
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address);
    for (const host of ['[::1]', ...others]) {
      const elsewhere = `http://${host}:${url.port}${url.pathname}`;
      await expect(fetch(elsewhere, { signal: AbortSignal.timeout(3000) })).rejects.toThrow();
    }
  });

  it('follows changes: a new version, a new URL, a new summary, the new bytes', async () => {
    const first = await previews.start(file);
    fs.writeFileSync(file, JSON.stringify(schema('Second title', { theme: 'business' })));
    const second = await nextVersion(first.id, 1);

    expect(second.version).toBe(2);
    expect(second.changedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(second.summary).toMatchObject({ title: 'Second title', theme: 'business' });
    // The runner caches schemas by URL for its whole life: a change must change the URL.
    expect(second.schemaUrl).not.toBe(first.schemaUrl);
    expect(second.schemaUrl.endsWith('/2/test_local%20schema.json')).toBe(true);
    expect((await (await fetch(second.schemaUrl)).json()).title).toBe('Second title');
    // The old URL still answers, with the file as it is now.
    expect((await (await fetch(first.schemaUrl)).json()).title).toBe('Second title');
  });

  it('serves questionnaire schemas only, never any other file it is pointed at', async () => {
    const key = path.join(path.dirname(file), 'id_rsa');
    fs.writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    await expect(previews.start(key)).rejects.toThrow(/id_rsa holds private key material; only questionnaire schemas are served/);
    const other = path.join(path.dirname(file), 'package.json');
    fs.writeFileSync(other, JSON.stringify({ name: 'x', version: '1.0.0' }));
    await expect(previews.start(other)).rejects.toThrow(/only schema files can be previewed/);
  });

  it('serves a file once even when asked twice at the same moment', async () => {
    const [a, b] = await Promise.all([previews.start(file), previews.start(file)]);
    expect(a.id).toBe(b.id);
  });

  it('maps any URL it handed out to the current version, for launches', async () => {
    const first = await previews.start(file);
    expect((await previews.current(first.schemaUrl))?.schemaUrl).toBe(first.schemaUrl);
    fs.writeFileSync(file, JSON.stringify(schema('Changed')));
    const second = await nextVersion(first.id, 1);
    expect((await previews.current(first.schemaUrl))?.schemaUrl).toBe(second.schemaUrl);
    expect((await previews.current(`${first.schemaUrl}?language=en`))?.schemaUrl).toBe(second.schemaUrl);
    expect((await previews.current('https://example.org/schema.json'))?.schemaUrl).toBeUndefined();
    expect((await previews.current(first.schemaUrl.replace(/\/[0-9a-f]{32}\//, `/${'0'.repeat(32)}/`)))?.schemaUrl).toBeUndefined();
    expect((await previews.current('not a url'))?.schemaUrl).toBeUndefined();
    await previews.stop(first.id);
    expect((await previews.current(first.schemaUrl))?.schemaUrl).toBeUndefined();
  });

  it('follows an editor that saves by renaming a new file over the old one', async () => {
    const first = await previews.start(file);
    const temp = path.join(dir, '.test_local schema.json.swp');
    fs.writeFileSync(temp, JSON.stringify(schema('Renamed in')));
    fs.renameSync(temp, file);
    const second = await nextVersion(first.id, first.version);
    expect(second.summary?.title).toBe('Renamed in');

    // And keeps following the new file after the rename.
    fs.writeFileSync(file, JSON.stringify(schema('After rename')));
    const third = await nextVersion(first.id, second.version);
    expect(third.summary?.title).toBe('After rename');
  });

  it('does not bump the version when the bytes did not change', async () => {
    const first = await previews.start(file);
    const other = path.join(dir, 'unrelated.json');
    fs.writeFileSync(other, '{}');
    fs.writeFileSync(file, JSON.stringify(schema('First title')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await previews.status(first.id)).version).toBe(1);
  });

  it('reports a file that is no longer valid JSON, and serves it no more until it is a schema again', async () => {
    const first = await previews.start(file);
    fs.writeFileSync(file, '{"title": "half written",');
    const broken = await nextVersion(first.id, 1);
    expect(broken.error).toMatch(/not valid JSON.*the runner will fail to load it/);
    expect(broken.summary).toBeUndefined();
    const res = await fetch(broken.schemaUrl);
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/is not a questionnaire schema/);

    fs.writeFileSync(file, JSON.stringify(schema('Fixed')));
    const fixed = await nextVersion(first.id, broken.version);
    expect(fixed.error).toBeUndefined();
    expect(fixed.summary?.title).toBe('Fixed');
    expect((await fetch(fixed.schemaUrl)).status).toBe(200);
  });

  it('checks the file on every request: a link or a key put in its place is never served', async () => {
    const first = await previews.start(file);
    expect((await fetch(first.schemaUrl)).status).toBe(200);
    // Replaced by a link to a secret: the real path is no longer the one the preview was started on.
    const secret = path.join(dir, 'keyring.json');
    fs.writeFileSync(secret, JSON.stringify({ keys: [{ privatePem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }] }));
    fs.rmSync(file);
    fs.symlinkSync(secret, file);
    const linked = await fetch(first.schemaUrl);
    expect(linked.status).toBe(403);
    const linkedText = await linked.text();
    expect(linkedText).toMatch(/now leads to .*keyring\.json, not the file this preview was started on/);
    expect(linkedText).not.toContain('PRIVATE KEY');
    // Overwritten in place with key material that also looks like a schema: still refused.
    fs.rmSync(file);
    fs.writeFileSync(file, JSON.stringify({ ...schema('Sneaky'), key: '-----BEGIN RSA PRIVATE KEY-----' }));
    const overwritten = await fetch(first.schemaUrl);
    expect(overwritten.status).toBe(403);
    expect(await overwritten.text()).toMatch(/holds private key material/);
  });

  it("refuses files in the console's own config folder", async () => {
    const configDir = path.join(dir, 'config');
    fs.mkdirSync(configDir, { recursive: true });
    const inside = path.join(configDir, 'schema.json');
    fs.writeFileSync(inside, JSON.stringify(schema('Inside')));
    const guarded = createSchemaPreviews({ debounceMs: 20, configDir });
    try {
      await expect(guarded.start(inside)).rejects.toThrow(/in the console's own configuration folder/);
    } finally {
      await guarded.stopAll();
    }
  });

  it('reports a schema that stops being a JSON object while previewed', async () => {
    const first = await previews.start(file);
    fs.writeFileSync(file, '[1, 2, 3]');
    const changed = await until(first.id, (s) => !!s.error);
    expect(changed.error).toMatch(/not an object/);
    expect(changed.summary).toBeUndefined();
  });

  it('reports a file that went away, and serves 404 until it is back', async () => {
    const first = await previews.start(file);
    fs.rmSync(file);
    const gone = await until(first.id, (s) => !!s.error);
    expect(gone.error).toMatch(/cannot be read \(ENOENT\)/);
    expect((await fetch(gone.schemaUrl)).status).toBe(404);

    fs.writeFileSync(file, JSON.stringify(schema('First title')));
    const back = await until(first.id, (s) => !s.error);
    expect(back.summary?.title).toBe('First title');
    // Same bytes as before it went: not a new version.
    expect(back.version).toBe(1);
  });

  it('starts once per file', async () => {
    const a = await previews.start(file);
    const b = await previews.start(path.join(dir, '.', 'test_local schema.json'));
    expect(b.id).toBe(a.id);
    expect(b.schemaUrl).toBe(a.schemaUrl);
  });

  it('refuses a missing file or a folder', async () => {
    await expect(previews.start(path.join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'not-found' });
    await expect(previews.start(dir)).rejects.toMatchObject({ code: 'bad-input' });
    await expect(previews.start('')).rejects.toBeInstanceOf(ConsoleError);
  });

  it('stop closes the port and forgets the preview; stopping again is harmless', async () => {
    const preview = await previews.start(file);
    // A kept-alive connection must not hold the server open.
    expect((await fetch(preview.schemaUrl)).status).toBe(200);
    await previews.stop(preview.id);
    await expect(fetch(preview.schemaUrl, { signal: AbortSignal.timeout(3000) })).rejects.toThrow();
    await expect(previews.status(preview.id)).rejects.toMatchObject({ code: 'not-found' });
    await expect(previews.stop(preview.id)).resolves.toBeUndefined();
  });

  it('stopAll closes every preview', async () => {
    const second = path.join(dir, 'second.json');
    fs.writeFileSync(second, JSON.stringify(schema('Second')));
    const a = await previews.start(file);
    const b = await previews.start(second);
    expect(new URL(a.schemaUrl).port).not.toBe(new URL(b.schemaUrl).port);
    await previews.stopAll();
    for (const p of [a, b]) {
      await expect(fetch(p.schemaUrl, { signal: AbortSignal.timeout(3000) })).rejects.toThrow();
    }
  });
});
