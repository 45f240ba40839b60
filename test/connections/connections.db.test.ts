/**
 * The connection endpoints beside the OAuth flow, against the example sandbox: roles, other organizations,
 * settings, the test call, the audit trail, revoking when the CRM cannot be reached, and organization deletion
 * revoking at the CRM (the right to delete reaches the CRMs too).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnlimitedBudget, WindowBudget } from '../../src/crm/http/budget.js';
import { crmConnections } from '../../src/db/schema.js';
import { budgetFor } from '../../src/services/connection/client.js';
import { substituteCrmModules } from '../../src/services/connection-service.js';
import type { RunningSandbox } from '../../sandbox/common/runner.js';
import { addMember, as, createTestApp, signup, type Session, type TestApp } from '../helpers/app.js';
import { scanDatabaseFor } from '../helpers/scan.js';
import { exampleSandbox } from '../sandbox-common/example-sandbox.js';
import { exampleCrm } from './example-crm.js';
import { connect, connectionRow, storedTokens, startCrmSandbox } from './harness.js';

let sandbox: RunningSandbox;
let t: TestApp;

beforeAll(async () => {
  sandbox = await startCrmSandbox(exampleSandbox);
  t = await createTestApp({ env: { HUBSPOT_SANDBOX_URL: sandbox.url, DEMO_SANDBOXES: 'false' } });
  substituteCrmModules(t.ctx, { hubspot: exampleCrm });
}, 180_000);
afterAll(async () => {
  await t?.close();
  await sandbox?.close();
}, 60_000);

const base = '/api/crm-integrations/connections';

async function connected(): Promise<{ owner: Session; id: string }> {
  const owner = await signup(t.app);
  const { connectionId } = await connect(t, owner, 'hubspot');
  return { owner, id: connectionId };
}

describe('roles and organizations', () => {
  it('lets MEMBER and VIEWER list connections and read the audit trail, and refuses them everything else', async () => {
    const { owner, id } = await connected();
    for (const role of ['MEMBER', 'VIEWER'] as const) {
      const reader = await addMember(t.app, owner, role);
      const call = as(t.app, reader);
      expect((await call({ method: 'GET', url: base })).json().map((c: { id: string }) => c.id)).toEqual([id]);
      expect((await call({ method: 'GET', url: `${base}/${id}/audit` })).statusCode).toBe(200);
      for (const req of [
        { method: 'GET' as const, url: '/api/crm-integrations/hubspot/authorize' },
        { method: 'POST' as const, url: `${base}/${id}/test` },
        { method: 'PATCH' as const, url: `${base}/${id}`, payload: { syncSettings: { boards: { contacts: '1' } } } },
        { method: 'DELETE' as const, url: `${base}/${id}` },
      ]) {
        const res = await call(req);
        expect(res.statusCode, `${role} ${req.method} ${req.url}`).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
    }
    expect((await connectionRow(t, id)).isActive).toBe(true);
    // An ADMIN may manage connections.
    const admin = await addMember(t.app, owner, 'ADMIN');
    expect((await as(t.app, admin)({ method: 'POST', url: `${base}/${id}/test` })).json()).toEqual({ isValid: true });
  });

  it("answers 404 for another organization's connection and never lists it", async () => {
    const { id } = await connected();
    const intruder = await signup(t.app, undefined, 'Intruder');
    const call = as(t.app, intruder);
    expect((await call({ method: 'GET', url: base })).json()).toEqual([]);
    for (const req of [
      { method: 'POST' as const, url: `${base}/${id}/test` },
      { method: 'GET' as const, url: `${base}/${id}/audit` },
      { method: 'PATCH' as const, url: `${base}/${id}`, payload: { syncSettings: { boards: { contacts: '1' } } } },
      { method: 'DELETE' as const, url: `${base}/${id}` },
    ]) {
      const res = await call(req);
      expect(res.statusCode, `${req.method} ${req.url}`).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    const row = await connectionRow(t, id);
    expect(row).toMatchObject({ isActive: true, syncSettings: { simulator: true } });
    expect(row.accessToken).not.toBeNull();
  });
}, 60_000);

describe('settings', () => {
  it('saves board choices and the rate-limit profile of a simulator connection, audited', async () => {
    const { owner, id } = await connected();
    const res = await as(t.app, owner)({ method: 'PATCH', url: `${base}/${id}`, payload: { syncSettings: { boards: { contacts: '1234567890', deals: '987' }, rateLimits: 'off' } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().syncSettings).toEqual({ simulator: true, boards: { contacts: '1234567890', deals: '987' }, rateLimits: 'off' });
    const row = await connectionRow(t, id);
    expect(budgetFor(t.ctx, exampleCrm, row)).toBeInstanceOf(UnlimitedBudget);
    const audit = (await as(t.app, owner)({ method: 'GET', url: `${base}/${id}/audit` })).json();
    expect(audit[0]).toMatchObject({ action: 'connection.settings_changed', actor: owner.email, metadata: { changed: ['boards', 'rateLimits'] } });
    // Reconnecting keeps the user's choices.
    await connect(t, owner, 'hubspot');
    expect((await connectionRow(t, id)).syncSettings).toMatchObject({ boards: { contacts: '1234567890', deals: '987' }, rateLimits: 'off' });
  });

  it('refuses unknown keys, system keys, bad board ids, and rate limits off for a real CRM', async () => {
    const { owner, id } = await connected();
    const patch = (syncSettings: unknown) => as(t.app, owner)({ method: 'PATCH', url: `${base}/${id}`, payload: { syncSettings } });
    for (const bad of [{ simulator: false }, { tokenHost: 'https://evil.example' }, { boards: { contacts: 'x y' } }, { boards: { widgets: '1' } }, { rateLimits: 'fast' }]) {
      const res = await patch(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    // A connection to the real CRM (simulator: false) keeps its limits.
    await t.ctx.db.update(crmConnections).set({ syncSettings: { simulator: false } }).where(eq(crmConnections.id, id));
    const off = await patch({ rateLimits: 'off' });
    expect(off.statusCode).toBe(400);
    expect(off.json().error.message).toMatch(/sandbox/);
    const row = await connectionRow(t, id);
    expect(row.syncSettings).toEqual({ simulator: false });
    expect(budgetFor(t.ctx, exampleCrm, { ...row, syncSettings: { simulator: false, rateLimits: 'off' } })).toBeInstanceOf(WindowBudget);
  });
}, 60_000);

describe('test and audit', () => {
  it('reports a token the CRM no longer accepts as invalid, records lastError, and audits both outcomes without secrets', async () => {
    const { owner, id } = await connected();
    const tokens = await storedTokens(t, id);
    expect((await as(t.app, owner)({ method: 'POST', url: `${base}/${id}/test` })).json()).toEqual({ isValid: true });
    sandbox.instance.ctx.oauth.revoke(tokens.refreshToken!, 'refresh_token'); // revoked at the CRM by the user
    const res = await as(t.app, owner)({ method: 'POST', url: `${base}/${id}/test` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.isValid).toBe(false);
    expect(body.error).toMatch(/Reconnect HubSpot/);
    const row = await connectionRow(t, id);
    expect(row.needsReauth).toBe(true);
    expect(row.lastError).toMatch(/^Reconnect HubSpot: /);
    const audit = (await as(t.app, owner)({ method: 'GET', url: `${base}/${id}/audit` })).json() as Array<{ action: string; actor: string; metadata: Record<string, unknown> }>;
    expect(audit.map((e) => e.action).reverse()).toEqual(['connection.created', 'connection.tested', 'connection.refresh_failed', 'connection.tested']);
    expect(audit[0]).toMatchObject({ actor: owner.email, metadata: { isValid: false, externalOrgId: '1001', username: 'example-user' } });
    expect(audit[1]).toMatchObject({ actor: owner.email, metadata: { reason: 'invalid_grant' } });
    const text = JSON.stringify(audit);
    expect(text).not.toContain(tokens.accessToken!);
    expect(text).not.toContain(tokens.refreshToken!);
  });
}, 60_000);

describe('revoke', () => {
  it('purges locally and records the failure when the CRM cannot be reached', async () => {
    const { owner, id } = await connected();
    substituteCrmModules(t.ctx, {
      hubspot: { ...exampleCrm, oauth: { ...exampleCrm.oauth, revoke: async () => Promise.reject(new TypeError('fetch failed')) } },
    });
    try {
      const res = await as(t.app, owner)({ method: 'DELETE', url: `${base}/${id}` });
      expect(res.statusCode).toBe(204);
    } finally {
      substituteCrmModules(t.ctx, { hubspot: exampleCrm });
    }
    const row = await connectionRow(t, id);
    expect(row).toMatchObject({ isActive: false, accessToken: null, refreshToken: null });
    expect(row.lastError).toMatch(/could not be told to revoke access/);
    const [entry] = (await as(t.app, owner)({ method: 'GET', url: `${base}/${id}/audit` })).json();
    expect(entry).toMatchObject({ action: 'connection.revoked', metadata: { revokedAtCrm: false, hadTokens: true } });
    // Revoking again is harmless.
    expect((await as(t.app, owner)({ method: 'DELETE', url: `${base}/${id}` })).statusCode).toBe(204);
    expect((await as(t.app, owner)({ method: 'POST', url: `${base}/${id}/test` })).json()).toMatchObject({ isValid: false, error: expect.stringMatching(/disconnected/) });
  });

  it('revokes every connection at the CRM before an organization is deleted', async () => {
    const { owner, id } = await connected();
    const tokens = await storedTokens(t, id);
    expect(sandbox.instance.ctx.oauth.checkAccessToken(tokens.accessToken).ok).toBe(true);
    const res = await as(t.app, owner)({ method: 'DELETE', url: '/api/organizations/current' });
    expect(res.statusCode, res.body).toBe(204);
    expect(sandbox.instance.ctx.oauth.checkAccessToken(tokens.accessToken)).toMatchObject({ ok: false, reason: 'revoked' });
    const reuse = sandbox.instance.ctx.oauth.refreshAccessToken({ refreshToken: tokens.refreshToken!, clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' });
    expect(reuse).toMatchObject({ ok: false, reason: 'revoked_refresh_token' });
    expect(await t.ctx.db.select().from(crmConnections).where(eq(crmConnections.id, id))).toEqual([]);
    expect(await scanDatabaseFor(t.ctx.database, [tokens.accessToken!, tokens.refreshToken!])).toEqual([]);
  });
}, 60_000);
