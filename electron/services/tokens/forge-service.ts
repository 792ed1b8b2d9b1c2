// launch.forge: the launch to break (the builder's claims with fresh ids, or a new launch for the
// schema), judged first by the one verdict, so that what the runner answers is down to the one
// thing broken; then broken (forge.ts) with the launch keys and handed back with its URLs.
import { classifyPayload } from '../../../shared/claims/classify';
import { ConsoleError } from '../../../shared/errors';
import { buildLaunchClaims, refreshIds } from '../../../shared/launch/build';
import { forgeKind, type ForgeRequest, type ForgeResult } from '../../../shared/launch/forge-kinds';
import { schemaNameOf } from '../../../shared/launch/selection';
import { runnerBaseUrl, runnerEndpoints } from '../../../shared/runner-url';
import type { RunnerFacts, Verdict } from '../../../shared/verdict';
import { forgeTokens } from './forge';
import type { SigningKeys } from './jwt-profile';

export interface ForgeDeps {
  /** The launch keys: the ring's signing key and the runner's encryption key. */
  keys: () => Promise<SigningKeys>;
  /** The active environment's runner. */
  runnerUrl: () => string;
  /** The schema names a runner lists, or undefined when it cannot be asked. */
  schemaNames: (runnerUrl: string) => Promise<string[] | undefined>;
  /** The one verdict on claims about to be minted (LaunchService.judgeWith). */
  judge: (claims: Record<string, unknown>, runner: RunnerFacts) => Promise<Verdict>;
  now?: () => number;
}

export async function forgeLaunch(request: ForgeRequest, deps: ForgeDeps): Promise<ForgeResult> {
  const info = forgeKind(request.kind);
  const runnerUrl = runnerBaseUrl(request.runnerUrl ?? deps.runnerUrl());
  const nowSeconds = Math.floor((deps.now?.() ?? Date.now()) / 1000);
  const { schema } = request;
  let claims: Record<string, unknown>;
  if (request.claims) claims = refreshIds(request.claims, { nowSeconds });
  else if (schema) claims = buildLaunchClaims({ payload: 'v2', schema, nowSeconds });
  else throw new ConsoleError('bad-input', 'A broken token starts from a launch: give the claims or the schema to build one for.');
  if (classifyPayload(claims) !== 'v2') {
    throw new ConsoleError('bad-input', "Broken tokens are made from v2 launches, the current runner's only format: switch the launch to v2 first.");
  }

  const schemaNames = await deps.schemaNames(runnerUrl);
  const verdict = await deps.judge(claims, { metadata: schema?.metadata, schemaNames });
  if (verdict.state === 'cannot-mint')
    throw new ConsoleError('no-key-for-purpose', `Cannot make a broken token: ${verdict.verdict} ${verdict.fix ?? ''}`.trim());
  if (verdict.runnerStatus !== 302) {
    const first = verdict.problems.find((p) => p.source === 'runner');
    const why = first ? ` (${first.path ? `${first.path}: ` : ''}${first.message})` : '';
    throw new ConsoleError(
      'bad-input',
      `The launch to break would not be accepted as it stands: the runner would answer ${String(verdict.runnerStatus)}${why}. A broken token breaks exactly one thing, so mend the launch first.`,
    );
  }

  const forged = forgeTokens(request.kind, claims, await deps.keys(), {
    nowSeconds,
    metadata: schema?.metadata,
    schemaName: schema?.name ?? schemaNameOf(claims),
    schemaNames,
  });
  return {
    kind: request.kind,
    expectedStatus: info.expectedStatus,
    reason: forged.detail ? `${info.reason} Here ${forged.detail}.` : info.reason,
    tokens: forged.tokens,
    urls: forged.tokens.map((t) => runnerEndpoints.session(runnerUrl, t)),
  };
}
