// A plain JSON payload opened where it was read, without the services: browser mode's page reads
// a picked .json file in a worker and lists it exactly as downstream.open would have (the same
// verdict, summary and fields; test/unit/downstream-big-payload.test.ts holds the two together).
// Everything else (JWEs, logs, arrays, JSON that does not parse) still goes to the services.
import { PAYLOAD_LIMITS, textOverLimit } from '../json-limits';
import { isObj } from './check';
import { validateDownstream } from './index';
import type { DownstreamItem } from './types';

/** base64url parts only: no backtracking, since '.' is outside the class. */
export const COMPACT_JWE = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){4}$/;

export function isCompactJwe(text: unknown): text is string {
  return typeof text === 'string' && COMPACT_JWE.test(text);
}

/**
 * The payload a text holds when it is one JSON object and not a log record carrying a JWE in
 * `message`: the one case where extract.ts's candidatesInText finds a single plain JSON payload
 * named after the file. null for anything else.
 */
export function plainJsonPayload(text: string): Record<string, unknown> | null {
  const t = text.trim();
  if (!t.startsWith('{')) return null;
  // Beyond the limits it is the services' to refuse, with the reason (extract.ts).
  if (textOverLimit(t, PAYLOAD_LIMITS, { noun: 'the payload' })) return null;
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    return null;
  }
  if (!isObj(value)) return null;
  if (isCompactJwe(value.message)) return null;
  return value;
}

/** What the ONS specification makes of a payload, once it is open: the verdict part of an item. */
export function judgePayload(payload: unknown): Pick<DownstreamItem, 'payloadVersion' | 'type' | 'dataVersion' | 'valid' | 'problems' | 'summary'> {
  const verdict = validateDownstream(payload);
  return {
    payloadVersion: verdict.payloadVersion,
    type: verdict.type,
    dataVersion: verdict.dataVersion,
    valid: verdict.problems.length === 0,
    problems: verdict.problems,
    summary: summarise(payload, verdict.dataVersion),
  };
}

/** What downstream.open says of a plain JSON payload (open.ts's judged), less its id and source. */
export function judgePlainJson(payload: unknown): Omit<DownstreamItem, 'id' | 'source'> {
  return { kind: 'json', decrypted: false, signatureValid: null, ...judgePayload(payload) };
}

/** The envelope facts an item carries. */
export function summarise(payload: unknown, dataVersion: string): DownstreamItem['summary'] {
  if (!isObj(payload)) return {};
  const p = payload;
  const summary: DownstreamItem['summary'] = {};
  if (typeof p.tx_id === 'string') summary.txId = p.tx_id;
  if (typeof p.case_id === 'string') summary.caseId = p.case_id;
  const collection = isObj(p.collection) ? p.collection : {};
  const schema = [p.schema_name, p.schema_url, p.cir_instrument_id, collection.schema_name].find((s) => typeof s === 'string');
  if (schema !== undefined) summary.schema = schema as string;
  if (typeof p.submitted_at === 'string') summary.submittedAt = p.submitted_at;
  if (typeof p.flushed === 'boolean') summary.flushed = p.flushed;
  const data = p.data;
  if (isObj(data) && Array.isArray(data.answers)) summary.answers = data.answers.length;
  else if (isObj(data) && dataVersion === '0.0.1') summary.answers = Object.keys(data).length;
  return summary;
}
