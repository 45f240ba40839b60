/**
 * Rate limits for the sandboxes: exact sliding windows (a timestamp log per key, summed costs), optional
 * fixed windows (daily quotas that reset at UTC midnight), weighted costs (Pipedrive tokens, monday complexity,
 * Zoho credits) and in-flight concurrency caps. Exact means: for every instant t, the cost admitted in
 * (t - windowMs, t] never exceeds the limit, so a test can prove a client stayed within it.
 */
import { systemClock, type Clock } from './clock.js';

export type LimitReason = 'rate_limited' | 'quota';

export interface WindowPolicy {
  /** Unique name, e.g. 'burst', 'daily', 'complexity', 'search'. */
  readonly name: string;
  /** Maximum total cost admitted per window. */
  readonly limit: number;
  readonly windowMs: number;
  /** 'sliding' (default): rolling window. 'fixed': windows aligned to multiples of windowMs since the epoch (24 h → UTC midnight). */
  readonly kind?: 'sliding' | 'fixed';
  /** What a denial counts as in stats; default 'rate_limited' (use 'quota' for daily budgets). */
  readonly reason?: LimitReason;
}

export interface LimitCheck {
  readonly policy: string;
  /** Whose budget: a token, an org/account id, an IP … */
  readonly key: string;
  /** Default 1. */
  readonly cost?: number;
}

/** The state of one window for one key, after the check (what a CRM renders into headers). */
export interface WindowResult {
  readonly policy: string;
  readonly key: string;
  readonly allowed: boolean;
  readonly reason: LimitReason;
  readonly limit: number;
  readonly windowMs: number;
  /** Cost used in the window, including this request if it was admitted. */
  readonly used: number;
  readonly remaining: number;
  /** Until the window is empty again (sliding) or the fixed window ends; 0 when nothing is used. */
  readonly resetMs: number;
  /** When denied: how long until this same request would be admitted (≥ 1). 0 when allowed. */
  readonly retryAfterMs: number;
}

export interface LimitDecision {
  readonly allowed: boolean;
  /** One per check, in order. */
  readonly results: readonly WindowResult[];
  /** The first denying window, if any. */
  readonly denied: WindowResult | null;
}

export interface PeakUsage {
  readonly policy: string;
  readonly limit: number;
  readonly windowMs: number;
  /** Highest cost seen in one window (for any key) since the last reset. */
  readonly peak: number;
  readonly peakKey: string | null;
  readonly peakAt: number | null;
}

class SlidingLog {
  ts: number[] = [];
  cost: number[] = [];
  head = 0;
  sum = 0;

  evict(now: number, windowMs: number): void {
    const cutoff = now - windowMs;
    while (this.head < this.ts.length && (this.ts[this.head] as number) <= cutoff) {
      this.sum -= this.cost[this.head] as number;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.ts.length) {
      this.ts = this.ts.slice(this.head);
      this.cost = this.cost.slice(this.head);
      this.head = 0;
    }
  }

  add(now: number, c: number): void {
    const last = this.ts.length - 1;
    if (last >= this.head && this.ts[last] === now) this.cost[last] = (this.cost[last] as number) + c;
    else {
      this.ts.push(now);
      this.cost.push(c);
    }
    this.sum += c;
  }

  /** ms until `need` more units fit under `limit`. */
  waitFor(now: number, windowMs: number, limit: number, need: number): number {
    let excess = this.sum + need - limit;
    for (let k = this.head; k < this.ts.length; k++) {
      excess -= this.cost[k] as number;
      if (excess <= 0) return Math.max(1, (this.ts[k] as number) + windowMs - now);
    }
    return windowMs; // need > limit: never fits; answer one window
  }

  resetMs(now: number, windowMs: number): number {
    return this.ts.length > this.head ? Math.max(0, (this.ts[this.ts.length - 1] as number) + windowMs - now) : 0;
  }
}

class FixedWindow {
  start = -Infinity;
  sum = 0;

