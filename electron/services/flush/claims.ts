// The claims of a flush token. The runner reads only roles (must hold "flusher") and
// response_id from it (RUNNER-CONTRACT §4), but the token still passes through the same
// decryption as a launch, so it carries every claim a v2 payload requires.
import crypto from 'node:crypto';

export const FLUSH_LIFETIME_SECONDS = 300;

/**
 * base: a launch's claims (from the history) to flush that same response with its own case
 * and collection exercise; without one, fresh values stand in for them.
 */
export function flushClaims(responseId: string, nowSeconds: number, base: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    version: 'v2',
    case_id: crypto.randomUUID(),
    collection_exercise_sid: crypto.randomUUID(),
    account_service_url: 'http://localhost:8000',
    response_expires_at: new Date((nowSeconds + 7 * 86_400) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    ...base,
    response_id: responseId,
    roles: ['flusher'],
    jti: crypto.randomUUID(),
    tx_id: crypto.randomUUID(),
    iat: nowSeconds,
    exp: nowSeconds + FLUSH_LIFETIME_SECONDS,
  };
  return claims;
}
