/**
 * The Salesforce client against its sandbox, when things go wrong: injected faults, a token expiring mid-read,
 * expired query locators, bulk fallback, deadline and resume, the realistic profile never exceeded, the daily
 * allocation exhausted. (Sizes, links and metadata: salesforce-client.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../src/crm/errors.js';
import { MemoryBudgetStore, WindowBudget } from '../../src/crm/http/budget.js';
import { salesforceCrm } from '../../src/crm/salesforce/index.js';
import type { CrmApiClient, RateWindow, SourceRecord } from '../../src/crm/types.js';
import { ManualClock } from '../../sandbox/common/index.js';
import { createTestClient } from '../helpers/sandbox-connection.js';
import { bulkAll, expectEachOnce, pageAll, setup } from './salesforce-setup.js';

describe('Salesforce client: faults, expiry, resumption', () => {
  it('returns every record with 10% injected faults, on both paths', async () => {
    const t = await setup({ contacts: 6001 }, { faultRate: 0.1 });
    try {
      await t.post('/_sandbox/config', { slowMs: [20, 60] });
      expect(await t.client.getRecordCount('contacts')).toBe(6001);
      expectEachOnce(await pageAll(t.client, 'contacts', 1000), 6001);
      expectEachOnce((await bulkAll(t.client, 'contacts')).records, 6001);
      expect((await t.stats()).faults.injected).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('refreshes a token that expires mid-read, transparently, on both paths', async () => {
    const t = await setup({ contacts: 5000 });
    try {
      const expire = async () => {
        await t.post('/_sandbox/tokens/expire');
      };
      expectEachOnce(await pageAll(t.client, 'contacts', 1000, expire), 5000);
      expect(t.conn.provider.refreshes).toBeGreaterThanOrEqual(4);
      const before = t.conn.provider.refreshes;
      expectEachOnce((await bulkAll(t.client, 'contacts', null, expire)).records, 5000);
      expect(t.conn.provider.refreshes).toBeGreaterThan(before);
      expect((await t.stats()).rejected.byReason.unauthorized).toBeGreaterThanOrEqual(5);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('resumes a cursor after its query locator expired (WHERE Id > last), without losing or repeating records', async () => {
    const clock = new ManualClock(Date.now());
    const t = await setup({ contacts: 5000 }, { clock });
    try {
      const first = await t.client.fetchRecords('contacts', null, 2000);
      clock.advance(16 * 60_000);
      const rest = await pageAll({ ...t.client, fetchRecords: (e, c, l) => t.client.fetchRecords(e, c ?? first.nextCursor, l) } as CrmApiClient, 'contacts');
      expectEachOnce([...first.records, ...rest], 5000);
      expect((await t.stats()).rejected.byReason.bad_request).toBe(1); // the one INVALID_QUERY_LOCATOR
    } finally {
      await t.close();
    }
  }, 60_000);

  it('resumes a bulk read after a stop from the last batch\'s token, then cleans the job up', async () => {
    const t = await setup({ contacts: 7000, accounts: 10 });
    try {
      const head: SourceRecord[] = [];
      let token: string | null = null;
      for await (const b of t.client.bulkFetchRecords('contacts')) {
        head.push(...b.records);
        token = b.resume;
        if (head.length >= 4000) break; // the importer stops (crash, pause) after two batches
      }
      expect(head.length).toBe(4000);
      expect(token).not.toBeNull();
      const rest = await bulkAll(t.client, 'contacts', token);
      expectEachOnce([...head, ...rest.records], 7000);
      expect(rest.resumes.at(-1)).toBeNull();
      const st = await t.stats();
      expect(st.requests.byEndpoint['POST /services/data/:version/jobs/query']).toBe(1); // the same job, resumed
      expect(st.requests.byEndpoint['DELETE /services/data/:version/jobs/query/:id']).toBe(1);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('falls back to the standard path when a bulk job fails, and aborts a job past the deadline', async () => {
    const t = await setup({ contacts: 3000 }, { extras: { bulkFail: 'Contact' } });
    try {
      expectEachOnce((await bulkAll(t.client, 'contacts')).records, 3000);
      const st = await t.stats();
      expect(st.requests.byEndpoint['POST /services/data/:version/jobs/query']).toBe(1);
      expect(st.requests.byEndpoint['GET /services/data/:version/query']).toBeGreaterThanOrEqual(1);
      await t.post('/_sandbox/salesforce', { bulkFail: [], bulkProcessingMs: 5_000 });
      const slow = createTestClient(salesforceCrm, t.conn, { budget: 'off', bulkDeadlineMs: 300 });
      expectEachOnce((await bulkAll(slow, 'contacts')).records, 3000);
      const after = await t.stats();
      expect(after.requests.byEndpoint['PATCH /services/data/:version/jobs/query/:id']).toBe(1);
      expect(after.requests.byEndpoint['GET /services/data/:version/jobs/query/:id/results'] ?? 0).toBe(0);
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('Salesforce client: limits', () => {
  it('never exceeds the realistic profile in one process (windows shrunk alike in sandbox and budget)', async () => {
    const daily = { limit: 10, windowMs: 2_000 };
    const t = await setup({ contacts: 4000 }, { rateLimits: 'realistic' });
    try {
      await t.post('/_sandbox/config', { limits: { daily } });
      // Same numbers; the budget's window is 500 ms longer because on a loaded test machine a request can reach the
      // sandbox a few hundred ms after the budget admitted it (the shared layer's margin is at most 200 ms).
      const windows: RateWindow[] = salesforceCrm.definition.limits.windows.map((w) => (w.name === 'daily' ? { ...w, limit: daily.limit, windowMs: daily.windowMs + 500 } : w));
      const budget = new WindowBudget({ crm: 'salesforce', key: 'sf-test', windows, store: new MemoryBudgetStore() });
      const client = createTestClient(salesforceCrm, t.conn, { budget });
      expectEachOnce(await pageAll(client, 'contacts', 200), 4000);
      const st = await t.stats();
      const peak = st.rateLimits.windows.find((w) => w.policy === 'daily')!;
      expect(peak.limit).toBe(10);
      expect(peak.peak).toBeLessThanOrEqual(10);
      expect(peak.peak).toBeGreaterThanOrEqual(8); // and it used the allocation, not a trickle of it
      expect(st.rejected.byReason.quota).toBe(0);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('throws quota_exhausted with a resetAt when the daily allocation is used up, without hammering', async () => {
    const t = await setup({ contacts: 9000 }, { rateLimits: 'realistic' });
    try {
      await t.post('/_sandbox/config', { limits: { daily: { limit: 4, windowMs: 3_600_000 } } });
      const err = await pageAll(t.client, 'contacts', 200).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CrmError);
      expect((err as CrmError).kind).toBe('quota_exhausted');
      expect((err as CrmError).code).toBe('REQUEST_LIMIT_EXCEEDED');
      expect((err as CrmError).resetAt!.getTime()).toBeGreaterThan(Date.now());
      const st = await t.stats();
      expect(st.rejected.byReason.quota).toBe(1);
      expect(st.requests.total).toBeLessThanOrEqual(4 + 1 + 3); // the allocation, the one refused, OAuth
      // With the budget mirroring the allocation, the client stops before the CRM has to say no.
      const windows: RateWindow[] = salesforceCrm.definition.limits.windows.map((w) => (w.name === 'daily' ? { ...w, limit: 4, windowMs: 3_600_000 } : w));
      const budget = new WindowBudget({ crm: 'salesforce', key: 'sf-quota', windows, store: new MemoryBudgetStore() });
      await t.post('/_sandbox/reset');
      const client = createTestClient(salesforceCrm, t.conn, { budget });
      const e2 = await pageAll(client, 'contacts', 200).catch((e: unknown) => e);
      expect((e2 as CrmError).kind).toBe('quota_exhausted');
      expect((e2 as CrmError).resetAt).toBeInstanceOf(Date);
      expect((await t.stats()).rejected.byReason.quota).toBe(0);
    } finally {
      await t.close();
    }
  }, 60_000);
});

