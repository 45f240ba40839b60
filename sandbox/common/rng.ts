/**
 * Seeded randomness for the sandboxes. Two tools:
 * - `hash32(seed, stream, i)`: stateless, so record i is derived without generating records 0..i-1;
 * - `Rng`: a small sequential generator (splitmix32) for drawing several values once a record's key is fixed.
 * Not cryptographic: OAuth tokens use node:crypto instead (oauth.ts).
 */

/** murmur3's 32-bit finaliser: a cheap, well-mixing bijection on uint32. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Stateless hash of (seed, stream, i) → uint32. `i` may be any non-negative integer up to 2^53. */
export function hash32(seed: number, stream: number, i: number): number {
  let h = mix32((seed + 0x9e3779b9) | 0);
  h = mix32((h ^ mix32((stream + 0x7f4a7c15) | 0)) >>> 0);
  h = mix32((h ^ (i >>> 0)) + 0x632be5ab);
  const hi = Math.floor(i / 4294967296);
  if (hi !== 0) h = mix32((h ^ mix32(hi + 0x165667b1)) >>> 0);
  return h;
}

/** A uint32 as a float in [0, 1). */
export function unit(u32: number): number {
  return u32 / 4294967296;
}

/** Sequential seeded generator (splitmix32). Cheap to create: one per generated record is fine. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** The generator for record `i` of `stream` under `seed`. */
  static for(seed: number, stream: number, i: number): Rng {
    return new Rng(hash32(seed, stream, i));
  }

  /** Next uint32. */
  next(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  }

  /** Float in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  bool(p = 0.5): boolean {
    return this.float() < p;
  }

  /** A uniformly chosen element (the array must not be empty). */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Epoch milliseconds in [fromMs, toMs). */
  date(fromMs: number, toMs: number): number {
    return fromMs + Math.floor(this.float() * (toMs - fromMs));
  }

  /** A string of `n` decimal digits (leading zeros allowed). */
  digits(n: number): string {
    let s = '';
    for (let k = 0; k < n; k++) s += String.fromCharCode(48 + (this.next() % 10));
    return s;
  }
}

/**
 * Precomputes a weighted choice: `weighted([['a', 3], ['b', 1]])(rng)` returns 'a' three times as often.
 * Build it once at module or world level, not per record.
 */
export function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): (rng: Rng) => T {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const [, w] of entries) cumulative.push((acc += w / total));
  const values = entries.map(([v]) => v);
  return (rng) => {
    const u = rng.float();
    for (let k = 0; k < cumulative.length; k++) if (u < (cumulative[k] as number)) return values[k] as T;
    return values[values.length - 1] as T;
  };
}
