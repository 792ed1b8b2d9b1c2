// Downstream payload checks (runner -> downstream, RUNNER-CONTRACT §6) shared by the services, the
// CLI and the renderer. Pure: no Node imports.
import { type DownstreamProblem, isObj } from './check';
import { classifyDownstream, type DownstreamClass } from './classify';
import { validateSubmissionV1 } from './validate-v1';
import { validateSubmissionV2 } from './validate-v2';

export type { DownstreamProblem } from './check';
export { classifyDownstream, type DownstreamClass, type DownstreamDataVersion, type DownstreamPayloadVersion, type DownstreamType } from './classify';
export { validateSubmissionV1 } from './validate-v1';
export { validateSubmissionV2 } from './validate-v2';

export interface DownstreamVerdict extends DownstreamClass {
  /** Empty when the payload is valid; see DownstreamProblem.rule for schema vs consistency. */
  problems: DownstreamProblem[];
}

/** Classifies the payload and validates it against the spec for its version. */
export function validateDownstream(payload: unknown): DownstreamVerdict {
  const c = classifyDownstream(payload);
  if (c.payloadVersion === 'v2') return { ...c, problems: validateSubmissionV2(payload) };
  if (c.payloadVersion === 'v1') return { ...c, problems: validateSubmissionV1(payload) };
  const message =
    'the payload is neither a v2 downstream payload (version "v2") nor a v1 one (version "0.0.1" or "0.0.3" with a collection object): ' + whyUnknown(payload);
  return { ...c, problems: [{ path: '', message, rule: 'schema' }] };
}

function whyUnknown(payload: unknown): string {
  if (!isObj(payload)) return 'it is not a JSON object';
  const version = payload.version === undefined ? 'missing' : JSON.stringify(payload.version);
  if (payload.version !== '0.0.1' && payload.version !== '0.0.3') return `its version is ${version}`;
  return `its version is ${version} and ${payload.collection === undefined ? 'it has no collection' : 'its collection is not an object'}`;
}
