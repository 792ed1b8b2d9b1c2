// Complete launch claims for a schema: every claim the chosen format needs, fresh ids and
// times, and the schema's required metadata with typed defaults. Pure, so the renderer's form,
// the services and the CLI build identical claims.
import { isPlainObject, isRunnerFuture, parseRunnerDateTime } from '../claims/formats';
import type { LaunchPayload, SchemaSummary } from '../launch-types';
import { metadataDefaults, themeGroup } from './defaults';
import { asMetadataField, metadataFieldsFor } from './fields';
import { v1FormType } from './form-type';
import { isoDateTime, randomDigits, randomUuid } from './random';
import { RUNNER_CLAIMS } from './claim-names';
import { deepMerge, setAt } from './paths';
import { schemaNameFromUrl, schemaNameOf, splitSchemaName, type SchemaSelection } from './selection';
import { textClaimPaths, typedClaimValue } from './set-value';

export type { SchemaSelection } from './selection';

export interface NewClaimsOptions {
  payload: LaunchPayload;
  schema?: SchemaSummary;
  /**
   * Defaults to the schema: its schemaUrl when it has one (URL sources, previews), else its name.
   * v1 has no way to give a URL, so there the schema's name is used; first generation gives it as
   * survey_url beside eq_id + form_type.
   */
  selection?: SchemaSelection;
  nowSeconds: number;
  /** exp - iat; the runner itself sets no maximum. */
  lifetimeSeconds?: number;
  /** Defaults to defaultLanguage(schema). */
  language_code?: string;
  region_code?: string;
  channel?: string;
  roles?: string[];
  /**
   * v2 only. Only the keys the new survey_metadata.data holds are kept; when none is left,
   * defaultReceiptingKeys(schema) applies.
   */
  receipting_keys?: string[];
  account_service_url?: string;
}

export const DEFAULT_LIFETIME_SECONDS = 3600;
/** How long the runner may keep an unsubmitted response: a week, as the launcher gives. */
export const RESPONSE_LIFETIME_SECONDS = 7 * 24 * 3600;
// Not the launcher's http://launcher:8000: the runner refuses single-label hosts.
export const DEFAULT_ACCOUNT_SERVICE_URL = 'http://localhost:8000';

/** A new launch's response_expires_at: a week from now, as the launcher gives. */
export function defaultResponseExpiry(nowSeconds: number): string {
  return isoDateTime(Math.floor(nowSeconds) + RESPONSE_LIFETIME_SECONDS);
}

/** The launcher's response_id: 16 random digits. */
export function newResponseId(): string {
  return randomDigits(16);
}

/** The language a new launch of the schema gets: its own (folder catalogues know cy, ga …), else en. */
export function defaultLanguage(schema?: SchemaSummary): string {
  return schema?.language ?? 'en';
}

/** The receipting keys a new v2 launch of the schema gets: qid for social and health schemas, as the launcher does. */
export function defaultReceiptingKeys(schema?: SchemaSummary): string[] | undefined {
  return themeGroup(schema?.theme) === 'social' ? ['qid'] : undefined;
}

function resolveSelection(options: NewClaimsOptions): SchemaSelection {
  if (options.selection) return options.selection;
  if (options.schema?.schemaUrl) return { schema_url: options.schema.schemaUrl };
  if (options.schema?.name) return { schema_name: options.schema.name };
  throw new Error('newClaims needs a schema or a selection (schema_name, schema_url, cir_instrument_id or eq_id + form_type)');
}

/**
 * Selection claims for a format. v2 has no eq_id; v1 runners know only schema_name and
 * eq_id + form_type; first-generation ones only eq_id + form_type, with survey_url (seed 001)
 * when the schema lives at a URL.
 */
