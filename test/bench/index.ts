// npm run bench: every benchmark, each printed beside a baseline measured in the same run.
import os from 'node:os';
import { benchDownstream } from './downstream';
import { benchMint } from './mint';
import { printRows } from './measure';

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
console.log(
  `eq-console benchmarks: node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}); ` +
    `medians of ${rounds} interleaved rounds of about ${seconds} s each`,
);
const memoryCount = Number(process.env.BENCH_DOWNSTREAM_PAYLOADS ?? 10_000);
let ok = printRows('Token minting (JWS RS256 inside JWE RSA-OAEP/A256GCM, RSA-2048 keys)', await benchMint(seconds, rounds));
const downstream = await benchDownstream(seconds, rounds, memoryCount);
ok =
  printRows(
    'Downstream opening (0.0.3 payloads: JWE RSA-OAEP/A256GCM to an RSA-4096 key, JWS RS256 with RSA-2048; decrypt, verify, validate)',
    downstream.rows,
  ) && ok;
console.log(`\nDownstream memory (a figure, not an assertion)\n${downstream.memory.join('\n')}`);
if (!ok) process.exitCode = 1;
