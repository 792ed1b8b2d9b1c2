import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ConsoleError } from '../../shared/errors';
import { importTexts, readKeyFiles } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { hintsFromFileName } from '../../electron/services/keyring/names';
import { kidOf, parsePemText, parseSinglePem } from '../../electron/services/keyring/pem';
import { ringFile } from '../../electron/services/keyring/ring-file';
import { type SecretSealer, userOnlyFileSealer } from '../../electron/services/keyring/secrets';
import { KeyringService } from '../../electron/services/keyring/service';
import { onSetAside, type SetAsideNote } from '../../electron/services/config/set-aside';
import { KIDS, oracleKid, oracleMissing, RUNNER_DEV_KEYS, RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';

const rsa = (bits = 2048) => crypto.generateKeyPairSync('rsa', { modulusLength: bits });
const pem = (k: crypto.KeyObject, type: 'pkcs1' | 'pkcs8' | 'spki') => k.export({ type, format: 'pem' } as never).toString();

function expectConsoleError(fn: () => unknown, code: string, text: RegExp) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConsoleError);
    expect((err as ConsoleError).code).toBe(code);
    expect((err as ConsoleError).message).toMatch(text);
    return;
  }
  throw new Error('expected a ConsoleError');
}

describe('PEM parsing and kid', () => {
  const pair = rsa();
  const kid = kidOf(pair.publicKey);

  it('gives one kid to every encoding of both halves of a pair', () => {
    for (const text of [pem(pair.privateKey, 'pkcs1'), pem(pair.privateKey, 'pkcs8'), pem(pair.publicKey, 'spki'), pem(pair.publicKey, 'pkcs1')]) {
      expect(parseSinglePem(text, 'k').kid).toBe(kid);
    }
    expect(kid).toMatch(/^[0-9a-f]{40}$/);
    expect(kid).toBe(crypto.createHash('sha1').update(pem(pair.publicKey, 'spki')).digest('hex'));
  });

  it('tells a private key from a public one and reads its size', () => {
    const priv = parseSinglePem(pem(pair.privateKey, 'pkcs1'), 'k');
    expect(priv.privateKey).toBeDefined();
    expect(priv.bits).toBe(2048);
    expect(parseSinglePem(pem(pair.publicKey, 'spki'), 'k').privateKey).toBeUndefined();
  });

  it('refuses bad input with a specific reason', () => {
    expectConsoleError(() => parsePemText('hello world', 'pasted text'), 'bad-pem', /pasted text is not a PEM key: it has no -----BEGIN/);
    expectConsoleError(() => parsePemText('-----BEGIN PUBLIC KEY-----\nAAAA', 'x.pem'), 'bad-pem', /BEGIN line without a matching END/);
    const truncated = pem(pair.publicKey, 'spki').replace(/\n[A-Za-z0-9+/]{20,}\n/, '\n');
    expectConsoleError(() => parsePemText(truncated, 'cut.pem'), 'bad-pem', /cut.pem: the PUBLIC KEY block cannot be read/);
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expectConsoleError(() => parsePemText(pem(ec.publicKey, 'spki'), 'ec.pem'), 'unsupported-key', /ec key; the ONS profile uses RSA keys only/);
    expectConsoleError(() => parsePemText(pem(rsa(1024).publicKey, 'spki'), 'small.pem'), 'unsupported-key', /RSA-1024 key; keys from 2048 to 4096/);
    const encrypted = pair.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
    expectConsoleError(() => parsePemText(encrypted, 'locked.pem'), 'unsupported-key', /password-protected/);
    expectConsoleError(
      () => parsePemText('-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----', 'c.pem'),
      'unsupported-key',
      /certificate, not a key/,
    );
  });

  it('reads the runner file-name convention', () => {
    expect(hintsFromFileName('/x/sdc-rrm-authentication-signing-private-v1.pem')).toEqual({
      platform: 'sdc',
      service: 'rrm',
      purpose: 'authentication',
      use: 'signing',
      type: 'private',
      version: 'v1',
    });
    expect(hintsFromFileName('sdc-sds-supplementary_data-encryption-private-v1.pem').purpose).toBe('supplementary_data');
    expect(hintsFromFileName('my-key.pem')).toEqual({ purpose: undefined, use: undefined });
  });
});

