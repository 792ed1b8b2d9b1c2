// `eq-console downstream` as a user runs it: --json lines with exactly the promised keys in order,
// readable lines and a summary, stdin, folders with good and bad payloads, and the exit codes of
// the CLI contract (0 all good, 1 something not, 2 usage and key-store errors) without stack traces.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { cli } from '../support/cli';
import { keyPair, seal, submissionKeys, surveyResponse, writeKeyFolder } from '../support/downstream';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-ds-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const KEYS = ['source', 'kind', 'decrypted', 'signatureValid', 'payloadVersion', 'type', 'dataVersion', 'valid', 'problems', 'payload'];
const keys = submissionKeys();
const keyDir = path.join(tmp, 'keys');
const home = path.join(tmp, 'home');

async function run(args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: async () => stdin });
  return { code, stdout, stderr };
}
const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

describe('eq-console downstream', () => {
  const mixed = path.join(tmp, 'mixed');
  const good = path.join(tmp, 'good');
  const payloads: Record<string, unknown> = {};
  beforeAll(async () => {
    writeKeyFolder(keys, keyDir);
    fs.mkdirSync(path.join(mixed, 'sub'), { recursive: true });
    fs.mkdirSync(good);
    payloads.a = surveyResponse(2);
    fs.writeFileSync(path.join(mixed, 'a-good.jwe'), await seal(payloads.a, keys));
    const invalid = surveyResponse();
    delete invalid.tx_id;
    fs.writeFileSync(path.join(mixed, 'b-invalid.jwe'), await seal(invalid, keys));
    const tampered = (await seal(surveyResponse(), keys)).split('.');
    tampered[3] = 'AAAA' + tampered[3]!.slice(4);
    fs.writeFileSync(path.join(mixed, 'c-tampered.jwe'), tampered.join('.'));
    const stranger = keyPair();
    fs.writeFileSync(
      path.join(mixed, 'd-stranger.jwe'),
      await seal(surveyResponse(), { signer: keys.sealing.signer, recipient: { kid: stranger.kid, key: stranger.publicKey } }),
    );
    payloads.e = surveyResponse(1);
    fs.writeFileSync(path.join(mixed, 'sub', 'e-plain.json'), JSON.stringify(payloads.e, null, 2));
    fs.writeFileSync(path.join(mixed, 'notes.md'), 'not looked at');
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(good, `p${i}.jwe`), await seal(surveyResponse(), keys));
  });

  it('--json: one line per payload with exactly the promised keys in order, streamed in input order; exit 1 for a mixed folder', async () => {
    const r = await cli(['downstream', '--keys', keyDir, '--json', mixed], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    for (const l of out) expect(Object.keys(l)).toEqual(KEYS);
    expect(out.map((l) => [path.relative(mixed, l.source as string), l.kind, l.decrypted, l.signatureValid, l.valid])).toEqual([
      ['a-good.jwe', 'jwe', true, true, true],
      ['b-invalid.jwe', 'jwe', true, true, false],
      ['c-tampered.jwe', 'jwe', false, null, false],
      ['d-stranger.jwe', 'jwe', false, null, false],
      [path.join('sub', 'e-plain.json'), 'json', false, null, true],
    ]);
    expect(out[0]).toMatchObject({ payloadVersion: 'v2', type: 'surveyresponse', dataVersion: '0.0.3', problems: [], payload: payloads.a });
    expect(out[1]!.problems).toEqual([{ path: 'tx_id', message: 'tx_id is required by submission_v2.json' }]);
    expect(out[2]).toMatchObject({
      payload: null,
      payloadVersion: 'unknown',
      problems: [{ path: '', message: expect.stringMatching(/^Decryption failed with key/) }],
    });
    expect(out[3]!.problems).toEqual([
      {
        path: '',
        message: expect.stringMatching(
          /^Cannot decrypt: it is encrypted to kid [0-9a-f]{40}, and downstream \(SDX\)'s private keys in this ring are [0-9a-f]{40}\.$/,
        ),
      },
    ]);
    expect(out[4]!.payload).toEqual(payloads.e);
  });

  it('readable output: a line per payload and a summary', async () => {
    const r = await run(['downstream', '--keys', keyDir, mixed]);
    expect(r.code).toBe(1);
    const text = r.stdout.split('\n');
    expect(text[0]).toMatch(/^VALID {4}.*a-good\.jwe {2}v2 surveyresponse 0\.0\.3 {2}tx_id [0-9a-f-]{36}, 2 answers$/);
    expect(text[1]).toMatch(/^INVALID {2}.*b-invalid\.jwe {2}v2 surveyresponse 0\.0\.3: 1 problem$/);
    expect(text[2]).toBe('    tx_id: tx_id is required by submission_v2.json');
    expect(text[3]).toMatch(/^FAILED {3}.*c-tampered\.jwe {2}Decryption failed/);
    expect(r.stdout).toMatch(/e-plain\.json {2}v2 surveyresponse 0\.0\.3 \(plain JSON\)/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 valid, 1 invalid, 2 could not be opened');
    noStack(r.stderr);
  });

  it('exit 0 when every payload opened, verified and validated; stdin with -, as a JWE or as log text', async () => {
    expect((await run(['downstream', '--keys', keyDir, good])).code).toBe(0);
    const jwe = await seal(surveyResponse(), keys);
    const piped = await cli(['downstream', '--keys', keyDir, '--json', '-'], { home, input: `${jwe}\n` });
    expect(piped.code).toBe(0);
    expect(lines(piped.stdout).map((l) => [l.source, l.valid])).toEqual([['stdin', true]]);
    const log = `boot\n{"message": "${jwe}", "tx_id": "x", "case_id": "y"}\nmessage='${jwe}'\n`;
    const fromLog = await run(['downstream', '--keys', keyDir, '--json', '-', good], log);
    expect(fromLog.code).toBe(0);
    expect(lines(fromLog.stdout).map((l) => l.source)).toEqual(['stdin:2', 'stdin:3', ...[0, 1, 2].map((i) => path.join(good, `p${i}.jwe`))]);
  });

  it('a folder of more than 50 payloads goes through worker threads and keeps input order', async () => {
    const many = path.join(tmp, 'many');
    fs.mkdirSync(many);
    for (let i = 0; i < 64; i++) fs.writeFileSync(path.join(many, `p${String(i).padStart(2, '0')}.jwe`), await seal(surveyResponse(i % 5), keys));
    const r = await cli(['downstream', '--keys', keyDir, '--json', many], { home });
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out.map((l) => path.basename(l.source as string))).toEqual(Array.from({ length: 64 }, (_, i) => `p${String(i).padStart(2, '0')}.jwe`));
    expect(out.map((l) => (l.payload as { data: { answers: unknown[] } }).data.answers.length)).toEqual(Array.from({ length: 64 }, (_, i) => i % 5));
  });

  it('exit 2 with one line for usage and key-store errors, and for a source with no payloads', async () => {
    const cases: [string[], RegExp][] = [
      [['downstream', '--keys', keyDir], /^eq-console: give the files, folders or runner logs to open/],
      [['downstream', '--keys', keyDir, path.join(tmp, 'missing')], /^eq-console: .*missing does not exist\n$/],
      [['downstream', '--keys', path.join(tmp, 'no-keys'), good], /^eq-console: .*no-keys does not exist\.\n$/],
      [['downstream', '--keys', path.join(mixed, 'notes.md'), good], /^eq-console: .*notes\.md gave no usable keys/],
      [['downstream', '--keys', keyDir, '--bogus', good], /^eq-console: Unknown option '--bogus'/],
      [['downstream', '--keys', keyDir, '-', '-'], /^eq-console: - \(stdin\) can be given only once\n$/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, 'readme.md'), 'nothing');
    const none = await cli(['downstream', '--keys', keyDir, empty], { home });
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^eq-console: No payloads found in .*empty: looked for compact JWEs/);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    const notAPayload = await run(['downstream', '--keys', keyDir, '-'], 'hello');
    expect(notAPayload).toMatchObject({ code: 2, stdout: '' });
    expect(notAPayload.stderr).toMatch(/^eq-console: No payloads found in stdin/);
  });

  it("refuses the console's own config folder and private key files, saying why", async () => {
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'keyring.json'), JSON.stringify({ keys: [] }));
    const keyFile = fs.readdirSync(keyDir).find((f) => f.includes('private'))!;
    for (const [target, why] of [
      [home, /is in the console's own configuration folder .*; the console does not open it\./],
      [path.join(home, 'keyring.json'), /is in the console's own configuration folder/],
      [path.join(keyDir, keyFile), /holds private key material; the console never opens key files as payloads/],
    ] as const) {
      const r = await cli(['downstream', '--keys', keyDir, '--json', target], { home });
      expect(r.code).not.toBe(0);
      expect(r.stdout).not.toContain('PRIVATE KEY');
      expect(r.stderr + r.stdout).toMatch(why);
      noStack(r.stderr);
    }
  });
});
