// `token forge`: a complete, valid launch for the schema with exactly one thing broken
// (shared/launch/forge-kinds.ts), printed as the token(s) the runner will refuse, with what it
// will answer and why. Built by the same services as the Launch screen's "Make a broken token".
import { ConsoleError } from '../../../shared/errors';
import { buildLaunchClaims } from '../../../shared/launch/build';
import { expectedStatuses, FORGE_KIND_NAMES, isForgeKind, type ForgeResult } from '../../../shared/launch/forge-kinds';
import type { SchemaSummary } from '../../../shared/launch-types';
import type { Services } from '../../services/index';
import { type CommandImpl, EXIT_OK, type Io, str, UsageError } from '../command';
import { cliServices, launchKidsLine } from '../services';
import { readClaimsFile } from './launch';

export const tokenForge: CommandImpl = {
  options: {
    kind: { type: 'string' },
    keys: { type: 'string' },
    runner: { type: 'string' },
    'schema-name': { type: 'string' },
    claims: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const kind = str(values, 'kind');
    if (kind === undefined) throw new UsageError(`give --kind, one of ${FORGE_KIND_NAMES.join(', ')}`);
    if (!isForgeKind(kind)) throw new UsageError(`--kind must be one of ${FORGE_KIND_NAMES.join(', ')}, not "${kind}"`);
    const named = str(values, 'schema-name')?.trim();
    if (named === '') throw new UsageError('--schema-name must not be empty');
    const overlay = readClaimsFile(str(values, 'claims'));

    const services = await cliServices(values, io);
    const runnerUrl = await services.direct.runnerUrl();
    const schema = named === undefined ? await defaultSchema(services, runnerUrl, io) : await services.schemas.summary({ kind: 'runner', runnerUrl }, named);
    const claims = buildLaunchClaims({ payload: 'v2', schema, nowSeconds: Math.floor(Date.now() / 1000) }, { overlay });
    const result = await services.launch.forge({ kind, claims, schema, runnerUrl });

    const kids = await launchKidsLine(services);
    io.stderr(`${kind}: the runner at ${runnerUrl} will answer ${describeStatuses(result)}. ${result.reason}\n`);
    if (kids) io.stderr(`${kids}\n`);
    if (values.json) {
      io.stdout(
        JSON.stringify({
          kind: result.kind,
          expectedStatus: result.expectedStatus,
          reason: result.reason,
          token: result.tokens[result.tokens.length - 1],
          tokens: result.tokens,
          expectedStatuses: expectedStatuses(result.kind),
          urls: result.urls,
        }) + '\n',
      );
    } else {
      io.stdout(result.tokens.map((t) => `${t}\n`).join(''));
    }
    return EXIT_OK;
  },
};

function describeStatuses(result: ForgeResult): string {
  const statuses = expectedStatuses(result.kind);
  if (statuses.length === 1) return String(result.expectedStatus);
  return statuses.map((s, i) => `${s} to token ${i + 1}`).join(', then ');
}

/**
 * Without --schema-name: the first schema the runner lists that requires metadata, so that every
 * kind (bad-metadata too) can be made from it.
 */
async function defaultSchema(services: Services, runnerUrl: string, io: Io): Promise<SchemaSummary> {
  const { schemas } = await services.schemas.catalogue({ kind: 'runner', runnerUrl });
  const schema = schemas.find((s) => s.metadata.some((f) => !f.optional)) ?? schemas[0];
  if (!schema) throw new ConsoleError('not-found', `the runner at ${runnerUrl} lists no schema it can serve; give --schema-name`);
  io.stderr(`note: no --schema-name: using ${schema.name}, the first schema the runner lists that requires metadata\n`);
  return schema;
}
