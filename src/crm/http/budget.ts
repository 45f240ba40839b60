/**
 * Per-connection rate budgets: throttle before the CRM says no. The accounting is src/core/rate-windows.ts; the
 * state lives in memory (the embedded default: one process) or in the crm_rate_budgets table, locked per
 * connection, so every worker process on a PostgreSQL deployment shares one budget.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { CrmId } from '../../core/ids.js';
import { decide, prune, reconcile, spend, type WindowSpec, type WindowState } from '../../core/rate-windows.js';
import type { Db } from '../../db/client.js';
import { crmRateBudgets } from '../../db/schema.js';
import { CrmError } from '../errors.js';
import type { BudgetTicket, RateBudget, RateObservation, RateWindow } from '../types.js';

/** A request admitted but not answered yet: it counts in full, as if sent now, until it is settled. */
export interface Hold {
  id: string;
  rateClass?: string;
  weight: number;
  /** A worker that died before settling releases its hold here (admission + request timeout + a margin). */
  until: number;
}

export interface BudgetRecord {
  windows: WindowState;
  holds: Hold[];
  blockedUntil: number | null;
  blockedReason: 'rate_limited' | 'quota_exhausted' | null;
}

/** Where budget state is kept. `update` runs `fn` atomically for the key (no other update of that key interleaves). */
export interface BudgetStore {
  update<T>(key: string, fn: (record: BudgetRecord) => T): Promise<T>;
}

const empty = (): BudgetRecord => ({ windows: {}, holds: [], blockedUntil: null, blockedReason: null });

/** In-process store: a promise chain per key serialises updates. */
export class MemoryBudgetStore implements BudgetStore {
  readonly #records = new Map<string, BudgetRecord>();
  readonly #locks = new Map<string, Promise<unknown>>();

  async update<T>(key: string, fn: (record: BudgetRecord) => T): Promise<T> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous.then(() => {
      const record = this.#records.get(key) ?? empty();
      this.#records.set(key, record);
      return fn(record);
    });
    this.#locks.set(key, run.catch(() => undefined));
    return run;
  }
}

/** Shared store: one row per key, updated under a row lock inside a short transaction. */
export class PostgresBudgetStore implements BudgetStore {
  constructor(private readonly db: Db) {}

  async update<T>(key: string, fn: (record: BudgetRecord) => T): Promise<T> {
    await this.db.insert(crmRateBudgets).values({ key }).onConflictDoNothing();
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(crmRateBudgets).where(eq(crmRateBudgets.key, key)).for('update');
      const state = (row?.state ?? {}) as { windows?: WindowState; holds?: Hold[]; blockedReason?: BudgetRecord['blockedReason'] };
      const record: BudgetRecord = {
        windows: state.windows ?? {},
        holds: state.holds ?? [],
        blockedUntil: row?.blockedUntil ? row.blockedUntil.getTime() : null,
        blockedReason: state.blockedReason ?? null,
      };
      const result = fn(record);
      await tx
        .update(crmRateBudgets)
        .set({
          state: { windows: record.windows, holds: record.holds, blockedReason: record.blockedReason },
          blockedUntil: record.blockedUntil === null ? null : new Date(record.blockedUntil),
          updatedAt: sql`now()`,
        })
        .where(eq(crmRateBudgets.key, key));
      return result;
    });
  }
}

export interface WindowBudgetOptions {
  crm: CrmId;
  key: string;
  windows: readonly RateWindow[];
  store: BudgetStore;
  /** Waiting longer than this for a quota window throws quota_exhausted (the run pauses) instead. */
  maxQuotaWaitMs?: number;
  /** How long an unsettled hold can last (a worker died mid-request): the HTTP layer's request timeout plus a margin. */
  holdMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Client-side margin: requests reach the CRM a little after we count them, so short windows are widened by up to
 * 5% (at most 200 ms) to stay under a limit the CRM counts on arrival.
 */
export function withMargin(windows: readonly RateWindow[]): WindowSpec[] {
  return windows.map((w) => ({ ...w, windowMs: w.windowMs + Math.min(200, Math.floor(w.windowMs * 0.05)) }));
}

export class WindowBudget implements RateBudget {
  readonly #o: Required<Omit<WindowBudgetOptions, 'windows'>> & { windows: WindowSpec[] };

