// Loading the questionnaire schema a token selects, as the runner would (RUNNER-CONTRACT §3):
// schema_name from the runner's /schemas/<name>, schema_url directly (3 s timeout).
import type { RuleProblem } from '../../../shared/inspect-types';
import { schemaNameOf } from '../../../shared/launch/selection';
import { runnerBaseUrl, runnerEndpoints } from '../../../shared/runner-url';
import { SCHEMA_LIMITS, textOverLimit } from '../../../shared/json-limits';

export interface QuestionnaireSchema {
  source: string;
  json: Record<string, unknown>;
}

const TIMEOUT_MS = 3000;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'not a URL';
  }
}

function sameHostOrLoopback(url: string, runnerUrl: string): boolean {
  try {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return false;
    return target.host === new URL(runnerUrl).host || ['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname);
  } catch {
    return false;
  }
}

export async function loadQuestionnaire(
  claims: Record<string, unknown>,
  runnerUrl: string | undefined,
): Promise<{ schema?: QuestionnaireSchema; problem?: RuleProblem; skipped?: string }> {
  const name = schemaNameOf(claims);
  let url: string;
  // Without a runner to check against nothing is fetched: a token's schema_url could point
  // anywhere, and inspecting a token must not make requests the user did not ask for.
  const selects = (typeof claims.schema_url === 'string' && claims.schema_url.trim()) || (typeof name === 'string' && name.trim());
  if (selects && !runnerUrl) return { skipped: 'the questionnaire metadata was not checked: give the runner URL to fetch the schema' };
  if (typeof claims.schema_url === 'string' && claims.schema_url.trim()) {
    url = claims.schema_url.trim();
    // The token, not the user, chose this URL: fetch it only from the runner's own host or
    // from this machine (a local preview), never from wherever a stranger's token points.
    if (!sameHostOrLoopback(url, runnerUrl!)) {
      return {
        skipped: `the questionnaire metadata was not checked: schema_url points at another host (${hostOf(url)}), which the console does not fetch on a token's say-so`,
      };
    }
  } else if (typeof name === 'string' && name.trim()) {
    url = runnerEndpoints.schema(runnerBaseUrl(runnerUrl), name.trim());
  } else if (claims.cir_instrument_id) {
    return { skipped: 'the questionnaire metadata was not checked: the console cannot reach the Collection Instrument Registry' };
  } else {
    return {};
  }
  const fail = (message: string): { problem: RuleProblem } => ({
    problem: { code: 'schema.unavailable', path: claims.schema_url ? 'schema_url' : 'schema_name', message, source: 'runner', status: 500, stage: 'schema' },
  });
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' } });
  } catch (err) {
    const why =
      (err as Error).name === 'TimeoutError'
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : ((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
    // A runner that cannot be reached answers nothing at all; a schema_url it cannot fetch, 500.
    if (!claims.schema_url) return { skipped: `the questionnaire metadata was not checked: the runner at ${runnerUrl} cannot be reached (${why})` };
    return fail(`The questionnaire schema could not be fetched from ${url} (${why}); the runner would answer 500.`);
  }
  if (res.status === 404) return fail(`The runner has no schema named "${String(name)}" (404 from ${url}); it would answer 500.`);
  if (!res.ok) return fail(`Fetching the schema from ${url} answered ${res.status}; the runner would answer 500.`);
  try {
    const text = await res.text();
    // Before JSON.parse: a schema nested thousands deep overflows the verdict's messages. Not judged, not a prediction either.
    const over = textOverLimit(text, SCHEMA_LIMITS, { noun: `the schema from ${url}` });
    if (over) return { skipped: `the questionnaire metadata was not checked: ${over}` };
    const json = JSON.parse(text) as Record<string, unknown>;
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('not an object');
    return { schema: { source: url, json } };
  } catch {
    return fail(`${url} did not return a questionnaire schema as JSON; the runner would answer 500.`);
  }
}
