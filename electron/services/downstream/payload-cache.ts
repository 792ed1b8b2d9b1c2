// Decrypted payloads of recent items, least recently used first out, bounded by size: a folder of
// 10,000 payloads keeps what fits, and the rest are opened again from their source when asked for.
export class PayloadCache {
  private readonly entries = new Map<string, { payload: unknown; bytes: number }>();
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  get(id: string): unknown {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    // Map keeps insertion order: re-inserting makes it the most recent.
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.payload;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** bytes: the size of the text the payload came from, a fair stand-in for its weight in memory. */
  set(id: string, payload: unknown, bytes: number): void {
    if (bytes > this.maxBytes) return;
    this.delete(id);
    this.entries.set(id, { payload, bytes });
    this.total += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.total -= entry.bytes;
    }
  }

  delete(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.total -= entry.bytes;
  }

  get bytes(): number {
    return this.total;
  }
}
