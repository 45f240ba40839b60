/**
 * The Pipedrive sandbox's data API against the issue-3 contract: counts equal listings, v2 cursor and v1 offset
 * paging to the end at 0, 1, the 500 cap and one past it (each record once), the caps' errors, deleted deals,
 * relations, lookups by id, custom fields and field metadata, errors in Pipedrive's shape, scopes, the burst window
 * and daily token budget with their headers and 429 body, reproducible faults and stats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RecordCounts, type RunningSandbox } from '../../sandbox/common/index.js';
import { pipedriveSandbox } from '../../sandbox/pipedrive/index.js';
import { decideOnConsentPage } from '../helpers/consent.js';

const REDIRECT = 'http://127.0.0.1:5555/callback';
const BASIC = `Basic ${Buffer.from('sandbox-client-id:sandbox-client-secret').toString('base64')}`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ZERO: RecordCounts = { accounts: 0, contacts: 0, leads: 0, deals: 0, activities: 0 };

async function accessToken(base: string): Promise<string> {
  const back = await decideOnConsentPage(`${base}/oauth/authorize?client_id=sandbox-client-id&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s`, 'allow');
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST', headers: { authorization: BASIC },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: REDIRECT }),
  });
  return ((await res.json()) as Json).access_token as string;
}

interface Api {
  s: RunningSandbox;
  token: string;
  get(path: string): Promise<{ status: number; body: Json; headers: Headers }>;
}

async function open(records: Partial<RecordCounts>, options: { rateLimits?: 'off' | 'realistic'; extras?: Record<string, string> } = {}): Promise<Api> {
  const s = await startSandbox(pipedriveSandbox, { records: { ...ZERO, ...records }, rateLimits: options.rateLimits ?? 'off', extras: options.extras }, { port: 0 });
  const token = await accessToken(s.url);
  return {
    s, token,
    async get(path) {
      const res = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
    },
  };
}

/** Every record of a v2 list, following next_cursor; asserts pages never exceed the limit. */
async function v2All(api: Api, path: string, limit = 500): Promise<Json[]> {
  const out: Json[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await api.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.status).toBe(200);
    expect(r.body.data.length).toBeLessThanOrEqual(limit);
    out.push(...(r.body.data as Json[]));
    cursor = r.body.additional_data.next_cursor;
    if (cursor === null) return out;
  }
  throw new Error('paging did not end');
}

/** Every record of a v1 offset list, following next_start (or more_items_in_collection for leads). */
async function v1All(api: Api, path: string, limit = 500): Promise<Json[]> {
  const out: Json[] = [];
  let start = 0;
  for (let pages = 0; pages < 1000; pages++) {
    const r = await api.get(`${path}?start=${start}&limit=${limit}`);
    expect(r.status).toBe(200);
    const data = (r.body.data ?? []) as Json[];
    out.push(...data);
    const p = r.body.additional_data.pagination ?? r.body.additional_data;
    expect(p.start).toBe(start);
    if (!p.more_items_in_collection) return out;
    start = p.next_start ?? start + data.length;
  }
  throw new Error('paging did not end');
}

const unique = (rows: Json[]) => new Set(rows.map((r) => r.id)).size;

describe('Pipedrive sandbox paging', () => {
  for (const n of [0, 1, 500, 501]) {
    it(`lists ${n} persons, organizations, deals, leads and activities+notes exactly once; counts agree`, async () => {
      const api = await open({ accounts: n, contacts: n, leads: n, deals: n, activities: n });
      try {
        const persons = await v2All(api, '/api/v2/persons');
        const orgs = await v2All(api, '/api/v2/organizations');
        const deals = await v2All(api, '/api/v2/deals');
        const leads = await v1All(api, '/api/v1/leads');
        const activities = await v2All(api, '/api/v2/activities');
        const notes = await v1All(api, '/api/v1/notes');
        for (const rows of [persons, orgs, deals, leads]) {
          expect(rows.length).toBe(n);
          expect(unique(rows)).toBe(n);
        }
        expect(activities.length + notes.length).toBe(n);
        expect(unique(activities)).toBe(activities.length);
        expect(unique(notes)).toBe(notes.length);
        expect(activities.every((a) => a.type !== 'note')).toBe(true);
        const summary = await api.get('/api/v1/deals/summary');
        expect(summary.body.data.total_count).toBe(deals.length);
        if (n === 501) {
          // The deprecated v1 lists hold the same records.
          expect((await v1All(api, '/api/v1/persons')).map((p) => p.id)).toEqual(persons.map((p) => p.id));
          expect(new Set((await v2All(api, '/api/v2/persons', 7)).map((p) => p.id)).size).toBe(501);
        }
      } finally {
        await api.s.close();
      }
    });
  }
});

