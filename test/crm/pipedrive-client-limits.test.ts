/**
 * The Pipedrive client under adversity, against its sandbox: 10 % injected faults (429, 5xx, resets, slow and cut
 * responses) still yield every record; an access token expiring mid-read is refreshed transparently; the realistic
 * profile (burst and daily windows shrunk alike in sandbox and client) is never exceeded; an exhausted daily budget
 * stops the read with quota_exhausted and a reset time after a bounded number of requests; describeFields includes
 * custom fields; testConnection fails after the user revokes the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityType } from '../../src/core/ids.js';
import { MemoryBudgetStore, WindowBudget } from '../../src/crm/http/budget.js';
import { revokeToken } from '../../src/crm/oauth-flow.js';
import { PIPEDRIVE_WINDOWS } from '../../src/crm/pipedrive/definition.js';
import { pipedriveCrm } from '../../src/crm/pipedrive/index.js';
import type { CrmApiClient, RateWindow, SourceRecord } from '../../src/crm/types.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/common/index.js';
import { pipedriveSandbox } from '../../sandbox/pipedrive/index.js';
import { connectSandbox, createTestClient, type SandboxConnection } from '../helpers/sandbox-connection.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Data-API requests the sandbox received (OAuth and consent requests excluded). */
const apiRequests = (st: Json) => Object.entries(st.requests.byEndpoint as Record<string, number>).filter(([k]) => k.startsWith('GET /api/')).reduce((a, [, n]) => a + n, 0);

async function readAll(client: CrmApiClient, entity: EntityType, limit = 500, between?: (page: number) => Promise<void>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const r = await client.fetchRecords(entity, cursor, limit);
    out.push(...r.records);
    cursor = r.nextCursor;
    if (cursor === null) return out;
    await between?.(page);
  }
  throw new Error('paging did not end');
}

const RECORDS = { accounts: 120, contacts: 2_600, leads: 260, deals: 700, activities: 1_400 };

describe('Pipedrive client under faults, expiry and limits', () => {
  let s: RunningSandbox;
  let conn: SandboxConnection;
  const post = (path: string, body: unknown = {}) => fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Json>);
  const stats = () => fetch(`${s.url}/_sandbox/stats`).then((r) => r.json() as Promise<Json>);

  beforeAll(async () => {
    s = await startSandbox(pipedriveSandbox, { records: RECORDS, rateLimits: 'off' }, { port: 0 });
    conn = await connectSandbox(pipedriveCrm, s.url);
  });
  afterAll(() => s.close());

  it('10 % injected faults (429, 500, 502, 503, resets, slow and truncated bodies) still return every record', async () => {
    await post('/_sandbox/config', { faultRate: 0.1, slowMs: [5, 40] });
    await post('/_sandbox/reset');
    try {
      const client = createTestClient(pipedriveCrm, conn);
      for (const [e, n, page] of [['contacts', RECORDS.contacts, 50], ['activities', RECORDS.activities, 100], ['leads', RECORDS.leads, 100]] as const) {
        const records = await readAll(client, e, page);
        expect(records.length).toBe(n);
        expect(new Set(records.map((r) => r.id)).size).toBe(n);
        expect(await client.getRecordCount(e)).toBe(n);
      }
      const st = await stats();
      expect(st.faults.injected).toBeGreaterThan(4); // ~100 requests
      expect(Object.keys(st.faults.byKind).length).toBeGreaterThan(2);
    } finally {
      await post('/_sandbox/config', { faultRate: 0 });
    }
  }, 60_000);

  it('refreshes an access token that expires mid-read, transparently', async () => {
    const client = createTestClient(pipedriveCrm, conn);
    const before = conn.provider.refreshes;
    const records = await readAll(client, 'contacts', 500, async (page) => {
      if (page === 1) expect((await post('/_sandbox/tokens/expire')).expired).toBeGreaterThanOrEqual(1);
    });
    expect(records.length).toBe(RECORDS.contacts);
    expect(conn.provider.refreshes).toBe(before + 1);
  });

  it('describes fields from the metadata API, custom fields included, under the keys records use', async () => {
    const client = createTestClient(pipedriveCrm, conn);
    const expected: Record<EntityType, string[]> = {
      accounts: ['Customer Tier', 'NPS Score', 'Renewal Date', 'SLA'],
      contacts: ['Preferred Language', 'Newsletter Opt-in', 'NPS Score', 'Customer Tier'],
      deals: ['Competitor', 'Forecast Category', 'Renewal Date'],
      leads: ['Campaign', 'Lead Score', 'Interested In'],
      activities: [],
    };
    for (const [e, labels] of Object.entries(expected) as [EntityType, string[]][]) {
      const fields = await client.describeFields(e);
      const custom = fields.filter((f) => f.custom).map((f) => f.label);
      expect(custom).toEqual(expect.arrayContaining(labels));
      const [record] = (await client.fetchRecords(e, null, 5)).records;
      for (const f of fields.filter((x) => x.custom)) expect(f.name).toMatch(/^[0-9a-f]{40}$/);
      if (record) {
        const named = new Set(fields.map((f) => f.name));
        // Every standard key a record carries that the metadata knows is named the same way.
        expect(Object.keys(record.fields).filter((k) => named.has(k)).length).toBeGreaterThan(3);
      }
    }
    const contacts = await client.describeFields('contacts');
    expect(contacts.find((f) => f.label === 'Customer Tier')?.values).toEqual(['Bronze', 'Silver', 'Gold', 'Platinum']);
    expect(contacts.map((f) => f.name)).toEqual(expect.arrayContaining(['emails', 'phones', 'org_id']));
    expect((await client.describeFields('activities')).map((f) => f.name)).toEqual(expect.arrayContaining(['subject', 'owner_id', 'busy', 'content']));
    expect((await client.describeFields('leads')).map((f) => f.name)).toEqual(expect.arrayContaining(['title', 'name', 'emails', 'org_name']));
  });
});

