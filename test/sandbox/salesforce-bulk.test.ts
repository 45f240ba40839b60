/**
 * Salesforce sandbox, issue 3: Bulk API 2.0 query jobs end to end — states over time, results in CSV chunks with
 * Sforce-Locator / Sforce-NumberOfRecords, every record exactly once, what Bulk API 2.0 refuses, failing jobs
 * (switch), abort and delete, the job allocation and its 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { ManualClock, startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox/common/index.js';
import { salesforceSandbox } from '../../sandbox/salesforce/index.js';
import { ORG_ID, sfId } from '../../sandbox/salesforce/ids.js';

const JOBS = '/services/data/v62.0/jobs/query';

async function start(options: Partial<SandboxOptions> = {}) {
  const s: RunningSandbox = await startSandbox(salesforceSandbox, {
    rateLimits: 'off', ...options,
    extras: { bulkProcessingMs: '150', ...options.extras },
    records: { accounts: 30, contacts: 2500, leads: 5, deals: 10, activities: 40, ...options.records },
  });
  const store = s.instance.ctx.oauth;
  const code = store.issueCode({ clientId: 'sandbox-client-id', redirectUri: null, scope: 'api', subject: { userId: sfId('005', 0), orgId: ORG_ID } });
  const t = store.exchangeCode({ code, clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', redirectUri: undefined });
  if (!t.ok) throw new Error(t.description);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.url}${path}`, {
      method, headers: { authorization: `Bearer ${t.accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, text, json: json as Record<string, unknown> & unknown[] };
  };
  const create = (query: string, extra: Record<string, unknown> = {}) => call('POST', JOBS, { operation: 'query', query, ...extra });
  const waitDone = async (id: string) => {
    const seen: string[] = [];
    for (let k = 0; k < 100; k++) {
      const info = await call('GET', `${JOBS}/${id}`);
      const state = info.json.state as string;
      if (seen.at(-1) !== state) seen.push(state);
      if (['JobComplete', 'Failed', 'Aborted'].includes(state)) return { info: info.json, seen };
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('job never finished');
  };
  return { s, call, create, waitDone, close: () => s.close() };
}

describe('Salesforce sandbox: Bulk API 2.0 query jobs', () => {
  let sb: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    sb = await start();
  });
  afterAll(() => sb.close());

  it('runs a job UploadComplete → InProgress → JobComplete as time passes and refuses results before (412)', async () => {
    const clock = new ManualClock(Date.now());
    const own = await start({ clock });
    try {
      const job = await own.create('SELECT Id, Name FROM Contact');
      expect(job.status).toBe(200);
      expect(job.json).toMatchObject({ operation: 'query', object: 'Contact', state: 'UploadComplete', contentType: 'CSV', apiVersion: 62, lineEnding: 'LF', columnDelimiter: 'COMMA' });
      expect(job.json.id).toMatch(/^750[0-9A-Za-z]{15}$/);
      const path = `${JOBS}/${job.json.id as string}`;
      clock.advance(40);
      expect((await own.call('GET', path)).json).toMatchObject({ state: 'InProgress', numberRecordsProcessed: 0 });
      const early = await own.call('GET', `${path}/results`);
      expect(early.status).toBe(412);
      expect(early.json[0]).toMatchObject({ errorCode: 'JOB_NOT_COMPLETE' });
      clock.advance(150);
      expect((await own.call('GET', path)).json).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2500 });
      expect((await own.call('GET', `${path}/results`)).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('pages results by locator: every record once, Sforce-Locator "null" on the last chunk, columns in query order', async () => {
    const job = await sb.create('SELECT Id, Account.Name, IsDeleted, CreatedDate, NPS_Score__c FROM Contact');
    await sb.waitDone(job.json.id as string);
    const rows: string[][] = [];
    const chunks: number[] = [];
    let locator: string | null = null;
    for (;;) {
      const r = await sb.call('GET', `${JOBS}/${job.json.id as string}/results?maxRecords=1000${locator ? `&locator=${locator}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
      const parsed = parse(r.text) as string[][];
      expect(parsed[0]).toEqual(['Id', 'Account.Name', 'IsDeleted', 'CreatedDate', 'NPS_Score__c']);
      expect(Number(r.headers.get('sforce-numberofrecords'))).toBe(parsed.length - 1);
      chunks.push(parsed.length - 1);
      rows.push(...parsed.slice(1));
      locator = r.headers.get('sforce-locator');
      if (locator === 'null') break;
    }
    expect(chunks).toEqual([1000, 1000, 500]);
    expect(new Set(rows.map((r) => r[0])).size).toBe(2500);
    expect(rows.every((r) => r[2] === 'false' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(r[3]!))).toBe(true);
    expect(rows.some((r) => r[1] === '') && rows.some((r) => r[1] !== '')).toBe(true); // contacts without an account
    // Locators are re-readable.
    const again = await sb.call('GET', `${JOBS}/${job.json.id as string}/results?maxRecords=1000`);
    expect(again.headers.get('sforce-numberofrecords')).toBe('1000');
  });

  it('includes deleted rows in a queryAll job and honours the delimiter and line ending', async () => {
    const job = await sb.create('SELECT Id, IsDeleted, Name FROM Account', { operation: 'queryAll', columnDelimiter: 'PIPE', lineEnding: 'CRLF' });
    await sb.waitDone(job.json.id as string);
    const r = await sb.call('GET', `${JOBS}/${job.json.id as string}/results`);
    expect(r.text).toContain('Id|IsDeleted|Name\r\n');
    const rows = parse(r.text, { delimiter: '|' }) as string[][];
    expect(rows.length - 1).toBe(31);
    expect(rows.filter((x) => x[1] === 'true')).toHaveLength(1);
  });

  it('refuses what Bulk API 2.0 refuses: COUNT(), OFFSET, subqueries, unsupported objects, unknown fields', async () => {
    for (const q of ['SELECT COUNT() FROM Contact', 'SELECT Id FROM Contact OFFSET 10', 'SELECT Id, (SELECT Id FROM Contacts) FROM Account']) {
      const r = await sb.create(q);
      expect(r.status).toBe(400);
      expect(r.json[0]).toMatchObject({ errorCode: 'INVALIDJOB' });
    }
    const org = await sb.create('SELECT Id FROM Organization');
    expect(org.json[0]).toEqual({ errorCode: 'INVALIDJOB', message: "Entity 'Organization' is not supported by the Bulk API." });
    expect((await sb.create('SELECT Nope FROM Contact')).json[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });
    expect((await sb.call('POST', JOBS, { operation: 'insert', query: 'SELECT Id FROM Contact' })).status).toBe(400);
  });

  it('aborts a running job, refuses to abort a finished one, deletes jobs', async () => {
    const job = await sb.create('SELECT Id FROM Lead');
    const id = job.json.id as string;
    const aborted = await sb.call('PATCH', `${JOBS}/${id}`, { state: 'Aborted' });
    expect(aborted.json.state).toBe('Aborted');
    expect((await sb.call('GET', `${JOBS}/${id}`)).json.state).toBe('Aborted');
    expect((await sb.call('GET', `${JOBS}/${id}/results`)).status).toBe(412);
    const done = await sb.create('SELECT Id FROM Lead');
    await sb.waitDone(done.json.id as string);
    expect((await sb.call('PATCH', `${JOBS}/${done.json.id as string}`, { state: 'Aborted' })).status).toBe(400);
    expect((await sb.call('DELETE', `${JOBS}/${done.json.id as string}`)).status).toBe(204);
    expect((await sb.call('GET', `${JOBS}/${done.json.id as string}`)).status).toBe(404);
    expect((await sb.call('GET', '/services/data/v61.0/jobs/query/' + id + '/results')).status).toBe(409);
  });

  it('fails jobs on objects switched to fail (option or run-time switch)', async () => {
    const res = await fetch(`${sb.s.url}/_sandbox/salesforce`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bulkFail: ['Opportunity'] }) });
    expect(await res.json()).toMatchObject({ bulkFail: ['opportunity'] });
    const job = await sb.create('SELECT Id FROM Opportunity');
    const { info, seen } = await sb.waitDone(job.json.id as string);
    expect(seen.at(-1)).toBe('Failed');
    expect(info.errorMessage).toMatch(/fail/);
    expect((await sb.call('GET', `${JOBS}/${job.json.id as string}/results`)).status).toBe(412);
    await fetch(`${sb.s.url}/_sandbox/salesforce`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bulkFail: [] }) });
    const ok = await sb.create('SELECT Id FROM Opportunity');
    expect((await sb.waitDone(ok.json.id as string)).seen.at(-1)).toBe('JobComplete');
    const other = await start({ extras: { bulkFail: 'Contact' } });
    try {
      const j = await other.create('SELECT Id FROM Contact');
      expect((await other.waitDone(j.json.id as string)).seen.at(-1)).toBe('Failed');
    } finally {
      await other.close();
    }
  });
});

describe('Salesforce sandbox: Bulk API 2.0 allocation', () => {
  it('counts job creations against DailyBulkV2QueryJobs and answers 403 past it', async () => {
    const sb = await start({ rateLimits: 'realistic' });
    try {
      await fetch(`${sb.s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limits: { bulkJobs: { limit: 2, windowMs: 60_000 } } }) });
      expect((await sb.create('SELECT Id FROM Lead')).status).toBe(200);
      expect((await sb.create('SELECT Id FROM Lead')).status).toBe(200);
      const over = await sb.create('SELECT Id FROM Lead');
      expect(over.status).toBe(403);
      expect(over.json[0]).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
      const limits = await sb.call('GET', '/services/data/v62.0/limits');
      expect(limits.json).toMatchObject({ DailyBulkV2QueryJobs: { Max: 2, Remaining: 0 } });
    } finally {
      await sb.close();
    }
  });
});
