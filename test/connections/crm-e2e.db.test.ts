/**
 * Issue 4 end to end, for each of the five CRMs against its own sandbox (started standalone on an ephemeral port,
 * reached through <CRM>_SANDBOX_URL): authorize → consent page Allow → callback → connection stored with its
 * identity → test → forced expiry and transparent refresh through a client call → revoke (the sandbox confirms)
 * → reconnecting the same account updates the same connection. Plus Deny and token endpoint errors per CRM, and
 * at the end a scan of the database and the captured logs for every token, code and state seen.
 *
 * A CRM whose module or sandbox has not landed fails here (by design: all five are expected).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM_IDS, type CrmId } from '../../src/core/ids.js';
import type { CrmModule } from '../../src/crm/types.js';
import { crmConnections } from '../../src/db/schema.js';
import { createClientForConnection } from '../../src/services/connection-service.js';
import type { RunningSandbox } from '../../sandbox/common/runner.js';
import { as, createTestApp, signup, type TestApp } from '../helpers/app.js';
import { decideOnConsentPage } from '../helpers/consent.js';
import { LogCapture } from '../helpers/log-capture.js';
import { scanDatabaseFor } from '../helpers/scan.js';
import {
  authorize,
  callback,
  connect,
  connectionRow,
  endpointHits,
  loadCrm,
  requireLoaded,
  sandboxEnv,
  sandboxOptionsFor,
  sandboxPost,
  startCrmSandbox,
  storedTokens,
  type LoadedCrm,
} from './harness.js';

const loaded = new Map<CrmId, LoadedCrm | { missing: string }>();
const sandboxes = new Map<CrmId, RunningSandbox>();
const otherSecretSandboxes = new Map<CrmId, RunningSandbox>();
const logs = new LogCapture();
/** Every token, code and state this suite saw: none may be found in plaintext anywhere. */
const secrets = new Set<string>();
let t: TestApp;
let wrongSecretApp: TestApp;

beforeAll(async () => {
  const env: Record<string, string> = { DEMO_SANDBOXES: 'false' };
  const wrongEnv: Record<string, string> = { DEMO_SANDBOXES: 'false' };
  for (const crm of CRM_IDS) {
    const l = await loadCrm(crm);
    loaded.set(crm, l);
    if ('missing' in l) continue;
    const sandbox = await startCrmSandbox(l.definition, sandboxOptionsFor(crm));
    sandboxes.set(crm, sandbox);
    Object.assign(env, sandboxEnv(crm, sandbox.url));
    const other = await startCrmSandbox(l.definition, { ...sandboxOptionsFor(crm), clientSecret: 'a-secret-this-server-does-not-have' });
    otherSecretSandboxes.set(crm, other);
    Object.assign(wrongEnv, sandboxEnv(crm, other.url));
  }
  t = await createTestApp({ env, logDestination: logs, logLevel: 'debug' });
  wrongSecretApp = await createTestApp({ env: wrongEnv });
}, 240_000);

afterAll(async () => {
  await t?.close();
  await wrongSecretApp?.close();
  for (const s of [...sandboxes.values(), ...otherSecretSandboxes.values()]) await s.close();
}, 60_000);

