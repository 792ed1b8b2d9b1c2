// The Launch operations of the contract: check claims, mint the token with the active
// environment's keys, record the launch and open the respondent's session as asked.
import crypto from 'node:crypto';
import type { ConsoleApi, Environment } from '../../../shared/api';
import type { HistoryEntry, LaunchCheck, LaunchRequest, LaunchResult, SchemaPreview, SchemaSummary } from '../../../shared/launch-types';
import { judge, type LaunchKeyFacts, type RunnerFacts, type Verdict } from '../../../shared/verdict';
import type { RunnerAcceptance } from '../../../shared/runner-capabilities';
import { refreshIds } from '../../../shared/launch/build';
import { schemaNameOf } from '../../../shared/launch/selection';
import { runnerBaseUrl, runnerEndpoints } from '../../../shared/runner-url';
import type { ForgeRequest, ForgeResult } from '../../../shared/launch/forge-kinds';
import type { SessionHost } from '../sessions/host';
import { forgeLaunch } from '../tokens/forge-service';
import { sealClaims, type SigningKeys } from '../tokens/jwt-profile';
import type { HistoryStore } from './history';

export interface LaunchDeps {
  history: HistoryStore;
  host: SessionHost;
  /** The active environment, or the one named when it still exists (a relaunch uses the original's). */
  environment: (id?: string) => Environment;
  /** An environment's launch keys (signing private, runner's encryption public). */
  keys: (environmentId: string) => Promise<SigningKeys>;
  /** The schema names a runner lists, or undefined when it cannot be asked. */
  schemaNames?: (runnerUrl: string) => Promise<string[] | undefined>;
  /** A local schema preview as it stands now, given any URL it handed out (the runner caches schemas by URL). */
  currentPreview?: (schemaUrl: string) => Promise<SchemaPreview | undefined>;
  /** What the active ring holds for launching, for the verdict's "cannot mint". */
  keyFacts?: () => Promise<LaunchKeyFacts>;
  /** Which launch versions the runner accepts, and how the console knows (services/runner). */
  acceptance?: (runnerUrl: string) => Promise<RunnerAcceptance>;
  now?: () => number;
}

function label(claims: Record<string, unknown>, schema?: SchemaSummary): string {
  if (schema?.title) return schema.title;
  const named = schemaNameOf(claims);
  if (named) return named;
  for (const k of ['schema_url', 'cir_instrument_id']) if (typeof claims[k] === 'string') return claims[k] as string;
  return 'Launch';
}

function schemaName(claims: Record<string, unknown>, schema?: SchemaSummary): string | undefined {
  return schemaNameOf(claims) ?? schema?.name;
}

export class LaunchService implements Readonly<ConsoleApi['launch']> {
  constructor(private readonly deps: LaunchDeps) {}

  private nowSeconds(): number {
    return Math.floor((this.deps.now?.() ?? Date.now()) / 1000);
  }

  /** The verdict before minting: the active ring's launch keys, the runner's schema list, the jtis already sent. */
  async check(claims: Record<string, unknown>, schema?: SchemaSummary): Promise<Verdict> {
    return this.judgeWith(claims, { metadata: schemaMetadata(schema) }, await this.deps.keyFacts?.());
  }

  /** The same, with what the caller knows of the runner besides (a schema it failed to load). */
  async judgeWith(claims: Record<string, unknown>, runner: RunnerFacts = {}, keys?: LaunchKeyFacts): Promise<Verdict> {
    const runnerUrl = this.deps.environment().runnerUrl;
    const [schemaNames, accepts] = await Promise.all([
      runner.schemaNames ?? this.deps.schemaNames?.(runnerUrl),
      runner.accepts ?? this.deps.acceptance?.(runnerUrl),
    ]);
    return judge(
      { kind: 'claims', claims, keys: keys ?? (await this.deps.keyFacts?.()) },
      { nowSeconds: this.nowSeconds(), runner: { ...runner, schemaNames, accepts }, jtiSeen: (jti) => this.deps.history.jtiSent(jti) },
    );
  }

  async start(request: LaunchRequest): Promise<LaunchResult> {
    return this.launch(request, this.deps.environment());
  }

