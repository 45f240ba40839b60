import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSandboxArgs, runSandboxCli, SandboxArgsError, startSandbox, type RunningSandbox } from '../../sandbox/common/runner.js';
import { exampleSandbox } from './example-sandbox.js';
import { authorize } from './helpers.js';

async function send(base: string, method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(base + path, { method, body: init.body, headers: init.headers, redirect: 'manual' });
  return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() };
}

describe('standalone sandbox (real HTTP server)', () => {
  let s: RunningSandbox;
  let token = '';
  const post = (path: string, body: unknown) => send(s.url, 'POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const api = (path = '/api/v1/contacts') => send(s.url, 'GET', path, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    s = await startSandbox(exampleSandbox, { records: { accounts: 20, contacts: 300, leads: 0, deals: 0, activities: 0 } });
    token = String((await authorize((m, p, i) => send(s.url, m, p, i))).access_token);
  });
  afterAll(() => s.close());

  it('serves at the root with its own base URL', async () => {
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const body = JSON.parse((await api()).text);
    expect(body.paging.next.link).toBe(`${s.url}/api/v1/contacts?after=100`);
  });

  it('GET/POST /_sandbox/config change limits at run time; stats show the peak and rejections', async () => {
    const cfg = JSON.parse((await send(s.url, 'GET', '/_sandbox/config')).text);
    expect(cfg).toMatchObject({ rateLimits: 'realistic', faultRate: 0, tokenTtlSeconds: 1800, limits: { burst: { limit: 100, windowMs: 10_000 } } });
    expect((await post('/_sandbox/config', { limits: { nope: { limit: 1 } } })).status).toBe(400);
    expect((await post('/_sandbox/config', { faultRate: 3 })).status).toBe(400);
    expect((await post('/_sandbox/config', { bogus: true })).status).toBe(400);
    expect((await post('/_sandbox/reset', {})).status).toBe(200);
    const updated = JSON.parse((await post('/_sandbox/config', { limits: { burst: { limit: 3, windowMs: 60_000 } } })).text);
    expect(updated.limits.burst).toEqual({ limit: 3, windowMs: 60_000 });
    const statuses = [];
    for (let k = 0; k < 5; k++) statuses.push((await api()).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const stats = JSON.parse((await send(s.url, 'GET', '/_sandbox/stats')).text);
    expect(stats.rejected.byReason.rate_limited).toBe(2);
    expect(stats.rateLimits.windows.find((w: { policy: string }) => w.policy === 'burst')).toMatchObject({ limit: 3, peak: 3 });
    expect(stats.requests.byEndpoint['GET /api/v1/contacts']).toBe(5);
    expect(stats.requests.byStatus['429']).toBe(2);
    await post('/_sandbox/config', { rateLimits: 'off' });
    expect((await api()).status).toBe(200);
    await post('/_sandbox/config', { rateLimits: 'realistic', limits: { burst: { limit: 100, windowMs: 10_000 } } });
  });

  it('POST /_sandbox/tokens/expire expires live tokens; refresh gets a new one', async () => {
    const fresh = await authorize((m, p, i) => send(s.url, m, p, i));
    const res = JSON.parse((await post('/_sandbox/tokens/expire', {})).text);
    expect(res.expired).toBeGreaterThanOrEqual(2);
    const r = await send(s.url, 'GET', '/api/v1/contacts', { headers: { authorization: `Bearer ${fresh.access_token}` } });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text).category).toBe('EXPIRED_AUTHENTICATION');
    const refreshed = await send(s.url, 'POST', '/oauth/token', {
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(fresh.refresh_token), client_id: 'sandbox-client-id', client_secret: 'sandbox-client-secret' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    token = JSON.parse(refreshed.text).access_token;
    expect((await api()).status).toBe(200);
    expect(JSON.parse((await send(s.url, 'GET', '/_sandbox/stats')).text).tokens.access).toBe(1);
  });

  it('streams CSV and ZIP exports', async () => {
    const csv = await api('/api/v1/exports/contacts.csv');
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]).toBe('id,first_name,last_name,email,account_id,description,updated_at');
    const zip = await fetch(`${s.url}/api/v1/exports/contacts.zip`, { headers: { authorization: `Bearer ${token}` } });
    const buf = Buffer.from(await zip.arrayBuffer());
    expect(buf.readUInt32LE(0)).toBe(0x04034b50);
    expect(s.instance.ctx.state).toEqual({ exports: 1 });
  });

  describe('faults', () => {
    const only = (kind: string) => post('/_sandbox/config', {
      faultRate: 1, slowMs: [150, 150],
      faultWeights: Object.fromEntries(['rate_limit', 'server_error', 'bad_gateway', 'unavailable', 'reset', 'slow', 'truncate'].map((k) => [k, k === kind ? 1 : 0])),
    });
    afterAll(() => post('/_sandbox/config', { faultRate: 0 }));

    it('renders status faults with the CRM body, never on OAuth or /_sandbox routes', async () => {
      await only('bad_gateway');
      const r = await api();
      expect(r.status).toBe(502);
      expect(JSON.parse(r.text)).toMatchObject({ category: 'INTERNAL_ERROR' });
      await only('rate_limit');
      const r429 = await api();
      expect(r429.status).toBe(429);
      expect(r429.headers['retry-after']).toBe('1');
      expect((await authorize((m, p, i) => send(s.url, m, p, i))).access_token).toBeTruthy();
      expect((await send(s.url, 'GET', '/_sandbox/stats')).status).toBe(200);
      expect(JSON.parse((await send(s.url, 'GET', '/_sandbox/stats')).text).faults.byKind.rate_limit).toBeGreaterThanOrEqual(1);
    });

    it('resets connections', async () => {
      await only('reset');
      const count = async () => JSON.parse((await send(s.url, 'GET', '/_sandbox/stats')).text).requests.byEndpoint['GET /api/v1/contacts'] as number;
      const before = await count();
      await expect(api()).rejects.toThrow(/fetch failed/);
      expect(await count()).toBe(before + 1); // counted even though no response was sent
    });

    it('cuts bodies short', async () => {
      await only('truncate');
      await expect(api()).rejects.toThrow();
      await expect(api('/api/v1/exports/contacts.csv')).rejects.toThrow();
    });

    it('slows responses down', async () => {
      await only('slow');
      const t = performance.now();
      expect((await api()).status).toBe(200);
      expect(performance.now() - t).toBeGreaterThanOrEqual(140);
    });

    it('repeats the same fault sequence after /_sandbox/reset', async () => {
      await post('/_sandbox/config', { faultRate: 0.5, faultWeights: { rate_limit: 1, server_error: 1, bad_gateway: 1, unavailable: 1, reset: 0, slow: 0, truncate: 0 } });
      const run = async () => {
        await post('/_sandbox/reset', {});
        const out = [];
        for (let k = 0; k < 12; k++) out.push((await api()).status);
        return out;
      };
      const first = await run();
      expect(new Set(first).size).toBeGreaterThan(1);
      expect(await run()).toEqual(first);
    });
  });
});

