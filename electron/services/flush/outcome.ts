// What a /flush answer means to a tester (RUNNER-CONTRACT §4), in one word and one sentence.
import type { FlushOutcome } from '../../../shared/flush/types';

export type { FlushOutcome };

export interface AnswerFacts {
  status: number;
  /** The start of the body: the runner's invalid-token 403 is an HTML error page, its role 403 is empty. */
  body: string;
  signingKid: string;
}

export function describeAnswer(responseId: string, index: number, answer: AnswerFacts, attempts: number): FlushOutcome {
  const base = { responseId, index, httpStatus: answer.status, attempts };
  switch (true) {
    case answer.status === 200:
      return { ...base, outcome: 'flushed', message: 'Flushed: the runner sent the partial response downstream and deleted it.' };
    case answer.status === 404:
      return {
        ...base,
        outcome: 'nothing-to-flush',
        message: 'Nothing to flush: no stored answers for this response id (never answered, or already flushed).',
      };
    case answer.status === 403 && /<html|<!doctype/i.test(answer.body):
      return {
        ...base,
        outcome: 'invalid-token',
        message: `Refused (403): the runner could not open the token; most likely it does not trust the signing key ${answer.signingKid} or cannot decrypt with its key.`,
      };
    case answer.status === 403:
      return { ...base, outcome: 'forbidden', message: 'Refused (403): the token was read but not allowed to flush (the flusher role is missing).' };
    case answer.status === 405:
      return { ...base, outcome: 'error', message: 'The runner answered 405: this address does not take a POST to /flush (is it a runner?).' };
    case answer.status >= 500:
      return {
        ...base,
        outcome: 'error',
        message: `The runner failed (${answer.status}): the response id may be missing from the token, or sending downstream failed.`,
      };
    default:
      return { ...base, outcome: 'error', message: `Unexpected answer ${answer.status} from the runner.` };
  }
}

export function noAnswer(responseId: string, index: number, reason: string, attempts: number): FlushOutcome {
  return { responseId, index, httpStatus: null, outcome: 'error', message: reason, attempts };
}
