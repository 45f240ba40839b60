/**
 * The HubSpot sandbox against the issue-3 contract: OAuth (consent, Deny, bad client/redirect, PKCE, single-use and
 * expiring codes, refresh without rotation, both revokes, token info), counts equal listings, paging at the caps,
 * the caps' errors, archived records, batch read, search, associations, properties, exports end to end, rate
 * limits with HubSpot's headers and bodies, token expiry, scopes, reproducible faults and stats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, pkceChallengeS256, startSandbox, type RunningSandbox } from '../../sandbox/common/index.js';
import { hubspotSandbox } from '../../sandbox/hubspot/index.js';
import type { HubSpotState } from '../../sandbox/hubspot/state.js';
import { decideOnConsentPage } from '../helpers/consent.js';

const CLIENT = { id: 'sandbox-client-id', secret: 'sandbox-client-secret' };
const REDIRECT = 'http://127.0.0.1:5555/callback';
const ALL_SCOPES = 'oauth crm.objects.contacts.read crm.objects.companies.read crm.objects.deals.read crm.objects.leads.read crm.objects.owners.read crm.export';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function authorizeUrl(base: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ client_id: CLIENT.id, redirect_uri: REDIRECT, scope: ALL_SCOPES, state: 'st-1', ...extra });
  return `${base}/oauth/authorize?${q}`;
}

async function form(url: string, body: Record<string, string>): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, { method: 'POST', body: new URLSearchParams(body) });
  return { status: res.status, body: (await res.json()) as Json };
}

async function token(base: string, scope = ALL_SCOPES, version = 'v3'): Promise<Json> {
  const verifier = 'x'.repeat(50);
  const back = await decideOnConsentPage(authorizeUrl(base, { scope, code_challenge: pkceChallengeS256(verifier), code_challenge_method: 'S256' }), 'allow');
  const r = await form(`${base}/oauth/${version}/token`, {
    grant_type: 'authorization_code', code: back.searchParams.get('code')!, client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uri: REDIRECT, code_verifier: verifier,
  });
  expect(r.status).toBe(200);
  return r.body;
}

async function api(s: RunningSandbox, access: string, path: string, init: { method?: string; json?: unknown } = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${s.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${access}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

async function listAll(s: RunningSandbox, access: string, object: string, limit: number, extra = ''): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const r = await api(s, access, `/crm/v3/objects/${object}?limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}${extra}`);
    expect(r.status).toBe(200);
    ids.push(...(r.body.results as Json[]).map((x) => x.id as string));
    after = r.body.paging?.next?.after;
    if (!after) return ids;
  }
  throw new Error('paging did not end');
}

describe('HubSpot sandbox: OAuth', { timeout: 30_000 }, () => {
  let s: RunningSandbox;
  const clock = new ManualClock(Date.now());
  beforeAll(async () => {
    s = await startSandbox(hubspotSandbox, { records: { contacts: 20, accounts: 5, deals: 5, leads: 5, activities: 20 }, clock }, { port: 0 });
  });
  afterAll(() => s.close());

  it('serves a consent page and redirects back with code and state on Allow (also via /oauth/{portalId}/authorize)', async () => {
    const back = await decideOnConsentPage(authorizeUrl(s.url), 'allow');
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('code')).toBeTruthy();
    const pinned = await decideOnConsentPage(authorizeUrl(s.url).replace('/oauth/authorize', '/oauth/48151623/authorize'), 'allow');
    expect(pinned.searchParams.get('code')).toBeTruthy();
  });

  it('redirects with error=access_denied on Deny', async () => {
    const back = await decideOnConsentPage(authorizeUrl(s.url), 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('shows an error page (no redirect) for an unknown client or a foreign redirect URI', async () => {
    for (const extra of [{ client_id: 'nope' }, { redirect_uri: 'https://evil.example/cb' }] as Record<string, string>[]) {
      const res = await fetch(authorizeUrl(s.url, extra), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('authorization failed');
    }
  });

  it('issues HubSpot token responses on v1 and v3, with PKCE bound to the code', async () => {
    const v3 = await token(s.url);
    expect(v3).toMatchObject({ token_type: 'bearer', expires_in: 1800, hub_id: 48151623 });
    expect(typeof v3.access_token).toBe('string');
    expect(typeof v3.refresh_token).toBe('string');
    const v1 = await token(s.url, ALL_SCOPES, 'v1');
    expect(Object.keys(v1).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
  });

  it('rejects a PKCE mismatch, a missing verifier, a reused code, an expired code, a bad secret and a wrong redirect URI', async () => {
    const verifier = 'y'.repeat(50);
    const code = async () =>
      (await decideOnConsentPage(authorizeUrl(s.url, { code_challenge: pkceChallengeS256(verifier), code_challenge_method: 'S256' }))).searchParams.get('code')!;
    const base = { grant_type: 'authorization_code', client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uri: REDIRECT };
    const mismatch = await form(`${s.url}/oauth/v3/token`, { ...base, code: await code(), code_verifier: 'z'.repeat(50) });
    expect(mismatch).toMatchObject({ status: 400, body: { status: 'BAD_AUTH_CODE', error: 'invalid_grant' } });
    const missing = await form(`${s.url}/oauth/v1/token`, { ...base, code: await code() });
    expect(missing).toMatchObject({ status: 400, body: { status: 'BAD_AUTH_CODE' } });
    expect(missing.body.error).toBeUndefined(); // the legacy endpoint has no RFC 6749 fields

    const once = await code();
    expect((await form(`${s.url}/oauth/v3/token`, { ...base, code: once, code_verifier: verifier })).status).toBe(200);
    expect(await form(`${s.url}/oauth/v3/token`, { ...base, code: once, code_verifier: verifier })).toMatchObject({ status: 400, body: { status: 'BAD_AUTH_CODE' } });

    const late = await code();
    clock.advance(10 * 60_000 + 1);
    expect(await form(`${s.url}/oauth/v3/token`, { ...base, code: late, code_verifier: verifier })).toMatchObject({ status: 400, body: { status: 'BAD_AUTH_CODE' } });

    expect(await form(`${s.url}/oauth/v3/token`, { ...base, code: await code(), code_verifier: verifier, client_secret: 'wrong' })).toMatchObject({ status: 400, body: { status: 'BAD_CLIENT_SECRET', error: 'invalid_client' } });
    expect(await form(`${s.url}/oauth/v3/token`, { ...base, code: await code(), code_verifier: verifier, client_id: 'nope' })).toMatchObject({ status: 400, body: { status: 'BAD_CLIENT_ID' } });
    expect(await form(`${s.url}/oauth/v3/token`, { ...base, code: await code(), code_verifier: verifier, redirect_uri: 'http://127.0.0.1:1/other' })).toMatchObject({ status: 400, body: { status: 'BAD_REDIRECT_URI' } });
  });

  it('refreshes without rotating: the same refresh token comes back and keeps working', async () => {
    const t = await token(s.url);
    const refresh = { grant_type: 'refresh_token', refresh_token: t.refresh_token as string, client_id: CLIENT.id, client_secret: CLIENT.secret };
    const a = await form(`${s.url}/oauth/v3/token`, refresh);
    const b = await form(`${s.url}/oauth/v1/token`, refresh);
    expect(a.status).toBe(200);
    expect(a.body.refresh_token).toBe(t.refresh_token);
    expect(b.body.refresh_token).toBe(t.refresh_token);
    expect(a.body.access_token).not.toBe(t.access_token);
    expect((await api(s, a.body.access_token as string, '/crm/v3/objects/contacts?limit=1')).status).toBe(200);
    expect(await form(`${s.url}/oauth/v1/token`, { ...refresh, refresh_token: 'bogus' })).toMatchObject({ status: 400, body: { status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' } });
  });

  it('answers the access-token info call (identity) and 401 once the token expired', async () => {
    const t = await token(s.url);
    const res = await fetch(`${s.url}/oauth/v1/access-tokens/${t.access_token}`);
    expect(await res.json()).toMatchObject({ hub_id: 48151623, user_id: 2620142, token_type: 'access', expires_in: 1800, app_id: expect.any(Number) });
    clock.advance(1800_000 + 3 * 60_000);
    const expired = await api(s, t.access_token as string, '/crm/v3/objects/contacts');
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION', message: 'The OAuth token used to make this call expired 3 minute(s) ago.' });
    expect((await fetch(`${s.url}/oauth/v1/access-tokens/nope`)).status).toBe(404);
  });

  it('legacy DELETE revokes only the refresh token; the 2026-03 revoke kills the grant', async () => {
    const t = await token(s.url);
    expect((await fetch(`${s.url}/oauth/v1/refresh-tokens/${t.refresh_token}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(s, t.access_token as string, '/crm/v3/objects/contacts?limit=1')).status).toBe(200);
    expect(await form(`${s.url}/oauth/v3/token`, { grant_type: 'refresh_token', refresh_token: t.refresh_token as string, client_id: CLIENT.id, client_secret: CLIENT.secret }))
      .toMatchObject({ status: 400, body: { status: 'BAD_REFRESH_TOKEN', error: 'invalid_grant' } });

    const u = await token(s.url);
    const r = await form(`${s.url}/oauth/2026-03/token/revoke`, { token: u.refresh_token as string, token_type_hint: 'refresh_token', client_id: CLIENT.id, client_secret: CLIENT.secret });
    expect(r.status).toBe(200);
    const after = await api(s, u.access_token as string, '/crm/v3/objects/contacts?limit=1');
    expect(after).toMatchObject({ status: 401, body: { category: 'INVALID_AUTHENTICATION' } });
  });
});

describe('HubSpot sandbox: reading data', { timeout: 30_000 }, () => {
  let s: RunningSandbox;
  let access: string;
  const counts = { contacts: 250, accounts: 40, deals: 60, leads: 7, activities: 300 };
  beforeAll(async () => {
    s = await startSandbox(hubspotSandbox, { records: counts, rateLimits: 'off', extras: { exportBaseMs: '300', exportMsPer1k: '0' } }, { port: 0 });
    access = (await token(s.url)).access_token as string;
  });
  afterAll(() => s.close());

  it('counts (search total) equal what listing returns, every record once, for every object', async () => {
    let activities = 0;
    for (const object of ['contacts', 'companies', 'deals', 'leads', 'notes', 'tasks', 'calls', 'meetings', 'emails']) {
      const total = (await api(s, access, `/crm/v3/objects/${object}/search`, { method: 'POST', json: { limit: 1 } })).body.total as number;
      const ids = await listAll(s, access, object, 100);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(total);
      if (['notes', 'tasks', 'calls', 'meetings', 'emails'].includes(object)) activities += total;
    }
    expect(activities).toBe(counts.activities);
  });

  it('pages at sizes 0, 1, the cap (100) and one past it, with the default limit of 10', async () => {
    for (const n of [0, 1, 100, 101]) {
      const t = await startSandbox(hubspotSandbox, { records: { ...counts, contacts: n }, rateLimits: 'off' }, { port: 0 });
      try {
        const tok = (await token(t.url)).access_token as string;
        const ids = await listAll(t, tok, 'contacts', 100);
        expect(ids).toEqual(Array.from({ length: n }, (_, i) => String(i + 1)));
        const first = await api(t, tok, '/crm/v3/objects/contacts');
        expect(first.body.results).toHaveLength(Math.min(10, n));
        expect(Boolean(first.body.paging)).toBe(n > 10);
      } finally {
        await t.close();
      }
    }
  });

  it('uses opaque base64 cursors and rejects limits past the caps with VALIDATION_ERROR', async () => {
    const page = await api(s, access, '/crm/v3/objects/contacts?limit=100');
    expect(page.body.paging.next.after).toBe(Buffer.from('101\n').toString('base64'));
    expect(page.body.paging.next.link).toContain(`${s.url}/crm/v3/objects/contacts?`);
    expect(await api(s, access, '/crm/v3/objects/contacts?limit=101')).toMatchObject({ status: 400, body: { status: 'error', category: 'VALIDATION_ERROR' } });
    expect(await api(s, access, '/crm/v3/objects/contacts?after=42')).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR' } });
    expect(await api(s, access, '/crm/v3/objects/contacts/search', { method: 'POST', json: { limit: 201 } })).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR' } });
    expect(await api(s, access, '/crm/v3/objects/contacts/search', { method: 'POST', json: { limit: 200, after: '10000' } })).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR' } });
    expect((await api(s, access, '/crm/v3/objects/contacts/search', { method: 'POST', json: { limit: 200, after: '200' } })).body.results).toHaveLength(50);
    expect(await api(s, access, '/crm/v3/objects/widgets')).toMatchObject({ status: 400, body: { message: 'Unable to infer object type from: widgets' } });
  });

  it('renders records the HubSpot way: string properties, ISO timestamps, associations with the unlabeled twin', async () => {
    const r = await api(s, access, '/crm/v3/objects/contacts/1?properties=firstname,email,customer_tier,nps_score,newsletter_opt_in,hubspot_owner_id&associations=companies');
    expect(r.body).toMatchObject({ id: '1', archived: false, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    for (const v of Object.values(r.body.properties as Json)) expect(v === null || typeof v === 'string').toBe(true);
    expect(r.body.properties.newsletter_opt_in).toMatch(/^(true|false)$/);
    const types = (r.body.associations.companies.results as Json[]).map((a) => a.type);
    expect(types).toEqual(['contact_to_company', 'contact_to_company_unlabeled']);
    const deflt = await api(s, access, '/crm/v3/objects/contacts/2');
    expect(Object.keys(deflt.body.properties as Json).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
  });

  it('serves archived records only with archived=true, and 404 OBJECT_NOT_FOUND otherwise', async () => {
    const archived = await listAll(s, access, 'contacts', 100, '&archived=true');
    expect(archived.length).toBeGreaterThan(0);
    expect(Number(archived[0])).toBe(counts.contacts + 1);
    const one = await api(s, access, `/crm/v3/objects/contacts/${archived[0]}?archived=true`);
    expect(one.body).toMatchObject({ archived: true, archivedAt: expect.any(String) });
    expect(await api(s, access, `/crm/v3/objects/contacts/${archived[0]}`)).toMatchObject({ status: 404, body: { category: 'OBJECT_NOT_FOUND' } });
    expect(await api(s, access, '/crm/v3/objects/contacts/999999')).toMatchObject({ status: 404, body: { category: 'OBJECT_NOT_FOUND' } });
  });

  it('batch-reads up to 100 ids, 207 with errors for missing ones, 400 past the cap', async () => {
    const ok = await api(s, access, '/crm/v3/objects/deals/batch/read', { method: 'POST', json: { inputs: [{ id: '1' }, { id: '2' }], properties: ['dealname'] } });
    expect(ok).toMatchObject({ status: 200, body: { status: 'COMPLETE' } });
    expect(ok.body.results).toHaveLength(2);
    const partial = await api(s, access, '/crm/v3/objects/deals/batch/read', { method: 'POST', json: { inputs: [{ id: '1' }, { id: '99999' }] } });
    expect(partial).toMatchObject({ status: 207, body: { numErrors: 1, errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['99999'] } }] } });
    const many = Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1) }));
    expect((await api(s, access, '/crm/v3/objects/deals/batch/read', { method: 'POST', json: { inputs: many } })).status).toBe(400);
  });

  it('searches with lastmodifieddate windows (GTE/LTE) and sorts', async () => {
    const all = await api(s, access, '/crm/v3/objects/contacts/search', { method: 'POST', json: { limit: 200, properties: ['lastmodifieddate'], sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }] } });
    const stamps = (all.body.results as Json[]).map((r) => Date.parse(r.properties.lastmodifieddate as string));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    const mid = stamps[100]!;
    const since = await api(s, access, '/crm/v3/objects/contacts/search', { method: 'POST', json: { limit: 1, filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(mid) }] }] } });
    const until = await api(s, access, '/crm/v3/objects/contacts/search', { method: 'POST', json: { limit: 1, filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'LT', value: new Date(mid).toISOString() }] }] } });
    expect((since.body.total as number) + (until.body.total as number)).toBe(counts.contacts);
    expect(await api(s, access, '/crm/v3/objects/contacts/search', { method: 'POST', json: { filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: 'x' }] }] } })).toMatchObject({ status: 400 });
  });

  it('lists properties with the custom ones (no hubspotDefined), owners and v4 associations', async () => {
    const props = (await api(s, access, '/crm/v3/properties/companies')).body.results as Json[];
    const custom = props.filter((p) => p.hubspotDefined !== true).map((p) => p.name);
    expect(custom.sort()).toEqual(['customer_tier', 'nps_score', 'renewal_date', 'sla']);
    expect(props.find((p) => p.name === 'customer_tier')!.options.map((o: Json) => o.value)).toEqual(['Bronze', 'Silver', 'Gold', 'Platinum']);
    const owners = (await api(s, access, '/crm/v3/owners')).body.results as Json[];
    expect(owners.length).toBeGreaterThan(0);
    const contact = (await api(s, access, '/crm/v3/objects/contacts/1?associations=companies')).body;
    const v4 = await api(s, access, '/crm/v4/associations/contacts/companies/batch/read', { method: 'POST', json: { inputs: [{ id: '1' }] } });
    expect(v4.body.results[0].to[0].toObjectId).toBe(Number(contact.associations.companies.results[0].id));
    expect(v4.body.results[0].to[0].associationTypes.map((t: Json) => t.typeId)).toEqual([1, 279]);
  });

  it('runs an export end to end: 202, PENDING/PROCESSING → COMPLETE, pre-signed CSV with every live record', async () => {
    const start = await api(s, access, '/crm/v3/exports/export/async', {
      method: 'POST',
      json: { exportType: 'VIEW', format: 'CSV', exportName: 'all contacts', objectType: 'CONTACT', objectProperties: ['firstname', 'email', 'description'].slice(0, 2), associatedObjectType: ['COMPANY'], exportInternalValuesOptions: ['NAMES', 'VALUES'] },
    });
    expect(start.status).toBe(202);
    const statusPath = `/crm/v3/exports/export/async/tasks/${start.body.id}/status`;
    expect(['PENDING', 'PROCESSING']).toContain((await api(s, access, statusPath)).body.status);
    let st: Json = {};
    for (let i = 0; i < 50 && st.status !== 'COMPLETE'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      st = (await api(s, access, statusPath)).body;
    }
    expect(st).toMatchObject({ status: 'COMPLETE', result: expect.stringContaining('Signature='), completedAt: expect.any(String) });
    const csv = await (await fetch(st.result as string)).text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('hs_object_id,firstname,email,Associated Company IDs');
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0])).size).toBe(counts.contacts);
    expect((await fetch((st.result as string).replace(/Signature=[0-9a-f]+/, 'Signature=00'))).status).toBe(403);
    expect((await api(s, access, '/crm/v3/exports/export/async', { method: 'POST', json: { exportType: 'VIEW', format: 'CSV', exportName: 'x', objectType: 'CONTACT', objectProperties: ['nope'] } })).status).toBe(400);
    expect((await api(s, access, '/crm/v3/exports/export/async/tasks/1/status')).status).toBe(404);
  });

  it('reports a CANCELED export when configured to fail', async () => {
    (s.instance.ctx.state as HubSpotState).exportOutcome = 'canceled';
    try {
      const start = await api(s, access, '/crm/v3/exports/export/async', { method: 'POST', json: { exportType: 'VIEW', format: 'CSV', exportName: 'x', objectType: '0-3', objectProperties: ['dealname'] } });
      await new Promise((r) => setTimeout(r, 700));
      expect((await api(s, access, `/crm/v3/exports/export/async/tasks/${start.body.id}/status`)).body).toMatchObject({ status: 'CANCELED' });
    } finally {
      (s.instance.ctx.state as HubSpotState).exportOutcome = 'complete';
    }
  });

  it('demands the scope of each object: 403 MISSING_SCOPES', async () => {
    const narrow = (await token(s.url, 'oauth crm.objects.contacts.read')).access_token as string;
    expect((await api(s, narrow, '/crm/v3/objects/contacts?limit=1')).status).toBe(200);
    expect(await api(s, narrow, '/crm/v3/objects/deals?limit=1')).toMatchObject({ status: 403, body: { category: 'MISSING_SCOPES' } });
    expect((await api(s, narrow, '/crm/v3/exports/export/async', { method: 'POST', json: {} })).status).toBe(403);
  });
});

describe('HubSpot sandbox: limits, expiry, faults, stats', { timeout: 30_000 }, () => {
  let s: RunningSandbox;
  let access: string;
  beforeAll(async () => {
    s = await startSandbox(hubspotSandbox, { records: { contacts: 50, accounts: 5, deals: 5, leads: 5, activities: 5 } }, { port: 0 });
    access = (await token(s.url)).access_token as string;
  });
  afterAll(() => s.close());
  const config = (body: unknown) => fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('sends X-HubSpot-RateLimit-* headers and 429 TEN_SECONDLY_ROLLING past the burst window', async () => {
    await fetch(`${s.url}/_sandbox/reset`, { method: 'POST' });
    await config({ limits: { burst: { limit: 5, windowMs: 60_000 } } }); // long enough that a loaded machine cannot slide past it
    const seen: Array<{ status: number; remaining: string | null }> = [];
    for (let i = 0; i < 6; i++) {
      const r = await api(s, access, '/crm/v3/objects/contacts?limit=1');
      seen.push({ status: r.status, remaining: r.headers.get('x-hubspot-ratelimit-remaining') });
      if (i === 0) expect(r.headers.get('x-hubspot-ratelimit-max')).toBe('5');
      if (i === 0) expect(r.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('60000');
      if (r.status === 429) expect(r.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
    }
    expect(seen.map((x) => x.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(seen[4]!.remaining).toBe('0');
    await config({ limits: { burst: { limit: 190, windowMs: 10_000 } } });
  });

  it('limits search (5/s, stretched here to 5/min so timing cannot matter) with the SECONDLY body and no rate headers', async () => {
    await fetch(`${s.url}/_sandbox/reset`, { method: 'POST' });
    await config({ limits: { search: { limit: 5, windowMs: 60_000 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await api(s, access, '/crm/v3/objects/contacts/search', { method: 'POST', json: { limit: 1 } });
      statuses.push(r.status);
      expect(r.headers.get('x-hubspot-ratelimit-remaining')).toBeNull();
      if (r.status === 429) expect(r.body).toMatchObject({ policyName: 'SECONDLY', message: 'You have reached your secondly limit.' });
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    await config({ limits: { search: { limit: 5, windowMs: 1_000 } } });
  });

  it('answers 429 DAILY once the daily quota is used up', async () => {
    await fetch(`${s.url}/_sandbox/reset`, { method: 'POST' });
    await config({ limits: { daily: { limit: 3, windowMs: 60_000 } } });
    const statuses: number[] = [];
    let last: Json = {};
    for (let i = 0; i < 4; i++) {
      const r = await api(s, access, '/crm/v3/objects/contacts?limit=1');
      statuses.push(r.status);
      last = r.body;
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
    const stats = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as Json;
    expect(stats.rejected.byReason.quota).toBe(1);
    await config({ limits: { daily: { limit: 625_000, windowMs: 86_400_000 } } });
  });

  it('expires tokens on demand: 401 EXPIRED_AUTHENTICATION', async () => {
    const t = (await token(s.url)).access_token as string;
    expect((await (await fetch(`${s.url}/_sandbox/tokens/expire`, { method: 'POST' })).json())).toMatchObject({ expired: expect.any(Number) });
    const r = await api(s, t, '/crm/v3/objects/contacts');
    expect(r).toMatchObject({ status: 401, body: { category: 'EXPIRED_AUTHENTICATION', message: 'The OAuth token used to make this call expired 0 minute(s) ago.' } });
    access = (await token(s.url)).access_token as string;
  });

  it('injects the same faults for the same request sequence, in HubSpot shape', async () => {
    const run = async () => {
      await fetch(`${s.url}/_sandbox/reset`, { method: 'POST' });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await api(s, access, '/crm/v3/objects/contacts?limit=1');
        out.push(r.status);
        if (r.status === 500) expect(r.body).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR' });
        if (r.status === 429) expect(r.body).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING' });
      }
      return out;
    };
    await config({ faultRate: 0.5, faultWeights: { reset: 0, truncate: 0, slow: 0 } });
    const a = await run();
    const b = await run();
    await config({ faultRate: 0 });
    expect(a).toEqual(b);
    expect(a.some((x) => x !== 200)).toBe(true);
    expect(a.some((x) => x === 200)).toBe(true);
  });

  it('counts requests per endpoint in stats', async () => {
    await fetch(`${s.url}/_sandbox/reset`, { method: 'POST' });
    await api(s, access, '/crm/v3/objects/contacts?limit=1');
    await api(s, access, '/crm/v3/objects/contacts/search', { method: 'POST', json: { limit: 1 } });
    const stats = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as Json;
    expect(stats.crm).toBe('hubspot');
    expect(stats.requests.byEndpoint).toMatchObject({ 'GET /crm/v3/objects/:objectType': 1, 'POST /crm/v3/objects/:objectType/search': 1 });
    expect(stats.rateLimits.windows.map((w: Json) => w.policy).sort()).toEqual(['burst', 'daily', 'search']);
  });
});
