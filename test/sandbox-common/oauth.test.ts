import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../sandbox/common/clock.js';
import { CONSENT_FIELDS, decideConsent, renderConsentPage } from '../../sandbox/common/consent.js';
import { OAuthStore, pkceChallengeS256, type IssuedTokens, type TokenResult } from '../../sandbox/common/oauth.js';

const client = { id: 'sandbox-client-id', secret: 'sandbox-client-secret' };
const subject = { userId: 'u1', orgId: 'o1' };
const redirect = 'http://localhost:3000/callback';

function setup(extra: Partial<ConstructorParameters<typeof OAuthStore>[0]> = {}) {
  const clock = new ManualClock();
  const store = new OAuthStore({ clients: [client], accessTokenTtlSeconds: 3600, clock, ...extra });
  return { clock, store };
}

function ok(r: TokenResult): IssuedTokens {
  if (!r.ok) throw new Error(`expected tokens, got ${r.reason}`);
  return r;
}

function login(store: OAuthStore, verifier?: string) {
  const code = store.issueCode({
    clientId: client.id, redirectUri: redirect, scope: 'contacts.read', subject,
    codeChallenge: verifier ? pkceChallengeS256(verifier) : null, codeChallengeMethod: verifier ? 'S256' : null,
  });
  return { code, exchange: (over: Record<string, string | undefined> = {}) =>
    store.exchangeCode({ code, clientId: client.id, clientSecret: client.secret, redirectUri: redirect, codeVerifier: verifier, ...over }) };
}

