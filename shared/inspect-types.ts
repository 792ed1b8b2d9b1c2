// What the inspector says about a token: shared by the CLI (--json), the UI and the launch form.
import type { KeyRole, KeyType, KeyUse, Purpose } from './api';
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
  /** Each header's kid matched to the key ring the token was opened with. */
  kids: KidReport;
}

/** The JWE and JWS headers' kids; null where that header could not be read (the JWS is inside the JWE). */
export interface KidReport {
  jwe: KidMatch | null;
  jws: KidMatch | null;
}

/**
 * - known: the ring holds a key of that kid (which may still be the wrong kind for the header);
 * - unknown: the header names a kid the ring does not hold;
 * - none: the header names no kid, or one that is not a string, so nothing can be looked up.
 */
export type KidStatus = 'known' | 'unknown' | 'none';

export interface KidMatch {
  status: KidStatus;
  /** The header's kid as given (JSON text for a kid that is not a string); null when it has none. */
  kid: string | null;
  /** The ring's entry for the kid, when it holds one. */
  key?: KidKey;
  /** Whether the key is the kind the runner takes in this header (an authentication key of the right pair). */
  fits?: boolean;
  /** What the match means for the token, in words. */
  meaning: string;
}

/** What the key ring says of a key: never key material. */
export interface KidKey {
  label: string;
  purpose: Purpose;
  use: KeyUse;
  type: KeyType;
  /** Where the key came from (a file, "generated", a runner checkout). */
  source: string;
  /** What the console uses it for now (the launch roles among them). */
  roles: KeyRole[];
}

/** The key roles in words, for the Inspect screen and `token inspect`. */
export const KEY_ROLE_WORDS: Record<KeyRole, string> = {
  'launch-signing': 'signs launches',
  'launch-encryption': 'launches are encrypted to it',
  'downstream-decryption': 'decrypts downstream payloads',
  'downstream-verification': 'verifies downstream payloads',
};
