/**
 * Zoho sandbox, issue 3 — records: counts equal what the list returns; paging to the end returns every record
 * once at sizes 0, 1, at the page cap (200), the page-number cap (2,000) and one past each; the documented caps
 * and their errors (DISCRETE_PAGINATION_LIMIT_EXCEEDED, PAGINATION_LIMIT_EXCEEDED at 100,000, EXPIRED_VALUE,
 * TOKEN_BOUND_DATA_MISMATCH, AMBIGUITY_DURING_PROCESSING, fields required and ≤ 50); relationships; activities
 * split across Tasks, Events, Calls and Notes; deleted records; field metadata with custom fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startSandbox, type RecordCounts, type RunningSandbox } from '../../sandbox/common/index.js';
import { zohoSandbox } from '../../sandbox/zoho/index.js';
import { decideOnConsentPage } from '../helpers/consent.js';

const SCOPE = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ,ZohoSearch.securesearch.READ,ZohoCRM.bulk.read';
const REDIRECT = 'http://127.0.0.1:9/cb';

async function connect(s: RunningSandbox): Promise<string> {
  const q = new URLSearchParams({ scope: SCOPE, client_id: 'sandbox-client-id', response_type: 'code', access_type: 'offline', redirect_uri: REDIRECT, state: 'x', prompt: 'consent' });
  const back = await decideOnConsentPage(`${s.url}/oauth/v2/auth?${q}`);
  const t = new URLSearchParams({ grant_type: 'authorization_code', client_id: 'sandbox-client-id', client_secret: 'sandbox-client-secret', redirect_uri: REDIRECT, code: back.searchParams.get('code') as string });
  return ((await (await fetch(`${s.url}/oauth/v2/token?${t}`, { method: 'POST' })).json()) as { access_token: string }).access_token;
}

interface Page {
  data: Record<string, unknown>[];
  info: { per_page: number; count: number; page: number; more_records: boolean; next_page_token: string | null; previous_page_token: string | null; sort_by: string; sort_order: string; page_token_expiry: string };
}

function client(s: RunningSandbox, token: string) {
  const get = async (path: string, q: Record<string, string | number> = {}) => {
    const res = await fetch(`${s.url}${path}?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`, { headers: { authorization: `Zoho-oauthtoken ${token}` } });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  /** Page 1 by number, then by token, to the end. */
  const all = async (module: string, fields: string, perPage = 200, extra: Record<string, string> = {}) => {
    const ids: string[] = [];
    let token: string | null = null;
    let requests = 0;
    for (;;) {
      const r = await get(`/crm/v8/${module}`, { fields, per_page: perPage, ...extra, ...(token ? { page_token: token } : { page: 1 }) });
      requests++;
      if (r.status === 204) break;
      expect(r.status).toBe(200);
      const p = r.body as unknown as Page;
      expect(p.info.count).toBe(p.data.length);
      ids.push(...p.data.map((d) => d.id as string));
      if (!p.info.more_records) {
        expect(p.info.next_page_token).toBeNull();
        break;
      }
      token = p.info.next_page_token;
    }
    return { ids, requests };
  };
  return { get, all };
}

const counts = (contacts: number, rest: Partial<RecordCounts> = {}): RecordCounts => ({ accounts: 7, contacts, leads: 0, deals: 0, activities: 0, ...rest });

