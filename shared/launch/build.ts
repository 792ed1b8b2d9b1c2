// Complete launch claims for a schema: every claim the chosen format needs, fresh ids and
// times, and the schema's required metadata with typed defaults. Pure, so the renderer's form,
// the services and the CLI build identical claims.
import { isPlainObject, isRunnerFuture, parseRunnerDateTime } from '../claims/formats';
import type { LaunchPayload, SchemaSummary } from '../launch-types';
import { metadataDefaults, themeGroup } from './defaults';
import { asMetadataField, metadataFieldsFor } from './fields';
import { isoDateTime, randomDigits, randomUuid } from './random';

/** How the claims name their questionnaire. eq_id + form_type is the v1/first-generation way. */
export type SchemaSelection =
  | { schema_name: string }
  | { schema_url: string }
  | { cir_instrument_id: string }
  | { eq_id: string; form_type: string };

export interface NewClaimsOptions {
  payload: LaunchPayload;
  schema?: SchemaSummary;
  /** Defaults to the schema: its schemaUrl when it has one (URL sources, previews), else its name. */
  selection?: SchemaSelection;
  nowSeconds: number;
  /** exp - iat; the runner itself sets no maximum. */
  lifetimeSeconds?: number;
  /** Defaults to the schema's language, else "en". */
  language_code?: string;
  region_code?: string;
  channel?: string;
  roles?: string[];
  /** v2 only. Defaults to ["qid"] for social and health schemas, as the launcher does. */
  receipting_keys?: string[];
  account_service_url?: string;
}

export const DEFAULT_LIFETIME_SECONDS = 3600;
/** How long the runner may keep an unsubmitted response: a week, as the launcher gives. */
export const RESPONSE_LIFETIME_SECONDS = 7 * 24 * 3600;
// Not the launcher's http://launcher:8000: the runner refuses single-label hosts.
export const DEFAULT_ACCOUNT_SERVICE_URL = 'http://localhost:8000';

/** The launcher's response_id: 16 random digits. */
export function newResponseId(): string {
  return randomDigits(16);
}

function resolveSelection(options: NewClaimsOptions): SchemaSelection {
  if (options.selection) return options.selection;
  if (options.schema?.schemaUrl) return { schema_url: options.schema.schemaUrl };
  if (options.schema?.name) return { schema_name: options.schema.name };
  throw new Error('newClaims needs a schema or a selection (schema_name, schema_url, cir_instrument_id or eq_id + form_type)');
}

/** eq_id and form_type from a schema name, the inverse of the v1 runner's "<eq_id>_<form_type>". */
export function splitSchemaName(name: string, fallbackFormType = '0001'): { eq_id: string; form_type: string } {
  const i = name.indexOf('_');
  return i > 0 ? { eq_id: name.slice(0, i), form_type: name.slice(i + 1) } : { eq_id: name, form_type: fallbackFormType };
}