describe.skipIf(skipReason(sharedMissing()))('the runner test keys', () => {
  it('have the kids RUNNER-CONTRACT lists, as sdc-oracle computes them', () => {
    const ring = new KeyRing();
    importTexts(ring, readKeyFiles([RUNNER_KEYS_DIR]));
    expect(ring.get(KIDS.launcherSigning)?.info).toMatchObject({ purpose: 'authentication', type: 'private', use: 'signing' });
    expect(ring.get(KIDS.runnerEncryption)?.info).toMatchObject({ purpose: 'authentication', type: 'public', use: 'encryption' });
    expect(ring.get(KIDS.sdxSubmission)?.info).toMatchObject({ purpose: 'submission', type: 'private' });
    expect(ring.list().find((k) => k.kid.startsWith('fe425f95'))).toBeDefined();
    if (!oracleMissing()) {
      for (const f of fs.readdirSync(RUNNER_KEYS_DIR)) {
        const file = path.join(RUNNER_KEYS_DIR, f);
        expect(parseSinglePem(fs.readFileSync(file, 'utf8'), f).kid).toBe(oracleKid(file));
      }
    }
  });

  it('imports the dev key store and upgrades public keys when their private half arrives', () => {
    const ring = new KeyRing();
    const first = importTexts(ring, readKeyFiles([RUNNER_DEV_KEYS]));
    expect(first.skipped).toEqual([]);
    expect(ring.get(KIDS.launcherSigning)?.info.type).toBe('public');
    const second = importTexts(ring, readKeyFiles([RUNNER_KEYS_DIR]));
    expect(second.upgraded).toContain(KIDS.launcherSigning);
    expect(second.unchanged).toContain(KIDS.runnerEncryption);
    expect(ring.get(KIDS.launcherSigning)?.info.type).toBe('private');
    expect(ring.launchSigner().kid).toBe(KIDS.launcherSigning);
    expect(ring.launchRecipient().kid).toBe(KIDS.runnerEncryption);
  });

  it('reads the same store written as JSON, and skips an entry filed under the wrong kid', () => {
    const doc = YAML.parse(fs.readFileSync(RUNNER_DEV_KEYS, 'utf8')) as { keys: Record<string, unknown> };
    const [kid, entry] = Object.entries(doc.keys)[0]!;
    const json = JSON.stringify({ keys: { [kid]: entry, ['0'.repeat(40)]: entry } });
    const ring = new KeyRing();
    const report = importTexts(ring, [{ name: 'store.json', text: json }]);
    expect(report.added.map((k) => k.kid)).toEqual([kid]);
    expect(report.skipped[0]!.reason).toMatch(/the key's kid is [0-9a-f]{40}, not the 0{40} it is filed under/);
  });
});

describe('the key ring service', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-ring-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts with a generated development ring, saved where only the user can read it', async () => {
    const service = await KeyringService.open(dir, userOnlyFileSealer);
    const keys = await service.list();
    expect(keys.map((k) => [k.purpose, k.type, k.use, k.source])).toEqual([
      ['authentication', 'private', 'signing', 'generated'],
      ['submission', 'private', 'encryption', 'generated'],
    ]);
    expect(fs.statSync(ringFile(dir)).mode & 0o777).toBe(0o600);
    const again = await KeyringService.open(dir, userOnlyFileSealer);
    expect((await again.list()).map((k) => k.kid)).toEqual(keys.map((k) => k.kid));
  });

  it('never hands private key material across the contract', async () => {
    const service = await KeyringService.open(dir, userOnlyFileSealer);
    const pair = rsa();
    await service.importTexts([{ name: 'pasted', text: pem(pair.privateKey, 'pkcs1') }], { purpose: 'submission' });
    const seen = JSON.stringify([await service.list(), await service.exportPublic(kidOf(pair.publicKey))]);
    expect(seen).not.toMatch(/PRIVATE KEY/);
    expect(seen).toContain('BEGIN PUBLIC KEY');
  });

  it('exports a public half and a keys.yml fragment the runner can load', async () => {
    const service = await KeyringService.open(dir, userOnlyFileSealer);
    const signing = (await service.list())[0]!;
    const out = await service.exportPublic(signing.kid);
    expect(out.fileName).toBe('sdc-console-authentication-signing-public-v1.pem');
    const entry = (YAML.parse(out.keysYml) as { keys: Record<string, { value: string; type: string; purpose: string }> }).keys[signing.kid]!;
    expect(entry).toMatchObject({ type: 'public', purpose: 'authentication' });
    expect(kidOf(crypto.createPublicKey(entry.value))).toBe(signing.kid);
  });

  it("refuses garbage with the parser's reason and loses nothing", async () => {
    const service = await KeyringService.open(dir, userOnlyFileSealer);
    const before = fs.readFileSync(ringFile(dir), 'utf8');
    await expect(service.importTexts([{ name: 'pasted text', text: 'not a key at all' }])).rejects.toThrow(/No key imported\. pasted text is not a PEM key/);
    expect(fs.readFileSync(ringFile(dir), 'utf8')).toBe(before);
  });

  it('removes keys and says so when a kid is unknown', async () => {
    const service = await KeyringService.open(dir, userOnlyFileSealer);
    const [first] = await service.list();
    await service.remove(first!.kid);
    expect((await KeyringService.open(dir, userOnlyFileSealer).then((s) => s.list())).map((k) => k.kid)).not.toContain(first!.kid);
    await expect(service.remove(first!.kid)).rejects.toThrow(/There is no key with kid/);
  });

  it('sets a damaged ring file aside, says so in one line, and starts the environment with a fresh ring', async () => {
    const damaged = {
      'not JSON': '{"version": 1, "keys": [',
      'a newer console': '{"version": 3, "keys": []}',
      'a key that is not its kid': JSON.stringify({ version: 2, keys: [{ kid: 'f'.repeat(40), publicPem: pem(rsa().publicKey, 'spki'), type: 'public' }] }),
    };
    const reasons: string[] = [];
    for (const [why, text] of Object.entries(damaged)) {
      fs.writeFileSync(ringFile(dir), text);
      const notes: SetAsideNote[] = [];
      const stop = onSetAside((n) => notes.push(n));
      const service = await KeyringService.open(dir, userOnlyFileSealer).finally(stop);
      expect(notes, why).toHaveLength(1);
      const [note] = notes;
      reasons.push(note!.text);
      expect(path.basename(note!.movedTo)).toMatch(/^keyring\.damaged-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z(-\d+)?\.json$/);
      expect(fs.readFileSync(note!.movedTo, 'utf8'), why).toBe(text);
      expect(note!.text).toContain(`${ringFile(dir)} could not be read (`);
      expect(note!.text).toContain(`set aside as ${path.basename(note!.movedTo)} and the environment starts with a fresh key ring`);
      expect(note!.text).not.toContain('\n');
      expect((await service.list()).map((k) => k.source)).toEqual(['generated', 'generated']);
      expect(fs.statSync(ringFile(dir)).mode & 0o777).toBe(0o600);
    }
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('keyring.damaged-'))).toHaveLength(3);
    expect(reasons[0]).toMatch(/\(not valid JSON: /);
    expect(reasons[1]).toContain('(not in the expected shape: version 3, written by a newer console)');
    expect(reasons[2]).toContain('(key ffffffffffffffffffffffffffffffffffffffff cannot be read: its kid does not match its public PEM)');
  });

  it('sets aside a ring damaged while the console runs, and keeps the keys it held for the next change', async () => {
    const service = await KeyringService.open(dir, userOnlyFileSealer);
    const held = (await service.list()).map((k) => k.kid);
    fs.writeFileSync(ringFile(dir), 'garbage');
    const notes: SetAsideNote[] = [];
    const stop = onSetAside((n) => notes.push(n));
    try {
      expect((await service.list()).map((k) => k.kid)).toEqual(held);
    } finally {
      stop();
    }
    expect(notes.map((n) => n.text)).toEqual([
      expect.stringContaining('this console keeps the keys it had read from it and saves them there at the next change'),
    ]);
    const pair = rsa();
    await service.importTexts([{ name: 'pub.pem', text: pem(pair.publicKey, 'spki') }], { purpose: 'authentication' });
    const reopened = await KeyringService.open(dir, userOnlyFileSealer);
    expect((await reopened.list()).map((k) => k.kid)).toEqual([...held, kidOf(pair.publicKey)]);
  });

  it('keeps keys sealed by another front door, and says why it cannot use them', async () => {
    const keychain: SecretSealer = {
      kind: 'safeStorage',
      description: 'test keychain',
      seal: (s) => Buffer.from(s).toString('base64'),
      unseal: (s) => Buffer.from(s, 'base64').toString(),
    };
    await KeyringService.open(dir, keychain);
    const cli = await KeyringService.open(dir, userOnlyFileSealer);
    expect(() => cli.ring.launchSigner()).toThrow(/stored by the desktop app under the system keychain/);
    await cli.generate({ purpose: 'supplementary_data', use: 'encryption', bits: 2048 });
    const desktop = await KeyringService.open(dir, keychain);
    expect(desktop.ring.launchSigner().kid).toMatch(/^[0-9a-f]{40}$/);
  });

  it('starts with an empty ring when this front door cannot store private keys, and refuses them without harm', async () => {
    const refusing: SecretSealer = {
      kind: 'safeStorage',
      description: 'no keychain',
      seal: () => {
        throw new ConsoleError('secret-storage', 'No keychain is available to protect private keys.');
      },
      unseal: (s) => s,
    };
    const service = await KeyringService.open(dir, refusing);
    expect(await service.list()).toEqual([]);
    const pair = rsa();
    await expect(service.importTexts([{ name: 'k.pem', text: pem(pair.privateKey, 'pkcs8') }])).rejects.toThrow(/No keychain/);
    expect(await service.list()).toEqual([]);
    const report = await service.importTexts([{ name: 'pub.pem', text: pem(pair.publicKey, 'spki') }]);
    expect(report.added.map((k) => k.type)).toEqual(['public']);
    expect((await KeyringService.open(dir, refusing).then((s) => s.list())).map((k) => k.kid)).toEqual([kidOf(pair.publicKey)]);
  });

  it('sees what another front door saved in the same folder, and keeps it when saving its own change', async () => {
    const app = await KeyringService.open(dir, userOnlyFileSealer);
    const cli = await KeyringService.open(dir, userOnlyFileSealer);
    const pair = rsa();
    await cli.importTexts([{ name: 'cli.pem', text: pem(pair.publicKey, 'spki') }], { purpose: 'authentication' });
    expect((await app.list()).map((k) => k.kid)).toContain(kidOf(pair.publicKey));
    const generated = await app.generate({ purpose: 'supplementary_data', use: 'encryption', bits: 2048 });
    expect((await cli.list()).map((k) => k.kid)).toEqual(expect.arrayContaining([kidOf(pair.publicKey), generated.kid]));
  });

  it('launches with an imported key before a generated one, and says which keys it uses', async () => {
    const service = await KeyringService.open(dir, userOnlyFileSealer);
    const [generated] = await service.list();
    expect(generated!.usedFor).toEqual(['launch-signing']);
    const imported = rsa();
    await service.importTexts([{ name: 'sdc-rrm-authentication-signing-private-v1.pem', text: pem(imported.privateKey, 'pkcs1') }]);
    const runner = rsa();
    await service.importTexts([{ name: 'sdc-sr-authentication-encryption-public-v1.pem', text: pem(runner.publicKey, 'spki') }]);
    const byKid = new Map((await service.list()).map((k) => [k.kid, k.usedFor]));
    expect(byKid.get(kidOf(imported.publicKey))).toEqual(['launch-signing']);
    expect(byKid.get(kidOf(runner.publicKey))).toEqual(['launch-encryption']);
    expect(byKid.get(generated!.kid)).toBeUndefined();
    expect(service.ring.launchSigner().kid).toBe(kidOf(imported.publicKey));
  });
});

