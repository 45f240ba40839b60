/**
 * monday.com sandbox, OAuth and authentication (issue 3): the consent page, Deny, bad client or redirect URI,
 * PKCE S256 required by the 2.1 flow, codes that expire and are single-use, the JSON token endpoint with
 * client_secret_post, JWT access tokens carrying `exp`, rotating refresh tokens, revoke, discovery, the legacy
 * flow's non-expiring tokens, and the API's 401s for missing, invalid and expired tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, pkceChallengeS256, startSandbox } from '../../sandbox/common/index.js';
import { mondaySandbox } from '../../sandbox/monday/index.js';
import { decideOnConsentPage } from '../helpers/consent.js';

const CLIENT = { id: 'sandbox-client-id', secret: 'sandbox-client-secret' };
const REDIRECT = 'http://127.0.0.1:9/callback';
const VERIFIER = 'monday-verifier-'.repeat(4);
const SCOPES = 'me:read account:read boards:read users:read workspaces:read';

type Started = Awaited<ReturnType<typeof startSandbox>>;

function authorizeUrl(base: string, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  const params: Record<string, string | undefined> = {
    client_id: CLIENT.id, redirect_uri: REDIRECT, response_type: 'code', state: 'st-1', scope: SCOPES,
    code_challenge: pkceChallengeS256(VERIFIER), code_challenge_method: 'S256', ...extra,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  return `${base}/oauth2/authorize?${q}`;
}

async function code(base: string, extra: Record<string, string | undefined> = {}): Promise<string> {
  const back = await decideOnConsentPage(authorizeUrl(base, extra), 'allow');
  expect(back.searchParams.get('state')).toBe('st-1');
  return back.searchParams.get('code') as string;
}

async function token(base: string, body: Record<string, unknown>, path = '/oauth_ms/oauth/token'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const exchange = (base: string, c: string, extra: Record<string, unknown> = {}) =>
  token(base, { grant_type: 'authorization_code', code: c, client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uri: REDIRECT, code_verifier: VERIFIER, ...extra });

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;

async function me(base: string, authorization: string | undefined): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'api-version': '2025-07' };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(`${base}/v2`, { method: 'POST', headers, body: JSON.stringify({ query: '{ me { id account { id } } }' }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

describe('monday sandbox: OAuth 2.1', () => {
  const clock = new ManualClock(Date.now());
  let s: Started;
  beforeAll(async () => {
    s = await startSandbox(mondaySandbox, { records: { accounts: 3, contacts: 3, leads: 0, deals: 0, activities: 0 }, clock }, { port: 0 });
  });
  afterAll(() => s.close());

  it('shows a consent page with the requested scopes and Allow/Deny buttons', async () => {
    const res = await fetch(authorizeUrl(s.url));
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<h1>monday.com sandbox — authorize Sandbox client</h1>');
    for (const scope of SCOPES.split(' ')) expect(html).toContain(`<code>${scope}</code>`);
    expect(html).toMatch(/<button[^>]*value="allow">Allow<\/button>/);
    expect(html).toMatch(/<button[^>]*value="deny">Deny<\/button>/);
  });

  it('redirects Deny back with error=access_denied and the state', async () => {
    const back = await decideOnConsentPage(authorizeUrl(s.url), 'deny');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('refuses an unknown client or a foreign redirect URI with an error page, never a redirect', async () => {
    for (const extra of [{ client_id: 'nobody' }, { redirect_uri: 'https://evil.example/cb' }]) {
      const res = await fetch(authorizeUrl(s.url, extra), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('authorization failed');
    }
  });

  it('requires PKCE S256 (missing or plain challenges are sent back with invalid_request)', async () => {
    for (const extra of [{ code_challenge: undefined, code_challenge_method: undefined }, { code_challenge: VERIFIER, code_challenge_method: 'plain' }]) {
      const res = await fetch(authorizeUrl(s.url, extra), { redirect: 'manual' });
      expect(res.status).toBe(302);
      const loc = new URL(res.headers.get('location') as string);
      expect(loc.searchParams.get('error')).toBe('invalid_request');
      expect(loc.searchParams.get('state')).toBe('st-1');
    }
  });

  it('exchanges a code for a JWT access token with exp, a refresh token, token_type and scope (JSON body only)', async () => {
    const c = await code(s.url);
    const form = await fetch(`${s.url}/oauth_ms/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: c, client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uri: REDIRECT, code_verifier: VERIFIER }),
    });
    expect(form.status).toBe(400);
    expect(await form.json()).toMatchObject({ error: 'invalid_request' });

    const t = await exchange(s.url, c); // the refused form request did not consume the code
    expect(t.status).toBe(200);
    expect(Object.keys(t.body).sort()).toEqual(['access_token', 'refresh_token', 'scope', 'token_type']);
    expect(t.body.token_type).toBe('Bearer');
    expect(t.body.scope).toBe(SCOPES);
    const jwt = claims(t.body.access_token as string);
    expect(jwt.exp).toBe(Math.floor(clock.now() / 1000) + 3600);
    expect(jwt.actid).toBe(27403121);
    const who = await me(s.url, t.body.access_token as string);
    expect(who.status).toBe(200);
    expect(who.body.data).toEqual({ me: { id: String(jwt.uid), account: { id: '27403121' } } });
  });

  it('rejects a wrong verifier, a missing verifier, a reused code, an expired code and a bad client secret', async () => {
    expect(await exchange(s.url, await code(s.url), { code_verifier: 'x'.repeat(50) })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await exchange(s.url, await code(s.url), { code_verifier: undefined })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const once = await code(s.url);
    expect((await exchange(s.url, once)).status).toBe(200);
    expect(await exchange(s.url, once)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringMatching(/already used/) } });

    const late = await code(s.url);
    clock.advance(10 * 60_000 + 1);
    expect(await exchange(s.url, late)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringMatching(/expired/) } });

    expect(await exchange(s.url, await code(s.url), { client_secret: 'wrong' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await exchange(s.url, await code(s.url), { redirect_uri: 'http://127.0.0.1:9/other' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('rotates refresh tokens: each refresh returns a new one and the old one stops working', async () => {
    const first = (await exchange(s.url, await code(s.url))).body;
    const refresh = (rt: unknown) => token(s.url, { grant_type: 'refresh_token', refresh_token: rt, client_id: CLIENT.id, client_secret: CLIENT.secret });
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toEqual(expect.any(String));
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect(await refresh(first.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await refresh(second.body.refresh_token)).status).toBe(200);
    expect(await token(s.url, { grant_type: 'password' })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });

  it('revokes access tokens and whole grants, answering {"success":true}', async () => {
    const t = (await exchange(s.url, await code(s.url))).body;
    const revoke = (tok: unknown, extra: Record<string, unknown> = {}) =>
      fetch(`${s.url}/oauth_ms/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: tok, client_id: CLIENT.id, client_secret: CLIENT.secret, ...extra }) });
    const r1 = await revoke(t.access_token);
    expect(r1.status).toBe(200);
    expect(await r1.json()).toEqual({ success: true });
    expect((await me(s.url, t.access_token as string)).status).toBe(401);

    const fresh = (await token(s.url, { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: CLIENT.id, client_secret: CLIENT.secret })).body;
    expect((await me(s.url, fresh.access_token as string)).status).toBe(200);
    expect(await (await revoke(fresh.refresh_token, { token_type_hint: 'refresh_token' })).json()).toEqual({ success: true });
    expect((await me(s.url, fresh.access_token as string)).status).toBe(401);
    expect(await token(s.url, { grant_type: 'refresh_token', refresh_token: fresh.refresh_token, client_id: CLIENT.id, client_secret: CLIENT.secret })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    expect(await (await revoke('never-issued')).json()).toEqual({ success: true });
    expect((await revoke(fresh.access_token, { client_secret: 'wrong' })).status).toBe(401);
  });

  it('publishes OAuth server metadata under /oauth_ms', async () => {
    const meta = (await (await fetch(`${s.url}/oauth_ms/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(meta).toMatchObject({
      issuer: `${s.url}/oauth_ms`,
      authorization_endpoint: `${s.url}/oauth2/authorize`,
      token_endpoint: `${s.url}/oauth_ms/oauth/token`,
      revocation_endpoint: `${s.url}/oauth_ms/oauth/revoke`,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
    });
  });

  it('answers 401 for a missing, unknown or expired token, telling expired from invalid', async () => {
    const missing = await me(s.url, undefined);
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ errors: [{ message: 'Not Authenticated', extensions: { code: 'UNAUTHENTICATED', status_code: 401 } }] });
    const garbage = await me(s.url, 'eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOjF9.bad-signature');
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get('www-authenticate')).toContain('invalid_token');

    const t = (await exchange(s.url, await code(s.url))).body;
    expect((await me(s.url, `Bearer ${t.access_token as string}`)).status).toBe(200); // "Bearer" is tolerated
    const expired = await (await fetch(`${s.url}/_sandbox/tokens/expire`, { method: 'POST' })).json();
    expect(expired.expired).toBeGreaterThan(0);
    const after = await me(s.url, t.access_token as string);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ errors: [{ message: 'Access token has expired', extensions: { code: 'TOKEN_EXPIRED' } }] });
    expect(after.headers.get('www-authenticate')).toContain('expired');
  });

  it('withholds fields the token has no scope for (UserUnauthorizedException, HTTP 200)', async () => {
    const c = await code(s.url, { scope: 'me:read boards:read' });
    const t = (await exchange(s.url, c)).body;
    const res = await fetch(`${s.url}/v2`, { method: 'POST', headers: { authorization: t.access_token as string, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { id } users { id } }' }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, unknown>; errors: { path: string[]; extensions: { code: string; status_code: number } }[] };
    expect(body.data.me).toEqual({ id: expect.any(String) });
    expect(body.data.users).toBeNull();
    expect(body.errors[0]).toMatchObject({ message: 'User unauthorized to perform action', path: ['users'], extensions: { code: 'UserUnauthorizedException', status_code: 403 } });
  });
});

describe('monday sandbox: legacy OAuth flow', () => {
  const clock = new ManualClock(Date.now());
  let s: Started;
  beforeAll(async () => {
    s = await startSandbox(mondaySandbox, { records: { accounts: 1, contacts: 1, leads: 0, deals: 0, activities: 0 }, clock, extras: { oauthFlow: 'legacy' } }, { port: 0 });
  });
  afterAll(() => s.close());

  it('issues a non-expiring token without refresh token at /oauth2/token (form or JSON)', async () => {
    const c = await code(s.url, { code_challenge: undefined, code_challenge_method: undefined });
    const res = await fetch(`${s.url}/oauth2/token`, { method: 'POST', body: new URLSearchParams({ client_id: CLIENT.id, client_secret: CLIENT.secret, code: c, redirect_uri: REDIRECT }) });
    expect(res.status).toBe(200);
    const t = (await res.json()) as Record<string, string>;
    expect(Object.keys(t).sort()).toEqual(['access_token', 'scope', 'token_type']);
    expect(t.token_type).toBe('Bearer');
    expect(claims(t.access_token as string).exp).toBeUndefined();
    clock.advance(30 * 86_400_000);
    expect((await me(s.url, t.access_token)).status).toBe(200);
  });

  it('will not exchange a legacy code at the 2.1 endpoint (and withdraws what it issued)', async () => {
    const c = await code(s.url, { code_challenge: undefined, code_challenge_method: undefined });
    expect(await token(s.url, { grant_type: 'authorization_code', code: c, client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uri: REDIRECT })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await token(s.url, { client_id: CLIENT.id, client_secret: CLIENT.secret, code: c, redirect_uri: REDIRECT }, '/oauth2/token')).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
