// Downstream payloads made here: keys, a valid v2 0.0.3 payload, and sealing as the runner does
// (sign with its submission key, encrypt to downstream's), so these tests need no ../shared.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { importTexts } from '../../electron/services/keyring/import';
import { KeyRing } from '../../electron/services/keyring/keyring';
import { kidOf } from '../../electron/services/keyring/pem';
import { sealClaims, type SigningKeys } from '../../electron/services/tokens/jwt-profile';

export interface KeyPair {
  kid: string;
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
}

export function keyPair(bits = 2048): KeyPair {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: bits });
  return { kid: kidOf(publicKey), privateKey, publicKey };
}

export interface SubmissionKeys {
  /** Downstream's: the payload is encrypted to it; the console holds its private half. */
  decryption: KeyPair;
  /** The runner's: the payload is signed with it; the console holds its public half. */
  signing: KeyPair;
  /** The console's ring: decryption private, signing public, both purpose submission. */
  ring: KeyRing;
  sealing: SigningKeys;
}

export function submissionKeys(decryptionBits = 2048): SubmissionKeys {
  const decryption = keyPair(decryptionBits);
  const signing = keyPair();
  const ring = new KeyRing();
  importTexts(ring, keyFiles(decryption, signing));
  return {
    decryption,
    signing,
    ring,
    sealing: { signer: { kid: signing.kid, key: signing.privateKey }, recipient: { kid: decryption.kid, key: decryption.publicKey } },
  };
}

/** The two halves the console holds, named the runner's way so their purpose is submission. */
function keyFiles(decryption: KeyPair, signing: KeyPair) {
  return [
    { name: 'sdc-sdx-submission-encryption-private-v1.pem', text: decryption.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
    { name: 'sdc-sr-submission-signing-public-v1.pem', text: signing.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  ];
}

/** A folder of PEM files for the CLI's --keys. */
export function writeKeyFolder(keys: SubmissionKeys, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of keyFiles(keys.decryption, keys.signing)) fs.writeFileSync(path.join(dir, f.name), f.text);
  return dir;
}

export function seal(payload: unknown, keys: SubmissionKeys | SigningKeys): string {
  const sealing = 'sealing' in keys ? keys.sealing : keys;
  return sealClaims(typeof payload === 'string' ? payload : (payload as Record<string, unknown>), sealing);
}

type Json = Record<string, any>;

/** A valid v2 survey response (data 0.0.3); answers: how many answers to carry. */
export function surveyResponse(answers = 3): Json {
  return {
    tx_id: crypto.randomUUID(),
    type: 'uk.gov.ons.edc.eq:surveyresponse',
    version: 'v2',
    data_version: '0.0.3',
    origin: 'uk.gov.ons.edc.eq',
    flushed: false,
    submitted_at: '2025-03-04T10:11:12.123456+00:00',
    started_at: '2025-03-04T09:00:00Z',
    launch_language_code: 'en',
    submission_language_code: 'en',
    collection_exercise_sid: '7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
    case_id: crypto.randomUUID(),
    schema_name: 'qrt_0001',
    channel: 'RAS',
    region_code: 'GB-ENG',
    survey_metadata: { survey_id: '139', ru_name: 'Example Ltd', user_id: 'u-1', period_id: '202503', form_type: '0001', ru_ref: '12345678901A' },
    data: {
      answers: Array.from({ length: answers }, (_, i) => ({ answer_id: `answer-${i}`, value: i % 2 ? `text ${i}` : i })),
      lists: [],
    },
  };
}
