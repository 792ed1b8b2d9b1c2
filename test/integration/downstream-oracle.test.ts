// Every ONS downstream example, signed and encrypted by jwcrypto (sdc-oracle) the way the runner's
// sdc-cryptography does it, opens, verifies and validates with the console's side of the runner's
// test keys: the SDX decryption key, and the runner's submission signing key as its own public half.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DownstreamService } from '../../electron/services/downstream/service';
import { importTexts, readKeyFiles } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { keyPair } from '../support/downstream';
import { KIDS, ONS, ORACLE, oracle, oracleMissing, RUNNER_DEV_KEYS, RUNNER_KEYS_DIR, sharedMissing, skipReason } from '../support/shared';

const RUNNER_SUBMISSION_SIGNING = 'sdc-sr-submission-signing-private-v1.pem';
const SDX_DECRYPTION = 'sdc-sdx-submission-encryption-private-v1.pem';
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eqc-ds-oracle-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

function examples(): string[] {
  return ['v2', 'v1'].flatMap((v) => {
    const dir = path.join(ONS, 'schema-definitions', v, 'examples', 'eq_runner_to_downstream');
    return (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.json'))
      .map((f) => path.join(dir, f))
      .sort();
  });
}

function encrypt(payload: string, keys = RUNNER_DEV_KEYS): string {
  const r = oracle(['encrypt', '--keys', keys, '--purpose', 'submission'], payload);
  if (r.status !== 0) throw new Error(`sdc-oracle encrypt failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** sdc-oracle reads one payload per run and a run is mostly Python starting: several at a time. */
async function encryptAll(payloads: string[], concurrency = os.availableParallelism()): Promise<string[]> {
  const out: string[] = [];
  let next = 0;
  const one = (input: string) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile(
        '/usr/bin/python3',
        [ORACLE, 'encrypt', '--keys', RUNNER_DEV_KEYS, '--purpose', 'submission'],
        { timeout: 30_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`sdc-oracle encrypt failed: ${stderr || err.message}`)) : resolve(stdout.trim())),
      );
      child.stdin!.end(input);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < payloads.length) {
        const i = next++;
        out[i] = await one(payloads[i]!);
      }
    }),
  );
  return out;
}

const pemOf = (name: string) => fs.readFileSync(path.join(RUNNER_KEYS_DIR, name), 'utf8');
const publicPemOf = (privatePem: string) => crypto.createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();

/** A runner-side sdc key store (what sdc-oracle signs and encrypts with) holding these two keys. */
function runnerStore(name: string, signer: { kid: string; pem: string }, recipient: { kid: string; pem: string }): string {
  const file = path.join(home, name);
  fs.writeFileSync(
    file,
    YAML.stringify({
      keys: {
        [signer.kid]: { purpose: 'submission', type: 'private', value: signer.pem },
        [recipient.kid]: { purpose: 'submission', type: 'public', value: recipient.pem },
      },
    }),
  );
  return file;
}

describe.skipIf(skipReason(sharedMissing(), oracleMissing()))('ONS downstream examples encrypted by sdc-oracle', () => {
  let ring: KeyRing;
  let service: DownstreamService;
  let runnerSigningKid: string;
  beforeAll(() => {
    ring = new KeyRing();
    importTexts(ring, readKeyFiles([path.join(RUNNER_KEYS_DIR, SDX_DECRYPTION), path.join(RUNNER_KEYS_DIR, RUNNER_SUBMISSION_SIGNING)]));
    runnerSigningKid = ring.list().find((k) => k.source.endsWith(RUNNER_SUBMISSION_SIGNING))!.kid;
    service = new DownstreamService({ ring: async () => ring });
  });

  it('every example opens, verifies and validates, as the payload the runner signed', async () => {
    const files = examples();
    expect(files.length).toBeGreaterThanOrEqual(29);
    const folder = path.join(home, 'examples');
    fs.mkdirSync(folder);
    const texts = files.map((file) => fs.readFileSync(file, 'utf8'));
    const sealed = await encryptAll(texts);
    const originals = new Map<string, unknown>();
    files.forEach((file, i) => {
      const name = path.join(folder, `${String(i).padStart(2, '0')}-${path.basename(file, '.json')}.jwe`);
      fs.writeFileSync(name, sealed[i]!);
      originals.set(name, JSON.parse(texts[i]!));
    });
    const { items, errors } = await service.open([{ kind: 'path', path: folder }]);
    expect(errors).toEqual([]);
    expect(items.map((i) => i.source)).toEqual([...originals.keys()]);
    for (const item of items) {
      expect({ source: item.source, failure: item.failure, problems: item.problems }).toEqual({ source: item.source, failure: undefined, problems: [] });
      expect(item).toMatchObject({ kind: 'jwe', decrypted: true, signatureValid: true, valid: true });
      expect(item.jweHeader).toMatchObject({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: KIDS.sdxSubmission });
      expect(item.jwsHeader).toMatchObject({ alg: 'RS256', kid: runnerSigningKid });
      expect(await service.payload(item.id)).toEqual(originals.get(item.source));
    }
    expect(runnerSigningKid.startsWith('fe425f95')).toBe(true);
    expect(new Set(items.map((i) => i.payloadVersion))).toEqual(new Set(['v1', 'v2']));
  }, 300_000); // 29 Python processes: about a second each on an idle machine, much more on a busy one

  it('encrypted to a key the ring lacks: the kid it wants, and the kids the ring has', async () => {
    const other = keyPair();
    const store = runnerStore(
      'other-recipient.yml',
      { kid: runnerSigningKid, pem: pemOf(RUNNER_SUBMISSION_SIGNING) },
      { kid: other.kid, pem: publicPemOf(other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) },
    );
    const jwe = encrypt(fs.readFileSync(examples()[0]!, 'utf8'), store);
    const { items } = await service.open([{ kind: 'text', name: 'pasted', text: jwe }]);
    expect(items[0]).toMatchObject({ source: 'pasted', decrypted: false, valid: false, failure: { stage: 'decrypt' } });
    expect(items[0]!.failure!.message).toBe(
      `Cannot decrypt: it is encrypted to kid ${other.kid}, and downstream (SDX)'s private keys in this ring are ${KIDS.sdxSubmission}.`,
    );
  });

  it("signed by another key than the runner's: a signature failure naming the signer", async () => {
    const impostor = keyPair();
    const sdxPublic = publicPemOf(pemOf(SDX_DECRYPTION));
    const store = runnerStore(
      'wrong-signer.yml',
      { kid: impostor.kid, pem: impostor.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
      { kid: KIDS.sdxSubmission, pem: sdxPublic },
    );
    const jwe = encrypt(fs.readFileSync(examples()[0]!, 'utf8'), store);
    const { items } = await service.open([{ kind: 'text', name: 'signed-by-impostor.jwe', text: jwe }]);
    expect(items[0]).toMatchObject({ decrypted: true, signatureValid: false, valid: false, failure: { stage: 'signature' }, jwsHeader: { kid: impostor.kid } });
    expect(items[0]!.failure!.message).toMatch(new RegExp(`^Cannot verify the signature: the key ring has no submission signing key with kid ${impostor.kid}`));
    await expect(service.payload(items[0]!.id)).rejects.toThrow(/has no payload to show: Cannot verify the signature/);
  });

  it('a payload with a required field removed opens and verifies, and is invalid with problems by path', async () => {
    const file = examples().find((f) => f.endsWith(path.join('business', 'surveyresponse_0_0_3.json')))!;
    const payload = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete payload.case_id;
    delete payload.submitted_at;
    const { items } = await service.open([{ kind: 'text', name: 'broken.jwe', text: encrypt(JSON.stringify(payload)) }]);
    expect(items[0]).toMatchObject({ decrypted: true, signatureValid: true, valid: false, payloadVersion: 'v2' });
    expect(items[0]!.failure).toBeUndefined();
    expect(items[0]!.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'case_id', message: 'case_id is required by submission_v2.json' }),
        expect.objectContaining({ path: 'submitted_at', message: 'submitted_at is required by submission_v2.json' }),
      ]),
    );
  });
});
