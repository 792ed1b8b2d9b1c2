// The claims builder. `claims` is the single source of truth: the form reads its fields from it
// and writes them back with setAt, the raw JSON view is its text, and the verdict is judge() run on
// it with what the key ring holds and what the runner lists. Every rule lives in shared/; this
// slice only decides when to call them.
import type { Environment } from '../../../shared/api';
import { classifyPayload } from '../../../shared/claims/classify';
import {
  buildLaunchClaims,
  convertAndRemember,
  defaultSelection,
  selectionFor,
  type SelectionKind,
  DEFAULT_LIFETIME_SECONDS,
  defaultLanguage,
  defaultReceiptingKeys,
  newClaims,
  refreshIds,
  schemaNameOf,
  setAt,
  type ConversionMemory,
} from '../../../shared/launch';
import {
  relaunchClaims,
  respondentFromClaims,
  respondentFromPayload,
  withResponseId,
  type Respondent,
  type RespondentRelaunch,
} from '../../../shared/launch/from-respondent';
import { capitalise, CLAIMS, CLAIMS_LIMITS, textOverLimit } from '../../../shared/json-limits';
import { describeJsonSyntaxError, findJsonSyntaxError } from '../../../shared/json-syntax';
import type { LaunchPayload, LaunchResult, Profile, SchemaSource, SchemaSummary } from '../../../shared/launch-types';
import { jtiSentIn, judge, launchKeyFacts, type Verdict } from '../../../shared/verdict';
import { errorMessage } from './errors';
import { runnerAcceptance } from './runner-slice';
import type { ConsoleState, SliceCreator } from './types';

export type LaunchErrorSlot = 'launch' | 'load' | 'relaunch';
/**
 * Where a launch goes: embedded in the desktop app, a new tab of the user's browser (the page
 * opens it: only a click can open a tab), or nowhere (its URL or token is copied).
 */
export type LaunchHow = 'embedded' | 'tab' | 'copy';
const SERVICE_OPEN = { embedded: 'embedded', tab: 'tab', copy: 'none' } as const;

export const DEFAULT_LIFETIME_MINUTES = DEFAULT_LIFETIME_SECONDS / 60;

const SELECTION_CLAIMS = ['schema_name', 'schema_url', 'cir_instrument_id', 'eq_id'] as const;

/** The selection the claims use now, read from which claims are there. */
export function selectionOf(claims: Record<string, unknown>, payload: LaunchPayload): SelectionKind {
  if (payload === 'legacy') return 'eq_id';
  if (payload === 'v2') {
    if (claims.schema_url !== undefined) return 'schema_url';
    if (claims.cir_instrument_id !== undefined) return 'cir_instrument_id';
    return 'schema_name';
  }
  return claims.schema_name === undefined && claims.eq_id !== undefined ? 'eq_id' : 'schema_name';
}

/** What "Relaunch as this respondent" starts from: a downstream payload, or launch claims (a token, a history entry). */
export type RespondentFrom =
  { kind: 'payload'; payload: unknown; source: string } | { kind: 'claims'; claims: Record<string, unknown>; source: string; schema?: SchemaSummary };

/** The respondent the builder's claims relaunch, for the Launch screen's panel and its reuse checkbox. */
export interface RespondentInBuilder extends Pick<RespondentRelaunch, 'respondentResponseId' | 'freshResponseId' | 'notes'> {
  /** Where the respondent was read from, as the screen names it. */
  source: string;
  from: Respondent['from'];
  /** The relaunch's case_id: the panel shows while the builder's claims are still this respondent's. */
  caseId: unknown;
  /** Goes up with each relaunch, so the panel comes into view again. */
  nonce: number;
}

/** Whether the builder's claims still relaunch this respondent (another schema or profile replaced them otherwise). */
export function relaunchingRespondent(claims: Record<string, unknown>, respondent: RespondentInBuilder | null): respondent is RespondentInBuilder {
  return respondent !== null && claims.case_id === respondent.caseId;
}

