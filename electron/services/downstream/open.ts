// One candidate -> what the Downstream screen and the CLI show about it. The JWE is opened as
// downstream (SDX) opens it: decrypted with the private submission key its kid names, verified
// with the submission key the JWS kid names (RUNNER-CONTRACT §1, §6), then checked against the
// spec for its version.
import { PAYLOAD_LIMITS } from '../../../shared/json-limits';
import { judgePayload } from '../../../shared/downstream/plain';
import type { DownstreamFailure, DownstreamItem } from '../../../shared/downstream/types';
import type { KeyRing } from '../keyring/keyring';
import { type KeyResolver, OpenError, type OpenFailure, type OpenLimits, openToken } from '../tokens/jwt-profile';
import type { Candidate } from './extract';

/** An item before it has an id and a source name: what a worker thread sends back. */
export type OpenedPayload = Omit<DownstreamItem, 'id' | 'source'> & {
  /** The decrypted (or plain JSON) payload; absent when it could not be had. */
  payload?: unknown;
};

export function submissionKeys(ring: KeyRing): KeyResolver {
  return {
    decrypter: (kid) => ring.decrypter(kid, 'submission'),
    verifier: (kid) => ring.verifier(kid, 'submission'),
  };
}

/** A payload JWE is read as far as a payload file is (shared/json-limits.ts). */
export const PAYLOAD_OPEN_LIMITS: OpenLimits = { ...PAYLOAD_LIMITS, whole: { noun: 'the JWE' }, content: { noun: 'the payload' } };

export async function openCandidate(candidate: Candidate, keys: KeyResolver): Promise<OpenedPayload> {
  if (candidate.kind === 'jwe') return openJwe(candidate.text, keys);
  if (candidate.overLimit !== undefined) return unopened({ kind: 'json', decrypted: false, signatureValid: null }, 'parse', candidate.overLimit);
  if (candidate.parseError !== undefined) return notJson(candidate.parseError);
  return judged(candidate.value, { kind: 'json', decrypted: false, signatureValid: null });
}

/** Never throws: one bad payload among 10,000 is an item that says why, not an aborted run. */
export async function openJwe(text: string, keys: KeyResolver): Promise<OpenedPayload> {
  try {
    const opened = await openToken(text, keys, PAYLOAD_OPEN_LIMITS);
    return judged(opened.claims, { kind: 'jwe', decrypted: true, signatureValid: true, jweHeader: opened.jweHeader, jwsHeader: opened.jwsHeader });
  } catch (err) {
    if (err instanceof OpenError) return failed(text, err);
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    return unopened({ kind: 'jwe', decrypted: false, signatureValid: null }, 'decrypt', `Cannot open the payload: unexpected error: ${message}`);
  }
}

const STAGE: Record<OpenFailure, DownstreamFailure> = {
  format: 'decrypt',
  'jwe-header': 'decrypt',
  'jwe-key': 'decrypt',
  decrypt: 'decrypt',
  'jws-header': 'signature',
  'jws-key': 'signature',
  signature: 'signature',
  payload: 'parse',
};

function failed(text: string, err: OpenError): OpenedPayload {
  const stage = STAGE[err.failure];
  // Decrypted means the JWS came out of the JWE: every failure after decryption has its header.
  const decrypted = err.partial.jwsHeader !== undefined || err.failure === 'jws-header';
  const signatureValid = err.failure === 'payload' ? true : stage === 'signature' ? false : null;
  const base = { kind: 'jwe' as const, decrypted, signatureValid, jweHeader: err.partial.jweHeader, jwsHeader: err.partial.jwsHeader };
  return unopened(base, stage, (err.failure === 'format' && notCompact(text)) || err.message);
}

// jwt-profile's sentence about the parts speaks of launch tokens; a bad part's is right as it is.
function notCompact(text: string): string | undefined {
  if (text === '') return 'Cannot decrypt: it is empty, not a JWE.';
  const parts = text.split('.').length;
  return parts === 5 ? undefined : `Cannot decrypt: a downstream payload is a compact JWE of 5 dot-separated parts; this has ${parts}.`;
}

function notJson(reason: string): OpenedPayload {
  return unopened({ kind: 'json', decrypted: false, signatureValid: null }, 'parse', `Not a JSON payload: ${reason}.`);
}

type Envelope = Pick<DownstreamItem, 'kind' | 'decrypted' | 'signatureValid' | 'jweHeader' | 'jwsHeader'>;

function unopened(envelope: Envelope, stage: DownstreamFailure, message: string): OpenedPayload {
  return {
    ...withoutUndefined(envelope),
    payloadVersion: 'unknown',
    type: 'unknown',
    dataVersion: 'unknown',
    valid: false,
    failure: { stage, message },
    problems: [],
    summary: {},
  };
}

/** Plain JSON is valid when the spec finds no problem: there is no envelope to fail. */
function judged(payload: unknown, envelope: Envelope): OpenedPayload {
  return { ...withoutUndefined(envelope), ...judgePayload(payload), payload };
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
