import { describe, expect, it } from 'vitest';
import { planFetch, planForCrm } from '../../src/core/strategy.js';
import { pipedriveDefinition } from '../../src/crm/pipedrive/definition.js';
import type { CrmPaging, RateWindow } from '../../src/crm/types.js';

const salesforce: CrmPaging = { standardPageSize: 2000, maxPageSize: 2000, hasBulkApi: true, bulkThreshold: 2000, bulkBatchSize: 50_000, bulkOverheadRequests: 4 };
const hubspot: CrmPaging = { standardPageSize: 100, maxPageSize: 100, hasBulkApi: true, bulkThreshold: 10_000, bulkBatchSize: 1_000_000, bulkOverheadRequests: 4 };
const pipedrive: CrmPaging = { standardPageSize: 500, maxPageSize: 500, hasBulkApi: false, bulkThreshold: Number.POSITIVE_INFINITY, bulkBatchSize: 500, bulkOverheadRequests: 0 };
const hubspotLimits: RateWindow[] = [
  { name: 'burst', limit: 190, windowMs: 10_000, unit: 'requests' },
  { name: 'daily', limit: 625_000, windowMs: 86_400_000, unit: 'requests', quota: true },
  { name: 'search', limit: 5, windowMs: 1_000, unit: 'requests', appliesTo: 'search' },
];

describe('fetch planner', () => {
  it.each([
    [0, 'standard'],
    [999, 'standard'],
    [1_000, 'batched'],
    [10_000, 'batched'],
    [10_001, 'bulk'],
    [150_000, 'bulk'],
  ])('HubSpot with %i records → %s (the seed table)', (count, strategy) => {
    const plan = planFetch({ count, paging: hubspot, windows: hubspotLimits });
    expect(plan.strategy).toBe(strategy);
    expect(plan.useBulkApi).toBe(strategy === 'bulk');
    expect(plan.background).toBe(count > 100_000);
  });

  it.each([
    [1_999, 'batched'],
    [2_000, 'batched'],
    [2_001, 'bulk'],
  ])('Salesforce uses bulk above its own 2,000 threshold: %i → %s', (count, strategy) => {
    expect(planFetch({ count, paging: salesforce, windows: [] }).strategy).toBe(strategy);
  });

  it('never picks bulk for a CRM without a bulk API, and uses its largest pages', () => {
    const plan = planFetch({ count: 1_000_000, paging: pipedrive, windows: [] });
    expect(plan.strategy).toBe('batched');
    expect(plan.pageSize).toBe(500);
    expect(plan.estimatedApiCalls).toBe(2_001);
    expect(plan.reason).toMatch(/no bulk API/);
  });

  it('estimates duration from the binding limit', () => {
    // 100,000 records in pages of 100 = 1,001 calls at 190 per 10 s ≈ 47 s of throttling.
    const plan = planFetch({ count: 99_999, paging: { ...hubspot, hasBulkApi: false }, windows: hubspotLimits, latencyMs: 10 });
    expect(plan.estimatedApiCalls).toBe(1_001);
    expect(plan.estimatedSeconds).toBeGreaterThanOrEqual(42);
    expect(plan.estimatedSeconds).toBeLessThanOrEqual(48);
    expect(plan.bindingLimit).toMatch(/^burst: 190 requests per 10 s/);
  });

  it('warns when a daily quota cannot cover the run, and not when it can', () => {
    const daily: RateWindow[] = [{ name: 'daily', limit: 60_000, windowMs: 86_400_000, unit: 'weight', quota: true }];
    // 4,000,000 records in pages of 500 = 8,001 calls × 10 tokens = 80,010 > 60,000
    const big = planFetch({ count: 4_000_000, paging: pipedrive, windows: daily, weightPerRequest: 10 });
    expect(big.quotaWarning).toEqual({ window: 'daily', needed: 80_010, limit: 60_000 });
    const small = planFetch({ count: 2_000_000, paging: pipedrive, windows: daily, weightPerRequest: 10 });
    expect(small.quotaWarning).toBeUndefined();
  });

  it("plans a CRM with its own request weight and limits: Pipedrive pages are counted in tokens", () => {
    // 20,000,000 persons = 40,001 pages × 10 tokens = 400,010 tokens > the realistic 300,000 a day.
    const plan = planForCrm(pipedriveDefinition, 20_000_000, { limitsOff: false });
    expect(plan.quotaWarning).toEqual({ window: 'daily', needed: 400_010, limit: 300_000 });
    // Counted as plain requests the same run would have looked affordable.
    expect(planFetch({ count: 20_000_000, paging: pipedriveDefinition.paging, windows: pipedriveDefinition.limits.windows, weightPerRequest: 1 }).quotaWarning).toBeUndefined();
    // A sandbox connection with its limits off plans with no limits at all.
    expect(planForCrm(pipedriveDefinition, 20_000_000, { limitsOff: true }).quotaWarning).toBeUndefined();
  });
});

