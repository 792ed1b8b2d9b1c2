// The Launch operations of the contract: check claims, mint the token with the active
// environment's keys, record the launch and open the respondent's session as asked.
import crypto from 'node:crypto';
import type { ConsoleApi, Environment } from '../../../shared/api';
import { isPlainObject } from '../../../shared/claims/formats';
import { ConsoleError } from '../../../shared/errors';
import type { HistoryEntry, LaunchCheck, LaunchRequest, LaunchResult, SchemaPreview, SchemaSummary } from '../../../shared/launch-types';
import { judge, type Verdict } from '../../../shared/verdict';
import { refreshIds } from '../../../shared/launch/build';
import { schemaNameOf } from '../../../shared/launch/selection';
import { normaliseRunnerUrl } from '../config/environments';
import type { SessionHost } from '../sessions/host';
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
  now?: () => number;
}

const OPEN_MODES: readonly NonNullable<LaunchRequest['open']>[] = ['embedded', 'browser', 'tab', 'none'];

/** The /session URL for a token; the runner reads the token from the query string. */
export function sessionUrl(runnerUrl: string, token: string): string {
  return `${runnerUrl}/session?token=${token}`;
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

  async check(claims: Record<string, unknown>, schema?: SchemaSummary): Promise<LaunchCheck> {
    if (!isPlainObject(claims)) throw new ConsoleError('bad-input', 'Claims must be a JSON object.');
    return this.judged(claims, schema, this.deps.environment().runnerUrl);
  }

  /** verdict: what the caller already judged with more knowledge of the runner (the CLI's schema lookup). */
  async start(request: LaunchRequest, verdict?: Verdict): Promise<LaunchResult> {
    return this.launch(request, this.deps.environment(), verdict);
  }

  /** The verdict on claims that are minted with the launch keys, which are there by then. */
  private async judged(claims: Record<string, unknown>, schema: SchemaSummary | undefined, runnerUrl: string): Promise<LaunchCheck> {
    const schemaNames = await this.deps.schemaNames?.(runnerUrl);
    const verdict = judge(
      { kind: 'claims', claims },
      { nowSeconds: this.nowSeconds(), runner: { metadata: schemaMetadata(schema), schemaNames }, jtiSeen: (jti) => this.deps.history.jtiSent(jti) },
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

  private async launch(request: LaunchRequest, environment: Environment, verdict?: Verdict): Promise<LaunchResult> {
    if (!isPlainObject(request) || !isPlainObject(request.claims)) throw new ConsoleError('bad-input', 'A launch needs claims as a JSON object.');
    const open = request.open ?? 'none';
    if (!OPEN_MODES.includes(open)) throw new ConsoleError('bad-input', `open must be one of ${OPEN_MODES.join(', ')}.`);
    const runnerUrl = normaliseRunnerUrl(request.runnerUrl ?? environment.runnerUrl);
    let { claims, schema } = request;
    // A preview's edits live at a new URL, whichever way this launch was made (builder, history,
    // profile): the old URL would get the runner's cached schema, and the old metadata list.
    const preview = typeof claims.schema_url === 'string' ? await this.deps.currentPreview?.(claims.schema_url) : undefined;
    if (preview) {
      claims = { ...claims, schema_url: preview.schemaUrl };
      schema = preview.summary ?? schema;
    }

    const token = sealClaims(claims, await this.deps.keys(environment.id));
    const check = verdict ? asLaunchCheck(verdict) : await this.judged(claims, schema, runnerUrl);
    const url = sessionUrl(runnerUrl, token);
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
    // Recorded as sent: the runner takes its jti once, and a second send is predicted 401.
    const opened = open === 'embedded' ? (host.embedded ? 'embedded' : 'browser') : open === 'none' ? undefined : open;
    if (opened) entry.opened = opened;
    this.deps.history.add(entry);

    const result: LaunchResult = { entry, token, check };
    if (open === 'embedded' && host.embedded) {
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
    } else if (open === 'browser' || open === 'embedded') {
      // Desktop: the user's browser. Browser mode: the page opens the URL itself, openExternal does nothing.
      await host.openExternal(url);
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
