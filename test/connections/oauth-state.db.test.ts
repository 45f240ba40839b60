/**
 * The OAuth state and callback rules, against the reference example sandbox (a CRM-neutral OAuth server):
 * Deny, invalid, tampered, replayed, expired, other-user, other-session, other-CRM and not-signed-in callbacks;
 * token endpoint errors (a bad code, a server whose client secret the CRM does not accept).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmConnections, oauthStates } from '../../src/db/schema.js';
import { sha256 } from '../../src/security/random.js';
import { substituteCrmModules } from '../../src/services/connection-service.js';
import type { RunningSandbox } from '../../sandbox/common/runner.js';
import { pkceChallengeS256 } from '../../sandbox/common/oauth.js';
import { addMember, as, createTestApp, login, signup, type Session, type TestApp } from '../helpers/app.js';
import { decideOnConsentPage } from '../helpers/consent.js';
import { scanDatabaseFor } from '../helpers/scan.js';
import { exampleSandbox } from '../sandbox-common/example-sandbox.js';
import { exampleCrm } from './example-crm.js';
import { authorize, callback, connect, startCrmSandbox } from './harness.js';

let sandbox: RunningSandbox;
let otherSecretSandbox: RunningSandbox;
let t: TestApp;
let wrongSecretApp: TestApp;

beforeAll(async () => {
  sandbox = await startCrmSandbox(exampleSandbox);
  otherSecretSandbox = await startCrmSandbox(exampleSandbox, { clientSecret: 'a-secret-this-server-does-not-have' });
  t = await createTestApp({ env: { HUBSPOT_SANDBOX_URL: sandbox.url, DEMO_SANDBOXES: 'false' } });
  wrongSecretApp = await createTestApp({ env: { HUBSPOT_SANDBOX_URL: otherSecretSandbox.url } });
  substituteCrmModules(t.ctx, { hubspot: exampleCrm });
  substituteCrmModules(wrongSecretApp.ctx, { hubspot: exampleCrm });
}, 180_000);
afterAll(async () => {
  await t?.close();
  await wrongSecretApp?.close();
  await sandbox?.close();
  await otherSecretSandbox?.close();
}, 180_000);

async function connectionCount(organizationId: string): Promise<number> {
  return (await t.ctx.db.select().from(crmConnections).where(eq(crmConnections.organizationId, organizationId))).length;
}

/** Authorize and click Allow; return the callback URL without following it. */
async function allowed(session: Session, app = t): Promise<URL> {
  const { authUrl } = await authorize(app, session, 'hubspot');
  return decideOnConsentPage(authUrl, 'allow');
}

