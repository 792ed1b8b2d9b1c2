// The one verdict. Claims from the builder, a token's claims once opened, or a token the ring
// cannot open, together with what the key ring holds and what is known of the runner (its schema
// list, the questionnaire's metadata), become one answer: what the runner would say, or why the
// console cannot say it yet. The Launch bar, the Inspect screen, `launch` and `token inspect` all
// call judge(), so they cannot disagree.
import { classifyPayload } from './claims/classify';
import { isPlainObject, pyStrip } from './claims/formats';
import type { MetadataField } from './claims/metadata-rules';
import type { PayloadVersion, Problem, RuleProblem, RunnerStatus } from './inspect-types';
import type { LaunchCheck } from './launch-types';
import { conclude, launchProblems } from './launch/check';
import { downstreamNotes } from './launch/form-type';
import { schemaNameOf } from './launch/selection';
import type { RunnerAcceptance } from './runner-capabilities';

/**
 * - runner: the runner's answer can be predicted (runnerStatus is set);
 * - cannot-mint: a key the token needs is missing, so there is nothing to send;
 * - invalid-json: the claims text does not parse, so there are no claims to judge;
 * - cannot-look-inside: a token encrypted to a key whose private half the ring lacks, or one
 *   beyond the console's limits on size and nesting (shared/json-limits.ts), which it does not read.
 */
export type VerdictState = 'runner' | 'cannot-mint' | 'invalid-json' | 'cannot-look-inside';

export interface Verdict extends Omit<LaunchCheck, 'runnerStatus'> {
  state: VerdictState;
  runnerStatus: RunnerStatus | null;
  /** What to do about a state that is not the runner's answer. */
  fix?: string;
  /** A sealed token the console minted itself: the claims it minted, judged (its history has them). */
  minted?: MintedRecord & { check: LaunchCheck };
}

export interface MintedRecord {
  historyId: string;
  at: string;
  claims: Record<string, unknown>;
}

/** A jti the console has already sent to the runner (its history says the launch was opened). */
export function jtiSentIn(history: readonly { claims: Record<string, unknown>; opened?: string }[]): (jti: string) => boolean {
  const sent = new Set(history.filter((e) => e.opened && typeof e.claims.jti === 'string').map((e) => e.claims.jti as string));
  return (jti) => sent.has(jti);
}

/** The launch roles as the key ring fills them (KeyInfo.usedFor), and why one cannot be used here. */
export interface LaunchKeyFacts {
  signer?: string;
  recipient?: string;
  /** A role's key exists but cannot be used in this front door (a secret the desktop keychain holds). */
  locked?: string;
}

export interface RunnerFacts {
  /** The schema names the runner lists (GET /schemas), when known. */
  schemaNames?: readonly string[];
  /** The questionnaire's metadata list, when its schema is known. */
  metadata?: readonly MetadataField[];
  /** Met loading the questionnaire schema (stage "schema"), e.g. the runner has no such schema. */
  schemaProblems?: readonly RuleProblem[];
  /** Said after the verdict, e.g. why the metadata could not be checked. */
  notes?: readonly string[];
  /**
   * The launch versions the runner accepts and how the console knows (shared/runner-capabilities.ts);
   * undefined: v2 only, as every runner since v14.
   */
  accepts?: RunnerAcceptance;
}

export type Subject =
  /** Claims to be minted (the builder, `launch`); keys: what the ring holds, when not yet known to be there. */
  | { kind: 'claims'; claims: Record<string, unknown>; keys?: LaunchKeyFacts }
  /** The builder's raw JSON while it does not parse. */
  | { kind: 'claims-text'; error: string }
  /** A token's claims, opened; refusal: why the runner could not open it although this ring can. */
  | { kind: 'opened'; claims: unknown; refusal?: string }
  /** A token refused before its claims could be read (bad envelope, unknown key, bad signature). */
  | { kind: 'refused'; problem: RuleProblem }
  /** A token this ring cannot decrypt; minted: what the console's history says it minted into it. */
  | { kind: 'sealed'; reason: string; minted?: MintedRecord }
  /** A token, or its content, beyond the console's limits: not read, so not judged. */
  | { kind: 'over-limit'; reason: string };

export interface JudgeOptions {
  runner?: RunnerFacts;
  nowSeconds: number;
  /** Whether the runner has seen this jti already (the console sent it: jtiSentIn). */
  jtiSeen?: (jti: string) => boolean;
}

