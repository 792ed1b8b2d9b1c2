// npm run bench: every benchmark, whole commands as a user runs them, each printed beside its
// baselines measured in the same run (the best plain program for the job, jwcrypto, one core's raw
// rate), medians of interleaved rounds. BENCH_ROUNDS, BENCH_MINT_TOKENS, BENCH_DOWNSTREAM_PAYLOADS
// and BENCH_MEMORY_PAYLOADS change the sizes; BENCH_ONLY=startup,mint,downstream,ui picks sections.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchDownstream } from './downstream';
import { makeKeys, writeClaims } from './fixtures';
import { printSection } from './measure';
import { benchMint } from './mint';
import { benchStartup } from './startup';
import { benchBigPayloadUi } from './ui';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const only = new Set((process.env.BENCH_ONLY ?? 'startup,mint,downstream,ui').split(','));
const mintTokens = Number(process.env.BENCH_MINT_TOKENS ?? 6000);
const downstreamPayloads = Number(process.env.BENCH_DOWNSTREAM_PAYLOADS ?? 3000);
const memoryPayloads = Number(process.env.BENCH_MEMORY_PAYLOADS ?? 10_000);

console.log(
  `eq-console benchmarks: node ${process.version}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ` +
    `load ${os.loadavg()[0]!.toFixed(2)}; medians of ${rounds} interleaved rounds, whole processes, start-up included`,
);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-bench-'));
let ok = true;
try {
  const keys = makeKeys(dir);
  if (only.has('startup')) ok = printSection('Start-up (a whole command)', await benchStartup(rounds, keys)) && ok;
  if (only.has('mint')) {
    const { rows, notes } = await benchMint(rounds, keys, writeClaims(dir), mintTokens);
    ok = printSection(`Minting ${mintTokens.toLocaleString('en-GB')} launch tokens (JWS RS256 inside JWE RSA-OAEP/A256GCM, RSA-2048 keys)`, rows, notes) && ok;
  }
  if (only.has('downstream')) {
    const { rows, notes } = await benchDownstream(rounds, keys, dir, downstreamPayloads, memoryPayloads);
    const title = `Opening ${downstreamPayloads.toLocaleString('en-GB')} downstream payloads (JWE RSA-OAEP/A256GCM to an RSA-4096 key, JWS RS256 with RSA-2048)`;
    ok = printSection(title, rows, notes) && ok;
  }
  if (only.has('ui')) {
    const ui = await benchBigPayloadUi(rounds);
    const rows = [
      { label: '100,000 answers', value: ui.bigMs, unit: 'ms', lowerIsBetter: true, limit: 1500, targets: [{ against: '16 answers', times: 4 }] },
      { label: '16 answers', value: ui.smallMs, unit: 'ms' },
      { label: 'longest main-thread task, 100,000 answers', value: ui.longestTaskMs, unit: 'ms', limit: 200 },
    ];
    ok = printSection('One payload on the Downstream screen in Chromium, from the click to the table', rows, ui.lines) && ok;
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
if (!ok) process.exitCode = 1;