describe('Zoho sandbox: counting and paging to the end', () => {
  for (const n of [0, 1, 200, 201, 2_000, 2_001]) {
    it(`${n} contacts: count = listed, each once, in id order (desc)`, async () => {
      const s = await startSandbox(zohoSandbox, { records: counts(n), rateLimits: 'off' }, { port: 0 });
      try {
        const c = client(s, await connect(s));
        const count = await c.get('/crm/v8/Contacts/actions/count');
        expect(count.body).toEqual({ count: n });
        const { ids, requests } = await c.all('Contacts', 'Last_Name,Email');
        expect(ids).toHaveLength(n);
        expect(new Set(ids).size).toBe(n);
        expect(requests).toBe(Math.max(1, Math.ceil(n / 200)));
        expect([...ids].sort().reverse()).toEqual(ids);
        if (n === 0) expect((await c.get('/crm/v8/Contacts', { fields: 'Last_Name' })).status).toBe(204);
      } finally {
        await s.close();
      }
    });
  }

  it('reaches 100,000 records through page tokens and refuses the next one with PAGINATION_LIMIT_EXCEEDED', { timeout: 60_000 }, async () => {
    const s = await startSandbox(zohoSandbox, { records: counts(100_001), rateLimits: 'off' }, { port: 0 });
    try {
      const c = client(s, await connect(s));
      let token: string | null = null;
      let seen = 0;
      for (let k = 0; k < 500; k++) {
        const r = await c.get('/crm/v8/Contacts', { fields: 'Last_Name', per_page: 200, ...(token ? { page_token: token } : {}) });
        const p = r.body as unknown as Page;
        seen += p.data.length;
        token = p.info.next_page_token;
      }
      expect(seen).toBe(100_000);
      expect(token).not.toBeNull();
      const past = await c.get('/crm/v8/Contacts', { fields: 'Last_Name', per_page: 200, page_token: token as string });
      expect(past.status).toBe(400);
      expect(past.body).toMatchObject({ code: 'PAGINATION_LIMIT_EXCEEDED', status: 'error' });
    } finally {
      await s.close();
    }
  });
});

