/**
 * Zoho sandbox, issue 3 — Zoho Accounts OAuth and authentication errors: consent page (Allow/Deny), bad client
 * and redirect URI, code exchange through query string, form and multipart, PKCE, single-use and expiring codes,
 * HTTP-200 token errors, refresh without rotation, the refresh limit, revoke, identity, and the 401 bodies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, pkceChallengeS256, startSandbox, type RunningSandbox } from '../../sandbox/common/index.js';
import { zohoSandbox } from '../../sandbox/zoho/index.js';
import { decideOnConsentPage } from '../helpers/consent.js';

const CLIENT_ID = 'sandbox-client-id';
const SECRET = 'sandbox-client-secret';
const REDIRECT = 'http://127.0.0.1:9/zoho/callback';
const SCOPE = 'ZohoCRM.modules.contacts.READ,ZohoCRM.users.READ,ZohoCRM.org.READ';

let s: RunningSandbox;
const clock = new ManualClock(Date.UTC(2025, 5, 1, 12));

function authorizeUrl(extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ scope: SCOPE, client_id: CLIENT_ID, response_type: 'code', access_type: 'offline', redirect_uri: REDIRECT, state: 'st-1', prompt: 'consent', ...extra });
  return `${s.url}/oauth/v2/auth?${q}`;
}

async function code(extra: Record<string, string> = {}): Promise<string> {
  const back = await decideOnConsentPage(authorizeUrl(extra), 'allow');
  return back.searchParams.get('code') as string;
}

async function token(params: Record<string, string>, how: 'query' | 'form' | 'multipart' = 'query'): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  if (how === 'query') res = await fetch(`${s.url}/oauth/v2/token?${new URLSearchParams(params)}`, { method: 'POST' });
  else if (how === 'form') res = await fetch(`${s.url}/oauth/v2/token`, { method: 'POST', body: new URLSearchParams(params) });
  else {
    const fd = new FormData();
    for (const [k, v] of Object.entries(params)) fd.append(k, v);
    res = await fetch(`${s.url}/oauth/v2/token`, { method: 'POST', body: fd });
  }
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const exchange = (c: string, more: Record<string, string> = {}, how: 'query' | 'form' | 'multipart' = 'query') =>
  token({ grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: SECRET, redirect_uri: REDIRECT, code: c, ...more }, how);
const refresh = (rt: string, more: Record<string, string> = {}) => token({ grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: SECRET, refresh_token: rt, ...more });
const api = (path: string, accessToken?: string) =>
  fetch(s.url + path, { headers: accessToken === undefined ? {} : { authorization: `Zoho-oauthtoken ${accessToken}` } });

beforeAll(async () => {
  s = await startSandbox(zohoSandbox, { clock, records: { accounts: 3, contacts: 5, leads: 0, deals: 0, activities: 0 } }, { port: 0 });
});
afterAll(() => s.close());

describe('Zoho sandbox: authorize and consent', () => {
  it('serves the consent page with the comma-separated scopes, and Allow returns code, state, location and accounts-server', async () => {
    const page = await fetch(authorizeUrl());
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Zoho CRM sandbox — authorize');
    expect(html).toContain('<code>ZohoCRM.modules.contacts.READ</code>');
    expect(html).toContain('>Allow</button>');
    expect(html).toContain('>Deny</button>');
    const back = await decideOnConsentPage(authorizeUrl(), 'allow');
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('code')).toMatch(/^1000\./);
    expect(back.searchParams.get('location')).toBe('us');
    expect(back.searchParams.get('accounts-server')).toBe(s.url);
  });

  it('Deny redirects with error=access_denied and the state', async () => {
    const back = await decideOnConsentPage(authorizeUrl(), 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('shows an error page (no redirect) for an unknown client or a redirect URI that is not allowed', async () => {
    const badClient = await fetch(authorizeUrl({ client_id: 'nope' }), { redirect: 'manual' });
    expect(badClient.status).toBe(400);
    expect(await badClient.text()).toContain('authorization failed');
    const badRedirect = await fetch(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }), { redirect: 'manual' });
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.headers.get('location')).toBeNull();
  });

  it('redirects with invalid_scope when no scope is asked for', async () => {
    const q = new URLSearchParams({ client_id: CLIENT_ID, response_type: 'code', redirect_uri: REDIRECT, state: 's' });
    const res = await fetch(`${s.url}/oauth/v2/auth?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location') as string).searchParams.get('error')).toBe('invalid_scope');
  });
});

describe('Zoho sandbox: token endpoint', () => {
  it('exchanges a code sent in the query string, a form body or multipart, with Zoho\'s response fields', async () => {
    for (const how of ['query', 'form', 'multipart'] as const) {
      const r = await exchange(await code(), {}, how);
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual(['access_token', 'api_domain', 'expires_in', 'refresh_token', 'scope', 'token_type']);
      expect(r.body).toMatchObject({ api_domain: s.url, token_type: 'Bearer', expires_in: 3600 });
      expect(r.body.scope).toBe(SCOPE.split(',').join(' '));
    }
  });

  it('codes are single use and expire after 2 minutes; errors come back with HTTP 200', async () => {
    const c = await code();
    expect((await exchange(c)).status).toBe(200);
    expect(await exchange(c)).toEqual({ status: 200, body: { error: 'invalid_code' } });
    const late = await code();
    clock.advance(121_000);
    expect(await exchange(late)).toEqual({ status: 200, body: { error: 'invalid_code' } });
    expect((await exchange('1000.not-a-code')).body).toEqual({ error: 'invalid_code' });
  });

  it('names a bad client, secret and redirect URI the way Zoho does', async () => {
    expect((await exchange(await code(), { client_id: 'unknown' })).body).toEqual({ error: 'invalid_client' });
    expect((await exchange(await code(), { client_secret: 'wrong' })).body).toEqual({ error: 'invalid_client_secret' });
    expect((await exchange(await code(), { redirect_uri: 'http://127.0.0.1:9/other' })).body).toEqual({ error: 'invalid_redirect_uri' });
    expect((await token({ grant_type: 'password', client_id: CLIENT_ID })).body).toEqual({ error: 'unsupported_grant_type' });
  });

  it('checks PKCE: S256 verifier required and matched', async () => {
    const verifier = 'a-verifier-that-is-long-enough-0123456789-abcdefghijklmnop';
    const pkce = { code_challenge: pkceChallengeS256(verifier), code_challenge_method: 'S256' };
    expect((await exchange(await code(pkce))).body).toEqual({ error: 'invalid_code' });
    expect((await exchange(await code(pkce), { code_verifier: 'x'.repeat(50) })).body).toEqual({ error: 'invalid_code' });
    const ok = await exchange(await code(pkce), { code_verifier: verifier });
    expect(typeof ok.body.access_token).toBe('string');
  });

  it('refreshes without rotation: no refresh_token in the response, the old one keeps working', async () => {
    const first = (await exchange(await code())).body;
    const rt = first.refresh_token as string;
    const r1 = await refresh(rt);
    expect(Object.keys(r1.body).sort()).toEqual(['access_token', 'api_domain', 'expires_in', 'scope', 'token_type']);
    expect(r1.body.access_token).not.toBe(first.access_token);
    const r2 = await refresh(rt);
    expect(typeof r2.body.access_token).toBe('string');
    expect((await api('/crm/v8/users?type=CurrentUser', first.access_token as string)).status).toBe(200);
    expect((await refresh('1000.unknown')).body).toEqual({ error: 'invalid_code' });
    expect((await refresh(rt, { client_secret: 'bad' })).body).toEqual({ error: 'invalid_client_secret' });
  });

  it('allows at most 10 access tokens per refresh token per 10 minutes', async () => {
    const rt = (await exchange(await code())).body.refresh_token as string;
    for (let k = 0; k < 10; k++) expect(typeof (await refresh(rt)).body.access_token).toBe('string');
    const denied = await refresh(rt);
    expect(denied.status).toBe(400);
    expect(denied.body).toMatchObject({ error: 'Access Denied', status: 'failure' });
    clock.advance(600_001);
    expect(typeof (await refresh(rt)).body.access_token).toBe('string');
  });

  it('issues a refresh token for access_type=offline only the first time unless prompt=consent, never for online', async () => {
    const noPrompt = { prompt: '' };
    const online = await exchange(await code({ access_type: 'online' }));
    expect(online.body.refresh_token).toBeUndefined();
    // The sandbox user has consented with prompt=consent before: without it, no new refresh token.
    const again = await exchange(await code(noPrompt));
    expect(again.body.refresh_token).toBeUndefined();
    expect(typeof again.body.access_token).toBe('string');
    expect(typeof (await exchange(await code())).body.refresh_token).toBe('string');
  });

  it('revokes a refresh token and every access token issued from it', async () => {
    const t = (await exchange(await code())).body;
    const res = await fetch(`${s.url}/oauth/v2/token/revoke?token=${encodeURIComponent(t.refresh_token as string)}`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'success' });
    expect((await refresh(t.refresh_token as string)).body).toEqual({ error: 'invalid_code' });
    const denied = await api('/crm/v8/users?type=CurrentUser', t.access_token as string);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({ code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
  });
});

describe('Zoho sandbox: authentication and identity', () => {
  it('answers the identity calls: current user and org', async () => {
    const t = (await exchange(await code())).body.access_token as string;
    const users = (await (await api('/crm/v8/users?type=CurrentUser', t)).json()) as { users: { id: string; email: string }[] };
    expect(users.users).toHaveLength(1);
    expect(users.users[0]?.id).toMatch(/^\d{19}$/);
    const org = (await (await api('/crm/v8/org', t)).json()) as { org: { id: string; type: string; time_zone: string }[] };
    expect(org.org[0]).toMatchObject({ type: 'production', time_zone: 'Asia/Kolkata' });
    expect(org.org[0]?.id).toMatch(/^\d{19}$/);
  });

  it('401s: no header → AUTHENTICATION_FAILURE, bad or expired token → INVALID_TOKEN, missing scope → OAUTH_SCOPE_MISMATCH', async () => {
    const t = (await exchange(await code())).body.access_token as string;
    expect(await (await api('/crm/v8/Contacts?fields=Last_Name')).json()).toEqual({ code: 'AUTHENTICATION_FAILURE', details: {}, message: 'Authentication failed', status: 'error' });
    const bad = await api('/crm/v8/Contacts?fields=Last_Name', '1000.bad');
    expect(bad.status).toBe(401);
    expect((await bad.json()).code).toBe('INVALID_TOKEN');
    const bearer = await fetch(`${s.url}/crm/v8/Contacts?fields=Last_Name`, { headers: { authorization: `Bearer ${t}` } });
    expect(bearer.status).toBe(401);
    const scope = await api('/crm/v8/Deals?fields=Deal_Name', t);
    expect(scope.status).toBe(401);
    expect(await scope.json()).toEqual({ code: 'OAUTH_SCOPE_MISMATCH', details: {}, message: 'invalid oauth scope to access this URL', status: 'error' });
    expect((await api('/crm/v8/Contacts?fields=Last_Name', t)).status).toBe(200);
    const expired = await (await fetch(`${s.url}/_sandbox/tokens/expire`, { method: 'POST' })).json();
    expect((expired as { expired: number }).expired).toBeGreaterThan(0);
    const after = await api('/crm/v8/Contacts?fields=Last_Name', t);
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
  });

  it('an access token lives 3600 s', async () => {
    const t = (await exchange(await code())).body.access_token as string;
    clock.advance(3_599_000);
    expect((await api('/crm/v8/Contacts?fields=Last_Name', t)).status).toBe(200);
    clock.advance(1_000);
    expect((await api('/crm/v8/Contacts?fields=Last_Name', t)).status).toBe(401);
  });
});
