// Each header's kid matched to the key ring: the pure matching on the ring's KeyInfo list, the
// service's report on real tokens made with node:crypto keys, and `token inspect` (--json and the
// readable text) telling the same. Keys are generated here; nothing from ../shared is needed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyInfo } from '../../shared/api';
import { runCli } from '../../electron/cli/main';
import { KeyRing, type KeyMeta } from '../../electron/services/keyring/keyring';
import { parseSinglePem } from '../../electron/services/keyring/pem';
import { inspectToken } from '../../electron/services/tokens/inspect';
import { sealClaims, type SigningKeys } from '../../electron/services/tokens/jwt-profile';
import { matchKids } from '../../electron/services/tokens/kid-match';
import { v2LaunchClaims } from '../support/claims';

interface Pair {
  kid: string;
  publicKey: crypto.KeyObject;
  privateKey: crypto.KeyObject;
  privatePem: string;
  publicPem: string;
}

function pair(): Pair {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const parsed = parseSinglePem(privatePem, 'generated');
  return { kid: parsed.kid, publicKey, privateKey, privatePem, publicPem: parsed.publicPem };
}

// The launcher's signing pair, the runner's encryption pair, and a stranger's pair neither side knows.
const launcher = pair();
const runner = pair();
const stranger = pair();

function ring(keys: [Pair, KeyMeta][]): KeyRing {
  const r = new KeyRing();
  for (const [p, meta] of keys) r.add(parseSinglePem(meta.type === 'private' ? p.privatePem : p.publicPem, meta.source), meta);
  return r;
}

const auth = (use: 'signing' | 'encryption', type: 'public' | 'private', label?: string): KeyMeta => ({
  purpose: 'authentication',
  use,
  type,
  source: `${use}-${type}.pem`,
  ...(label ? { label } : {}),
});

/** The runner's side: its private decryption key and the launcher's public signing key. */
const runnerRing = () =>
  ring([
    [runner, auth('encryption', 'private', 'Runner decryption')],
    [launcher, auth('signing', 'public', 'Launcher verification')],
  ]);
/** The console's side: the launcher's private signing key and the runner's public key only. */
const consoleRing = () =>
  ring([
    [launcher, auth('signing', 'private', 'Launch signer')],
    [runner, auth('encryption', 'public')],
  ]);

/** A v2 launch the runner takes (its schema is not fetched: no runner is named). */
function claims(): Record<string, unknown> {
  return v2LaunchClaims({ user_id: 'UNKNOWN', ru_ref: '12345678901A' });
}

const keys = (signer: Pair, recipient: Pair): SigningKeys => ({
  signer: { kid: signer.kid, key: signer.privateKey },
  recipient: { kid: recipient.kid, key: recipient.publicKey },
});

