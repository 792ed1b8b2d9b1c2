import { KEY_ROLE_WORDS, type InspectReport, type KidMatch } from '../../../shared/inspect-types';
import { runnerBaseUrl } from '../../../shared/runner-url';
import { type CommandImpl, EXIT_NO, EXIT_OK, str, UsageError } from '../command';
import { cliServices } from '../services';

export const tokenInspect: CommandImpl = {
  options: { keys: { type: 'string' }, runner: { type: 'string' }, 'runner-accepts': { type: 'string' }, json: { type: 'boolean' } },
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
    kids: r.kids,
  };
}

function humanReport(r: InspectReport): string {
  const lines = [r.verdict, '', `payload: ${r.payloadVersion}    predicted runner answer: ${r.runnerStatus ?? 'none (the console cannot look inside)'}`];
  if (r.fix) lines.push(`to do: ${r.fix}`);
  if (r.jweHeader) lines.push(`JWE header: ${JSON.stringify(r.jweHeader)}`);
  if (r.jwsHeader) lines.push(`JWS header: ${JSON.stringify(r.jwsHeader)}`);
  if (r.kids.jwe || r.kids.jws) lines.push('', 'Keys named by the token:');
  if (r.kids.jwe) lines.push(...kidLines('JWE kid', r.kids.jwe));
  if (r.kids.jws) lines.push(...kidLines('JWS kid', r.kids.jws));
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

/** "JWE kid: <kid> — <the ring's entry, or UNKNOWN>" and what that means, indented. */
function kidLines(name: string, m: KidMatch): string[] {
  let entry: string;
  if (m.status === 'none') entry = 'none';
  else if (!m.key) entry = `${m.kid} — UNKNOWN to this key ring`;
  else {
    const { label, purpose, use, type, source, roles } = m.key;
    const named = label ? `"${label}"` : `(no label; ${source})`;
    const role = roles.length ? `; ${roles.map((x) => KEY_ROLE_WORDS[x]).join(', ')}` : '';
    entry = `${m.kid} — ${named}: ${type} ${purpose} key, ${use} pair${role}`;
  }
  return [`  ${name}: ${entry}`, `    ${m.meaning}`];
}