function selectionClaims(selection: SchemaSelection, payload: LaunchPayload, schema?: SchemaSummary): Record<string, unknown> {
  if ('eq_id' in selection) {
    return payload === 'v2' ? { schema_name: schemaNameOf(selection) ?? '' } : { eq_id: selection.eq_id, form_type: selection.form_type };
  }
  if (payload === 'v2') return { ...selection };
  if ('schema_name' in selection) {
    return payload === 'v1' ? { schema_name: selection.schema_name } : splitSchemaName(selection.schema_name, schema?.formType);
  }
  const name = schema?.name ?? ('schema_url' in selection ? schemaNameFromUrl(selection.schema_url) : undefined);
  const named = name === undefined ? {} : payload === 'v1' ? { schema_name: name } : splitSchemaName(name, schema?.formType);
  if ('cir_instrument_id' in selection) return { ...named, cir_instrument_id: selection.cir_instrument_id };
  // A v1 schema_url selects nothing (v1.schema.none), so v1 can only name the schema and hope
  // the runner has one of that name: the launch form says so.
  return payload === 'legacy' ? { ...named, survey_url: selection.schema_url } : named;
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

// Keys carried over from another schema's claims may name data this schema lacks, and the runner
// refuses a receipting key missing from survey_metadata.data (403).
function receiptingKeys(options: NewClaimsOptions, data: Record<string, unknown>): string[] | undefined {
  const kept = options.receipting_keys?.filter((k) => Object.prototype.hasOwnProperty.call(data, k));
  return kept?.length ? kept : defaultReceiptingKeys(options.schema);
}

export function newClaims(options: NewClaimsOptions): Record<string, unknown> {
  const now = Math.floor(options.nowSeconds);
  const lifetime = options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  const firstGeneration = options.payload === 'legacy';
  const metadata = defaultMetadata(options);
  // First generation (seeds 001, 003) has no jti and no response_expires_at; a jti would also
  // make the claims read as v1. Otherwise v1 and v2 differ only in where the metadata goes.
  const selection = selectionClaims(resolveSelection(options), options.payload, options.schema);
  // v1's form_type becomes the downstream payload's collection.instrument_id: filled where the
  // schema tells it (form-type.ts), else left for the user, and the verdict says what is missing.
  if (options.payload === 'v1' && metadata.form_type === undefined && selection.form_type === undefined) {
    const formType = v1FormType(options.schema, schemaNameOf(selection));
    if (formType !== undefined) metadata.form_type = formType;
  }
  const launch = {
    ...selection,
    language_code: options.language_code ?? defaultLanguage(options.schema),
    ...(firstGeneration ? {} : { jti: randomUuid() }),
    tx_id: randomUuid(),
    iat: now,
    exp: now + lifetime,
    case_id: randomUuid(),
    collection_exercise_sid: randomUuid(),
    response_id: newResponseId(),
    ...(firstGeneration ? {} : { response_expires_at: defaultResponseExpiry(now) }),
    account_service_url: options.account_service_url ?? DEFAULT_ACCOUNT_SERVICE_URL,
    ...optionalClaims(options),
  };
  if (options.payload !== 'v2') return { ...metadata, ...launch };
  const survey_metadata: Record<string, unknown> = { data: metadata };
  const receipting = receiptingKeys(options, metadata);
  if (receipting) survey_metadata.receipting_keys = [...receipting];
  return { version: 'v2', ...launch, survey_metadata };
}

/** What the user asked for on top of the built claims (the command line's --claims, --set, --role). */
export interface ClaimEdits {
  /** Claims merged in, objects deeply. */
  overlay?: Record<string, unknown>;
  /** dotted.path = text: JSON when it parses, but text where the runner reads a string (set-value.ts). */
  sets?: readonly { path: string; raw: string }[];
  /** Roles added to those the claims have. */
  roles?: readonly string[];
}

/**
 * The one way a launch's claims are built, for the Launch screen and `launch` alike: complete
 * claims for the schema (newClaims), then the user's edits.
 */
export function buildLaunchClaims(options: NewClaimsOptions, edits: ClaimEdits = {}): Record<string, unknown> {
  return applyClaimEdits(newClaims(options), edits, options.payload, options.schema);
}

/** The user's edits on claims built some other way (a respondent's relaunch), typed as buildLaunchClaims types them. */
export function applyClaimEdits(built: Record<string, unknown>, edits: ClaimEdits, payload: LaunchPayload, schema?: SchemaSummary): Record<string, unknown> {
  let claims = built;
  if (edits.overlay) claims = deepMerge(claims, edits.overlay);
  if (edits.sets?.length) {
    const textPaths = textClaimPaths(payload, schema);
    for (const { path, raw } of edits.sets) claims = setAt(claims, path, typedClaimValue(path, raw, textPaths));
  }
  if (edits.roles?.length) {
    const had = Array.isArray(claims.roles) ? claims.roles : [];
    claims = { ...claims, roles: [...new Set([...had, ...edits.roles])] };
  }
  return claims;
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

const asNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\s*[0-9]+\s*$/.test(v) ? Number(v) : undefined);

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
    if (claims.response_expires_at !== undefined) out.response_expires_at = defaultResponseExpiry(now);
  } else if (expiry && !isRunnerFuture(expiry, now + 60)) {
    out.response_expires_at = defaultResponseExpiry(now);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Converting between formats

// The claims that name the schema (form_type aside, which is also metadata).
const SELECTORS = ['schema_name', 'schema_url', 'survey_url', 'cir_instrument_id', 'eq_id'];

function formatOf(claims: Record<string, unknown>): LaunchPayload {
  if (claims.version !== undefined || isPlainObject(claims.survey_metadata)) return 'v2';
  return claims.jti !== undefined ? 'v1' : 'legacy';
}

/** Claims in the three places a format can keep them. */
export interface ClaimParts {
  /** The launch's own claims, at the top level in every format. */
  claims: Record<string, unknown>;
  /** Questionnaire metadata: survey_metadata.data in v2, the top level otherwise. */
  metadata: Record<string, unknown>;
  /** survey_metadata.receipting_keys (v2 only). */
  receipting_keys?: unknown;
}

/** What a conversion changed beyond moving claims about; given back to convertClaims, it is undone. */
export interface ConversionMemory {
  from: LaunchPayload;
  to: LaunchPayload;
  /** What the converted claims hold that the source did not: values made up, or rewritten. */
  added: ClaimParts;
  /** What the source held that the converted claims do not: claims the target has no place for, values rewritten. */
  dropped: ClaimParts;
}

export interface ConvertOptions {
  /** For values that have to be made (a jti, a response_expires_at). Defaults to the clock. */
  nowSeconds?: number;
  /**
   * The memory of the conversion that made these claims (convertAndRemember). Converting back to
   * its source format then removes what it made up, where the value is still the one it gave,
   * and puts back what it dropped, where nothing has taken its place.
   */
  undo?: ConversionMemory;
}

function partsOf(claims: Record<string, unknown>): ClaimParts {
  const format = formatOf(claims);
  const parts: ClaimParts = { claims: {}, metadata: {} };
  for (const [k, v] of Object.entries(structuredClone(claims))) {
    if (k === 'survey_metadata' && isPlainObject(v)) {
      if (isPlainObject(v.data)) parts.metadata = { ...parts.metadata, ...v.data };
      if (v.receipting_keys !== undefined) parts.receipting_keys = v.receipting_keys;
    } else if (format === 'v2' || RUNNER_CLAIMS.has(k)) {
      parts.claims[k] = v;
    } else {
      parts.metadata[k] = v;
    }
  }
  return parts;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k], b[k]));
}