describe('Pipedrive client within the realistic profile', () => {
  it('never exceeds the burst window or the daily budget (both shrunk, mirrored in the client budget)', async () => {
    const s = await startSandbox(pipedriveSandbox, { records: { accounts: 20, contacts: 3_000, leads: 0, deals: 0, activities: 0 }, rateLimits: 'realistic' }, { port: 0 });
    try {
      const shrunk = { burst: { limit: 6, windowMs: 1_000 }, daily: { limit: 150, windowMs: 3_000 } };
      await fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limits: shrunk }) });
      const windows: RateWindow[] = PIPEDRIVE_WINDOWS.map((w) => ({ ...w, ...shrunk[w.name as keyof typeof shrunk] }));
      const budget = new WindowBudget({ crm: 'pipedrive', key: 'limits-test', windows, store: new MemoryBudgetStore() });
      const client = createTestClient(pipedriveCrm, await connectSandbox(pipedriveCrm, s.url), { budget });
      const started = Date.now();
      const records = await readAll(client, 'contacts', 100); // 30 requests × 10 tokens
      expect(records.length).toBe(3_000);
      expect(await client.getRecordCount('contacts')).toBe(3_000);
      const st = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as Json;
      for (const w of st.rateLimits.windows as Json[]) expect(w.peak, w.policy).toBeLessThanOrEqual(w.limit);
      expect(st.rateLimits.windows.find((w: Json) => w.policy === 'daily').peak).toBeGreaterThan(100); // the budget was really used
      expect(st.rejected.byReason.rate_limited ?? 0).toBe(0);
      expect(st.rejected.byReason.quota ?? 0).toBe(0);
      expect(Date.now() - started).toBeGreaterThan(3_000); // it had to wait for the daily window
    } finally {
      await s.close();
    }
  }, 60_000);

  it('stops with quota_exhausted and a reset time when the daily budget is spent, after a bounded number of requests', async () => {
    const s = await startSandbox(pipedriveSandbox, { records: { accounts: 20, contacts: 3_000, leads: 0, deals: 0, activities: 0 }, rateLimits: 'realistic' }, { port: 0 });
    try {
      await fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limits: { daily: { limit: 30, windowMs: 86_400_000 } } }) });
      const conn = await connectSandbox(pipedriveCrm, s.url);
      // The CRM says so (the client's own budget is off here).
      const err = await readAll(createTestClient(pipedriveCrm, conn), 'contacts', 500).then(() => null, (e: unknown) => e);
      expect(err).toMatchObject({ kind: 'quota_exhausted', code: 'DAILY_TOKEN_BUDGET' });
      expect((err as { resetAt: Date }).resetAt.getTime()).toBeGreaterThan(Date.now());
      const st = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as Json;
      expect(apiRequests(st)).toBe(4); // three 10-token pages, then the refusal
      expect(st.rejected.byReason.quota).toBe(1);
      // The client's own budget knows the same quota and stops before asking.
      const windows: RateWindow[] = PIPEDRIVE_WINDOWS.map((w) => (w.name === 'daily' ? { ...w, limit: 30 } : w));
      const budget = new WindowBudget({ crm: 'pipedrive', key: 'quota-test', windows, store: new MemoryBudgetStore() });
      const own = await readAll(createTestClient(pipedriveCrm, conn, { budget }), 'contacts', 500).then(() => null, (e: unknown) => e);
      expect(own).toMatchObject({ kind: 'quota_exhausted' });
      expect(apiRequests(await (await fetch(`${s.url}/_sandbox/stats`)).json() as Json)).toBeLessThanOrEqual(4 + 3);
    } finally {
      await s.close();
    }
  });
});

describe('Pipedrive client connection check', () => {
  it('testConnection is true, then false after the app is uninstalled (refresh token revoked)', async () => {
    const s = await startSandbox(pipedriveSandbox, { records: { accounts: 1, contacts: 1, leads: 0, deals: 0, activities: 0 } }, { port: 0 });
    try {
      const conn = await connectSandbox(pipedriveCrm, s.url);
      const client = createTestClient(pipedriveCrm, conn);
      expect(await client.testConnection()).toEqual({ isValid: true });
      await revokeToken(conn.resolved, conn.tokens.refreshToken!, 'refresh_token', conn.tokens.instanceUrl);
      const after = await client.testConnection();
      expect(after.isValid).toBe(false);
      expect(after.error).toMatch(/invalid_grant|refresh_token/);
    } finally {
      await s.close();
    }
  });
});
