// The Launch screen's state without a browser: the slices over a fake ConsoleApi. The claims
// rules themselves are shared/launch's (tested there); these tests check that the slices call
// them at the right moments and keep the claims the single source of truth.
import { describe, expect, it, vi } from 'vitest';
import type { ConsoleApi, Environment } from '../../shared/api';
import type { ConsoleEvents } from '../../shared/events';
import { ConsoleError } from '../../shared/errors';
import type { HistoryEntry, LaunchRequest, LaunchResult, Profile, SchemaCatalogue, SchemaPreview, SchemaSummary, SessionInfo } from '../../shared/launch-types';
import { convertClaims, getAt, newClaims } from '../../shared/launch';
import { groupSchemas } from '../../renderer/src/state/catalogue-slice';
import { samePreviewFile, schemaForClaims, selectionOf } from '../../renderer/src/state/launch-slice';
import { createConsoleStore } from '../../renderer/src/state/store';
import { withEvents } from '../support/fake-events';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const LOCAL: Environment = { id: 'local', name: 'Local runner', runnerUrl: 'http://localhost:5000' };
const STAGING: Environment = { id: 'staging', name: 'Staging', runnerUrl: 'https://staging.example.com' };

function summary(name: string, over: Partial<SchemaSummary> = {}): SchemaSummary {
  return {
    name,
    surveyType: 'test',
    title: name.replace(/_/g, ' '),
    theme: 'default',
    surveyId: '999',
    dataVersion: '0.0.3',
    metadata: [],
    origin: `http://localhost:5000/schemas/${name}`,
    ...over,
  };
}

const ROUTING = summary('test_metadata_routing', {
  title: 'Test Metadata Routing',
  metadata: [
    { name: 'user_id', type: 'string' },
    { name: 'period_id', type: 'string' },
    { name: 'boolean_flag', type: 'boolean' },
    { name: 'ru_name', type: 'string' },
  ],
});
const CHECKBOX = summary('test_checkbox', { metadata: [{ name: 'ref_p_start_date', type: 'date', optional: true }] });
const SOCIAL = summary('test_social', { surveyType: 'social', theme: 'social', surveyId: '0', metadata: [{ name: 'qid', type: 'string', length: 16 }] });

function entry(claims: Record<string, unknown>, over: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: 'h1',
    at: '2025-01-01T10:00:00.000Z',
    environmentId: 'local',
    runnerUrl: LOCAL.runnerUrl,
    label: 'Test Metadata Routing',
    schemaName: 'test_metadata_routing',
    payload: 'v2',
    claims,
    url: 'http://localhost:5000/session?token=abc',
    predicted: { runnerStatus: 302, verdict: 'ok' },
    roles: [],
    ...over,
  };
}

