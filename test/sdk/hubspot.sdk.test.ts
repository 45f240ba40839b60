/**
 * HubSpot's own Node SDK (@hubspot/api-client v13), unmodified, against the sandbox: pointed at it with the SDK's
 * documented `basePath` option (lib/src/configuration/ApiClientConfigurator.js turns it into the server of every
 * API), it exchanges a code for tokens (POST /oauth/v1/token), refreshes, reads token info, pages all contacts
 * with getAll, pages search results, batch-reads, lists properties and runs an export (start + status; see the
 * export test for the SDK bug that makes publicExportsApi.start unusable in 13.5.0).
 */
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/common/index.js';
import { hubspotSandbox } from '../../sandbox/hubspot/index.js';
import { decideOnConsentPage } from '../helpers/consent.js';

const CLIENT_ID = 'sandbox-client-id';
const CLIENT_SECRET = 'sandbox-client-secret';
const REDIRECT = 'http://127.0.0.1:5555/callback';
const CONTACTS = 1_234;

describe('@hubspot/api-client against the HubSpot sandbox', { timeout: 30_000 }, () => {
  let s: RunningSandbox;
  let accessToken: string;
  let refreshToken: string;
  let hubspot: Client;

  beforeAll(async () => {
    s = await startSandbox(hubspotSandbox, { records: { contacts: CONTACTS, accounts: 100, deals: 50, leads: 5, activities: 50 }, rateLimits: 'off', extras: { exportBaseMs: '50', exportMsPer1k: '0' } }, { port: 0 });
    const scope = 'oauth crm.objects.contacts.read crm.objects.companies.read crm.export';
    const back = await decideOnConsentPage(`${s.url}/oauth/authorize?${new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: REDIRECT, scope, state: 'sdk' })}`, 'allow');
    const tokens = await new Client({ basePath: s.url }).oauth.tokensApi.create('authorization_code', back.searchParams.get('code')!, REDIRECT, CLIENT_ID, CLIENT_SECRET);
    accessToken = tokens.accessToken;
    refreshToken = tokens.refreshToken;
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.tokenType).toBe('bearer');
    hubspot = new Client({ accessToken, basePath: s.url });
  });
  afterAll(() => s.close());

  it('refreshes with oauth.tokensApi.create and reads token info with accessTokensApi', async () => {
    const refreshed = await new Client({ basePath: s.url }).oauth.tokensApi.create('refresh_token', undefined, undefined, CLIENT_ID, CLIENT_SECRET, refreshToken);
    expect(refreshed.refreshToken).toBe(refreshToken);
    expect(refreshed.accessToken).not.toBe(accessToken);
    const info = await new Client({ basePath: s.url }).oauth.accessTokensApi.get(refreshed.accessToken);
    expect(info).toMatchObject({ hubId: 48151623, userId: 2620142, tokenType: 'access' });
    expect(info.scopes).toContain('crm.export');
  });

  it('reads every contact with crm.contacts.getAll()', async () => {
    const all = await hubspot.crm.contacts.getAll(100, undefined, ['email', 'firstname', 'customer_tier'], undefined, ['companies']);
    expect(all).toHaveLength(CONTACTS);
    expect(new Set(all.map((c) => c.id)).size).toBe(CONTACTS);
    expect(all[0]!.properties).toHaveProperty('customer_tier');
    expect(all[0]!.createdAt).toBeInstanceOf(Date);
    expect(all.filter((c) => c.associations?.companies?.results.length).length).toBeGreaterThan(CONTACTS * 0.8);
  });

  it('pages every contact through searchApi.doSearch', async () => {
    const ids = new Set<string>();
    let after: string | undefined;
    let total: number | undefined;
    do {
      const page = await hubspot.crm.contacts.searchApi.doSearch({ filterGroups: [], sorts: ['hs_object_id'], properties: ['email'], limit: 200, after });
      total = page.total;
      for (const r of page.results) ids.add(r.id);
      after = page.paging?.next?.after;
    } while (after);
    expect(total).toBe(CONTACTS);
    expect(ids.size).toBe(CONTACTS);
  });

  it('batch-reads contacts 100 at a time until every one is read', async () => {
    const ids = new Set<string>();
    for (let start = 1; start <= CONTACTS; start += 100) {
      const inputs = Array.from({ length: Math.min(100, CONTACTS - start + 1) }, (_, k) => ({ id: String(start + k) }));
      const res = await hubspot.crm.contacts.batchApi.read({ inputs, properties: ['email'], propertiesWithHistory: [] });
      for (const r of res.results) ids.add(r.id);
    }
    expect(ids.size).toBe(CONTACTS);
  });

  it('lists properties, custom ones included', async () => {
    const props = await hubspot.crm.properties.coreApi.getAll('contacts');
    expect(props.results.map((p) => p.name)).toEqual(expect.arrayContaining(['email', 'preferred_language', 'customer_tier']));
  });

  it('runs an export: start via the SDK apiRequest, status via publicExportsApi.getStatus; the CSV holds every contact', async () => {
    const request = {
      exportType: 'VIEW', format: 'CSV', exportName: 'sdk export', objectType: 'CONTACT', objectProperties: ['email', 'firstname'], language: 'EN',
      exportInternalValuesOptions: ['NAMES'],
    };
    // In v13.5.0 publicExportsApi.start cannot serialize any request: the declared body type PublicExportRequest is a
    // oneOf whose generated class has no getAttributeTypeMap, so the SDK throws before sending anything. The SDK's
    // own generic apiRequest (same basePath and auth) starts the export instead; no SDK code is patched.
    const before = ((await (await fetch(`${s.url}/_sandbox/stats`)).json()) as { requests: { total: number } }).requests.total;
    await expect(hubspot.crm.exports.publicExportsApi.start(request as Parameters<typeof hubspot.crm.exports.publicExportsApi.start>[0])).rejects.toThrow(/getAttributeTypeMap/);
    expect(((await (await fetch(`${s.url}/_sandbox/stats`)).json()) as { requests: { total: number } }).requests.total).toBe(before);

    const started = await hubspot.apiRequest({ method: 'POST', path: '/crm/v3/exports/export/async', body: request });
    expect(started.status).toBe(202);
    const task = (await started.json()) as { id: string };
    let status = await hubspot.crm.exports.publicExportsApi.getStatus(Number(task.id));
    for (let i = 0; i < 40 && status.status !== 'COMPLETE'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await hubspot.crm.exports.publicExportsApi.getStatus(Number(task.id));
    }
    expect(status.status).toBe('COMPLETE');
    const csv = await (await fetch(status.result!)).text();
    const rows = csv.trim().split('\r\n');
    expect(rows[0]).toBe('hs_object_id,email,firstname');
    expect(new Set(rows.slice(1).map((r) => r.split(',')[0])).size).toBe(CONTACTS);
  });

  it('retries on the sandbox 429 bodies by itself (numberOfApiCallRetries: TEN_SECONDLY_ROLLING policyName, the secondly search message)', async () => {
    const config = (body: unknown) => fetch(`${s.url}/_sandbox/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await config({ rateLimits: 'realistic', limits: { burst: { limit: 3, windowMs: 1_000 }, search: { limit: 2, windowMs: 1_000 } } });
    await fetch(`${s.url}/_sandbox/reset`, { method: 'POST' });
    const quiet = console.error;
    console.error = () => undefined; // the SDK logs each retry
    try {
      const retrying = new Client({ accessToken, basePath: s.url, numberOfApiCallRetries: 3 });
      const pages = await Promise.all(Array.from({ length: 4 }, () => retrying.crm.contacts.basicApi.getPage(1)));
      expect(pages.every((p) => p.results.length === 1)).toBe(true);
      const searches = await Promise.all(Array.from({ length: 3 }, () => retrying.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 1 })));
      expect(searches.every((p) => p.total === CONTACTS)).toBe(true);
      const stats = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as { rejected: { byReason: Record<string, number> } };
      expect(stats.rejected.byReason.rate_limited).toBeGreaterThanOrEqual(2);
    } finally {
      console.error = quiet;
      await config({ rateLimits: 'off', limits: { burst: { limit: 190, windowMs: 10_000 }, search: { limit: 5, windowMs: 1_000 } } });
    }
  });
});