export interface LaunchOutcome {
  result: LaunchResult;
  how: LaunchHow;
}

export interface LaunchSlice {
  payload: LaunchPayload;
  /** The schema chosen in the catalogue (or a preview, or a profile). */
  schema: SchemaSummary | null;
  schemaSource: SchemaSource | null;
  claims: Record<string, unknown>;
  /** The raw JSON view's text: follows the claims, except while it holds text that does not parse. */
  rawText: string;
  rawError: string | null;
  lifetimeMinutes: number;
  /** What the runner would answer, or why there is no answer yet (a key missing, broken JSON). */
  check: Verdict;
  /** False until the user gives claims (picks a schema, types, loads some): no verdict is shown before. */
  claimsGiven: boolean;
  launchBusy: boolean;
  launchErrors: Partial<Record<LaunchErrorSlot, string>>;
  lastLaunch: LaunchOutcome | null;
  /** Set while the "Launch anyway?" question is open. */
  confirmLaunch: boolean;

  selectSchema(schema: SchemaSummary, source: SchemaSource | null, selection?: SelectionKind): void;
  setPayload(payload: LaunchPayload): void;
  setSelection(selection: SelectionKind): void;
  setClaim(path: string, value: unknown): void;
  setRawText(text: string): void;
  setLifetime(minutes: number): void;
  restampTimes(): void;
  /** The verdict again, with the clock, the key ring and the runner's schema list as they are now. */
  recheck(): void;
  askConfirmLaunch(open: boolean): void;
  /**
   * Points the builder at the local preview's current URL (each file version has its own, since
   * the runner caches schemas by URL). Claims already built for this preview are kept; otherwise
   * fresh claims are made for it. Returns the new verdict, or null when the file cannot be used now.
   */
  builderToPreview(): Verdict | null;
  launch(how: LaunchHow): Promise<LaunchOutcome | null>;
  relaunch(historyId: string, how: LaunchHow): Promise<LaunchOutcome | null>;
  loadProfile(profile: Profile): Promise<void>;
  /** The respondent the builder relaunches ("Relaunch as this respondent"), or null. */
  respondent: RespondentInBuilder | null;
  respondentBusy: boolean;
  /**
   * Fills the builder to launch as the respondent again (shared/launch/from-respondent.ts: the same
   * schema, metadata, language, region, channel, case and collection exercise; fresh ids and times
   * and a new response_id) and shows the Launch screen. Resolves to why it could not, or null.
   */
  relaunchAsRespondent(from: RespondentFrom): Promise<string | null>;
  /** The respondent's own response_id in the claims (the runner opens their stored answers), or the relaunch's new one. */
  setReuseResponseId(reuse: boolean): void;
  /** Everything that depends on the active environment is read again. */
  environmentSwitched(active: Environment): Promise<void>;
  clearLaunchError(slot: LaunchErrorSlot): void;
}

/** Whether two preview URLs are versions of the same served file: /<token>/<version>/<file> on one origin. */
export function samePreviewFile(a: string, b: string): boolean {
  try {
    const [ua, ub] = [new URL(a), new URL(b)];
    const [pa, pb] = [ua.pathname.split('/'), ub.pathname.split('/')];
    return ua.origin === ub.origin && pa.length === 4 && pb.length === 4 && pa[1] === pb[1] && pa[3] === pb[3];
  } catch {
    return false;
  }
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const toJson = (claims: Record<string, unknown>) => JSON.stringify(claims, null, 2);

/** The schema claims select, by name (or eq_id + form_type) or by URL. */
export function selectedSchemaName(claims: Record<string, unknown>): { name?: string; url?: string } {
  const url = typeof claims.schema_url === 'string' && claims.schema_url.trim() ? claims.schema_url.trim() : undefined;
  return { name: schemaNameOf(claims), url };
}

/** Said after the verdict: what the runner will make of the claims that the rules cannot see. */
function notesFor(payload: LaunchPayload, schema: SchemaSummary | null | undefined): string[] {
  return payload === 'v1' && schema?.schemaUrl
    ? [`v1 cannot load a schema by URL, so the runner looks for "${schema.name}" among its own schemas: launch a preview or a URL schema with v2 or legacy`]
    : [];
}

/**
 * v1 can only name a schema the runner must fetch by URL; a format that can give the URL gives it
 * again, or switching back to v2 or legacy (as the form advises) would still launch by name.
 */
function withSchemaUrl(
  source: Record<string, unknown>,
  claims: Record<string, unknown>,
  schema: SchemaSummary | null,
  payload: LaunchPayload,
): Record<string, unknown> {
  if (!schema?.schemaUrl || payload === 'v1' || claims.schema_url !== undefined || claims.survey_url !== undefined) return claims;
  if (schemaNameOf(source) !== schema.name) return claims;
  if (payload === 'legacy') return { ...claims, survey_url: schema.schemaUrl };
  return Object.fromEntries(Object.entries(claims).map(([k, v]) => (k === 'schema_name' ? ['schema_url', schema.schemaUrl] : [k, v])));
}

const sameKeys = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));

