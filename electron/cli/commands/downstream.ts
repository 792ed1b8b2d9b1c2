import fs from 'node:fs';
import type { DownstreamSource } from '../../../shared/downstream/types';
import type { OpenedPayload } from '../../services/downstream/open';
import { type CommandImpl, EXIT_NO, EXIT_OK, EXIT_USAGE, UsageError } from '../command';
import { cliServices } from '../services';

/** Problems printed per payload in the readable output; --json lists them all. */
const SHOWN_PROBLEMS = 5;

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
    for await (const event of services.direct.openDownstream(sources)) {
      if (event.type === 'error') {
        if (event.noPayloads) empty.push(event.message);
        else {
          count.unreadable++;
          io.stderr(`eq-console: ${event.message}\n`);
        }
        continue;
      }
      const { candidate, opened } = event;
      if (opened.valid) count.valid++;
      else if (opened.failure) count.unopened++;
      else count.invalid++;
      io.stdout(values.json ? JSON.stringify(jsonLine(candidate.source, opened)) + '\n' : readableLine(candidate.source, opened));
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

/** A payload that could not be opened carries the reason as its one problem, at the root. */
function jsonLine(source: string, o: OpenedPayload) {
  return {
    source,
    kind: o.kind,
    decrypted: o.decrypted,
    signatureValid: o.signatureValid,
    payloadVersion: o.payloadVersion,
    type: o.type,
    dataVersion: o.dataVersion,
    valid: o.valid,
    problems: o.failure ? [{ path: '', message: o.failure.message }] : o.problems.map(({ path, message }) => ({ path, message })),
    payload: o.payload ?? null,
  };
}

function readableLine(source: string, o: OpenedPayload): string {
  if (o.failure) return `FAILED   ${source}  ${o.failure.message}\n`;
  const what = `${o.payloadVersion} ${o.type} ${o.dataVersion}${o.kind === 'json' ? ' (plain JSON)' : ''}`;
  const s = o.summary;
  const facts = [s.txId && `tx_id ${s.txId}`, s.answers !== undefined && `${s.answers} answers`, s.flushed && 'flushed'].filter(Boolean).join(', ');
  if (o.valid) return `VALID    ${source}  ${what}${facts ? `  ${facts}` : ''}\n`;
  const lines = [`INVALID  ${source}  ${what}: ${o.problems.length} problem${o.problems.length === 1 ? '' : 's'}`];
  for (const p of o.problems.slice(0, SHOWN_PROBLEMS)) lines.push(`    ${p.path || '(payload)'}: ${p.message}`);
  if (o.problems.length > SHOWN_PROBLEMS) lines.push(`    … and ${o.problems.length - SHOWN_PROBLEMS} more (--json lists them all)`);
  return lines.join('\n') + '\n';
}

function summary(c: { valid: number; invalid: number; unopened: number; unreadable: number }): string {
  const parts = [`${c.valid} valid`, `${c.invalid} invalid`, `${c.unopened} could not be opened`];
  if (c.unreadable) parts.push(`${c.unreadable} file${c.unreadable === 1 ? '' : 's'} could not be read`);
  return `\n${parts.join(', ')}\n`;
}