/** What `a` holds that `b` lacks or holds with another value. */
function difference(a: ClaimParts, b: ClaimParts): ClaimParts {
  const pick = (x: Record<string, unknown>, y: Record<string, unknown>) => Object.fromEntries(Object.entries(x).filter(([k, v]) => !sameJson(v, y[k])));
  const out: ClaimParts = { claims: pick(a.claims, b.claims), metadata: pick(a.metadata, b.metadata) };
  if (a.receipting_keys !== undefined && !sameJson(a.receipting_keys, b.receipting_keys)) out.receipting_keys = a.receipting_keys;
  return out;
}

function applyUndo(parts: ClaimParts, memory: ConversionMemory): void {
  const { claims, metadata } = parts;
  for (const [k, v] of Object.entries(memory.added.claims)) if (sameJson(claims[k], v)) delete claims[k];
  for (const [k, v] of Object.entries(memory.added.metadata)) if (sameJson(metadata[k], v)) delete metadata[k];
  // A schema the user named since the conversion wins over the source's way of naming the old one:
  // two selectors would be refused (schema.several).
  const named = SELECTORS.some((k) => claims[k] !== undefined);
  for (const [k, v] of Object.entries(memory.dropped.claims)) {
    if (claims[k] === undefined && !(named && SELECTORS.includes(k))) claims[k] = v;
  }
  for (const [k, v] of Object.entries(memory.dropped.metadata)) if (metadata[k] === undefined) metadata[k] = v;
  // The runner refuses a receipting key survey_metadata.data lacks, and the data may have lost one since.
  if (parts.receipting_keys === undefined && Array.isArray(memory.dropped.receipting_keys)) {
    const kept = memory.dropped.receipting_keys.filter((k) => typeof k === 'string' && Object.prototype.hasOwnProperty.call(metadata, k));
    if (kept.length) parts.receipting_keys = kept;
  }
}

