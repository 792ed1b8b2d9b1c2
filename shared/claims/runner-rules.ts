// GET /session as eq-questionnaire-runner (771844c) judges the decrypted claims, stage by stage
// (RUNNER-CONTRACT §3). Each problem carries the HTTP status the runner would answer and the stage
// that finds it; predict.ts takes the earliest. Problems within a stage are listed in the order the
// runner meets them, so the first one of the earliest stage is the runner's actual answer.
//
// Sources: app/routes/session.py (login, validate_jti), app/utilities/metadata_parser_v2.py,
// app/data_models/metadata_proxy.py, jwcrypto 1.5.6 JWT._check_default_claims (called by
// sdc-cryptography with check_claims={}, so it checks formats but not expiry). A runner that
// accepts v1 (v13.6.1, app/utilities/metadata_parser.py) reads a token without a version claim
// as v1 at the same stage; which versions the runner accepts is RunnerContext.accepts.
import type { PayloadVersion, RuleProblem, RunnerStage } from '../inspect-types';
import type { RunnerAcceptance } from '../runner-capabilities';
import { classifyPayload } from './classify';
import { isPlainObject, isUuid, parseRunnerDate, pyIntCheck, pyStrip, pyTruthy } from './formats';
import { loadRunnerField, type RunnerFieldSpec } from './runner-fields';

export interface RunnerContext {
  /** The runner's clock, in seconds since the epoch. */
  nowSeconds: number;
  /** Whether the runner has already seen this jti (it keeps them until exp + 60 s). */
  jtiSeen?: (jti: string) => boolean;
  /** Whether the questionnaire requires any metadata; undefined when its schema is not known. */
  metadataRequired?: boolean;
  /**
   * The launch versions the runner accepts, and how that is known. Undefined: the runner is taken
   * to be v14 or later (v2 only), and the messages say so without naming how.
   */
  accepts?: RunnerAcceptance;
}

type Status = NonNullable<RuleProblem['status']>;

function problem(code: string, path: string, message: string, status?: Status, stage?: RunnerStage): RuleProblem {
  const p: RuleProblem = { code, path, message, source: 'runner' };
  if (status !== undefined) p.status = status;
  if (stage !== undefined) p.stage = stage;
  return p;
}

// ---------------------------------------------------------------------------------------------
// Stage 'token': what the JWT library refuses while decrypting

/**
 * jwcrypto's registered-claim format checks, in its order. Only ValueError and its own errors
 * become 403; an exp/nbf/iat that is a list or an object raises TypeError inside int(), which
 * nothing catches, so the runner answers 500. Digit strings pass ("1458057712").
 */
