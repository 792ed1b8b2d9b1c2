import { ConsoleError } from '../../../shared/errors';
import type { RuleProblem } from '../../../shared/inspect-types';
import type { LaunchPayload, SchemaSummary } from '../../../shared/launch-types';
import { newClaims, type SchemaSelection } from '../../../shared/launch/build';
import { deepMerge, setAt } from '../../../shared/launch/paths';
import { textClaimPaths, typedClaimValue } from '../../../shared/launch/set-value';
import { judge, launchKeyFacts } from '../../../shared/verdict';
import { normaliseRunnerUrl } from '../../services/config/environments';
import { defaultConfigDir } from '../../services/config/paths';
import { SettingsStore } from '../../services/config/settings';
import { HistoryStore } from '../../services/launch/history';
import { LaunchService } from '../../services/launch/service';
import { loadSummary } from '../../services/schemas/catalogue';
import { BrowserSessionHost } from '../../services/sessions/browser-host';
import { launchKeys } from '../../services/tokens/launch-keys';
import { type Command, EXIT_NO, EXIT_OK, type Io, readTextFile, str, UsageError } from '../command';
import { openKeySource } from '../key-source';
import { openInBrowser } from '../open-browser';

const PAYLOADS: readonly LaunchPayload[] = ['v2', 'v1', 'legacy'];

export const launch: Command = {
  name: 'launch',
  summary:
    'Build launch claims for a schema (every required claim fresh, the schema\'s required metadata with typed defaults), apply --claims (merged) and each --set ' +
    '(dotted path = JSON value, else text), check them as the runner would, mint the token and print the /session URL as the last line. ' +
    'Exit 1, with the reasons on stderr and no URL, when the runner would refuse the launch, unless --force. ' +
    'The launch is recorded in the console\'s history. Without --runner, the active environment\'s runner; without --keys, its key ring.',
  usage:
    'launch [--keys <store>] [--runner <url>] (--schema-name N | --schema-url U | --cir-instrument-id I) [--payload v2|v1|legacy] ' +
    '[--claims <file>] [--set dotted.path=value]... [--role R]... [--open] [--force] [--json]',
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
    const roles = (values.role as string[] | undefined) ?? [];
    const overlay = readClaimsFile(str(values, 'claims'));

    const settings = new SettingsStore(defaultConfigDir());
    const environment = settings.activeEnvironment();
    const runnerOption = str(values, 'runner');
    if (runnerOption !== undefined && !/^https?:\/\/[^/]/i.test(runnerOption)) throw new UsageError(`--runner must be an http(s) URL, not "${runnerOption}"`);
    const runnerUrl = normaliseRunnerUrl(runnerOption ?? environment.runnerUrl);

    const { schema, selection, schemaProblems } = await chooseSchema(chosen[0]!, values, runnerUrl, payload, sets, io);
    const nowSeconds = Math.floor(Date.now() / 1000);
    let claims = newClaims({ payload, schema, selection, nowSeconds });
    if (overlay) claims = deepMerge(claims, overlay);
    // Digits for a claim the runner reads as a string stay text: ru_ref=49900000001 and
    // response_id=1234 are references, not numbers (a number there on purpose can come from --claims).
    const textPaths = textClaimPaths(payload, schema);
    for (const { path, raw } of sets) claims = setAt(claims, path, typedClaimValue(path, raw, textPaths));
    if (roles.length) {
      const had = Array.isArray(claims.roles) ? claims.roles : [];
      claims = { ...claims, roles: [...new Set([...had, ...roles])] };
    }

    const ring = await openKeySource(str(values, 'keys'), (l) => io.stderr(l + '\n'));
    const check = judge(
      { kind: 'claims', claims, keys: launchKeyFacts(ring.list()) },
      { nowSeconds, runner: { metadata: schema?.metadata, schemaProblems } },
    );
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

    const keys = launchKeys(ring);
    const history = new HistoryStore(defaultConfigDir());
    const service = new LaunchService({
      history,
      host: new BrowserSessionHost(() => runnerUrl),
      environment: () => environment,
      keys: async () => keys,
    });
    const result = await service.start({ claims, schema, runnerUrl, open: 'none' }, check);
    const spec = result.check.problems.filter((p) => p.source === 'spec');
    if (!refused) io.stderr(`${result.check.verdict}\n`);
    if (spec.length) io.stderr(`note: ${spec.length} problem(s) with the ONS launch specification, which this runner does not enforce${values.json ? '' : ' (see --json)'}\n`);
    io.stderr(`signed with ${keys.signer.kid}, encrypted to ${keys.recipient.kid}; recorded as launch ${result.entry.id}\n`);

    if (values.open) {
      const failed = await openInBrowser(result.entry.url);
      if (failed) io.stderr(`warning: could not open the browser (${failed}); open the URL below yourself\n`);
      else history.update(result.entry.id, { opened: 'browser' });
    }
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
    return { selection: { cir_instrument_id: value } };
  }
  // v1 and first-generation runners select by eq_id + form_type when both are given.
  const set = (k: string) => sets.find((s) => s.path === k)?.value;
  const eqId = set('eq_id');
  const formType = set('form_type');
  const selection: SchemaSelection =
    payload !== 'v2' && eqId !== undefined && formType !== undefined
      ? { eq_id: String(eqId), form_type: String(formType) }
      : option === 'schema-name'
        ? { schema_name: value }
        : { schema_url: value };
  try {
    const schema =
      option === 'schema-name' ? await loadSummary({ kind: 'runner', runnerUrl }, value) : await loadSummary({ kind: 'url', url: value }, value);
    return { schema, selection };
  } catch (err) {
    // A schema the runner does not have is the runner's 500, a launch that --force may still
    // send (a negative test); a runner that cannot be reached at all stays a usage error.
    if (!(err instanceof ConsoleError && err.code === 'not-found')) throw err;
    const path = option === 'schema-name' ? 'schema_name' : 'schema_url';
    return { selection, schemaProblems: [{ code: 'schema.unavailable', path, message: `${err.message}; the runner would answer 500`, source: 'runner', status: 500, stage: 'schema' }] };
  }
}