  roll(now: number, windowMs: number): void {
    if (now >= this.start + windowMs) {
      this.start = Math.floor(now / windowMs) * windowMs;
      this.sum = 0;
    }
  }
}

type WindowState = SlidingLog | FixedWindow;

interface PolicyState {
  policy: WindowPolicy;
  keys: Map<string, WindowState>;
  peak: number;
  peakKey: string | null;
  peakAt: number | null;
}

/** A set of named window policies with per-key state. `enabled = false` admits everything but still measures. */
export class RateLimiter {
  enabled: boolean;
  private readonly clock: Clock;
  private readonly states = new Map<string, PolicyState>();

  constructor(policies: readonly WindowPolicy[], options: { clock?: Clock; enabled?: boolean } = {}) {
    this.clock = options.clock ?? systemClock;
    this.enabled = options.enabled ?? true;
    for (const p of policies) this.define(p);
  }

  /** Adds or replaces a policy (its state is cleared). */
  define(policy: WindowPolicy): void {
    if (!(policy.limit >= 0) || !(policy.windowMs > 0)) throw new RangeError(`bad limit policy ${policy.name}`);
    this.states.set(policy.name, { policy, keys: new Map(), peak: 0, peakKey: null, peakAt: null });
  }

  /** Changes a policy's limit or window at run time (e.g. shrinking "daily" to seconds in tests). */
  configure(name: string, patch: { limit?: number; windowMs?: number }): void {
    const s = this.state(name);
    this.define({ ...s.policy, ...patch });
  }

  policies(): WindowPolicy[] {
    return [...this.states.values()].map((s) => s.policy);
  }

  /**
   * Checks every window and, only if all admit the request, charges all of them (atomic: a denied request
   * costs nothing). With `enabled = false` the request is always admitted and still charged.
   */
  consume(checks: readonly LimitCheck[]): LimitDecision {
    const now = this.clock.now();
    const prepared = checks.map((c) => {
      const s = this.state(c.policy);
      const w = this.windowOf(s, c.key, now);
      return { c, s, w, cost: c.cost ?? 1 };
    });
    let admit = true;
    for (const { s, w, cost } of prepared) if (w.sum + cost > s.policy.limit) admit = false;
    if (!this.enabled) admit = true;
    const results: WindowResult[] = [];
    let denied: WindowResult | null = null;
    for (const { c, s, w, cost } of prepared) {
      const p = s.policy;
      const fits = w.sum + cost <= p.limit;
      if (admit) {
        if (w instanceof SlidingLog) w.add(now, cost);
        else w.sum += cost;
        if (w.sum > s.peak) {
          s.peak = w.sum;
          s.peakKey = c.key;
          s.peakAt = now;
        }
      }
      const resetMs = w instanceof SlidingLog ? w.resetMs(now, p.windowMs) : w.sum > 0 ? w.start + p.windowMs - now : 0;
      const retryAfterMs = admit ? 0 : fits ? 0 : w instanceof SlidingLog ? w.waitFor(now, p.windowMs, p.limit, cost) : Math.max(1, resetMs);
      const r: WindowResult = {
        policy: p.name, key: c.key, allowed: admit, reason: p.reason ?? 'rate_limited', limit: p.limit, windowMs: p.windowMs,
        used: w.sum, remaining: Math.max(0, p.limit - w.sum), resetMs, retryAfterMs,
      };
      if (!admit && !fits && denied === null) denied = r;
      results.push(r);
    }
    return { allowed: admit, results, denied };
  }

  /** The window's state for a key without charging anything. */
  peek(policy: string, key: string): WindowResult {
    const now = this.clock.now();
    const s = this.state(policy);
    const w = this.windowOf(s, key, now);
    const p = s.policy;
    const resetMs = w instanceof SlidingLog ? w.resetMs(now, p.windowMs) : w.sum > 0 ? w.start + p.windowMs - now : 0;
    return {
      policy, key, allowed: w.sum < p.limit, reason: p.reason ?? 'rate_limited', limit: p.limit, windowMs: p.windowMs,
      used: w.sum, remaining: Math.max(0, p.limit - w.sum), resetMs, retryAfterMs: 0,
    };
  }