export function checkTokenClaims(claims: Record<string, unknown>): RuleProblem[] {
  const out: RuleProblem[] = [];
  const present = (k: string) => claims[k] !== undefined && claims[k] !== null;
  const mustBeString = (k: string) => {
    if (present(k) && typeof claims[k] !== 'string') {
      out.push(problem('token.claim-format', k, `${k} must be a string (the JWT library checks this registered claim)`, 403, 'token'));
    }
  };
  mustBeString('iss');
  mustBeString('sub');
  if (present('aud')) {
    const aud = claims.aud;
    const ok = typeof aud === 'string' || (Array.isArray(aud) && aud.every((a) => typeof a === 'string'));
    if (!ok)
      out.push(problem('token.claim-format', 'aud', 'aud must be a string or a list of strings (the JWT library checks this registered claim)', 403, 'token'));
  }
  for (const k of ['exp', 'nbf', 'iat']) {
    if (!present(k)) continue;
    const r = pyIntCheck(claims[k]);
    if (r === 'value-error') {
      out.push(problem('token.claim-format', k, `${k} must be an integer; the JWT library refuses ${JSON.stringify(claims[k])}`, 403, 'token'));
    } else if (r === 'type-error') {
      out.push(
        problem(
          'token.claim-crash',
          k,
          `${k} must be an integer; a list or object makes the JWT library raise an error the runner does not catch`,
          500,
          'token',
        ),
      );
    }
  }
  mustBeString('jti');
  mustBeString('typ');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Stage 'exp' and 'jti': session.validate_jti

// datetime.fromtimestamp(exp, tz=utc) only covers years 1 to 9999.
const MIN_TS = -62135596800;
const MAX_TS = 253402300800;

function checkExp(exp: unknown, nowSeconds: number): RuleProblem[] {
  if (exp === undefined) {
    return [problem('exp.missing', 'exp', 'exp is missing: the runner reads it without a default and fails with 500', 500, 'exp')];
  }
  if (typeof exp !== 'number' && typeof exp !== 'boolean') {
    return [
      problem(
        'exp.not-number',
        'exp',
        `exp must be a number; the runner passes ${JSON.stringify(exp)} to datetime.fromtimestamp, which fails with 500`,
        500,
        'exp',
      ),
    ];
  }
  const n = Number(exp);
  if (n < MIN_TS || n >= MAX_TS) {
    return [problem('exp.out-of-range', 'exp', `exp ${n} is outside the years 1 to 9999; the runner fails with 500`, 500, 'exp')];
  }
  // The runner compares with its sub-second clock, so an exp equal to the current second has passed.
  if (n <= nowSeconds) {
    return [problem('exp.expired', 'exp', `the token expired at ${new Date(n * 1000).toISOString()} (exp ${n}); the runner allows no leeway`, 401, 'exp')];
  }
  return [];
}

function checkJti(jti: unknown, ctx: RunnerContext): RuleProblem[] {
  if (jti === undefined || jti === null) {
    return [problem('jti.missing', 'jti', 'jti is missing; the runner needs a UUID to record the token as used', 403, 'jti')];
  }
  if (typeof jti !== 'string') return []; // refused earlier by the JWT library
  if (!isUuid(jti)) return [problem('jti.invalid', 'jti', `jti must be a UUID; "${jti}" is not one`, 403, 'jti')];
  if (ctx.jtiSeen?.(jti)) {
    return [problem('jti.used', 'jti', `this jti (${jti}) has been used before; the runner accepts each token once`, 401, 'jti')];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Stage 'runner-claims': RunnerMetadataSchema (v2)

interface FieldRow {
  name: string;
  spec: RunnerFieldSpec;
  required: boolean;
}

const uuid: RunnerFieldSpec = { kind: 'uuid' };
const string: RunnerFieldSpec = { kind: 'string' };
const nonEmpty: RunnerFieldSpec = { kind: 'string', minLength: 1 };
const url: RunnerFieldSpec = { kind: 'url' };
const REGION = /^GB-[A-Z]{3}$/;

const V2_FIELDS: FieldRow[] = [
  { name: 'jti', spec: uuid, required: true },
  { name: 'tx_id', spec: uuid, required: true },
  { name: 'case_id', spec: uuid, required: true },
  { name: 'collection_exercise_sid', spec: nonEmpty, required: true },
  { name: 'version', spec: { kind: 'string', oneOf: ['v2'] }, required: true },
  { name: 'schema_name', spec: string, required: false },
  { name: 'schema_url', spec: url, required: false },
  { name: 'cir_instrument_id', spec: uuid, required: false },
  { name: 'response_id', spec: string, required: true },
  { name: 'account_service_url', spec: url, required: true },
  { name: 'language_code', spec: string, required: false },
  { name: 'channel', spec: nonEmpty, required: false },
  { name: 'response_expires_at', spec: { kind: 'iso_8601_date_string', future: true }, required: true },
  { name: 'region_code', spec: { kind: 'string', regex: REGION }, required: false },
  { name: 'roles', spec: { kind: 'string-list' }, required: false },
];

const SCHEMA_SELECTORS = ['schema_name', 'schema_url', 'cir_instrument_id'] as const;

/** The claims after StripWhitespaceMixin: top-level strings stripped, nothing else touched. */
function stripped(claims: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(claims)) out[k] = typeof v === 'string' ? pyStrip(v) : v;
  return out;
}

function loadFields(
  rows: FieldRow[],
  claims: Record<string, unknown>,
  nowSeconds: number,
  requiredMessage: (name: string) => string,
): Array<{ code: string; path: string; message: string }> {
  const out: Array<{ code: string; path: string; message: string }> = [];
  for (const row of rows) {
    const value = claims[row.name];
    if (value === undefined) {
      if (row.required) out.push({ code: 'claim.required', path: row.name, message: requiredMessage(row.name) });
      continue;
    }
    const r = loadRunnerField(row.name, value, row.spec, nowSeconds);
    if (!r.ok) out.push({ code: r.code, path: r.subPath ? `${row.name}.${r.subPath}` : row.name, message: r.message });
  }
  return out;
}

/** Why a runner refuses a token for its version alone. */
function versionRefusal(version: 'v1' | 'legacy' | 'v2', accepts: RunnerAcceptance | undefined): string {
  if (version === 'v2') return `this runner accepts only version "v1" (${accepts?.basis ?? 'as set'}); v2 launch tokens need runner v12 or later`;
  const only = accepts ? `this runner accepts only version "v2" (${accepts.basis})` : 'this runner (v14+) accepts only version "v2"';
  return version === 'v1'
    ? `this is a v1 launch token (no version claim): ${only}; ${accepts ? 'runners before v14' : 'older runners'} accept v1`
    : `this is a first-generation eq-survey-runner launch token: ${only}`;
}

function checkRunnerClaimsV2(raw: Record<string, unknown>, version: PayloadVersion, nowSeconds: number, accepts?: RunnerAcceptance): RuleProblem[] {
  const out: RuleProblem[] = [];
  const rc = (code: string, path: string, message: string) => out.push(problem(code, path, message, 403, 'runner-claims'));

  // A survey_metadata or data that is not an object crashes the runner (500) ahead of any 403:
  // session.login calls .get() on them for logging, and marshmallow runs the whitespace-strip
  // pre_load hook (items.items()) before its own type check. Only null gets a proper refusal.
  const sm = raw.survey_metadata;
  if (sm !== undefined && sm !== null && !isPlainObject(sm)) {
    out.push(
      problem(
        'survey_metadata.crash',
        'survey_metadata',
        'survey_metadata must be an object; the runner fails with 500 on anything else',
        500,
        'runner-claims',
      ),
    );
  } else if (isPlainObject(sm) && sm.data !== undefined && !isPlainObject(sm.data)) {
    out.push(
      problem(
        'survey_metadata.crash',
        'survey_metadata.data',
        'survey_metadata.data must be an object; the runner fails with 500 on anything else, null included',
        500,
        'runner-claims',
      ),
    );
  }
  const crashes = out.length;

  const claims = stripped(raw);
  for (const f of loadFields(V2_FIELDS, claims, nowSeconds, (n) => `${n} is required by the runner`)) {
    if (f.path === 'version' && f.code === 'claim.required' && (version === 'v1' || version === 'legacy')) {
      rc(version === 'v1' ? 'version.v1-removed' : 'version.legacy-removed', 'version', versionRefusal(version, accepts));
      continue;
    }
    rc(f.code, f.path, f.message);
  }

  const given = SCHEMA_SELECTORS.filter((k) => pyTruthy(claims[k]));
  if (given.length === 0) {
    const v1Hint = pyTruthy(claims.eq_id) || pyTruthy(claims.form_type) ? ' (eq_id + form_type stopped selecting a schema when v1 was removed)' : '';
    rc('schema.none', '', `the token must name its questionnaire with one of schema_name, schema_url or cir_instrument_id${v1Hint}`);
  } else if (given.length > 1) {
    rc('schema.several', '', `only one of schema_name, schema_url or cir_instrument_id may be given, but this token has ${given.join(' and ')}`);
  }

  if (sm !== undefined) checkSurveyMetadataClaims(sm, rc);

  // MetadataProxy.from_dict builds SurveyMetadata(**survey_metadata), which needs "data" whenever
  // survey_metadata is non-empty; {"receipting_keys": []} passes validation and then crashes.
  if (out.length === crashes && isPlainObject(sm) && pyTruthy(sm) && sm.data === undefined) {
    out.push(
      problem(
        'survey_metadata.no-data',
        'survey_metadata',
        'survey_metadata has no data; the runner fails with 500 building its metadata',
        500,
        'runner-claims',
      ),
    );
  }
  return out;
}

function checkSurveyMetadataClaims(sm: unknown, rc: (code: string, path: string, message: string) => void): void {
  if (sm === null) return rc('claim.null', 'survey_metadata', 'survey_metadata may not be null');
  if (!isPlainObject(sm)) return; // a crash, reported above
  let fieldErrors = 0;
  const err = (code: string, path: string, message: string) => {
    fieldErrors++;
    rc(code, path, message);
  };
  for (const k of Object.keys(sm)) {
    if (k !== 'data' && k !== 'receipting_keys') {
      err('survey_metadata.unknown', `survey_metadata.${k}`, `survey_metadata may only hold data and receipting_keys; the runner refuses "${k}"`);
    }
  }
  const data = sm.data;
  if (isPlainObject(data) && Object.keys(data).length === 0) {
    err('survey_metadata.data.empty', 'survey_metadata.data', 'survey_metadata.data must hold at least one key');
  }
  const rk = sm.receipting_keys;
  if (rk !== undefined) {
    const r = loadRunnerField('survey_metadata.receipting_keys', rk, { kind: 'string-list' }, 0);
    if (!r.ok) err(r.code, r.subPath ? `survey_metadata.receipting_keys.${r.subPath}` : 'survey_metadata.receipting_keys', r.message);
  }
  if (fieldErrors === 0 && Array.isArray(rk) && rk.length > 0) {
    const keys = isPlainObject(data) ? data : {};
    const missing = (rk as string[]).filter((k) => !Object.prototype.hasOwnProperty.call(keys, k));
    if (missing.length) {
      rc(
        'survey_metadata.receipting-keys',
        'survey_metadata.receipting_keys',
        `every receipting key must be a key of survey_metadata.data; missing: ${missing.join(', ')}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// v1: refused with 403 by a runner that takes v1 (v13.6.1 and before, RunnerContext.accepts);
// otherwise informational problems (no status), so people targeting older runners see what they need

// RunnerMetadataSchema for payload v1, as the runner had it before v14.0.0 (commit 037e039^).
const V1_FIELDS: FieldRow[] = [
  { name: 'jti', spec: uuid, required: true },
  { name: 'ru_ref', spec: nonEmpty, required: true },
  { name: 'collection_exercise_sid', spec: nonEmpty, required: true },
  { name: 'tx_id', spec: uuid, required: true },
  { name: 'response_id', spec: string, required: false },
  { name: 'account_service_url', spec: url, required: true },
  { name: 'case_id', spec: uuid, required: true },
  { name: 'account_service_log_out_url', spec: url, required: false },
  { name: 'roles', spec: { kind: 'string-list' }, required: false },
  { name: 'schema_url', spec: url, required: false },
  { name: 'language_code', spec: string, required: false },
  { name: 'channel', spec: nonEmpty, required: false },
  { name: 'case_type', spec: string, required: false },
  { name: 'response_expires_at', spec: { kind: 'iso_8601_date_string', future: true }, required: true },
  { name: 'schema_name', spec: string, required: false },
  { name: 'region_code', spec: { kind: 'string', regex: REGION }, required: false },
  { name: 'form_type', spec: string, required: false },
  { name: 'eq_id', spec: string, required: false },
];

/**
 * RunnerMetadataSchema for payload v1 (unknown claims excluded, strings stripped), with its schema
 * rules: schema_name or eq_id + form_type, and a response_id or the eq_id + form_type to build one.
 */
function v1Failures(
  raw: Record<string, unknown>,
  nowSeconds: number,
  required: (name: string) => string,
): Array<{ code: string; path: string; message: string }> {
  const claims = stripped(raw);
  const out = loadFields(V1_FIELDS, claims, nowSeconds, required);
  const byName = pyTruthy(claims.schema_name);
  const byIds = pyTruthy(claims.eq_id) && pyTruthy(claims.form_type);
  if (!byName && !byIds) out.push({ code: 'schema.none', path: '', message: 'either schema_name or both eq_id and form_type must be given' });
  if (!pyTruthy(claims.response_id) && !byIds) {
    out.push({
      code: 'response_id',
      path: 'response_id',
      message: 'without response_id the runner builds one from eq_id and form_type, so it needs those two',
    });
  }
  return out;
}

/** For a runner that refuses v1: what a runner before v14 would require, as notes without a status. */
function checkOlderRunnerV1(raw: Record<string, unknown>, nowSeconds: number): RuleProblem[] {
  const prefix = 'for runners before v14 (payload v1): ';
  return v1Failures(raw, nowSeconds, (n) => `${n} is required`).map((f) => problem(`v1.${f.code}`, f.path, prefix + f.message));
}

/** For a runner that accepts v1 (v13.6.1 and before): its runner claims, each refused with 403. */
function checkRunnerClaimsV1(raw: Record<string, unknown>, nowSeconds: number): RuleProblem[] {
  return v1Failures(raw, nowSeconds, (n) => `${n} is required by the runner`).map((f) => problem(`v1.${f.code}`, f.path, f.message, 403, 'runner-claims'));
}

// First-generation eq-survey-runner (seed 001's required list; seed 003's example carries iat/exp
// as strings, which that runner read, so only presence is checked for them). Seed 001 also lists
// questionnaire_id, but its own example omits it, so it is not required here.
const LEGACY_REQUIRED = [
  'tx_id',
  'iat',
  'exp',
  'user_id',
  'ru_ref',
  'eq_id',
  'collection_exercise_sid',
  'form_type',
  'period_id',
  'account_service_url',
  'response_id',
];
const LEGACY_DATES = ['ref_p_start_date', 'ref_p_end_date', 'return_by', 'complete_by', 'employment_date'];

function checkLegacy(claims: Record<string, unknown>): RuleProblem[] {
  const prefix = 'for the first-generation eq-survey-runner: ';
  const out: RuleProblem[] = [];
  for (const k of LEGACY_REQUIRED) {
    if (claims[k] === undefined) out.push(problem('legacy.required', k, `${prefix}${k} is required`));
  }
  if (claims.ru_name === undefined && claims.trad_as === undefined) {
    out.push(problem('legacy.ru-name-or-trad-as', 'ru_name', `${prefix}at least one of ru_name and trad_as must be present`));
  }
  for (const k of LEGACY_DATES) {
    const v = claims[k];
    if (v !== undefined && v !== '' && parseRunnerDate(v) === null) {
      out.push(problem('legacy.date', k, `${prefix}${k} must be a date written YYYY-MM-DD (or empty)`));
    }
  }
  if (claims.tx_id !== undefined && !isUuid(claims.tx_id)) out.push(problem('legacy.uuid', 'tx_id', `${prefix}tx_id must be a UUID`));
  return out;
}

// ---------------------------------------------------------------------------------------------

/**
 * Everything the current runner finds wrong with a /session launch, with status and stage, except
 * the 'schema' stage (needs the schema) and 'questionnaire-claims' (see metadata-rules.ts). For v1
 * and legacy tokens it adds status-less problems (codes "v1.*", "legacy.*") describing what older
 * runners would require.
 */
export function checkRunner(claims: unknown, ctx: RunnerContext): RuleProblem[] {
  if (!isPlainObject(claims)) {
    return [problem('token.not-object', '', 'the signed payload must be a JSON object of claims', 403, 'token')];
  }
  const version = classifyPayload(claims);
  const takesV1 = ctx.accepts?.versions.includes('v1') ?? false;
  const takesV2 = ctx.accepts?.versions.includes('v2') ?? true;
  const out = checkTokenClaims(claims);
  const refused = new Set(out.map((p) => p.path));
  if (!refused.has('exp')) out.push(...checkExp(claims.exp, ctx.nowSeconds));
  if (!refused.has('jti')) out.push(...checkJti(claims.jti, ctx));
  // A runner that takes v1 reads every token without a version as v1 claims (session.get_runner_claims):
  // a first-generation token too, which has no jti and so was refused above already.
  const readAsV1 = takesV1 && !pyTruthy(claims.version);
  if (readAsV1) {
    if (version === 'legacy') out.push(problem('version.legacy-removed', 'version', versionRefusalLegacyOnV1(), 403, 'runner-claims'));
    out.push(...checkRunnerClaimsV1(claims, ctx.nowSeconds));
  } else if (version === 'v2' && !takesV2) {
    out.push(problem('version.v2-unsupported', 'version', versionRefusal('v2', ctx.accepts), 403, 'runner-claims'));
  } else {
    out.push(...checkRunnerClaimsV2(claims, version, ctx.nowSeconds, ctx.accepts));
  }
  // The questionnaire claims are checked against survey_metadata.data before anything else reads
  // it: a questionnaire that requires metadata refuses the launch (403); one that requires none
  // gets as far as login()'s runner_claims["survey_metadata"]["data"], a KeyError (500). Every test
  // questionnaire requires some, so 403 is the answer when the schema is not known.
  // A v1 or legacy token never gets that far (it has no version), so saying so would be noise.
  if (claims.survey_metadata === undefined && version !== 'v1' && version !== 'legacy' && !readAsV1 && takesV2) {
    out.push(
      ctx.metadataRequired === false
        ? problem(
            'survey_metadata.absent',
            'survey_metadata',
            'survey_metadata is missing; this questionnaire requires no metadata, so the runner gets past its checks and fails with 500',
            500,
            'survey-metadata',
          )
        : problem(
            'survey_metadata.absent',
            'survey_metadata',
            `survey_metadata is missing; the runner refuses the launch (403) when the questionnaire requires any metadata${ctx.metadataRequired ? ', as this one does' : ', as every test questionnaire does (500 only for one that requires none)'}`,
            403,
            'survey-metadata',
          ),
    );
  }
  if (version === 'v1' && !takesV1) out.push(...checkOlderRunnerV1(claims, ctx.nowSeconds));
  if (version === 'legacy') out.push(...checkLegacy(claims));
  return out;
}

/** A first-generation token on a runner that takes v1: it lacks what v1 needs. */
function versionRefusalLegacyOnV1(): string {
  return 'this is a first-generation eq-survey-runner launch token: this runner takes v1 tokens, but a first-generation token has none of the jti, case_id and response_expires_at v1 requires';
}
