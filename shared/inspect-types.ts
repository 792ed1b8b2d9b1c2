// What the inspector says about a token: shared by the CLI (--json), the UI and the launch form.
import type { Verdict } from './verdict';
/** runner: what the runner checks; spec: the ONS specification; console: why the console cannot judge (a key missing, a token it cannot open). */
export type ProblemSource = 'runner' | 'spec' | 'console';
export type RunnerStatus = 302 | 401 | 403 | 500;
export type PayloadVersion = 'v2' | 'v1' | 'legacy' | 'flush' | 'unknown';

export interface Problem {
  /** Stable machine-readable code, e.g. "exp.expired", "claim.required", "metadata.type". */
  code: string;
  /** JSON path of the claim concerned ("" for the token as a whole), e.g. "survey_metadata.data.ru_ref". */
  path: string;
  message: string;
  source: ProblemSource;
}

/**
 * A problem as the rules produce it. Runner problems carry the HTTP status the runner answers
 * with and the stage of the runner's pipeline that finds it, so the earliest one decides the
 * predicted answer (RUNNER-CONTRACT §3: decrypt, exp, jti, runner claims, schema, metadata).
 */
export interface RuleProblem extends Problem {
  status?: Exclude<RunnerStatus, 302>;
  stage?: RunnerStage;
}

export const RUNNER_STAGES = ['token', 'exp', 'jti', 'runner-claims', 'schema', 'questionnaire-claims', 'survey-metadata'] as const;
export type RunnerStage = (typeof RUNNER_STAGES)[number];

/** The verdict on a token (shared/verdict.ts) with what was read of it. */
export interface InspectReport extends Verdict {
  jweHeader: Record<string, unknown> | null;
  jwsHeader: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  payloadVersion: PayloadVersion;
}