describe('large exports', () => {
  it('serves a 40,000-record CSV export and its ZIP whole with limits off (speed: npm run bench)', async () => {
    const n = 40_000;
    const s = await startSandbox(exampleSandbox, { rateLimits: 'off', records: { accounts: 1000, contacts: n, leads: 0, deals: 0, activities: 0 } });
    try {
      const tokens = await authorize((m, p, i) => send(s.url, m, p, i));
      for (const path of ['/api/v1/exports/contacts.csv', '/api/v1/exports/contacts.zip']) {
        const res = await fetch(s.url + path, { headers: { authorization: `Bearer ${tokens.access_token}` } });
        const bytes = (await res.arrayBuffer()).byteLength;
        expect(res.status).toBe(200);
        expect(bytes).toBeGreaterThan(n * 50);
      }
    } finally {
      await s.close();
    }
  });
});

describe('command line', () => {
  it('parses flags with defaults', () => {
    const a = parseSandboxArgs(['--crm', 'zoho', '--port', '4010']);
    expect(a).toMatchObject({ crm: 'zoho', port: 4010, host: '127.0.0.1' });
    expect(a.options).toMatchObject({ seed: 42, rateLimits: 'realistic', faultRate: 0, clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' });
    expect(a.options.records).toEqual({ accounts: 500, contacts: 2000, leads: 800, deals: 1000, activities: 3000 });
    expect(a.options.tokenTtlSeconds).toBeUndefined();
    const b = parseSandboxArgs(['--crm=monday', '--seed', '7', '--records', 'contacts=1m,deals=10_000,accounts=0', '--rate-limits', 'off',
      '--fault-rate', '0.05', '--token-ttl', 'never', '--client-id', 'cid', '--client-secret', 'sec', '--redirect-uri', 'https://app.example/cb', '--option', 'oauthFlow=2.1']);
    expect(b.options).toMatchObject({ seed: 7, rateLimits: 'off', faultRate: 0.05, tokenTtlSeconds: null, clientId: 'cid', clientSecret: 'sec', redirectUri: 'https://app.example/cb', extras: { oauthFlow: '2.1' } });
    expect(b.options.records).toMatchObject({ contacts: 1_000_000, deals: 10_000, accounts: 0, leads: 800 });
    expect(parseSandboxArgs(['--crm', 'hubspot', '--token-ttl', '60']).options.tokenTtlSeconds).toBe(60);
  });

  it.each([
    [['--crm', 'sugar'], /--crm/],
    [['--crm', 'zoho', '--records', 'widgets=5'], /unknown entity "widgets"/],
    [['--crm', 'zoho', '--records', 'contacts=-1'], /--records contacts/],
    [['--crm', 'zoho', '--rate-limits', 'fast'], /--rate-limits/],
    [['--crm', 'zoho', '--fault-rate', '1.5'], /--fault-rate/],
    [['--crm', 'zoho', '--token-ttl', '0'], /--token-ttl/],
    [['--crm', 'zoho', '--port', '70000'], /--port/],
    [['--crm', 'zoho', '--redirect-uri', 'nope'], /--redirect-uri/],
    [['--crm', 'zoho', '--frobnicate'], /frobnicate/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseSandboxArgs(argv)).toThrow(SandboxArgsError);
    expect(() => parseSandboxArgs(argv)).toThrow(message);
  });

  it('runSandboxCli prints exactly one line with the URL', async () => {
    const lines: string[] = [];
    const running = await runSandboxCli(['--crm', 'hubspot', '--records', 'contacts=10'], () => exampleSandbox, { out: (l) => lines.push(l), handleSignals: false });
    try {
      expect(lines).toEqual([`Example CRM sandbox listening on ${running.url}`]);
      expect((await fetch(`${running.url}/_sandbox/stats`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
