/**
 * Sliding-window accounting for a CRM's documented limits, pure (the caller supplies `now` and stores the state).
 * Spending is recorded in buckets of 1/100 of each window, and a bucket counts in full until all of it has left
 * the window, so the accounting errs towards "used": a client following it never exceeds a limit that the CRM
 * enforces over a rolling window of the same length. Short windows (≤ 10 s) keep 100 ms or finer buckets.
 */

import type { RateWindow } from '../crm/types.js';

/** A documented limit (the same shape CRM definitions use). */
export type WindowSpec = RateWindow;

/** Per window name: [bucketStartMs, spent] pairs, oldest first. JSON-serialisable. */
export type WindowState = Record<string, Array<[number, number]>>;

export type SpendDecision =
  | { ok: true }
  | { ok: false; waitMs: number; window: WindowSpec; /** When enough of the window has expired. */ availableAt: number };

export function bucketMs(w: WindowSpec): number {
  return Math.max(1, Math.floor(w.windowMs / 100));
}

function applies(w: WindowSpec, rateClass: string | undefined): boolean {
  return w.appliesTo === undefined || w.appliesTo === rateClass;
}

function amount(w: WindowSpec, weight: number): number {
  return w.unit === 'requests' ? 1 : weight;
}

/** Drop buckets that have wholly left their window. Mutates and returns `state`. */
export function prune(state: WindowState, windows: readonly WindowSpec[], now: number): WindowState {
  for (const w of windows) {
    const list = state[w.name];
    if (!list) continue;
    const size = bucketMs(w);
    let drop = 0;
    while (drop < list.length && list[drop]![0] + size <= now - w.windowMs) drop += 1;
    if (drop > 0) list.splice(0, drop);
  }
  return state;
}

/** Spent within the window ending at `now` (conservatively: a bucket overlapping the window counts in full). */
export function used(state: WindowState, w: WindowSpec, now: number): number {
  const size = bucketMs(w);
  let total = 0;
  for (const [start, spent] of state[w.name] ?? []) if (start + size > now - w.windowMs) total += spent;
  return total;
}

/** Can `weight` be spent now under every applicable window? If not, how long until it can. */
export function decide(state: WindowState, windows: readonly WindowSpec[], rateClass: string | undefined, weight: number, now: number): SpendDecision {
  let worst: SpendDecision = { ok: true };
  for (const w of windows) {
    if (!applies(w, rateClass)) continue;
    const need = amount(w, weight);
    if (need > w.limit) {
      // A single request heavier than the whole window can never fit; let it through alone rather than deadlock.
      if (used(state, w, now) === 0) continue;
    }
    let spent = used(state, w, now);
    if (spent + need <= w.limit) continue;
    // Walk buckets oldest first until enough has expired.
    const size = bucketMs(w);
    let availableAt = now;
    for (const [start, amt] of state[w.name] ?? []) {
      if (start + size <= now - w.windowMs) continue;
      spent -= amt;
      availableAt = start + size + w.windowMs;
      if (spent + need <= w.limit) break;
    }
    const waitMs = Math.max(1, availableAt - now);
    if (worst.ok || waitMs > worst.waitMs) worst = { ok: false, waitMs, window: w, availableAt };
  }
  return worst;
}

/** Record `weight` spent at `now` in every applicable window. Mutates and returns `state`. */
export function spend(state: WindowState, windows: readonly WindowSpec[], rateClass: string | undefined, weight: number, now: number): WindowState {
  for (const w of windows) {
    if (!applies(w, rateClass)) continue;
    const size = bucketMs(w);
    const start = now - (now % size);
    const list = (state[w.name] ??= []);
    const last = list.at(-1);
    if (last && last[0] === start) last[1] += amount(w, weight);
    else list.push([start, amount(w, weight)]);
  }
  return state;
}

/**
 * The CRM reported `remaining` for a window: if it has seen more use than we counted (another app on the same
 * account, another deployment), record the difference now so we slow down accordingly.
 */
export function reconcile(state: WindowState, w: WindowSpec, remaining: number, now: number, limit = w.limit): WindowState {
  const theirs = limit - remaining;
  const ours = used(state, w, now);
  if (theirs > ours) {
    const size = bucketMs(w);
    const start = now - (now % size);
    const list = (state[w.name] ??= []);
    const last = list.at(-1);
    if (last && last[0] === start) last[1] += theirs - ours;
    else list.push([start, theirs - ours]);
  }
  return state;
}
