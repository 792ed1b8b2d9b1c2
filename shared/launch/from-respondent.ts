// A respondent's launch again, from what they left behind: their downstream payload (a runner log
// line, a JWE, plain JSON) or their launch claims (a token or launch URL on Inspect, a history
// entry). Support staff use it to see what one respondent saw, so it keeps what shaped the
// questionnaire (schema, metadata, language, region, channel, case and collection exercise) and
// makes fresh what the runner would refuse twice or that has run out (jti, tx_id, the times). The
// response_id is new too: the runner keys a respondent's stored answers by it, and a relaunch with
// theirs opens those answers, where any page submitted changes them.
import { classifyPayload } from '../claims/classify';
import { isPlainObject } from '../claims/formats';
import { classifyDownstream } from '../downstream/classify';
import { ConsoleError } from '../errors';
import type { LaunchPayload, SchemaSummary } from '../launch-types';
import { BUSINESS_METADATA } from '../spec/definitions';
import { DEFAULT_ACCOUNT_SERVICE_URL, DEFAULT_LIFETIME_SECONDS, defaultReceiptingKeys, defaultResponseExpiry, newResponseId, refreshIds } from './build';
import { metadataDefaults } from './defaults';
import { asMetadataField, metadataFieldsFor, metadataPath } from './fields';
import { randomUuid } from './random';
import { schemaNameOf, type SchemaSelection } from './selection';

/** Said wherever a relaunch takes the respondent's own response_id (the UI's checkbox, `launch --reuse-response-id`). */
export const REUSE_WARNING = "the runner will open the respondent's stored answers; a launch can change them";

/** What a downstream payload says of the launch that made it. */
export interface LaunchFacts {
  case_id?: string;
  collection_exercise_sid?: string;
  language_code?: string;
  region_code?: string;
  channel?: string;
}

export type Respondent =
  | {
      from: 'payload';
      payload: 'v2' | 'v1';
      /** Undefined when the payload names no schema (v1's collection.schema_name is optional). */
      selection?: SchemaSelection;
      /** The payload's metadata as the launch would carry it (v1 names mapped back), with what the runner added still in. */
      metadata: Record<string, unknown>;
      launch: LaunchFacts;
    }
  | {
      from: 'token';
      payload: LaunchPayload;
      selection?: SchemaSelection;
      /** The respondent's launch claims; a relaunch keeps every one it does not make fresh. */
      claims: Record<string, unknown>;
    };

export interface RelaunchOptions {
  nowSeconds: number;
  /** exp - iat of the relaunch; the builder's default when not given (a respondent's token has often run out). */
  lifetimeSeconds?: number;
  /** The schema the relaunch loads, when known: it tells which survey_id the runner added, and what metadata it requires. */
  schema?: SchemaSummary;
  /** Another schema in place of the respondent's (the command line's --schema-name on top of --from-payload). */
  selection?: SchemaSelection;
  /** Take the respondent's own response_id: the runner then opens their stored answers (REUSE_WARNING). */
  reuseResponseId?: boolean;
  /** A payload does not carry it; DEFAULT_ACCOUNT_SERVICE_URL unless given. */
  account_service_url?: string;
}

