// What the fuzz suite mutates, made with the runner's own test keys (../shared/ons/runner): launch
// tokens minted by the console, downstream payloads sealed as the runner seals them (its
// submission signing key, encrypted to SDX's key), and the sdc key stores sdc-oracle judges with.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { kidOf } from '../../electron/services/keyring/pem';
import type { SigningKeys } from '../../electron/services/tokens/jwt-profile';
import { ONS, RUNNER_DEV_KEYS, RUNNER_KEYS_DIR } from '../support/shared';

const pem = (name: string) => fs.readFileSync(path.join(RUNNER_KEYS_DIR, name), 'utf8');

function sealing(signerPem: string, recipientPem: string): SigningKeys {
  const signer = crypto.createPrivateKey(signerPem);
  const recipient = crypto.createPublicKey(recipientPem);
  return { signer: { kid: kidOf(crypto.createPublicKey(signer)), key: signer }, recipient: { kid: kidOf(recipient), key: recipient } };
}

export interface FuzzKeys {
  /** The launcher's signing key and the runner's encryption key: what the console mints with. */
  launch: SigningKeys;
  /** The runner's submission signing key and SDX's encryption key: what the runner seals payloads with. */
  submission: SigningKeys;
  /** sdc key stores for sdc-oracle's decrypt: the runner's side for tokens, SDX's side for payloads. */
  launchStore: string;
  submissionStore: string;
}

export function fuzzKeys(dir: string): FuzzKeys {
  const sdx = pem('sdc-sdx-submission-encryption-private-v1.pem');
  const runnerSubmission = pem('sdc-sr-submission-signing-private-v1.pem');
  const submission = sealing(runnerSubmission, sdx);
  const submissionStore = path.join(dir, 'sdx-keys.yml');
  fs.writeFileSync(
    submissionStore,
    YAML.stringify({
      keys: {
        [submission.recipient.kid]: { purpose: 'submission', type: 'private', value: sdx },
        [submission.signer.kid]: {
          purpose: 'submission',
          type: 'public',
          value: crypto.createPublicKey(runnerSubmission).export({ type: 'spki', format: 'pem' }).toString(),
        },
      },
    }),
  );
  return {
    launch: sealing(pem('sdc-rrm-authentication-signing-private-v1.pem'), pem('sdc-sr-authentication-encryption-public-v1.pem')),
    submission,
    launchStore: RUNNER_DEV_KEYS,
    submissionStore,
  };
}

/** Claims the runner takes (302) when nothing names a schema it lacks: a v2 business launch. */
export function launchClaims(nowSeconds: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 'v2',
    jti: crypto.randomUUID(),
    tx_id: crypto.randomUUID(),
    iat: nowSeconds,
    exp: nowSeconds + 4 * 3600,
    case_id: crypto.randomUUID(),
    collection_exercise_sid: crypto.randomUUID(),
    response_id: `fuzz-${crypto.randomUUID()}`,
    account_service_url: 'http://localhost:8000',
    response_expires_at: new Date((nowSeconds + 30 * 24 * 3600) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    schema_name: 'test_checkbox',
    language_code: 'en',
    channel: 'RH',
    region_code: 'GB-ENG',
    survey_metadata: {
      data: {
        user_id: 'fuzz',
        period_id: '202603',
        period_str: 'March 2026',
        ru_ref: '12345678901A',
        ru_name: 'Fuzz Ltd',
        form_type: '0001',
        survey_id: '139',
      },
      receipting_keys: ['ru_ref'],
    },
    ...extra,
  };
}

/** The ONS downstream examples (v2), as text: every one validates, so each is a payload to accept. */
export function downstreamExamples(): { name: string; text: string }[] {
  const dir = path.join(ONS, 'schema-definitions', 'v2', 'examples', 'eq_runner_to_downstream');
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}
