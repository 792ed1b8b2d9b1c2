// How long a command takes to start: `eq-console keys kid` (which loads only what it uses) beside
// a bare `node -e 0`, both whole processes.
import path from 'node:path';
import { type BenchKeys, CONSOLE } from './fixtures';
import { interleaved, median, type Row, runProcess } from './measure';

export async function benchStartup(rounds: number, keys: BenchKeys): Promise<Row[]> {
  const pem = path.join(keys.launchDir, keys.launchSigningFile);
  const runs = await interleaved(rounds * 4, {
    node: async () => (await runProcess(process.execPath, ['-e', '0'])).ms,
    console: async () => {
      const run = await runProcess(CONSOLE, ['keys', 'kid', pem], { countLines: true });
      if (run.lines !== 1) throw new Error('eq-console keys kid printed no kid');
      return run.ms;
    },
  });
  return [
    { label: 'eq-console keys kid <pem>', value: median(runs.console), unit: 'ms', lowerIsBetter: true, targets: [{ against: 'node -e 0', times: 2 }] },
    { label: 'node -e 0', value: median(runs.node), unit: 'ms' },
  ];
}
