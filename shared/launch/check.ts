// The one place that turns claims into a verdict: classify, judge as the runner and the spec do,
// predict the runner's answer. The launch form, launch.check, the CLI and the token inspector
// all come here, so they can never disagree about the same claims.
import { classifyPayload } from '../claims/classify';
import { checkFlush } from '../claims/flush-rules';
import { checkQuestionnaireMetadata, type MetadataField } from '../claims/metadata-rules';
import { predictRunnerStatus, verdict } from '../claims/predict';
import { checkRunner, type RunnerContext } from '../claims/runner-rules';
import { checkSpecV1, checkSpecV2 } from '../claims/spec-rules';
import type { PayloadVersion, Problem, RuleProblem } from '../inspect-types';
import type { LaunchCheck } from '../launch-types';

export interface CheckOptions {
  /** Problems met loading the questionnaire schema (stage "schema"), e.g. the runner has no such schema. */
  schemaProblems?: readonly RuleProblem[];
  /** Said after the verdict, e.g. why the questionnaire metadata could not be checked. */
  notes?: readonly string[];
  jtiSeen?: RunnerContext['jtiSeen'];
  metadataRequired?: boolean;
  /** The launch versions the runner accepts (undefined: v2 only, as since v14). */
  accepts?: RunnerContext['accepts'];
}

/** Every problem with the claims, in the order the runner meets them, rule fields included. */
export function launchProblems(
  claims: Record<string, unknown>,
  schemaMetadata: readonly MetadataField[] | undefined,
  nowSeconds: number,
  options: CheckOptions = {},
): { payloadVersion: PayloadVersion; problems: RuleProblem[] } {
  const payloadVersion = classifyPayload(claims);
  const problems: RuleProblem[] = [
    ...checkRunner(claims, { nowSeconds, jtiSeen: options.jtiSeen, metadataRequired: options.metadataRequired, accepts: options.accepts }),
  ];
  if (payloadVersion === 'flush') problems.push(...checkFlush(claims));
  if (payloadVersion === 'v2') problems.push(...checkSpecV2(claims));
  if (payloadVersion === 'v1') problems.push(...checkSpecV1(claims));
  // A flush token never reaches a questionnaire, so its metadata is nobody's business.
  if (payloadVersion !== 'flush') {
    problems.push(...(options.schemaProblems ?? []));
    if (schemaMetadata) problems.push(...checkQuestionnaireMetadata(claims, schemaMetadata, payloadVersion));
  }
  return { payloadVersion, problems };
}

/** The verdict on a set of problems, without the rules' internal fields (status, stage). */
export function conclude(payloadVersion: PayloadVersion, problems: readonly RuleProblem[], notes: readonly string[] = []): LaunchCheck {
  const runnerStatus = predictRunnerStatus(problems);
  const said = verdict(problems, runnerStatus);
  return {
    payloadVersion,
    runnerStatus,
    verdict: notes.length ? `${said} Note: ${notes.join('; ')}.` : said,
    problems: problems.map(({ code, path, message, source }): Problem => ({ code, path, message, source })),
  };
}

/**
 * What the runner (and the spec) would make of these claims. Give the schema's metadata list to
 * check the questionnaire claims too; without it only the runner's own claims are judged.
 */
export function checkLaunch(
  claims: Record<string, unknown>,
  schemaMetadata: readonly MetadataField[] | undefined,
  nowSeconds: number,
  options: CheckOptions = {},
): LaunchCheck {
  const { payloadVersion, problems } = launchProblems(claims, schemaMetadata, nowSeconds, options);
  return conclude(payloadVersion, problems, options.notes);
}
