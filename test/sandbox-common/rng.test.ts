import { describe, expect, it } from 'vitest';
import { Rng, hash32, weighted } from '../../sandbox/common/rng.js';

describe('rng', () => {
  it('hash32 is a pure function of (seed, stream, i), sensitive to each', () => {
    expect(hash32(1, 2, 3)).toBe(hash32(1, 2, 3));
    const set = new Set([hash32(1, 2, 3), hash32(2, 2, 3), hash32(1, 3, 3), hash32(1, 2, 4), hash32(1, 2, 3 + 2 ** 32)]);
    expect(set.size).toBe(5);
    expect(hash32(7, 1, 999_999)).toBeGreaterThanOrEqual(0);
    expect(hash32(7, 1, 999_999)).toBeLessThan(2 ** 32);
  });

  it('hash32 is roughly uniform', () => {
    const buckets = new Array(16).fill(0);
    for (let i = 0; i < 64_000; i++) buckets[hash32(42, 9, i) >>> 28]++;
    for (const b of buckets) expect(Math.abs(b - 4000)).toBeLessThan(400);
  });

  it('Rng repeats for the same seed and helpers stay in range', () => {
    const a = Rng.for(5, 1, 10);
    const b = Rng.for(5, 1, 10);
    const xs = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xs);
    const r = new Rng(99);
    for (let k = 0; k < 1000; k++) {
      const n = r.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
      const d = r.date(1000, 2000);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThan(2000);
      expect(['a', 'b']).toContain(r.pick(['a', 'b']));
    }
    const trues = Array.from({ length: 10_000 }, () => r.bool(0.1)).filter(Boolean).length;
    expect(trues).toBeGreaterThan(800);
    expect(trues).toBeLessThan(1200);
  });

  it('weighted follows its weights', () => {
    const pick = weighted([['x', 3], ['y', 1]] as const);
    const r = new Rng(1);
    const xs = Array.from({ length: 8000 }, () => pick(r)).filter((v) => v === 'x').length;
    expect(xs / 8000).toBeGreaterThan(0.72);
    expect(xs / 8000).toBeLessThan(0.78);
  });
});
