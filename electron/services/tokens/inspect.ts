// "Explain any token": open it with the key ring as the runner would, then judge it (shared/verdict.ts).
import type { InspectOptions } from '../../../shared/api';
import { classifyPayload, type MetadataField } from '../../../shared/claims/index';
import { isPlainObject } from '../../../shared/claims/formats';
import type { InspectReport, RuleProblem } from '../../../shared/inspect-types';
import { judge, type MintedRecord, type RunnerFacts, type Subject } from '../../../shared/verdict';
import type { RunnerAcceptance } from '../../../shared/runner-capabilities';
import type { KeyRing } from '../keyring/keyring';
import { loadQuestionnaire } from '../schemas/questionnaire-source';
import { OpenError, OpenLimitError, openToken, type OpenedHeaders } from './jwt-profile';
import { matchKids } from './kid-match';

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

/** What the console's history knows of tokens: what it minted into one, and which jtis it sent. */
export interface MintHistory {
  mintedInto(token: string): MintedRecord | undefined;
  jtiSent(jti: string): boolean;
}

/** accepts: the launch versions the runner takes (services/runner); undefined: v2 only, as since v14. */
export type InspectTokenOptions = InspectOptions & { accepts?: RunnerAcceptance };

export async function inspectToken(input: string, ring: KeyRing, options: InspectTokenOptions = {}, history?: MintHistory): Promise<InspectReport> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const jtiSeen = history && ((jti: string) => history.jtiSent(jti));
  const token = extractToken(input);
  const keys = ring.list();
  const report = (subject: Subject, headers: OpenedHeaders, claims: Record<string, unknown> | null, runner?: RunnerFacts): InspectReport => ({
    ...judge(subject, { nowSeconds, runner, jtiSeen }),
    jweHeader: headers.jweHeader ?? null,
    jwsHeader: headers.jwsHeader ?? null,
    claims,
    kids: matchKids(keys, headers),
  });
  if (!token) {
    const problem: RuleProblem = {
      code: 'token.missing',
      path: '',
      message: 'There is no token: the runner answers 401 to a launch without one.',
      source: 'runner',
      status: 401,
      stage: 'token',
    };
    return report({ kind: 'refused', problem }, {}, null);
  }
  let opened;
  try {
    opened = openToken(token, {
      decrypter: (kid) => ring.decrypter(kid, 'authentication'),
      verifier: (kid) => ring.verifier(kid, 'authentication'),
    });
  } catch (err) {
    if (!(err instanceof OpenError)) throw err;
    if (err instanceof OpenLimitError) return report({ kind: 'over-limit', reason: err.message }, err.partial, null);
    if (err.sealed) {
      const record = history?.mintedInto(token);
      const runner = record ? await runnerFacts(record.claims, options) : undefined;
      return report({ kind: 'sealed', reason: err.message, minted: record }, err.partial, record?.claims ?? null, runner);
    }
    const problem: RuleProblem = { code: `token.${err.failure}`, path: '', message: err.message, source: 'runner', status: err.status, stage: 'token' };
    return report({ kind: 'refused', problem }, err.partial, null);
  }
  const claims = isPlainObject(opened.claims) ? (opened.claims as Record<string, unknown>) : null;
  const runner = claims ? await runnerFacts(claims, options) : undefined;
  return report({ kind: 'opened', claims: opened.claims, refusal: opened.refusal }, opened as OpenedHeaders, claims, runner);
}

/** The questionnaire the claims name, fetched the way the runner would, when a runner is given. */
async function runnerFacts(claims: Record<string, unknown>, options: InspectTokenOptions): Promise<RunnerFacts> {
  if (classifyPayload(claims) === 'flush') return {};
  const loaded = await loadQuestionnaire(claims, options.runnerUrl);
  const facts: RunnerFacts = options.accepts ? { accepts: options.accepts } : {};
  if (loaded.problem) facts.schemaProblems = [loaded.problem];
  if (loaded.skipped) facts.notes = [loaded.skipped];
  if (loaded.schema) facts.metadata = Array.isArray(loaded.schema.json.metadata) ? (loaded.schema.json.metadata as MetadataField[]) : [];
  return facts;
}
