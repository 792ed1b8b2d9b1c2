// The Inspect screen's state without a browser: the slice over a fake ConsoleApi that records what
// it was asked and answers with a canned report.
import { describe, expect, it, vi } from 'vitest';
import type { AppInfo, ConsoleApi, InspectOptions } from '../../shared/api';
import { ConsoleError } from '../../shared/errors';
import type { InspectReport, Problem } from '../../shared/inspect-types';
import { inspectOptions, problemGroups } from '../../renderer/src/state/inspect-slice';
import { createConsoleStore } from '../../renderer/src/state/store';
import { withEvents } from '../support/fake-events';

const RUNNER_URL = 'http://localhost:5000';

const PROBLEMS: Problem[] = [
  { code: 'exp.expired', path: 'exp', message: 'the token expired at 2020-01-01T00:00:00.000Z', source: 'runner' },
  { code: 'claim.required', path: 'survey_metadata.data.ru_ref', message: 'ru_ref is required', source: 'spec' },
  { code: 'metadata.type', path: 'survey_metadata.data.period_id', message: 'period_id should be a string', source: 'runner' },
];

function report(overrides: Partial<InspectReport> = {}): InspectReport {
  return {
    jweHeader: { alg: 'RSA-OAEP', enc: 'A256GCM', kid: 'enc' },
    jwsHeader: { alg: 'RS256', kid: 'sig' },
    claims: { version: 'v2', exp: 1 },
    payloadVersion: 'v2',
    kids: { jwe: null, jws: null },
    state: 'runner',
    runnerStatus: 401,
    problems: PROBLEMS,
    verdict: 'The runner would answer 401: the token expired.',
    ...overrides,
  };
}

function fakeApi(inspect: (input: string, options?: InspectOptions) => Promise<InspectReport>) {
  const info: AppInfo = {
    version: '0.1.0',
    mode: 'browser',
    secretStorage: 'test',
    activeEnvironment: { id: 'local', name: 'Local runner', runnerUrl: RUNNER_URL },
  } as AppInfo;
  const api = withEvents({
    app: { info: vi.fn(async () => info) },
    tokens: { inspect: vi.fn(inspect) },
  });
  return { api, store: createConsoleStore(api as unknown as ConsoleApi & typeof api) };
}

describe('inspect slice helpers', () => {
  it('groups problems by source, keeping their order', () => {
    const groups = problemGroups(PROBLEMS);
    expect(groups.runner.map((p) => p.code)).toEqual(['exp.expired', 'metadata.type']);
    expect(groups.spec.map((p) => p.code)).toEqual(['claim.required']);
    expect(problemGroups([])).toEqual({ console: [], runner: [], spec: [] });
    expect(problemGroups([{ code: 'token.sealed', path: '', message: 'sealed', source: 'console' }]).console).toHaveLength(1);
  });

  it('passes the runner URL only when asked for and known', () => {
    expect(inspectOptions(true, RUNNER_URL)).toEqual({ runnerUrl: RUNNER_URL });
    expect(inspectOptions(false, RUNNER_URL)).toBeUndefined();
    expect(inspectOptions(true, undefined)).toBeUndefined();
  });
});

describe('inspect slice', () => {
  it('inspects the trimmed input against the active runner, as the Launch screen judges, and without it when unchecked', async () => {
    const { api, store } = fakeApi(async () => report());
    await store.getState().loadInfo();
    store.getState().setInspectInput('  http://localhost:5000/session?token=abc\n');
    const first = await store.getState().inspectToken();
    expect(api.tokens.inspect).toHaveBeenLastCalledWith('http://localhost:5000/session?token=abc', { runnerUrl: RUNNER_URL });
    expect(first?.runnerStatus).toBe(401);
    expect(store.getState()).toMatchObject({ inspectReport: report(), inspectCheckedRunner: RUNNER_URL, inspectBusy: false, inspectError: null });

    store.getState().setInspectAgainstRunner(false);
    await store.getState().inspectToken();
    expect(api.tokens.inspect).toHaveBeenLastCalledWith('http://localhost:5000/session?token=abc');
    expect(store.getState().inspectCheckedRunner).toBeNull();
  });

  it('is busy while the service works', async () => {
    let release!: (r: InspectReport) => void;
    const { store } = fakeApi(() => new Promise((resolve) => (release = resolve)));
    store.getState().setInspectInput('token');
    const pending = store.getState().inspectToken();
    expect(store.getState().inspectBusy).toBe(true);
    release(report({ runnerStatus: 302, problems: [] }));
    await pending;
    expect(store.getState().inspectBusy).toBe(false);
    expect(store.getState().inspectReport?.runnerStatus).toBe(302);
  });

  it("shows the service's own message and clears the old report on failure", async () => {
    let fail = false;
    const { store } = fakeApi(async () => {
      if (fail) throw new ConsoleError('bad-input', 'That is neither a token nor a launch URL.\n    at somewhere (x.ts:1:1)');
      return report();
    });
    store.getState().setInspectInput('token');
    await store.getState().inspectToken();
    fail = true;
    await expect(store.getState().inspectToken()).resolves.toBeNull();
    expect(store.getState()).toMatchObject({ inspectError: 'That is neither a token nor a launch URL.', inspectReport: null, inspectBusy: false });
    store.getState().clearInspectError();
    expect(store.getState().inspectError).toBeNull();
  });

  it('keeps only the newest answer when an older one arrives late', async () => {
    const releases: ((r: InspectReport) => void)[] = [];
    const { store } = fakeApi(() => new Promise((resolve) => releases.push(resolve)));
    store.getState().setInspectInput('old');
    const older = store.getState().inspectToken();
    store.getState().setInspectInput('new');
    const newer = store.getState().inspectToken();
    releases[1]!(report({ verdict: 'newer' }));
    await newer;
    releases[0]!(report({ verdict: 'older' }));
    await expect(older).resolves.toBeNull();
    expect(store.getState().inspectReport?.verdict).toBe('newer');
    expect(store.getState().inspectBusy).toBe(false);
  });
});
