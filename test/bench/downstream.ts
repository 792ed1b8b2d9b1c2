// Opening downstream payloads beside node:crypto's raw RSA-4096 OAEP decryption rate on one core,
// both measured in this run on this machine (DESIGN.md: one RSA private-key operation per payload;
// spread over workers, target above 1.5x the one-core raw rate). Production SDX keys may be 4096
// bits, so the payloads are encrypted to a fresh RSA-4096 key and signed with a 2048 one, with the
// console's own sealing. Interleaved rounds and medians, as the mint bench does.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyStats, openEvents, type OpenOptions } from '../../electron/services/downstream/pipeline';
import { DownstreamService } from '../../electron/services/downstream/service';
import { expandSources } from '../../electron/services/downstream/sources';
import { seal, type SubmissionKeys, submissionKeys, surveyResponse } from '../support/downstream';
import { type BenchRow, median, rate, timed } from './measure';

const MIB = 1024 * 1024;
const ANSWERS = 20;

export interface DownstreamBench {
  rows: BenchRow[];
  memory: string[];
}

export async function benchDownstream(seconds: number, rounds: number, memoryCount: number): Promise<DownstreamBench> {
  const keys = submissionKeys(4096);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-bench-downstream-'));
  try {
    const rawDecrypt = rawDecryptOp(keys);
    // Enough payloads for a pooled round of about `seconds`.
    const count = Math.ceil(timed(0.5, rawDecrypt).perSecond * 2 * seconds);
    const folder = path.join(tmp, 'rate');
    await writePayloads(folder, count, keys);
    const half = Math.ceil(count / 2);
    const halfFolder = path.join(tmp, 'rate-half');
    linkPayloads(folder, halfFolder, half, count);

    const raw: number[] = [];
    const single: number[] = [];
    const pooled: number[] = [];
    for (let round = 0; round < rounds; round++) {
      raw.push(timed(seconds, rawDecrypt).perSecond);
      single.push(await rate(half, (emit) => openFolder(halfFolder, keys, { threads: 1 }, emit)));
      // `eq-console downstream <folder>` as a user runs it: worker start-up included.
      pooled.push(await rate(count, (emit) => openFolder(folder, keys, {}, emit)));
    }
    const baseline = median(raw);
    const rows: BenchRow[] = [
      { name: 'baseline: node:crypto RSA-4096 OAEP decrypt, 1 core', perSecond: baseline, unit: 'decryptions/s', baseline },
      { name: 'open, one thread', perSecond: median(single), unit: 'payloads/s', baseline },
      { name: `open, ${os.availableParallelism()} worker threads (downstream <folder>)`, perSecond: median(pooled), unit: 'payloads/s', baseline, target: 1.5 },
    ];

    const big = path.join(tmp, 'memory');
    linkPayloads(folder, big, memoryCount, count);
    return { rows, memory: await memoryWhileOpening(big, memoryCount, keys) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** What opening costs at the least: RSA-OAEP (SHA-1) unwrapping a 32-byte content key. */
function rawDecryptOp(keys: SubmissionKeys): () => Buffer {
  const padding = crypto.constants.RSA_PKCS1_OAEP_PADDING;
  const wrapped = crypto.publicEncrypt({ key: keys.decryption.publicKey, padding, oaepHash: 'sha1' }, crypto.randomBytes(32));
  return () => crypto.privateDecrypt({ key: keys.decryption.privateKey, padding, oaepHash: 'sha1' }, wrapped);
}

async function writePayloads(folder: string, count: number, keys: SubmissionKeys): Promise<void> {
  fs.mkdirSync(folder, { recursive: true });
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(folder, name(i)), await seal(surveyResponse(ANSWERS), keys));
}

/** More files from the same payloads (hard links): each is still one decryption to open. */
function linkPayloads(from: string, to: string, count: number, available: number): void {
  fs.mkdirSync(to, { recursive: true });
  for (let i = 0; i < count; i++) fs.linkSync(path.join(from, name(i % available)), path.join(to, name(i)));
}

const name = (i: number) => `${String(i).padStart(6, '0')}.jwe`;

async function openFolder(folder: string, keys: SubmissionKeys, options: OpenOptions, emit: (items: unknown[]) => void): Promise<void> {
  for await (const event of openEvents(expandSources([{ kind: 'path', path: folder }]), keys.ring, options)) {
    if (event.type !== 'item' || !event.opened.valid) throw new Error(`bench payload did not open: ${JSON.stringify(event)}`);
    emit([event]);
  }
}

/** The desktop app's path (DownstreamService.open keeps every item and caches payloads up to its bound). */
async function memoryWhileOpening(folder: string, count: number, keys: SubmissionKeys): Promise<string[]> {
  const mib = (bytes: number) => `${(bytes / MIB).toFixed(0)} MiB`;
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const stats = emptyStats();
  const service = new DownstreamService({ ring: async () => keys.ring, open: { stats } });
  const start = performance.now();
  const result = await service.open([{ kind: 'path', path: folder }]);
  const elapsed = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (result.items.length !== count || result.items.some((i) => !i.valid)) throw new Error(`expected ${count} valid payloads, got ${result.items.length}`);
  const size = fs.statSync(path.join(folder, name(0))).size;
  return [
    `  ${count} payloads of ${ANSWERS} answers (${(size / 1024).toFixed(1)} KiB each as JWE) opened by downstream.open in ${elapsed.toFixed(1)} s (${(count / elapsed).toFixed(0)}/s, ${stats.threads} workers)`,
    `  process RSS before: ${mib(before)}   peak while opening (sampled every 20 ms): ${mib(peak)}   after: ${mib(process.memoryUsage().rss)}`,
    `  peak V8 heap of one worker thread: ${mib(stats.peakWorkerHeap)}   (the process keeps every item and up to 256 MiB of payloads for downstream.payload)`,
  ];
}