  constructor(options: WindowBudgetOptions) {
    this.#o = {
      maxQuotaWaitMs: 60_000,
      holdMs: 120_000,
      now: Date.now,
      sleep: defaultSleep,
      ...options,
      windows: withMargin(options.windows),
    };
  }

  async acquire(rateClass: string | undefined, weight: number, signal?: AbortSignal): Promise<BudgetTicket> {
    const o = this.#o;
    for (;;) {
      const outcome = await o.store.update(o.key, (record) => {
        const now = o.now();
        if (record.blockedUntil !== null && record.blockedUntil > now) {
          return { wait: record.blockedUntil - now, quota: record.blockedReason === 'quota_exhausted', until: record.blockedUntil, window: undefined as WindowSpec | undefined };
        }
        prune(record.windows, o.windows, now);
        record.holds = record.holds.filter((h) => h.until > now);
        // Requests still in flight count in full, as if they arrived now.
        const view = structuredClone(record.windows);
        for (const h of record.holds) spend(view, o.windows, h.rateClass, h.weight, now);
        const d = decide(view, o.windows, rateClass, weight, now);
        if (d.ok) {
          const id = randomUUID();
          record.holds.push({ id, ...(rateClass === undefined ? {} : { rateClass }), weight, until: now + o.holdMs });
          return { ticket: { id } };
        }
        return { wait: d.waitMs, quota: Boolean(d.window.quota), until: d.availableAt, window: d.window };
      });
      if (outcome.ticket) return outcome.ticket;
      if (outcome.quota && outcome.wait > o.maxQuotaWaitMs) {
        throw new CrmError(o.crm, {
          kind: 'quota_exhausted',
          code: outcome.window ? `BUDGET_${outcome.window.name.toUpperCase()}` : 'QUOTA_EXHAUSTED',
          resetAt: new Date(outcome.until),
        });
      }
      // Poll at least every 250 ms: a settled hold frees room before the computed time.
      await o.sleep(Math.min(outcome.wait, 250), signal);
    }
  }

  async settle(ticket: BudgetTicket): Promise<void> {
    if (!ticket) return;
    const o = this.#o;
    await o.store.update(o.key, (record) => {
      const hold = record.holds.find((h) => h.id === ticket.id);
      if (!hold) return; // expired meanwhile: it was counted as in flight until then
      record.holds = record.holds.filter((h) => h !== hold);
      spend(record.windows, o.windows, hold.rateClass, hold.weight, o.now());
    });
  }

  async observe(observations: readonly RateObservation[]): Promise<void> {
    if (observations.length === 0) return;
    const o = this.#o;
    await o.store.update(o.key, (record) => {
      const now = o.now();
      for (const obs of observations) {
        const w = o.windows.find((x) => x.name === obs.window);
        if (!w || obs.remaining === undefined) continue;
        reconcile(record.windows, w, obs.remaining, now, obs.limit ?? w.limit);
      }
    });
  }

  async blockUntil(until: Date, reason: 'rate_limited' | 'quota_exhausted'): Promise<void> {
    const o = this.#o;
    await o.store.update(o.key, (record) => {
      if (record.blockedUntil === null || record.blockedUntil < until.getTime()) {
        record.blockedUntil = until.getTime();
        record.blockedReason = reason;
      }
    });
  }
}

/** No throttling (a sandbox with limits off, benchmarks). Still honours a CRM's explicit "stop until". */
export class UnlimitedBudget implements RateBudget {
  #blockedUntil = 0;
  #reason: 'rate_limited' | 'quota_exhausted' = 'rate_limited';
  constructor(
    private readonly crm: CrmId,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = defaultSleep,
    private readonly maxQuotaWaitMs = 60_000,
  ) {}
  async acquire(_rateClass: string | undefined, _weight: number, signal?: AbortSignal): Promise<BudgetTicket> {
    const wait = this.#blockedUntil - Date.now();
    if (wait <= 0) return null;
    if (this.#reason === 'quota_exhausted' && wait > this.maxQuotaWaitMs) {
      throw new CrmError(this.crm, { kind: 'quota_exhausted', code: 'QUOTA_EXHAUSTED', resetAt: new Date(this.#blockedUntil) });
    }
    await this.sleep(wait, signal);
    return null;
  }
  async observe(): Promise<void> {}
  async blockUntil(until: Date, reason: 'rate_limited' | 'quota_exhausted'): Promise<void> {
    if (until.getTime() > this.#blockedUntil) {
      this.#blockedUntil = until.getTime();
      this.#reason = reason;
    }
  }
}
