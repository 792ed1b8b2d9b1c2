import type { Problem } from '../../../../shared/inspect-types';
import { useConsole } from '../../state/store';
import { useShallow } from 'zustand/react/shallow';

const NONE: readonly Problem[] = [];

/** Whether a problem concerns the claim at this path (or something inside it, e.g. roles.1). */
export function problemIsAt(problem: Problem, path: string): boolean {
  return problem.path === path || problem.path.startsWith(`${path}.`);
}

/** The live check's problems for one field, runner ones first; none before the user gave claims (no verdict yet either). */
export function useProblemsAt(path: string): Problem[] {
  return useConsole(
    useShallow((s) =>
      (s.claimsGiven ? s.check.problems : NONE)
        .filter((p) => problemIsAt(p, path))
        .sort((a, b) => (a.source === b.source ? 0 : a.source === 'runner' ? -1 : 1)),
    ),
  );
}

/** Problems about the token's schema selection as a whole (they carry no claim path). */
export function useSelectionProblems(): Problem[] {
  return useConsole(useShallow((s) => (s.claimsGiven ? s.check.problems : NONE).filter((p) => p.path === '' && /(^|\.)schema\./.test(p.code))));
}