function fakeApi() {
  let active = LOCAL;
  const environments = [LOCAL, STAGING];
  const history: HistoryEntry[] = [];
  const profiles: Profile[] = [];
  const api = {
    app: {
      info: vi.fn(async () => ({ mode: 'browser', version: '0.1.0', configDir: '/tmp/x', secretStorage: 'file', activeEnvironment: active })),
    },
    keys: { list: vi.fn(async () => []) },
    tokens: {},
    environments: {
      list: vi.fn(async () => [...environments]),
      save: vi.fn(async (e: Omit<Environment, 'id'> & { id?: string }) => {
        const saved = { ...e, id: e.id ?? 'new' };
        // As the service does: a new environment joins the list.
        if (!environments.some((x) => x.id === saved.id)) environments.push(saved);
        return saved;
      }),
      remove: vi.fn(async () => undefined),
      activate: vi.fn(async (id: string) => {
        active = environments.find((e) => e.id === id)!;
        return active;
      }),
    },
    schemas: {
      catalogue: vi.fn(async (source): Promise<SchemaCatalogue> => ({ source, schemas: [ROUTING, CHECKBOX, SOCIAL], problems: [] })),
      summary: vi.fn(async (_source, name: string) => [ROUTING, CHECKBOX, SOCIAL].find((s) => s.name === name) ?? summary(name)),
      previewStart: vi.fn(async (path: string): Promise<SchemaPreview> => ({ id: 'p1', path, schemaUrl: 'http://127.0.0.1:9/preview/p1.json', version: 1 })),
      previewStop: vi.fn(async () => undefined),
    },
    launch: {
      check: vi.fn(),
      start: vi.fn(async (request: LaunchRequest): Promise<LaunchResult> => {
        const e = entry(request.claims, { id: `h${history.length + 1}` });
        history.push(e);
        return { entry: e, token: 'a.b.c.d.e', check: { payloadVersion: 'v2', runnerStatus: 302, verdict: 'ok', problems: [] } };
      }),
      relaunch: vi.fn(async (id: string): Promise<LaunchResult> => {
        const e = { ...history.find((h) => h.id === id)!, id: 'again' };
        return { entry: e, token: 't', check: { payloadVersion: 'v2', runnerStatus: 302, verdict: 'ok', problems: [] } };
      }),
    },
    history: {
      list: vi.fn(async () => [...history]),
      remove: vi.fn(async () => undefined),
      clear: vi.fn(async () => void history.splice(0)),
    },
    profiles: {
      list: vi.fn(async () => [...profiles]),
      save: vi.fn(async (p: Omit<Profile, 'id' | 'savedAt' | 'environmentId'> & { id?: string }) => {
        const saved = { ...p, id: p.id ?? `p${profiles.length + 1}`, savedAt: 'now', environmentId: active.id };
        profiles.push(saved);
        return saved;
      }),
      remove: vi.fn(async () => undefined),
    },
    sessions: {
      list: vi.fn(async () => []),
      control: vi.fn(async () => []),
      setViewport: vi.fn(async () => undefined),
      previewSubmission: vi.fn(async () => ({ submission: { tx_id: 'x' } })),
    },
  };
  return withEvents(api) as unknown as ConsoleApi &
    ConsoleEvents & { emit: ReturnType<typeof withEvents>['emit']; launch: { start: ReturnType<typeof vi.fn>; relaunch: ReturnType<typeof vi.fn> } };
}

async function ready() {
  const api = fakeApi();
  const store = createConsoleStore(api);
  await store.getState().loadInfo();
  await store.getState().loadCatalogue();
  return { api, store, s: () => store.getState() };
}

