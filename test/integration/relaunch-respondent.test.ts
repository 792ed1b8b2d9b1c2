// `launch --from-payload` and `launch --from-token` against the real runner (../shared/runner-kit),
// run through the command line's own entry (runCli, what bin/eq-console runs once built; the
// source is run here, so a build under way elsewhere cannot change what is tested). Respondents are launched, answer a page and are
// flushed; their payloads are taken from the runner's own log, and each relaunch must be answered
// 302 by the runner with the respondent's metadata: proved twice, in the relaunch's claims and in
// the payload the relaunch itself is flushed into, which must carry the same survey_metadata,
// case, collection exercise, language, region and channel as the respondent's.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { respond, runnerKitMissing, startRunnerKit, type RunnerKit } from '../support/runner-kit';
import { RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';

type Json = Record<string, any>;
interface Launched {
  url: string;
  runnerStatus: number;
  claims: Json;
  relaunch?: Json;
}

const skip = skipReason(sharedMissing(), runnerKitMissing());
const CHECKBOX = 'mandatory-checkbox-answer';

describe.skipIf(skip !== undefined)('relaunch as a respondent, on the command line, against the real runner', () => {
  let runner: RunnerKit;
  let home: string;
  let scratch: string;
  const savedHome = process.env.EQ_CONSOLE_HOME;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-relaunch-home-'));
    // The command line's config folder: a throwaway one, never the user's.
    process.env.EQ_CONSOLE_HOME = home;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-relaunch-files-'));
    runner = await startRunnerKit();
  }, 60_000);

  afterAll(async () => {
    if (savedHome === undefined) delete process.env.EQ_CONSOLE_HOME;
    else process.env.EQ_CONSOLE_HOME = savedHome;
    await runner?.close();
    for (const dir of [home, scratch]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function eqConsole(args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: async () => input });
    return { code, stdout, stderr };
  }
  const common = () => ['--keys', RUNNER_KEYS_DIR, '--runner', runner.url];

  async function launch(args: string[], input?: string): Promise<Launched & { stderr: string }> {
    const r = await eqConsole(['launch', ...common(), '--json', ...args], input);
    expect(r.code, r.stderr).toBe(0);
    return { ...(JSON.parse(r.stdout) as Launched), stderr: r.stderr };
  }

  /** A respondent of test_checkbox with metadata of their own, who answered the page (stored, not submitted). */
  async function respondent(answer: string): Promise<Launched> {
    const mark = randomUUID().slice(0, 8);
    const launched = await launch([
      '--schema-name',
      'test_checkbox',
      '--set',
      `survey_metadata.data.ru_name=Respondent ${mark} Ltd`,
      '--set',
      `survey_metadata.data.user_id=U-${mark}`,
      '--set',
      'survey_metadata.data.period_id=202412',
      '--set',
      'region_code=GB-WLS',
      '--set',
      'channel=RH',
    ]);
    expect(launched.runnerStatus).toBe(302);
    expect(await respond(launched.url, { [CHECKBOX]: answer })).toMatchObject({ launchStatus: 302, postStatus: 302 });
    return launched;
  }

  async function flush(responseId: string): Promise<Json> {
    const r = await eqConsole(['flush', ...common(), '--json', '--response-id', responseId]);
    return JSON.parse(r.stdout) as Json;
  }

  /** The payload the runner logged for a launch (by its tx_id), opened as `downstream --json` opens it. */
  async function loggedPayload(txId: string): Promise<{ index: number; jwe: string; payload: Json }> {
    const logged = await runner.payloads();
    const index = logged.findIndex((p) => p.tx_id === txId);
    expect(index, `no payload with tx_id ${txId} in the runner's log`).toBeGreaterThanOrEqual(0);
    const opened = await eqConsole(['downstream', '--keys', RUNNER_KEYS_DIR, '--json', '-'], logged[index]!.message);
    // Opened and verified; whether it fits the spec's metadata shapes is the launch's business (exit 1 when not).
    const line = JSON.parse(opened.stdout) as { decrypted: boolean; signatureValid: boolean; payload: Json };
    expect(line, opened.stderr).toMatchObject({ decrypted: true, signatureValid: true });
    return { index, jwe: logged[index]!.message, payload: line.payload };
  }

  /** What a relaunch must keep of the respondent, as the payload says it. */
  function expectSameRespondent(relaunch: Json, payload: Json) {
    expect(relaunch.schema_name).toBe(payload.schema_name);
    expect(relaunch.case_id).toBe(payload.case_id);
    expect(relaunch.collection_exercise_sid).toBe(payload.collection_exercise_sid);
    expect(relaunch.language_code).toBe(payload.launch_language_code);
    expect(relaunch.region_code).toBe(payload.region_code);
    expect(relaunch.channel).toBe(payload.channel);
  }

  /** The relaunch answered and flushed in its turn: its payload carries the same respondent. */
  async function flushedAgain(relaunched: Launched, original: Json): Promise<Json> {
    expect(await respond(relaunched.url, { [CHECKBOX]: 'Pineapple' })).toMatchObject({ launchStatus: 302, postStatus: 302 });
    expect(await flush(String(relaunched.claims.response_id))).toMatchObject({ httpStatus: 200, outcome: 'flushed' });
    const { payload } = await loggedPayload(String(relaunched.claims.tx_id));
    for (const key of ['survey_metadata', 'case_id', 'collection_exercise_sid', 'launch_language_code', 'region_code', 'channel', 'schema_name']) {
      expect(payload[key], key).toEqual(original[key]);
    }
    expect(payload.tx_id).not.toBe(original.tx_id);
    expect(payload.data.answers).toEqual([{ answer_id: CHECKBOX, value: ['Pineapple'] }]);
    return payload;
  }

  it('relaunches a flushed respondent from the runner’s log (--pick among several), and the runner answers 302 with the same metadata', async () => {
    const first = await respondent('Ham');
    const second = await respondent('Tuna');
    for (const r of [first, second]) expect(await flush(String(r.claims.response_id))).toMatchObject({ httpStatus: 200, outcome: 'flushed' });
    const { index, payload } = await loggedPayload(String(second.claims.tx_id));
    expect(payload.data.answers).toEqual([{ answer_id: CHECKBOX, value: ['Tuna'] }]);

    // Several payloads in the log and no --pick: which ones, and how to choose.
    const total = (await runner.payloads()).length;
    const unpicked = await eqConsole(['launch', ...common(), '--from-payload', runner.logFile]);
    expect(unpicked.code).toBe(2);
    expect(unpicked.stdout).toBe('');
    expect(unpicked.stderr).toContain(`holds ${total} payloads; choose one with --pick N (1 to ${total}):`);
    expect(unpicked.stderr).toContain(`tx_id ${String(second.claims.tx_id)}`);

    const relaunched = await launch(['--from-payload', runner.logFile, '--pick', String(index + 1)]);
    expect(relaunched.runnerStatus).toBe(302);
    expect(relaunched.relaunch).toMatchObject({ source: expect.stringMatching(/:\d+$/), respondentResponseId: null, reusedResponseId: false });
    expect(relaunched.stderr).toContain(`with a new response_id ${String(relaunched.claims.response_id)} (a payload does not carry theirs)`);
    const c = relaunched.claims;
    expectSameRespondent(c, payload);
    // survey_metadata.data is what the respondent was launched with: the payload's, which adds nothing here.
    expect(c.survey_metadata.data).toEqual(second.claims.survey_metadata.data);
    for (const fresh of ['jti', 'tx_id', 'response_id']) expect(c[fresh], fresh).not.toBe(second.claims[fresh]);
    expect(c.response_id).toMatch(/^[0-9]{16}$/);

    // The runner's own answer to the URL printed, and what it sends downstream for the relaunch.
    const res = await fetch(relaunched.url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/\/questionnaire\/?$/);
    // That jti is used now; a relaunch from the same payload gets fresh ones and is answered too.
    const again = await launch(['--from-payload', runner.logFile, '--pick', String(index + 1)]);
    expect(again.claims.jti).not.toBe(c.jti);
    await flushedAgain(again, payload);
  });

  it('relaunches from the payload JWE on stdin, and from the same payload as plain JSON with options on top', async () => {
    const who = await respondent('Ham');
    expect(await flush(String(who.claims.response_id))).toMatchObject({ outcome: 'flushed' });
    const { jwe, payload } = await loggedPayload(String(who.claims.tx_id));

    const fromJwe = await launch(['--from-payload', '-'], jwe);
    expect(fromJwe.runnerStatus).toBe(302);
    expect(fromJwe.relaunch!.source).toBe('stdin');
    expectSameRespondent(fromJwe.claims, payload);
    expect(fromJwe.claims.survey_metadata.data).toEqual(who.claims.survey_metadata.data);

    const plain = path.join(scratch, 'payload.json');
    fs.writeFileSync(plain, JSON.stringify(payload));
    const edited = await launch(['--from-payload', plain, '--set', 'survey_metadata.data.ru_name=Edited Ltd', '--role', 'dumper']);
    expect(edited.runnerStatus).toBe(302);
    expect(edited.claims.survey_metadata.data).toEqual({ ...who.claims.survey_metadata.data, ru_name: 'Edited Ltd' });
    expect(edited.claims.roles).toEqual(['dumper']);
    expectSameRespondent(edited.claims, payload);
    expect((await fetch(edited.url, { redirect: 'manual' })).status).toBe(302);
  });

  it('leaves out the survey_id the runner adds, and keeps one the launch gave (not the schema’s)', async () => {
    for (const [data, runnerAdds] of [
      [{ user_id: 'U-min', period_id: '202412', ru_name: 'Minimal Ltd' }, true],
      [{ user_id: 'U-own', period_id: '202412', ru_name: 'Own Survey Ltd', survey_id: '123' }, false],
    ] as const) {
      const who = await launch(['--schema-name', 'test_checkbox', '--set', `survey_metadata.data=${JSON.stringify(data)}`]);
      expect(await respond(who.url, { [CHECKBOX]: 'Ham' })).toMatchObject({ launchStatus: 302, postStatus: 302 });
      expect(await flush(String(who.claims.response_id))).toMatchObject({ outcome: 'flushed' });
      const { jwe, payload } = await loggedPayload(String(who.claims.tx_id));
      // The runner's payload: the launch's data over the schema's survey_id.
      expect(payload.survey_metadata).toEqual(runnerAdds ? { survey_id: expect.any(String), ...data } : data);

      const relaunched = await launch(['--from-payload', '-'], jwe);
      expect(relaunched.runnerStatus).toBe(302);
      expect(relaunched.claims.survey_metadata.data).toEqual(data);
      expect(relaunched.stderr.includes('note: survey_metadata.survey_id')).toBe(runnerAdds);
      await flushedAgain(relaunched, payload);
    }
  });

  it('relaunches from a launch URL with a new response_id, leaving the respondent’s stored answers as they were', async () => {
    const who = await respondent('Ham');
    const relaunched = await launch(['--from-token', who.url]);
    expect(relaunched.runnerStatus).toBe(302);
    expect(relaunched.relaunch).toMatchObject({ source: 'the token', respondentResponseId: who.claims.response_id, reusedResponseId: false });
    const { jti, tx_id, iat, exp, response_id, response_expires_at, ...kept } = relaunched.claims;
    const { jti: j0, tx_id: t0, iat: _i, exp: _e, response_id: r0, response_expires_at: _r, ...theirs } = who.claims;
    expect(kept).toEqual(theirs);
    expect([jti, tx_id, response_id]).not.toContain(j0);
    expect(tx_id).not.toBe(t0);
    expect(response_id).not.toBe(r0);
    expect(typeof iat).toBe('number');
    expect(exp).toBeGreaterThan(iat);
    expect(Date.parse(response_expires_at)).toBeGreaterThan(Date.now());

    // Answered differently under its own response_id, the respondent's answers are still theirs.
    expect(await respond(relaunched.url, { [CHECKBOX]: 'Pineapple' })).toMatchObject({ launchStatus: 302, postStatus: 302 });
    expect(await flush(String(who.claims.response_id))).toMatchObject({ httpStatus: 200, outcome: 'flushed' });
    const { payload } = await loggedPayload(String(who.claims.tx_id));
    expect(payload.data.answers).toEqual([{ answer_id: CHECKBOX, value: ['Ham'] }]);
    await flushedAgainFromToken(relaunched, payload);
  });

  /** As flushedAgain, for a relaunch that was answered already. */
  async function flushedAgainFromToken(relaunched: Launched, original: Json) {
    expect(await flush(String(relaunched.claims.response_id))).toMatchObject({ httpStatus: 200, outcome: 'flushed' });
    const { payload } = await loggedPayload(String(relaunched.claims.tx_id));
    for (const key of ['survey_metadata', 'case_id', 'collection_exercise_sid', 'launch_language_code', 'region_code', 'channel']) {
      expect(payload[key], key).toEqual(original[key]);
    }
    expect(payload.data.answers).toEqual([{ answer_id: CHECKBOX, value: ['Pineapple'] }]);
  }

  it('reuses the respondent’s response_id only when told to, and warns', async () => {
    const who = await respondent('Ham');
    const reused = await launch(['--from-token', who.url, '--reuse-response-id']);
    expect(reused.claims.response_id).toBe(who.claims.response_id);
    expect(reused.relaunch).toMatchObject({ reusedResponseId: true, warning: expect.stringContaining("the runner will open the respondent's stored answers") });
    expect(reused.stderr).toContain(
      `warning: Reusing the respondent's response_id ${String(who.claims.response_id)}: the runner will open the respondent's stored answers; a launch can change them.`,
    );
    expect((await fetch(reused.url, { redirect: 'manual' })).status).toBe(302);

    const refused = await eqConsole(['launch', ...common(), '--from-payload', runner.logFile, '--reuse-response-id']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--reuse-response-id needs --from-token: a downstream payload does not carry the respondent's response_id/);
  });

  it('says why, in one line, when there is nothing to relaunch', async () => {
    const empty = path.join(scratch, 'empty.log');
    fs.writeFileSync(empty, 'nothing here\n');
    for (const [args, message] of [
      [['--from-payload', empty], /^eq-console: --from-payload: .*empty\.log/],
      [['--from-payload', path.join(scratch, 'absent.jwe')], /does not exist/],
      [['--from-token', 'not a token'], /the token's claims cannot be read, so there is no respondent to relaunch/],
      [['--from-token', 'x', '--from-payload', empty], /give --from-payload or --from-token, not both/],
      [['--schema-name', 'test_checkbox', '--pick', '2'], /--pick chooses among the payloads of --from-payload/],
    ] as const) {
      const r = await eqConsole(['launch', ...common(), ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr.trim(), args.join(' ')).toMatch(message);
    }
  });
});