describe('OAuthStore', () => {
  it('codes are single use and expire', () => {
    const { store, clock } = setup({ codeTtlMs: 120_000 });
    const a = login(store);
    const t = ok(a.exchange());
    expect(t.accessToken.length).toBeGreaterThanOrEqual(64);
    expect(t.refreshToken).not.toBeNull();
    expect(t.expiresIn).toBe(3600);
    expect(a.exchange()).toMatchObject({ ok: false, error: 'invalid_grant', reason: 'used_code' });
    const b = login(store);
    clock.advance(120_000);
    expect(b.exchange()).toMatchObject({ ok: false, reason: 'expired_code' });
    expect(store.exchangeCode({ code: 'nope', clientId: client.id, clientSecret: client.secret, redirectUri: redirect })).toMatchObject({ reason: 'unknown_code' });
  });

  it('checks the client and redirect URI at exchange', () => {
    const { store } = setup();
    expect(login(store).exchange({ clientSecret: 'wrong' })).toMatchObject({ error: 'invalid_client', reason: 'bad_client_secret' });
    expect(login(store).exchange({ clientSecret: undefined })).toMatchObject({ error: 'invalid_client', reason: 'missing_client_secret' });
    expect(login(store).exchange({ clientId: 'other' })).toMatchObject({ error: 'invalid_client', reason: 'unknown_client' });
    expect(login(store).exchange({ redirectUri: 'http://localhost:3000/other' })).toMatchObject({ error: 'invalid_grant', reason: 'redirect_uri_mismatch' });
  });

  it('verifies PKCE S256', () => {
    const { store } = setup();
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    // RFC 7636 appendix B
    expect(pkceChallengeS256(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(login(store, verifier).exchange({ codeVerifier: undefined })).toMatchObject({ reason: 'pkce_verifier_missing' });
    expect(login(store, verifier).exchange({ codeVerifier: 'x'.repeat(43) })).toMatchObject({ reason: 'pkce_mismatch' });
    ok(login(store, verifier).exchange());
  });

  it('validates authorize requests: loopback redirects, pinned URIs, PKCE policy', () => {
    const { store } = setup();
    expect(store.validateAuthorize({ clientId: client.id, redirectUri: 'http://127.0.0.1:9/cb' }).ok).toBe(true);
    expect(store.validateAuthorize({ clientId: client.id, redirectUri: 'https://localhost/cb' }).ok).toBe(true);
    expect(store.validateAuthorize({ clientId: client.id, redirectUri: 'https://evil.example/cb' })).toMatchObject({ ok: false, redirectable: false, reason: 'redirect_uri_not_allowed' });
    expect(store.validateAuthorize({ clientId: 'x', redirectUri: redirect })).toMatchObject({ ok: false, redirectable: false, error: 'invalid_client' });
    expect(store.validateAuthorize({ clientId: client.id, redirectUri: redirect, pkce: 'required' })).toMatchObject({ ok: false, redirectable: true, reason: 'pkce_required' });
    expect(store.validateAuthorize({ clientId: client.id, redirectUri: redirect, responseType: 'token' })).toMatchObject({ reason: 'unsupported_response_type' });
    const pinned = new OAuthStore({ clients: [{ ...client, redirectUri: 'https://app.example/cb' }], accessTokenTtlSeconds: 1 });
    expect(pinned.validateAuthorize({ clientId: client.id, redirectUri: 'https://app.example/cb' }).ok).toBe(true);
    expect(pinned.validateAuthorize({ clientId: client.id, redirectUri: 'http://localhost/cb' }).ok).toBe(false);
    expect(pinned.validateAuthorize({ clientId: client.id, redirectUri: undefined }).ok).toBe(true);
  });

  it('tells expired, revoked and unknown access tokens apart', () => {
    const { store, clock } = setup();
    const t = ok(login(store).exchange());
    expect(store.checkAccessToken(t.accessToken)).toMatchObject({ ok: true, token: { scope: 'contacts.read', subject } });
    clock.advance(3600_000);
    expect(store.checkAccessToken(t.accessToken)).toMatchObject({ ok: false, reason: 'expired', expiredAt: t.expiresAt });
    expect(store.checkAccessToken('garbage')).toEqual({ ok: false, reason: 'unknown' });
    expect(store.checkAccessToken(undefined)).toEqual({ ok: false, reason: 'missing' });
    const t2 = ok(login(store).exchange());
    expect(store.revoke(t2.accessToken)).toBe('access_token');
    expect(store.checkAccessToken(t2.accessToken)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('refreshes without rotation: same refresh token keeps working', () => {
    const { store } = setup();
    const t = ok(login(store).exchange());
    const r1 = ok(store.refreshAccessToken({ refreshToken: t.refreshToken ?? '', clientId: client.id, clientSecret: client.secret }));
    expect(r1.refreshToken).toBeNull();
    expect(r1.accessToken).not.toBe(t.accessToken);
    ok(store.refreshAccessToken({ refreshToken: t.refreshToken ?? '', clientId: client.id, clientSecret: client.secret }));
    expect(store.checkAccessToken(t.accessToken).ok).toBe(true);
  });

  it('rotates refresh tokens when asked: the old one dies', () => {
    const { store } = setup({ rotateRefreshTokens: true });
    const t = ok(login(store).exchange());
    const r1 = ok(store.refreshAccessToken({ refreshToken: t.refreshToken ?? '', clientId: client.id, clientSecret: client.secret }));
    expect(r1.refreshToken).toBeTruthy();
    expect(store.refreshAccessToken({ refreshToken: t.refreshToken ?? '', clientId: client.id, clientSecret: client.secret })).toMatchObject({ reason: 'revoked_refresh_token' });
    const r2 = ok(store.refreshAccessToken({ refreshToken: r1.refreshToken ?? '', clientId: client.id, clientSecret: client.secret }));
    store.rotateRefreshTokens = false; // switchable at run time
    const r3 = ok(store.refreshAccessToken({ refreshToken: r2.refreshToken ?? '', clientId: client.id, clientSecret: client.secret }));
    expect(r3.refreshToken).toBeNull();
    ok(store.refreshAccessToken({ refreshToken: r2.refreshToken ?? '', clientId: client.id, clientSecret: client.secret }));
  });

  it('revoking a refresh token revokes its access tokens, not other grants', () => {
    const { store } = setup();
    const t = ok(login(store).exchange());
    const r = ok(store.refreshAccessToken({ refreshToken: t.refreshToken ?? '', clientId: client.id, clientSecret: client.secret }));
    const other = ok(login(store).exchange());
    expect(store.liveTokens()).toEqual({ access: 3, refresh: 2 });
    expect(store.revoke(t.refreshToken ?? '', 'refresh_token')).toBe('refresh_token');
    expect(store.checkAccessToken(t.accessToken)).toMatchObject({ reason: 'revoked' });
    expect(store.checkAccessToken(r.accessToken)).toMatchObject({ reason: 'revoked' });
    expect(store.checkAccessToken(other.accessToken).ok).toBe(true);
    expect(store.refreshAccessToken({ refreshToken: t.refreshToken ?? '', clientId: client.id, clientSecret: client.secret })).toMatchObject({ reason: 'revoked_refresh_token' });
    expect(store.revoke('unknown')).toBeNull();
    expect(store.liveTokens()).toEqual({ access: 1, refresh: 1 });
  });

  it('expires every live access token on demand; refresh still works', () => {
    const { store } = setup();
    const t = ok(login(store).exchange());
    ok(login(store).exchange());
    expect(store.expireAccessTokens()).toBe(2);
    expect(store.checkAccessToken(t.accessToken)).toMatchObject({ reason: 'expired' });
    expect(store.liveTokens().access).toBe(0);
    ok(store.refreshAccessToken({ refreshToken: t.refreshToken ?? '', clientId: client.id, clientSecret: client.secret }));
  });

  it('supports non-expiring tokens, idle refresh expiry, prefixes and no-refresh grants', () => {
    const { store, clock } = setup({ accessTokenTtlSeconds: null, refreshTokenIdleMs: 60_000, tokenPrefix: { access: '1000.' } });
    const t = ok(login(store).exchange());
    expect(t.expiresIn).toBeNull();
    expect(t.accessToken.startsWith('1000.')).toBe(true);
    clock.advance(10 * 365 * 86_400_000);
    expect(store.checkAccessToken(t.accessToken).ok).toBe(true);
    expect(store.refreshAccessToken({ refreshToken: t.refreshToken ?? '', clientId: client.id, clientSecret: client.secret })).toMatchObject({ reason: 'expired_refresh_token' });
    const code = store.issueCode({ clientId: client.id, redirectUri: null, scope: 'api', subject, offline: false });
    expect(ok(store.exchangeCode({ code, clientId: client.id, clientSecret: client.secret, redirectUri: undefined })).refreshToken).toBeNull();
  });
});

describe('consent page', () => {
  const html = renderConsentPage({
    crmName: 'HubSpot', clientName: 'My <App>', clientId: client.id, scopes: ['crm.objects.contacts.read', 'oauth'],
    action: '/oauth/authorize', fields: { client_id: client.id, redirect_uri: redirect, state: 'a"b', scope: 'x y', code_challenge: undefined },
  });

  it('is accessible, escaped HTML with Allow and Deny buttons', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>HubSpot sandbox — authorize My &lt;App&gt;</title>');
    expect(html).toMatch(/<main>[\s\S]*<h1>[\s\S]*<\/main>/);
    expect(html).toContain('<button type="submit" name="decision" value="allow">Allow</button>');
    expect(html).toContain('<button type="submit" name="decision" value="deny">Deny</button>');
    expect(html).toContain('<form method="post" action="/oauth/authorize" aria-label="Authorize My &lt;App&gt;">');
    expect(html).toContain('<input type="hidden" name="state" value="a&quot;b">');
    expect(html).not.toContain('name="code_challenge"');
    expect(html).toContain('<li><code>crm.objects.contacts.read</code></li>');
    expect(CONSENT_FIELDS).toContain('code_challenge_method');
  });

  it('Allow redirects with code, state and CRM extras; Deny with access_denied', () => {
    const { store } = setup();
    const form = { client_id: client.id, redirect_uri: redirect, state: 's1', scope: 'a b', decision: 'allow' };
    const allow = decideConsent(store, form, { subject, extraParams: { location: 'eu', 'accounts-server': 'http://127.0.0.1:1/z' } });
    if (!allow.ok) throw new Error('expected ok');
    const u = new URL(allow.location);
    expect(u.origin + u.pathname).toBe(redirect);
    expect(u.searchParams.get('state')).toBe('s1');
    expect(u.searchParams.get('location')).toBe('eu');
    expect(u.searchParams.get('accounts-server')).toBe('http://127.0.0.1:1/z');
    const code = u.searchParams.get('code') ?? '';
    expect(ok(store.exchangeCode({ code, clientId: client.id, clientSecret: client.secret, redirectUri: redirect })).scope).toBe('a b');
    const deny = decideConsent(store, { ...form, decision: 'deny' }, { subject });
    expect(deny.ok && new URL(deny.location).searchParams.get('error')).toBe('access_denied');
    const piped = decideConsent(store, { ...form, decision: 'deny' }, { subject, deniedError: 'user_denied' });
    expect(piped.ok && new URL(piped.location).searchParams.get('error')).toBe('user_denied');
    expect(decideConsent(store, { ...form, redirect_uri: 'https://evil.example/' }, { subject })).toMatchObject({ ok: false, redirectable: false });
  });

  it('binds the PKCE challenge posted through the form', () => {
    const { store } = setup();
    const verifier = 'v'.repeat(50);
    const d = decideConsent(store, { client_id: client.id, redirect_uri: redirect, code_challenge: pkceChallengeS256(verifier), code_challenge_method: 'S256', decision: 'allow' }, { subject, pkce: 'required' });
    if (!d.ok || d.code === null) throw new Error('expected a code');
    expect(store.exchangeCode({ code: d.code, clientId: client.id, clientSecret: client.secret, redirectUri: redirect, codeVerifier: 'w'.repeat(50) })).toMatchObject({ reason: 'pkce_mismatch' });
    const noPkce = decideConsent(store, { client_id: client.id, redirect_uri: redirect, decision: 'allow' }, { subject, pkce: 'required' });
    expect(noPkce.ok).toBe(false);
    expect(!noPkce.ok && new URL(noPkce.location ?? '').searchParams.get('error')).toBe('invalid_request');
  });
});
