// The broken tokens the console can make on purpose ("Make a broken token", `token forge`), as
// data: the CLI's help, the CLI and the Launch screen all read this one list. Each kind starts
// from a complete, valid v2 launch and breaks exactly one thing; `expectedStatus` is what the
// runner answers (RUNNER-CONTRACT §3), proved kind by kind against the real runner in the tests.
import type { SchemaSummary } from '../launch-types';

/** What a kind breaks: the JWE/JWS envelope, the signed claims, or the runner's memory of a jti. */
export type ForgeGroup = 'envelope' | 'claims' | 'replay';

export interface ForgeKindInfo {
  kind: string;
  group: ForgeGroup;
  /** For the screen's list. */
  label: string;
  /** The one thing that is broken, in a few words. */
  breaks: string;
  /** The runner's answer to the token (for reused-jti: to the second of the two). */
  expectedStatus: 302 | 401 | 403 | 500;
  /** Why the runner answers so, in a plain sentence. */
  reason: string;
}

export const FORGE_KINDS = [
  {
    kind: 'expired',
    group: 'envelope',
    label: 'Expired (exp in the past)',
    breaks: 'exp',
    expectedStatus: 401,
    reason: 'Its exp is a minute in the past; the runner checks exp with no leeway and answers 401.',
  },
  {
    kind: 'no-exp',
    group: 'envelope',
    label: 'No exp',
    breaks: 'exp (removed)',
    expectedStatus: 500,
    reason: 'It has no exp; the runner reads exp without a default and fails with 500.',
  },
  {
    kind: 'wrong-jwe-kid',
    group: 'envelope',
    label: 'JWE kid the runner does not hold',
    breaks: "the JWE header's kid",
    expectedStatus: 403,
    reason: "The JWE header's kid names no key of the runner, so it has no private key to decrypt with and answers 403.",
  },
  {
    kind: 'unknown-signer',
    group: 'envelope',
    label: 'Signed by an unknown key',
    breaks: "the JWS signing key and the JWS header's kid",
    expectedStatus: 403,
    reason: 'The JWS is signed with a freshly generated RSA key whose kid the runner does not know; it answers 403.',
  },
  {
    kind: 'jws-hs256',
    group: 'envelope',
    label: 'JWS alg HS256 (algorithm confusion)',
    breaks: "the JWS's algorithm and signature",
    expectedStatus: 403,
    reason:
      "The JWS is signed with HS256 keyed with the signing key's public PEM (the algorithm-confusion attack); the runner accepts RS256 only and answers 403.",
  },
  {
    kind: 'jws-none',
    group: 'envelope',
    label: 'JWS alg none, no signature',
    breaks: "the JWS's algorithm and signature",
    expectedStatus: 403,
    reason: 'The JWS has alg none and an empty signature; the runner accepts RS256 only and answers 403.',
  },
  {
    kind: 'tampered-ciphertext',
    group: 'envelope',
    label: 'One bit of the ciphertext flipped',
    breaks: "one bit of the JWE's ciphertext (part 4)",
    expectedStatus: 403,
    reason: 'One bit of the JWE ciphertext is flipped, so AES-GCM authentication fails; the runner cannot decrypt it and answers 403.',
  },
  {
    kind: 'tampered-tag',
    group: 'envelope',
    label: 'One bit of the authentication tag flipped',
    breaks: "one bit of the JWE's authentication tag (part 5)",
    expectedStatus: 403,
    reason: 'One bit of the JWE authentication tag is flipped, so AES-GCM authentication fails; the runner cannot decrypt it and answers 403.',
  },
  {
    kind: 'missing-jti',
    group: 'claims',
    label: 'No jti',
    breaks: 'jti (removed)',
    expectedStatus: 403,
    reason: 'It has no jti; the runner needs a UUID to record the token as used and answers 403.',
  },
  {
    kind: 'missing-tx-id',
    group: 'claims',
    label: 'No tx_id',
    breaks: 'tx_id (removed)',
    expectedStatus: 403,
    reason: 'It has no tx_id; the runner requires it among the v2 launch claims and answers 403.',
  },
  {
    kind: 'bad-metadata',
    group: 'claims',
    label: "The schema's required metadata missing or mistyped",
    breaks: 'one required field of survey_metadata.data',
    expectedStatus: 403,
    reason: "A metadata field the questionnaire requires is missing (or of the wrong type); the runner's questionnaire claims check answers 403.",
  },
  {
    kind: 'unknown-schema',
    group: 'claims',
    label: "A schema_name the runner's catalogue does not hold",
    breaks: 'schema_name',
    expectedStatus: 500,
    reason: 'Its schema_name names no schema of the runner; it fails loading the questionnaire and answers 500.',
  },
  {
    kind: 'reused-jti',
    group: 'replay',
    label: 'Two tokens with the same jti',
    breaks: 'jti (the second token reuses the first one’s)',
    expectedStatus: 401,
    reason: 'Both tokens carry one jti: the runner accepts the first (302) and answers the second 401, since it takes each jti once.',
  },
] as const satisfies readonly ForgeKindInfo[];

export type ForgeKind = (typeof FORGE_KINDS)[number]['kind'];

export const FORGE_KIND_NAMES: readonly ForgeKind[] = FORGE_KINDS.map((k) => k.kind);

export function isForgeKind(value: unknown): value is ForgeKind {
  return typeof value === 'string' && (FORGE_KIND_NAMES as readonly string[]).includes(value);
}

export function forgeKind(kind: ForgeKind): ForgeKindInfo {
  return FORGE_KINDS.find((k) => k.kind === kind)!;
}

/** The runner's answer to each token of a kind, in the order they are to be sent. */
export function expectedStatuses(kind: ForgeKind): number[] {
  const info = forgeKind(kind);
  return info.group === 'replay' ? [302, info.expectedStatus] : [info.expectedStatus];
}

export interface ForgeRequest {
  kind: ForgeKind;
  /**
   * The launch to break (the builder's claims): its ids and times are made fresh first, so a
   * broken token never spends the builder's jti. Without it, a launch is built for the schema.
   */
  claims?: Record<string, unknown>;
  /** The schema the launch is for: bad-metadata breaks its required metadata. */
  schema?: SchemaSummary;
  /** Defaults to the active environment's runner. */
  runnerUrl?: string;
}

export interface ForgeResult {
  kind: ForgeKind;
  expectedStatus: number;
  reason: string;
  /** One token; reused-jti: two, to be sent in order (the first is accepted). */
  tokens: string[];
  /** The /session URL of each token. */
  urls: string[];
}