describe('claims builder state', () => {
  it('starts with v2 claims that name no schema, and says so', () => {
    const store = createConsoleStore(fakeApi());
    const { claims, check, rawText, payload } = store.getState();
    expect(payload).toBe('v2');
    expect(claims.version).toBe('v2');
    expect(claims.schema_name).toBeUndefined();
    expect(claims.jti).toMatch(UUID);
    expect(JSON.parse(rawText)).toEqual(claims);
    expect(check.runnerStatus).not.toBe(302);
    expect(check.problems.some((p) => p.code.includes('schema.none'))).toBe(true);
  });

  it('builds claims for a chosen schema, keeping the launch context the user set', async () => {
    const { s } = await ready();
    s().setClaim('language_code', 'cy');
    s().setClaim('roles', ['dumper']);
    s().selectSchema(ROUTING, s().catalogue!.source);
    const { claims, check } = s();
    expect(claims.schema_name).toBe('test_metadata_routing');
    expect(claims.language_code).toBe('cy');
    expect(claims.roles).toEqual(['dumper']);
    expect(getAt(claims, 'survey_metadata.data.boolean_flag')).toBe(false);
    expect(check.runnerStatus).toBe(302);
    expect(s().schemaSource).toEqual({ kind: 'runner', runnerUrl: LOCAL.runnerUrl });
  });

  it('writes a checkbox as JSON true and reports a cleared required field at its path', async () => {
    const { s } = await ready();
    s().selectSchema(ROUTING, null);
    s().setClaim('survey_metadata.data.boolean_flag', true);
    expect(getAt(s().claims, 'survey_metadata.data.boolean_flag')).toBe(true);
    expect(s().rawText).toContain('"boolean_flag": true');

    s().setClaim('survey_metadata.data.user_id', undefined);
    const at = s().check.problems.filter((p) => p.path === 'survey_metadata.data.user_id');
    expect(at.length).toBeGreaterThan(0);
    expect(s().check.runnerStatus).toBe(403);
    expect(s().check.verdict).toContain('403');

    s().setClaim('survey_metadata.data.user_id', 'UNKNOWN');
    expect(s().check.runnerStatus).toBe(302);
  });

  it('takes valid raw JSON as the claims, and keeps the form when the JSON is broken', async () => {
    const { s } = await ready();
    s().selectSchema(ROUTING, null);
    const before = s().claims;

    s().setRawText('{ "version": "v2", ');
    expect(s().rawError).toMatch(/^Not valid JSON/);
    expect(s().claims).toBe(before);
    expect(s().rawText).toBe('{ "version": "v2", ');

    s().setRawText('[1, 2]');
    expect(s().rawError).toMatch(/JSON object/);
    expect(s().claims).toBe(before);

    const edited = { ...before, survey_metadata: { data: { ...(before.survey_metadata as { data: object }).data, ru_name: 'Edited Ltd' } } };
    const text = JSON.stringify(edited);
    s().setRawText(text);
    expect(s().rawError).toBeNull();
    expect(getAt(s().claims, 'survey_metadata.data.ru_name')).toBe('Edited Ltd');
    // The user's own formatting stays while they type.
    expect(s().rawText).toBe(text);
    // A form edit afterwards rewrites the text from the claims.
    s().setClaim('channel', 'RH');
    expect(JSON.parse(s().rawText)).toEqual(s().claims);
  });

  it("follows the raw JSON to another catalogue schema and checks against that schema's metadata", async () => {
    const { s } = await ready();
    s().selectSchema(CHECKBOX, null);
    expect(s().check.runnerStatus).toBe(302);
    s().setRawText(JSON.stringify({ ...s().claims, schema_name: 'test_social' }));
    expect(schemaForClaims(s().claims, s().schema, s().catalogue!.schemas)?.name).toBe('test_social');
    // test_social needs qid; the claims made for test_checkbox lack it.
    expect(s().check.problems.some((p) => p.path === 'survey_metadata.data.qid')).toBe(true);

    s().setRawText(JSON.stringify({ ...s().claims, schema_name: 'not_in_catalogue' }));
    expect(schemaForClaims(s().claims, s().schema, s().catalogue!.schemas)).toBeNull();
    expect(s().check.problems.some((p) => p.path === 'survey_metadata.data.qid')).toBe(false);
  });

  it("switching schema across themes takes the new schema's receipting keys and language, unless the user chose them", async () => {
    const { s } = await ready();
    const keys = () => getAt(s().claims, 'survey_metadata.receipting_keys');
    s().selectSchema(SOCIAL, null);
    expect(keys()).toEqual(['qid']);
    s().selectSchema(ROUTING, null);
    // Receipted by a qid the business data lacks, the runner would refuse with 403.
    expect(keys()).toBeUndefined();
    expect(s().check.runnerStatus).toBe(302);

    const HEALTH = summary('test_theme_health', { surveyType: 'social', theme: 'health', metadata: [{ name: 'qid', type: 'string' }] });
    s().selectSchema(SOCIAL, null);
    s().setClaim('survey_metadata.receipting_keys', ['qid', 'PORTAL_ID']);
    s().selectSchema(HEALTH, null);
    expect(keys()).toEqual(['qid', 'PORTAL_ID']);
    s().selectSchema(ROUTING, null);
    expect(keys()).toBeUndefined();
    expect(s().check.runnerStatus).toBe(302);

    // A folder catalogue knows each schema's language: the next schema's applies unless the user typed one.
    const WELSH = summary('test_language', { language: 'cy', origin: '/schemas/test/cy/test_language.json' });
    s().selectSchema(WELSH, null);
    expect(s().claims.language_code).toBe('cy');
    s().selectSchema(CHECKBOX, null);
    expect(s().claims.language_code).toBe('en');
    s().setClaim('language_code', 'ga');
    s().selectSchema(WELSH, null);
    expect(s().claims.language_code).toBe('ga');
  });

  it('selects a URL schema by name in v1 and says that it needs v2 or legacy, which give the URL', async () => {
    const { s } = await ready();
    const url = 'https://schemas.example.com/surveys/my_survey.json';
    const URL_SCHEMA = summary('my_survey', { schemaUrl: url, origin: url });
    s().setPayload('v1');
    s().selectSchema(URL_SCHEMA, { kind: 'url', url: 'https://schemas.example.com/surveys/' });
    expect(s().claims.schema_url).toBeUndefined();
    expect(s().claims.schema_name).toBe('my_survey');
    expect(selectionOf(s().claims, 'v1')).toBe('schema_name');
    expect(s().check.problems.map((p) => p.code)).not.toContain('v1.schema.none');
    expect(s().check.verdict).toMatch(/v2 or legacy/);

    s().setPayload('legacy');
    expect(s().claims).toMatchObject({ survey_url: url, eq_id: 'my', form_type: 'survey' });
    expect(s().check.verdict).not.toMatch(/v2 or legacy/);
    s().setPayload('v2');
    expect(s().claims.schema_url).toBe(url);
    expect(s().claims.schema_name).toBeUndefined();
    expect(s().check.runnerStatus).toBe(302);

    s().setPayload('v1');
    expect(s().claims.schema_url).toBeUndefined();
    expect(s().claims.schema_name).toBe('my_survey');
    s().setPayload('v2');
    expect(s().claims.schema_url).toBe(url);
  });

  it('uses a preview with v1 by name, and with legacy through survey_url across file versions', async () => {
    const { api, s } = await ready();
    const url = (v: number) => `http://127.0.0.1:9/abc/${v}/x.json`;
    const preview = (v: number): SchemaPreview => ({
      id: 'p1',
      path: '/x.json',
      schemaUrl: url(v),
      version: v,
      summary: { ...ROUTING, name: 'x', title: `Draft ${v}`, schemaUrl: url(v), origin: '/x.json' },
    });
    (api.schemas.previewStart as ReturnType<typeof vi.fn>).mockResolvedValueOnce(preview(1));
    await s().startPreview('/x.json');
    s().setPayload('v1');
    s().builderToPreview();
    expect(s().claims.schema_url).toBeUndefined();
    expect(s().claims.schema_name).toBe('x');
    expect(s().check.verdict).toMatch(/v2 or legacy/);

    s().setPayload('legacy');
    expect(s().claims).toMatchObject({ survey_url: url(1), eq_id: 'x' });
    expect(s().builderToPreview()?.verdict).not.toMatch(/v2 or legacy/);
    expect(s().claims.survey_url).toBe(url(1));
    s().setClaim('ru_name', 'Kept Ltd');
    api.emit({ type: 'schemas.preview', preview: preview(2) });
    s().builderToPreview();
    expect(s().claims).toMatchObject({ survey_url: url(2), ru_name: 'Kept Ltd' });
  });

  it('follows raw JSON of another format to that payload, and a saved profile records it', async () => {
    const { api, s } = await ready();
    s().selectSchema(ROUTING, null);
    const now = Math.floor(Date.now() / 1000);
    const v1 = newClaims({ payload: 'v1', schema: ROUTING, nowSeconds: now });
    s().setRawText(JSON.stringify(v1));
    expect(s().payload).toBe('v1');
    expect(s().check.payloadVersion).toBe('v1');
    await s().saveProfile('pasted v1');
    expect((api.profiles.save as ReturnType<typeof vi.fn>).mock.calls.at(-1)![0]).toMatchObject({ payload: 'v1', claims: v1 });

    s().setRawText(JSON.stringify(newClaims({ payload: 'legacy', schema: ROUTING, nowSeconds: now })));
    expect(s().payload).toBe('legacy');
    s().setRawText(JSON.stringify(newClaims({ payload: 'v2', schema: ROUTING, nowSeconds: now })));
    expect(s().payload).toBe('v2');
    // Claims of no known format (here a flush token) leave the payload as it is.
    s().setRawText(JSON.stringify({ roles: ['flusher'], jti: 'x' }));
    expect(s().payload).toBe('v2');
  });

  it('switching payload there and back gives back the same claims, whatever the theme', async () => {
    const { s } = await ready();
    for (const schema of [SOCIAL, ROUTING, CHECKBOX]) {
      s().selectSchema(schema, null);
      const before = s().claims;
      for (const other of ['v1', 'legacy'] as const) {
        s().setPayload(other);
        s().setPayload('v2');
        expect(s().claims, `${schema.name} v2 → ${other} → v2`).toEqual(before);
      }
      // Without the memory, the v1 step's made-up ru_ref would stay in a social survey's data.
      if (schema === SOCIAL) expect(getAt(convertClaims(convertClaims(before, 'v1'), 'v2'), 'survey_metadata.data.ru_ref')).toBeDefined();
    }
  });

  it('converts between payload formats and switches the selection claim', async () => {
    const { s } = await ready();
    s().selectSchema(ROUTING, null);
    s().setPayload('v1');
    expect(s().payload).toBe('v1');
    expect(s().claims.version).toBeUndefined();
    expect(s().claims.user_id).toBeDefined();
    expect(selectionOf(s().claims, 'v1')).toBe('schema_name');

    s().setSelection('eq_id');
    expect(s().claims).toMatchObject({ eq_id: 'test', form_type: 'metadata_routing' });
    expect(s().claims.schema_name).toBeUndefined();

    s().setPayload('v2');
    s().setSelection('schema_url');
    expect(s().claims.schema_url).toBe(ROUTING.origin);
    expect(s().claims.schema_name).toBeUndefined();
    // The runner's own /schemas/<name> address still counts as the chosen schema.
    expect(schemaForClaims(s().claims, s().schema, [])?.name).toBe(ROUTING.name);

    s().setSelection('cir_instrument_id');
    expect(s().claims.cir_instrument_id).toMatch(UUID);
    expect(s().claims.schema_url).toBeUndefined();
  });

  it('keeps iat and exp in step with the lifetime', async () => {
    const { s } = await ready();
    s().setLifetime(5);
    expect((s().claims.exp as number) - (s().claims.iat as number)).toBe(300);
    s().setLifetime(-1);
    expect(s().lifetimeMinutes).toBe(5);
    s().setClaim('iat', 1);
    s().restampTimes();
    expect(Math.abs((s().claims.iat as number) - Date.now() / 1000)).toBeLessThan(5);
    // An exp changed anywhere (here in the JSON) shows as the lifetime.
    s().setRawText(JSON.stringify({ ...s().claims, exp: (s().claims.iat as number) + 1800 }));
    expect(s().lifetimeMinutes).toBe(30);
  });

  it("points the builder at the preview's current URL, keeping claims made for an older version", async () => {
    const { api, s } = await ready();
    expect(samePreviewFile('http://127.0.0.1:9/abc/1/x.json', 'http://127.0.0.1:9/abc/2/x.json')).toBe(true);
    expect(samePreviewFile('http://127.0.0.1:9/abc/1/x.json', 'http://127.0.0.1:9/other/2/x.json')).toBe(false);
    expect(samePreviewFile('http://127.0.0.1:9/abc/1/x.json', 'not a url')).toBe(false);

    const url = (v: number) => `http://127.0.0.1:9/abc/${v}/x.json`;
    const preview = (v: number, extra: Partial<SchemaPreview> = {}): SchemaPreview => ({
      id: 'p1',
      path: '/x.json',
      schemaUrl: url(v),
      version: v,
      summary: { ...ROUTING, name: 'x', title: `Draft ${v}`, schemaUrl: url(v), origin: '/x.json' },
      ...extra,
    });
    (api.schemas.previewStart as ReturnType<typeof vi.fn>).mockResolvedValueOnce(preview(1));
    await s().startPreview('/x.json');
    expect(s().builderToPreview()?.runnerStatus).toBe(302);
    expect(s().claims.schema_url).toBe(url(1));
    s().setClaim('survey_metadata.data.ru_name', 'Kept Ltd');

    api.emit({ type: 'schemas.preview', preview: preview(2) });
    expect(s().preview!.version).toBeGreaterThan(s().previewSeenVersion);
    s().builderToPreview();
    expect(s().claims.schema_url).toBe(url(2));
    expect(getAt(s().claims, 'survey_metadata.data.ru_name')).toBe('Kept Ltd');
    expect(s().schema?.title).toBe('Draft 2');
    expect(s().preview!.version).toBe(s().previewSeenVersion);

    api.emit({ type: 'schemas.preview', preview: preview(3, { error: 'not JSON', summary: undefined }) });
    expect(s().builderToPreview()).toBeNull();
  });
});

