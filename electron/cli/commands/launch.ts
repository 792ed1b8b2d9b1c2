import { ConsoleError } from '../../../shared/errors';
import type { RuleProblem } from '../../../shared/inspect-types';
import type { LaunchPayload, SchemaSource, SchemaSummary } from '../../../shared/launch-types';
import { buildLaunchClaims } from '../../../shared/launch/build';
import { selectionFor, type SchemaSelection, type SelectionKind } from '../../../shared/launch/selection';
import type { Services } from '../../services/index';
import { type CommandImpl, EXIT_NO, EXIT_OK, type Io, readTextFile, str, UsageError } from '../command';
import { cliServices, launchKidsLine } from '../services';

const PAYLOADS: readonly LaunchPayload[] = ['v2', 'v1', 'legacy'];

export const launch: CommandImpl = {
  options: {
    keys: { type: 'string' },
    runner: { type: 'string' },
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
  },
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const chosen = (['schema-name', 'schema-url', 'cir-instrument-id'] as const).filter((k) => str(values, k) !== undefined);
    if (chosen.length !== 1) throw new UsageError('give exactly one of --schema-name, --schema-url or --cir-instrument-id');
    const payload = (str(values, 'payload') ?? 'v2') as LaunchPayload;
    if (!PAYLOADS.includes(payload)) throw new UsageError(`--payload must be one of ${PAYLOADS.join(', ')}, not "${payload}"`);
    const sets = ((values.set as string[] | undefined) ?? []).map(parseSet);
    const overlay = readClaimsFile(str(values, 'claims'));

    const services = await cliServices(values, io);
    const runnerUrl = await services.direct.runnerUrl();
    const { schema, selection, schemaProblems } = await chooseSchema(services, chosen[0]!, values, runnerUrl, payload, sets, io);
    const claims = buildLaunchClaims(
      { payload, schema, selection, nowSeconds: Math.floor(Date.now() / 1000) },
      { overlay, sets, roles: (values.role as string[] | undefined) ?? [] },
    );

    const check = await services.direct.judgeLaunch(claims, { metadata: schema?.metadata, schemaProblems });
    if (check.state === 'cannot-mint') throw new ConsoleError('no-key-for-purpose', `${check.verdict} ${check.fix ?? ''}`.trim());
    const refused = check.runnerStatus !== 302;
    if (refused) {
      io.stderr(`${check.verdict}\n`);
      for (const p of check.problems.filter((x) => x.source === 'runner')) io.stderr(`  - ${p.path || '(token)'}: ${p.message}\n`);
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
        }) + '\n',
      );
    } else {
      io.stdout(result.entry.url + '\n');
    }
    return EXIT_OK;
  },
};

/** "a.b.c=value": the value as JSON when it parses (true, 12, "x", {…}), else the text itself. */
export function parseSet(text: string): { path: string; value: unknown; raw: string } {
  const i = text.indexOf('=');
  if (i <= 0) throw new UsageError(`--set needs dotted.path=value, not "${text}"`);
  const path = text.slice(0, i).trim();
  if (path.split('.').some((s) => s === '')) throw new UsageError(`--set: "${path}" is not a dotted claim path`);
  const raw = text.slice(i + 1);
  try {
    return { path, value: JSON.parse(raw) as unknown, raw };
  } catch {
    return { path, value: raw, raw };
  }
}

function readClaimsFile(file: string | undefined): Record<string, unknown> | undefined {
  if (file === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(readTextFile(file));
  } catch (err) {
    if (err instanceof ConsoleError) throw err;
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
