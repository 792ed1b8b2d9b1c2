// The Launch capability's services as every front door gets them from createServices:
// environments with their own rings, launches recorded in the history, profiles, sessions.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { schemaSummary } from '../support/schema-summary';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/api';
import type { HistoryEntry, RunnerAnswer, SchemaPreview, SessionInfo } from '../../shared/launch-types';
import { getAt, newClaims } from '../../shared/launch/index';
import { createServices, type Services } from '../../electron/services/index';
import { HistoryStore, MAX_ENTRIES } from '../../electron/services/launch/history';
import { SETTINGS } from '../../electron/services/config/settings';
import { importTexts, readKeyFiles } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import type { OpenSession, SessionHost } from '../../electron/services/sessions/host';
import { inspectToken } from '../../electron/services/tokens/inspect';
import { RUNNER_DEV_KEYS, RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';

let dir: string;
let services: Services[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-launch-'));
});
afterEach(async () => {
  for (const s of services) await s.shutdown();
  services = [];
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(host?: SessionHost): Promise<Services> {
  const s = await createServices({ configDir: dir, mode: 'browser', sessionHost: host });
  services.push(s);
  return s;
}

const runnerKeyTexts = () =>
  ['sdc-rrm-authentication-signing-private-v1.pem', 'sdc-sr-authentication-encryption-public-v1.pem'].map((name) => ({
    name,
    text: fs.readFileSync(path.join(RUNNER_KEYS_DIR, name), 'utf8'),
  }));

function runnerRing(): KeyRing {
  const ring = new KeyRing();
  importTexts(ring, readKeyFiles([RUNNER_DEV_KEYS]));
  return ring;
}

const SCHEMA = schemaSummary();

/** The files set aside as <base>.damaged-<time>.json. */
const setAside = (base: string) => fs.readdirSync(dir).filter((f) => f.startsWith(`${base}.damaged-`));

const now = () => Math.floor(Date.now() / 1000);

describe('createServices', () => {
  it('implements every channel of the contract', async () => {
    const api = await open();
    for (const channel of CHANNELS) {
      const [group, method] = channel.split('.') as [string, string];
      expect(typeof (api as unknown as Record<string, Record<string, unknown>>)[group]?.[method], channel).toBe('function');
    }
  });
});

describe('environments', () => {
  it('give each environment its own key ring; keys.* work on the active one', async () => {
    const api = await open();
    expect(await api.environments.list()).toEqual([{ id: 'local', name: 'Local runner', runnerUrl: 'http://localhost:5000' }]);
    // The first ring is generated when something first needs it, not when the services start.
    expect(fs.existsSync(path.join(dir, 'keyring.json'))).toBe(false);
    const localKids = (await api.keys.list()).map((k) => k.kid);
    expect(localKids).toHaveLength(2);
    expect(fs.existsSync(path.join(dir, 'keyring.json'))).toBe(true);

    const staging = await api.environments.save({ name: 'Staging runner', runnerUrl: 'https://runner.staging.example.com/' });
    expect(staging).toEqual({ id: 'staging-runner', name: 'Staging runner', runnerUrl: 'https://runner.staging.example.com' });
    expect(fs.existsSync(path.join(dir, 'keyrings/staging-runner.json'))).toBe(true);
    expect((await api.keys.list()).map((k) => k.kid)).toEqual(localKids); // still the local one

    expect(await api.environments.activate('staging-runner')).toEqual(staging);
    expect((await api.app.info()).activeEnvironment).toEqual(staging);
    const stagingKids = (await api.keys.list()).map((k) => k.kid);
    expect(stagingKids).toHaveLength(2);
    expect(stagingKids.some((k) => localKids.includes(k))).toBe(false);

    await api.keys.importTexts(runnerKeyTexts());
    expect((await api.keys.list()).map((k) => k.kid)).toHaveLength(4);
    await api.environments.activate('local');
    expect((await api.keys.list()).map((k) => k.kid)).toEqual(localKids);

    // Another front door (a second process) sees the same.
    const other = await open();
    expect((await other.environments.list()).map((e) => e.id)).toEqual(['local', 'staging-runner']);
  });

  it('updates by id, refuses bad input and unknown ids, and never removes the last one', async () => {
    const api = await open();
    await expect(api.environments.save({ name: ' ', runnerUrl: 'http://x.example.com' })).rejects.toThrow(/name/);
    await expect(api.environments.save({ name: 'X', runnerUrl: 'launcher:8000' })).rejects.toThrow(/http/);
    await expect(api.environments.save({ id: 'nope', name: 'X', runnerUrl: 'http://x.example.com' })).rejects.toMatchObject({ code: 'not-found' });
    expect(await api.environments.save({ id: 'local', name: 'Mine', runnerUrl: 'http://127.0.0.1:5000' })).toEqual({
      id: 'local',
      name: 'Mine',
      runnerUrl: 'http://127.0.0.1:5000',
    });
    await expect(api.environments.remove('local')).rejects.toThrow(/last environment/);
    await expect(api.environments.activate('nope')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('removing one deletes its ring file and hands over to another', async () => {
    const api = await open();
    const a = await api.environments.save({ name: 'A', runnerUrl: 'http://a.example.com' });
    const b = await api.environments.save({ name: 'A', runnerUrl: 'http://b.example.com' });
    expect(b.id).toBe('a-2');
    await api.environments.activate(a.id);
    await api.environments.remove(a.id);
    expect(fs.existsSync(path.join(dir, 'keyrings/a.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'keyrings/a-2.json'))).toBe(true);
    expect((await api.app.info()).activeEnvironment.id).toBe('local');
    await api.environments.remove('local');
    expect(fs.existsSync(path.join(dir, 'keyring.json'))).toBe(false);
    expect((await api.app.info()).activeEnvironment).toEqual(b);
  });

  it('migrates a version 1 settings file: its environments keep the shared keyring.json', async () => {
    const first = await open();
    const kids = (await first.keys.list()).map((k) => k.kid);
    fs.writeFileSync(
      path.join(dir, 'settings.json'),
      JSON.stringify({
        version: 1,
        environments: [
          { id: 'local', name: 'Local runner', runnerUrl: 'http://localhost:5000' },
          { id: 'old', name: 'Old', runnerUrl: 'http://old.example.com' },
        ],
        activeEnvironmentId: 'old',
      }),
    );
    const api = await open();
    expect((await api.app.info()).activeEnvironment.id).toBe('old');
    expect((await api.keys.list()).map((k) => k.kid)).toEqual(kids);
    // Rewritten in conf's form: conf keeps the data version, the file's own field is gone.
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'));
    expect(saved.version).toBeUndefined();
    expect(saved.__internal__).toEqual({ migrations: { version: SETTINGS.version } });
    expect(saved.environments.map((e: { keyring: string }) => e.keyring)).toEqual(['keyring.json', 'keyring.json']);
    // Shared ring: removing one of the two environments leaves the file for the other.
    await api.environments.remove('old');
    expect(fs.existsSync(path.join(dir, 'keyring.json'))).toBe(true);
  });

  it('sets a settings file from a newer console aside, as it was, and starts with the Local runner', async () => {
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"version": 9}');
    const api = await open();
    expect(await api.environments.list()).toEqual([{ id: 'local', name: 'Local runner', runnerUrl: 'http://localhost:5000' }]);
    const [moved] = setAside('settings');
    expect(fs.readFileSync(path.join(dir, moved!), 'utf8')).toBe('{"version": 9}');
    expect((await api.app.info()).setAside).toEqual([
      expect.stringContaining('settings.json could not be read (unknown version 9 (written by a newer console)): it was set aside as settings.damaged-'),
    ]);
  });
});

describe('history', () => {
  const entry = (i: number): HistoryEntry => ({
    id: `id-${i}`,
    at: new Date(1_700_000_000_000 + i * 1000).toISOString(),
    environmentId: 'local',
    runnerUrl: 'http://localhost:5000',
    label: `Launch ${i}`,
    payload: 'v2',
    claims: { n: i },
    url: `http://localhost:5000/session?token=${i}`,
    predicted: { runnerStatus: 302, verdict: 'ok' },
    roles: [],
  });

  it('is kept in history.json, newest first, at most 500 entries', async () => {
    const store = new HistoryStore(dir);
    for (let i = 0; i < MAX_ENTRIES + 5; i++) store.add(entry(i));
    const again = new HistoryStore(dir);
    const list = await again.list();
    expect(list).toHaveLength(500);
    expect(list[0]!.id).toBe('id-504');
    expect(list.at(-1)!.id).toBe('id-5');
    await again.remove('id-504');
    expect((await store.list())[0]!.id).toBe('id-503');
    await expect(store.remove('id-504')).rejects.toMatchObject({ code: 'not-found' });
    await store.clear();
    expect(await again.list()).toEqual([]);
  });

  it('sets a corrupt history file aside and records in a fresh one', async () => {
    const file = path.join(dir, 'history.json');
    fs.writeFileSync(file, '[oops');
    const store = new HistoryStore(dir);
    expect(await store.list()).toEqual([]);
    const [moved] = setAside('history');
    expect(moved).toMatch(/^history\.damaged-[0-9T-]+Z\.json$/);
    expect(fs.readFileSync(path.join(dir, moved!), 'utf8')).toBe('[oops');
    store.add(entry(1));
    expect((await new HistoryStore(dir).list()).map((e) => e.id)).toEqual(['id-1']);
  });
});

describe('profiles', () => {
  it('belong to the environment they were saved in', async () => {
    const api = await open();
    const claims = newClaims({ payload: 'v2', schema: SCHEMA, nowSeconds: now() });
    const mine = await api.profiles.save({
      name: 'Textfield',
      payload: 'v2',
      claims,
      schema: { source: { kind: 'runner', runnerUrl: 'http://localhost:5000' }, name: 'test_textfield' },
    });
    expect(mine).toMatchObject({ name: 'Textfield', environmentId: 'local', payload: 'v2' });
    const other = await api.environments.save({ name: 'Other', runnerUrl: 'http://other.example.com' });
    await api.environments.activate(other.id);
    expect(await api.profiles.list()).toEqual([]);
    await api.profiles.save({ name: 'Elsewhere', payload: 'v1', claims: {} });
    await api.environments.activate('local');
    expect((await api.profiles.list()).map((p) => p.name)).toEqual(['Textfield']);
    const renamed = await api.profiles.save({ id: mine.id, name: 'Renamed', payload: 'v2', claims });
    expect(renamed.id).toBe(mine.id);
    expect((await api.profiles.list()).map((p) => p.name)).toEqual(['Renamed']);
    await expect(api.profiles.save({ name: 'x', payload: 'v9' as never, claims: {} })).rejects.toThrow(/payload/);
    // Removing an environment takes its profiles with it.
    await api.environments.remove(other.id);
    const stored = JSON.parse(fs.readFileSync(path.join(dir, 'profiles.json'), 'utf8'));
    expect(stored.profiles.map((p: { name: string }) => p.name)).toEqual(['Renamed']);
    await api.profiles.remove(mine.id);
    expect(await api.profiles.list()).toEqual([]);
  });

  it('sets a corrupt profiles file aside, as it was, and starts with none', async () => {
    const api = await open();
    fs.writeFileSync(path.join(dir, 'profiles.json'), '{"version": 1}');
    expect(await api.profiles.list()).toEqual([]);
    const [moved] = setAside('profiles');
    expect(fs.readFileSync(path.join(dir, moved!), 'utf8')).toBe('{"version": 1}');
    expect(api.notices).toEqual([
      expect.stringContaining("profiles.json could not be read (not in the expected shape: must have required property 'profiles')"),
    ]);
  });
});

describe('sessions in browser mode', () => {
  it('has no embedded sessions and says where the submission dump is', async () => {
    const api = await open();
    expect(await api.sessions.list()).toEqual([]);
    await api.sessions.setViewport({ x: 0, y: 0, width: 10, height: 10 });
    await expect(api.sessions.control('x', 'reload')).rejects.toMatchObject({ code: 'not-found' });
    await expect(api.sessions.previewSubmission('x')).rejects.toThrow('open http://localhost:5000/dump/submission there');
  });
});

describe.skipIf(skipReason(sharedMissing()))('launch', () => {
  it("checks claims with the schema's metadata, and says a fresh ring cannot mint for a runner", async () => {
    const api = await open();
    const claims = newClaims({ payload: 'v2', schema: SCHEMA, nowSeconds: now() });
    expect(await api.launch.check(claims, SCHEMA)).toMatchObject({ state: 'cannot-mint', runnerStatus: null });
    await api.keys.importTexts(runnerKeyTexts());
    expect(await api.launch.check(claims, SCHEMA)).toMatchObject({ state: 'runner', payloadVersion: 'v2', runnerStatus: 302, problems: [] });
    const data = getAt(claims, 'survey_metadata.data') as Record<string, unknown>;
    delete data.ru_name;
    const check = await api.launch.check(claims, SCHEMA);
    expect(check.runnerStatus).toBe(403);
    expect(check.problems.find((p) => p.source === 'runner')).toEqual({
      code: 'metadata.required',
      path: 'survey_metadata.data.ru_name',
      message: expect.any(String),
      source: 'runner',
    });
    expect((await api.launch.check(claims)).runnerStatus).toBe(302);
  });

  it('mints with the active ring, records the launch, and a relaunch gets fresh jti and tx_id', async () => {
    const api = await open();
    await api.keys.importTexts(runnerKeyTexts());
    const claims = newClaims({ payload: 'v2', schema: SCHEMA, nowSeconds: now(), roles: ['dumper'] });
    const result = await api.launch.start({ claims, schema: SCHEMA, open: 'none' });
    expect(result.entry.url).toBe(`http://localhost:5000/session?token=${result.token}`);
    expect(result.entry).toMatchObject({
      environmentId: 'local',
      label: 'Test Textfield',
      schemaName: 'test_textfield',
      payload: 'v2',
      roles: ['dumper'],
      predicted: { runnerStatus: 302 },
    });
    expect(result.check.runnerStatus).toBe(302);
    expect((await api.history.list()).map((e) => e.id)).toEqual([result.entry.id]);

    const report = await inspectToken(result.entry.url, runnerRing());
    expect(report.claims).toEqual(claims);
    expect(report.jweHeader?.kid).toBe('e19091072f920cbf3ca9f436ceba309e7d814a62');

    const again = await api.launch.relaunch(result.entry.id);
    expect(again.entry.id).not.toBe(result.entry.id);
    const c = again.entry.claims;
    expect(c.jti).not.toBe(claims.jti);
    expect(c.tx_id).not.toBe(claims.tx_id);
    expect(c.response_id).toBe(claims.response_id);
    expect(again.entry.schema?.name).toBe('test_textfield');
    expect((await inspectToken(again.entry.url, runnerRing())).claims).toEqual(c);
    const fresh = await api.launch.relaunch(result.entry.id, { newResponse: true });
    expect(fresh.entry.claims.response_id).not.toBe(claims.response_id);
    expect((await api.history.list()).map((e) => e.id)).toEqual([fresh.entry.id, again.entry.id, result.entry.id]);
    await expect(api.launch.relaunch('nope')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('records a launch the page opened in a tab as sent, and then predicts the runner refuses its jti again (401)', async () => {
    const api = await open();
    await api.keys.importTexts(runnerKeyTexts());
    const claims = newClaims({ payload: 'v2', schema: SCHEMA, nowSeconds: now() });
    const copied = await api.launch.start({ claims, schema: SCHEMA, open: 'none' });
    expect(copied.entry.opened).toBeUndefined();
    expect((await api.launch.start({ claims: { ...claims, tx_id: crypto.randomUUID() }, schema: SCHEMA, open: 'tab' })).entry).toMatchObject({
      opened: 'tab',
      predicted: { runnerStatus: 302 },
    });
    // The same jti once more: the runner has seen it.
    const third = await api.launch.start({ claims: { ...claims, tx_id: crypto.randomUUID() }, schema: SCHEMA, open: 'none' });
    expect(third.check.runnerStatus).toBe(401);
    expect((await api.launch.check(claims, SCHEMA)).runnerStatus).toBe(401);
  });

  it('relaunches a local preview at its current URL, so the runner does not answer from its cache', async () => {
    const api = await open();
    await api.keys.importTexts(runnerKeyTexts());
    // Beside the config folder, not in it: the console never serves its own folder's files.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-preview-')), 'preview.json');
    fs.writeFileSync(file, JSON.stringify({ title: 'First', theme: 'default', metadata: [] }));
    const preview = await api.schemas.previewStart(file);
    const claims = { ...newClaims({ payload: 'v2', selection: { schema_url: preview.schemaUrl }, nowSeconds: now() }) };
    const first = await api.launch.start({ claims, open: 'none' });
    // The change arrives as a schemas.preview event.
    const changed = new Promise<SchemaPreview>((resolve) => {
      const stop = api.onEvent((event) => {
        if (event.type === 'schemas.preview' && event.preview.id === preview.id && event.preview.version > preview.version) {
          stop();
          resolve(event.preview);
        }
      });
    });
    fs.writeFileSync(file, JSON.stringify({ title: 'Second', theme: 'default', metadata: [] }));
    const status = await changed;
    expect(status.schemaUrl).not.toBe(preview.schemaUrl);
    expect(status.summary?.title).toBe('Second');
    const again = await api.launch.relaunch(first.entry.id);
    expect(again.entry.claims.schema_url).toBe(status.schemaUrl);
    expect(await (await fetch(String(again.entry.claims.schema_url))).json()).toMatchObject({ title: 'Second' });
    // The same for a launch made from old claims (a history entry or a profile loaded into the builder).
    const fromOldClaims = await api.launch.start({ claims: { ...first.entry.claims, jti: crypto.randomUUID() }, open: 'none' });
    expect(fromOldClaims.entry.claims.schema_url).toBe(status.schemaUrl);
    expect(fromOldClaims.entry.label).toBe('Second');
  });

  it('says which key is missing when the ring cannot launch', async () => {
    const api = await open();
    const claims = newClaims({ payload: 'v2', schema: SCHEMA, nowSeconds: now() });
    await expect(api.launch.start({ claims })).rejects.toMatchObject({ code: 'no-key-for-purpose' });
    expect(await api.history.list()).toEqual([]);
  });

  it("opens embedded sessions through the host and records the runner's answer", async () => {
    const opened: OpenSession[] = [];
    const external: string[] = [];
    const info = (s: OpenSession): SessionInfo => ({
      id: 's1',
      historyId: s.historyId,
      label: s.label,
      url: s.url,
      title: '',
      canGoBack: false,
      canGoForward: false,
      loading: true,
      active: true,
      dumper: s.dumper,
    });
    const host: SessionHost = {
      embedded: true,
      open: async (s) => {
        opened.push(s);
        return info(s);
      },
      openExternal: async (url) => void external.push(url),
      list: async () => [],
      control: async () => [],
      setViewport: async () => {},
      previewSubmission: async () => ({}),
    };
    const api = await open(host);
    await api.keys.importTexts(runnerKeyTexts());
    const claims = newClaims({ payload: 'v2', schema: SCHEMA, nowSeconds: now(), roles: ['dumper'] });
    const result = await api.launch.start({ claims, schema: SCHEMA, open: 'embedded', runnerUrl: 'http://127.0.0.1:5999/' });
    expect(result.session).toMatchObject({ id: 's1', historyId: result.entry.id, dumper: true });
    expect(opened[0]).toMatchObject({ url: result.entry.url, runnerUrl: 'http://127.0.0.1:5999', dumper: true, label: 'Test Textfield' });
    const answer: RunnerAnswer = { status: 302, location: 'http://127.0.0.1:5999/questionnaire/', at: new Date().toISOString() };
    opened[0]!.onAnswer(answer);
    expect((await api.history.list())[0]!.answer).toEqual(answer);

    await api.launch.start({ claims: { ...claims, jti: crypto.randomUUID() }, open: 'browser' });
    expect(external).toHaveLength(1);
    expect(external[0]).toMatch(/^http:\/\/localhost:5000\/session\?token=/);
  });
});