describe('Pipedrive sandbox data', () => {
  let api: Api;
  beforeAll(async () => {
    api = await open({ accounts: 40, contacts: 150, leads: 30, deals: 120, activities: 200 });
  });
  afterAll(() => api.s.close());

  it('refuses limit > 500 on v2 (400 ERR_SCHEMA_VALIDATION_FAILED), caps v1 at 500, rejects bad cursors and unsupported filters', async () => {
    const over = await api.get('/api/v2/persons?limit=501');
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ success: false, code: 'ERR_SCHEMA_VALIDATION_FAILED', error: expect.stringContaining('limit'), data: null });
    expect((await api.get('/api/v2/persons?limit=0')).status).toBe(400);
    expect((await api.get('/api/v2/persons?cursor=bm9wZQ')).status).toBe(400);
    const v1 = await api.get('/api/v1/persons?limit=1000');
    expect(v1.status).toBe(200);
    expect(v1.body.additional_data.pagination).toMatchObject({ start: 0, limit: 500, more_items_in_collection: false });
    const filter = await api.get('/api/v2/persons?owner_id=1');
    expect(filter.status).toBe(400);
    expect(filter.body.error).toContain('owner_id');
  });

  it('links persons, deals, activities and notes to records that exist (v2 integer ids, v1 objects)', async () => {
    const orgIds = new Set((await v2All(api, '/api/v2/organizations')).map((o) => o.id));
    const persons = await v2All(api, '/api/v2/persons');
    const personIds = new Set(persons.map((p) => p.id));
    const dealIds = new Set((await v2All(api, '/api/v2/deals')).map((d) => d.id));
    for (const p of persons) if (p.org_id !== null) expect(orgIds.has(p.org_id)).toBe(true);
    expect(persons.some((p) => p.org_id !== null)).toBe(true);
    for (const d of await v2All(api, '/api/v2/deals')) {
      if (d.org_id !== null) expect(orgIds.has(d.org_id)).toBe(true);
      if (d.person_id !== null) expect(personIds.has(d.person_id)).toBe(true);
    }
    for (const a of [...(await v2All(api, '/api/v2/activities')), ...(await v1All(api, '/api/v1/notes'))]) {
      if (a.deal_id !== null) expect(dealIds.has(a.deal_id)).toBe(true);
      if (a.person_id !== null) expect(personIds.has(a.person_id)).toBe(true);
      if (a.org_id !== null) expect(orgIds.has(a.org_id)).toBe(true);
    }
    const v1 = (await api.get('/api/v1/deals?limit=5')).body.data as Json[];
    const withOrg = v1.find((d) => d.org_id !== null)!;
    expect(withOrg.org_id).toMatchObject({ name: expect.any(String), value: expect.any(Number) });
    expect(withOrg.add_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(persons[0]!.add_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("serves each lead's own person and organization by id, outside the person and organization lists", async () => {
    const leads = await v1All(api, '/api/v1/leads');
    expect(leads[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const created = leads.map((l) => Date.parse(l.add_time));
    expect(created).toEqual([...created].sort((a, b) => a - b)); // oldest first, as documented
    const ids = leads.map((l) => l.person_id as number);
    const found = await api.get(`/api/v2/persons?ids=${ids.join(',')}&limit=100`);
    expect(found.body.data.map((p: Json) => p.id).sort()).toEqual([...ids].sort());
    expect((await v2All(api, '/api/v2/persons')).length).toBe(150);
    expect((await api.get(`/api/v1/leads/${leads[0]!.id}`)).body.data.title).toBe(leads[0]!.title);
    expect((await api.get(`/api/v2/persons?ids=${Array.from({ length: 101 }, (_, k) => k + 1).join(',')}`)).status).toBe(400);
  });

  it('lists deleted deals only with status=deleted', async () => {
    const deleted = await v2All(api, '/api/v2/deals?status=deleted');
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.every((d) => d.is_deleted === true && d.status === 'deleted')).toBe(true);
    expect((await v2All(api, '/api/v2/deals')).every((d) => d.is_deleted === false)).toBe(true);
    const won = await v2All(api, '/api/v2/deals?status=won');
    expect(won.every((d) => d.status === 'won')).toBe(true);
  });

  it('exposes custom fields under 40-character keys in fields metadata and records (ids, or labels on request)', async () => {
    const fields = (await api.get('/api/v1/personFields?limit=500')).body.data as Json[];
    const custom = fields.filter((f) => /^[0-9a-f]{40}$/.test(f.key));
    expect(custom.map((f) => f.name)).toEqual(['Preferred Language', 'Newsletter Opt-in', 'NPS Score', 'Customer Tier']);
    const tier = custom.find((f) => f.name === 'Customer Tier')!;
    expect(tier.options.map((o: Json) => o.label)).toEqual(['Bronze', 'Silver', 'Gold', 'Platinum']);
    const persons = await v2All(api, '/api/v2/persons');
    const withTier = persons.find((p) => p.custom_fields[tier.key] !== null)!;
    expect(tier.options.map((o: Json) => o.id)).toContain(withTier.custom_fields[tier.key]);
    const labelled = await api.get(`/api/v2/persons/${withTier.id}?include_option_labels=true`);
    expect(labelled.body.data.custom_fields[tier.key]).toEqual({ id: withTier.custom_fields[tier.key], label: expect.any(String) });
    const v1 = await api.get(`/api/v1/persons/${withTier.id}`);
    expect(v1.body.data[tier.key]).toBe(String(withTier.custom_fields[tier.key]));
    // Leads inherit the deal fields; there is no leadFields endpoint.
    const dealFields = (await api.get('/api/v1/dealFields')).body.data as Json[];
    expect(dealFields.map((f) => f.name)).toEqual(expect.arrayContaining(['Competitor', 'Campaign', 'Interested In']));
    expect((await api.get('/api/v1/leadFields')).status).toBe(404);
    for (const path of ['/api/v1/organizationFields', '/api/v1/activityFields', '/api/v1/noteFields']) expect((await api.get(path)).status).toBe(200);
  });

  it("answers unknown objects, records and fields in Pipedrive's shapes", async () => {
    expect(await api.get('/api/v2/persons/999999')).toMatchObject({ status: 404, body: { success: false, error: 'Entity was not found', error_info: 'Object was not found.' } });
    expect(await api.get('/api/v1/persons/999999')).toMatchObject({ status: 404, body: { success: false, error: 'Person not found', errorCode: 404 } });
    expect(await api.get('/api/v1/personFields/1')).toMatchObject({ status: 404, body: { error: 'Field not found' } });
    expect(await api.get('/api/v2/widgets')).toMatchObject({ status: 404, body: { success: false, errorCode: 404 } });
  });
});

describe('Pipedrive sandbox scopes and account state', () => {
  it('answers 403 outside the app scopes and 402 when the company account is not open', async () => {
    const narrow = await open({ accounts: 2, deals: 2 }, { extras: { scopes: 'base,contacts:read' } });
    try {
      expect((await narrow.get('/api/v2/organizations')).status).toBe(200);
      expect(await narrow.get('/api/v2/deals')).toMatchObject({ status: 403, body: { success: false, error: 'Scope and URL mismatch' } });
      expect((await narrow.get('/api/v1/users/me')).status).toBe(200);
    } finally {
      await narrow.s.close();
    }
    const closed = await open({ accounts: 2 }, { extras: { accountStatus: 'closed' } });
    try {
      expect(await closed.get('/api/v2/organizations')).toMatchObject({ status: 402, body: { success: false, errorCode: 402 } });
    } finally {
      await closed.s.close();
    }
  });
});

describe('Pipedrive sandbox limits, faults and stats', () => {
  let api: Api;
  const config = (body: unknown) => fetch(`${api.s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Json>);
  const reset = () => fetch(`${api.s.url}/_sandbox/reset`, { method: 'POST' });
  const stats = () => fetch(`${api.s.url}/_sandbox/stats`).then((r) => r.json() as Promise<Json>);
  beforeAll(async () => {
    api = await open({ accounts: 10, contacts: 10, deals: 10, leads: 3, activities: 10 }, { rateLimits: 'realistic' });
  });
  afterAll(() => api.s.close());

  it('uses the Advanced-plan numbers: 160 requests per 2 s per token, 300,000 tokens a day', async () => {
    const cfg = await (await fetch(`${api.s.url}/_sandbox/config`)).json() as Json;
    expect(cfg.limits).toEqual({ burst: { limit: 160, windowMs: 2_000 }, daily: { limit: 300_000, windowMs: 86_400_000 } });
    const r = await api.get('/api/v2/persons');
    expect(r.headers.get('x-ratelimit-limit')).toBe('160');
    expect(Number(r.headers.get('x-ratelimit-remaining'))).toBeLessThan(160);
    expect(Number(r.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(1);
  });

  it('the burst window answers 429 "Request over limit" with x-ratelimit-remaining 0', async () => {
    await config({ limits: { burst: { limit: 3, windowMs: 60_000 } } });
    await reset();
    const statuses = [];
    let last: Awaited<ReturnType<Api['get']>> | undefined;
    for (let k = 0; k < 5; k++) statuses.push((last = await api.get('/api/v2/persons')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last!.body).toEqual({ success: false, error: 'Request over limit' });
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(last!.headers.get('x-ratelimit-reset'))).toBeGreaterThan(50);
    expect((await stats()).rejected.byReason.rate_limited).toBe(2);
    await config({ limits: { burst: { limit: 160, windowMs: 2_000 } } });
  });

  it('charges token costs to the daily budget; an exhausted budget answers 429 while the burst window has room', async () => {
    await reset();
    await config({ limits: { daily: { limit: 75, windowMs: 3_600_000 } } });
    expect((await api.get('/api/v2/persons')).status).toBe(200); // 10
    expect((await api.get('/api/v1/leads')).status).toBe(200); // 20
    expect((await api.get('/api/v1/deals/summary')).status).toBe(200); // 40
    expect((await api.get('/api/v2/persons/1')).status).toBe(200); // 1
    const s1 = await stats();
    expect(s1.rateLimits.windows.find((w: Json) => w.policy === 'daily').peak).toBe(71);
    const over = await api.get('/api/v2/deals');
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ success: false, error: 'Request over limit' });
    expect(Number(over.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
    expect((await stats()).rejected.byReason.quota).toBe(1);
    await config({ limits: { daily: { limit: 300_000, windowMs: 86_400_000 } } });
  });

  it('injects the same faults for the same seed and request order; stats count endpoints', async () => {
    await config({ faultRate: 0.5, faultWeights: { slow: 0, reset: 0, truncate: 0 } });
    const run = async () => {
      await reset();
      const out = [];
      for (let k = 0; k < 16; k++) out.push((await api.get('/api/v2/organizations')).status);
      return out;
    };
    const a = await run();
    expect(a.some((x) => x !== 200)).toBe(true);
    expect(await run()).toEqual(a);
    const st = await stats();
    expect(st.requests.byEndpoint['GET /api/v2/organizations']).toBe(16);
    expect(st.faults.injected).toBe(a.filter((x) => x !== 200).length);
    const faulted = await api.get('/api/v2/organizations');
    if (faulted.status === 429) expect(faulted.body).toEqual({ success: false, error: 'Request over limit' });
    await config({ faultRate: 0 });
  });
});