describe('Zoho sandbox: list parameters and their errors', () => {
  let s: RunningSandbox;
  let c: ReturnType<typeof client>;
  const clock = new ManualClock(Date.UTC(2025, 6, 1));
  beforeAll(async () => {
    s = await startSandbox(zohoSandbox, { clock, records: { accounts: 40, contacts: 2_500, leads: 30, deals: 120, activities: 900 } }, { port: 0 });
    c = client(s, await connect(s));
  });
  afterAll(() => s.close());

  const error = (r: { status: number; body: Record<string, unknown> | null }, status: number, code: string) => {
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ code, status: 'error' });
    expect(Object.keys(r.body as object).sort()).toEqual(['code', 'details', 'message', 'status']);
  };

  it('page/per_page reach only the first 2,000 records', async () => {
    const p10 = await c.get('/crm/v8/Contacts', { fields: 'Last_Name', page: 10, per_page: 200 });
    expect((p10.body as unknown as Page).data).toHaveLength(200);
    error(await c.get('/crm/v8/Contacts', { fields: 'Last_Name', page: 11, per_page: 200 }), 400, 'DISCRETE_PAGINATION_LIMIT_EXCEEDED');
    error(await c.get('/crm/v8/Contacts', { fields: 'Last_Name', page: 21, per_page: 100 }), 400, 'DISCRETE_PAGINATION_LIMIT_EXCEEDED');
    expect((await c.get('/crm/v8/Contacts', { fields: 'Last_Name', page: 20, per_page: 100 })).status).toBe(200);
  });

  it('serves at most 200 per page', async () => {
    const r = await c.get('/crm/v8/Contacts', { fields: 'Last_Name', per_page: 500 });
    expect((r.body as unknown as Page).data).toHaveLength(200);
    expect((r.body as unknown as Page).info.per_page).toBe(200);
  });

  it('requires fields, at most 50 of them, all known', async () => {
    error(await c.get('/crm/v8/Contacts'), 400, 'REQUIRED_PARAM_MISSING');
    const fields = Array.from({ length: 51 }, (_, k) => `F${k}`).join(',');
    error(await c.get('/crm/v8/Contacts', { fields }), 400, 'LIMIT_EXCEEDED');
    error(await c.get('/crm/v8/Contacts', { fields: 'Last_Name,No_Such_Field' }), 400, 'INVALID_DATA');
    const r = await c.get('/crm/v8/Contacts', { fields: 'Last_Name', per_page: 1 });
    expect(Object.keys((r.body as unknown as Page).data[0] as object).sort()).toEqual(['Last_Name', 'id']);
  });

  it('page tokens: not with page, bound to the parameters, not forgeable, valid 24 hours', async () => {
    const first = (await c.get('/crm/v8/Contacts', { fields: 'Last_Name', per_page: 50 })).body as unknown as Page;
    const token = first.info.next_page_token as string;
    expect(first.info.page_token_expiry).toMatch(/\+05:30$/);
    error(await c.get('/crm/v8/Contacts', { fields: 'Last_Name', per_page: 50, page: 2, page_token: token }), 400, 'AMBIGUITY_DURING_PROCESSING');
    error(await c.get('/crm/v8/Contacts', { fields: 'Last_Name', per_page: 100, page_token: token }), 400, 'TOKEN_BOUND_DATA_MISMATCH');
    error(await c.get('/crm/v8/Contacts', { fields: 'Last_Name,Email', per_page: 50, page_token: token }), 400, 'TOKEN_BOUND_DATA_MISMATCH');
    error(await c.get('/crm/v8/Contacts', { fields: 'Last_Name', per_page: 50, page_token: `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}` }), 400, 'INVALID_DATA');
    error(await c.get('/crm/v8/Accounts', { fields: 'Account_Name', per_page: 50, page_token: token }), 400, 'INVALID_DATA');
    const second = (await c.get('/crm/v8/Contacts', { fields: 'Last_Name', per_page: 50, page_token: token })).body as unknown as Page;
    expect(second.info.page).toBe(2);
    expect(second.data[0]?.id).not.toBe(first.data[0]?.id);
    expect(second.info.previous_page_token).not.toBeNull();
    clock.advance(86_400_000);
    c = client(s, await connect(s)); // the access token died too (1 h); the page token is the user's, not the token's
    error(await c.get('/crm/v8/Contacts', { fields: 'Last_Name', per_page: 50, page_token: token }), 400, 'EXPIRED_VALUE');
  });

  it('unknown module → 400 INVALID_MODULE, unknown path → 404 INVALID_URL_PATTERN, cvid with sort_by → ambiguity', async () => {
    error(await c.get('/crm/v8/Widgets', { fields: 'Name' }), 400, 'INVALID_MODULE');
    error(await c.get('/crm/v8/Contacts/actions/nothing'), 404, 'INVALID_URL_PATTERN');
    error(await c.get('/crm/v9/Contacts', { fields: 'Last_Name' }), 404, 'INVALID_URL_PATTERN');
    error(await c.get('/crm/v8/Contacts', { fields: 'Last_Name', cvid: '1', sort_by: 'id' }), 400, 'AMBIGUITY_DURING_PROCESSING');
  });

  it('gets one record by id with all its fields; an unknown id is 400 INVALID_DATA; If-Modified-Since is refused', async () => {
    const first = ((await c.get('/crm/v8/Deals', { fields: 'Deal_Name', per_page: 1 })).body as unknown as Page).data[0]!;
    const one = (await c.get(`/crm/v8/Deals/${first.id as string}`)).body as unknown as Page;
    expect(one.data[0]).toMatchObject({ id: first.id, Deal_Name: first.Deal_Name, Stage: expect.any(String), Owner: { id: expect.any(String) } });
    error(await c.get('/crm/v8/Deals/4150868014999999999'), 400, 'INVALID_DATA');
    error(await c.get('/crm/v8/Deals/123'), 400, 'INVALID_DATA');
    const res = await fetch(`${s.url}/crm/v8/Deals?fields=Deal_Name`, { headers: { authorization: `Zoho-oauthtoken ${await connect(s)}`, 'if-modified-since': '2025-01-01T00:00:00+05:30' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('NOT_SUPPORTED');
  });

  it('sorts by Modified_Time ascending when asked', async () => {
    const r = (await c.get('/crm/v8/Deals', { fields: 'Modified_Time', sort_by: 'Modified_Time', sort_order: 'asc' })).body as unknown as Page;
    const times = r.data.map((d) => Date.parse(d.Modified_Time as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(r.info).toMatchObject({ sort_by: 'Modified_Time', sort_order: 'asc' });
  });

  it('renders Zoho records: 19-digit ids, lookups { name, id }, owner with e-mail, times with the org offset', async () => {
    const r = (await c.get('/crm/v8/Deals', { fields: 'Deal_Name,Account_Name,Contact_Name,Owner,Created_Time,Closing_Date,Amount', per_page: 5 })).body as unknown as Page;
    for (const d of r.data) {
      expect(d.id).toMatch(/^\d{19}$/);
      expect(d.Owner).toEqual({ name: expect.any(String), id: expect.stringMatching(/^\d{19}$/), email: expect.stringContaining('@') });
      expect(d.Created_Time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30$/);
      expect(d.Closing_Date).toMatch(/^\d{4}-\d\d-\d\d$/);
      if (d.Account_Name !== null) expect(d.Account_Name).toEqual({ name: expect.any(String), id: expect.stringMatching(/^\d{19}$/) });
    }
  });

  it('relationships resolve: every contact account and deal contact exists', async () => {
    const accounts = new Set((await c.all('Accounts', 'Account_Name')).ids);
    const contacts = new Set((await c.all('Contacts', 'Last_Name')).ids);
    const page = (await c.get('/crm/v8/Contacts', { fields: 'Account_Name', per_page: 200 })).body as unknown as Page;
    const linked = page.data.map((d) => (d.Account_Name as { id: string } | null)?.id).filter(Boolean);
    expect(linked.length).toBeGreaterThan(150);
    for (const id of linked) expect(accounts.has(id as string)).toBe(true);
    const deals = (await c.get('/crm/v8/Deals', { fields: 'Contact_Name,Account_Name', per_page: 200 })).body as unknown as Page;
    for (const d of deals.data) {
      const contact = (d.Contact_Name as { id: string } | null)?.id;
      if (contact) expect(contacts.has(contact)).toBe(true);
    }
  });

  it('activities live in Tasks, Events, Calls and Notes; the counts add up; notes carry Parent_Id with its module', async () => {
    let sum = 0;
    for (const m of ['Tasks', 'Events', 'Calls']) {
      const n = ((await c.get(`/crm/v8/${m}/actions/count`)).body as { count: number }).count;
      expect((await c.all(m, 'Created_Time')).ids).toHaveLength(n);
      sum += n;
    }
    error(await c.get('/crm/v8/Notes/actions/count'), 400, 'INVALID_MODULE');
    const notes = await c.all('Notes', 'Note_Title,Parent_Id');
    sum += notes.ids.length;
    expect(sum).toBe(900);
    const n = (await c.get('/crm/v8/Notes', { fields: 'Parent_Id', per_page: 20 })).body as unknown as Page;
    for (const d of n.data) expect(d.Parent_Id).toMatchObject({ id: expect.any(String), module: { api_name: expect.stringMatching(/^(Deals|Contacts|Accounts)$/) } });
    const t = (await c.get('/crm/v8/Tasks', { fields: 'What_Id', per_page: 50 })).body as unknown as Page;
    for (const d of t.data) if (d.What_Id) expect(['Deals', 'Accounts']).toContain(d.$se_module);
  });

  it('lists deleted records at /deleted, none of which appear in the list', async () => {
    const r = await c.get('/crm/v8/Contacts/deleted', { type: 'all' });
    const data = (r.body as { data: { id: string; type: string; deleted_time: string }[] }).data;
    expect(data.length).toBe(25); // 1 % of 2,500
    expect(data[0]).toMatchObject({ type: 'recycle', deleted_by: { id: expect.any(String) } });
    const live = new Set((await c.all('Contacts', 'Last_Name')).ids);
    for (const d of data) expect(live.has(d.id)).toBe(false);
    expect((await c.get('/crm/v8/Contacts/deleted', { type: 'permanent' })).status).toBe(204);
    error(await c.get('/crm/v8/Contacts/deleted', { type: 'weird' }), 400, 'PATTERN_NOT_MATCHED');
  });

  it('describes fields, custom ones flagged, lookups with their module', async () => {
    const r = (await c.get('/crm/v8/settings/fields', { module: 'Contacts' })).body as { fields: { api_name: string; custom_field: boolean; data_type: string; lookup?: { module: { api_name: string } } }[] };
    const custom = r.fields.filter((f) => f.custom_field).map((f) => f.api_name);
    expect(custom).toEqual(['Preferred_Language', 'Newsletter_Opt_in', 'NPS_Score', 'Customer_Tier']);
    expect(r.fields.find((f) => f.api_name === 'Account_Name')?.lookup?.module.api_name).toBe('Accounts');
    error(await c.get('/crm/v8/settings/fields'), 400, 'REQUIRED_PARAM_MISSING');
    error(await c.get('/crm/v8/settings/fields', { module: 'Nope' }), 400, 'INVALID_MODULE');
  });
});