/** The file name of a schema URL without .json, as the launcher names URL schemas. */
function nameFromUrl(url: string): string {
  const file = url.split(/[?#]/)[0]!.split('/').filter(Boolean).pop() ?? url;
  return file.replace(/\.json$/i, '');
}

/** Selection claims for a format: v2 has no eq_id, first-generation runners know only eq_id + form_type. */
function selectionClaims(selection: SchemaSelection, payload: LaunchPayload, schema?: SchemaSummary): Record<string, unknown> {
  if ('eq_id' in selection) {
    return payload === 'v2' ? { schema_name: `${selection.eq_id}_${selection.form_type}` } : { eq_id: selection.eq_id, form_type: selection.form_type };
  }
  if (payload !== 'legacy') return { ...selection };
  if ('schema_name' in selection) return splitSchemaName(selection.schema_name, schema?.formType);
  if ('schema_url' in selection) return { ...splitSchemaName(schema?.name ?? nameFromUrl(selection.schema_url), schema?.formType), survey_url: selection.schema_url };
  return { ...(schema ? splitSchemaName(schema.name, schema.formType) : {}), cir_instrument_id: selection.cir_instrument_id };
}

function optionalClaims(options: NewClaimsOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (options.region_code !== undefined) out.region_code = options.region_code;
  if (options.channel !== undefined) out.channel = options.channel;
  if (options.roles !== undefined) out.roles = [...options.roles];
  return out;
}

/** The metadata a new launch fills: what the schema requires, and what the format or theme expects. */
function defaultMetadata(options: NewClaimsOptions): Record<string, unknown> {
  const fields = metadataFieldsFor(options.schema, options.payload).filter((f) => f.prefilled);
  return metadataDefaults(fields.map(asMetadataField), {
    theme: options.schema?.theme,
    surveyId: options.schema?.surveyId,
    formType: options.schema?.formType,
    nowSeconds: options.nowSeconds,
  });
}

export function newClaims(options: NewClaimsOptions): Record<string, unknown> {
  const now = Math.floor(options.nowSeconds);
  const lifetime = options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  const selection = selectionClaims(resolveSelection(options), options.payload, options.schema);
  const language_code = options.language_code ?? options.schema?.language ?? 'en';
  const account_service_url = options.account_service_url ?? DEFAULT_ACCOUNT_SERVICE_URL;
  const metadata = defaultMetadata(options);
  const ids = { tx_id: randomUuid(), iat: now, exp: now + lifetime };
  const response = {
    case_id: randomUuid(),
    collection_exercise_sid: randomUuid(),
    response_id: newResponseId(),
  };
  const response_expires_at = isoDateTime(now + RESPONSE_LIFETIME_SECONDS);

  if (options.payload === 'v2') {
    const survey_metadata: Record<string, unknown> = { data: metadata };
    const receipting = options.receipting_keys ?? (themeGroup(options.schema?.theme) === 'social' ? ['qid'] : undefined);
    if (receipting) survey_metadata.receipting_keys = [...receipting];
    return {
      version: 'v2',
      ...selection,
      language_code,
      jti: randomUuid(),
      ...ids,
      ...response,
      response_expires_at,
      account_service_url,
      ...optionalClaims(options),
      survey_metadata,
    };
  }
  if (options.payload === 'v1') {
    return {
      ...metadata,
      ...selection,
      language_code,
      jti: randomUuid(),
      ...ids,
      ...response,
      response_expires_at,
      account_service_url,
      ...optionalClaims(options),
    };
  }
  // First generation (seeds 001, 003): no jti, no version, no response_expires_at. A jti would
  // also make the claims read as v1.
  return {
    ...metadata,
    ...selection,
    language_code,
    ...ids,
    ...response,
    account_service_url,
    ...optionalClaims(options),
  };
}

// ---------------------------------------------------------------------------------------------
// Relaunch

export interface RefreshOptions {
  nowSeconds: number;
  /** Defaults to the claims' own exp - iat when that is positive. */
  lifetimeSeconds?: number;
  /** A new response as well: fresh response_id, case_id and response_expires_at. */
  newResponse?: boolean;
}

const asNumber = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\s*[0-9]+\s*$/.test(v) ? Number(v) : undefined;

/**
 * The same launch again: fresh jti (when the claims have one), tx_id, iat and exp; everything else
 * as it was. A response_expires_at that has passed is moved a week ahead, since the runner would
 * refuse it. iat/exp keep their JSON type (first-generation tokens may carry strings).
 */
export function refreshIds(claims: Record<string, unknown>, options: RefreshOptions): Record<string, unknown> {
  const out = structuredClone(claims);
  const now = Math.floor(options.nowSeconds);
  const iat = asNumber(claims.iat);
  const exp = asNumber(claims.exp);
  const ownLifetime = iat !== undefined && exp !== undefined && exp > iat ? exp - iat : undefined;
  const lifetime = options.lifetimeSeconds ?? ownLifetime ?? DEFAULT_LIFETIME_SECONDS;
  const sameType = (old: unknown, value: number) => (typeof old === 'string' ? String(value) : value);

  if (claims.jti !== undefined) out.jti = randomUuid();
  out.tx_id = randomUuid();
  out.iat = sameType(claims.iat, now);
  out.exp = sameType(claims.exp, now + lifetime);

  const expiry = parseRunnerDateTime(typeof claims.response_expires_at === 'string' ? claims.response_expires_at.trim() : undefined);
  if (options.newResponse) {
    out.response_id = newResponseId();
    out.case_id = randomUuid();
    if (claims.response_expires_at !== undefined) out.response_expires_at = isoDateTime(now + RESPONSE_LIFETIME_SECONDS);
  } else if (expiry && !isRunnerFuture(expiry, now + 60)) {
    out.response_expires_at = isoDateTime(now + RESPONSE_LIFETIME_SECONDS);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Converting between formats

// Claims that are about the launch, not the questionnaire: they stay at the top level in every
// format. Everything else at the top of a v1 or first-generation token is questionnaire metadata,
// which v2 keeps in survey_metadata.data.
const RUNNER_CLAIMS = new Set([
  'jti',
  'tx_id',
  'iat',
  'exp',
  'nbf',
  'iss',
  'sub',
  'aud',
  'version',
  'case_id',
  'collection_exercise_sid',
  'response_id',
  'response_expires_at',
  'account_service_url',
  'account_service_log_out_url',
  'schema_name',
  'schema_url',
  'survey_url',
  'cir_instrument_id',
  'eq_id',
  'questionnaire_id',
  'survey',
  'language_code',
  'channel',
  'region_code',
  'roles',
  'survey_metadata',
]);

function formatOf(claims: Record<string, unknown>): LaunchPayload {
  if (claims.version !== undefined || isPlainObject(claims.survey_metadata)) return 'v2';
  return claims.jti !== undefined ? 'v1' : 'legacy';
}

export interface ConvertOptions {
  /** For values that have to be made (a jti, a response_expires_at). Defaults to the clock. */
  nowSeconds?: number;
}

/**
 * The same launch in another format: metadata moves between survey_metadata.data (v2) and the
 * top level (v1, first generation), version and jti come and go, and the schema selection is
 * translated (eq_id + form_type ⇄ schema_name, survey_url ⇄ schema_url). Claims the target
 * format requires and the source lacks are filled with fresh values or defaults; nothing present
 * is overwritten, so v2 → v1 → v2 gives back the same claims. receipting_keys has no place
 * outside v2 and is dropped.
 */
export function convertClaims(claims: Record<string, unknown>, to: LaunchPayload, options: ConvertOptions = {}): Record<string, unknown> {
  const now = Math.floor(options.nowSeconds ?? Date.now() / 1000);
  const from = formatOf(claims);
  const top: Record<string, unknown> = {};
  let meta: Record<string, unknown> = {};
  let receipting: unknown;
  for (const [k, v] of Object.entries(structuredClone(claims))) {
    if (k === 'survey_metadata' && isPlainObject(v)) {
      if (isPlainObject(v.data)) meta = { ...meta, ...v.data };
      receipting = v.receipting_keys;
    } else if (from === 'v2' || RUNNER_CLAIMS.has(k)) {
      top[k] = v;
    } else {
      meta[k] = v;
    }
  }
  delete top.version;
  if (to !== 'legacy') {
    for (const k of ['iat', 'exp']) if (typeof top[k] === 'string' && asNumber(top[k]) !== undefined) top[k] = asNumber(top[k]);
  }
  const fill = (target: Record<string, unknown>, k: string, make: () => unknown) => {
    if (target[k] === undefined) target[k] = make();
  };
  const fillLaunch = (target: Record<string, unknown>) => {
    fill(target, 'tx_id', randomUuid);
    fill(target, 'iat', () => now);
    fill(target, 'exp', () => now + DEFAULT_LIFETIME_SECONDS);
    fill(target, 'case_id', randomUuid);
    fill(target, 'collection_exercise_sid', randomUuid);
    fill(target, 'response_id', newResponseId);
    fill(target, 'account_service_url', () => DEFAULT_ACCOUNT_SERVICE_URL);
  };
  const hasSelector = (c: Record<string, unknown>) => c.schema_name !== undefined || c.schema_url !== undefined || c.cir_instrument_id !== undefined;
  const fillMetadata = (target: Record<string, unknown>, payload: LaunchPayload) => {
    const missing = metadataFieldsFor(undefined, payload).filter((f) => !f.optional && target[f.name] === undefined);
    const values = metadataDefaults(missing.map(asMetadataField), { nowSeconds: now });
    for (const f of missing) target[f.name] = values[f.name];
  };

  if (to === 'v2') {
    if (!hasSelector(top)) {
      const formType = meta.form_type ?? top.form_type;
      if (top.survey_url !== undefined) top.schema_url = top.survey_url;
      else if (top.eq_id !== undefined && formType !== undefined) top.schema_name = `${String(top.eq_id)}_${String(formType)}`;
    }
    if (top.schema_url !== undefined && top.survey_url === top.schema_url) delete top.survey_url;
    delete top.eq_id;
    fill(top, 'jti', randomUuid);
    fillLaunch(top);
    fill(top, 'response_expires_at', () => isoDateTime(now + RESPONSE_LIFETIME_SECONDS));
    const survey_metadata: Record<string, unknown> = { data: meta };
    if (receipting !== undefined) survey_metadata.receipting_keys = receipting;
    return { version: 'v2', ...top, survey_metadata };
  }

  // Flat formats: metadata beside the runner's claims; the runner's claims win a clash.
  const flat: Record<string, unknown> = { ...meta, ...top };
  if (to === 'v1') {
    fill(flat, 'jti', randomUuid);
    fillLaunch(flat);
    fill(flat, 'response_expires_at', () => isoDateTime(now + RESPONSE_LIFETIME_SECONDS));
    fillMetadata(flat, 'v1');
    return flat;
  }
  delete flat.jti;
  if (typeof flat.schema_name === 'string') {
    Object.assign(flat, splitSchemaName(flat.schema_name, typeof flat.form_type === 'string' ? flat.form_type : undefined));
    delete flat.schema_name;
  } else if (typeof flat.schema_url === 'string') {
    if (flat.eq_id === undefined) Object.assign(flat, splitSchemaName(nameFromUrl(flat.schema_url)));
    flat.survey_url = flat.schema_url;
    delete flat.schema_url;
  }
  fillLaunch(flat);
  fillMetadata(flat, 'legacy');
  return flat;
}