function setup(crm: CrmId): { module: CrmModule; sandbox: RunningSandbox } {
  const { module } = requireLoaded(crm, loaded.get(crm));
  return { module, sandbox: sandboxes.get(crm)! };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function remember(connectionId: string) {
  const { accessToken, refreshToken } = await storedTokens(t, connectionId);
  for (const s of [accessToken, refreshToken]) if (s) secrets.add(s);
  return { accessToken, refreshToken };
}

async function unauthorizedCount(sandbox: RunningSandbox): Promise<number> {
  const stats = (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as { rejected: { byReason: Record<string, number> } };
  return stats.rejected.byReason.unauthorized ?? 0;
}

describe.each(CRM_IDS)('%s', (crm) => {
  it('connects through the consent page, tests, refreshes transparently after a forced expiry, revokes, and reconnects in place', async () => {
    const { module, sandbox } = setup(crm);
    const tokenRequests = () => endpointHits(sandbox, new RegExp(`^POST ${escape(module.definition.oauth.tokenPath)}$`));
    const owner = await signup(t.app);
    const { connectionId, back } = await connect(t, owner, crm);
    for (const p of ['code', 'state']) if (back.searchParams.get(p)) secrets.add(back.searchParams.get(p)!);

    // Stored with the account's identity, and listed without any secret.
    const first = await remember(connectionId);
    expect(first.accessToken).toBeTruthy();
    expect(first.refreshToken, `${crm} issued no refresh token: the connection could not outlive its first access token`).toBeTruthy();
    const listRes = await as(t.app, owner)({ method: 'GET', url: '/api/crm-integrations/connections' });
    expect(listRes.statusCode).toBe(200);
    for (const s of secrets) expect(listRes.body).not.toContain(s);
    const listed = listRes.json();
    expect(listed).toHaveLength(1);
    const view = listed[0];
    expect(view).toMatchObject({ id: connectionId, crmType: crm, isActive: true, needsReauth: false, lastError: null, syncSettings: { simulator: true } });
    expect(view.externalOrgId).toEqual(expect.any(String));
    expect(view.externalUserId).toEqual(expect.any(String));
    expect(view.username ?? view.email).toEqual(expect.any(String));
    expect(view.instanceUrl).toMatch(/^https?:\/\//);
    expect(typeof view.isSandbox).toBe('boolean');
    expect(view.scopes).toEqual(expect.any(Array));
    if (view.expiresAt !== null) expect(Date.parse(view.expiresAt)).toBeGreaterThan(Date.now());
    expect(Object.keys(view).sort()).toEqual(
      ['createdAt', 'crmType', 'email', 'expiresAt', 'externalOrgId', 'externalUserId', 'id', 'instanceUrl', 'isActive', 'isSandbox', 'lastError', 'lastSyncAt', 'needsReauth', 'scopes', 'syncSettings', 'updatedAt', 'username'].sort(),
    );

    // A cheap real call.
    const tested = await as(t.app, owner)({ method: 'POST', url: `/api/crm-integrations/connections/${connectionId}/test` });
    expect(tested.json()).toEqual({ isValid: true });

    // The CRM expires every access token: the next call is answered 401, refreshed once, and retried.
    const v0 = (await connectionRow(t, connectionId)).tokenVersion;
    const refreshes0 = await tokenRequests();
    const unauthorized0 = await unauthorizedCount(sandbox);
    await sandboxPost(sandbox, '/_sandbox/tokens/expire');
    const { client } = await createClientForConnection(t.ctx, owner.organizationId, connectionId);
    expect(await client.getRecordCount('contacts')).toBe(sandbox.instance.ctx.world.counts.contacts);
    expect(await unauthorizedCount(sandbox)).toBeGreaterThan(unauthorized0);
    expect(await tokenRequests()).toBe(refreshes0 + 1);
    expect((await connectionRow(t, connectionId)).tokenVersion).toBe(v0 + 1);
    const second = await remember(connectionId);
    expect(second.accessToken).not.toBe(first.accessToken);

    // Our own record says the token expires within the minute: refreshed before use, no 401 this time.
    await t.ctx.db.update(crmConnections).set({ expiresAt: new Date(Date.now() + 30_000) }).where(eq(crmConnections.id, connectionId));
    const unauthorized1 = await unauthorizedCount(sandbox);
    expect(await client.testConnection()).toEqual({ isValid: true });
    expect(await unauthorizedCount(sandbox)).toBe(unauthorized1);
    expect(await tokenRequests()).toBe(refreshes0 + 2);
    expect((await connectionRow(t, connectionId)).tokenVersion).toBe(v0 + 2);
    const third = await remember(connectionId);

    // Revoke: 204, tokens purged here, and the sandbox no longer honours them.
    const revoked = await as(t.app, owner)({ method: 'DELETE', url: `/api/crm-integrations/connections/${connectionId}` });
    expect(revoked.statusCode, revoked.body).toBe(204);
    const row = await connectionRow(t, connectionId);
    expect(row).toMatchObject({ isActive: false, accessToken: null, refreshToken: null });
    const oauth = sandbox.instance.ctx.oauth;
    expect(oauth.checkAccessToken(third.accessToken).ok, 'the access token still works at the CRM after revoking').toBe(false);
    if (third.refreshToken) {
      const reuse = oauth.refreshAccessToken({ refreshToken: third.refreshToken, clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' });
      expect(reuse.ok, 'the refresh token still works at the CRM after revoking').toBe(false);
    }
    const audit = (await as(t.app, owner)({ method: 'GET', url: `/api/crm-integrations/connections/${connectionId}/audit` })).json() as Array<{ action: string; actor: string; metadata: Record<string, unknown> }>;
    expect(audit.map((e) => e.action).reverse()).toEqual(['connection.created', 'connection.tested', 'connection.refreshed', 'connection.refreshed', 'connection.revoked']);
    expect(audit[0]).toMatchObject({ actor: owner.email, metadata: { revokedAtCrm: true, crm, externalOrgId: view.externalOrgId } });
    expect(audit.find((e) => e.action === 'connection.refreshed')).toMatchObject({ actor: 'system' });
    await expect(createClientForConnection(t.ctx, owner.organizationId, connectionId)).rejects.toMatchObject({ code: 'CONNECTION_INACTIVE' });

    // Connecting the same account again brings the same connection back.
    const again = await connect(t, owner, crm);
    expect(again.connectionId).toBe(connectionId);
    await remember(connectionId);
    const relisted = (await as(t.app, owner)({ method: 'GET', url: '/api/crm-integrations/connections' })).json();
    expect(relisted).toHaveLength(1);
    expect(relisted[0]).toMatchObject({ id: connectionId, isActive: true, externalOrgId: view.externalOrgId, externalUserId: view.externalUserId });
    expect(((await as(t.app, owner)({ method: 'POST', url: `/api/crm-integrations/connections/${connectionId}/test` })).json())).toEqual({ isValid: true });
  }, 120_000);

  it('reports Deny on the consent page as OAUTH_ACCESS_DENIED', async () => {
    setup(crm);
    const owner = await signup(t.app);
    const { authUrl } = await authorize(t, owner, crm);
    const back = await decideOnConsentPage(authUrl, 'deny');
    expect((await callback(t, owner, back)).params).toEqual({ error: 'OAUTH_ACCESS_DENIED', crm });
  });

  it('turns a code the CRM rejects, and a client secret it does not accept, into OAUTH_EXCHANGE_FAILED', async () => {
    setup(crm);
    const owner = await signup(t.app);
    const back = await decideOnConsentPage((await authorize(t, owner, crm)).authUrl, 'allow');
    const badCode = new URL(back);
    badCode.searchParams.set('code', 'not-a-code-this-crm-issued');
    expect((await callback(t, owner, badCode)).params).toEqual({ error: 'OAUTH_EXCHANGE_FAILED', crm });

    const other = await signup(wrongSecretApp.app);
    const wrongBack = await decideOnConsentPage((await authorize(wrongSecretApp, other, crm)).authUrl, 'allow');
    expect((await callback(wrongSecretApp, other, wrongBack)).params).toEqual({ error: 'OAUTH_EXCHANGE_FAILED', crm });
  });
}, 60_000);

describe('secrets', () => {
  it('leaves no token, code or state in plaintext in the database or the logs', async () => {
    expect(secrets.size).toBeGreaterThan(0);
    expect(logs.lines.length).toBeGreaterThan(0);
    const needles = [...secrets];
    expect(await scanDatabaseFor(t.ctx.database, needles)).toEqual([]);
    expect(needles.filter((s) => logs.text.includes(s))).toEqual([]);
    // The sealed columns hold ciphertexts only.
    const { rows } = await t.ctx.database.raw.query<{ access_token: string | null; refresh_token: string | null }>('select access_token, refresh_token from crm_connections');
    for (const r of rows) for (const v of [r.access_token, r.refresh_token]) if (v !== null) expect(v).toMatch(/^v1\./);
  });
}, 60_000);
