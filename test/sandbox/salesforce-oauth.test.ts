/**
 * Salesforce sandbox, issue 3: the OAuth 2.0 web-server flow on the login host — consent page (Allow/Deny), client
 * and redirect checks, PKCE S256, single-use expiring codes, Salesforce's token response (no expires_in,
 * instance_url, id, issued_at, signature), refresh with and without rotation, revoke, identity URL and userinfo.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, pkceChallengeS256, startSandbox, type RunningSandbox } from '../../sandbox/common/index.js';
import { salesforceSandbox } from '../../sandbox/salesforce/index.js';
import { decideOnConsentPage } from '../helpers/consent.js';

const CLIENT_ID = 'sandbox-client-id';
const SECRET = 'sandbox-client-secret';
const REDIRECT = 'http://127.0.0.1:9/callback';
const VERIFIER = 'a'.repeat(43) + 'Salesforce-PKCE';

let s: RunningSandbox;
const clock = new ManualClock(Date.now());
beforeAll(async () => {
  s = await startSandbox(salesforceSandbox, { records: { accounts: 3, contacts: 5, leads: 1, deals: 1, activities: 2 }, clock });
});
afterAll(() => s.close());

function authorizeUrl(params: Record<string, string> = {}): string {
  const q = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT, state: 'st-1', scope: 'api id refresh_token', ...params });
  return `${s.url}/services/oauth2/authorize?${q}`;
}

async function code(params: Record<string, string> = {}): Promise<string> {
  const back = await decideOnConsentPage(authorizeUrl(params), 'allow');
  expect(back.searchParams.get('state')).toBe('st-1');
  return back.searchParams.get('code')!;
}

async function token(form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams(form), headers });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const exchange = (c: string, extra: Record<string, string> = {}) =>
  token({ grant_type: 'authorization_code', code: c, client_id: CLIENT_ID, client_secret: SECRET, redirect_uri: REDIRECT, ...extra });

const data = (accessToken: string) =>
  fetch(`${s.url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`, { headers: { authorization: `Bearer ${accessToken}` } });

describe('Salesforce sandbox: authorize endpoint', () => {
  it('serves a consent page with Allow and Deny that posts back to the authorize endpoint', async () => {
    const res = await fetch(authorizeUrl());
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('>Allow</button>');
    expect(html).toContain('>Deny</button>');
    expect(html).toContain(`action="${s.url}/services/oauth2/authorize"`);
  });

  it('redirects Deny back with error=access_denied and the state', async () => {
    const back = await decideOnConsentPage(authorizeUrl(), 'deny');
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('shows an error page, never a redirect, for an unknown client or a foreign redirect URI', async () => {
    for (const params of [{ client_id: 'nope' }, { redirect_uri: 'https://evil.example/cb' }] as Record<string, string>[]) {
      const res = await fetch(authorizeUrl(params), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toMatch(/<html/i);
    }
  });

  it('redirects an unsupported response_type with an OAuth error', async () => {
    const res = await fetch(authorizeUrl({ response_type: 'token' }), { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('unsupported_response_type');
  });
});

describe('Salesforce sandbox: token endpoint', () => {
  it('exchanges a code (with PKCE S256) for Salesforce\'s token response', async () => {
    const c = await code({ code_challenge: pkceChallengeS256(VERIFIER), code_challenge_method: 'S256' });
    const { status, body } = await exchange(c, { code_verifier: VERIFIER });
    expect(status).toBe(200);
    expect(body).not.toHaveProperty('expires_in');
    expect(body.token_type).toBe('Bearer');
    expect(body.instance_url).toBe(s.url);
    expect(body.id).toMatch(new RegExp(`^${s.url}/id/00D[0-9A-Za-z]{15}/005[0-9A-Za-z]{15}$`));
    expect(body.issued_at).toMatch(/^\d{13}$/);
    expect(body.scope).toBe('api id refresh_token');
    expect(body.access_token).toMatch(/^00D[0-9A-Za-z]{12}!/);
    expect(body.refresh_token).toMatch(/^5Aep861/);
    const expected = createHmac('sha256', SECRET).update(body.id! + body.issued_at!).digest('base64');
    expect(body.signature).toBe(expected);
    expect((await data(body.access_token!)).status).toBe(200);
  });

  it('rejects a wrong or missing code_verifier', async () => {
    const c = await code({ code_challenge: pkceChallengeS256(VERIFIER), code_challenge_method: 'S256' });
    expect(await exchange(c, { code_verifier: 'b'.repeat(50) })).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid code verifier' } });
    const c2 = await code({ code_challenge: pkceChallengeS256(VERIFIER), code_challenge_method: 'S256' });
    expect((await exchange(c2)).body.error_description).toBe('invalid code verifier');
  });

  it('accepts a code once only', async () => {
    const c = await code();
    expect((await exchange(c)).status).toBe(200);
    expect(await exchange(c)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid authorization code' } });
  });

  it('expires codes after 15 minutes', async () => {
    const c = await code();
    clock.advance(15 * 60_000 + 1);
    expect(await exchange(c)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'expired authorization code' } });
  });

  it('checks the client and the redirect URI at the exchange', async () => {
    expect((await exchange(await code(), { client_secret: 'wrong' })).body).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
    expect((await exchange(await code(), { client_id: 'other' })).body).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    expect((await exchange(await code(), { redirect_uri: 'http://127.0.0.1:9/other' })).body).toEqual({ error: 'redirect_uri_mismatch', error_description: 'redirect_uri must match configuration' });
    expect((await token({ grant_type: 'password', client_id: CLIENT_ID })).body.error).toBe('unsupported_grant_type');
  });

  it('accepts client credentials in HTTP Basic', async () => {
    const c = await code();
    const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`;
    const { status } = await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT }, { authorization: basic });
    expect(status).toBe(200);
  });

  it('issues no refresh token without the refresh_token scope', async () => {
    const { body } = await exchange(await code({ scope: 'api id' }));
    expect(body.access_token).toBeTruthy();
    expect(body).not.toHaveProperty('refresh_token');
  });

  it('refreshes without rotation by default: no new refresh token, the old one keeps working', async () => {
    const first = (await exchange(await code())).body;
    const refresh = () => token({ grant_type: 'refresh_token', refresh_token: first.refresh_token!, client_id: CLIENT_ID, client_secret: SECRET });
    const a = await refresh();
    expect(a.status).toBe(200);
    expect(a.body).not.toHaveProperty('refresh_token');
    expect(a.body.instance_url).toBe(s.url);
    expect(a.body.access_token).not.toBe(first.access_token);
    expect((await refresh()).status).toBe(200);
  });

  it('rotates refresh tokens when switched on: the old one is refused', async () => {
    await fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rotateRefreshTokens: true }) });
    try {
      const first = (await exchange(await code())).body;
      const use = (rt: string) => token({ grant_type: 'refresh_token', refresh_token: rt, client_id: CLIENT_ID, client_secret: SECRET });
      const a = await use(first.refresh_token!);
      expect(a.status).toBe(200);
      expect(a.body.refresh_token).toMatch(/^5Aep861/);
      expect(a.body.refresh_token).not.toBe(first.refresh_token);
      expect(await use(first.refresh_token!)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } });
      expect((await use(a.body.refresh_token!)).status).toBe(200);
    } finally {
      await fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rotateRefreshTokens: false }) });
    }
  });
});

describe('Salesforce sandbox: revoke, identity', () => {
  it('revokes a refresh token with its access tokens; an unknown token is a 400', async () => {
    const t = (await exchange(await code())).body;
    expect((await data(t.access_token!)).status).toBe(200);
    const res = await fetch(`${s.url}/services/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: t.refresh_token! }) });
    expect(res.status).toBe(200);
    const after = await data(t.access_token!);
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const refresh = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token!, client_id: CLIENT_ID, client_secret: SECRET });
    expect(refresh.body.error).toBe('invalid_grant');
    const again = await fetch(`${s.url}/services/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: 'nope' }) });
    expect(again.status).toBe(400);
  });

  it('answers the identity URL and userinfo for a live token, 403 Bad_OAuth_Token for a dead one', async () => {
    const t = (await exchange(await code())).body;
    const id = await fetch(t.id!, { headers: { authorization: `Bearer ${t.access_token}` } });
    const who = (await id.json()) as Record<string, unknown>;
    expect(who).toMatchObject({ id: t.id, user_id: t.id!.split('/').at(-1), organization_id: t.id!.split('/').at(-2), active: true });
    expect(who.username).toMatch(/@/);
    expect((who.urls as Record<string, string>).rest).toBe(`${s.url}/services/data/v{version}/`);
    const ui = await fetch(`${s.url}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(await ui.json()).toMatchObject({ sub: t.id, user_id: who.user_id, organization_id: who.organization_id });
    await fetch(`${s.url}/_sandbox/tokens/expire`, { method: 'POST' });
    const dead = await fetch(t.id!, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(dead.status).toBe(403);
    expect(await dead.text()).toBe('Bad_OAuth_Token');
  });

  it('refuses the identity URL to a token without an identity scope', async () => {
    const t = (await exchange(await code({ scope: 'api refresh_token' }))).body;
    const res = await fetch(t.id!, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(res.status).toBe(403);
  });
});
