/**
 * The fetch planner: the seed's record-count table (< 1,000 standard paging; 1,000–10,000 batched calls;
 * > 10,000 bulk; > 100,000 bulk in the background with an e-mail) adjusted to each CRM's reality — Salesforce's own
 * guidance is bulk above 2,000 records; Pipedrive and monday have no bulk API, so large sets use their largest
 * pages — with an estimate of API calls and duration under the connection's documented limits. Pure.
 */
import type { CrmDefinition, CrmPaging, RateWindow } from '../crm/types.js';

export type FetchStrategy = 'standard' | 'batched' | 'bulk';

/** The seed's thresholds. */
export const SEED_THRESHOLDS = { batched: 1_000, bulk: 10_000, background: 100_000 } as const;

export interface PlanInput {
  count: number;
  paging: CrmPaging;
  /** The limits the run will be throttled by (empty when limits are off). */
  windows: readonly RateWindow[];
  /** Weight one page request spends in 'weight' windows (Pipedrive token cost, monday complexity, Zoho credits). */
  weightPerRequest?: number;
  /** Typical round trip of one request, for the duration estimate. */
  latencyMs?: number;
}

export interface FetchPlan {
  strategy: FetchStrategy;
  /** True when the CRM's bulk API is used (the seed's `useBulkApi`). */
  useBulkApi: boolean;
  pageSize: number;
  estimatedApiCalls: number;
  estimatedSeconds: number;
  /** Over 100,000 records: runs in the background and e-mails on completion. */
  background: boolean;
  /** Why this strategy, in words for the UI. */
  reason: string;
  /** The limit that bounds the duration, if any. */
  bindingLimit?: string;
  /** The run needs more than a daily quota allows: it will pause and resume when the quota resets. */
  quotaWarning?: { window: string; needed: number; limit: number };
}

function chooseStrategy(count: number, paging: CrmPaging): { strategy: FetchStrategy; reason: string } {
  const bulkAt = Math.min(paging.bulkThreshold, SEED_THRESHOLDS.bulk);
  if (count < SEED_THRESHOLDS.batched && count <= paging.bulkThreshold) {
    return { strategy: 'standard', reason: `${count.toLocaleString('en-US')} records: the standard API with paging is quickest.` };
  }
  if (paging.hasBulkApi && count > bulkAt) {
    return {
      strategy: 'bulk',
      reason:
        paging.bulkThreshold < SEED_THRESHOLDS.bulk
          ? `More than ${paging.bulkThreshold.toLocaleString('en-US')} records: this CRM recommends its bulk API from there, which uses far fewer API calls.`
          : `More than ${bulkAt.toLocaleString('en-US')} records: the bulk API uses far fewer API calls.`,
    };
  }
  if (!paging.hasBulkApi && count > SEED_THRESHOLDS.bulk) {
    return { strategy: 'batched', reason: `This CRM has no bulk API, so its largest pages (${paging.maxPageSize} records) keep the number of calls down.` };
  }
  return { strategy: 'batched', reason: `${count.toLocaleString('en-US')} records: the largest pages the standard API allows.` };
}

/** Seconds to spend `calls` requests (each `weight`) under a window's limit, when it binds. */
function windowSeconds(w: RateWindow, calls: number, weight: number): number {
  const spend = w.unit === 'requests' ? calls : calls * weight;
  if (spend <= w.limit) return 0;
  return ((spend - w.limit) / w.limit) * (w.windowMs / 1000);
}

export function planFetch(input: PlanInput): FetchPlan {
  const { count, paging } = input;
  const { strategy, reason } = chooseStrategy(count, paging);
  const pageSize = strategy === 'standard' ? paging.standardPageSize : paging.maxPageSize;
  const dataCalls =
    strategy === 'bulk' ? paging.bulkOverheadRequests + Math.max(1, Math.ceil(count / paging.bulkBatchSize)) : Math.max(1, Math.ceil(count / pageSize));
  const estimatedApiCalls = dataCalls + 1; // + the count itself
  const weight = input.weightPerRequest ?? 1;
  const latency = (input.latencyMs ?? 250) / 1000;

  let bindingLimit: string | undefined;
  let throttle = 0;
  let quotaWarning: FetchPlan['quotaWarning'];
  for (const w of input.windows) {
    if (w.appliesTo) continue; // class-specific windows (search) are not on the fetch path
    const spend = w.unit === 'requests' ? estimatedApiCalls : estimatedApiCalls * weight;
    if (w.quota) {
      if (spend > w.limit) quotaWarning = { window: w.name, needed: spend, limit: w.limit };
      continue;
    }
    const s = windowSeconds(w, estimatedApiCalls, weight);
    if (s > throttle) {
      throttle = s;
      bindingLimit = `${w.name}: ${w.limit.toLocaleString('en-US')} ${w.unit === 'requests' ? 'requests' : 'points'} per ${w.windowMs >= 60_000 ? `${w.windowMs / 60_000} min` : `${w.windowMs / 1000} s`}`;
    }
  }
  // Requests go one at a time per entity; the CRM's bulk job also needs time to run (≈ 50,000 records/s on its side).
  const transfer = estimatedApiCalls * latency + (strategy === 'bulk' ? count / 50_000 + 2 : 0);
  const estimatedSeconds = Math.ceil(Math.max(throttle, transfer));
  return {
    strategy,
    useBulkApi: strategy === 'bulk',
    pageSize,
    estimatedApiCalls,
    estimatedSeconds,
    background: count > SEED_THRESHOLDS.background,
    reason,
    ...(bindingLimit && throttle >= transfer ? { bindingLimit } : {}),
    ...(quotaWarning ? { quotaWarning } : {}),
  };
}

/**
 * The plan for one CRM: its paging, its request weight, and its documented limits — none when the connection's
 * limits are off (sandbox connections only). The pre-flight count and the run itself plan with this one function,
 * so the estimate a user saw is the plan the run stores.
 */
export function planForCrm(definition: Pick<CrmDefinition, 'paging' | 'limits'>, count: number, options: { limitsOff: boolean }): FetchPlan {
  return planFetch({
    count,
    paging: definition.paging,
    windows: options.limitsOff ? [] : definition.limits.windows,
    ...(definition.paging.weightPerRequest !== undefined ? { weightPerRequest: definition.paging.weightPerRequest } : {}),
  });
}