describe('authorize', () => {
  it('returns the consent URL with a fresh state, PKCE S256 and the configured redirect URI; stores only digests and ciphertexts', async () => {
    const owner = await signup(t.app);
    const { authUrl, state } = await authorize(t, owner, 'hubspot');
    const url = new URL(authUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${sandbox.url}/oauth/authorize`);
    expect(url.searchParams.get('state')).toBe(state);
    expect(state.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    expect(url.searchParams.get('redirect_uri')).toBe(`${t.config.publicUrl}/api/crm-integrations/hubspot/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('client_id')).toBe('sandbox-client-id');

    const [row] = await t.ctx.db.select().from(oauthStates).where(eq(oauthStates.stateHash, sha256(state)));
    expect(row).toMatchObject({ organizationId: owner.organizationId, userId: owner.userId, crmType: 'hubspot', usedAt: null });
    expect(row!.codeVerifier).toMatch(/^v1\./); // sealed
    expect(row!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(await scanDatabaseFor(t.ctx.database, [state])).toEqual([]);
    // A second authorize is a different state.
    expect((await authorize(t, owner, 'hubspot')).state).not.toBe(state);
  });

  it('answers 404 UNKNOWN_CRM for a CRM that does not exist, and 409 CRM_NOT_CONFIGURED for one with no client or sandbox', async () => {
    const owner = await signup(t.app);
    const unknown = await as(t.app, owner)({ method: 'GET', url: '/api/crm-integrations/dynamics/authorize' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('UNKNOWN_CRM');
    expect(unknown.json().error.message).toMatch(/"dynamics".*salesforce, hubspot, pipedrive, zoho, monday/);
    const notConfigured = await as(t.app, owner)({ method: 'GET', url: '/api/crm-integrations/zoho/authorize' });
    expect(notConfigured.statusCode).toBe(409);
    expect(notConfigured.json().error.code).toBe('CRM_NOT_CONFIGURED');
    expect(notConfigured.json().error.message).toMatch(/ZOHO_CLIENT_ID/);
  });

  it('lists the five CRMs with how this server reaches each', async () => {
    const owner = await signup(t.app);
    const res = await as(t.app, owner)({ method: 'GET', url: '/api/crm-integrations' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { crmType: 'salesforce', name: 'Salesforce', mode: 'sandbox', configured: false },
      { crmType: 'hubspot', name: 'HubSpot', mode: 'sandbox', configured: true },
      { crmType: 'pipedrive', name: 'Pipedrive', mode: 'sandbox', configured: false },
      { crmType: 'zoho', name: 'Zoho CRM', mode: 'sandbox', configured: false },
      { crmType: 'monday', name: 'monday.com', mode: 'sandbox', configured: false },
    ]);
  });
}, 180_000);

describe('callback', () => {
  it('connects on Allow, and refuses the same callback replayed', async () => {
    const owner = await signup(t.app);
    const back = await allowed(owner);
    const first = await callback(t, owner, back);
    expect(first.params).toMatchObject({ connected: 'true', crm: 'hubspot' });
    expect(first.res.headers['cache-control']).toBe('no-store');
    const replay = await callback(t, owner, back);
    expect(replay.params).toEqual({ error: 'OAUTH_STATE_INVALID', crm: 'hubspot' });
    expect(await connectionCount(owner.organizationId)).toBe(1);
  });

  it('reports Deny as OAUTH_ACCESS_DENIED and connects nothing', async () => {
    const owner = await signup(t.app);
    const { authUrl } = await authorize(t, owner, 'hubspot');
    const back = await decideOnConsentPage(authUrl, 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    const { location, params } = await callback(t, owner, back);
    expect(location.pathname).toBe('/dashboard/settings/migration');
    expect(params).toEqual({ error: 'OAUTH_ACCESS_DENIED', crm: 'hubspot' });
    expect(await connectionCount(owner.organizationId)).toBe(0);
  });

  it('refuses a missing, unknown or tampered state', async () => {
    const owner = await signup(t.app);
    const back = await allowed(owner);
    const state = back.searchParams.get('state')!;
    for (const bad of [null, 'not-a-state', `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`]) {
      const forged = new URL(back);
      if (bad === null) forged.searchParams.delete('state');
      else forged.searchParams.set('state', bad);
      expect((await callback(t, owner, forged)).params).toEqual({ error: 'OAUTH_STATE_INVALID', crm: 'hubspot' });
    }
    // The genuine state still works afterwards.
    expect((await callback(t, owner, back)).params.connected).toBe('true');
  });

  it('refuses an expired state with OAUTH_STATE_EXPIRED', async () => {
    const owner = await signup(t.app);
    const back = await allowed(owner);
    await t.ctx.db.update(oauthStates).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(oauthStates.stateHash, sha256(back.searchParams.get('state')!)));
    expect((await callback(t, owner, back)).params).toEqual({ error: 'OAUTH_STATE_EXPIRED', crm: 'hubspot' });
    expect(await connectionCount(owner.organizationId)).toBe(0);
  });

  it("refuses another user's callback (other organization, or an admin of the same one) without burning the state", async () => {
    const owner = await signup(t.app);
    const stranger = await signup(t.app, undefined, 'Other Org');
    const admin = await addMember(t.app, owner, 'ADMIN');
    const back = await allowed(owner);
    for (const intruder of [stranger, admin]) {
      expect((await callback(t, intruder, back)).params).toEqual({ error: 'OAUTH_STATE_INVALID', crm: 'hubspot' });
    }
    expect(await connectionCount(stranger.organizationId)).toBe(0);
    expect((await callback(t, owner, back)).params.connected).toBe('true');
  });

  it('refuses the callback in another session of the same user (the flow is bound to the session that started it)', async () => {
    const owner = await signup(t.app);
    const secondSession = await login(t.app, owner.email);
    const back = await allowed(owner);
    expect((await callback(t, secondSession, back)).params).toEqual({ error: 'OAUTH_STATE_INVALID', crm: 'hubspot' });
    expect((await callback(t, owner, back)).params.connected).toBe('true');
  });

  it('refuses a flow started with an API token when completed by a browser session', async () => {
    const owner = await signup(t.app);
    const token = (await as(t.app, owner)({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'ci' } })).json().token as string;
    const res = await t.app.inject({ method: 'GET', url: '/api/crm-integrations/hubspot/authorize', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    const back = await decideOnConsentPage(res.json().authUrl, 'allow');
    expect((await callback(t, owner, back)).params).toEqual({ error: 'OAUTH_STATE_INVALID', crm: 'hubspot' });
  });

  it("refuses a state presented at another CRM's callback", async () => {
    const owner = await signup(t.app);
    const back = await allowed(owner);
    const elsewhere = new URL(back);
    elsewhere.pathname = '/api/crm-integrations/salesforce/callback';
    expect((await callback(t, owner, elsewhere)).params).toEqual({ error: 'OAUTH_STATE_INVALID', crm: 'salesforce' });
    expect((await callback(t, owner, back)).params.connected).toBe('true');
  });

  it('redirects a callback without a session to the app with UNAUTHENTICATED, and an unknown CRM with UNKNOWN_CRM', async () => {
    const owner = await signup(t.app);
    const back = await allowed(owner);
    expect((await callback(t, null, back)).params).toEqual({ error: 'UNAUTHENTICATED', crm: 'hubspot' });
    const badCookie = await t.app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { cookie: 'cm_session=forged' } });
    expect(new URL(badCookie.headers.location as string, 'http://x').searchParams.get('error')).toBe('UNAUTHENTICATED');
    const unknown = new URL(back);
    unknown.pathname = '/api/crm-integrations/dynamics/callback';
    expect((await callback(t, owner, unknown)).params).toEqual({ error: 'UNKNOWN_CRM' });
    unknown.pathname = `/api/crm-integrations/${'x'.repeat(99)}/callback`;
    expect((await callback(t, owner, unknown)).params).toEqual({ error: 'UNKNOWN_CRM' });
    // None of that burned the state.
    expect((await callback(t, owner, back)).params.connected).toBe('true');
  });

  it('turns a code the CRM rejects into OAUTH_EXCHANGE_FAILED (and the state is spent)', async () => {
    const owner = await signup(t.app);
    const back = await allowed(owner);
    const badCode = new URL(back);
    badCode.searchParams.set('code', 'not-a-code-the-crm-issued');
    expect((await callback(t, owner, badCode)).params).toEqual({ error: 'OAUTH_EXCHANGE_FAILED', crm: 'hubspot' });
    expect((await callback(t, owner, back)).params).toEqual({ error: 'OAUTH_STATE_INVALID', crm: 'hubspot' });
    expect(await connectionCount(owner.organizationId)).toBe(0);
  });

  it('turns a PKCE verifier the CRM does not match into OAUTH_EXCHANGE_FAILED', async () => {
    const owner = await signup(t.app);
    const { authUrl, state } = await authorize(t, owner, 'hubspot');
    // Swap the challenge for one of another verifier, as an attacker injecting their own code would.
    const tampered = new URL(authUrl);
    tampered.searchParams.set('code_challenge', pkceChallengeS256('another-verifier-another-verifier-another-verifier'));
    const back = await decideOnConsentPage(tampered.toString(), 'allow');
    expect(back.searchParams.get('state')).toBe(state);
    expect((await callback(t, owner, back)).params).toEqual({ error: 'OAUTH_EXCHANGE_FAILED', crm: 'hubspot' });
  });

  it('turns a client secret the CRM does not accept into OAUTH_EXCHANGE_FAILED', async () => {
    const owner = await signup(wrongSecretApp.app);
    const back = await allowed(owner, wrongSecretApp);
    expect((await callback(wrongSecretApp, owner, back)).params).toEqual({ error: 'OAUTH_EXCHANGE_FAILED', crm: 'hubspot' });
  });

  it('stores the connection once per CRM account: connecting again updates it', async () => {
    const owner = await signup(t.app);
    const first = await connect(t, owner, 'hubspot');
    const second = await connect(t, owner, 'hubspot');
    expect(second.connectionId).toBe(first.connectionId);
    expect(await connectionCount(owner.organizationId)).toBe(1);
  });
}, 180_000);
