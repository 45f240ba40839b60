/**
 * The Pipedrive sandbox's OAuth against the issue-3 contract: consent page, Allow/Deny (`user_denied`), bad client or
 * redirect URI, HTTP Basic client auth, single-use 5-minute codes, refresh without rotation and its 60-day idle
 * expiry, revoke, the documented error messages, token expiry and the two 401 bodies, `/users/me`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, pkceChallengeS256, startSandbox, type RunningSandbox } from '../../sandbox/common/index.js';
import { pipedriveSandbox } from '../../sandbox/pipedrive/index.js';
import { decideOnConsentPage } from '../helpers/consent.js';

const CLIENT = { id: 'sandbox-client-id', secret: 'sandbox-client-secret' };
const REDIRECT = 'http://127.0.0.1:5555/callback';
const BASIC = `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const authorizeUrl = (base: string, extra: Record<string, string> = {}) =>
  `${base}/oauth/authorize?${new URLSearchParams({ client_id: CLIENT.id, redirect_uri: REDIRECT, state: 'st-1', ...extra })}`;

async function post(url: string, body: Record<string, string>, headers: Record<string, string> = { authorization: BASIC }): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, { method: 'POST', body: new URLSearchParams(body), headers });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

async function code(base: string, extra: Record<string, string> = {}): Promise<string> {
  const back = await decideOnConsentPage(authorizeUrl(base, extra), 'allow');
  expect(back.searchParams.get('state')).toBe('st-1');
  return back.searchParams.get('code')!;
}

async function tokens(base: string): Promise<Json> {
  const r = await post(`${base}/oauth/token`, { grant_type: 'authorization_code', code: await code(base), redirect_uri: REDIRECT });
  expect(r.status).toBe(200);
  return r.body;
}

async function me(base: string, auth: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}/api/v1/users/me`, { headers: { authorization: auth } });
  return { status: res.status, body: (await res.json()) as Json };
}

describe('Pipedrive sandbox OAuth', () => {
  let s: RunningSandbox;
  const clock = new ManualClock(Date.UTC(2025, 5, 2, 10));
  beforeAll(async () => {
    s = await startSandbox(pipedriveSandbox, { records: { accounts: 3, contacts: 3, leads: 1, deals: 1, activities: 1 }, clock }, { port: 0 });
  });
  afterAll(() => s.close());

  it('shows a consent page with the app scopes; Deny redirects with error=user_denied and the state', async () => {
    const page = await fetch(authorizeUrl(s.url));
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('>Allow</button>');
    expect(html).toContain('<code>contacts:read</code>');
    const back = await decideOnConsentPage(authorizeUrl(s.url), 'deny');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: 'user_denied', state: 'st-1' });
  });

  it('refuses an unknown client or a foreign redirect URI with an error page, never a redirect', async () => {
    for (const extra of [{ client_id: 'someone-else' }, { redirect_uri: 'https://evil.example/cb' }] as Record<string, string>[]) {
      const res = await fetch(authorizeUrl(s.url, extra), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('authorization failed');
    }
  });

  it('exchanges a code with HTTP Basic client auth for the documented token response', async () => {
    const t = await tokens(s.url);
    expect(t).toEqual({
      access_token: expect.stringMatching(/^v1u:/), token_type: 'Bearer', expires_in: 3600, refresh_token: expect.any(String),
      scope: 'base,deals:read,contacts:read,leads:read,activities:read,users:read', api_domain: s.url,
    });
    const r = await me(s.url, `Bearer ${t.access_token}`);
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ id: 23_000_001, company_id: 13_540_282, company_domain: 'sandbox-company', email: expect.stringContaining('@') });
  });

  it('accepts client credentials in the body too (documented, not recommended)', async () => {
    const r = await post(`${s.url}/oauth/token`, { grant_type: 'authorization_code', code: await code(s.url), redirect_uri: REDIRECT, client_id: CLIENT.id, client_secret: CLIENT.secret }, {});
    expect(r.status).toBe(200);
  });

  it('codes are single-use and live 5 minutes', async () => {
    const c = await code(s.url);
    expect((await post(`${s.url}/oauth/token`, { grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT })).status).toBe(200);
    expect(await post(`${s.url}/oauth/token`, { grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT })).toEqual({
      status: 400, body: { error: 'invalid_grant', error_description: 'Invalid grant: `authorization_code` is invalid' },
    });
    const late = await code(s.url);
    clock.advance(5 * 60_000);
    expect(await post(`${s.url}/oauth/token`, { grant_type: 'authorization_code', code: late, redirect_uri: REDIRECT })).toEqual({
      status: 400, body: { error: 'invalid_grant', error_description: 'Invalid grant: `authorization_code` has expired' },
    });
  });

  it('answers the documented 400s for bad token requests', async () => {
    const url = `${s.url}/oauth/token`;
    const c = await code(s.url);
    const cases: [Record<string, string>, Record<string, string>, string, string][] = [
      [{ grant_type: 'authorization_code', code: c, redirect_uri: 'http://127.0.0.1:5555/other' }, { authorization: BASIC }, 'invalid_request', 'Invalid request: `redirect_uri` is invalid'],
      [{ grant_type: 'authorization_code', code: c }, { authorization: BASIC }, 'invalid_request', 'Invalid request: `redirect_uri` is not a valid URI'],
      [{ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT }, { authorization: `Basic ${Buffer.from(`${CLIENT.id}:wrong`).toString('base64')}` }, 'invalid_client', 'Invalid client: client is invalid'],
      [{ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT }, {}, 'invalid_client', 'Invalid client: cannot retrieve client credentials'],
      [{ code: c, redirect_uri: REDIRECT }, { authorization: BASIC }, 'invalid_request', 'Missing parameter: `grant_type`'],
      [{ grant_type: 'password', code: c }, { authorization: BASIC }, 'unsupported_grant_type', 'Unsupported grant type: `grant_type` is invalid'],
    ];
    for (const [body, headers, error, description] of cases) {
      expect(await post(url, body, headers)).toEqual({ status: 400, body: { error, error_description: description } });
    }
    const json = await fetch(url, { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code' }) });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ error: 'invalid_request', error_description: 'Invalid request: content must be application/x-www-form-urlencoded' });
  });

  it('has no PKCE: challenge parameters are ignored and the code exchanges without a verifier', async () => {
    const c = await code(s.url, { code_challenge: pkceChallengeS256('v'.repeat(50)), code_challenge_method: 'S256' });
    expect((await post(`${s.url}/oauth/token`, { grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT })).status).toBe(200);
  });

  it('refresh returns the same refresh token (no rotation); 60 days unused expire it', async () => {
    const t = await tokens(s.url);
    const r = await post(`${s.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect(r.status).toBe(200);
    expect(r.body.refresh_token).toBe(t.refresh_token);
    expect(r.body.access_token).not.toBe(t.access_token);
    expect(r.body.api_domain).toBe(s.url);
    clock.advance(59 * 86_400_000); // used within 60 days: its window restarts
    expect((await post(`${s.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: t.refresh_token })).status).toBe(200);
    clock.advance(60 * 86_400_000);
    expect(await post(`${s.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: t.refresh_token })).toEqual({
      status: 400, body: { error: 'invalid_grant', error_description: 'Invalid grant: `refresh_token` is invalid' },
    });
  });

  it('revoking the refresh token ends the installation; revoke answers 200 for unknown tokens too', async () => {
    const t = await tokens(s.url);
    expect((await post(`${s.url}/oauth/revoke`, { token: t.refresh_token, token_type_hint: 'refresh_token' })).status).toBe(200);
    expect(await me(s.url, `Bearer ${t.access_token}`)).toEqual({
      status: 401, body: { success: false, error: 'Invalid token: access_token is invalid', errorCode: 401, error_info: expect.any(String) },
    });
    expect((await post(`${s.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: t.refresh_token })).body.error).toBe('invalid_grant');
    expect((await post(`${s.url}/oauth/revoke`, { token: 'no-such-token', token_type_hint: 'access_token' })).status).toBe(200);
    expect((await post(`${s.url}/oauth/revoke`, { token: 'x' }, {})).status).toBe(400);
  });

  it('an expired access token gets 401 "unauthorized access"; a malformed header gets 400', async () => {
    const t = await tokens(s.url);
    const expired = await fetch(`${s.url}/_sandbox/tokens/expire`, { method: 'POST' });
    expect(((await expired.json()) as Json).expired).toBeGreaterThanOrEqual(1);
    expect(await me(s.url, `Bearer ${t.access_token}`)).toEqual({ status: 401, body: { success: false, error: 'unauthorized access', errorCode: 401 } });
    expect((await me(s.url, 'Bearer v1u:unknown')).body.error).toBe('Invalid token: access_token is invalid');
    const malformed = await me(s.url, `Token ${t.access_token}`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('Invalid request: malformed authorization header');
    const refreshed = await post(`${s.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect((await me(s.url, `Bearer ${refreshed.body.access_token}`)).status).toBe(200);
  });
});
