import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../sandbox/common/clock.js';
import { ConcurrencyLimiter, RateLimiter } from '../../sandbox/common/limits.js';
import { Rng } from '../../sandbox/common/rng.js';

/** Max cost admitted in any window (t - w, t], by brute force over the admitted log. */
function maxInAnyWindow(log: { t: number; cost: number }[], windowMs: number): number {
  let max = 0;
  for (const end of log) {
    let sum = 0;
    for (const e of log) if (e.t > end.t - windowMs && e.t <= end.t) sum += e.cost;
    max = Math.max(max, sum);
  }
  return max;
}

describe('RateLimiter (sliding window)', () => {
  it('never admits more than the limit in any window, and admits up to it', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter([{ name: 'burst', limit: 80, windowMs: 2000 }], { clock });
    const rng = new Rng(3);
    const admitted: { t: number; cost: number }[] = [];
    let denied = 0;
    for (let k = 0; k < 5000; k++) {
      clock.advance(rng.int(0, 40));
      const d = limiter.consume([{ policy: 'burst', key: 'tok' }]);
      if (d.allowed) admitted.push({ t: clock.now(), cost: 1 });
      else {
        denied++;
        expect(d.denied?.retryAfterMs).toBeGreaterThan(0);
        expect(d.denied?.remaining).toBe(0);
      }
    }
    expect(denied).toBeGreaterThan(0);
    expect(maxInAnyWindow(admitted, 2000)).toBe(80);
    expect(limiter.peaks()[0]).toMatchObject({ policy: 'burst', peak: 80, peakKey: 'tok' });
  });

  it('retryAfterMs is exact: waiting that long admits the request, one ms less does not', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter([{ name: 'w', limit: 3, windowMs: 1000 }], { clock });
    for (const t of [0, 100, 200]) {
      clock.set(t);
      expect(limiter.consume([{ policy: 'w', key: 'k' }]).allowed).toBe(true);
    }
    clock.set(500);
    const d = limiter.consume([{ policy: 'w', key: 'k' }]);
    expect(d.allowed).toBe(false);
    expect(d.denied?.retryAfterMs).toBe(500);
    expect(d.denied?.resetMs).toBe(700);
    clock.set(999);
    expect(limiter.consume([{ policy: 'w', key: 'k' }]).allowed).toBe(false);
    clock.set(1000);
    const ok = limiter.consume([{ policy: 'w', key: 'k' }]);
    expect(ok.allowed).toBe(true);
    expect(ok.results[0]).toMatchObject({ used: 3, remaining: 0 });
  });

  it('weighs costs and keeps keys apart', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter([{ name: 'complexity', limit: 1000, windowMs: 60_000 }], { clock });
    expect(limiter.consume([{ policy: 'complexity', key: 'a', cost: 600 }]).allowed).toBe(true);
    expect(limiter.consume([{ policy: 'complexity', key: 'a', cost: 500 }]).allowed).toBe(false);
    expect(limiter.consume([{ policy: 'complexity', key: 'b', cost: 500 }]).allowed).toBe(true);
    expect(limiter.consume([{ policy: 'complexity', key: 'a', cost: 400 }]).results[0]?.remaining).toBe(0);
    const tooBig = limiter.consume([{ policy: 'complexity', key: 'c', cost: 5000 }]);
    expect(tooBig.allowed).toBe(false);
  });

  it('is atomic across windows: a denied request charges none of them', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter([
      { name: 'burst', limit: 10, windowMs: 1000 },
      { name: 'daily', limit: 2, windowMs: 86_400_000, kind: 'fixed', reason: 'quota' },
    ], { clock });
    const both = [{ policy: 'burst', key: 't' }, { policy: 'daily', key: 'org' }];
    expect(limiter.consume(both).allowed).toBe(true);
    expect(limiter.consume(both).allowed).toBe(true);
    const d = limiter.consume(both);
    expect(d.denied).toMatchObject({ policy: 'daily', reason: 'quota' });
    expect(limiter.peek('burst', 't').used).toBe(2);
  });

  it('fixed windows reset at the boundary (UTC midnight for 24 h) and can be shrunk at run time', () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 1, 23, 59, 0));
    const limiter = new RateLimiter([{ name: 'daily', limit: 1, windowMs: 86_400_000, kind: 'fixed', reason: 'quota' }], { clock });
    expect(limiter.consume([{ policy: 'daily', key: 'o' }]).allowed).toBe(true);
    const d = limiter.consume([{ policy: 'daily', key: 'o' }]);
    expect(d.denied?.retryAfterMs).toBe(60_000);
    clock.advance(60_000);
    expect(limiter.consume([{ policy: 'daily', key: 'o' }]).allowed).toBe(true);
    limiter.configure('daily', { limit: 5, windowMs: 3000 });
    expect(limiter.policies()[0]).toMatchObject({ limit: 5, windowMs: 3000 });
    for (let k = 0; k < 5; k++) expect(limiter.consume([{ policy: 'daily', key: 'o' }]).allowed).toBe(true);
    expect(limiter.consume([{ policy: 'daily', key: 'o' }]).allowed).toBe(false);
  });

  it('when disabled admits everything but still measures the peak', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter([{ name: 'burst', limit: 2, windowMs: 1000 }], { clock, enabled: false });
    for (let k = 0; k < 5; k++) expect(limiter.consume([{ policy: 'burst', key: 'k' }]).allowed).toBe(true);
    expect(limiter.peaks()[0]?.peak).toBe(5);
    limiter.reset();
    expect(limiter.peaks()[0]?.peak).toBe(0);
    expect(() => limiter.consume([{ policy: 'nope', key: 'k' }])).toThrow(/unknown rate-limit policy/);
  });
});

describe('ConcurrencyLimiter', () => {
  it('caps in-flight requests per key and frees slots once', () => {
    const c = new ConcurrencyLimiter([{ name: 'concurrent', limit: 2 }]);
    const a = c.tryAcquire('concurrent', 'org');
    const b = c.tryAcquire('concurrent', 'org');
    expect(c.tryAcquire('concurrent', 'org').allowed).toBe(false);
    expect(c.tryAcquire('concurrent', 'other').allowed).toBe(true);
    a.release();
    a.release();
    expect(c.tryAcquire('concurrent', 'org')).toMatchObject({ allowed: true, inFlight: 2 });
    expect(c.tryAcquire('concurrent', 'org').allowed).toBe(false);
    b.release();
    expect(c.peaks()).toEqual([{ policy: 'concurrent', limit: 2, peak: 2 }]);
  });
});
