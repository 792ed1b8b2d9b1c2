// `launch --from-payload` and `launch --from-token`: the respondent whose launch is to be made
// again, read from their downstream payload (a JWE, plain JSON or a runner log, opened as
// `downstream` opens it) or from their token or launch URL (opened as `token inspect` opens it),
// and the claims that relaunch them (shared/launch/from-respondent.ts). launch.ts then treats the
// claims as its own: the schema lookup, --claims, --set and --role, the verdict and the launch.
import fs from 'node:fs';
import type { DownstreamSource } from '../../../shared/downstream/types';
import { ConsoleError } from '../../../shared/errors';
import { convertClaims } from '../../../shared/launch/build';
import { relaunchClaims, respondentFromClaims, respondentFromPayload, type Respondent, type RespondentRelaunch } from '../../../shared/launch/from-respondent';
import type { SchemaSelection } from '../../../shared/launch/selection';
import type { LaunchPayload, SchemaSummary } from '../../../shared/launch-types';
import type { Services } from '../../services/index';
import { type Io, type ParsedArgs, positiveInt, str, UsageError } from '../command';

export type RespondentSource = { kind: 'payload'; from: string; pick?: number } | { kind: 'token'; from: string };

/** Which respondent option was given, checked against the options that only make sense with one. */
export function respondentSource(values: ParsedArgs['values']): RespondentSource | undefined {
  const payload = str(values, 'from-payload');
  const token = str(values, 'from-token');
  const pick = positiveInt(str(values, 'pick'), 'pick');
  if (payload !== undefined && token !== undefined) throw new UsageError('give --from-payload or --from-token, not both');
  if (pick !== undefined && payload === undefined) throw new UsageError('--pick chooses among the payloads of --from-payload');
  if (values['reuse-response-id'] && token === undefined) {
    throw new UsageError(
      payload === undefined
        ? '--reuse-response-id takes the response_id of the respondent given with --from-token'
        : "--reuse-response-id needs --from-token: a downstream payload does not carry the respondent's response_id (give one with --set response_id=…)",
    );
  }
  if (payload !== undefined) return { kind: 'payload', from: payload, ...(pick !== undefined ? { pick } : {}) };
  return token === undefined ? undefined : { kind: 'token', from: token };
}

interface Found {
  source: string;
  payload?: unknown;
  failure?: string;
  summary: string;
}

async function payloadsIn(services: Services, from: string, io: Io): Promise<Found[]> {
  let source: DownstreamSource;
  if (from === '-') source = { kind: 'text', name: 'stdin', text: await io.readStdin() };
  else if (!fs.existsSync(from)) throw new UsageError(`--from-payload: ${from} does not exist`);
  else source = { kind: 'path', path: from };
  const found: Found[] = [];
  for await (const out of services.direct.openDownstream([source], { output: 'item' })) {
    if (out.type === 'error') throw new UsageError(`--from-payload: ${out.message}`);
    if (out.type !== 'item') continue;
    const { opened } = out;
    const s = opened.summary;
    const facts = [s.txId && `tx_id ${s.txId}`, s.schema, s.flushed ? 'flushed' : undefined, opened.failure && `cannot be used: ${opened.failure.message}`];
    found.push({
      source: out.found.source,
      ...(opened.payload !== undefined ? { payload: opened.payload } : {}),
      ...(opened.failure ? { failure: opened.failure.message } : {}),
      summary: facts.filter(Boolean).join(', '),
    });
  }
  return found;
}

/** The one payload meant: the only one, or --pick N of several (numbered as `downstream` lists them). */
function pickOne(found: Found[], from: string, pick: number | undefined): Found {
  if (found.length === 0) throw new UsageError(`--from-payload: ${from} holds no downstream payload`);
  if (pick === undefined && found.length > 1) {
    const list = found.map((f, i) => `  ${i + 1}  ${f.source}${f.summary ? `  (${f.summary})` : ''}`).join('\n');
    throw new UsageError(`--from-payload: ${from} holds ${found.length} payloads; choose one with --pick N (1 to ${found.length}):\n${list}`);
  }
  if (pick !== undefined && pick > found.length) {
    throw new UsageError(`--pick ${pick}: ${from} holds ${found.length} payload${found.length === 1 ? '' : 's'}`);
  }
  const one = found[(pick ?? 1) - 1]!;
  if (one.payload === undefined) throw new ConsoleError('bad-input', `${one.source}: ${one.failure ?? 'the payload could not be opened'}`);
  return one;
}

/** The respondent, and where they were read from (a file, file:line of a log, the token). */
export async function readRespondent(services: Services, given: RespondentSource, io: Io): Promise<{ respondent: Respondent; source: string }> {
  if (given.kind === 'payload') {
    const one = pickOne(await payloadsIn(services, given.from, io), given.from, given.pick);
    return { respondent: respondentFromPayload(one.payload), source: one.source };
  }
  const input = given.from === '-' ? await io.readStdin() : given.from;
  // Opened with the ring as `token inspect` opens it; the schema is looked up later, by launch.
  const report = await services.tokens.inspect(input.trim());
  const claims = report.claims ?? report.minted?.claims;
  if (!claims) throw new ConsoleError('bad-input', `--from-token: the token's claims cannot be read, so there is no respondent to relaunch: ${report.verdict}`);
  if (!report.claims) io.stderr('note: the key ring cannot open this token; the claims are those the console minted into it (its history)\n');
  return { respondent: respondentFromClaims(claims), source: 'the token' };
}

/** The schema option launch's lookup takes for the respondent's own selection (none for a CIR instrument, which the console cannot read). */
export function lookupOption(selection: SchemaSelection | undefined): ['schema-name' | 'schema-url', string] | undefined {
  if (!selection) return undefined;
  if ('schema_url' in selection) return ['schema-url', selection.schema_url];
  if ('schema_name' in selection) return ['schema-name', selection.schema_name];
  if ('eq_id' in selection) return ['schema-name', `${selection.eq_id}_${selection.form_type}`];
  return undefined;
}

export interface RelaunchInput {
  schema?: SchemaSummary;
  /** A schema named on the command line in place of the respondent's. */
  selection?: SchemaSelection;
  /** --payload, when given: the relaunch is converted to it. */
  payload?: LaunchPayload;
  reuseResponseId: boolean;
}

/** The relaunch claims, with what the user should know about them said on stderr. */
export function relaunchFor(
  respondent: Respondent,
  source: string,
  input: RelaunchInput,
  io: Io,
): { claims: Record<string, unknown>; payload: LaunchPayload; relaunch: RespondentRelaunch } {
  const relaunch = relaunchClaims(respondent, {
    nowSeconds: Math.floor(Date.now() / 1000),
    ...(input.schema ? { schema: input.schema } : {}),
    ...(input.selection ? { selection: input.selection } : {}),
    reuseResponseId: input.reuseResponseId,
  });
  const payload = input.payload ?? relaunch.payload;
  const claims = payload === relaunch.payload ? relaunch.claims : convertClaims(relaunch.claims, payload);
  const theirs =
    relaunch.respondentResponseId !== undefined
      ? `theirs was ${relaunch.respondentResponseId}`
      : respondent.from === 'payload'
        ? 'a payload does not carry theirs'
        : 'they had none';
  io.stderr(
    relaunch.reused
      ? `relaunching the respondent of ${source}\nwarning: ${relaunch.warning}\n`
      : `relaunching the respondent of ${source} with a new response_id ${String(claims.response_id)} (${theirs})\n`,
  );
  for (const note of relaunch.notes) io.stderr(`note: ${note}\n`);
  return { claims, payload, relaunch };
}