/**
 * The schema whose metadata the claims must meet: the chosen one when the claims still select
 * it; otherwise the catalogue's schema of the name the claims now give (e.g. after editing the raw
 * JSON); otherwise none, and the metadata goes unchecked rather than checked against the wrong list.
 */
export function schemaForClaims(claims: Record<string, unknown>, chosen: SchemaSummary | null, catalogue: readonly SchemaSummary[]): SchemaSummary | null {
  const { name, url } = selectedSchemaName(claims);
  if (claims.cir_instrument_id !== undefined && !name && !url) return chosen;
  if (chosen && ((url && (url === chosen.schemaUrl || url === chosen.origin)) || (!url && name === chosen.name))) return chosen;
  if (url) return catalogue.find((s) => s.schemaUrl === url || s.origin === url) ?? null;
  return (name && catalogue.find((s) => s.name === name)) || null;
}

/** The schema names the active environment's runner lists, when the catalogue on screen is that runner's. */
function runnerSchemaNames(s: ConsoleState): string[] | undefined {
  const source = s.catalogue?.source;
  if (source?.kind !== 'runner' || source.runnerUrl !== s.info?.activeEnvironment.runnerUrl) return undefined;
  return [...s.catalogue!.schemas.map((x) => x.name), ...s.catalogue!.problems.map((x) => x.name)];
}

/** The one verdict (shared/verdict.ts) on the builder's claims, as the store stands. */
export function verdictFor(s: ConsoleState, claims: Record<string, unknown>, schema: SchemaSummary | null, payload: LaunchPayload): Verdict {
  return judge(
    { kind: 'claims', claims, keys: s.keysLoaded ? launchKeyFacts(s.keys) : undefined },
    {
      nowSeconds: nowSeconds(),
      runner: { metadata: schema?.metadata, schemaNames: runnerSchemaNames(s), notes: notesFor(payload, schema), accepts: runnerAcceptance(s) },
      jtiSeen: jtiSentIn(s.history),
    },
  );
}

