// Flushing against the real runner (../shared/runner-kit, RUNNER-CONTRACT §4): responses a
// respondent answered flush once and go downstream (the runner's log), unknown ones answer 404, a
// token without the role or from an untrusted key is refused, a runner that is down gives one
// plain error per id; and a batch of 100: real answered responses among unknown ids.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FlushOutcome } from '../../shared/flush/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClaims } from '../../shared/launch/build';
import { runCli } from '../../electron/cli/main';
import { flushAll } from '../../electron/services/flush/batch';
import { flushClaims } from '../../electron/services/flush/claims';
import { importTexts, readKeyFiles } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { kidOf } from '../../electron/services/keyring/pem';
import { sealClaims, type SigningKeys } from '../../electron/services/tokens/jwt-profile';
import { launchKeys } from '../../electron/services/tokens/launch-keys';
import { cli } from '../support/cli';
import { respond, runnerKitMissing, startRunnerKit, type RunnerKit } from '../support/runner-kit';
import { ONS, RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-flush-'));

/**
 * Launches `count` test_checkbox responses on the runner and answers each as a respondent would
 * (a few at a time): what /flush then finds stored. Returns their response ids.
 */
async function answeredResponses(runner: RunnerKit, keys: SigningKeys, count: number): Promise<string[]> {
  const ids: string[] = [];
  const one = async () => {
    const claims = newClaims({ payload: 'v2', selection: { schema_name: 'test_checkbox' }, nowSeconds: Math.floor(Date.now() / 1000) });
    const answered = await respond(`${runner.url}/session?token=${await sealClaims(claims, keys)}`, { 'mandatory-checkbox-answer': 'Ham' });
    expect(answered, String(claims.response_id)).toMatchObject({ launchStatus: 302, postStatus: 302 });
    ids.push(String(claims.response_id));
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(4, count) }, async () => {
      while (next < count) {
        next++;
        await one();
      }
    }),
  );
  return ids.sort();
}