describe.skipIf(skipReason(sharedMissing()))('launch key roles', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-roles-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const CHECKOUT = path.dirname(path.dirname(RUNNER_KEYS_DIR));
  const steps: Record<string, (s: KeyringService) => Promise<unknown>> = {
    'the test keys folder': (s) => s.importPaths([RUNNER_KEYS_DIR]),
    "the runner's dev-keys.yml": (s) => s.importPaths([RUNNER_DEV_KEYS]),
    'the runner checkout': (s) => s.importRunnerCheckout(CHECKOUT),
  };
  const orders = [
    ['the test keys folder', "the runner's dev-keys.yml"],
    ["the runner's dev-keys.yml", 'the test keys folder'],
    ['the runner checkout'],
    ["the runner's dev-keys.yml", 'the runner checkout'],
    ['the runner checkout', "the runner's dev-keys.yml", 'the test keys folder'],
  ];

  for (const order of orders) {
    it(`beside the console's own keys, importing ${order.join(' then ')} signs with the launcher's key and encrypts to the runner's`, async () => {
      const service = await KeyringService.open(dir, userOnlyFileSealer);
      for (const step of order) await steps[step]!(service);
      expect(service.ring.launchSigner().kid).toBe(KIDS.launcherSigning);
      expect(service.ring.launchRecipient().kid).toBe(KIDS.runnerEncryption);
      // The runner's private decryption key came in with its store: it opens tokens, it never signs them.
      if (order.some((s) => s !== 'the test keys folder')) expect(service.ring.get(KIDS.runnerEncryption)?.info.type).toBe('private');
      const reopened = await KeyringService.open(dir, userOnlyFileSealer);
      expect(reopened.ring.roles()).toEqual(service.ring.roles());
    });
  }

  it("the runner's store alone gives nothing to sign with but the console's own generated key, never the runner's private key", () => {
    const ring = new KeyRing();
    importTexts(ring, readKeyFiles([RUNNER_DEV_KEYS]));
    expect(() => ring.launchSigner()).toThrow(/no launch signing key/);
    expect(ring.launchRecipient().kid).toBe(KIDS.runnerEncryption);
  });

  it("a later import never moves a role from an imported key or the user's choice, and the user's choice is checked", async () => {
    const service = await KeyringService.open(dir, userOnlyFileSealer);
    const generated = service.ring.launchSigner().kid;
    await service.importPaths([RUNNER_KEYS_DIR]);
    expect(service.ring.launchSigner().kid).toBe(KIDS.launcherSigning);
    // Another launcher key, imported later, does not take over.
    const other = rsa();
    await service.importTexts([{ name: 'sdc-other-authentication-signing-private-v1.pem', text: pem(other.privateKey, 'pkcs8') }]);
    expect(service.ring.launchSigner().kid).toBe(KIDS.launcherSigning);
    // The user may pick it, or the generated key; the pick survives another import and a reload.
    await service.assignRole('launch-signing', generated);
    await service.importPaths([RUNNER_DEV_KEYS]);
    expect(service.ring.launchSigner().kid).toBe(generated);
    expect((await KeyringService.open(dir, userOnlyFileSealer)).ring.launchSigner().kid).toBe(generated);
    await expect(service.assignRole('launch-signing', KIDS.runnerEncryption)).rejects.toThrow(
      /cannot sign launches: .*private authentication key of a signing pair/,
    );
    await expect(service.assignRole('launch-encryption', KIDS.launcherSigning)).rejects.toThrow(/cannot be what launches are encrypted to/);
    // Deleting the chosen key hands the role to the best remaining one: the newest imported.
    await service.remove(generated);
    expect(service.ring.launchSigner().kid).toBe(kidOf(other.publicKey));
  });

  it('a version 1 ring file gets its roles inferred on load', async () => {
    const service = await KeyringService.open(dir, userOnlyFileSealer);
    await service.importPaths([RUNNER_KEYS_DIR]);
    const doc = JSON.parse(fs.readFileSync(ringFile(dir), 'utf8')) as { version: number; roles?: unknown };
    expect(doc.version).toBe(2);
    delete doc.roles;
    doc.version = 1;
    fs.writeFileSync(ringFile(dir), JSON.stringify(doc));
    const reopened = await KeyringService.open(dir, userOnlyFileSealer);
    expect(reopened.ring.launchSigner().kid).toBe(KIDS.launcherSigning);
    expect(reopened.ring.launchRecipient().kid).toBe(KIDS.runnerEncryption);
  });
});

describe('hostile key texts', () => {
  it('refuses a key store nested deeper than one can be, before the YAML parser recurses into it', async () => {
    const { parseKeyStore } = await import('../../electron/services/keyring/key-store-file');
    expect(() => parseKeyStore(`keys: ${'['.repeat(100_000)}`, 'deep.yml')).toThrow(/deep\.yml is nested 100,000 deep; the console reads at most 16 levels/);
  });

  it('finds PEM blocks in linear time, and refuses texts far bigger than a key file', () => {
    // A regex with a back-reference backtracked on BEGIN lines without END lines.
    expect(() => parsePemText('-----BEGIN E-'.repeat(50_000), 'many.pem')).toThrow(
      /many\.pem is not a PEM key: it has a BEGIN line without a matching END line/,
    );
    expect(() => parsePemText('x'.repeat(2 * 1024 * 1024), 'big.pem')).toThrow(/big\.pem is 2\.0 MB; a PEM key file is a few KB/);
  });
});
