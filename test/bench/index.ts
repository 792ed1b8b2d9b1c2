// npm run bench: every benchmark, each printed beside a baseline measured in the same run.
import os from 'node:os';
import { benchMint } from './mint';
import { printRows } from './measure';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
console.log(`eq-console benchmarks: node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${seconds} s per measurement`);
const ok = printRows('Token minting (JWS RS256 inside JWE RSA-OAEP/A256GCM, RSA-2048 keys)', await benchMint(seconds));
if (!ok) process.exitCode = 1;