describe('kid matching on the key list', () => {
  const info = (over: Partial<KeyInfo>): KeyInfo => ({
    kid: 'k',
    purpose: 'authentication',
    type: 'public',
    use: 'signing',
    bits: 2048,
    source: 'x.pem',
    label: '',
    addedAt: '2025-01-01T00:00:00.000Z',
    publicPem: '',
    ...over,
  });

  it('reads no header as no match, and a header without a usable kid as none', () => {
    expect(matchKids([], {})).toEqual({ jwe: null, jws: null });
    const none = matchKids([], { jweHeader: { alg: 'RSA-OAEP' }, jwsHeader: { kid: 7 } });
    expect(none.jwe).toMatchObject({ status: 'none', kid: null });
    expect(none.jwe!.meaning).toMatch(/names no kid.*403/);
    // A kid that is not a string names no key in an sdc key store.
    expect(none.jws).toMatchObject({ status: 'none', kid: '7' });
    expect(none.jws!.meaning).toMatch(/kid is 7, not a string.*403/);
  });

  it('says when a known key is the wrong kind for its header', () => {
    const keysOnRing = [
      info({ kid: 'sig', use: 'signing', type: 'private', label: 'Signer', usedFor: ['launch-signing'] }),
      info({ kid: 'enc', use: 'encryption', type: 'public', usedFor: ['launch-encryption'] }),
      info({ kid: 'sub', purpose: 'submission', use: 'encryption', type: 'private' }),
    ];
    const swapped = matchKids(keysOnRing, { jweHeader: { kid: 'sig' }, jwsHeader: { kid: 'enc' } });
    expect(swapped.jwe).toMatchObject({ status: 'known', fits: false, key: { label: 'Signer', roles: ['launch-signing'] } });
    expect(swapped.jwe!.meaning).toMatch(/signing pair.*cannot decrypt.*403/);
    expect(swapped.jws).toMatchObject({ status: 'known', fits: false, key: { roles: ['launch-encryption'] } });
    expect(swapped.jws!.meaning).toMatch(/encryption pair.*refuses.*403/);

    const submission = matchKids(keysOnRing, { jweHeader: { kid: 'sub' }, jwsHeader: { kid: 'sub' } });
    expect(submission.jwe!.meaning).toMatch(/^A submission key, not an authentication key/);
    expect(submission.jws!.meaning).toMatch(/^A submission key, not an authentication key/);

    const right = matchKids(keysOnRing, { jweHeader: { kid: 'enc' }, jwsHeader: { kid: 'sig' } });
    expect(right.jwe).toMatchObject({ status: 'known', fits: true });
    expect(right.jwe!.meaning).toMatch(/public half only.*cannot look inside/);
    expect(right.jws).toMatchObject({ status: 'known', fits: true });
    expect(right.jws!.meaning).toMatch(/This ring signs its launches with it/);
  });

  it('says what an unknown JWE kid means by whether the ring holds the runner’s own private keys', () => {
    const plain = matchKids([info({ kid: 'sig' })], { jweHeader: { kid: 'other' } });
    expect(plain.jwe).toMatchObject({ status: 'unknown', kid: 'other' });
    expect(plain.jwe!.meaning).toMatch(/^Unknown to this key ring: the console cannot look inside/);
    const mirror = matchKids([info({ kid: 'runner-own', use: 'encryption', type: 'private' })], { jweHeader: { kid: 'other' } });
    expect(mirror.jwe!.meaning).toMatch(/runner's own decryption keys \(runner-own\).*refuses the token \(403\)/);
  });
});

describe('the inspect report names the ring entry of each kid', () => {
  it('matches both kids of a token the ring opens', async () => {
    const report = await inspectToken(sealClaims(claims(), keys(launcher, runner)), runnerRing());
    expect(report.runnerStatus).toBe(302);
    expect(report.kids.jwe).toMatchObject({
      status: 'known',
      kid: runner.kid,
      fits: true,
      key: { label: 'Runner decryption', purpose: 'authentication', use: 'encryption', type: 'private' },
    });
    expect(report.kids.jwe!.meaning).toMatch(/private half this ring holds/);
    expect(report.kids.jws).toMatchObject({
      status: 'known',
      kid: launcher.kid,
      key: { label: 'Launcher verification', use: 'signing', type: 'public' },
    });
  });

  it('flags a signing kid the ring does not know, with the runner refusing it', async () => {
    const report = await inspectToken(sealClaims(claims(), keys(stranger, runner)), runnerRing());
    expect(report.runnerStatus).toBe(403);
    expect(report.kids.jwe).toMatchObject({ status: 'known', kid: runner.kid });
    expect(report.kids.jws).toMatchObject({ status: 'unknown', kid: stranger.kid, fits: false });
    expect(report.kids.jws!.key).toBeUndefined();
    expect(report.kids.jws!.meaning).toMatch(/refuses a token signed with a kid its key store does not hold \(403\)/);
  });

  it('matches the JWE kid of a token it cannot open, and leaves the JWS header unread', async () => {
    const r = consoleRing();
    const report = await inspectToken(sealClaims(claims(), keys(launcher, runner)), r);
    expect(report.state).toBe('cannot-look-inside');
    expect(report.kids.jwe).toMatchObject({
      status: 'known',
      kid: runner.kid,
      key: { type: 'public', roles: ['launch-encryption'] },
    });
    expect(report.kids.jws).toBeNull();

    const elsewhere = await inspectToken(sealClaims(claims(), keys(launcher, stranger)), r);
    expect(elsewhere.state).toBe('cannot-look-inside');
    expect(elsewhere.kids.jwe).toMatchObject({ status: 'unknown', kid: stranger.kid });
    expect(elsewhere.kids.jwe!.meaning).toMatch(/^Unknown to this key ring: the console cannot look inside/);
  });
});

describe('token inspect shows the kid matches', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-inspect-kids-'));
  // The command reads its history from the config folder: a throwaway one, never the user's.
  const savedHome = process.env.EQ_CONSOLE_HOME;
  beforeAll(() => {
    process.env.EQ_CONSOLE_HOME = home;
  });
  afterAll(() => {
    if (savedHome === undefined) delete process.env.EQ_CONSOLE_HOME;
    else process.env.EQ_CONSOLE_HOME = savedHome;
    fs.rmSync(home, { recursive: true, force: true });
  });

  // The runner's side as an sdc key store, the way `--keys` takes one.
  const store = path.join(home, 'keys.yml');
  const entry = (p: Pair, type: 'public' | 'private', use: string) =>
    `  ${p.kid}:\n    purpose: authentication\n    type: ${type}\n    use: ${use}\n    value: |\n${(type === 'private' ? p.privatePem : p.publicPem)
      .trimEnd()
      .split('\n')
      .map((l) => `      ${l}`)
      .join('\n')}\n`;
  fs.writeFileSync(store, `keys:\n${entry(runner, 'private', 'encryption')}${entry(launcher, 'public', 'signing')}`);

  async function inspect(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['token', 'inspect', '--keys', store, ...args], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      readStdin: async () => '',
    });
    return { code, stdout, stderr };
  }

  it('in --json, as the report has them', async () => {
    const token = sealClaims(claims(), keys(stranger, runner));
    const { code, stdout } = await inspect(['--json', token]);
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as { kids: { jwe: { status: string; kid: string }; jws: { status: string; kid: string } } };
    expect(json.kids.jwe).toMatchObject({ status: 'known', kid: runner.kid, key: { purpose: 'authentication', use: 'encryption', type: 'private' } });
    expect(json.kids.jws).toMatchObject({ status: 'unknown', kid: stranger.kid });
  });

  it('in words', async () => {
    const { code, stdout } = await inspect([sealClaims(claims(), keys(stranger, runner))]);
    expect(code).toBe(1);
    expect(stdout).toContain('Keys named by the token:');
    expect(stdout).toMatch(new RegExp(`JWE kid: ${runner.kid} — \\(no label; .*keys\\.yml.*\\): private authentication key, encryption pair`));
    expect(stdout).toContain(`JWS kid: ${stranger.kid} — UNKNOWN to this key ring`);
    expect(stdout).toContain('refuses a token signed with a kid its key store does not hold (403)');

    const known = await inspect([sealClaims(claims(), keys(launcher, runner))]);
    expect(known.code).toBe(0);
    expect(known.stdout).toMatch(new RegExp(`JWS kid: ${launcher.kid} — .*: public authentication key, signing pair`));
    expect(known.stdout).toContain('the runner verifies the signature with its public half');
  });
});