export interface RespondentRelaunch {
  payload: LaunchPayload;
  claims: Record<string, unknown>;
  /** The respondent's own response_id, when what they left carries it (claims do, payloads do not). */
  respondentResponseId?: string;
  /** The response_id made for this relaunch; the claims carry it unless the respondent's is reused. */
  freshResponseId: string;
  reused: boolean;
  /** What the relaunch did that the user should know: values it left out, or made up because the source lacked them. */
  notes: string[];
  /** REUSE_WARNING when the respondent's response_id is reused. */
  warning?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

function refuse(message: string): never {
  throw new ConsoleError('bad-input', message);
}

/** How the payload (v2) or its collection (v1) names the questionnaire. */
function payloadSelection(named: Record<string, unknown>, nameKey: string): SchemaSelection | undefined {
  const name = text(named[nameKey]);
  if (name) return { schema_name: name };
  const url = text(named.schema_url);
  if (url) return { schema_url: url };
  const cir = text(named.cir_instrument_id);
  return cir ? { cir_instrument_id: cir } : undefined;
}

function launchFacts(payload: Record<string, unknown>, collectionExerciseSid: unknown): LaunchFacts {
  const facts: LaunchFacts = {};
  const put = (key: keyof LaunchFacts, value: unknown) => {
    const t = text(value);
    if (t !== undefined) facts[key] = t;
  };
  put('case_id', payload.case_id);
  put('collection_exercise_sid', collectionExerciseSid);
  put('language_code', payload.launch_language_code);
  put('region_code', payload.region_code);
  put('channel', payload.channel);
  return facts;
}

// The v1 runner renames two claims on the way downstream and moves others out of metadata
// (runner v13 converter.py: build_collection, build_metadata, get_optional_payload_properties).
const V1_METADATA: readonly [claim: string, read: (p: Record<string, unknown>, c: Record<string, unknown>, m: Record<string, unknown>) => unknown][] = [
  ['user_id', (_p, _c, m) => m.user_id],
  ['ru_ref', (_p, _c, m) => m.ru_ref],
  ['period_id', (_p, c) => c.period],
  ['form_type', (p, c) => c.instrument_id ?? p.form_type],
  ['ref_p_start_date', (_p, _c, m) => m.ref_period_start_date],
  ['ref_p_end_date', (_p, _c, m) => m.ref_period_end_date],
  ['display_address', (_p, _c, m) => m.display_address],
  ['case_type', (p) => p.case_type],
  ['case_ref', (p) => p.case_ref],
];

/**
 * The respondent's launch as a downstream payload (v2 or v1, decrypted) tells it. Throws, saying
 * why, for anything that is not a payload a launch made.
 */
export function respondentFromPayload(payload: unknown): Respondent {
  const { payloadVersion } = classifyDownstream(payload);
  if (!isPlainObject(payload) || payloadVersion === 'unknown') {
    refuse('This is not a downstream payload of version v2 or v1, so there is no respondent launch to read from it.');
  }
  if (payloadVersion === 'v2') {
    if (!isPlainObject(payload.survey_metadata)) refuse('The payload has no survey_metadata object, so the respondent’s metadata cannot be read from it.');
    return {
      from: 'payload',
      payload: 'v2',
      selection: payloadSelection(payload, 'schema_name'),
      metadata: { ...payload.survey_metadata },
      launch: launchFacts(payload, payload.collection_exercise_sid),
    };
  }
  const collection = payload.collection as Record<string, unknown>;
  const meta = isPlainObject(payload.metadata) ? payload.metadata : {};
  const metadata: Record<string, unknown> = {};
  for (const [claim, read] of V1_METADATA) {
    const value = read(payload, collection, meta);
    if (value !== undefined && value !== null) metadata[claim] = value;
  }
  return {
    from: 'payload',
    payload: 'v1',
    selection: payloadSelection(collection, 'schema_name'),
    metadata,
    launch: launchFacts(payload, collection.exercise_sid),
  };
}

/** The respondent's launch as its claims tell it (an opened token, a history entry). Throws for claims no relaunch can come from. */
export function respondentFromClaims(claims: unknown): Respondent {
  const kind = classifyPayload(claims);
  if (!isPlainObject(claims) || kind === 'unknown')
    refuse('These claims are not a launch of a known format (v2, v1 or first generation), so they cannot be relaunched.');
  if (kind === 'flush') refuse('This is a flush token: it names no questionnaire, so there is no launch to relaunch.');
  const selection: SchemaSelection | undefined =
    text(claims.schema_url) !== undefined
      ? { schema_url: String(claims.schema_url) }
      : text(claims.cir_instrument_id) !== undefined
        ? { cir_instrument_id: String(claims.cir_instrument_id) }
        : schemaNameOf(claims) !== undefined
          ? { schema_name: schemaNameOf(claims)! }
          : undefined;
  return { from: 'token', payload: kind, selection, claims: structuredClone(claims) };
}

// The spec's business shape requires survey_id beside these (launch_v2.json business_metadata).
const BUSINESS_REST = BUSINESS_METADATA.required.filter((k) => k !== 'survey_id');

/**
 * The keys of the payload's survey_metadata the runner put there itself: survey_id, which it
 * takes from the schema and which the launch's own data then overrides (runner converter_v2.py).
 * It is the launch's own where the schema asks the launch for it, where it is not the schema's,
 * where it is all the metadata there is, or where the rest of the spec's business shape is there
 * (a launch of that shape must carry it); otherwise, and without a schema to compare, the runner's.
 */
export function runnerAddedMetadata(metadata: Record<string, unknown>, schema?: SchemaSummary): string[] {
  if (metadata.survey_id === undefined || Object.keys(metadata).length === 1) return [];
  if (schema?.metadata.some((f) => f.name === 'survey_id')) return [];
  if (schema?.surveyId !== undefined && String(metadata.survey_id) !== schema.surveyId) return [];
  if (BUSINESS_REST.every((k) => metadata[k] !== undefined)) return [];
  return ['survey_id'];
}

const SELECTION_CLAIMS = ['schema_name', 'schema_url', 'cir_instrument_id', 'eq_id', 'survey_url'];

function fromPayload(
  r: Extract<Respondent, { from: 'payload' }>,
  selection: SchemaSelection,
  options: RelaunchOptions,
  notes: string[],
): Record<string, unknown> {
  const data = { ...r.metadata };
  for (const key of runnerAddedMetadata(data, options.schema)) {
    notes.push(`survey_metadata.${key} (${JSON.stringify(data[key])}) is left out: the runner adds the schema's own to every payload.`);
    delete data[key];
  }
  // A v1 payload drops what the runner does not send on (ru_name, trad_as, period_str …); a
  // schema that requires one still gets it, with a made-up value the user can see.
  const missing = metadataFieldsFor(options.schema, r.payload).filter((f) => !f.optional && data[f.name] === undefined);
  if (missing.length) {
    const made = metadataDefaults(missing.map(asMetadataField), {
      nowSeconds: options.nowSeconds,
      theme: options.schema?.theme,
      surveyId: options.schema?.surveyId,
    });
    Object.assign(data, made);
    notes.push(`Not in the payload, so made up: ${missing.map((f) => metadataPath(f.name, r.payload)).join(', ')}.`);
  }
  const fresh = (key: 'case_id' | 'collection_exercise_sid') => {
    if (r.launch[key] !== undefined) return r.launch[key];
    notes.push(`The payload has no ${key}: a new one is given.`);
    return randomUuid();
  };
  const now = Math.floor(options.nowSeconds);
  const launch: Record<string, unknown> = {
    ...(r.payload === 'v2' ? { version: 'v2' } : {}),
    ...selection,
    ...(r.launch.language_code !== undefined ? { language_code: r.launch.language_code } : {}),
    jti: randomUuid(),
    tx_id: randomUuid(),
    iat: now,
    exp: now + (options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS),
    case_id: fresh('case_id'),
    collection_exercise_sid: fresh('collection_exercise_sid'),
    response_id: '',
    response_expires_at: defaultResponseExpiry(now),
    account_service_url: options.account_service_url ?? DEFAULT_ACCOUNT_SERVICE_URL,
    ...(r.launch.region_code !== undefined ? { region_code: r.launch.region_code } : {}),
    ...(r.launch.channel !== undefined ? { channel: r.launch.channel } : {}),
  };
  if (r.payload === 'v1') return { ...data, ...launch };
  // The payload does not say which keys were receipted; the launcher's default for the theme, as far as the data has them.
  const receipting = defaultReceiptingKeys(options.schema)?.filter((k) => Object.prototype.hasOwnProperty.call(data, k));
  return { ...launch, survey_metadata: { data, ...(receipting?.length ? { receipting_keys: receipting } : {}) } };
}

function fromClaims(r: Extract<Respondent, { from: 'token' }>, selection: SchemaSelection | undefined, options: RelaunchOptions): Record<string, unknown> {
  const claims = refreshIds(r.claims, { nowSeconds: options.nowSeconds, lifetimeSeconds: options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS });
  if (claims.response_expires_at !== undefined) claims.response_expires_at = defaultResponseExpiry(Math.floor(options.nowSeconds));
  if (!selection || !options.selection) return claims;
  for (const key of SELECTION_CLAIMS) delete claims[key];
  return { ...selection, ...claims };
}

/**
 * Claims for launching as the respondent again: the same schema, metadata (survey_metadata.data
 * without what the runner adds; v1 payloads give v1 claims), language, region, channel, case_id and
 * collection_exercise_sid; fresh jti, tx_id, iat, exp and response_expires_at; and a new
 * response_id unless reuseResponseId (then `warning`). A token's other claims are kept as they
 * were. Throws when there is no schema to name or no response_id to reuse.
 */
export function relaunchClaims(respondent: Respondent, options: RelaunchOptions): RespondentRelaunch {
  const selection = options.selection ?? respondent.selection;
  const source = respondent.from === 'payload' ? 'payload' : 'token';
  if (!selection && respondent.from === 'payload')
    refuse(`The ${source} names no questionnaire schema, so there is nothing to relaunch; name one (--schema-name).`);
  const respondentResponseId = respondent.from === 'token' ? text(respondent.claims.response_id) : undefined;
  if (options.reuseResponseId && respondentResponseId === undefined) {
    refuse(
      respondent.from === 'payload'
        ? "A downstream payload does not carry the respondent's response_id, so there is none to reuse."
        : 'These claims have no response_id to reuse.',
    );
  }
  const notes: string[] = [];
  const built = respondent.from === 'payload' ? fromPayload(respondent, selection!, options, notes) : fromClaims(respondent, selection, options);
  const freshResponseId = newResponseId();
  const reused = Boolean(options.reuseResponseId);
  // A first-generation launch without a response_id stays without one; every other gets one.
  if (respondent.from === 'payload' || built.response_id !== undefined) built.response_id = reused ? respondentResponseId : freshResponseId;
  return {
    payload: respondent.payload,
    claims: built,
    ...(respondentResponseId !== undefined ? { respondentResponseId } : {}),
    freshResponseId,
    reused,
    notes,
    ...(reused ? { warning: `Reusing the respondent's response_id ${respondentResponseId}: ${REUSE_WARNING}.` } : {}),
  };
}

/** The claims with the respondent's response_id, or the relaunch's own fresh one: the UI's reuse checkbox. */
export function withResponseId(
  claims: Record<string, unknown>,
  relaunch: Pick<RespondentRelaunch, 'respondentResponseId' | 'freshResponseId'>,
  reuse: boolean,
) {
  const id = reuse ? relaunch.respondentResponseId : relaunch.freshResponseId;
  return id === undefined ? claims : { ...claims, response_id: id };
}
