// Fresh identifiers and clock formats for claims. Pure (Web Crypto only), so the renderer's
// launch form makes the same values as the services and the CLI.

function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** A random UUID v4, lower case: what the runner and the spec's lower-case pattern both accept. */
export function randomUuid(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** n random decimal digits (leading zeros kept), as the launcher makes response_id and qid. */
export function randomDigits(n: number): string {
  // 32-bit draws keep the modulo bias below one in 400 million.
  const words = globalThis.crypto.getRandomValues(new Uint32Array(n));
  return [...words].map((w) => String(w % 10)).join('');
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** The UTC date of a moment, YYYY-MM-DD. */
export function isoDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
}

/**
 * A moment as "YYYY-MM-DDTHH:MM:SS+00:00": whole seconds and an explicit offset, the form both
 * the runner (marshmallow) and the spec (RFC 3339 date-time) accept.
 */
export function isoDateTime(seconds: number): string {
  const d = new Date(Math.floor(seconds) * 1000);
  return `${isoDate(seconds)}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}+00:00`;
}
