/**
 * Zoho sandbox, issue 3 — Bulk Read end to end (job states advancing with time, the ZIP holding {job_id}.csv,
 * 200,000 records per job and page_token past them, Notes refused, forced FAILURE), the 10-per-minute download
 * limit, credits and concurrency limits with their 429 bodies, reproducible faults in Zoho's shape, and stats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import yauzl from 'yauzl';
import { ManualClock, startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox/common/index.js';
import { zohoSandbox } from '../../sandbox/zoho/index.js';
import { decideOnConsentPage } from '../helpers/consent.js';

const SCOPE = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.bulk.read';
const REDIRECT = 'http://127.0.0.1:9/cb';

async function connect(s: RunningSandbox, scope = SCOPE): Promise<string> {
  const q = new URLSearchParams({ scope, client_id: 'sandbox-client-id', response_type: 'code', access_type: 'offline', redirect_uri: REDIRECT, state: 'x', prompt: 'consent' });
  const back = await decideOnConsentPage(`${s.url}/oauth/v2/auth?${q}`);
  const t = new URLSearchParams({ grant_type: 'authorization_code', client_id: 'sandbox-client-id', client_secret: 'sandbox-client-secret', redirect_uri: REDIRECT, code: back.searchParams.get('code') as string });
  return ((await (await fetch(`${s.url}/oauth/v2/token?${t}`, { method: 'POST' })).json()) as { access_token: string }).access_token;
}

function unzip(buf: Buffer): Promise<{ name: string; text: string }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const out: { name: string; text: string }[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        zip.openReadStream(e, (err2, stream) => {
          if (err2) return reject(err2);
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('end', () => {
            out.push({ name: e.fileName, text: Buffer.concat(parts).toString('utf8') });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

interface Job {
  id: string;
  state: string;
  result?: { page: number; per_page: number; count: number; download_url: string; more_records: boolean; next_page_token?: string };
}

function bulk(s: RunningSandbox, token: string) {
  const h = { authorization: `Zoho-oauthtoken ${token}` };
  return {
    create: async (query: unknown) => {
      const res = await fetch(`${s.url}/crm/bulk/v8/read`, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    job: async (id: string) => {
      const res = await fetch(`${s.url}/crm/bulk/v8/read/${id}`, { headers: h });
      return { status: res.status, body: (await res.json()) as { data: Job[] } };
    },
    download: (url: string) => fetch(s.url + url, { headers: h }),
    get: (path: string) => fetch(s.url + path, { headers: h }),
  };
}

/** Poll a job until it has ended, as a client does (a job advances with time, even a fast one). */
async function ended(b: ReturnType<typeof bulk>, id: string): Promise<Job> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const job = (await b.job(id)).body.data[0]!;
    if (job.state === 'COMPLETED' || job.state === 'FAILURE' || Date.now() > deadline) return job;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const idOf = (created: Record<string, unknown>) => (created.data as { details: { id: string } }[])[0]!.details.id;

