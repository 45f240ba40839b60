/**
 * Zoho client against the Zoho sandbox (issue 5), under stress: 10 % injected faults; a token expiring mid-read;
 * Bulk Read fallback (failed job, deadline), resume after any batch and continuation across jobs; the realistic
 * profile (windows shrunk, mirrored in the budget) never exceeded; a spent credit quota surfacing as
 * quota_exhausted with a resetAt after a bounded number of requests.
 */
import { describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/common/index.js';
import { CrmError } from '../../src/crm/errors.js';
import { MemoryBudgetStore, WindowBudget } from '../../src/crm/http/budget.js';
import type { RateWindow, SourceRecord } from '../../src/crm/types.js';
import { bulk, ids, paged, setup, unique } from './zoho-setup.js';

const stats = async (s: RunningSandbox) =>
  (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as {
    requests: { total: number; byEndpoint: Record<string, number>; byStatus: Record<string, number> };
    rejected: { byReason: Record<string, number> };
    rateLimits: { windows: { policy: string; limit: number; peak: number }[] };
  };
const configure = (s: RunningSandbox, body: unknown) => fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Zoho client: resilience', () => {
  it('returns every record with 10 % injected faults (429, 5xx, resets, slow and truncated responses)', { timeout: 60_000 }, async () => {
    const { s, client } = await setup({ accounts: 30, contacts: 3_001, activities: 500 }, { faultRate: 0.1, seed: 11 });
    try {
      await configure(s, { slowMs: [20, 60] });
      expect(await client.getRecordCount('contacts')).toBe(3_001);
      expect(unique(await paged(client, 'contacts'))).toBe(3_001);
      expect(unique(await bulk(client, 'contacts'))).toBe(3_001);
      expect(unique(await bulk(client, 'activities'))).toBe(500);
      const st = await stats(s);
      expect(Object.keys(st.requests.byStatus).some((k) => k.startsWith('5') || k === '429')).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('downloads a Bulk Read result again when it is cut short', { timeout: 30_000 }, async () => {
    // Seed 7: the first download is cut inside its first 256 kB, the second completes (deterministic: faults are
    // decided by the seed and the request's position).
    const { s, client } = await setup({ accounts: 5, contacts: 3_000 }, { seed: 7 });
    try {
      await configure(s, { faultRate: 0.4, faultWeights: { rate_limit: 0, server_error: 0, bad_gateway: 0, unavailable: 0, reset: 0, slow: 0, truncate: 1 } });
      const all = await bulk(client, 'contacts');
      expect(all).toHaveLength(3_000);
      expect(unique(all)).toBe(3_000);
      const st = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as { faults: { byKind: Record<string, number> }; requests: { byEndpoint: Record<string, number> } };
      expect(st.faults.byKind.truncate).toBeGreaterThanOrEqual(1);
      expect(st.requests.byEndpoint['GET /crm/bulk/v8/read/:id/result']).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('refreshes a token that expires between pages and between bulk batches, transparently', { timeout: 30_000 }, async () => {
    const { s, conn, client } = await setup({ accounts: 10, contacts: 900, activities: 400 });
    try {
      const out: SourceRecord[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await client.fetchRecords('contacts', cursor, 200);
        out.push(...page.records);
        cursor = page.nextCursor;
        if (++pages === 2) await fetch(`${s.url}/_sandbox/tokens/expire`, { method: 'POST' });
      } while (cursor !== null);
      expect(unique(out)).toBe(900);
      expect(conn.provider.refreshes).toBe(1);
      const acts: SourceRecord[] = [];
      let expired = false;
      for await (const batch of client.bulkFetchRecords('activities')) {
        acts.push(...batch.records);
        if (!expired) {
          expired = true;
          await fetch(`${s.url}/_sandbox/tokens/expire`, { method: 'POST' });
        }
      }
      expect(unique(acts)).toBe(400);
      expect(conn.provider.refreshes).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('falls back to the list API when a Bulk Read job fails, and when it outlasts the deadline', { timeout: 30_000 }, async () => {
    const failing = await setup({ accounts: 5, contacts: 1_500 }, { extras: { bulkFailModules: 'Contacts' } });
    try {
      expect(unique(await bulk(failing.client, 'contacts'))).toBe(1_500);
      const st = await stats(failing.s);
      expect(st.requests.byEndpoint['POST /crm/bulk/v8/read']).toBe(1);
      expect(st.requests.byEndpoint['GET /crm/bulk/v8/read/:id/result'] ?? 0).toBe(0);
      expect(st.requests.byEndpoint['GET /crm/v8/:module']).toBeGreaterThanOrEqual(8);
    } finally {
      await failing.s.close();
    }
    const slow = await setup({ accounts: 5, contacts: 700 }, { extras: { bulkQueueMs: '0', bulkRecordsPerSecond: '10' } }, { bulkDeadlineMs: 400 });
    try {
      expect(unique(await bulk(slow.client, 'contacts'))).toBe(700);
      const st = await stats(slow.s);
      expect(st.requests.byEndpoint['GET /crm/bulk/v8/read/:id']).toBeGreaterThanOrEqual(2);
      expect(st.requests.byEndpoint['GET /crm/bulk/v8/read/:id/result'] ?? 0).toBe(0);
    } finally {
      await slow.s.close();
    }
  });

  it('resumes a bulk read after any batch: each record exactly once overall', { timeout: 45_000 }, async () => {
    const { s, client } = await setup({ accounts: 10, contacts: 100, deals: 50, activities: 4_000 }, { extras: { bulkPageSize: '1000' } });
    try {
      const all: SourceRecord[] = [];
      const resumes: (string | null)[] = [];
      for await (const batch of client.bulkFetchRecords('activities')) {
        all.push(...batch.records);
        resumes.push(batch.resume);
      }
      expect(resumes.at(-1)).toBeNull();
      expect(resumes.length).toBeGreaterThan(3);
      for (const k of [0, 1, resumes.length - 2]) {
        const before = (await (async () => {
          const got: SourceRecord[] = [];
          let n = 0;
          for await (const b of client.bulkFetchRecords('activities')) {
            got.push(...b.records);
            if (n++ === k) break;
          }
          return got;
        })());
        const after: SourceRecord[] = [];
        for await (const b of client.bulkFetchRecords('activities', { resume: resumes[k] })) after.push(...b.records);
        expect(before.length + after.length).toBe(4_000);
        expect(new Set([...ids(before), ...ids(after)]).size).toBe(4_000);
      }
    } finally {
      await s.close();
    }
  });

  it('continues with the next Bulk Read job (next_page_token) past a job\'s page of records', { timeout: 30_000 }, async () => {
    // Zoho's jobs hold 200,000 records; the sandbox shrinks that to 1,000 so three jobs cover 2,500 records.
    const { s, client } = await setup({ accounts: 3, contacts: 2_500 }, { extras: { bulkPageSize: '1000' } });
    try {
      const all = await bulk(client, 'contacts');
      expect(all).toHaveLength(2_500);
      expect(unique(all)).toBe(2_500);
      expect((await stats(s)).requests.byEndpoint['POST /crm/bulk/v8/read']).toBe(3);
    } finally {
      await s.close();
    }
  });
});

describe('Zoho client: limits', () => {
  it('never exceeds the realistic profile (credits window shrunk to 3 s, mirrored in the budget)', { timeout: 60_000 }, async () => {
    const windows: RateWindow[] = [
      { name: 'credits', limit: 60, windowMs: 3_000, unit: 'weight', quota: true },
      { name: 'bulk-download', limit: 10, windowMs: 60_000, unit: 'requests', appliesTo: 'bulk-download' },
    ];
    const budget = new WindowBudget({ crm: 'zoho', key: 'limits-test', windows, store: new MemoryBudgetStore() });
    const { s, client } = await setup({ accounts: 10, contacts: 2_001, activities: 300 }, { rateLimits: 'realistic' }, { budget });
    try {
      await configure(s, { limits: { credits: { limit: 60, windowMs: 3_000 } } });
      expect(await client.getRecordCount('contacts')).toBe(2_001);
      expect(unique(await paged(client, 'contacts'))).toBe(2_001);
      expect(unique(await bulk(client, 'contacts'))).toBe(2_001);
      expect(unique(await bulk(client, 'activities'))).toBe(300);
      const st = await stats(s);
      for (const w of st.rateLimits.windows) expect(w.peak).toBeLessThanOrEqual(w.limit);
      expect(st.rateLimits.windows.find((w) => w.policy === 'credits')!.peak).toBeGreaterThan(30);
      expect(st.rejected.byReason.quota ?? 0).toBe(0);
      expect(st.rejected.byReason.rate_limited ?? 0).toBe(0);
      expect(st.rejected.byReason.concurrency ?? 0).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('throws quota_exhausted with a resetAt when the credits are spent, after a bounded number of requests', { timeout: 30_000 }, async () => {
    const { s, client } = await setup({ accounts: 5, contacts: 5_000 }, { rateLimits: 'realistic' });
    try {
      await configure(s, { limits: { credits: { limit: 12, windowMs: 3_600_000 } } });
      const err = await paged(client, 'contacts').then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(CrmError);
      expect((err as CrmError).kind).toBe('quota_exhausted');
      expect((err as CrmError).resetAt!.getTime()).toBeGreaterThan(Date.now() + 60_000);
      const dataRequests = async () => Object.entries((await stats(s)).requests.byEndpoint).filter(([k]) => k.includes('/crm/')).reduce((n, [, v]) => n + v, 0);
      const before = await dataRequests();
      expect(before).toBe(13); // 12 admitted, then the one 429 — not retried
      expect((await stats(s)).rejected.byReason.quota).toBe(1);
      const again = await client.fetchRecords('contacts', null, 200).then(() => null, (e: unknown) => e);
      expect((again as CrmError).kind).toBe('quota_exhausted');
      expect(await dataRequests()).toBe(before);
    } finally {
      await s.close();
    }
  });

  it('with the quota mirrored in its budget, stops before the CRM has to say no', { timeout: 30_000 }, async () => {
    const windows: RateWindow[] = [{ name: 'credits', limit: 12, windowMs: 3_600_000, unit: 'weight', quota: true }];
    const budget = new WindowBudget({ crm: 'zoho', key: 'quota-test', windows, store: new MemoryBudgetStore() });
    const { s, client } = await setup({ accounts: 5, contacts: 5_000 }, { rateLimits: 'realistic' }, { budget });
    try {
      await configure(s, { limits: { credits: { limit: 12, windowMs: 3_600_000 } } });
      const err = await paged(client, 'contacts').then(() => null, (e: unknown) => e);
      expect((err as CrmError).kind).toBe('quota_exhausted');
      expect((err as CrmError).resetAt).toBeInstanceOf(Date);
      const st = await stats(s);
      expect(st.rejected.byReason.quota ?? 0).toBe(0);
      expect(st.rateLimits.windows.find((w) => w.policy === 'credits')!.peak).toBeLessThanOrEqual(12);
    } finally {
      await s.close();
    }
  });
});