describe('launching', () => {
  it('tells the service the page opens a browser tab itself (so its jti counts as sent), and renews the ids for the next launch', async () => {
    const { api, s } = await ready();
    s().selectSchema(ROUTING, null);
    const launched = s().claims;
    const outcome = await s().launch('tab');
    expect(outcome?.how).toBe('tab');
    const request = api.launch.start.mock.calls[0]![0] as LaunchRequest;
    expect(request.open).toBe('tab');
    expect(request.claims).toBe(launched);
    expect(request.schema?.name).toBe('test_metadata_routing');
    expect(s().claims.jti).not.toBe(launched.jti);
    expect(s().claims.tx_id).not.toBe(launched.tx_id);
    expect(s().claims.response_id).toBe(launched.response_id);
    await vi.waitFor(() => expect(s().history).toHaveLength(1));
  });

  it('embeds in the desktop app and shows a refused launch by the launch button', async () => {
    const { api, s } = await ready();
    s().selectSchema(ROUTING, null);
    await s().launch('embedded');
    expect((api.launch.start.mock.calls[0]![0] as LaunchRequest).open).toBe('embedded');
    await vi.waitFor(() => expect(api.sessions.list).toHaveBeenCalled());

    api.launch.start.mockRejectedValueOnce(new ConsoleError('no-key-for-purpose', 'The key ring has no signing key.'));
    const before = s().claims.jti;
    expect(await s().launch('embedded')).toBeNull();
    expect(s().launchErrors.launch).toBe('The key ring has no signing key.');
    expect(s().claims.jti).toBe(before);
    expect(s().launchBusy).toBe(false);
  });

  it('relaunches a history entry through the service', async () => {
    const { api, s } = await ready();
    s().selectSchema(ROUTING, null);
    const first = await s().launch('tab');
    const again = await s().relaunch(first!.result.entry.id, 'tab');
    expect(api.launch.relaunch).toHaveBeenCalledWith(first!.result.entry.id, { open: 'tab' });
    expect(again?.result.entry.id).toBe('again');
    expect(s().lastLaunch?.result.entry.id).toBe('again');
  });

  it('loads a profile or a history entry with fresh ids and the schema it names', async () => {
    const { api, s } = await ready();
    s().selectSchema(ROUTING, null);
    s().setClaim('survey_metadata.data.boolean_flag', true);
    const saved = await s().saveProfile('  Routing, flag on ');
    expect(saved?.name).toBe('Routing, flag on');
    const request = (api.profiles.save as ReturnType<typeof vi.fn>).mock.calls[0]![0];
    expect(request).toMatchObject({ name: 'Routing, flag on', payload: 'v2', claims: s().claims });
    const profile = s().profiles[0]!;

    s().selectSchema(CHECKBOX, null);
    await s().loadProfile({ ...profile, schema: { source: { kind: 'folder', path: '/elsewhere' }, name: 'test_metadata_routing' } });
    expect(api.schemas.summary).toHaveBeenCalledWith({ kind: 'folder', path: '/elsewhere' }, 'test_metadata_routing');
    expect(s().schema?.name).toBe('test_metadata_routing');
    expect(getAt(s().claims, 'survey_metadata.data.boolean_flag')).toBe(true);
    expect(s().claims.jti).not.toBe(profile.claims.jti);
    expect(s().claims.response_id).toBe(profile.claims.response_id);

    expect(await s().saveProfile('   ')).toBeNull();
    expect(s().historyErrors.profileSave).toBe('Give the profile a name.');
  });

  it('clears the history only through the service, and shows its refusal', async () => {
    const { api, s } = await ready();
    s().askClearHistory(true);
    (api.history.clear as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error('disk full'));
    await s().clearHistory();
    expect(s().historyErrors.clear).toBe('disk full');
    expect(s().confirmClearHistory).toBe(true);
    await s().clearHistory();
    expect(s().confirmClearHistory).toBe(false);
    expect(s().history).toEqual([]);
  });
});

