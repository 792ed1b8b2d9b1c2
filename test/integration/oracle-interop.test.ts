// Interoperability with jwcrypto (the runner's own library) through ../shared/tools/sdc-oracle,
// with the runner's test keys: what the console mints the runner's store opens, and the
// reverse.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { spawnSync } from 'node:child_process';
import { compactDecrypt } from 'jose';
import { importTexts, readKeyFiles } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { cli } from '../support/cli';
import { KIDS, ONS, oracle, oracleMissing, REPO, RUNNER_DEV_KEYS, RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-oracle-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const now = () => Math.floor(Date.now() / 1000);
const claims = () => ({
  version: 'v2',
  jti: crypto.randomUUID(),
  tx_id: crypto.randomUUID(),
  iat: now(),
  exp: now() + 300,
  flag: true,
  nested: { a: [1, 'two'] },
});
const header = (compact: string) => JSON.parse(Buffer.from(compact.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;

/** The console's side of the runner's keys as an sdc key store, for sdc-oracle to sign with. */
function consoleSideStore(): string {
  const file = path.join(home, 'console-side.yml');
  const pem = (name: string) => fs.readFileSync(path.join(RUNNER_KEYS_DIR, name), 'utf8');
  fs.writeFileSync(
    file,
    YAML.stringify({
      keys: {
        [KIDS.launcherSigning]: { purpose: 'authentication', type: 'private', value: pem('sdc-rrm-authentication-signing-private-v1.pem') },
        [KIDS.runnerEncryption]: { purpose: 'authentication', type: 'public', value: pem('sdc-sr-authentication-encryption-public-v1.pem') },
      },
    }),
  );
  return file;
}

describe.skipIf(skipReason(sharedMissing(), oracleMissing()))('interoperability with sdc-oracle (jwcrypto)', () => {
  it("a token minted by the CLI with the runner test keys opens with the runner's dev-keys.yml", async () => {
    const input = claims();
    const minted = await cli(['token', 'mint', '--keys', RUNNER_KEYS_DIR], { input: JSON.stringify(input), home });
    expect(minted.stderr).toBe(`signed with ${KIDS.launcherSigning}, encrypted to ${KIDS.runnerEncryption}\n`);
    expect(minted.code).toBe(0);
    const token = minted.stdout.trim();
    expect(header(token)).toEqual({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: KIDS.runnerEncryption });
    const opened = oracle(['decrypt', '--keys', RUNNER_DEV_KEYS, '--check-exp'], token);
    expect(opened.stderr).toBe('');
    expect(JSON.parse(opened.stdout)).toEqual(input);
  });

  it('--count N gives N tokens the oracle opens, each with its own jti and tx_id and the rest as given', async () => {
    const input = claims();
    const claimsFile = path.join(home, 'claims.json');
    fs.writeFileSync(claimsFile, JSON.stringify(input));
    const minted = await cli(['token', 'mint', '--keys', RUNNER_KEYS_DIR, '--claims', claimsFile, '--count', '5'], { home });
    const tokens = minted.stdout.trim().split('\n');
    expect(tokens).toHaveLength(5);
    const opened = tokens.map((t) => JSON.parse(oracle(['decrypt', '--keys', RUNNER_DEV_KEYS], t).stdout) as Record<string, unknown>);
    const ids = opened.flatMap((c) => [c.jti, c.tx_id]);
    expect(new Set(ids).size).toBe(10);
    for (const c of opened) expect({ ...c, jti: input.jti, tx_id: input.tx_id }).toEqual(input);
  });

  it('the console opens what jwcrypto mints; a fresh ring says what it lacks to mint for a runner', async () => {
    const input = claims();
    const minted = oracle(['encrypt', '--keys', consoleSideStore(), '--purpose', 'authentication'], JSON.stringify(input));
    expect(minted.status).toBe(0);
    const inspected = await cli(['token', 'inspect', '--json', '--keys', RUNNER_DEV_KEYS, minted.stdout.trim()], { home });
    const report = JSON.parse(inspected.stdout) as { claims: unknown; jwsHeader: Record<string, unknown>; problems: { code: string }[] };
    expect(report.claims).toEqual(input);
    expect(report.jwsHeader).toMatchObject({ alg: 'RS256', kid: KIDS.launcherSigning, typ: 'jwt' });
    expect(report.problems.map((p) => p.code)).not.toContain('token.signature');

    // Signed by the console's own generated key, which the runner's store has never seen.
    const own = await cli(['token', 'mint'], { input: JSON.stringify(input), home, env: {} });
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/^eq-console: The key ring has no runner public key to encrypt launches to/);
  });

  it('signs the claims text exactly as written, duplicate keys and number spellings included', async () => {
    const text = `{"version":"v2","n":1e3,"big":12345678901234567890,"dup":1,"dup":2}`;
    const minted = await cli(['token', 'mint', '--keys', RUNNER_KEYS_DIR], { input: `${text}\n`, home });
    const ring = new KeyRing();
    importTexts(ring, readKeyFiles([RUNNER_DEV_KEYS]));
    const { plaintext } = await compactDecrypt(minted.stdout.trim(), ring.decrypter(KIDS.runnerEncryption, 'authentication').key);
    const payload = new TextDecoder().decode(plaintext).split('.')[1]!;
    expect(Buffer.from(payload, 'base64url').toString()).toBe(text);
  });

  it("after the one-step runner checkout import, the console's own ring mints what the runner opens", async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-checkout-'));
    try {
      const imported = await cli(['keys', 'import', '--runner-checkout', path.join(ONS, 'runner')], { home: fresh });
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(new RegExp(`added +${KIDS.launcherSigning}`));
      const input = claims();
      const minted = await cli(['token', 'mint'], { input: JSON.stringify(input), home: fresh });
      expect(minted.stderr).toContain(`signed with ${KIDS.launcherSigning}, encrypted to ${KIDS.runnerEncryption}`);
      const opened = oracle(['decrypt', '--keys', RUNNER_DEV_KEYS, '--check-exp'], minted.stdout.trim());
      expect(opened.stderr).toBe('');
      expect(JSON.parse(opened.stdout)).toEqual(input);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('stops quietly when the reader of its output goes away', () => {
    const claimsFile = path.join(home, 'pipe-claims.json');
    fs.writeFileSync(claimsFile, '{"a":1}');
    const errFile = path.join(home, 'pipe-stderr.txt');
    const cmd = `bin/eq-console token mint --keys '${RUNNER_KEYS_DIR}' --claims '${claimsFile}' --count 400 2>'${errFile}' | head -c 100 >/dev/null`;
    const r = spawnSync('sh', ['-c', cmd], { cwd: REPO, encoding: 'utf8', env: { ...process.env, EQ_CONSOLE_HOME: home } });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(errFile, 'utf8')).toBe(`signed with ${KIDS.launcherSigning}, encrypted to ${KIDS.runnerEncryption}\n`);
  });

  it("a token encrypted to the console's own ring is refused by the oracle with the runner's keys", async () => {
    await cli(['keys', 'import', path.join(RUNNER_KEYS_DIR, 'sdc-sr-authentication-encryption-public-v1.pem')], { home });
    const own = await cli(['token', 'mint'], { input: JSON.stringify(claims()), home });
    expect(own.code).toBe(0);
    const opened = oracle(['decrypt', '--keys', RUNNER_DEV_KEYS], own.stdout.trim());
    expect(opened.status).toBe(1);
    expect(opened.stderr).toMatch(/Invalid public Key Identifier/);
  });
});
