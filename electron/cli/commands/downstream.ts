import fs from 'node:fs';
import type { DownstreamSource } from '../../../shared/downstream/types';
import { type CommandImpl, EXIT_NO, EXIT_OK, EXIT_USAGE, UsageError } from '../command';
import { cliServices } from '../services';

export const downstream: CommandImpl = {
  options: { keys: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (!positionals.length) throw new UsageError('give the files, folders or runner logs to open, or - for stdin (see: eq-console downstream --help)');
    if (positionals.filter((p) => p === '-').length > 1) throw new UsageError('- (stdin) can be given only once');
    for (const p of positionals) if (p !== '-' && !fs.existsSync(p)) throw new UsageError(`${p} does not exist`);
    const services = await cliServices(values, io);
    const sources: DownstreamSource[] = [];
    for (const p of positionals) sources.push(p === '-' ? { kind: 'text', name: 'stdin', text: await io.readStdin() } : { kind: 'path', path: p });

    const count = { valid: 0, invalid: 0, unopened: 0, unreadable: 0 };
    const empty: string[] = [];
    // The lines come finished from where the payloads were opened: this thread only writes them.
    for await (const event of services.direct.openDownstream(sources, { output: values.json ? 'json' : 'readable' })) {
      if (event.type === 'lines') {
        io.stdout(event.text);
        count.valid += event.counts.valid;
        count.invalid += event.counts.invalid;
        count.unopened += event.counts.unopened;
      } else if (event.type === 'error') {
        if (event.noPayloads) empty.push(event.message);
        else {
          count.unreadable++;
          io.stderr(`eq-console: ${event.message}\n`);
        }
      }
    }
    // After the payloads that were found: pointing at the wrong folder is a usage error, but the
    // other sources' results are still worth having.
    for (const message of empty) io.stderr(`eq-console: ${message}\n`);
    const found = count.valid + count.invalid + count.unopened;
    if (!values.json && (found || !empty.length)) io.stdout(summary(count));
    if (empty.length) return EXIT_USAGE;
    return count.invalid + count.unopened + count.unreadable === 0 ? EXIT_OK : EXIT_NO;
  },
};

function summary(c: { valid: number; invalid: number; unopened: number; unreadable: number }): string {
  const parts = [`${c.valid} valid`, `${c.invalid} invalid`, `${c.unopened} could not be opened`];
  if (c.unreadable) parts.push(`${c.unreadable} file${c.unreadable === 1 ? '' : 's'} could not be read`);
  return `\n${parts.join(', ')}\n`;
}
