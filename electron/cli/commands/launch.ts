import { ConsoleError } from '../../../shared/errors';
import { CLAIMS_LIMITS } from '../../../shared/json-limits';
import type { RuleProblem } from '../../../shared/inspect-types';
import type { LaunchPayload, SchemaSource, SchemaSummary } from '../../../shared/launch-types';
import { applyClaimEdits, buildLaunchClaims, type ClaimEdits } from '../../../shared/launch/build';
import type { RespondentRelaunch } from '../../../shared/launch/from-respondent';
import { selectionFor, type SchemaSelection, type SelectionKind } from '../../../shared/launch/selection';
import type { Services } from '../../services/index';
import { checkClaimsText, type CommandImpl, EXIT_NO, EXIT_OK, type Io, readTextFile, str, UsageError } from '../command';
import { cliServices, launchKidsLine } from '../services';
import { lookupOption, readRespondent, relaunchFor, type RespondentSource, respondentSource } from './launch-from';

const PAYLOADS: readonly LaunchPayload[] = ['v2', 'v1', 'legacy'];

type Built = { claims: Record<string, unknown>; schema?: SchemaSummary; schemaProblems?: RuleProblem[] };

export const launch: CommandImpl = {
  options: {
    keys: { type: 'string' },
    runner: { type: 'string' },
    'runner-accepts': { type: 'string' },
    'schema-name': { type: 'string' },
    'schema-url': { type: 'string' },
    'cir-instrument-id': { type: 'string' },
    payload: { type: 'string' },
    claims: { type: 'string' },
    set: { type: 'string', multiple: true },
    role: { type: 'string', multiple: true },
    open: { type: 'boolean' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    'from-payload': { type: 'string' },
    'from-token': { type: 'string' },
    pick: { type: 'string' },
    'reuse-response-id': { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const chosen = (['schema-name', 'schema-url', 'cir-instrument-id'] as const).filter((k) => str(values, k) !== undefined);
    const respondent = respondentSource(values);
    if (respondent && chosen.length > 1) throw new UsageError('give at most one of --schema-name, --schema-url or --cir-instrument-id');
    if (!respondent && chosen.length !== 1)
      throw new UsageError('give exactly one of --schema-name, --schema-url or --cir-instrument-id, or --from-payload or --from-token');
    const payloadOption = str(values, 'payload') as LaunchPayload | undefined;
    if (payloadOption !== undefined && !PAYLOADS.includes(payloadOption))
      throw new UsageError(`--payload must be one of ${PAYLOADS.join(', ')}, not "${payloadOption}"`);
    const sets = ((values.set as string[] | undefined) ?? []).map(parseSet);
    const overlay = readClaimsFile(str(values, 'claims'));
    const edits = { overlay, sets, roles: (values.role as string[] | undefined) ?? [] };

    const services = await cliServices(values, io);
    const runnerUrl = await services.direct.runnerUrl();
    let payload = payloadOption ?? 'v2';
    let built: Built;
    let relaunch: { relaunch: RespondentRelaunch; source: string } | undefined;
    if (respondent) {
      ({ payload, built, relaunch } = await respondentLaunch(services, respondent, { chosen: chosen[0], values, runnerUrl, payloadOption, sets, edits }, io));
    } else {
      const { schema, selection, schemaProblems } = await chooseSchema(services, chosen[0]!, values, runnerUrl, payload, sets, io);
      built = { claims: buildLaunchClaims({ payload, schema, selection, nowSeconds: Math.floor(Date.now() / 1000) }, edits), schema, schemaProblems };
    }
    const { claims, schema, schemaProblems } = built;

    // Which versions the runner takes matters to every older payload: say what the verdict goes by.
    if (payload !== 'v2') io.stderr(`${(await services.runners.capabilities(runnerUrl)).summary}\n`);
    const check = await services.direct.judgeLaunch(claims, { metadata: schema?.metadata, schemaProblems });
    if (check.state === 'cannot-mint') throw new ConsoleError('no-key-for-purpose', `${check.verdict} ${check.fix ?? ''}`.trim());
    const refused = check.runnerStatus !== 302;
    if (refused) {
      io.stderr(`${check.verdict}\n`);
      for (const p of check.problems.filter((x) => x.source === 'runner')) io.stderr(`  - ${p.path || '(token)'}: ${p.message}\n`);
      if (check.problems.some((p) => p.code === 'version.v1-removed')) {
        io.stderr('If this runner does take v1 launches, say so with --runner-accepts v1,v2 (or for the environment, on the Launch screen).\n');
      }
      if (!values.force) {
        io.stderr('No URL printed: give --force to launch it anyway.\n');
        return EXIT_NO;
      }
    }

    const result = await services.launch.start({ claims, schema, runnerUrl, open: values.open ? 'browser' : 'none' });
    const spec = result.check.problems.filter((p) => p.source === 'spec');
    if (!refused) io.stderr(`${result.check.verdict}\n`);
    if (spec.length)
      io.stderr(`note: ${spec.length} problem(s) with the ONS launch specification, which this runner does not enforce${values.json ? '' : ' (see --json)'}\n`);
    io.stderr(`${await launchKidsLine(services)}; recorded as launch ${result.entry.id}\n`);
    if (result.openFailed) io.stderr(`warning: could not open the browser (${result.openFailed}); open the URL below yourself\n`);

    if (values.json) {
      io.stdout(
        JSON.stringify({
          url: result.entry.url,
          historyId: result.entry.id,
          payloadVersion: result.check.payloadVersion,
          runnerStatus: result.check.runnerStatus,
          verdict: result.check.verdict,
          problems: result.check.problems,
          claims,
          ...(relaunch ? { relaunch: relaunchJson(relaunch.relaunch, relaunch.source, claims) } : {}),
        }) + '\n',
      );
    } else {
      io.stdout(result.entry.url + '\n');
    }
    return EXIT_OK;
  },
};

/**
 * --from-payload / --from-token: the respondent's launch again (launch-from.ts), looked up under
 * their own schema unless one is named on top, with the command line's edits over it.
 */
async function respondentLaunch(
  services: Services,
  given: RespondentSource,
  o: {
    chosen?: 'schema-name' | 'schema-url' | 'cir-instrument-id';
    values: Record<string, unknown>;
    runnerUrl: string;
    payloadOption?: LaunchPayload;
    sets: { path: string; value: unknown; raw: string }[];
    edits: ClaimEdits;
  },
  io: Io,
): Promise<{ payload: LaunchPayload; built: Built; relaunch: { relaunch: RespondentRelaunch; source: string } }> {
  const { respondent, source } = await readRespondent(services, given, io);
  const lookup = o.chosen ? ([o.chosen, String(o.values[o.chosen]).trim()] as const) : lookupOption(respondent.selection);
  // A CIR instrument cannot be read here, but the respondent's metadata is all there: nothing to fill.
  const found =
    lookup?.[0] === 'cir-instrument-id'
      ? { selection: selectionFor('cir_instrument_id', undefined, lookup[1]) }
      : lookup
        ? await chooseSchema(services, lookup[0], { [lookup[0]]: lookup[1] }, o.runnerUrl, o.payloadOption ?? respondent.payload, o.sets, io)
        : undefined;
  const schema = found?.schema;
  const made = relaunchFor(
    respondent,
    source,
    {
      ...(schema ? { schema } : {}),
      ...(o.chosen && found ? { selection: found.selection } : {}),
      ...(o.payloadOption ? { payload: o.payloadOption } : {}),
      reuseResponseId: o.values['reuse-response-id'] === true,
    },
    io,
  );
  return {
    payload: made.payload,
    built: {
      claims: applyClaimEdits(made.claims, o.edits, made.payload, schema),
      ...(schema ? { schema } : {}),
      ...(found?.schemaProblems ? { schemaProblems: found.schemaProblems } : {}),
    },
    relaunch: { relaunch: made.relaunch, source },
  };
}

/** What --json says of a relaunch: where the respondent came from, and whose response_id the launch has. */
function relaunchJson(r: RespondentRelaunch, source: string, claims: Record<string, unknown>) {
  return {
    source,
    responseId: claims.response_id,
    respondentResponseId: r.respondentResponseId ?? null,
    reusedResponseId: r.reused,
    notes: r.notes,
    ...(r.warning ? { warning: r.warning } : {}),
  };
}

/** "a.b.c=value": the value as JSON when it parses (true, 12, "x", {…}), else the text itself. */
export function parseSet(text: string): { path: string; value: unknown; raw: string } {
  const i = text.indexOf('=');
  if (i <= 0) throw new UsageError(`--set needs dotted.path=value, not "${text}"`);
  const path = text.slice(0, i).trim();
  if (path.split('.').some((s) => s === '')) throw new UsageError(`--set: "${path}" is not a dotted claim path`);
  const levels = path.split('.').length;
  if (levels > CLAIMS_LIMITS.depth) throw new UsageError(`--set: a claim path of ${levels} levels is deeper than the ${CLAIMS_LIMITS.depth} claims may nest`);
  const raw = text.slice(i + 1);
  checkClaimsText(raw, `--set ${path}`);
  try {
    return { path, value: JSON.parse(raw) as unknown, raw };
  } catch {
    return { path, value: raw, raw };
  }
}

export function readClaimsFile(file: string | undefined): Record<string, unknown> | undefined {
  if (file === undefined) return undefined;
  const text = readTextFile(file);
  checkClaimsText(text, file);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the claims in ${file} are not valid JSON: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`the claims in ${file} must be a JSON object`);
  return doc as Record<string, unknown>;
}

async function chooseSchema(
  services: Services,
  option: 'schema-name' | 'schema-url' | 'cir-instrument-id',
  values: Record<string, unknown>,
  runnerUrl: string,
  payload: LaunchPayload,
  sets: { path: string; value: unknown }[],
  io: Io,
): Promise<{ schema?: SchemaSummary; selection: SchemaSelection; schemaProblems?: RuleProblem[] }> {
  const value = String(values[option]).trim();
  if (!value) throw new UsageError(`--${option} must not be empty`);
  if (option === 'cir-instrument-id') {
    io.stderr('note: the questionnaire metadata is not filled: the console cannot read the Collection Instrument Registry; add it with --set or --claims\n');
    return { selection: selectionFor('cir_instrument_id', undefined, value) };
  }
  // v1 and first-generation runners select by eq_id + form_type when both are given.
  const set = (k: string) => sets.find((s) => s.path === k)?.value;
  const byIds = payload !== 'v2' && set('eq_id') !== undefined && set('form_type') !== undefined;
  const kind: SelectionKind = byIds ? 'eq_id' : option === 'schema-name' ? 'schema_name' : 'schema_url';
  const selection = selectionFor(kind, undefined, byIds ? `${String(set('eq_id'))}_${String(set('form_type'))}` : value);
  try {
    const source: SchemaSource = option === 'schema-name' ? { kind: 'runner', runnerUrl } : { kind: 'url', url: value };
    return { schema: await services.schemas.summary(source, value), selection };
  } catch (err) {
    // A schema the runner does not have is the runner's 500, a launch that --force may still
    // send (a negative test); a runner that cannot be reached at all stays a usage error.
    if (!(err instanceof ConsoleError && err.code === 'not-found')) throw err;
    const path = option === 'schema-name' ? 'schema_name' : 'schema_url';
    return {
      selection,
      schemaProblems: [
        { code: 'schema.unavailable', path, message: `${err.message}; the runner would answer 500`, source: 'runner', status: 500, stage: 'schema' },
      ],
    };
  }
}
