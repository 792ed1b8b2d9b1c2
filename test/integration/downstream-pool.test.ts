// Large inputs go through worker threads, each with its own copy of the keys: the results must
// be the ones this thread gets, item for item and in input order, failures included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenOutput } from '../../electron/services/downstream/outputs';
import { emptyStats, openEvents, type OpenOptions, WORKER_THRESHOLD } from '../../electron/services/downstream/pipeline';
import { expandSources } from '../../electron/services/downstream/sources';
import { DownstreamService } from '../../electron/services/downstream/service';
import { keyPair, seal, submissionKeys, surveyResponse } from '../support/downstream';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-ds-pool-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const keys = submissionKeys();

/** As the services and the command line open a folder: each file read where it is opened. */
async function openFolder(dir: string, options: OpenOptions): Promise<OpenOutput[]> {
  const out: OpenOutput[] = [];
  for await (const e of openEvents(expandSources([{ kind: 'path', path: dir }], { defer: true }), keys.ring, options)) out.push(e);
  return out;
}

describe('opening on worker threads', () => {
  const dir = path.join(tmp, 'many');
  beforeAll(async () => {
    fs.mkdirSync(dir);
    const stranger = keyPair();
    const impostor = keyPair();
    for (let i = 0; i < 90; i++) {
      const name = path.join(dir, `p${String(i).padStart(3, '0')}`);
      const payload = surveyResponse(i % 7);
      if (i % 11 === 3) delete payload.case_id;
      let text: string;
      if (i % 13 === 5) text = await seal(payload, { signer: keys.sealing.signer, recipient: { kid: stranger.kid, key: stranger.publicKey } });
      else if (i % 17 === 7) text = await seal(payload, { signer: { kid: keys.signing.kid, key: impostor.privateKey }, recipient: keys.sealing.recipient });
      else if (i % 19 === 9) text = (await seal(payload, keys)).replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAA');
      else text = await seal(payload, keys);
      fs.writeFileSync(`${name}.jwe`, text);
      if (i % 10 === 0) fs.writeFileSync(`${name}.log`, `boot\nmessage='${await seal(payload, keys)}'\n`);
    }
  });

  it('opens up to the threshold in this thread, without starting workers', async () => {
    const few = path.join(tmp, 'few');
    fs.mkdirSync(few);
    for (const f of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.jwe'))
      .slice(0, WORKER_THRESHOLD))
      fs.copyFileSync(path.join(dir, f), path.join(few, f));
    const stats = emptyStats();
    expect(await openFolder(few, { threads: 2, stats })).toHaveLength(WORKER_THRESHOLD);
    expect(stats).toMatchObject({ inProcess: WORKER_THRESHOLD, pooled: 0, threads: 0 });
  });

  it('gives the same items in the same order as opening in this thread', async () => {
    const pooledStats = emptyStats();
    const pooled = await openFolder(dir, { threads: 2, stats: pooledStats });
    const singleStats = emptyStats();
    const single = await openFolder(dir, { threads: 1, stats: singleStats });
    // The reader looks ahead past the threshold, so every JWE goes to the workers.
    expect(pooledStats).toMatchObject({ inProcess: 0, pooled: 99, threads: 2 });
    expect(pooledStats.peakWorkerHeap).toBeGreaterThan(0);
    expect(singleStats).toMatchObject({ inProcess: 99, pooled: 0 });
    expect(pooled).toEqual(single);
    const items = pooled.flatMap((e) => (e.type === 'item' ? [e.opened] : []));
    const stages = (stage: string) => items.filter((o) => o.failure?.stage === stage).length;
    expect(stages('decrypt')).toBeGreaterThan(0);
    expect(stages('signature')).toBeGreaterThan(0);
    expect(items.filter((o) => !o.failure && !o.valid).length).toBeGreaterThan(0);
    expect(items.filter((o) => o.valid).length).toBeGreaterThan(50);
  });

  it("makes the command line's finished lines in the workers, the same lines and counts as this thread makes", async () => {
    for (const output of ['json', 'readable'] as const) {
      const stats = emptyStats();
      const pooled = await openFolder(dir, { threads: 2, output, stats });
      expect(stats).toMatchObject({ inProcess: 0, pooled: 99, threads: 2 });
      const single = await openFolder(dir, { threads: 1, output });
      const text = (outputs: OpenOutput[]) => outputs.map((o) => (o.type === 'lines' ? o.text : '')).join('');
      expect(text(pooled)).toBe(text(single));
      const counts = pooled.reduce(
        (sum, o) => (o.type === 'lines' ? { valid: sum.valid + o.counts.valid, rest: sum.rest + o.counts.invalid + o.counts.unopened } : sum),
        { valid: 0, rest: 0 },
      );
      expect(counts.valid + counts.rest).toBe(99);
      expect(counts.rest).toBeGreaterThan(0);
      if (output === 'json') {
        const lines = text(pooled).trimEnd().split('\n');
        expect(lines).toHaveLength(99);
        expect(JSON.parse(lines[0]!)).toMatchObject({ source: path.join(dir, 'p000.jwe'), kind: 'jwe' });
      }
    }
  });

  it('reports a source that held nothing after what the workers read of it, and a file that cannot be read where it was', async () => {
    const empty = path.join(tmp, 'notes.txt');
    fs.writeFileSync(empty, 'no payloads here\n');
    const unreadable = path.join(tmp, 'gone.jwe');
    const events = (async function* () {
      yield* expandSources(
        [
          { kind: 'path', path: dir },
          { kind: 'path', path: empty },
        ],
        { defer: true },
      );
      // A file that went between the walk and its reading.
      yield { type: 'file' as const, file: unreadable, size: 10 };
    })();
    const out: OpenOutput[] = [];
    for await (const e of openEvents(events, keys.ring, { threads: 2, threshold: 0 })) out.push(e);
    expect(out.filter((o) => o.type === 'item')).toHaveLength(99);
    expect(out.slice(-2)).toEqual([
      { type: 'error', source: empty, message: expect.stringMatching(/^No payloads found in .*notes\.txt/), noPayloads: true },
      { type: 'error', source: unreadable, message: `Cannot read ${unreadable}: it does not exist.` },
    ]);
  });

  it('the service opens a large folder through the pool and serves its payloads', async () => {
    const service = new DownstreamService({ ring: async () => keys.ring, open: { threads: 2, threshold: 0 } });
    const { items, errors } = await service.open([{ kind: 'path', path: dir }]);
    expect(errors).toEqual([]);
    expect(items).toHaveLength(99);
    const valid = items.find((i) => i.valid)!;
    expect(await service.payload(valid.id)).toMatchObject({ tx_id: valid.summary.txId });
  });
});
