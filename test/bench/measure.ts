// Whole-process measurements, as a user feels them: a command from its start to its exit, each
// contender run in turn within a round (the order turning round by round), medians reported.
// The machine is shared and its speed drifts, so no single run is trusted.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ProcessRun {
  ms: number;
  /** Lines written to stdout: the bench checks the job was done, not only that it ended. */
  lines: number;
  /** Peak resident set size in KiB, when asked for (through /usr/bin/time). */
  peakRssKiB?: number;
}

export interface RunOptions {
  cwd?: string;
  /** Counts the lines of stdout; otherwise stdout goes to /dev/null. */
  countLines?: boolean;
  peakRss?: boolean;
}

const TIME = '/usr/bin/time';
export const canMeasureRss = fs.existsSync(TIME);

/** Runs a command to its end; a failing command fails the bench with its stderr. */
export async function runProcess(command: string, args: string[], options: RunOptions = {}): Promise<ProcessRun> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-bench-run-'));
  const out = path.join(scratch, 'stdout');
  const rssFile = path.join(scratch, 'rss');
  const [cmd, argv] = options.peakRss ? [TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  const stdout = fs.openSync(options.countLines ? out : '/dev/null', 'w');
  try {
    const start = performance.now();
    const child = spawn(cmd, argv, { cwd: options.cwd, stdio: ['ignore', stdout, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const ms = performance.now() - start;
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
    const run: ProcessRun = { ms, lines: options.countLines ? countLines(out) : 0 };
    if (options.peakRss) run.peakRssKiB = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').at(-1));
    return run;
  } finally {
    fs.closeSync(stdout);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function countLines(file: string): number {
  const bytes = fs.readFileSync(file);
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/** Each contender once per round, in an order that turns each round; every measurement kept. */
export async function interleaved<K extends string>(rounds: number, contenders: Record<K, () => Promise<number>>): Promise<Record<K, number[]>> {
  const names = Object.keys(contenders) as K[];
  const results = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length]!;
      results[name].push(await contenders[name]());
    }
  }
  return results;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs a synchronous operation repeatedly for about `seconds` after a short warm-up: a rate per second. */
export function rateOf(seconds: number, op: (i: number) => unknown): number {
  for (let i = 0; i < 10; i++) op(i);
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) op(n++);
  return n / ((performance.now() - start) / 1000);
}

export interface Row {
  label: string;
  value: number;
  unit: string;
  /** How many times another row's figure this must reach (or, when lowerIsBetter, stay within). */
  targets?: { against: string; times: number }[];
  lowerIsBetter?: boolean;
  /** A figure this must stay within, in its own unit. */
  limit?: number;
}

/** Prints a section; false when a target was missed. */
export function printSection(title: string, rows: Row[], notes: string[] = []): boolean {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r.label.length));
  const byLabel = new Map(rows.map((r) => [r.label, r]));
  let ok = true;
  for (const row of rows) {
    const figure = `${format(row.value).padStart(9)} ${row.unit}`;
    const verdicts = (row.targets ?? []).map(({ against, times }) => {
      const other = byLabel.get(against);
      if (!other) return `(${against}: not measured)`;
      const ratio = row.value / other.value;
      const met = row.lowerIsBetter ? ratio <= times : ratio >= times;
      ok &&= met;
      return `${ratio.toFixed(2)}x ${against} (target ${row.lowerIsBetter ? '≤' : '≥'}${times}x: ${met ? 'met' : 'NOT met'})`;
    });
    if (row.limit !== undefined) {
      const met = row.value <= row.limit;
      ok &&= met;
      verdicts.push(`(target ≤${format(row.limit)} ${row.unit}: ${met ? 'met' : 'NOT met'})`);
    }
    console.log(`  ${row.label.padEnd(width)}  ${figure.padEnd(26)}${verdicts.join('   ')}`);
  }
  for (const note of notes) console.log(`  ${note}`);
  return ok;
}

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-GB') : value.toFixed(value >= 10 ? 1 : 2);
}