describe.skipIf(skipReason(sharedMissing(), runnerKitMissing()))('flush against the real runner', () => {
  let runner: RunnerKit;
  let keys: SigningKeys;
  beforeAll(async () => {
    runner = await startRunnerKit();
    const ring = new KeyRing();
    importTexts(ring, readKeyFiles([RUNNER_KEYS_DIR]));
    keys = launchKeys(ring);
  });
  afterAll(async () => {
    await runner?.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('flushes answered responses once, sends them downstream, and answers 404 after', async () => {
    const [a, b] = await answeredResponses(runner, keys, 2);
    const before = (await runner.payloads()).length;
    const first = await flushAll([a!, b!, 'never-answered'], { runnerUrl: runner.url, keys });
    expect(first.map((o) => [o.responseId, o.httpStatus, o.outcome])).toEqual([
      [a, 200, 'flushed'],
      [b, 200, 'flushed'],
      ['never-answered', 404, 'nothing-to-flush'],
    ]);
    expect((await runner.payloads()).length - before).toBe(2);
    const again = await flushAll([a!], { runnerUrl: runner.url, keys });
    expect(again[0]).toMatchObject({ httpStatus: 404, outcome: 'nothing-to-flush' });
    expect(again[0]!.message).toMatch(/already flushed/);
  });

  it('is refused for a token without the flusher role, and for a key the runner does not trust', async () => {
    const [kept] = await answeredResponses(runner, keys, 1);
    const { roles: _roles, ...noRole } = flushClaims(kept!, Math.floor(Date.now() / 1000));
    const res = await fetch(`${runner.url}/flush?token=${await sealClaims(noRole, keys)}`, { method: 'POST' });
    expect(res.status).toBe(403);
    const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const untrusted = { signer: { kid: kidOf(stranger.publicKey), key: stranger.privateKey }, recipient: keys.recipient };
    const [refused] = await flushAll([kept!], { runnerUrl: runner.url, keys: untrusted });
    expect(refused).toMatchObject({ httpStatus: 403, outcome: 'invalid-token' });
    expect(refused!.message).toContain(untrusted.signer.kid);
    // Neither refusal touched the stored answers.
    const [stillThere] = await flushAll([kept!], { runnerUrl: runner.url, keys });
    expect(stillThere!.outcome).toBe('flushed');
  });

  // 60 real answered responses (each a launch and a posted page) among 40 ids the runner never saw.
  it('flushes a batch of 100 with bounded concurrency, reporting progress for each', async () => {
    const answered = await answeredResponses(runner, keys, 60);
    const unknown = Array.from({ length: 40 }, (_, i) => `batch-unknown-${String(i).padStart(3, '0')}`);
    const ids = [...answered, ...unknown];
    const before = (await runner.payloads()).length;
    const progress: number[] = [];
    const out = await flushAll(ids, { runnerUrl: runner.url, keys, concurrency: 8, onOutcome: (_o, done, total) => progress.push(done / total) });
    expect(progress).toHaveLength(100);
    expect(progress.at(-1)).toBe(1);
    expect(
      out
        .filter((o) => o.outcome === 'flushed')
        .map((o) => o.responseId)
        .sort(),
    ).toEqual(answered);
    expect(
      out
        .filter((o) => o.outcome === 'nothing-to-flush')
        .map((o) => o.responseId)
        .sort(),
    ).toEqual(unknown);
    expect((await runner.payloads()).length - before).toBe(60);
  });

  it('speaks the CLI contract: --json lines, exit 1 unless every id settled', async () => {
    const [answered] = await answeredResponses(runner, keys, 1);
    const listFile = path.join(home, 'ids.csv');
    fs.writeFileSync(listFile, `response_id,note\n${answered},answered\ncli-2,never\n`);
    const ok = await cli(['flush', '--keys', RUNNER_KEYS_DIR, '--runner', runner.url, '--from', listFile, '--json'], { home });
    const lines = ok.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => Object.keys(l))).toEqual([
      ['responseId', 'httpStatus', 'outcome', 'message'],
      ['responseId', 'httpStatus', 'outcome', 'message'],
    ]);
    expect(Object.fromEntries(lines.map((l) => [l.responseId, l.outcome]))).toEqual({ [answered!]: 'flushed', 'cli-2': 'nothing-to-flush' });
    expect(ok.code).toBe(0);
  });

  it('reports a runner that is down as an error per id, exit 1, never a stack trace', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    let stdout = '';
    let stderr = '';
    const code = await runCli(['flush', '--keys', RUNNER_KEYS_DIR, '--runner', down, '--response-id', 'a', '--response-id', 'b', '--json'], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      readStdin: async () => '',
    });
    expect(code).toBe(1);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { httpStatus: unknown; outcome: string; message: string });
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l).toMatchObject({ httpStatus: null, outcome: 'error' });
      expect(l.message).toMatch(/connection refused/);
    }
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('runs flush jobs in the background, reports progress in events, retries what failed, and builds tokens from a launch', async () => {
    const { createServices } = await import('../../electron/services/index');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-flush-jobs-'));
    try {
      const api = await createServices({ configDir: dir, mode: 'browser' });
      // What the Flush screen hears: the job as each event leaves it.
      const jobs = new Map<string, { running: boolean; done: number; counts: Record<string, number>; outcomes: FlushOutcome[] }>();
      api.onEvent((event) => {
        if (event.type !== 'flush.progress') return;
        const outcomes = jobs.get(event.job.id)?.outcomes ?? [];
        if (event.outcome) outcomes.push(event.outcome);
        jobs.set(event.job.id, { ...event.job, outcomes });
      });
      const finished = async (id: string) => {
        for (let i = 0; i < 200 && jobs.get(id)?.running !== false; i++) await new Promise((r) => setTimeout(r, 50));
        return jobs.get(id)!;
      };
      await api.environments.save({ id: 'local', name: 'Local runner', runnerUrl: runner.url });
      await api.keys.importRunnerCheckout(path.join(ONS, 'runner'));
      const [job1, job2] = await answeredResponses(runner, keys, 2);
      const job = await api.flush.start({ items: [{ responseId: job1! }, { responseId: job2! }, { responseId: job1! }, { responseId: 'job-3' }] });
      expect(job.total).toBe(3);
      const state = await finished(job.id);
      expect(state).toMatchObject({ running: false, done: 3, counts: { flushed: 2, 'nothing-to-flush': 1, error: 0 } });
      expect(state.outcomes.map((o) => o.index).sort()).toEqual([0, 1, 2]);
      await expect(api.flush.retry(job.id)).rejects.toThrow(/Nothing to retry/);
      await expect(api.flush.cancel('no-such-job')).rejects.toMatchObject({ code: 'not-found' });

      // Flushing a response by its launch in the history: the token is built from that launch's
      // claims (the runner reads only roles and response_id, so any launch's claims serve).
      const claims = newClaims({ payload: 'v2', selection: { schema_name: 'test_textfield' }, nowSeconds: Math.floor(Date.now() / 1000) });
      const launched = await api.launch.start({ claims, open: 'none' });
      expect(await respond(launched.entry.url, { 'name-answer': 'x' })).toMatchObject({ launchStatus: 302, postStatus: 302 });
      const fromHistory = await api.flush.start({ items: [{ responseId: String(claims.response_id), historyId: launched.entry.id }] });
      expect((await finished(fromHistory.id)).outcomes[0]).toMatchObject({ outcome: 'flushed' });
      expect((await runner.payloads()).at(-1)).toMatchObject({ case_id: claims.case_id, tx_id: claims.tx_id });
      await expect(api.flush.start({ items: [{ responseId: 'x', historyId: 'no-such-launch' }] })).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
