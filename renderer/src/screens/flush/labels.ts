import type { FlushOutcomeKind } from '../../../../shared/flush/types';

export const OUTCOME_LABELS: Record<FlushOutcomeKind, string> = {
  flushed: 'Flushed',
  'nothing-to-flush': 'Nothing to flush',
  forbidden: 'Forbidden',
  'invalid-token': 'Invalid token',
  error: 'Error',
};

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
