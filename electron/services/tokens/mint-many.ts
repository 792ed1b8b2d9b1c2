// Minting many tokens in one thread: each with fresh jti and tx_id (RUNNER-CONTRACT §1:
// random UUID v4 each, never equal), handed over in chunks.
import crypto from 'node:crypto';
import { sealClaims, type SigningKeys } from './jwt-profile';

export function withFreshIds(claims: Record<string, unknown>): Record<string, unknown> {
  return { ...claims, jti: crypto.randomUUID(), tx_id: crypto.randomUUID() };
}

export async function mintMany(
  claims: Record<string, unknown>,
  keys: SigningKeys,
  count: number,
  emit: (tokens: string[]) => void,
  chunkSize = 256,
): Promise<void> {
  let chunk: string[] = [];
  for (let i = 0; i < count; i++) {
    chunk.push(await sealClaims(withFreshIds(claims), keys));
    if (chunk.length === chunkSize) {
      emit(chunk);
      chunk = [];
    }
  }
  if (chunk.length) emit(chunk);
}
