// The runner stops at the first failing stage of /session, so its answer is the status of the
// earliest-stage problem; within a stage the rules list problems in the order the runner meets
// them, so the first one listed wins.
import { RUNNER_STAGES, type RuleProblem, type RunnerStatus } from '../inspect-types';
import { trimWhere } from '../text';

const stageRank = (p: RuleProblem) => (p.stage === undefined ? RUNNER_STAGES.length : RUNNER_STAGES.indexOf(p.stage));

/**
 * The /session problem that decides the answer: runner problems with a status, earliest stage
 * first. Flush problems ("flush.*") belong to another endpoint and status-less ones are notes.
 */
export function decidingProblem(problems: readonly RuleProblem[]): RuleProblem | undefined {
  let best: RuleProblem | undefined;
  for (const p of problems) {
    if (p.source !== 'runner' || p.status === undefined || p.code.startsWith('flush.')) continue;
    if (best === undefined || stageRank(p) < stageRank(best)) best = p;
  }
  return best;
}

export function predictRunnerStatus(problems: readonly RuleProblem[]): RunnerStatus {
  return decidingProblem(problems)?.status ?? 302;
}

/** One plain sentence: what the runner would do, and the first reason why not. */
export function verdict(problems: readonly RuleProblem[], status: RunnerStatus): string {
  if (status === 302) return 'The runner would accept this token and start the questionnaire (302).';
  const first = decidingProblem(problems.filter((p) => p.status === status));
  if (!first) return `The runner would refuse this token with ${status}.`;
  const reason = trimWhere(first.message, (c) => c === '.' || c.trim() === '', 'end');
  return `The runner would refuse this token with ${status}: ${reason}.`;
}
