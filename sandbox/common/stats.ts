/** Counters behind `GET /_sandbox/stats`: requests per endpoint, rejections by reason, injected faults. */
import type { FaultKind } from './faults.js';

export const REJECT_REASONS = ['rate_limited', 'quota', 'concurrency', 'unauthorized', 'fault', 'bad_request'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface StatsCounters {
  readonly since: string;
  readonly requests: { readonly total: number; readonly byEndpoint: Record<string, number>; readonly byStatus: Record<string, number> };
  readonly rejected: { readonly total: number; readonly byReason: Record<RejectReason, number> };
  readonly faults: { readonly injected: number; readonly byKind: Partial<Record<FaultKind, number>> };
}

export class SandboxStats {
  private since = new Date();
  private total = 0;
  private byEndpoint = new Map<string, number>();
  private byStatus = new Map<number, number>();
  private rejectedBy = new Map<RejectReason, number>();
  private faultsBy = new Map<FaultKind, number>();

  /** One request as it arrives, keyed by route pattern, e.g. "GET /crm/v3/objects/:objectType". */
  request(endpoint: string): void {
    this.total++;
    this.byEndpoint.set(endpoint, (this.byEndpoint.get(endpoint) ?? 0) + 1);
  }

  /** The status of a completed response (responses cut by a fault have none). */
  status(status: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  reject(reason: RejectReason): void {
    this.rejectedBy.set(reason, (this.rejectedBy.get(reason) ?? 0) + 1);
  }

  fault(kind: FaultKind): void {
    this.faultsBy.set(kind, (this.faultsBy.get(kind) ?? 0) + 1);
  }

  /** Requests seen for one endpoint key. */
  count(endpoint: string): number {
    return this.byEndpoint.get(endpoint) ?? 0;
  }

  rejected(reason: RejectReason): number {
    return this.rejectedBy.get(reason) ?? 0;
  }

  snapshot(): StatsCounters {
    const byReason = Object.fromEntries(REJECT_REASONS.map((r) => [r, this.rejectedBy.get(r) ?? 0])) as Record<RejectReason, number>;
    let rejectedTotal = 0;
    for (const v of this.rejectedBy.values()) rejectedTotal += v;
    let injected = 0;
    for (const v of this.faultsBy.values()) injected += v;
    return {
      since: this.since.toISOString(),
      requests: {
        total: this.total,
        byEndpoint: Object.fromEntries([...this.byEndpoint].sort(([a], [b]) => a.localeCompare(b))),
        byStatus: Object.fromEntries([...this.byStatus].map(([s, n]) => [String(s), n])),
      },
      rejected: { total: rejectedTotal, byReason },
      faults: { injected, byKind: Object.fromEntries(this.faultsBy) },
    };
  }

  reset(): void {
    this.since = new Date();
    this.total = 0;
    this.byEndpoint.clear();
    this.byStatus.clear();
    this.rejectedBy.clear();
    this.faultsBy.clear();
  }
}
