export interface BenchRow {
  name: string;
  perSecond: number;
  unit: string;
  /** The rate this row is compared with, measured in the same run. */
  baseline: number;
  /** Required multiple of the baseline, when the row has a target. */
  target?: number;
}

/** Runs a synchronous operation repeatedly for about `seconds` after a short warm-up. */
export function timed(seconds: number, op: (i: number) => unknown): { perSecond: number } {
  for (let i = 0; i < 20; i++) op(i);
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) op(n++);
  return { perSecond: n / ((performance.now() - start) / 1000) };
}

/** Items per second for a job that reports what it produced through emit. */
export async function rate(count: number, job: (emit: (items: unknown[]) => void) => Promise<void>): Promise<number> {
  let done = 0;
  const start = performance.now();
  await job((items) => (done += items.length));
  if (done !== count) throw new Error(`the job produced ${done} items, not ${count}`);
  return done / ((performance.now() - start) / 1000);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function printRows(title: string, rows: BenchRow[]): boolean {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r.name.length));
  let ok = true;
  for (const r of rows) {
    const ratio = r.perSecond / r.baseline;
    let verdict = '';
    if (r.target !== undefined) {
      const met = ratio >= r.target;
      ok &&= met;
      verdict = met ? `  target ${r.target}x: met` : `  target ${r.target}x: NOT met`;
    }
    console.log(`  ${r.name.padEnd(width)}  ${r.perSecond.toFixed(0).padStart(7)} ${r.unit.padEnd(13)} ${ratio.toFixed(2)}x baseline${verdict}`);
  }
  return ok;
}
