import { describe, expect, it } from 'vitest';
import { decidingProblem, predictRunnerStatus, verdict } from '../../shared/claims/predict';
import type { RuleProblem } from '../../shared/inspect-types';

const p = (code: string, status: RuleProblem['status'], stage: RuleProblem['stage'], message = code): RuleProblem => ({
  code,
  path: '',
  message,
  source: 'runner',
  status,
  stage,
});

describe('predictRunnerStatus', () => {
  it('302 without runner problems that carry a status', () => {
    expect(predictRunnerStatus([])).toBe(302);
    expect(predictRunnerStatus([{ code: 'spec.roles', path: 'roles', message: 'x', source: 'spec' }])).toBe(302);
    expect(predictRunnerStatus([p('v1.claim.required', undefined, undefined)])).toBe(302);
    expect(predictRunnerStatus([p('flush.roles', 403, undefined)])).toBe(302);
  });
  it('the earliest stage wins, whatever the order given', () => {
    const problems = [p('survey_metadata.absent', 500, 'survey-metadata'), p('claim.required', 403, 'runner-claims'), p('exp.expired', 401, 'exp')];
    expect(predictRunnerStatus(problems)).toBe(401);
    expect(predictRunnerStatus(problems.slice(0, 2))).toBe(403);
  });
  it('within a stage, the first listed wins', () => {
    expect(predictRunnerStatus([p('survey_metadata.crash', 500, 'runner-claims'), p('claim.uuid', 403, 'runner-claims')])).toBe(500);
    expect(decidingProblem([p('a', 403, 'runner-claims'), p('b', 500, 'runner-claims')])?.code).toBe('a');
  });
  it('schema and questionnaire stages come before the survey_metadata crash', () => {
    expect(predictRunnerStatus([p('survey_metadata.absent', 500, 'survey-metadata'), p('metadata.required', 403, 'questionnaire-claims')])).toBe(403);
    expect(predictRunnerStatus([p('metadata.required', 403, 'questionnaire-claims'), p('schema.unavailable', 500, 'schema')])).toBe(500);
  });
});

describe('verdict', () => {
  it('says 302 plainly', () => {
    expect(verdict([], 302)).toBe('The runner would accept this token and start the questionnaire (302).');
  });
  it('names the first reason, without a doubled full stop', () => {
    const problems = [
      p('jti.used', 401, 'jti', 'this jti has been used before.'),
      p('claim.required', 403, 'runner-claims', 'tx_id is required by the runner'),
    ];
    expect(verdict(problems, predictRunnerStatus(problems))).toBe('The runner would refuse this token with 401: this jti has been used before.');
  });
  it('copes with a status that no problem carries', () => {
    expect(verdict([], 403)).toBe('The runner would refuse this token with 403.');
  });
});
