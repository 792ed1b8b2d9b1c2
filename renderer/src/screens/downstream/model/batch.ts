// Splitting what the page sends to downstream.open into requests the browser-mode server takes:
// it refuses bodies over 20 MB, so each request carries at most BATCH_BYTES of JSON.
import type { DownstreamSource } from '../../../../../shared/downstream/types';

/** Below the server's 20 MB, with room for the request's own wrapping. */
export const BATCH_BYTES = 16 * 1024 * 1024;

/** The UTF-8 size of a string once written as a JSON string literal (escapes included). */
export function jsonStringBytes(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) n += 2;
    else if (c < 0x20) n += c === 0x0a || c === 0x0d || c === 0x09 || c === 0x08 || c === 0x0c ? 2 : 6;
    else if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    // Each half of a surrogate pair counts 2: the pair is one 4-byte character.
    else if (c >= 0xd800 && c <= 0xdfff) n += 2;
    else n += 3;
  }
  return n;
}

export function sourceBytes(source: DownstreamSource): number {
  return source.kind === 'text' ? jsonStringBytes(source.name) + jsonStringBytes(source.text) + 32 : jsonStringBytes(source.path) + 24;
}

/**
 * Packs sources into as few requests as fit, keeping their order. A source that alone is over
 * the limit cannot be sent at all; it comes back in tooBig for the caller to explain.
 */
export class SourceBatcher {
  private current: DownstreamSource[] = [];
  private bytes = 0;
  constructor(private readonly limit = BATCH_BYTES) {}

  /** Adds a source; returns a full batch to send first when this one does not fit beside it. */
  add(source: DownstreamSource): { ready?: DownstreamSource[]; tooBig?: boolean } {
    const size = sourceBytes(source);
    if (size > this.limit) return { tooBig: true };
    let ready: DownstreamSource[] | undefined;
    if (this.bytes + size > this.limit && this.current.length) {
      ready = this.current;
      this.current = [];
      this.bytes = 0;
    }
    this.current.push(source);
    this.bytes += size;
    return ready ? { ready } : {};
  }

  /** What is left, or null. */
  flush(): DownstreamSource[] | null {
    if (!this.current.length) return null;
    const out = this.current;
    this.current = [];
    this.bytes = 0;
    return out;
  }
}

export function batchSources(sources: readonly DownstreamSource[], limit = BATCH_BYTES): { batches: DownstreamSource[][]; tooBig: DownstreamSource[] } {
  const b = new SourceBatcher(limit);
  const batches: DownstreamSource[][] = [];
  const tooBig: DownstreamSource[] = [];
  for (const s of sources) {
    const r = b.add(s);
    if (r.tooBig) tooBig.push(s);
    if (r.ready) batches.push(r.ready);
  }
  const rest = b.flush();
  if (rest) batches.push(rest);
  return { batches, tooBig };
}
