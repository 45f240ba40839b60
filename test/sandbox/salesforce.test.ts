/**
 * Salesforce sandbox, issue 3: SOQL over REST — counts equal what paging returns (every record exactly once at
 * 0, 1, each batch cap and one past it), the caps and their errors (OFFSET > 2,000, batchSize 200–2,000),
 * errors in Salesforce's shape (INVALID_FIELD, INVALID_TYPE, MALFORMED_QUERY, INVALID_SESSION_ID,
 * REQUEST_LIMIT_EXCEEDED, INVALID_QUERY_LOCATOR), queryAll and deleted rows, relationships, describe with custom
 * fields, limits, record counts, faults and stats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startSandbox, type SandboxOptions } from '../../sandbox/common/index.js';
import { salesforceSandbox } from '../../sandbox/salesforce/index.js';
import { ORG_ID, sfId } from '../../sandbox/salesforce/ids.js';

type Page = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Record<string, unknown>[] };

/** A sandbox plus a bearer token issued straight from its OAuth store. */
async function start(options: Partial<SandboxOptions> = {}) {
  const s = await startSandbox(salesforceSandbox, { rateLimits: 'off', ...options, records: { accounts: 20, contacts: 50, leads: 10, deals: 15, activities: 60, ...options.records } });
  const store = s.instance.ctx.oauth;
  const code = store.issueCode({ clientId: 'sandbox-client-id', redirectUri: null, scope: 'api id refresh_token', subject: { userId: sfId('005', 0), orgId: ORG_ID } });
  const t = store.exchangeCode({ code, clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', redirectUri: undefined });
  if (!t.ok) throw new Error(t.description);
  const auth = { authorization: `Bearer ${t.accessToken}` };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${s.url}${path}`, { headers: { ...auth, ...headers } });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : null };
  };
  const query = (soql: string, kind = 'query', headers: Record<string, string> = {}) => get(`/services/data/v62.0/${kind}?q=${encodeURIComponent(soql)}`, headers);
  const config = (patch: unknown) => fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
  /** Follows nextRecordsUrl to the end; returns every page. */
  const all = async (soql: string, kind = 'query', batch?: number): Promise<Page[]> => {
    const h: Record<string, string> = batch ? { 'sforce-query-options': `batchSize=${batch}` } : {};
    const pages: Page[] = [];
    let r = await query(soql, kind, h);
    for (;;) {
      expect(r.status).toBe(200);
      const page = r.body as Page;
      pages.push(page);
      if (page.done) break;
      r = await get(page.nextRecordsUrl!, h);
    }
    return pages;
  };
  return { s, get, query, all, config, token: t.accessToken, close: () => s.close() };
}

const ids = (pages: Page[]) => pages.flatMap((p) => p.records.map((r) => r.Id as string));

describe('Salesforce sandbox: counting and paging', () => {
  it.each([
    [0, undefined, 2000],
    [1, undefined, 2000],
    [2000, undefined, 2000],
    [2001, undefined, 2000],
    [200, 200, 200],
    [201, 200, 200],
    [450, 100, 200], // below the minimum: batches of 200
    [2001, 5000, 2000], // above the maximum: batches of 2,000
  ])('%i contacts with batchSize %s: COUNT() equals the records paged, each once, in batches of %i', async (n, batch, expectedBatch) => {
    const sb = await start({ records: { accounts: 20, contacts: n, leads: 0, deals: 0, activities: 0 } });
    try {
      const count = await sb.query('SELECT COUNT() FROM Contact');
      expect(count.body).toEqual({ totalSize: n, done: true, records: [] });
      const pages = await sb.all('SELECT Id, LastName FROM Contact ORDER BY Id', 'query', batch);
      const got = ids(pages);
      expect(got.length).toBe(n);
      expect(new Set(got).size).toBe(n);
      expect(pages.every((p) => p.totalSize === n)).toBe(true);
      expect(pages.length).toBe(Math.max(1, Math.ceil(n / expectedBatch)));
      for (const p of pages.slice(0, -1)) expect(p.records.length).toBe(expectedBatch);
      expect(got).toEqual([...got].sort());
    } finally {
      await sb.close();
    }
  });

  it('allows OFFSET up to 2,000 and answers NUMBER_OUTSIDE_VALID_RANGE past it', async () => {
    const sb = await start({ records: { accounts: 1, contacts: 2100, leads: 0, deals: 0, activities: 0 } });
    try {
      const ok = await sb.query('SELECT Id FROM Contact ORDER BY Id LIMIT 5 OFFSET 2000');
      expect((ok.body as Page).records.map((r) => r.Id)).toEqual([2000, 2001, 2002, 2003, 2004].map((i) => sfId('003', i)));
      const bad = await sb.query('SELECT Id FROM Contact ORDER BY Id LIMIT 5 OFFSET 2001');
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual([{ message: 'Maximum SOQL offset allowed is 2000', errorCode: 'NUMBER_OUTSIDE_VALID_RANGE' }]);
    } finally {
      await sb.close();
    }
  });

  it('drops a query cursor after 15 idle minutes and the oldest of 11 open cursors (INVALID_QUERY_LOCATOR)', async () => {
    const clock = new ManualClock(Date.now());
    const sb = await start({ clock, records: { accounts: 1, contacts: 2500, leads: 0, deals: 0, activities: 0 } });
    try {
      const first = (await sb.query('SELECT Id FROM Contact')).body as Page;
      clock.advance(15 * 60_000 + 1);
      const expired = await sb.get(first.nextRecordsUrl!);
      expect(expired.status).toBe(400);
      expect(expired.body).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
      const open: Page[] = [];
      for (let k = 0; k < 11; k++) {
        open.push((await sb.query('SELECT Id FROM Contact')).body as Page);
        clock.advance(1000);
      }
      expect((await sb.get(open[0]!.nextRecordsUrl!)).status).toBe(400);
      expect((await sb.get(open[10]!.nextRecordsUrl!)).status).toBe(200);
    } finally {
      await sb.close();
    }
  });
});

describe('Salesforce sandbox: records, relationships, deleted rows', () => {
  let sb: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    sb = await start({ extras: { sandboxOrg: 'true' } });
  });
  afterAll(() => sb.close());

  it('renders records in Salesforce\'s shape: attributes, 18-character ids, +0000 timestamps, custom fields', async () => {
    const r = await sb.query('SELECT Id, Name, Account.Name, AccountId, OwnerId, CreatedDate, SystemModstamp, Customer_Tier__c FROM Contact ORDER BY Id LIMIT 1');
    const rec = (r.body as Page).records[0]!;
    expect(rec.attributes).toEqual({ type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${rec.Id as string}` });
    expect(rec.Id).toMatch(/^003[0-9A-Za-z]{15}$/);
    expect(rec.OwnerId).toMatch(/^005[0-9A-Za-z]{15}$/);
    expect(rec.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
    expect(Object.keys(rec)).toEqual(['attributes', 'Id', 'Name', 'Account', 'AccountId', 'OwnerId', 'CreatedDate', 'SystemModstamp', 'Customer_Tier__c']);
    const account = (await sb.query(`SELECT Id, Name FROM Account WHERE Id = '${rec.AccountId as string}'`)).body as Page;
    expect(rec.Account).toEqual({ attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${rec.AccountId as string}` }, Name: account.records[0]!.Name });
  });

  it('links resolve to records that exist: Contact.AccountId, Opportunity.AccountId, Task WhoId/WhatId, Note ParentId', async () => {
    const accounts = new Set(ids(await sb.all('SELECT Id FROM Account')));
    const contacts = new Set(ids(await sb.all('SELECT Id FROM Contact')));
    const deals = new Set(ids(await sb.all('SELECT Id FROM Opportunity')));
    for (const c of (await sb.all('SELECT AccountId FROM Contact')).flatMap((p) => p.records)) if (c.AccountId !== null) expect(accounts.has(c.AccountId as string)).toBe(true);
    for (const t of (await sb.all('SELECT WhoId, WhatId, AccountId, Who.Type, What.Type FROM Task')).flatMap((p) => p.records)) {
      if (t.WhoId !== null) expect(contacts.has(t.WhoId as string)).toBe(true);
      if (t.WhatId !== null) expect(accounts.has(t.WhatId as string) || deals.has(t.WhatId as string)).toBe(true);
      if (t.What !== null) expect((t.What as { Type: string }).Type).toBe((t.WhatId as string).startsWith('006') ? 'Opportunity' : 'Account');
    }
    for (const n of (await sb.all('SELECT ParentId FROM Note')).flatMap((p) => p.records)) {
      const id = n.ParentId as string;
      expect(accounts.has(id) || contacts.has(id) || deals.has(id)).toBe(true);
    }
  });

  it('splits activities over Task, Event and Note, and their counts add up to the world\'s', async () => {
    let sum = 0;
    for (const o of ['Task', 'Event', 'Note']) sum += ((await sb.query(`SELECT COUNT() FROM ${o}`)).body as Page).totalSize;
    expect(sum).toBe(60);
    const subtypes = new Set((await sb.all('SELECT TaskSubtype FROM Task')).flatMap((p) => p.records.map((r) => r.TaskSubtype)));
    expect([...subtypes].every((t) => ['Task', 'Call', 'Email'].includes(t as string))).toBe(true);
  });

  it('hides deleted rows from query and shows them with IsDeleted = true in queryAll', async () => {
    const live = ((await sb.query('SELECT COUNT() FROM Contact')).body as Page).totalSize;
    const allRows = ((await sb.query('SELECT COUNT() FROM Contact', 'queryAll')).body as Page).totalSize;
    const deleted = await sb.all('SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true', 'queryAll');
    expect(live).toBe(50);
    expect(allRows).toBe(51);
    expect(deleted[0]!.records).toEqual([expect.objectContaining({ Id: sfId('003', 50), IsDeleted: true })]);
    expect(((await sb.query('SELECT COUNT() FROM Contact WHERE IsDeleted = true')).body as Page).totalSize).toBe(0);
  });

  it('filters on SystemModstamp with an unquoted datetime literal and refuses a quoted one', async () => {
    const rows = (await sb.all('SELECT Id, SystemModstamp FROM Contact')).flatMap((p) => p.records);
    const cut = '2023-01-01T00:00:00Z';
    const expected = rows.filter((r) => Date.parse((r.SystemModstamp as string).replace('+0000', 'Z')) > Date.parse(cut)).length;
    const r = await sb.query(`SELECT COUNT() FROM Contact WHERE SystemModstamp > ${cut} AND IsDeleted = false`);
    expect((r.body as Page).totalSize).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(50);
    const quoted = await sb.query(`SELECT Id FROM Contact WHERE SystemModstamp > '${cut}'`);
    expect(quoted.status).toBe(400);
    expect((quoted.body as [{ errorCode: string }])[0].errorCode).toBe('INVALID_FIELD');
  });

  it('answers INVALID_FIELD, INVALID_TYPE and MALFORMED_QUERY in Salesforce\'s shape', async () => {
    const field = await sb.query('SELECT Id, Nope__c FROM Contact');
    expect(field.status).toBe(400);
    expect(field.body).toEqual([{ errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Nope__c' on entity 'Contact'") }]);
    expect((field.body as [{ message: string }])[0].message).toContain('ERROR at Row:1:Column:12');
    const type = await sb.query('SELECT Id FROM Widget');
    expect(type.body).toEqual([{ errorCode: 'INVALID_TYPE', message: expect.stringContaining("sObject type 'Widget' is not supported") }]);
    const rel = await sb.query('SELECT Id, Boss.Name FROM Contact');
    expect((rel.body as [{ errorCode: string }])[0].errorCode).toBe('INVALID_FIELD');
    for (const bad of ['SELECT FROM Contact', 'SELECT Id Contact', 'SELECT Id FROM Contact WHERE', "SELECT Id FROM Contact WHERE Name = 'x"]) {
      const r = await sb.query(bad);
      expect(r.status).toBe(400);
      expect((r.body as [{ errorCode: string }])[0].errorCode).toBe('MALFORMED_QUERY');
    }
    const none = await sb.get('/services/data/v62.0/query');
    expect(none.body).toEqual([{ message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' }]);
  });

  it('describes objects with custom fields; unknown objects and old versions are 404 NOT_FOUND', async () => {
    const d = (await sb.get('/services/data/v62.0/sobjects/Account/describe')).body as { keyPrefix: string; fields: { name: string; custom: boolean; type: string; picklistValues: { value: string }[] }[] };
    expect(d.keyPrefix).toBe('001');
    const tier = d.fields.find((f) => f.name === 'Customer_Tier__c')!;
    expect(tier).toMatchObject({ custom: true, type: 'picklist' });
    expect(tier.picklistValues.map((p) => p.value)).toEqual(['Bronze', 'Silver', 'Gold', 'Platinum']);
    expect(d.fields.filter((f) => f.custom).map((f) => f.name)).toEqual(['Customer_Tier__c', 'NPS_Score__c', 'Renewal_Date__c', 'SLA__c']);
    const missing = await sb.get('/services/data/v62.0/sobjects/Widget/describe');
    expect(missing).toMatchObject({ status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] });
    expect((await sb.get('/services/data/v46.0/query?q=SELECT+Id+FROM+Account')).status).toBe(404);
    expect((await sb.query('SELECT Id FROM Account LIMIT 1')).status).toBe(200);
    expect((await sb.get('/services/data/v47.0/limits')).status).toBe(200);
  });

  it('exposes Organization.IsSandbox (from --option sandboxOrg=true) and record counts', async () => {
    const org = await sb.query('SELECT IsSandbox FROM Organization');
    expect((org.body as Page).records[0]!.IsSandbox).toBe(true);
    const counts = await sb.get('/services/data/v62.0/limits/recordCount?sObjects=Account,Contact');
    expect(counts.body).toEqual({ sObjects: [{ count: 20, name: 'Account' }, { count: 50, name: 'Contact' }] });
  });

  it('answers 401 INVALID_SESSION_ID for a missing, unknown or expired token', async () => {
    const body = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
    const missing = await fetch(`${sb.s.url}/services/data/v62.0/limits`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual(body);
    expect(await sb.get('/services/data/v62.0/limits', { authorization: 'Bearer 00Dxx!nope' })).toMatchObject({ status: 401, body });
    await fetch(`${sb.s.url}/_sandbox/tokens/expire`, { method: 'POST' });
    expect(await sb.get('/services/data/v62.0/limits')).toMatchObject({ status: 401, body });
  });
});

describe('Salesforce sandbox: limits, faults, stats', () => {
  it('counts requests against the daily allocation in Sforce-Limit-Info and answers 403 REQUEST_LIMIT_EXCEEDED past it', async () => {
    const sb = await start({ rateLimits: 'realistic' });
    try {
      const first = await sb.query('SELECT Id FROM Account LIMIT 1');
      expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/110000');
      await sb.config({ limits: { daily: { limit: 5, windowMs: 60_000 } } });
      await fetch(`${sb.s.url}/_sandbox/reset`, { method: 'POST' });
      const limits = await sb.get('/services/data/v62.0/limits');
      expect(limits.body).toMatchObject({ DailyApiRequests: { Max: 5, Remaining: 4 }, DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 } });
      for (let k = 0; k < 4; k++) expect((await sb.query('SELECT Id FROM Account LIMIT 1')).status).toBe(200);
      const over = await sb.query('SELECT Id FROM Account LIMIT 1');
      expect(over.status).toBe(403);
      expect(over.headers.get('retry-after')).toBeNull();
      expect(over.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      const stats = (await (await fetch(`${sb.s.url}/_sandbox/stats`)).json()) as { rejected: { byReason: { quota: number } }; rateLimits: { windows: { policy: string; peak: number }[] } };
      expect(stats.rejected.byReason.quota).toBe(1);
      expect(stats.rateLimits.windows.find((w) => w.policy === 'daily')!.peak).toBe(5);
    } finally {
      await sb.close();
    }
  });

  it('refuses new requests while the org has its cap of long-running (≥ 20 s) requests in flight', async () => {
    const clock = new ManualClock(Date.now());
    const sb = await start({ clock, rateLimits: 'realistic', records: { accounts: 1, contacts: 30_000, leads: 0, deals: 0, activities: 0 } });
    try {
      await sb.config({ limits: { longRunning: { limit: 2 } } });
      // Two large result downloads that the client does not read: backpressure keeps them running.
      const h = { authorization: `Bearer ${sb.token}`, 'content-type': 'application/json' };
      const job = (await (await fetch(`${sb.s.url}/services/data/v62.0/jobs/query`, { method: 'POST', headers: h, body: JSON.stringify({ operation: 'query', query: 'SELECT Id, Name, Description, MailingStreet FROM Contact' }) })).json()) as { id: string };
      clock.advance(1_000);
      const slow = await Promise.all([0, 1].map(() => fetch(`${sb.s.url}/services/data/v62.0/jobs/query/${job.id}/results`, { headers: h })));
      expect(slow.map((r) => r.status)).toEqual([200, 200]);
      expect((await sb.query('SELECT Id FROM Account')).status).toBe(200); // not long-running yet
      clock.advance(20_000);
      const refused = await sb.query('SELECT Id FROM Account');
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual([{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      await Promise.all(slow.map((r) => r.body!.cancel()));
      let after = 0;
      for (let k = 0; k < 50 && after !== 200; k++) {
        await new Promise((r) => setTimeout(r, 20));
        after = (await sb.query('SELECT Id FROM Account')).status;
      }
      expect(after).toBe(200);
    } finally {
      await sb.close();
    }
  });

  it('injects faults in Salesforce\'s shape, reproducibly after a reset, and counts them', async () => {
    const sb = await start();
    try {
      await sb.config({ faultRate: 0.5, faultWeights: { reset: 0, slow: 0, truncate: 0 } });
      const run = async () => {
        const out: string[] = [];
        for (let k = 0; k < 20; k++) {
          const r = await sb.query('SELECT Id FROM Account LIMIT 1');
          out.push(r.status === 200 ? '200' : `${r.status}:${(r.body as [{ errorCode: string }])[0].errorCode}`);
        }
        return out;
      };
      const a = await run();
      await fetch(`${sb.s.url}/_sandbox/reset`, { method: 'POST' });
      const b = await run();
      expect(b).toEqual(a);
      expect(a.some((x) => x !== '200')).toBe(true);
      expect(a.every((x) => /^(200|500:UNKNOWN_EXCEPTION|502:BAD_GATEWAY|503:SERVER_UNAVAILABLE)$/.test(x))).toBe(true);
      const stats = (await (await fetch(`${sb.s.url}/_sandbox/stats`)).json()) as { requests: { byEndpoint: Record<string, number> }; faults: { injected: number } };
      expect(stats.requests.byEndpoint['GET /services/data/:version/query']).toBe(20);
      expect(stats.faults.injected).toBe(a.filter((x) => x !== '200').length);
    } finally {
      await sb.close();
    }
  });
});
