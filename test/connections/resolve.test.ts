/**
 * Configuration → how each CRM is reached (real client, external sandbox, demo sandbox, not configured), the
 * fixed redirect URI, and the syncSettings rules (user keys vs system keys). Pure: no database, no network.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { AppError } from '../../src/errors.js';
import { allCrmSetups, crmSetup, redirectUriFor, resolveCrm, resolveWithModule } from '../../src/crm/resolve.js';
import { demoCrms } from '../../src/server/demo-mounts.js';
import { forConnection, tokenHostFromCallback } from '../../src/services/connection/crm-access.js';
import { checkState } from '../../src/services/connection/oauth-state.js';
import { applySettingsPatch, rateLimitsOff, SettingsError, settingsAfterConnect } from '../../src/services/connection/settings.js';
import { exampleCrm } from './example-crm.js';

const env = (extra: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://crm-migrate.example.com', ...extra });

describe('crmSetup / resolveWithModule', () => {
  it('prefers a real client, then an external sandbox, then the demo sandbox', () => {
    const config = env({ HUBSPOT_CLIENT_ID: 'id-1', HUBSPOT_CLIENT_SECRET: 'secret-1', HUBSPOT_SANDBOX_URL: 'http://127.0.0.1:4010', ZOHO_SANDBOX_URL: 'http://127.0.0.1:4020/' });
    expect(crmSetup(config, 'hubspot')).toMatchObject({ source: 'client', mode: 'real', configured: true });
    expect(crmSetup(config, 'zoho')).toMatchObject({ source: 'sandbox_url', mode: 'sandbox', sandboxUrl: 'http://127.0.0.1:4020' });
    expect(crmSetup(config, 'salesforce')).toMatchObject({ source: 'demo', mode: 'sandbox', sandboxUrl: 'https://crm-migrate.example.com/sandbox/salesforce' });
    expect(allCrmSetups(env({ DEMO_SANDBOXES: 'false' })).map((s) => s.configured)).toEqual([false, false, false, false, false]);
    // Demo mode mounts a built-in sandbox only for the CRMs that have neither.
    expect(demoCrms(config)).toEqual(['salesforce', 'pipedrive', 'monday']);
    expect(demoCrms(env({ DEMO_SANDBOXES: 'false' }))).toEqual([]);
  });

  it('uses the definition hosts and the configured client for a real CRM; the sandbox URL for every host otherwise', () => {
    const real = resolveWithModule(env({ HUBSPOT_CLIENT_ID: 'id-1', HUBSPOT_CLIENT_SECRET: 'secret-1' }), exampleCrm);
    expect(real).toMatchObject({ mode: 'real', hosts: exampleCrm.definition.hosts, client: { clientId: 'id-1', clientSecret: 'secret-1', redirectUri: 'https://crm-migrate.example.com/api/crm-integrations/hubspot/callback' } });
    const sandbox = resolveWithModule(env({ HUBSPOT_SANDBOX_URL: 'http://127.0.0.1:4010' }), exampleCrm);
    expect(sandbox).toMatchObject({
      mode: 'sandbox',
      hosts: { authorize: 'http://127.0.0.1:4010', token: 'http://127.0.0.1:4010', revoke: 'http://127.0.0.1:4010', api: 'http://127.0.0.1:4010' },
      client: { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' },
    });
    expect(redirectUriFor(env(), 'monday')).toBe('https://crm-migrate.example.com/api/crm-integrations/monday/callback');
  });

  it('answers CRM_NOT_CONFIGURED, naming the variables, when there is no way to reach the CRM', async () => {
    const err = await resolveCrm(env({ DEMO_SANDBOXES: 'false' }), 'pipedrive').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'CRM_NOT_CONFIGURED', status: 409 });
    expect((err as AppError).message).toMatch(/PIPEDRIVE_CLIENT_ID.*PIPEDRIVE_SANDBOX_URL.*DEMO_SANDBOXES/);
  });

  it('answers CRM_NOT_CONFIGURED when the CRM module cannot be loaded', async () => {
    const err = await resolveCrm(env(), 'zoho', { loadModule: () => Promise.reject(Object.assign(new Error('x'), { name: 'CrmModuleUnavailableError' })) }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(AppError); // a failure other than "module unavailable" is not disguised
    const { CrmModuleUnavailableError } = await import('../../src/crm/registry.js');
    const unavailable = await resolveCrm(env(), 'zoho', { loadModule: () => Promise.reject(new CrmModuleUnavailableError('zoho')) }).catch((e: unknown) => e);
    expect(unavailable).toMatchObject({ code: 'CRM_NOT_CONFIGURED' });
  });
});

describe('token hosts', () => {
  const zohoLike = {
    ...exampleCrm,
    oauth: {
      ...exampleCrm.oauth,
      trustedTokenHosts: ['https://accounts.zoho.com', 'https://accounts.zoho.eu'],
      tokenHostFromCallback(query: Readonly<Record<string, string>>, hosts: { token: string }, allowed: readonly string[]) {
        const named = query['accounts-server'];
        if (!named) return hosts.token;
        if (!allowed.includes(named)) throw new Error(`untrusted accounts server ${named}`);
        return named;
      },
    },
  };

  it('trusts only the CRM’s own hosts for a real client, and only the sandbox in sandbox mode', () => {
    const real = resolveWithModule(env({ HUBSPOT_CLIENT_ID: 'a', HUBSPOT_CLIENT_SECRET: 'b' }), zohoLike);
    expect(tokenHostFromCallback(real, { 'accounts-server': 'https://accounts.zoho.eu' })).toBe('https://accounts.zoho.eu');
    expect(() => tokenHostFromCallback(real, { 'accounts-server': 'https://evil.example' })).toThrow(/untrusted/);
    const sandbox = resolveWithModule(env({ HUBSPOT_SANDBOX_URL: 'http://127.0.0.1:4010' }), zohoLike);
    expect(() => tokenHostFromCallback(sandbox, { 'accounts-server': 'https://accounts.zoho.eu' })).toThrow(/untrusted/);
  });

  it('refreshes and revokes a connection at the token host it was made at', () => {
    const real = resolveWithModule(env({ HUBSPOT_CLIENT_ID: 'a', HUBSPOT_CLIENT_SECRET: 'b' }), zohoLike);
    expect(forConnection(real, { simulator: false, tokenHost: 'https://accounts.zoho.eu' }).hosts).toMatchObject({ token: 'https://accounts.zoho.eu', revoke: 'https://accounts.zoho.eu' });
    expect(forConnection(real, { simulator: false }).hosts).toEqual(real.hosts);
  });
});

describe('syncSettings', () => {
  it('keeps the user’s choices and replaces the system facts on reconnect', () => {
    const next = settingsAfterConnect({ simulator: true, boards: { contacts: '1' }, rateLimits: 'off', tokenHost: 'x' }, { simulator: true });
    expect(next).toEqual({ simulator: true, boards: { contacts: '1' }, rateLimits: 'off' });
    // Now against the real CRM: rate limits cannot stay off.
    expect(settingsAfterConnect(next, { simulator: false })).toEqual({ simulator: false, boards: { contacts: '1' } });
  });

  it('allows rate limits off only on a simulator connection', () => {
    expect(() => applySettingsPatch({ simulator: false }, { rateLimits: 'off' })).toThrow(SettingsError);
    expect(rateLimitsOff(applySettingsPatch({ simulator: true }, { rateLimits: 'off' }))).toBe(true);
    expect(rateLimitsOff({ simulator: false, rateLimits: 'off' })).toBe(false);
    expect(applySettingsPatch({ simulator: true, boards: { contacts: '1' } }, { boards: { deals: '2' } })).toEqual({ simulator: true, boards: { deals: '2' } });
  });
});

describe('checkState', () => {
  const now = new Date('2025-01-01T12:00:00Z');
  const row = { usedAt: null, expiresAt: new Date('2025-01-01T12:05:00Z'), crmType: 'hubspot', userId: 'u1', organizationId: 'o1', sessionHash: 's1' };
  const who = { crmType: 'hubspot', userId: 'u1', organizationId: 'o1', sessionHash: 's1' };

  it('admits only the same user, organization, session and CRM, once, before expiry', () => {
    expect(checkState(row, who, now)).toBeNull();
    expect(checkState({ ...row, usedAt: now }, who, now)).toBe('used');
    expect(checkState(row, { ...who, crmType: 'zoho' }, now)).toBe('other_crm');
    expect(checkState(row, { ...who, userId: 'u2' }, now)).toBe('other_user');
    expect(checkState(row, { ...who, organizationId: 'o2' }, now)).toBe('other_user');
    expect(checkState(row, { ...who, sessionHash: 's2' }, now)).toBe('other_session');
    expect(checkState(row, who, new Date('2025-01-01T12:05:00Z'))).toBe('expired');
  });
});