  /** The verdict on claims that are minted with the launch keys, which are there by then. */
  private async judged(claims: Record<string, unknown>, schema: SchemaSummary | undefined, runnerUrl: string): Promise<LaunchCheck> {
    const [schemaNames, accepts] = await Promise.all([this.deps.schemaNames?.(runnerUrl), this.deps.acceptance?.(runnerUrl)]);
    const verdict = judge(
      { kind: 'claims', claims },
      {
        nowSeconds: this.nowSeconds(),
        runner: { metadata: schemaMetadata(schema), schemaNames, accepts },
        jtiSeen: (jti) => this.deps.history.jtiSent(jti),
      },
    );
    return asLaunchCheck(verdict);
  }

  async relaunch(historyId: string, options: { newResponse?: boolean; open?: LaunchRequest['open'] } = {}): Promise<LaunchResult> {
    const previous = this.deps.history.get(historyId);
    const claims = refreshIds(previous.claims, { nowSeconds: this.nowSeconds(), newResponse: Boolean(options.newResponse) });
    // The same runner with the same environment's keys: the ones that runner trusts.
    const environment = this.deps.environment(previous.environmentId);
    return this.launch({ claims, schema: previous.schema, runnerUrl: previous.runnerUrl, open: options.open ?? 'none' }, environment);
  }

  /** A broken token on purpose, with the active environment's keys (tokens/forge-service.ts); nothing is sent or recorded. */
  async forge(request: ForgeRequest): Promise<ForgeResult> {
    const environment = this.deps.environment();
    return forgeLaunch(request, {
      keys: () => this.deps.keys(environment.id),
      runnerUrl: () => environment.runnerUrl,
      schemaNames: async (url) => this.deps.schemaNames?.(url),
      judge: (claims, facts) => this.judgeWith(claims, facts),
      now: this.deps.now,
    });
  }

  private async launch(request: LaunchRequest, environment: Environment): Promise<LaunchResult> {
    const open = request.open ?? 'none';
    const runnerUrl = runnerBaseUrl(request.runnerUrl ?? environment.runnerUrl);
    let { claims, schema } = request;
    // A preview's edits live at a new URL, whichever way this launch was made (builder, history,
    // profile): the old URL would get the runner's cached schema, and the old metadata list.
    const preview = typeof claims.schema_url === 'string' ? await this.deps.currentPreview?.(claims.schema_url) : undefined;
    if (preview) {
      claims = { ...claims, schema_url: preview.schemaUrl };
      schema = preview.summary ?? schema;
    }

    const token = sealClaims(claims, await this.deps.keys(environment.id));
    const check = await this.judged(claims, schema, runnerUrl);
    const url = runnerEndpoints.session(runnerUrl, token);
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
    const entry: HistoryEntry = {
      id: crypto.randomUUID(),
      at: new Date(this.deps.now?.() ?? Date.now()).toISOString(),
      environmentId: environment.id,
      runnerUrl,
      label: label(claims, schema),
      payload: check.payloadVersion,
      claims,
      url,
      predicted: { runnerStatus: check.runnerStatus, verdict: check.verdict },
      roles,
    };
    const name = schemaName(claims, schema);
    if (name !== undefined) entry.schemaName = name;
    if (schema) entry.schema = schema;
    const { host } = this.deps;
    const embed = open === 'embedded' && host.embedded;
    let openFailed: string | undefined;
    if (open === 'browser' || (open === 'embedded' && !embed)) {
      try {
        await host.openExternal(url);
      } catch (err) {
        openFailed = err instanceof Error ? err.message : String(err);
      }
    }
    // Recorded as sent: the runner takes its jti once, and a second send is predicted 401.
    const opened = embed ? 'embedded' : open === 'tab' ? 'tab' : open !== 'none' && !openFailed ? 'browser' : undefined;
    if (opened) entry.opened = opened;
    this.deps.history.add(entry);

    const result: LaunchResult = { entry, token, check };
    if (openFailed) result.openFailed = openFailed;
    if (embed) {
      result.session = await host.open({
        url,
        label: entry.label,
        historyId: entry.id,
        runnerUrl,
        dumper: roles.includes('dumper'),
        onAnswer: (answer) => {
          try {
            this.deps.history.update(entry.id, { answer });
            entry.answer = answer;
          } catch {
            // The history file became unreadable meanwhile; the session itself is unaffected.
          }
        },
      });
    }
    return result;
  }
}

/** A verdict on claims about to be minted always has the runner's answer. */
function asLaunchCheck(v: Verdict): LaunchCheck {
  return { payloadVersion: v.payloadVersion, runnerStatus: v.runnerStatus ?? 302, verdict: v.verdict, problems: v.problems };
}

function schemaMetadata(schema: SchemaSummary | undefined) {
  return schema && Array.isArray(schema.metadata) ? schema.metadata : undefined;
}
