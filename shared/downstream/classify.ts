// Which downstream format a payload is written in, and what it carries. Deliberately about shape,
// not validity: a broken v2 payload is still v2, so the v2 rules explain what is wrong with it.
import { isObj } from './check';
import { TYPE_PREFIX } from './definitions';

export type DownstreamPayloadVersion = 'v2' | 'v1' | 'unknown';
export type DownstreamType = 'surveyresponse' | 'feedback' | 'user_research' | 'unknown';
export type DownstreamDataVersion = '0.0.1' | '0.0.3' | 'unknown';

export interface DownstreamClass {
  payloadVersion: DownstreamPayloadVersion;
  type: DownstreamType;
  dataVersion: DownstreamDataVersion;
}

const TYPES = new Set<string>(['surveyresponse', 'feedback', 'user_research']);

function dataVersionOf(v: unknown): DownstreamDataVersion {
  return v === '0.0.1' || v === '0.0.3' ? v : 'unknown';
}

/**
 * - v2: version is "v2"; the data version is data_version.
 * - v1: version is a data version ("0.0.1" or "0.0.3") and collection is an object: v1 has no
 *   payload version of its own, and collection is the field that sets it apart.
 * - type: the part after "uk.gov.ons.edc.eq:", when it is one the spec knows (user_research only
 *   exists in v2, but a v1 payload claiming it is still reported as such).
 */
export function classifyDownstream(payload: unknown): DownstreamClass {
  if (!isObj(payload)) return { payloadVersion: 'unknown', type: 'unknown', dataVersion: 'unknown' };
  const t = payload.type;
  const suffix = typeof t === 'string' && t.startsWith(TYPE_PREFIX) ? t.slice(TYPE_PREFIX.length) : '';
  const type = TYPES.has(suffix) ? (suffix as DownstreamType) : 'unknown';
  if (payload.version === 'v2') return { payloadVersion: 'v2', type, dataVersion: dataVersionOf(payload.data_version) };
  const asV1 = dataVersionOf(payload.version);
  if (asV1 !== 'unknown' && isObj(payload.collection)) return { payloadVersion: 'v1', type, dataVersion: asV1 };
  const dataVersion = payload.data_version !== undefined ? dataVersionOf(payload.data_version) : asV1;
  return { payloadVersion: 'unknown', type, dataVersion };
}
