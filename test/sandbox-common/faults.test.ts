import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../sandbox/common/faults.js';

describe('FaultInjector', () => {
  it('is reproducible for a seed and varies across seeds', () => {
    const seq = (seed: number) => {
      const f = new FaultInjector(seed, { rate: 0.3 });
      return Array.from({ length: 500 }, () => f.next()?.kind ?? null);
    };
    expect(seq(11)).toEqual(seq(11));
    expect(seq(11)).not.toEqual(seq(12));
    const f = new FaultInjector(11, { rate: 0.3 });
    const first = Array.from({ length: 50 }, () => f.next());
    f.reset();
    expect(Array.from({ length: 50 }, () => f.next())).toEqual(first);
    expect(f.decide(7)).toEqual(first[7]);
  });

  it('fires at about the configured rate, with every kind and its parameters', () => {
    const f = new FaultInjector(5, { rate: 0.2, slowMs: [200, 1500] });
    const faults = Array.from({ length: 20_000 }, () => f.next()).filter((x) => x !== null);
    expect(faults.length / 20_000).toBeGreaterThan(0.18);
    expect(faults.length / 20_000).toBeLessThan(0.22);
    const kinds = new Set(faults.map((x) => x.kind));
    expect(kinds.size).toBe(7);
    for (const x of faults) {
      if (x.kind === 'slow') expect(x.delayMs).toBeGreaterThanOrEqual(200);
      if (x.kind === 'slow') expect(x.delayMs).toBeLessThanOrEqual(1500);
      if (x.kind === 'truncate') expect(x.cutFraction).toBeGreaterThan(0);
      if (x.kind === 'rate_limit') expect(x.status).toBe(429);
      if (x.kind === 'bad_gateway') expect(x.status).toBe(502);
    }
  });

  it('honours weights, rate 0 and validation', () => {
    const only = new FaultInjector(1, { rate: 1, weights: { rate_limit: 1, server_error: 0, bad_gateway: 0, unavailable: 0, reset: 0, slow: 0, truncate: 0 } });
    for (let k = 0; k < 100; k++) expect(only.next()?.kind).toBe('rate_limit');
    const none = new FaultInjector(1);
    for (let k = 0; k < 100; k++) expect(none.next()).toBeNull();
    expect(() => new FaultInjector(1, { rate: 2 })).toThrow(RangeError);
    expect(() => none.configure({ slowMs: [5, 1] })).toThrow(RangeError);
  });
});
