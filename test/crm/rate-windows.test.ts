import { describe, expect, it } from 'vitest';
import { decide, prune, reconcile, spend, used, type WindowSpec, type WindowState } from '../../src/core/rate-windows.js';

const burst: WindowSpec = { name: 'burst', limit: 10, windowMs: 10_000, unit: 'requests' };
const daily: WindowSpec = { name: 'daily', limit: 1000, windowMs: 86_400_000, unit: 'weight', quota: true };
const search: WindowSpec = { name: 'search', limit: 5, windowMs: 1_000, unit: 'requests', appliesTo: 'search' };

/** Replay spends through `decide` and check, by brute force, that no rolling window ever held more than its limit. */
function simulate(windows: WindowSpec[], arrivals: number[], rateClass?: string) {
  const state: WindowState = {};
  const granted: number[] = [];
  let now = 0;
  for (const t of arrivals) {
    now = Math.max(now, t);
    for (;;) {
      prune(state, windows, now);
      const d = decide(state, windows, rateClass, 1, now);
      if (d.ok) break;
      now += d.waitMs;
    }
    spend(state, windows, rateClass, 1, now);
    granted.push(now);
  }
  return granted;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('rate windows', () => {
  it('never lets more than the limit into any rolling window, whatever the arrival pattern', () => {
    const arrivals = Array.from({ length: 500 }, (_, i) => Math.floor(i * 137.3) % 20_000).sort((a, b) => a - b);
    const granted = simulate([burst], arrivals);
    expect(maxInAnyWindow(granted, burst.windowMs)).toBeLessThanOrEqual(burst.limit);
    // and it is not needlessly slow: 500 requests at 10/10 s take about 500 s, within one bucket per window
    expect(granted.at(-1)!).toBeLessThan(500_000 + 60_000);
  });

  it('counts only the requests a window applies to', () => {
    const state: WindowState = {};
    for (let i = 0; i < 5; i++) spend(state, [burst, search], 'search', 1, 0);
    expect(decide(state, [burst, search], 'search', 1, 0).ok).toBe(false);
    expect(decide(state, [burst, search], undefined, 1, 0).ok).toBe(true);
    expect(used(state, burst, 0)).toBe(5);
  });

  it('weights weight windows and reports how long until a quota frees up', () => {
    const state: WindowState = {};
    spend(state, [daily], undefined, 990, 1_000);
    const d = decide(state, [daily], undefined, 20, 2_000);
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.window.name).toBe('daily');
      expect(d.availableAt).toBeGreaterThanOrEqual(1_000 + 86_400_000);
    }
    expect(decide(state, [daily], undefined, 10, 2_000).ok).toBe(true);
  });

  it('takes up usage the CRM reports beyond ours (another app on the same account)', () => {
    const state: WindowState = {};
    spend(state, [daily], undefined, 10, 0);
    reconcile(state, daily, 100, 5);
    expect(used(state, daily, 5)).toBe(900);
    reconcile(state, daily, 950, 6); // the CRM saw less than we did: keep ours
    expect(used(state, daily, 6)).toBe(900);
  });

  it('forgets buckets that left the window', () => {
    const state: WindowState = {};
    spend(state, [burst], undefined, 1, 0);
    prune(state, [burst], 20_000);
    expect(state.burst).toEqual([]);
  });
});
