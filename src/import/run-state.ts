/**
 * What a run keeps in its migration row between batches (all JSON): the plan chosen when it started, the
 * checkpoint committed with every batch, and the reconciliation written when it ends.
 */
import type { EntityType } from '../core/ids.js';
import type { SourcePosition } from './sources/types.js';

export interface EntityCounts {
  fetched: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  /** Values stored as written (not normalised) and reported. */
  warnings: number;
}

export const zeroCounts = (): EntityCounts => ({ fetched: 0, created: 0, updated: 0, skipped: 0, failed: 0, warnings: 0 });

export interface EntityPlan {
  entity: EntityType;
  /** Records the source holds at the start (CRM count, CSV data rows). */
  sourceCount: number;
  /** CRM runs: how the entity is read (src/core/strategy.ts). */
  strategy?: 'standard' | 'batched' | 'bulk';
  pageSize?: number;
  useBulkApi?: boolean;
  reason?: string;
  estimatedApiCalls?: number;
  estimatedSeconds?: number;
  quotaWarning?: { window: string; needed: number; limit: number };
  /** Why the strategy changed during the run (a bulk job failed and standard paging took over). */
  fallback?: string;
}

// Type aliases (not interfaces) so they fit the API's JSON-object schemas.
export type RunPlan = {
  entities: EntityPlan[];
  totalRecords: number;
  /** Over 100,000 records: a background run that e-mails on completion. */
  background: boolean;
  plannedAt: string;
};

export interface RunCheckpoint {
  /** Index into plan.entities of the entity being read. */
  entityIndex: number;
  positions: Partial<Record<EntityType, SourcePosition>>;
  counts: Partial<Record<EntityType, EntityCounts>>;
  /** Consecutive temporary failures (reset by a committed batch). */
  retries: number;
  /** Recent [epoch ms, records processed] samples, for the rate and ETA. */
  progress: Array<[number, number]>;
  /** The final link pass and reconciliation have started. */
  finalizing?: boolean;
}

export const emptyCheckpoint = (): RunCheckpoint => ({ entityIndex: 0, positions: {}, counts: {}, retries: 0, progress: [] });

export interface EntityReconciliation {
  sourceCount: number;
  fetched: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  /** created + updated + skipped. */
  written: number;
  warnings: number;
  /** Links that point at a record that was never imported, by link field. */
  unresolvedLinks: Record<string, number>;
  /** Records of this run found in the table with this run as creator (checks `created`). */
  storedCreated: number;
  /** What does not add up, in words. Empty when the entity reconciles. */
  issues: string[];
}

export type Reconciliation = {
  entities: Partial<Record<EntityType, EntityReconciliation>>;
  /** True when every entity reconciles: nothing missing, nothing failed, every link resolved. */
  ok: boolean;
  issues: string[];
  at: string;
  notified?: { at: string; via: 'smtp' | 'outbox'; to: string };
  undo?: { at: string; byUserId: string | null; deleted: Partial<Record<EntityType, number>> };
};

/** Records processed so far (fetched) across entities. */
export function processed(cp: RunCheckpoint): number {
  return Object.values(cp.counts).reduce((n, c) => n + (c?.fetched ?? 0), 0);
}

/** Keep the last ~2 minutes of progress samples (at most 30). */
export function addProgress(cp: RunCheckpoint, now: number): void {
  cp.progress.push([now, processed(cp)]);
  while (cp.progress.length > 30 || (cp.progress.length > 2 && now - cp.progress[0]![0] > 120_000)) cp.progress.shift();
}

/** Records per second over the recent samples, and seconds left at that rate. */
export function rateAndEta(cp: RunCheckpoint | null, total: number): { rate: number | null; eta: number | null } {
  if (!cp || cp.progress.length < 2) return { rate: null, eta: null };
  const [t0, n0] = cp.progress[0]!;
  const [t1, n1] = cp.progress[cp.progress.length - 1]!;
  if (t1 <= t0) return { rate: null, eta: null };
  const rate = ((n1 - n0) * 1000) / (t1 - t0);
  const left = Math.max(0, total - n1);
  return { rate: Math.round(rate * 10) / 10, eta: rate > 0 ? Math.ceil(left / rate) : null };
}