export const createLaunchSlice: SliceCreator<LaunchSlice> = (set, get, api) => {
  const setError = (slot: LaunchErrorSlot, message: string | undefined) => set((s) => ({ launchErrors: { ...s.launchErrors, [slot]: message } }));

  /** The one way claims change: the schema in force, the verdict and the JSON text follow. */
  function commit(claims: Record<string, unknown>, extra: Partial<LaunchSlice> = {}, rawText?: string) {
    const chosen = extra.schema !== undefined ? extra.schema : get().schema;
    const schema = schemaForClaims(claims, chosen, get().catalogue?.schemas ?? []);
    // The lifetime shown is the one the claims have, however exp was changed.
    const { iat, exp } = claims;
    const lifetime = typeof iat === 'number' && typeof exp === 'number' && exp > iat ? Math.round(((exp - iat) / 60) * 100) / 100 : undefined;
    const payload = extra.payload ?? get().payload;
    set({
      ...(lifetime !== undefined ? { lifetimeMinutes: lifetime } : {}),
      ...extra,
      claimsGiven: true,
      claims,
      schema: schema ?? chosen,
      check: verdictFor(get(), claims, schema, payload),
      rawText: rawText ?? toJson(claims),
      rawError: null,
    });
  }

  /** Raw JSON that does not parse: no verdict, nothing to launch, until it does. */
  function brokenText(text: string, error: string) {
    set({
      claimsGiven: true,
      rawText: text,
      rawError: `${error}. The form keeps the last valid claims.`,
      check: judge({ kind: 'claims-text', error }, { nowSeconds: nowSeconds() }),
    });
  }

  /**
   * The launch context the user set (language, roles …) carries over to a newly chosen schema.
   * Language and receipting keys carry over only when the user changed them: otherwise they are
   * the old schema's defaults, and the new schema's own (its language, its theme's keys) apply.
   */
  function context() {
    const { claims: c, schema } = get();
    const sm = (c.survey_metadata as { receipting_keys?: unknown } | undefined) ?? {};
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const language = str(c.language_code);
    const keys = Array.isArray(sm.receipting_keys) ? (sm.receipting_keys as string[]) : undefined;
    return {
      language_code: language !== defaultLanguage(schema ?? undefined) ? language : undefined,
      region_code: str(c.region_code),
      channel: str(c.channel),
      roles: Array.isArray(c.roles) ? (c.roles as string[]) : undefined,
      receipting_keys: sameKeys(keys, defaultReceiptingKeys(schema ?? undefined)) ? undefined : keys,
      account_service_url: str(c.account_service_url),
    };
  }

  // What the last payload switch made up or dropped, so switching straight back gives the same
  // claims. Only meaningful for claims that came from that switch (and form edits since).
  let conversion: ConversionMemory | undefined;

  async function runLaunch(call: () => Promise<LaunchResult>, how: LaunchHow, slot: LaunchErrorSlot) {
    set({ launchBusy: true, confirmLaunch: false });
    setError(slot, undefined);
    try {
      const result = await call();
      const outcome = { result, how };
      set({ lastLaunch: outcome });
      // The runner takes each jti once: without fresh ones the next click would be refused with 401.
      if (slot === 'launch') commit(refreshIds(get().claims, { nowSeconds: nowSeconds(), lifetimeSeconds: get().lifetimeMinutes * 60 }));
      get().acknowledgePreview();
      void get().loadHistory();
      if (how === 'embedded') void get().loadSessions();
      return outcome;
    } catch (err) {
      setError(slot, errorMessage(err));
      return null;
    } finally {
      set({ launchBusy: false });
    }
  }

  /** A saved schema reference back to a summary: the catalogue first, else asked of its source. */
  async function findSchema(ref: { source?: SchemaSource; name?: string }): Promise<{ schema: SchemaSummary | null; source: SchemaSource | null }> {
    if (!ref.name) return { schema: null, source: null };
    const listed = get().catalogue?.schemas.find((s) => s.name === ref.name);
    if (listed && (!ref.source || JSON.stringify(ref.source) === JSON.stringify(get().catalogue?.source))) {
      return { schema: listed, source: get().catalogue!.source };
    }
    const source = ref.source ?? get().currentSource();
    if (!source) return { schema: null, source: null };
    try {
      return { schema: await api.schemas.summary(source, ref.name), source };
    } catch (err) {
      setError('load', `The claims are loaded, but the schema "${ref.name}" could not be read, so its metadata is not checked: ${errorMessage(err)}`);
      return { schema: null, source: null };
    }
  }

  // Until a schema is picked the claims name none, and the verdict says that is what is missing.
  const { schema_name: _none, ...initialClaims } = newClaims({
    payload: 'v2',
    selection: { schema_name: '' },
    nowSeconds: nowSeconds(),
    lifetimeSeconds: DEFAULT_LIFETIME_MINUTES * 60,
  });

  return {
    payload: 'v2',
    schema: null,
    schemaSource: null,
    claims: initialClaims,
    rawText: toJson(initialClaims),
    rawError: null,
    lifetimeMinutes: DEFAULT_LIFETIME_MINUTES,
    check: judge({ kind: 'claims', claims: initialClaims }, { nowSeconds: nowSeconds() }),
    claimsGiven: false,
    launchBusy: false,
    launchErrors: {},
    lastLaunch: null,
    confirmLaunch: false,
    respondent: null,
    respondentBusy: false,

    selectSchema(schema, source, selection) {
      const { payload, lifetimeMinutes } = get();
      const kind = selection ?? defaultSelection(schema, payload);
      conversion = undefined;
      const claims = buildLaunchClaims({
        payload,
        schema,
        selection: selectionFor(kind, schema),
        nowSeconds: nowSeconds(),
        lifetimeSeconds: lifetimeMinutes * 60,
        ...context(),
      });
      setError('load', undefined);
      commit(claims, { schema, schemaSource: source });
    },

    setPayload(payload) {
      if (payload === get().payload) return;
      const source = get().claims;
      const { claims, memory } = convertAndRemember(source, payload, { undo: conversion });
      conversion = memory;
      commit(withSchemaUrl(source, claims, get().schema, payload), { payload });
    },

    setSelection(kind) {
      const { claims, schema, payload } = get();
      // Only the selection claims change; everything else the user typed stays. form_type is
      // also questionnaire metadata in v1: kept, unless eq_id + form_type now name the schema.
      const rest = { ...claims };
      for (const key of SELECTION_CLAIMS) delete rest[key];
      const applied = schemaForClaims(claims, schema, get().catalogue?.schemas ?? []) ?? schema;
      const selection = selectionFor(kind, applied);
      commit({ ...(payload === 'v2' ? { version: claims.version ?? 'v2' } : {}), ...rest, ...selection });
    },

    setClaim(path, value) {
      commit(setAt(get().claims, path, value));
    },

    setRawText(text) {
      // Refused before it is parsed: claims nested thousands deep overflow whatever walks them next.
      const over = textOverLimit(text, CLAIMS_LIMITS, CLAIMS);
      if (over) {
        brokenText(text, capitalise(over));
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        const at = findJsonSyntaxError(text);
        brokenText(text, at ? `Not valid JSON at ${describeJsonSyntaxError(at)}` : `Not valid JSON: ${errorMessage(err)}`);
        return;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        brokenText(text, 'The claims must be a JSON object ({ … })');
        return;
      }
      // Pasted claims of another format switch the form to it, else it shows the wrong fields and
      // a saved profile records the wrong payload. Claims of no known format keep the payload.
      const kind = classifyPayload(parsed);
      const payload = kind === 'v2' || kind === 'v1' || kind === 'legacy' ? kind : get().payload;
      // The text may be other claims altogether: what the last switch made up says nothing about them.
      conversion = undefined;
      // The user's own text stays as typed; only the form follows it.
      commit(parsed as Record<string, unknown>, { payload }, text);
    },

    setLifetime(minutes) {
      if (!Number.isFinite(minutes) || minutes <= 0) return;
      const claims = get().claims;
      const iat = typeof claims.iat === 'number' ? claims.iat : nowSeconds();
      set({ lifetimeMinutes: minutes });
      commit(setAt(setAt(claims, 'iat', iat), 'exp', iat + Math.round(minutes * 60)));
    },

    restampTimes() {
      const now = nowSeconds();
      commit(setAt(setAt(get().claims, 'iat', now), 'exp', now + Math.round(get().lifetimeMinutes * 60)));
    },

    recheck() {
      const { claims, schema, payload, rawError } = get();
      // While the raw JSON is broken there are no claims to judge: the last valid ones are not what the user sees.
      if (rawError) return;
      const applied = schemaForClaims(claims, schema, get().catalogue?.schemas ?? []);
      set({ check: verdictFor(get(), claims, applied, payload) });
    },

    askConfirmLaunch: (confirmLaunch) => set({ confirmLaunch }),

    builderToPreview() {
      const preview = get().preview;
      if (!preview?.summary || preview.error) return null;
      const schema = { ...preview.summary, schemaUrl: preview.schemaUrl };
      // First-generation claims carry the URL as survey_url (seed 001).
      const urlClaim = get().payload === 'legacy' ? 'survey_url' : 'schema_url';
      const current = get().claims[urlClaim];
      if (typeof current === 'string' && samePreviewFile(current, preview.schemaUrl)) {
        commit(setAt(get().claims, urlClaim, preview.schemaUrl), { schema, schemaSource: null });
      } else {
        get().selectSchema(schema, null, 'schema_url');
      }
      get().acknowledgePreview();
      return get().check;
    },

    launch(how) {
      const { claims, schema } = get();
      const applied = schemaForClaims(claims, schema, get().catalogue?.schemas ?? []);
      return runLaunch(() => api.launch.start({ claims, ...(applied ? { schema: applied } : {}), open: SERVICE_OPEN[how] }), how, 'launch');
    },

    relaunch(historyId, how) {
      return runLaunch(() => api.launch.relaunch(historyId, { open: SERVICE_OPEN[how] }), how, 'relaunch');
    },

    async loadProfile(profile) {
      setError('load', undefined);
      const { schema, source } = await findSchema({ source: profile.schema?.source, name: profile.schema?.name });
      const claims = refreshIds(profile.claims, { nowSeconds: nowSeconds(), lifetimeSeconds: get().lifetimeMinutes * 60 });
      conversion = undefined;
      commit(claims, { payload: profile.payload, schema, schemaSource: source });
    },

    async relaunchAsRespondent(from) {
      let respondent: Respondent;
      try {
        respondent = from.kind === 'payload' ? respondentFromPayload(from.payload) : respondentFromClaims(from.claims);
      } catch (err) {
        return errorMessage(err);
      }
      set({ respondentBusy: true });
      setError('load', undefined);
      try {
        const sel = respondent.selection;
        // The schema tells which survey_id the runner added, and checks the metadata; a history entry kept its own.
        const { schema, source } =
          from.kind === 'claims' && from.schema
            ? { schema: from.schema, source: get().catalogue?.schemas.some((x) => x.origin === from.schema!.origin) ? get().catalogue!.source : null }
            : sel && 'schema_url' in sel
              ? await findSchema({ source: { kind: 'url', url: sel.schema_url }, name: sel.schema_url })
              : await findSchema({ name: sel ? schemaNameOf(sel) : undefined });
        const relaunch = relaunchClaims(respondent, { nowSeconds: nowSeconds(), lifetimeSeconds: get().lifetimeMinutes * 60, ...(schema ? { schema } : {}) });
        conversion = undefined;
        const previous = get().respondent?.nonce ?? 0;
        commit(relaunch.claims, {
          payload: relaunch.payload,
          schema,
          schemaSource: source,
          respondent: {
            source: from.source,
            from: respondent.from,
            ...(relaunch.respondentResponseId !== undefined ? { respondentResponseId: relaunch.respondentResponseId } : {}),
            freshResponseId: relaunch.freshResponseId,
            notes: relaunch.notes,
            caseId: relaunch.claims.case_id,
            nonce: previous + 1,
          },
        });
        set({ screen: 'launch' });
        return null;
      } catch (err) {
        return errorMessage(err);
      } finally {
        set({ respondentBusy: false });
      }
    },

    setReuseResponseId(reuse) {
      const { respondent, claims } = get();
      if (!relaunchingRespondent(claims, respondent) || (reuse && respondent.respondentResponseId === undefined)) return;
      commit(withResponseId(claims, respondent, reuse));
    },

    async environmentSwitched() {
      const reloads: Promise<unknown>[] = [get().loadHistory(), get().loadProfiles()];
      if (get().sourceKind === 'runner') reloads.push(get().loadCatalogue());
      await Promise.all(reloads);
      // The same claims may fare differently against the new runner's schema list.
      get().recheck();
    },

    clearLaunchError: (slot) => setError(slot, undefined),
  };
};