describe('schema catalogue state', () => {
  it('reads the active runner, and shows a runner that is down by the catalogue', async () => {
    const { api, s } = await ready();
    expect(api.schemas.catalogue).toHaveBeenCalledWith({ kind: 'runner', runnerUrl: LOCAL.runnerUrl });
    expect(s().catalogue?.schemas).toHaveLength(3);

    (api.schemas.catalogue as ReturnType<typeof vi.fn>).mockRejectedValueOnce(
      new ConsoleError('network', 'The runner at http://localhost:5000 did not answer.'),
    );
    await s().loadCatalogue();
    expect(s().catalogueErrors.catalogue).toBe('The runner at http://localhost:5000 did not answer.');
    expect(s().catalogueLoading).toBe(false);
  });

  it('lets only the latest request land', async () => {
    const { api, s } = await ready();
    let release!: () => void;
    (api.schemas.catalogue as ReturnType<typeof vi.fn>).mockImplementationOnce(
      (source) => new Promise<SchemaCatalogue>((resolve) => (release = () => resolve({ source, schemas: [], problems: [] }))),
    );
    const slow = s().loadCatalogue();
    s().setSourceKind('folder');
    s().setFolderPath('/schemas');
    await s().loadCatalogue();
    release();
    await slow;
    expect(s().catalogue?.source).toEqual({ kind: 'folder', path: '/schemas' });
    expect(s().catalogue?.schemas).toHaveLength(3);
  });

  it('asks for a path before calling the service', async () => {
    const { api, s } = await ready();
    s().setSourceKind('url');
    const calls = (api.schemas.catalogue as ReturnType<typeof vi.fn>).mock.calls.length;
    await s().loadCatalogue();
    expect((api.schemas.catalogue as ReturnType<typeof vi.fn>).mock.calls.length).toBe(calls);
    expect(s().catalogueErrors.catalogue).toMatch(/address/);
  });

  it('groups by survey type and filters on every search word', () => {
    expect(groupSchemas([ROUTING, CHECKBOX, SOCIAL], '').map((g) => g.surveyType)).toEqual(['social', 'test']);
    expect(groupSchemas([ROUTING, CHECKBOX, SOCIAL], 'metadata routing')[0]!.schemas.map((s) => s.name)).toEqual(['test_metadata_routing']);
    expect(groupSchemas([ROUTING, CHECKBOX, SOCIAL], 'social 0')).toHaveLength(1);
    expect(groupSchemas([ROUTING], 'nothing')).toEqual([]);
  });

  it('notices a changed preview file until the user relaunches', async () => {
    const { api, s } = await ready();
    await s().startPreview('  /home/me/x.json ');
    expect(api.schemas.previewStart).toHaveBeenCalledWith('/home/me/x.json');
    expect(s().preview!.version).toBe(s().previewSeenVersion);
    api.emit({ type: 'schemas.preview', preview: { ...s().preview!, version: s().preview!.version + 1 } });
    expect(s().preview!.version).toBeGreaterThan(s().previewSeenVersion);
    // Another preview's news (one stopped meanwhile) changes nothing.
    api.emit({ type: 'schemas.preview', preview: { ...s().preview!, id: 'other', version: 99 } });
    expect(s().preview!.version).not.toBe(99);
    s().acknowledgePreview();
    expect(s().preview!.version).toBe(s().previewSeenVersion);
    await s().stopPreview();
    expect(api.schemas.previewStop).toHaveBeenCalledWith('p1');
    expect(s().preview).toBeNull();
  });
});