/**
 * The same launch in another format: metadata moves between survey_metadata.data (v2) and the
 * top level (v1, first generation), version, jti and response_expires_at come and go, and the
 * schema selection is translated (eq_id + form_type ⇄ schema_name, survey_url ⇄ schema_url; v1
 * cannot give a URL, so there a schema_url becomes the schema_name of its file). Claims the target
 * format requires and the source lacks are filled with fresh values or defaults, and nothing
 * present is overwritten, except form_type when first generation must take it from schema_name.
 * receipting_keys has no place outside v2 and is dropped.
 *
 * Converting back with the memory of the first conversion (convertAndRemember, then options.undo)
 * gives back the same claims: v2 → v1 → v2, v1 → v2 → v1, v2 → legacy → v2 and so on. Without it
 * what the first conversion made up stays, e.g. the ru_ref, user_id and period_id v1 needs then
 * sit in the survey_metadata.data of a social v2 launch.
 */
export function convertClaims(claims: Record<string, unknown>, to: LaunchPayload, options: ConvertOptions = {}): Record<string, unknown> {
  const now = Math.floor(options.nowSeconds ?? Date.now() / 1000);
  const from = formatOf(claims);
  const parts = partsOf(claims);
  delete parts.claims.version;
  if (options.undo && options.undo.from === to && options.undo.to === from) applyUndo(parts, options.undo);
  const { claims: top, metadata: meta, receipting_keys: receipting } = parts;

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
      const name = schemaNameOf({ eq_id: top.eq_id, form_type: meta.form_type ?? top.form_type });
      if (top.survey_url !== undefined) top.schema_url = top.survey_url;
      else if (name) top.schema_name = name;
    }
    if (top.schema_url !== undefined && top.survey_url === top.schema_url) delete top.survey_url;
    delete top.eq_id;
    fill(top, 'jti', randomUuid);
    fillLaunch(top);
    fill(top, 'response_expires_at', () => defaultResponseExpiry(now));
    const survey_metadata: Record<string, unknown> = { data: meta };
    if (receipting !== undefined) survey_metadata.receipting_keys = receipting;
    return { version: 'v2', ...top, survey_metadata };
  }

  // Flat formats: metadata beside the runner's claims; the runner's claims win a clash.
  const flat: Record<string, unknown> = { ...meta, ...top };
  if (to === 'v1') {
    // v1 runners select by schema_name or eq_id + form_type only: schema_url alone is v1.schema.none.
    if (typeof flat.schema_url === 'string') {
      if (schemaNameOf(flat) === undefined) flat.schema_name = schemaNameFromUrl(flat.schema_url);
      delete flat.schema_url;
    }
    fill(flat, 'jti', randomUuid);
    fillLaunch(flat);
    fill(flat, 'response_expires_at', () => defaultResponseExpiry(now));
    fillMetadata(flat, 'v1');
    const formType = flat.form_type === undefined ? v1FormType(undefined, schemaNameOf(flat)) : undefined;
    if (formType !== undefined) flat.form_type = formType;
    return flat;
  }
  // First generation: no jti, no response_expires_at, as newClaims makes it.
  delete flat.jti;
  delete flat.response_expires_at;
  if (typeof flat.schema_name === 'string') {
    Object.assign(flat, splitSchemaName(flat.schema_name, typeof flat.form_type === 'string' ? flat.form_type : undefined));
    delete flat.schema_name;
  } else if (typeof flat.schema_url === 'string') {
    if (flat.eq_id === undefined) Object.assign(flat, splitSchemaName(schemaNameFromUrl(flat.schema_url)));
    flat.survey_url = flat.schema_url;
    delete flat.schema_url;
  }
  fillLaunch(flat);
  fillMetadata(flat, 'legacy');
  return flat;
}

/** convertClaims, with the memory that converts the result back to the same claims (options.undo). */
export function convertAndRemember(
  claims: Record<string, unknown>,
  to: LaunchPayload,
  options: ConvertOptions = {},
): { claims: Record<string, unknown>; memory: ConversionMemory } {
  const converted = convertClaims(claims, to, options);
  const [source, result] = [partsOf(claims), partsOf(converted)];
  return {
    claims: converted,
    memory: { from: formatOf(claims), to, added: difference(result, source), dropped: difference(source, result) },
  };
}