describe('Zoho sandbox: Bulk Read', () => {
  let s: RunningSandbox;
  let b: ReturnType<typeof bulk>;
  const clock = new ManualClock(Date.UTC(2025, 6, 1));
  beforeAll(async () => {
    s = await startSandbox(zohoSandbox, { clock, records: { accounts: 25, contacts: 1_234, leads: 0, deals: 0, activities: 300 }, extras: { bulkQueueMs: '1000', bulkRecordsPerSecond: '1000', bulkFailModules: 'Calls' } }, { port: 0 });
    b = bulk(s, await connect(s));
  });
  afterAll(() => s.close());

  it('runs a job ADDED → QUEUED → IN PROGRESS → COMPLETED and serves a ZIP holding {job_id}.csv with every record', async () => {
    const created = await b.create({ module: { api_name: 'Contacts' }, fields: ['Last_Name', 'Email', 'Account_Name', 'Account_Name.Account_Name', 'Owner', 'Created_Time'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ data: [{ status: 'success', code: 'ADDED_SUCCESSFULLY', details: { state: 'ADDED', operation: 'read' } }] });
    const id = idOf(created.body);
    const states: string[] = [];
    for (const step of [0, 600, 600, 1_000, 1_000]) {
      clock.advance(step);
      states.push((await b.job(id)).body.data[0]!.state);
    }
    expect(states).toEqual(['ADDED', 'QUEUED', 'IN PROGRESS', 'IN PROGRESS', 'COMPLETED']);
    const job = (await b.job(id)).body.data[0]!;
    expect(job.result).toEqual({ page: 1, per_page: 200_000, count: 1_234, download_url: `/crm/bulk/v8/read/${id}/result`, more_records: false });
    const res = await b.download(job.result!.download_url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = await unzip(Buffer.from(await res.arrayBuffer()));
    expect(files.map((f) => f.name)).toEqual([`${id}.csv`]);
    const rows = parse(files[0]!.text) as string[][];
    expect(rows[0]).toEqual(['id', 'Last_Name', 'Email', 'Account_Name', 'Account_Name.Account_Name', 'Owner', 'Created_Time']);
    expect(rows).toHaveLength(1 + 1_234);
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(1_234);
    const linked = rows.slice(1).find((r) => r[3] !== '')!;
    expect(linked[3]).toMatch(/^\d{19}$/);
    expect(linked[4]).not.toBe('');
    expect(linked[6]).toMatch(/\+05:30$/);
  });

  it('refuses a download before the job is done, Notes, criteria, unknown fields and unknown jobs', async () => {
    const id = idOf((await b.create({ module: { api_name: 'Tasks' } })).body);
    expect((await b.download(`/crm/bulk/v8/read/${id}/result`)).status).toBe(400);
    expect((await b.create({ module: { api_name: 'Notes' } })).body).toMatchObject({ code: 'NOT_SUPPORTED', status: 'error' });
    expect((await b.create({ module: { api_name: 'Contacts' }, criteria: { field: { api_name: 'Last_Name' }, comparator: 'equal', value: 'x' } })).status).toBe(400);
    expect((await b.create({ module: { api_name: 'Contacts' }, fields: ['Nope'] })).body).toMatchObject({ code: 'INVALID_DATA' });
    expect((await b.create({ module: { api_name: 'Contacts' }, page: 2 })).body).toMatchObject({ code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED' });
    expect((await b.create({})).body).toMatchObject({ code: 'MANDATORY_NOT_FOUND' });
    const missing = await b.job('4150868050999999999');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });

  it('ends jobs of a module set to fail in FAILURE, with no result', async () => {
    const id = idOf((await b.create({ module: { api_name: 'Calls' } })).body);
    clock.advance(60_000);
    const job = (await b.job(id)).body.data[0]!;
    expect(job.state).toBe('FAILURE');
    expect(job.result).toBeUndefined();
  });

  it('allows 10 downloads per minute, then 429 TOO_MANY_REQUESTS', async () => {
    clock.advance(120_000);
    const id = idOf((await b.create({ module: { api_name: 'Contacts' }, fields: ['Last_Name'] })).body);
    clock.advance(10_000);
    for (let k = 0; k < 10; k++) expect((await b.download(`/crm/bulk/v8/read/${id}/result`)).status).toBe(200);
    const over = await b.download(`/crm/bulk/v8/read/${id}/result`);
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 'error', details: {} });
    clock.advance(60_001);
    expect((await b.download(`/crm/bulk/v8/read/${id}/result`)).status).toBe(200);
  });
});

describe('Zoho sandbox: Bulk Read past 200,000 records', () => {
  it('exports 200,000 per job and continues with next_page_token', { timeout: 60_000 }, async () => {
    const s = await startSandbox(zohoSandbox, { rateLimits: 'off', records: { accounts: 10, contacts: 200_003, leads: 0, deals: 0, activities: 0 }, extras: { bulkQueueMs: '0', bulkRecordsPerSecond: '100000000' } }, { port: 0 });
    try {
      const b = bulk(s, await connect(s));
      const first = idOf((await b.create({ module: { api_name: 'Contacts' }, fields: ['Last_Name'], page: 1 })).body);
      const r1 = (await ended(b, first)).result!;
      expect(r1).toMatchObject({ page: 1, count: 200_000, more_records: true });
      const second = idOf((await b.create({ module: { api_name: 'Contacts' }, fields: ['Last_Name'], page_token: r1.next_page_token })).body);
      const r2 = (await ended(b, second)).result!;
      expect(r2).toMatchObject({ page: 2, count: 3, more_records: false });
      const rows = parse((await unzip(Buffer.from(await (await b.download(r2.download_url)).arrayBuffer())))[0]!.text) as string[][];
      expect(rows.slice(1).map((r) => r[0])).toEqual(['4150868012000200000', '4150868012000200001', '4150868012000200002']);
      expect((await b.create({ module: { api_name: 'Contacts' }, page_token: 'ab'.repeat(40) })).body).toMatchObject({ code: 'INVALID_DATA' });
    } finally {
      await s.close();
    }
  });
});

describe('Zoho sandbox: limits, faults and stats', () => {
  const start = (o: Partial<SandboxOptions> = {}) => startSandbox(zohoSandbox, { records: { accounts: 5, contacts: 50_000, leads: 0, deals: 0, activities: 0 }, ...o }, { port: 0 });

  it('charges credits per org (Bulk Read create 50) and answers 429 when the rolling window is spent', async () => {
    const s = await start();
    try {
      const config = async (body: unknown) => (await fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
      const cfg = (await config({ limits: { credits: { limit: 60, windowMs: 60_000 } } })) as { limits: Record<string, { limit: number }> };
      expect(cfg.limits.credits!.limit).toBe(60);
      const b = bulk(s, await connect(s));
      expect((await b.create({ module: { api_name: 'Contacts' } })).status).toBe(201);
      for (let k = 0; k < 10; k++) expect((await b.get('/crm/v8/Contacts?fields=Last_Name&per_page=1')).status).toBe(200);
      const over = await b.get('/crm/v8/Contacts?fields=Last_Name&per_page=1');
      expect(over.status).toBe(429);
      const body = (await over.json()) as { code: string; message: string };
      expect(body).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 'error', details: {} });
      expect(body.message).toMatch(/credit/i);
      expect(over.headers.get('x-ratelimit-remaining')).toBeNull();
      const stats = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as { rateLimits: { windows: { policy: string; peak: number }[] }; rejected: { byReason: { quota: number } } };
      expect(stats.rateLimits.windows.find((w) => w.policy === 'credits')?.peak).toBe(60);
      expect(stats.rejected.byReason.quota).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('caps concurrent calls per org and app: a request while another is in flight past the cap → 429', async () => {
    const s = await start();
    try {
      await fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limits: { concurrency: { limit: 1 } } }) });
      const b = bulk(s, await connect(s));
      const id = idOf((await b.create({ module: { api_name: 'Contacts' } })).body);
      await new Promise((r) => setTimeout(r, 600));
      const slow = await b.download(`/crm/bulk/v8/read/${id}/result`); // 50,000 rows, body not yet read: in flight
      expect(slow.status).toBe(200);
      const second = await b.get('/crm/v8/Contacts?fields=Last_Name&per_page=1');
      expect(second.status).toBe(429);
      expect(((await second.json()) as { message: string }).message).toMatch(/concurren/i);
      await slow.arrayBuffer();
      await new Promise((r) => setTimeout(r, 50));
      expect((await b.get('/crm/v8/Contacts?fields=Last_Name&per_page=1')).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('injects the same faults for the same seed, in Zoho\'s error shape; stats count them', async () => {
    const run = async () => {
      const s = await start({ faultRate: 0.4, seed: 7 });
      try {
        await fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faultWeights: { reset: 0, slow: 0, truncate: 0 } }) });
        const b = bulk(s, await connect(s));
        const out: string[] = [];
        for (let k = 0; k < 30; k++) {
          const r = await b.get('/crm/v8/Contacts?fields=Last_Name&per_page=1');
          const body = (await r.json()) as { code?: string };
          out.push(r.status === 200 ? '200' : `${r.status}:${body.code}`);
        }
        const stats = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as { faults: { injected: number }; requests: { byEndpoint: Record<string, number> } };
        return { out, stats };
      } finally {
        await s.close();
      }
    };
    const a = await run();
    const b2 = await run();
    expect(a.out).toEqual(b2.out);
    const faults = a.out.filter((x) => x !== '200');
    expect(faults.length).toBeGreaterThan(3);
    for (const f of faults) expect(f).toMatch(/^(429:TOO_MANY_REQUESTS|50[023]:INTERNAL_ERROR)$/);
    expect(a.stats.faults.injected).toBe(faults.length);
    expect(a.stats.requests.byEndpoint['GET /crm/v8/:module']).toBe(30);
    expect(a.stats.requests.byEndpoint['POST /oauth/v2/token']).toBe(1);
  });
});
