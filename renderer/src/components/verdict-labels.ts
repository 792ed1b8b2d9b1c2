import type { VerdictState } from '../../../shared/verdict';

/** How each verdict state is named on screen (Launch bar, Inspect). */
export const STATE_LABELS: Record<VerdictState, string> = {
  runner: 'Runner',
  'cannot-mint': 'Cannot mint',
  'invalid-json': 'Not valid JSON',
  'cannot-look-inside': 'Cannot look inside',
};
