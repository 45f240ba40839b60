/**
 * The HubSpot client against the HubSpot sandbox when things go wrong: injected faults, a token expiring mid-read,
 * the realistic profile (never exceeded), daily quota exhaustion, failed or stuck exports, ZIP exports, revocation.
 */
import { describe, expect, it } from 'vitest';
import { isCrmError } from '../../src/crm/errors.js';
import { MemoryBudgetStore, WindowBudget } from '../../src/crm/http/budget.js';
import { hubspotCrm } from '../../src/crm/hubspot/index.js';
import { revokeToken } from '../../src/crm/oauth-flow.js';
import type { RateWindow, SourceRecord } from '../../src/crm/types.js';
import { createTestClient } from '../helpers/sandbox-connection.js';
import { BASE, bulk, expectOnce, type Json, paged, sandbox, stats } from './hubspot-setup.js';

describe('HubSpot client: failures', { timeout: 30_000 }, () => {
  it('returns every record with 10% injected faults (429, 5xx, resets, slow and cut bodies) on both paths', async () => {
    const { s, conn } = await sandbox({ records: { contacts: 1_500 }, faultRate: 0.1 });
    try {
      const client = createTestClient(hubspotCrm, conn);
      expect(await client.getRecordCount('contacts')).toBe(1_500);
      expectOnce(await paged(client, 'contacts'), 1_500);
      expectOnce(await bulk(client, 'contacts'), 1_500);
      expectOnce(await paged(client, 'activities'), BASE.activities);
      expect((await stats(s)).faults.injected).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('refreshes a token that expires between pages, transparently', async () => {
    const { s, conn } = await sandbox({ records: { contacts: 450 } });
    try {
      const client = createTestClient(hubspotCrm, conn);
      const out: SourceRecord[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await client.fetchRecords('contacts', cursor, 100);
        out.push(...page.records);
        cursor = page.nextCursor;
        if (++pages === 2) await fetch(`${s.url}/_sandbox/tokens/expire`, { method: 'POST' });
      } while (cursor);
      expectOnce(out, 450);
      expect(conn.provider.refreshes).toBe(1);
      expect((await stats(s)).rejected.byReason.unauthorized).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('never exceeds the realistic profile (shrunk windows mirrored in the client budget)', async () => {
    // Windows of 3 s keep the client's arrival margin (5 %, 150 ms) above the scheduling delays of a loaded machine.
    const { s, conn } = await sandbox({ rateLimits: 'realistic', records: { contacts: 1_500 } });
    try {
      const windows: RateWindow[] = [
        { name: 'burst', limit: 8, windowMs: 3_000, unit: 'requests' },
        { name: 'daily', limit: 625_000, windowMs: 86_400_000, unit: 'requests', quota: true },
        { name: 'search', limit: 2, windowMs: 3_000, unit: 'requests', appliesTo: 'search' },
      ];
      await fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limits: { burst: { limit: 8, windowMs: 3_000 }, search: { limit: 2, windowMs: 3_000 } } }) });
      const budget = new WindowBudget({ crm: 'hubspot', key: 'limits-test', windows, store: new MemoryBudgetStore() });
      const client = createTestClient(hubspotCrm, conn, { budget });
      for (let i = 0; i < 3; i++) expect(await client.getRecordCount('contacts')).toBe(1_500);
      expectOnce(await paged(client, 'contacts'), 1_500);
      const st = await stats(s);
      expect(st.rejected.byReason.rate_limited ?? 0).toBe(0);
      for (const w of st.rateLimits.windows as Json[]) expect(w.peak).toBeLessThanOrEqual(w.limit);
      expect((st.rateLimits.windows as Json[]).find((w) => w.policy === 'burst')!.peak).toBe(8);
      expect((st.rateLimits.windows as Json[]).find((w) => w.policy === 'search')!.peak).toBe(2);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('throws quota_exhausted with a resetAt when the daily quota is used up, without hammering', async () => {
    const { s, conn } = await sandbox({ rateLimits: 'realistic', records: { contacts: 2_000 } });
    try {
      await fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limits: { daily: { limit: 5, windowMs: 60_000 } } }) });
      const client = createTestClient(hubspotCrm, conn);
      const err = await paged(client, 'contacts').catch((e: unknown) => e);
      expect(isCrmError(err)).toBe(true);
      expect(err).toMatchObject({ kind: 'quota_exhausted', code: 'DAILY' });
      expect((err as { resetAt: Date }).resetAt.getTime()).toBeGreaterThan(Date.now());
      const again = await client.fetchRecords('contacts', null, 100).catch((e: unknown) => e);
      expect(again).toMatchObject({ kind: 'quota_exhausted' });
      const st = await stats(s);
      const apiCalls = Object.entries(st.requests.byEndpoint as Record<string, number>).filter(([k]) => k.includes(' /crm/')).reduce((n, [, v]) => n + v, 0);
      expect(apiCalls).toBe(6); // 1 properties + 4 pages + the one 429; the second read never reached the CRM
      expect(st.rejected.byReason.quota).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('falls back to paging when an export is CANCELED or misses its deadline', async () => {
    const { s, conn, state } = await sandbox({ records: { contacts: 300 } });
    try {
      state.exportOutcome = 'canceled';
      expectOnce(await bulk(createTestClient(hubspotCrm, conn), 'contacts'), 300);
      state.exportOutcome = 'stuck';
      const started = Date.now();
      expectOnce(await bulk(createTestClient(hubspotCrm, conn, { bulkDeadlineMs: 400 }), 'contacts'), 300);
      expect(Date.now() - started).toBeLessThan(5_000);
      const st = await stats(s);
      expect(st.requests.byEndpoint['POST /crm/v3/exports/export/async']).toBe(2);
      expect(st.requests.byEndpoint['GET /crm/v3/objects/:objectType']).toBe(6);
    } finally {
      await s.close();
    }
  });

  it('reads exports delivered as a ZIP', async () => {
    const { s, conn } = await sandbox({ records: { contacts: 2_345 }, extras: { exportZipRows: '1000' } });
    try {
      const records = await bulk(createTestClient(hubspotCrm, conn), 'contacts');
      expectOnce(records, 2_345);
      expect(records[0]!.fields.email).toBeDefined();
    } finally {
      await s.close();
    }
  });

  it('reports testConnection true, then false after the connection is revoked', async () => {
    const { s, conn } = await sandbox();
    try {
      const client = createTestClient(hubspotCrm, conn);
      expect(await client.testConnection()).toEqual({ isValid: true });
      await revokeToken(conn.resolved, conn.tokens.refreshToken!, 'refresh_token', s.url);
      const after = await client.testConnection();
      expect(after.isValid).toBe(false);
      expect(after.error).toBeTruthy();
    } finally {
      await s.close();
    }
  });
});

