// Minting many tokens: each with fresh jti and tx_id (RUNNER-CONTRACT §1: random UUID v4 each,
// never equal). node:crypto runs RSA in libuv's thread pool, so keeping several tokens in
// flight lets one thread feed both cores.
import crypto from 'node:crypto';
import { sealClaims, type SigningKeys } from './jwt-profile';

const IN_FLIGHT = 16;

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
  let started = 0;
  let chunk: string[] = [];
  const lane = async () => {
    while (started < count) {
      started++;
      const token = await sealClaims(withFreshIds(claims), keys);
      chunk.push(token);
      if (chunk.length >= chunkSize) {
        emit(chunk);
        chunk = [];
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count) }, lane));
  if (chunk.length) emit(chunk);
}
