// "Explain any token": open it with the key ring, then judge the claims as the runner does
// and as the ONS specification does, and predict the runner's HTTP answer.
import type { InspectOptions } from '../../../shared/api';
import { classifyPayload, type MetadataField } from '../../../shared/claims/index';
import type { InspectReport, RuleProblem } from '../../../shared/inspect-types';
import { conclude, launchProblems } from '../../../shared/launch/check';
import type { KeyRing } from '../keyring/keyring';
import { loadQuestionnaire } from '../schemas/questionnaire-source';
import { OpenError, openToken } from './jwt-profile';

/** The token in a launch URL (…/session?token=…), or the text itself. */
export function extractToken(input: string): string {
  const text = input.trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      return new URL(text).searchParams.get('token')?.trim() ?? '';
    } catch {
      return text;
    }
  }
  return text.replace(/^token=/, '');
}

export async function inspectToken(input: string, ring: KeyRing, options: InspectOptions = {}): Promise<InspectReport> {
  const token = extractToken(input);
  if (!token) {
    return finish(null, null, null, 'unknown', [
      { code: 'token.missing', path: '', message: 'There is no token: the runner answers 401 to a launch without one.', source: 'runner', status: 401, stage: 'token' },
    ]);
  }
  let opened;
  try {
    opened = await openToken(token, {
      decrypter: (kid) => ring.decrypter(kid, 'authentication'),
      verifier: (kid) => ring.verifier(kid, 'authentication'),
    });
  } catch (err) {
    if (!(err instanceof OpenError)) throw err;
    const problem: RuleProblem = { code: `token.${err.failure}`, path: '', message: err.message, source: 'runner', status: 403, stage: 'token' };
    return finish(err.partial.jweHeader ?? null, err.partial.jwsHeader ?? null, null, 'unknown', [problem]);
  }
  const { jweHeader, jwsHeader } = opened;
  if (!opened.claims || typeof opened.claims !== 'object' || Array.isArray(opened.claims)) {
    return finish(jweHeader, jwsHeader, null, 'unknown', [
      { code: 'claims.not-object', path: '', message: 'The signed payload is JSON but not an object of claims.', source: 'runner', status: 403, stage: 'token' },
    ]);
  }
  const claims = opened.claims as Record<string, unknown>;
  const version = classifyPayload(claims);
  const schemaProblems: RuleProblem[] = [];
  const notes: string[] = [];
  let fields: MetadataField[] | undefined;
  if (version !== 'flush') {
    const loaded = await loadQuestionnaire(claims, options.runnerUrl);
    if (loaded.problem) schemaProblems.push(loaded.problem);
    if (loaded.skipped) notes.push(loaded.skipped);
    if (loaded.schema) fields = Array.isArray(loaded.schema.json.metadata) ? (loaded.schema.json.metadata as MetadataField[]) : [];
  }
  const { problems } = launchProblems(claims, fields, Math.floor(Date.now() / 1000), { schemaProblems });
  return finish(jweHeader, jwsHeader, claims, version, problems, notes);
}

function finish(
  jweHeader: Record<string, unknown> | null,
  jwsHeader: Record<string, unknown> | null,
  claims: Record<string, unknown> | null,
  payloadVersion: InspectReport['payloadVersion'],
  problems: RuleProblem[],
  notes: string[] = [],
): InspectReport {
  const { runnerStatus, problems: shown, verdict } = conclude(payloadVersion, problems, notes);
  return { jweHeader, jwsHeader, claims, payloadVersion, runnerStatus, problems: shown, verdict };
}
