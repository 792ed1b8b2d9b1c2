// The downstream service behind every front door: open() over texts, files and folders, payloads
// kept for recent items and opened again from their source otherwise, and folder watches.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DownstreamWatch } from '../../shared/downstream/types';
import { DownstreamService } from '../../electron/services/downstream/service';
import { seal, submissionKeys, surveyResponse } from '../support/downstream';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-ds-service-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const keys = submissionKeys();
let n = 0;
const folder = () => fs.mkdtempSync(path.join(tmp, `f${++n}-`));
const services: DownstreamService[] = [];
/** What each watch has told (downstream.watch events), put together as the page puts it together. */
const told = new Map<string, DownstreamWatch>();
const service = (options: Partial<ConstructorParameters<typeof DownstreamService>[0]> = {}) => {
  const s = new DownstreamService({
    ring: async () => keys.ring,
    emit: (event) => {
      if (event.type !== 'downstream.watch') return;
      const before = told.get(event.watch.id);
      told.set(event.watch.id, { ...event.watch, items: [...(before?.items ?? []), ...event.watch.items] });
    },
    ...options,
  });
  services.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stopAll()));
});

/** Waits until what the watch told satisfies ok; bounded, never a timed assertion. */
async function until(_s: DownstreamService, id: string, ok: (w: DownstreamWatch) => boolean): Promise<DownstreamWatch> {
  const now = () => told.get(id) ?? { id, path: '', items: [], errors: [] };
  for (let i = 0; i < 200 && !ok(now()); i++) await new Promise((r) => setTimeout(r, 50));
  return now();
}

describe('DownstreamService.open and payload', () => {
  it('opens texts and paths together, reporting unreadable sources and sources without payloads', async () => {
    const dir = folder();
    const p = surveyResponse();
    fs.writeFileSync(path.join(dir, 'one.jwe'), await seal(p, keys));
    const s = service();
    const result = await s.open([
      { kind: 'text', name: 'pasted', text: await seal(p, keys) },
      { kind: 'path', path: dir },
      { kind: 'path', path: path.join(dir, 'missing.jwe') },
      { kind: 'text', name: 'notes', text: 'nothing to see' },
    ]);
    expect(result.items.map((i) => [i.source, i.valid])).toEqual([
      ['pasted', true],
      [path.join(dir, 'one.jwe'), true],
    ]);
    expect(new Set(result.items.map((i) => i.id)).size).toBe(2);
    expect(result.errors).toEqual([
      { source: path.join(dir, 'missing.jwe'), message: `${path.join(dir, 'missing.jwe')} does not exist.` },
      { source: 'notes', message: expect.stringMatching(/^No payloads found in notes/) },
    ]);
    for (const item of result.items) expect(await s.payload(item.id)).toEqual(p);
  });

  it('opens a payload again from its file or kept text once it has left the cache, and notices a changed file', async () => {
    const dir = folder();
    const p1 = surveyResponse(1);
    const p2 = surveyResponse(2);
    fs.writeFileSync(path.join(dir, 'runner.log'), `start\nmessage='${await seal(p1, keys)}'\nmessage='${await seal(p2, keys)}'\n`);
    const s = service({ payloadCacheBytes: 1 });
    const { items } = await s.open([
      { kind: 'path', path: dir },
      { kind: 'text', name: 'pasted.json', text: JSON.stringify(p1) },
    ]);
    expect(items.map((i) => path.basename(i.source))).toEqual(['runner.log:2', 'runner.log:3', 'pasted.json']);
    expect(await s.payload(items[1]!.id)).toEqual(p2);
    expect(await s.payload(items[2]!.id)).toEqual(p1);
    fs.writeFileSync(path.join(dir, 'runner.log'), `start\nmessage='${await seal(p1, keys)}'\n`);
    await expect(s.payload(items[1]!.id)).rejects.toThrow(/runner\.log:3 has changed or gone since it was opened/);
  });

  it('forgets the oldest items beyond its bound, saying so', async () => {
    const s = service({ maxRecords: 2 });
    const texts = await Promise.all([1, 2, 3].map(() => seal(surveyResponse(), keys)));
    const { items } = await s.open(texts.map((text, i) => ({ kind: 'text', name: `t${i}`, text })));
    await expect(s.payload(items[0]!.id)).rejects.toThrow(/There is no downstream item .* any more/);
    await expect(s.payload(items[2]!.id)).resolves.toMatchObject({ version: 'v2' });
    await expect(s.payload('ds-nope')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('DownstreamService folder watches', () => {
  it('starts with the files present, then opens files as they are written, each payload once', async () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, 'present.jwe'), await seal(surveyResponse(), keys));
    const s = service();
    const started = await s.watchStart(dir);
    expect(started).toMatchObject({ path: dir, errors: [] });
    expect((await until(s, started.id, (w) => w.items.length >= 1)).items.map((i) => path.basename(i.source))).toEqual(['present.jwe']);

    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'arrived.jwe'), await seal(surveyResponse(), keys));
    const log = path.join(dir, 'runner.log');
    fs.writeFileSync(log, `{"message": "${await seal(surveyResponse(), keys)}"}\n`);
    let w = await until(s, started.id, (x) => x.items.length >= 3);
    expect(w.items.map((i) => path.relative(dir, i.source)).sort()).toEqual(['present.jwe', 'runner.log:1', path.join('sub', 'arrived.jwe')]);

    // A log that grows: only its new line is opened.
    fs.appendFileSync(log, `{"message": "${await seal(surveyResponse(), keys)}"}\n`);
    w = await until(s, started.id, (x) => x.items.length >= 4);
    expect(w.items.map((i) => path.relative(dir, i.source)).slice(3)).toEqual(['runner.log:2']);
    expect(w.items.every((i) => i.valid)).toBe(true);
    // Each event carried only what was new: the item of the grown log came alone.
    expect(told.get(started.id)!.items.filter((i) => i.source.endsWith('runner.log:2'))).toHaveLength(1);
    expect(await s.payload(w.items[3]!.id)).toMatchObject({ version: 'v2' });

    await s.watchStop(started.id);
    await expect(s.watchStop(started.id)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses a file or a missing folder, and ends by itself when its folder goes', async () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, 'a.jwe'), 'x');
    const s = service();
    await expect(s.watchStart(path.join(dir, 'a.jwe'))).rejects.toMatchObject({ code: 'bad-input' });
    await expect(s.watchStart(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'not-found' });
    const watched = path.join(dir, 'watched');
    fs.mkdirSync(watched);
    const { id } = await s.watchStart(watched);
    fs.writeFileSync(path.join(watched, 'x.jwe'), 'not a jwe');
    expect((await until(s, id, (w) => w.items.length > 0)).items[0]).toMatchObject({ valid: false, failure: { stage: 'decrypt' } });
    fs.rmSync(watched, { recursive: true });
    const ended = await until(s, id, (w) => w.ended !== undefined);
    expect(ended.ended).toMatch(/watched/);
  });
});