export function judge(subject: Subject, options: JudgeOptions): Verdict {
  switch (subject.kind) {
    case 'claims-text':
      return {
        state: 'invalid-json',
        runnerStatus: null,
        payloadVersion: 'unknown',
        verdict: `No verdict: the claims are not valid JSON (${subject.error}).`,
        fix: 'Mend the JSON; the form keeps the last valid claims until then.',
        problems: [consoleProblem('claims.json', subject.error)],
      };
    case 'sealed': {
      const base: Verdict = {
        state: 'cannot-look-inside',
        runnerStatus: null,
        payloadVersion: 'unknown',
        verdict: `The console cannot look inside this token. ${subject.reason}`,
        fix: "Import the runner's own key store (its dev-keys.yml) to open tokens meant for it.",
        problems: [consoleProblem('token.sealed', subject.reason)],
      };
      if (!subject.minted) return base;
      const check = asCheck(judgeClaims(subject.minted.claims, options));
      const said = `The console minted this token itself (launch of ${subject.minted.at}); judged from the claims it minted: ${lowerFirst(check.verdict)}`;
      return {
        ...base,
        payloadVersion: check.payloadVersion,
        verdict: `The console cannot decrypt this token, but it minted it. ${said}`,
        problems: [consoleProblem('token.sealed', `${subject.reason} ${said}`), ...check.problems],
        minted: { ...subject.minted, check },
      };
    }
    case 'over-limit':
      return {
        state: 'cannot-look-inside',
        runnerStatus: null,
        payloadVersion: 'unknown',
        verdict: `The console does not read this token: ${lowerFirst(subject.reason)}`,
        problems: [consoleProblem('token.over-limit', subject.reason)],
      };
    case 'refused':
      return { state: 'runner', ...conclude('unknown', [subject.problem]) } as Verdict;
    case 'opened': {
      if (!isPlainObject(subject.claims)) {
        const problem: RuleProblem = {
          code: 'claims.not-object',
          path: '',
          message: 'The signed payload is JSON but not an object of claims.',
          source: 'runner',
          status: 403,
          stage: 'token',
        };
        return { state: 'runner', ...conclude('unknown', [problem]) } as Verdict;
      }
      const refusal: RuleProblem[] = subject.refusal
        ? [{ code: 'token.wrong-key', path: '', message: subject.refusal, source: 'runner', status: 403, stage: 'token' }]
        : [];
      return judgeClaims(subject.claims, options, refusal);
    }
    case 'claims': {
      const judged = judgeClaims(subject.claims, options);
      const missing = subject.keys && missingKey(subject.keys);
      if (!missing) return judged;
      return {
        ...judged,
        state: 'cannot-mint',
        runnerStatus: null,
        verdict: `Cannot mint: ${missing.reason}.`,
        fix: missing.fix,
        problems: [consoleProblem(missing.code, `${missing.reason}. ${missing.fix}`), ...judged.problems],
      };
    }
  }
}

function judgeClaims(claims: Record<string, unknown>, options: JudgeOptions, extra: RuleProblem[] = []): Verdict {
  const runner = options.runner ?? {};
  const payloadVersion = classifyPayload(claims);
  const schemaProblems = [...(runner.schemaProblems ?? []), ...notInCatalogue(claims, payloadVersion, runner)];
  const metadataRequired = runner.metadata ? runner.metadata.some((f) => isPlainObject(f) && !f.optional) : undefined;
  const { problems } = launchProblems(claims, runner.metadata, options.nowSeconds, {
    schemaProblems,
    metadataRequired,
    jtiSeen: options.jtiSeen,
    accepts: runner.accepts,
  });
  const notes = [...(runner.notes ?? []), ...downstreamNotes(claims, payloadVersion)];
  return { state: 'runner', ...conclude(payloadVersion, [...extra, ...problems], notes) };
}

/** A schema_name the runner does not list: it fails to load it (500). */
function notInCatalogue(claims: Record<string, unknown>, version: PayloadVersion, runner: RunnerFacts): RuleProblem[] {
  if (!runner.schemaNames || runner.schemaProblems?.length || version === 'flush') return [];
  // A v1 token may name its schema as eq_id + form_type, which the runner joins into a name.
  const name = typeof claims.schema_name === 'string' ? pyStrip(claims.schema_name) : version === 'v1' ? schemaNameOf(claims) : undefined;
  if (!name || runner.schemaNames.includes(name)) return [];
  return [
    {
      code: 'schema.unknown',
      path: 'schema_name',
      message: `the runner has no schema named "${name}" (it is not in the runner's list of schemas), so it fails with 500 loading it`,
      source: 'runner',
      status: 500,
      stage: 'schema',
    },
  ];
}

function missingKey(keys: LaunchKeyFacts): { code: string; reason: string; fix: string } | undefined {
  if (keys.locked) return { code: 'keys.locked', reason: keys.locked, fix: 'Import the key again here, or use the desktop app.' };
  if (!keys.signer) {
    return {
      code: 'keys.no-signer',
      reason: 'the key ring has no launch signing key',
      fix: "Import the launcher's signing key (sdc-rrm-authentication-signing-private-v1.pem) on the Keys screen (or `eq-console keys import`), or generate one and give its public half to the runner.",
    };
  }
  if (!keys.recipient) {
    return {
      code: 'keys.no-runner-key',
      reason: 'the key ring has no runner public key to encrypt the token to',
      fix: "Import the runner's public key (sdc-sr-authentication-encryption-public-v1.pem) or the runner's key store on the Keys screen (or `eq-console keys import`).",
    };
  }
  return undefined;
}

/** The launch keys as KeyInfo.usedFor names them. */
export function launchKeyFacts(keys: readonly { kid: string; usedFor?: readonly string[]; locked?: string }[]): LaunchKeyFacts {
  const holder = (role: string) => keys.find((k) => k.usedFor?.includes(role));
  const signer = holder('launch-signing');
  const recipient = holder('launch-encryption');
  const facts: LaunchKeyFacts = {};
  if (signer) facts.signer = signer.kid;
  if (recipient) facts.recipient = recipient.kid;
  if (signer?.locked) facts.locked = signer.locked;
  return facts;
}

function asCheck(v: Verdict): LaunchCheck {
  return { payloadVersion: v.payloadVersion, runnerStatus: v.runnerStatus ?? 302, verdict: v.verdict, problems: v.problems };
}

function consoleProblem(code: string, message: string): Problem {
  return { code, path: '', message, source: 'console' };
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
