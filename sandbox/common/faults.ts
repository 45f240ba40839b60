/**
 * Seeded fault injection: request n (a per-sandbox counter of data-API requests) fails, or not, as a pure
 * function of (seed, n), so a run with the same seed and request order sees the same faults.
 * The Fastify side (sending the 429/5xx via the CRM's renderer, destroying sockets, cutting bodies) is in
 * fault-hooks.ts.
 */
import { hash32, unit } from './rng.js';

export const FAULT_KINDS = ['rate_limit', 'server_error', 'bad_gateway', 'unavailable', 'reset', 'slow', 'truncate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** HTTP status of the faults that are plain error responses. */
export const FAULT_STATUS = { rate_limit: 429, server_error: 500, bad_gateway: 502, unavailable: 503 } as const;
export type StatusFaultKind = keyof typeof FAULT_STATUS;

export interface FaultDecision {
  /** The request counter value this decision was made for. */
  readonly n: number;
  readonly kind: FaultKind;
  /** For status faults: 429, 500, 502 or 503. */
  readonly status: number | null;
  /** For 'slow': added latency. */
  readonly delayMs: number;
  /** For 'truncate': share of the body sent before the connection is cut (0.05–0.9). */
  readonly cutFraction: number;
}

export interface FaultSettings {
  /** Probability that a request faults, 0..1. */
  rate: number;
  /** Relative weight of each kind (0 disables it). */
  weights: Record<FaultKind, number>;
  /** Latency range for 'slow', inclusive. */
  slowMs: [number, number];
}

/** What `configure` and the constructor accept: any subset, weights per kind. */
export interface FaultSettingsPatch {
  rate?: number;
  weights?: Partial<Record<FaultKind, number>>;
  slowMs?: [number, number];
}

export const DEFAULT_FAULT_WEIGHTS: Readonly<Record<FaultKind, number>> = {
  rate_limit: 3, server_error: 2, bad_gateway: 1, unavailable: 2, reset: 1, slow: 2, truncate: 1,
};

const STREAM_FIRE = 0xfa01;
const STREAM_KIND = 0xfa02;
const STREAM_PARAM = 0xfa03;

export function isStatusFault(kind: FaultKind): kind is StatusFaultKind {
  return kind in FAULT_STATUS;
}

export class FaultInjector {
  readonly settings: FaultSettings;
  private counter = 0;

  constructor(readonly seed: number, settings: FaultSettingsPatch = {}) {
    this.settings = {
      rate: settings.rate ?? 0,
      weights: { ...DEFAULT_FAULT_WEIGHTS, ...settings.weights },
      slowMs: settings.slowMs ?? [200, 1500],
    };
    validate(this.settings);
  }

  /** Updates rate, weights or latency range (validated); the counter continues. */
  configure(patch: FaultSettingsPatch): void {
    const next: FaultSettings = {
      rate: patch.rate ?? this.settings.rate,
      weights: { ...this.settings.weights, ...patch.weights },
      slowMs: patch.slowMs ?? this.settings.slowMs,
    };
    validate(next);
    Object.assign(this.settings, next);
  }

  /** Number of requests decided so far. */
  get requests(): number {
    return this.counter;
  }

  /** Decides for the next request and advances the counter. */
  next(): FaultDecision | null {
    return this.decide(this.counter++);
  }

  /** Pure: the decision for request number n under the current settings. */
  decide(n: number): FaultDecision | null {
    const { rate, weights, slowMs } = this.settings;
    if (rate <= 0 || unit(hash32(this.seed, STREAM_FIRE, n)) >= rate) return null;
    let total = 0;
    for (const k of FAULT_KINDS) total += weights[k];
    if (total <= 0) return null;
    let u = unit(hash32(this.seed, STREAM_KIND, n)) * total;
    let kind: FaultKind = 'server_error';
    for (const k of FAULT_KINDS) {
      if (u < weights[k]) {
        kind = k;
        break;
      }
      u -= weights[k];
    }
    const p = unit(hash32(this.seed, STREAM_PARAM, n));
    return {
      n,
      kind,
      status: isStatusFault(kind) ? FAULT_STATUS[kind] : null,
      delayMs: kind === 'slow' ? Math.round(slowMs[0] + p * (slowMs[1] - slowMs[0])) : 0,
      cutFraction: kind === 'truncate' ? 0.05 + p * 0.85 : 0,
    };
  }

  /** Restarts the counter, so the fault sequence repeats from the beginning. */
  reset(): void {
    this.counter = 0;
  }
}

function validate(s: FaultSettings): void {
  if (!(s.rate >= 0 && s.rate <= 1)) throw new RangeError(`fault rate must be within 0..1, got ${s.rate}`);
  for (const k of FAULT_KINDS) if (!(s.weights[k] >= 0)) throw new RangeError(`fault weight for ${k} must be ≥ 0`);
  if (!(s.slowMs[0] >= 0 && s.slowMs[1] >= s.slowMs[0])) throw new RangeError('slowMs must be [min, max] with 0 ≤ min ≤ max');
}
