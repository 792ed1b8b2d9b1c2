// Asking a runner which launch token versions it accepts, without starting a session. Two tokens,
// minted with the environment's launch keys, name a schema that does not exist: one v1, one v2.
// A runner gets past its claim checks for a version it accepts and then fails to load the schema
// (500); a version it does not accept is refused at the claim checks (403). Neither reaches the
// point where the runner stores a questionnaire or a session (app/routes/session.py: the schema is
// loaded first), and each jti is one nobody will use again.
//
// The v2 token is the control: a runner that cannot open the tokens (it does not trust these
// keys) answers 403 to both, and a v1 probe alone would read that as "v2 only". /status's version
// is recorded beside the answer, so a runner that changes under the same URL is probed again.
import crypto from 'node:crypto';
import { runnerEndpoints } from '../../../shared/runner-url';
import type { LaunchVersion, RunnerDetection } from '../../../shared/runner-capabilities';
import { DEFAULT_ACCOUNT_SERVICE_URL } from '../../../shared/launch/build';
import { fetchJson, networkReason } from '../schemas/fetch-json';
import { sealClaims, type SigningKeys } from '../tokens/jwt-profile';

/**
 * Short, so that a runner that does not answer never holds up a verdict for long; long enough for
 * a busy runner's first answers (a cold runner on a loaded machine takes seconds to load a schema).
 */
export const STATUS_TIMEOUT_MS = 5_000;
export const PROBE_TIMEOUT_MS = 10_000;
/** The probe tokens' lifetime: the runner keeps a jti until exp + 60 s, so these go soon. */
const PROBE_LIFETIME_SECONDS = 60;

export type StatusResult = { ok: true; version: string | null } | { ok: false; reason: string };

/** GET /status: the runner's commit as `version` (null when it reports none). */
export async function readStatus(runnerUrl: string, timeoutMs = STATUS_TIMEOUT_MS): Promise<StatusResult> {
  try {
    const body = await fetchJson(runnerEndpoints.status(runnerUrl), { who: `the runner at ${runnerUrl}`, timeoutMs });
    const version = body && typeof body === 'object' ? (body as { version?: unknown }).version : undefined;
    return { ok: true, version: typeof version === 'string' && version.trim() ? version.trim() : null };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

export type ProbeOutcome = { ok: true; detection: RunnerDetection } | { ok: false; reason: string };

/** The probe claims for one version: every claim its runner checks is valid; the schema does not exist. */
export function probeClaims(version: LaunchVersion, nowSeconds: number, schemaName: string): Record<string, unknown> {
  const common = {
    jti: crypto.randomUUID(),
    tx_id: crypto.randomUUID(),
    iat: nowSeconds,
    exp: nowSeconds + PROBE_LIFETIME_SECONDS,
    case_id: crypto.randomUUID(),
    collection_exercise_sid: 'eq-console-probe',
    response_id: `eq-console-probe-${crypto.randomBytes(6).toString('hex')}`,
    account_service_url: DEFAULT_ACCOUNT_SERVICE_URL,
    response_expires_at: new Date((nowSeconds + 3600) * 1000).toISOString().replace(/\.\d+Z$/, '+00:00'),
    schema_name: schemaName,
    language_code: 'en',
  };
  return version === 'v1' ? { ...common, ru_ref: 'eq-console-probe' } : { version: 'v2', ...common, survey_metadata: { data: { probe: 'eq-console' } } };
}

async function send(runnerUrl: string, token: string, timeoutMs: number): Promise<{ status: number } | { reason: string }> {
  try {
    const res = await fetch(runnerEndpoints.session(runnerUrl, token), { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return { status: res.status };
  } catch (err) {
    return { reason: `cannot reach the runner at ${runnerUrl}: ${networkReason(err, timeoutMs)}` };
  }
}

/** What the two answers say, or why they say nothing. */
function interpret(answers: Record<LaunchVersion, number>): { accepts: LaunchVersion[] } | { reason: string } {
  const past = (v: LaunchVersion) => answers[v] === 500;
  const refused = (v: LaunchVersion) => answers[v] === 403;
  if (past('v1') && past('v2')) return { accepts: ['v1', 'v2'] };
  if (past('v2') && refused('v1')) return { accepts: ['v2'] };
  if (past('v1') && refused('v2')) return { accepts: ['v1'] };
  if (refused('v1') && refused('v2')) {
    return {
      reason:
        'the runner refused both probe tokens (403): it does not trust the launch keys they were minted with, so they tell nothing (import the runner’s keys on the Keys screen)',
    };
  }
  if (answers.v1 === 401 || answers.v2 === 401) {
    return { reason: `the runner answered ${answers.v1} and ${answers.v2} to the probe tokens: its clock is ahead of this machine's by a minute or more` };
  }
  return { reason: `the runner answered ${answers.v1} (v1) and ${answers.v2} (v2) to the probe tokens, which tells nothing about the versions it accepts` };
}

export interface ProbeOptions {
  /** GET /status's version, already read. */
  runnerVersion: string | null;
  nowSeconds: number;
  timeoutMs?: number;
}

export async function probeRunner(runnerUrl: string, keys: SigningKeys, options: ProbeOptions): Promise<ProbeOutcome> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  // A name no runner has: the random part keeps it so even on a runner someone gave such a schema.
  const schemaName = `eq_console_probe_${crypto.randomBytes(4).toString('hex')}`;
  const [v1, v2] = await Promise.all(
    (['v1', 'v2'] as const).map((version) => send(runnerUrl, sealClaims(probeClaims(version, options.nowSeconds, schemaName), keys), timeoutMs)),
  );
  if ('reason' in v1!) return { ok: false, reason: v1.reason };
  if ('reason' in v2!) return { ok: false, reason: v2.reason };
  const answers = { v1: v1.status, v2: v2.status };
  const told = interpret(answers);
  if ('reason' in told) return { ok: false, reason: told.reason };
  const at = new Date(options.nowSeconds * 1000).toISOString();
  return { ok: true, detection: { accepts: told.accepts, at, runnerVersion: options.runnerVersion, answers } };
}
