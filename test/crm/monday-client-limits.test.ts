/**
 * The monday.com client under adverse conditions (issue 5): 10 % injected faults (429s, 5xx, resets, slow and
 * cut-off responses) still return every record; an access token expiring mid-read is refreshed (and the
 * rotated refresh token kept); the realistic profile, shrunk in time and mirrored in the client's budget, is
 * never exceeded; an exhausted daily quota ends in CrmError('quota_exhausted') with its reset time after a
 * bounded number of requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxOptions } from '../../sandbox/common/index.js';
import { mondaySandbox } from '../../sandbox/monday/index.js';
import { CrmError } from '../../src/crm/errors.js';
import { MemoryBudgetStore, WindowBudget } from '../../src/crm/http/budget.js';
import { nextUtcMidnight } from '../../src/crm/monday/errors.js';
import { mondayCrm } from '../../src/crm/monday/index.js';
import type { CrmApiClient, RateWindow, SourceRecord } from '../../src/crm/types.js';
import { connectSandbox, createTestClient, type SandboxConnection, type TestClientOptions } from '../helpers/sandbox-connection.js';

type Started = Awaited<ReturnType<typeof startSandbox>>;
interface Stats {
  requests: { total: number; byEndpoint: Record<string, number>; byStatus: Record<string, number> };
  rejected: { total: number; byReason: Record<string, number> };
  faults: { injected: number; byKind: Record<string, number> };
  rateLimits: { windows: { policy: string; limit: number; windowMs: number; peak: number }[] };
}

async function open(partial: Partial<SandboxOptions>, options: TestClientOptions = {}): Promise<{ s: Started; conn: SandboxConnection; client: CrmApiClient }> {
  const s = await startSandbox(mondaySandbox, partial, { port: 0 });
  const conn = await connectSandbox(mondayCrm, s.url);
  return { s, conn, client: createTestClient(mondayCrm, conn, options) };
}

const stats = async (s: Started) => (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as Stats;
const configure = (s: Started, body: unknown) => fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function readAll(client: CrmApiClient, limit: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  let cursor: string | null = null;
  do {
    const p = await client.fetchRecords('contacts', cursor, limit);
    out.push(...p.records);
    cursor = p.nextCursor;
  } while (cursor);
  return out;
}

function expectEachOnce(records: SourceRecord[], n: number): void {
  expect(records.length).toBe(n);
  expect(new Set(records.map((r) => r.id)).size).toBe(n);
}

describe('monday client: faults', () => {
  let c: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    c = await open({ records: { accounts: 100, contacts: 3_000, leads: 0, deals: 0, activities: 0 }, rateLimits: 'off' });
    await configure(c.s, { faultRate: 0.1, slowMs: [100, 400] });
  });
  afterAll(() => c.s.close());

  it('returns every record despite 10 % injected faults, on both paths', async () => {
    expectEachOnce(await readAll(c.client, 100), 3_000);
    const bulk: SourceRecord[] = [];
    for await (const b of c.client.bulkFetchRecords('contacts')) bulk.push(...b.records);
    expectEachOnce(bulk, 3_000);
    const st = await stats(c.s);
    expect(st.faults.injected).toBeGreaterThanOrEqual(3);
    expect(Object.keys(st.faults.byKind).length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe('monday client: token expiry', () => {
  let c: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    c = await open({ records: { accounts: 10, contacts: 1_200, leads: 0, deals: 0, activities: 0 }, rateLimits: 'off' });
  });
  afterAll(() => c.s.close());

  it('refreshes an access token that expires between pages and keeps the rotated refresh token', async () => {
    const before = c.conn.provider.tokens.refreshToken;
    const got: SourceRecord[] = [];
    let page = await c.client.fetchRecords('contacts', null, 500);
    got.push(...page.records);
    const expired = (await (await fetch(`${c.s.url}/_sandbox/tokens/expire`, { method: 'POST' })).json()) as { expired: number };
    expect(expired.expired).toBeGreaterThan(0);
    while (page.nextCursor) {
      page = await c.client.fetchRecords('contacts', page.nextCursor, 500);
      got.push(...page.records);
    }
    expectEachOnce(got, 1_200);
    expect(c.conn.provider.refreshes).toBe(1);
    expect(c.conn.provider.tokens.refreshToken).not.toBe(before);
    const st = await stats(c.s);
    expect(st.requests.byStatus['401']).toBe(1);
    expect(st.requests.byEndpoint['POST /oauth_ms/oauth/token']).toBe(2); // the code exchange, one refresh
  });
});

describe('monday client: realistic profile', () => {
  // Pro's windows shrunk 30× in time (same shape: complexity binding, requests/minute second); mirrored below.
  const windows: RateWindow[] = [
    { name: 'complexity', limit: 250_000, windowMs: 2_000, unit: 'weight' },
    { name: 'minute', limit: 8, windowMs: 2_000, unit: 'requests' },
    { name: 'daily', limit: 10_000, windowMs: 86_400_000, unit: 'requests', quota: true },
  ];
  let c: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    const budget = new WindowBudget({ crm: 'monday', key: 'limits-test', windows, store: new MemoryBudgetStore() });
    c = await open({ records: { accounts: 50, contacts: 4_000, leads: 0, deals: 0, activities: 0 }, rateLimits: 'realistic' }, { budget });
    await configure(c.s, { limits: { complexity: { limit: 250_000, windowMs: 2_000 }, minute: { limit: 8, windowMs: 2_000 } } });
    await fetch(`${c.s.url}/_sandbox/reset`, { method: 'POST' });
  });
  afterAll(() => c.s.close());

  it('never exceeds a window: no 429 or complexity error, peaks at or under every limit', async () => {
    const bulk: SourceRecord[] = [];
    for await (const b of c.client.bulkFetchRecords('contacts')) bulk.push(...b.records);
    expectEachOnce(bulk, 4_000);
    const st = await stats(c.s);
    expect(st.rejected.total).toBe(0);
    expect(st.requests.byStatus).toEqual({ 200: st.requests.total });
    for (const w of st.rateLimits.windows) expect(w.peak).toBeLessThanOrEqual(w.limit);
    const cx = st.rateLimits.windows.find((w) => w.policy === 'complexity')!;
    expect(cx.peak).toBeGreaterThan(cx.limit * 0.5); // the budget was actually the thing pacing the read
  }, 60_000);
});

describe('monday client: daily quota', () => {
  let c: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    c = await open({ records: { accounts: 10, contacts: 2_000, leads: 0, deals: 0, activities: 0 }, rateLimits: 'realistic' });
    await configure(c.s, { limits: { daily: { limit: 4, windowMs: 86_400_000 } } });
    await fetch(`${c.s.url}/_sandbox/reset`, { method: 'POST' });
  });
  afterAll(() => c.s.close());

  it('stops with quota_exhausted and the reset time instead of hammering', async () => {
    const err = await readAll(c.client, 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({ kind: 'quota_exhausted', code: 'DAILY_LIMIT_EXCEEDED' });
    const resetAt = (err as CrmError).resetAt!;
    expect(Math.abs(resetAt.getTime() - nextUtcMidnight().getTime())).toBeLessThan(5_000);
    const seen = (await stats(c.s)).requests.byEndpoint['POST /v2']!;
    expect(seen).toBe(5); // boards, columns, two pages, and the one refused

    // The connection's budget now holds until the reset: the next call fails at once, without a request.
    await expect(c.client.fetchRecords('contacts', null, 100)).rejects.toMatchObject({ kind: 'quota_exhausted' });
    expect((await stats(c.s)).requests.byEndpoint['POST /v2']).toBe(seen);
  });
});
