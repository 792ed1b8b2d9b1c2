// What the benchmarks work on, made fresh in a temporary folder: keys named the runner's way (so
// --keys finds their purposes), a claims file, and downstream payloads sealed as the runner seals them.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seal, submissionKeys, surveyResponse, writeKeyFolder } from '../support/downstream';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CONSOLE = path.join(ROOT, 'bin', 'eq-console');
export const PLAIN = path.join(ROOT, 'test', 'bench', 'plain');
export const PYTHON = '/usr/bin/python3';

/** Why jwcrypto cannot be measured here, or undefined when it can. */
export function jwcryptoMissing(): string | undefined {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} is not installed`;
  const r = spawnSync(PYTHON, ['-c', 'import jwcrypto'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : "Debian's python3-jwcrypto is not installed (apt-get install python3-jwcrypto)";
}

export interface BenchKeys {
  /** --keys for minting: the runner's launch signing key (private) and encryption key (public). */
  launchDir: string;
  launchSigningFile: string;
  launchEncryptionFile: string;
  /** --keys for downstream: downstream's RSA-4096 decryption key (private) and the runner's submission signing key (public). */
  submissionDir: string;
  submissionDecryptionFile: string;
  submissionVerificationFile: string;
  submission: ReturnType<typeof submissionKeys>;
}

export function makeKeys(dir: string): BenchKeys {
  const launchDir = path.join(dir, 'launch-keys');
  fs.mkdirSync(launchDir, { recursive: true });
  const signing = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const encryption = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const launchSigningFile = 'sdc-rrm-authentication-signing-private-v1.pem';
  const launchEncryptionFile = 'sdc-sr-authentication-encryption-public-v1.pem';
  fs.writeFileSync(path.join(launchDir, launchSigningFile), signing.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  fs.writeFileSync(path.join(launchDir, launchEncryptionFile), encryption.publicKey.export({ type: 'spki', format: 'pem' }));
  const submission = submissionKeys(4096);
  const submissionDir = writeKeyFolder(submission, path.join(dir, 'submission-keys'));
  return {
    launchDir,
    launchSigningFile,
    launchEncryptionFile,
    submissionDir,
    submissionDecryptionFile: 'sdc-sdx-submission-encryption-private-v1.pem',
    submissionVerificationFile: 'sdc-sr-submission-signing-public-v1.pem',
    submission,
  };
}

/** A v2 launch as the Launch screen builds it for test_checkbox. */
export function writeClaims(dir: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    version: 'v2',
    iat: now,
    exp: now + 300,
    account_service_url: 'http://localhost:8000',
    case_id: crypto.randomUUID(),
    collection_exercise_sid: crypto.randomUUID(),
    response_id: '1234567890123456',
    response_expires_at: '2030-01-01T00:00:00+00:00',
    schema_name: 'test_checkbox',
    language_code: 'en',
    survey_metadata: {
      data: { ru_ref: '12345678901A', user_id: 'UNKNOWN', period_id: '201605', ru_name: 'ESSENTIAL ENTERPRISE LTD.', form_type: '0001', survey_id: '001' },
    },
  };
  const file = path.join(dir, 'claims.json');
  fs.writeFileSync(file, JSON.stringify(claims));
  return file;
}

export const payloadName = (i: number) => `${String(i).padStart(6, '0')}.jwe`;

/** count different payloads of `answers` answers each. */
export function writePayloads(folder: string, count: number, keys: BenchKeys, answers: number): void {
  fs.mkdirSync(folder, { recursive: true });
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(folder, payloadName(i)), seal(surveyResponse(answers), keys.submission));
}

/** More files from the same payloads (hard links): each is still one decryption to open. */
export function linkPayloads(from: string, to: string, count: number, available: number): void {
  fs.mkdirSync(to, { recursive: true });
  for (let i = 0; i < count; i++) fs.linkSync(path.join(from, payloadName(i % available)), path.join(to, payloadName(i)));
}
