// A seeded generator for the fuzz suite: every run prints its seed, and FUZZ_SEED=<seed> runs the
// same inputs again, so anything it finds can be reproduced.

export interface Rng {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** An item chosen by weight: [[weight, item], ...]. */
  weighted<T>(items: readonly (readonly [number, T])[]): T;
  /** Another generator, seeded from this one: a stream of its own that does not shift this one's. */
  fork(): Rng;
}

/** FUZZ_SEED when given (decimal or 0x hex), else a fresh one. */
export function fuzzSeed(): number {
  const given = process.env.FUZZ_SEED;
  if (given !== undefined && given.trim() !== '') {
    const n = Number(given.trim());
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`FUZZ_SEED must be a whole number from 0 to 4294967295, not "${given}"`);
    return n;
  }
  return Math.floor(Math.random() * 0x100000000);
}

/** sfc32, seeded through splitmix32: fast, and good enough to spread mutations evenly. */
export function rng(seed: number): Rng {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 0x100000000;
  };
  const self: Rng = {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
    weighted(items) {
      const total = items.reduce((sum, [w]) => sum + w, 0);
      let r = next() * total;
      for (const [w, item] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1]![1];
    },
    fork: () => rng(Math.floor(next() * 0x100000000)),
  };
  return self;
}
