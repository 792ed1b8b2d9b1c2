// npm run bench: every benchmark, each printed beside a baseline measured in the same run.
import os from 'node:os';
import { benchMint } from './mint';
import { printRows } from './measure';

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
console.log(
  `eq-console benchmarks: node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}); ` +
    `medians of ${rounds} interleaved rounds of about ${seconds} s each`,
);
const ok = printRows('Token minting (JWS RS256 inside JWE RSA-OAEP/A256GCM, RSA-2048 keys)', await benchMint(seconds, rounds));
if (!ok) process.exitCode = 1;
