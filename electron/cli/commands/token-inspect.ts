import type { InspectReport } from '../../../shared/inspect-types';
import { runnerBaseUrl } from '../../../shared/runner-url';
import { type CommandImpl, EXIT_NO, EXIT_OK, str, UsageError } from '../command';
import { cliServices } from '../services';

export const tokenInspect: CommandImpl = {
  options: { keys: { type: 'string' }, runner: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('token inspect takes one token, launch URL, or - for stdin');
    const input = positionals[0] === '-' ? await io.readStdin() : positionals[0]!;
    const runner = str(values, 'runner');
    const services = await cliServices(values, io);
    // Checked against a runner only when one is named: a token's own schema_url is never fetched unasked.
    const report = await services.tokens.inspect(input, runner === undefined ? {} : { runnerUrl: runnerBaseUrl(runner) });
    io.stdout(values.json ? JSON.stringify(jsonReport(report)) + '\n' : humanReport(report));
    return report.runnerStatus === 302 ? EXIT_OK : EXIT_NO;
  },
};

function jsonReport(r: InspectReport) {
  return {
    jweHeader: r.jweHeader,
    jwsHeader: r.jwsHeader,
    // The claims read from the token: a token the ring cannot open has none, whatever the history says.
    claims: r.state === 'cannot-look-inside' ? null : r.claims,
    payloadVersion: r.payloadVersion,
    runnerStatus: r.runnerStatus,
    problems: r.problems.map(({ code, path, message, source }) => ({ code, path, message, source })),
  };
}

function humanReport(r: InspectReport): string {
  const lines = [r.verdict, '', `payload: ${r.payloadVersion}    predicted runner answer: ${r.runnerStatus ?? 'none (the console cannot look inside)'}`];
  if (r.fix) lines.push(`to do: ${r.fix}`);
  if (r.jweHeader) lines.push(`JWE header: ${JSON.stringify(r.jweHeader)}`);
  if (r.jwsHeader) lines.push(`JWS header: ${JSON.stringify(r.jwsHeader)}`);
  for (const source of ['runner', 'spec'] as const) {
    const mine = r.problems.filter((p) => p.source === source);
    lines.push(
      '',
      source === 'runner'
        ? `What the runner checks: ${mine.length ? `${mine.length} problem(s)` : 'no problems'}`
        : `ONS specification: ${mine.length ? `${mine.length} problem(s)` : 'no problems'}`,
    );
    for (const p of mine) lines.push(`  - ${p.path || '(token)'}: ${p.message} [${p.code}]`);
  }
  if (r.minted) lines.push('', `Claims the console minted (launch ${r.minted.historyId}):`, JSON.stringify(r.minted.claims, null, 2));
  else if (r.claims) lines.push('', 'Claims:', JSON.stringify(r.claims, null, 2));
  return lines.join('\n') + '\n';
}
