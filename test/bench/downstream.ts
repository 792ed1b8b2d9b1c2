// `downstream --json <folder>` as a user runs it, start-up included, beside the best plain
// node:crypto program for the same job (plain/downstream.mjs: decrypt, verify and parse, no
// validation), jwcrypto (plain/downstream_jwcrypto.py) and the raw RSA-4096 OAEP decryption rate
// of one core, which is most of what a payload costs. Production SDX keys may be 4096 bits, so the
// payloads are encrypted to a fresh RSA-4096 key and signed with a 2048 one, as the runner seals them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type BenchKeys, CONSOLE, jwcryptoMissing, linkPayloads, PLAIN, PYTHON, writePayloads } from './fixtures';
import { canMeasureRss, interleaved, median, rateOf, type Row, runProcess } from './measure';

const ANSWERS = 20;
const MIB = 1024;

export async function benchDownstream(
  rounds: number,
  keys: BenchKeys,
  dir: string,
  count: number,
  memoryCount: number,
): Promise<{ rows: Row[]; notes: string[] }> {
  const folder = path.join(dir, 'payloads');
  writePayloads(folder, count, keys, ANSWERS);
  const decryption = path.join(keys.submissionDir, keys.submissionDecryptionFile);
  const verification = path.join(keys.submissionDir, keys.submissionVerificationFile);
  const consoleArgs = (from: string) => ['downstream', '--json', '--keys', keys.submissionDir, from];
  const plainArgs = (from: string) => [path.join(PLAIN, 'downstream.mjs'), decryption, verification, from];
  const payloadsPerSecond = async (command: string, args: string[]) => {
    const run = await runProcess(command, args, { countLines: true });
    if (run.lines !== count) throw new Error(`${path.basename(command)} opened ${run.lines} payloads, not ${count}`);
    return count / (run.ms / 1000);
  };
  const rawDecrypt = rawDecryptOp(keys);
  const contenders: Record<string, () => Promise<number>> = {
    console: () => payloadsPerSecond(CONSOLE, consoleArgs(folder)),
    plain: () => payloadsPerSecond(process.execPath, plainArgs(folder)),
    raw: async () => rateOf(2, rawDecrypt),
  };
  const noJwcrypto = jwcryptoMissing();
  if (!noJwcrypto) contenders.jwcrypto = () => payloadsPerSecond(PYTHON, [path.join(PLAIN, 'downstream_jwcrypto.py'), decryption, verification, folder]);
  const runs = await interleaved(rounds, contenders);
  const size = fs.statSync(path.join(folder, fs.readdirSync(folder)[0]!)).size;
  const rows: Row[] = [
    {
      label: `eq-console downstream --json (${count} files)`,
      value: median(runs.console!),
      unit: 'payloads/s',
      targets: [
        { against: 'plain node:crypto program', times: 0.9 },
        { against: 'jwcrypto', times: 1.8 },
      ],
    },
    { label: 'plain node:crypto program', value: median(runs.plain!), unit: 'payloads/s' },
  ];
  if (runs.jwcrypto) rows.push({ label: 'jwcrypto', value: median(runs.jwcrypto), unit: 'payloads/s' });
  rows.push({ label: 'raw RSA-4096 OAEP decrypt, one core', value: median(runs.raw!), unit: 'decryptions/s' });
  const notes = [`payloads: data 0.0.3 with ${ANSWERS} answers, ${(size / 1024).toFixed(1)} KiB each as JWE; the console also validates each one`];
  if (noJwcrypto) notes.push(`jwcrypto not measured: ${noJwcrypto}`);
  notes.push(...(await memory(dir, folder, count, memoryCount, consoleArgs, plainArgs)));
  return { rows, notes };
}

/** Peak memory of one whole run, at two sizes: bounded means it does not grow with the count. */
async function memory(
  dir: string,
  folder: string,
  count: number,
  memoryCount: number,
  consoleArgs: (from: string) => string[],
  plainArgs: (from: string) => string[],
): Promise<string[]> {
  if (!canMeasureRss) return ['memory not measured: /usr/bin/time is not installed (apt-get install time)'];
  const many = path.join(dir, 'many');
  linkPayloads(folder, many, memoryCount, count);
  const peak = async (command: string, args: string[], expected: number) => {
    const run = await runProcess(command, args, { countLines: true, peakRss: true });
    if (run.lines !== expected) throw new Error(`${path.basename(command)} opened ${run.lines} payloads, not ${expected}`);
    return `${((run.peakRssKiB ?? 0) / MIB).toFixed(0)} MiB`;
  };
  const small = await peak(CONSOLE, consoleArgs(folder), count);
  const large = await peak(CONSOLE, consoleArgs(many), memoryCount);
  const plain = await peak(process.execPath, plainArgs(many), memoryCount);
  return [`peak RSS, whole process: eq-console ${small} for ${count} payloads, ${large} for ${memoryCount}; plain program ${plain} for ${memoryCount}`];
}

/** What opening costs at the least: RSA-OAEP (SHA-1) unwrapping a 32-byte content key. */
function rawDecryptOp(keys: BenchKeys): () => Buffer {
  const padding = crypto.constants.RSA_PKCS1_OAEP_PADDING;
  const { publicKey, privateKey } = keys.submission.decryption;
  const wrapped = crypto.publicEncrypt({ key: publicKey, padding, oaepHash: 'sha1' }, crypto.randomBytes(32));
  return () => crypto.privateDecrypt({ key: privateKey, padding, oaepHash: 'sha1' }, wrapped);
}