describe('environments state', () => {
  it('switching reloads the info, the key ring, the catalogue, history and profiles', async () => {
    const { api, s } = await ready();
    await s().loadEnvironments();
    expect(s().environments.map((e) => e.id)).toEqual(['local', 'staging']);
    const catalogueCalls = (api.schemas.catalogue as ReturnType<typeof vi.fn>).mock.calls.length;
    expect(await s().activateEnvironment('staging')).toBe(true);
    expect(s().info?.activeEnvironment.id).toBe('staging');
    expect(api.keys.list).toHaveBeenCalled();
    expect(api.history.list).toHaveBeenCalled();
    expect(api.profiles.list).toHaveBeenCalled();
    expect((api.schemas.catalogue as ReturnType<typeof vi.fn>).mock.calls.slice(catalogueCalls)).toEqual([[{ kind: 'runner', runnerUrl: STAGING.runnerUrl }]]);
  });

  it('checks a new environment before saving it, and shows a failed switch in its own slot', async () => {
    const { api, s } = await ready();
    expect(await s().saveEnvironment({ name: 'x', runnerUrl: 'localhost:5000' })).toBeNull();
    expect(s().environmentErrors.save).toMatch(/http:\/\//);
    expect(await s().saveEnvironment({ name: ' ', runnerUrl: 'http://x' })).toBeNull();
    expect(api.environments.save).not.toHaveBeenCalled();
    const saved = await s().saveEnvironment({ name: ' Dev ', runnerUrl: 'http://localhost:5001/ ' });
    expect(api.environments.save).toHaveBeenCalledWith({ name: 'Dev', runnerUrl: 'http://localhost:5001' });
    expect(saved?.id).toBe('new');
    // Adding an environment switches to it, and its own key ring is read.
    expect(api.environments.activate).toHaveBeenLastCalledWith('new');
    expect(s().info?.activeEnvironment.name).toBe('Dev');

    (api.environments.activate as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new ConsoleError('not-found', 'No environment "gone".'));
    expect(await s().activateEnvironment('gone')).toBe(false);
    expect(s().environmentErrors.activate).toBe('No environment "gone".');
    expect(s().environmentErrors.save).toBeUndefined();
  });

  it('removes an environment only after it is confirmed', async () => {
    const { api, s } = await ready();
    s().askRemoveEnvironment('staging');
    expect(api.environments.remove).not.toHaveBeenCalled();
    await s().confirmRemoveEnvironment();
    expect(api.environments.remove).toHaveBeenCalledWith('staging');
    expect(s().pendingEnvironmentRemove).toBeNull();
  });
});

describe('sessions state', () => {
  const session = (over: Partial<SessionInfo> = {}): SessionInfo => ({
    id: 's1',
    label: 'Test Metadata Routing',
    url: 'http://localhost:5000/session?token=abc',
    title: 'Test Metadata Routing',
    canGoBack: false,
    canGoForward: false,
    loading: false,
    active: true,
    dumper: false,
    ...over,
  });
  const ANSWER = { status: 302, location: '/questionnaire/', at: '2025-01-01T10:00:01.000Z' };

  it("shows the runner's first answer in the history once the session reports it", async () => {
    const { api, s } = await ready();
    const list = api.sessions.list as ReturnType<typeof vi.fn>;
    s().selectSchema(ROUTING, null);
    const id = (await s().launch('embedded'))!.result.entry.id;
    await vi.waitFor(() => expect(s().history.map((h) => h.id)).toContain(id));
    const shown = () => s().history.find((h) => h.id === id)!.answer;

    list.mockResolvedValue([session({ historyId: id })]);
    await s().loadSessions();
    expect(shown()).toBeUndefined();

    // The host reports the answer after the launch call returned.
    list.mockResolvedValue([session({ historyId: id, answer: ANSWER })]);
    await s().loadSessions();
    await vi.waitFor(() => expect(shown()).toEqual(ANSWER));
    // A history read that raced the host's recording of it does not hide it again.
    await s().loadHistory();
    expect(shown()).toEqual(ANSWER);
  });

  it('reads the history when the answered launch is not listed yet', async () => {
    const { api, s } = await ready();
    const stored = entry({ schema_name: 'test_metadata_routing' }, { id: 'h9', answer: ANSWER });
    (api.history.list as ReturnType<typeof vi.fn>).mockResolvedValue([stored]);
    (api.sessions.list as ReturnType<typeof vi.fn>).mockResolvedValue([session({ historyId: 'h9', answer: ANSWER })]);
    expect(s().history).toEqual([]);
    await s().loadSessions();
    await vi.waitFor(() => expect(s().history).toEqual([stored]));
  });

  it('sends the viewport once per change, rounded, and null to hide the session', async () => {
    const { api, s } = await ready();
    await s().setSessionViewport({ x: 10.4, y: 20.6, width: 300.2, height: 200 });
    await s().setSessionViewport({ x: 10.3, y: 20.7, width: 300, height: 200 });
    await s().setSessionViewport(null);
    await s().setSessionViewport(null);
    expect((api.sessions.setViewport as ReturnType<typeof vi.fn>).mock.calls).toEqual([[{ x: 10, y: 21, width: 300, height: 200 }], [null]]);
  });

  it("previews a dumper session's submission", async () => {
    const { s } = await ready();
    await s().previewSubmission('s1');
    expect(s().submissionPreview).toMatchObject({ sessionId: 's1', data: { submission: { tx_id: 'x' } } });
    s().closeSubmissionPreview();
    expect(s().submissionPreview).toBeNull();
  });
});