  peaks(): PeakUsage[] {
    return [...this.states.values()].map((s) => ({
      policy: s.policy.name, limit: s.policy.limit, windowMs: s.policy.windowMs, peak: s.peak, peakKey: s.peakKey, peakAt: s.peakAt,
    }));
  }

  /** Forgets all usage and peaks. */
  reset(): void {
    for (const s of this.states.values()) this.define(s.policy);
  }

  private state(name: string): PolicyState {
    const s = this.states.get(name);
    if (s === undefined) throw new Error(`unknown rate-limit policy "${name}"`);
    return s;
  }

  private windowOf(s: PolicyState, key: string, now: number): WindowState {
    let w = s.keys.get(key);
    if (w === undefined) {
      w = s.policy.kind === 'fixed' ? new FixedWindow() : new SlidingLog();
      s.keys.set(key, w);
    }
    if (w instanceof SlidingLog) w.evict(now, s.policy.windowMs);
    else w.roll(now, s.policy.windowMs);
    return w;
  }
}

export interface ConcurrencyPolicy {
  readonly name: string;
  /** Maximum requests in flight per key. */
  readonly limit: number;
}

export interface ConcurrencySlot {
  readonly allowed: boolean;
  readonly policy: string;
  readonly limit: number;
  /** In flight for this key, including this request when admitted. */
  readonly inFlight: number;
  /** Frees the slot; safe to call more than once; a no-op when denied. */
  release(): void;
}

/** In-flight caps (Salesforce long-running requests, Zoho concurrency, monday concurrent requests). */
export class ConcurrencyLimiter {
  enabled: boolean;
  private readonly limits = new Map<string, { policy: ConcurrencyPolicy; inFlight: Map<string, number>; peak: number }>();

  constructor(policies: readonly ConcurrencyPolicy[], options: { enabled?: boolean } = {}) {
    this.enabled = options.enabled ?? true;
    for (const p of policies) this.define(p);
  }

  define(policy: ConcurrencyPolicy): void {
    this.limits.set(policy.name, { policy, inFlight: new Map(), peak: 0 });
  }

  configure(name: string, patch: { limit?: number }): void {
    const s = this.get(name);
    s.policy = { ...s.policy, ...patch };
  }

  policies(): ConcurrencyPolicy[] {
    return [...this.limits.values()].map((s) => s.policy);
  }

  tryAcquire(policy: string, key: string): ConcurrencySlot {
    const s = this.get(policy);
    const current = s.inFlight.get(key) ?? 0;
    const limit = s.policy.limit;
    if (this.enabled && current >= limit) return { allowed: false, policy, limit, inFlight: current, release: () => undefined };
    s.inFlight.set(key, current + 1);
    s.peak = Math.max(s.peak, current + 1);
    let released = false;
    return {
      allowed: true, policy, limit, inFlight: current + 1,
      release: () => {
        if (released) return;
        released = true;
        const n = (s.inFlight.get(key) ?? 1) - 1;
        if (n <= 0) s.inFlight.delete(key);
        else s.inFlight.set(key, n);
      },
    };
  }

  peaks(): { policy: string; limit: number; peak: number }[] {
    return [...this.limits.values()].map((s) => ({ policy: s.policy.name, limit: s.policy.limit, peak: s.peak }));
  }

  /** Forgets peaks (requests in flight stay counted until released). */
  reset(): void {
    for (const s of this.limits.values()) s.peak = 0;
  }

  private get(name: string): { policy: ConcurrencyPolicy; inFlight: Map<string, number>; peak: number } {
    const s = this.limits.get(name);
    if (s === undefined) throw new Error(`unknown concurrency policy "${name}"`);
    return s;
  }
}
