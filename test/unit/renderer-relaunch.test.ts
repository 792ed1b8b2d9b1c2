// "Relaunch as this respondent" in the page's store, over a fake ConsoleApi: from a downstream
// payload (the Downstream reader) and from a history entry, the builder is filled with the
// respondent's schema and metadata, fresh ids and a new response_id, the schema is looked up (or
// the entry's own is used), the Launch screen is shown, and the reuse choice is the only way to
// the respondent's own response_id.
import { describe, expect, it, vi } from 'vitest';
import type { ConsoleApi, Environment } from '../../shared/api';
import type { ConsoleEvents } from '../../shared/events';
import type { HistoryEntry, SchemaSummary } from '../../shared/launch-types';
import { relaunchingRespondent } from '../../renderer/src/state/launch-slice';
import { createConsoleStore } from '../../renderer/src/state/store';
import { withEvents } from '../support/fake-events';

const LOCAL: Environment = { id: 'local', name: 'Local runner', runnerUrl: 'http://localhost:5000' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const ROUTING: SchemaSummary = {
  name: 'test_metadata_routing',
  surveyType: 'test',
  title: 'Test Metadata Routing',
  theme: 'default',
  surveyId: '999',
  metadata: [
    { name: 'user_id', type: 'string' },
    { name: 'period_id', type: 'string' },
    { name: 'boolean_flag', type: 'boolean' },
    { name: 'ru_name', type: 'string' },
  ],
  origin: 'http://localhost:5000/schemas/test_metadata_routing',
};
const OTHER: SchemaSummary = { ...ROUTING, name: 'test_other', title: 'Other', metadata: [], origin: 'http://localhost:5000/schemas/test_other' };

/** What the runner sent downstream for a flushed respondent of test_metadata_routing (survey_id is the schema's, added by the runner). */
const PAYLOAD = {
  tx_id: '1d3c2f4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  type: 'uk.gov.ons.edc.eq:surveyresponse',
  version: 'v2',
  data_version: '0.0.3',
  origin: 'uk.gov.ons.edc.eq',
  flushed: true,
  submitted_at: '2026-01-02T10:00:00+00:00',
  launch_language_code: 'cy',
  collection_exercise_sid: '7b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  schema_name: 'test_metadata_routing',
  case_id: '0c1d2e3f-4a5b-4c6d-9e7f-8a9b0c1d2e3f',
  region_code: 'GB-NIR',
  channel: 'RH',
  survey_metadata: { survey_id: '999', user_id: 'RESP-1', period_id: '202501', boolean_flag: true, ru_name: 'Respondent Ltd' },
  data: { answers: [], lists: [] },
};

function entry(): HistoryEntry {
  return {
    id: 'h1',
    at: '2026-01-02T09:00:00.000Z',
    environmentId: 'local',
    runnerUrl: LOCAL.runnerUrl,
    label: ROUTING.title,
    schemaName: ROUTING.name,
    schema: ROUTING,
    payload: 'v2',
    claims: {
      version: 'v2',
      jti: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      tx_id: '8b7c6d5e-4f3a-4b2c-9d1e-0f9a8b7c6d5e',
      iat: 1_700_000_000,
      exp: 1_700_000_300,
      case_id: '6d5e4f3a-2b1c-4d0e-8f9a-8b7c6d5e4f3a',
      collection_exercise_sid: 'ce-1',
      response_id: '1111222233334444',
      response_expires_at: '2020-01-01T00:00:00+00:00',
      account_service_url: 'http://localhost:8000',
      schema_name: ROUTING.name,
      language_code: 'en',
      survey_metadata: { data: { user_id: 'H', period_id: '202401', boolean_flag: false, ru_name: 'History Ltd' } },
    },
    url: 'http://localhost:5000/session?token=x',
    predicted: { runnerStatus: 302, verdict: 'ok' },
    roles: [],
  };
}

function setup() {
  const api = withEvents({
    app: { info: vi.fn(async () => ({ mode: 'browser', version: '0.1.0', configDir: '/x', secretStorage: 'file', activeEnvironment: LOCAL })) },
    schemas: {
      summary: vi.fn(async (_source: unknown, name: string) => [ROUTING, OTHER].find((x) => x.name === name) ?? Promise.reject(new Error(`no schema ${name}`))),
    },
  });
  const store = createConsoleStore(api as unknown as ConsoleApi & ConsoleEvents);
  return { api, s: () => store.getState() };
}

describe('relaunch as a respondent, in the store', () => {
  it('fills the builder from a downstream payload: the same schema and metadata without the runner’s survey_id, fresh ids, a new response_id', async () => {
    const { api, s } = setup();
    await s().loadInfo();
    s().setScreen('downstream');
    expect(await s().relaunchAsRespondent({ kind: 'payload', payload: PAYLOAD, source: 'runner.log:7' })).toBeNull();

    expect(s().screen).toBe('launch');
    expect(api.schemas.summary).toHaveBeenCalledWith({ kind: 'runner', runnerUrl: LOCAL.runnerUrl }, ROUTING.name);
    expect(s().schema).toEqual(ROUTING);
    expect(s().payload).toBe('v2');
    const c = s().claims;
    expect(c).toMatchObject({
      version: 'v2',
      schema_name: ROUTING.name,
      language_code: 'cy',
      region_code: 'GB-NIR',
      channel: 'RH',
      case_id: PAYLOAD.case_id,
      collection_exercise_sid: PAYLOAD.collection_exercise_sid,
    });
    const { survey_id: _runners, ...launched } = PAYLOAD.survey_metadata;
    expect(c.survey_metadata).toEqual({ data: launched });
    expect(c.jti).toMatch(UUID);
    expect(c.tx_id).not.toBe(PAYLOAD.tx_id);
    expect(c.response_id).toMatch(/^[0-9]{16}$/);
    expect(s().check.runnerStatus).toBe(302);
    expect(JSON.parse(s().rawText)).toEqual(c);

    const respondent = s().respondent!;
    expect(respondent).toMatchObject({ source: 'runner.log:7', from: 'payload', freshResponseId: c.response_id, nonce: 1 });
    expect(respondent.respondentResponseId).toBeUndefined();
    expect(respondent.notes).toEqual(['survey_metadata.survey_id ("999") is left out: the runner adds the schema\'s own to every payload.']);
    expect(relaunchingRespondent(s().claims, s().respondent)).toBe(true);
    // A payload has no response_id of the respondent's to reuse.
    s().setReuseResponseId(true);
    expect(s().claims.response_id).toBe(c.response_id);

    // Another schema picked: the builder no longer relaunches the respondent.
    s().selectSchema(OTHER, { kind: 'runner', runnerUrl: LOCAL.runnerUrl });
    expect(relaunchingRespondent(s().claims, s().respondent)).toBe(false);
  });

  it('says why, and leaves the builder alone, for what is not a payload', async () => {
    const { s } = setup();
    s().setScreen('downstream');
    const before = s().claims;
    const why = await s().relaunchAsRespondent({ kind: 'payload', payload: { version: 'v9' }, source: 'x.json' });
    expect(why).toMatch(/not a downstream payload of version v2 or v1/);
    expect(s().screen).toBe('downstream');
    expect(s().claims).toBe(before);
    expect(s().respondent).toBeNull();
  });

  it('relaunches a history entry under its own schema, with a new response_id until the respondent’s is chosen', async () => {
    const { api, s } = setup();
    await s().loadInfo();
    const e = entry();
    expect(await s().relaunchAsRespondent({ kind: 'claims', claims: e.claims, source: 'the launch of x', schema: e.schema })).toBeNull();
    expect(api.schemas.summary).not.toHaveBeenCalled();
    expect(s().schema).toEqual(ROUTING);
    const fresh = s().claims.response_id;
    expect(fresh).not.toBe(e.claims.response_id);
    expect(s().claims.case_id).toBe(e.claims.case_id);
    expect(s().claims.survey_metadata).toEqual(e.claims.survey_metadata);
    expect(s().claims.jti).not.toBe(e.claims.jti);
    expect(Date.parse(String(s().claims.response_expires_at))).toBeGreaterThan(Date.now());

    s().setReuseResponseId(true);
    expect(s().claims.response_id).toBe(e.claims.response_id);
    expect(s().check.runnerStatus).toBe(302);
    s().setReuseResponseId(false);
    expect(s().claims.response_id).toBe(fresh);

    // A second relaunch brings the panel back into view: its nonce moves on.
    await s().relaunchAsRespondent({ kind: 'claims', claims: e.claims, source: 'the launch of x', schema: e.schema });
    expect(s().respondent!.nonce).toBe(2);
  });

  it('takes a v1 payload as v1 claims', async () => {
    const { s } = setup();
    await s().loadInfo();
    const v1 = {
      tx_id: 'a8e1d41d-728c-47c4-89b2-2d087e6e01a4',
      type: 'uk.gov.ons.edc.eq:surveyresponse',
      version: '0.0.3',
      origin: 'uk.gov.ons.edc.eq',
      survey_id: '999',
      flushed: true,
      submitted_at: '2026-01-02T10:00:00',
      collection: { exercise_sid: 'ce-9', schema_name: 'test_metadata_routing', period: '202501', instrument_id: '0001' },
      metadata: { user_id: 'V1USER', ru_ref: '12345678901A' },
      launch_language_code: 'en',
      case_id: '6453e4d3-aac1-424c-be28-23c57aa9e17d',
      data: { answers: [] },
    };
    expect(await s().relaunchAsRespondent({ kind: 'payload', payload: v1, source: 'v1.json' })).toBeNull();
    expect(s().payload).toBe('v1');
    expect(s().claims).toMatchObject({
      schema_name: 'test_metadata_routing',
      period_id: '202501',
      form_type: '0001',
      user_id: 'V1USER',
      ru_ref: '12345678901A',
    });
    expect(s().claims.version).toBeUndefined();
  });
});
