/**
 * jsforce 3.10.16 — Salesforce's own JavaScript SDK, unmodified — against the Salesforce sandbox, pointed at it
 * only through its configuration (OAuth2 loginUrl; the instance URL comes from the token response): authorize URL
 * with PKCE, code exchange, query + queryMore and autoFetch reading every record, queryAll (scanAll), automatic
 * refresh on an expired session, describe, identity, limits, and Bulk API 2.0 query.
 *
 * The bulk test keeps the result in one chunk (fewer rows than the sandbox's default chunk of 50,000): jsforce's
 * multi-chunk Bulk 2.0 reader has a known upstream bug (jsforce/jsforce#1546), outside what this sandbox checks.
 */
import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/common/index.js';
import { salesforceSandbox } from '../../sandbox/salesforce/index.js';
import { decideOnConsentPage } from '../helpers/consent.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
const CONTACTS = 4321;
let s: RunningSandbox;
let conn: jsforce.Connection;

beforeAll(async () => {
  s = await startSandbox(salesforceSandbox, { rateLimits: 'off', extras: { bulkProcessingMs: '200' }, records: { accounts: 60, contacts: CONTACTS, leads: 10, deals: 20, activities: 50 } });
  const oauth2 = new jsforce.OAuth2({ loginUrl: s.url, clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', redirectUri: REDIRECT, useVerifier: true });
  const url = oauth2.getAuthorizationUrl({ scope: 'api id refresh_token', state: 'jsforce-state' });
  expect(url).toContain('code_challenge=');
  const back = await decideOnConsentPage(url, 'allow');
  expect(back.searchParams.get('state')).toBe('jsforce-state');
  conn = new jsforce.Connection({ oauth2, version: '62.0' });
  const userInfo = await conn.authorize(back.searchParams.get('code')!);
  expect(userInfo.organizationId).toMatch(/^00D/);
  expect(userInfo.id).toMatch(/^005/);
}, 30_000);
afterAll(() => s.close());

describe('jsforce against the Salesforce sandbox', () => {
  it('connected through OAuth: instance URL and refresh token from the token response', () => {
    expect(conn.instanceUrl).toBe(s.url);
    expect(conn.accessToken).toMatch(/^00D/);
    expect(conn.refreshToken).toMatch(/^5Aep861/);
  });

  it('reads every contact with query + queryMore', async () => {
    let res = await conn.query<{ Id: string; Name: string }>('SELECT Id, Name, Account.Name FROM Contact');
    expect(res.totalSize).toBe(CONTACTS);
    const ids = res.records.map((r) => r.Id);
    while (!res.done) {
      res = await conn.queryMore<{ Id: string; Name: string }>(res.nextRecordsUrl!);
      ids.push(...res.records.map((r) => r.Id));
    }
    expect(ids.length).toBe(CONTACTS);
    expect(new Set(ids).size).toBe(CONTACTS);
  });

  it('reads every contact with autoFetch, and deleted ones with scanAll', async () => {
    const all = await conn.query<{ Id: string }>('SELECT Id FROM Contact', { autoFetch: true, maxFetch: 100_000 });
    expect(all.records.length).toBe(CONTACTS);
    expect(new Set(all.records.map((r) => r.Id)).size).toBe(CONTACTS);
    const withDeleted = await conn.query<{ Id: string; IsDeleted: boolean }>('SELECT Id, IsDeleted FROM Contact', { autoFetch: true, maxFetch: 100_000, scanAll: true });
    expect(withDeleted.records.length).toBe(CONTACTS + Math.floor(CONTACTS * 0.01));
    expect(withDeleted.records.filter((r) => r.IsDeleted).length).toBe(Math.floor(CONTACTS * 0.01));
  });

  it('refreshes an expired session by itself and carries on', async () => {
    const before = conn.accessToken;
    let refreshed = 0;
    conn.on('refresh', () => refreshed++);
    await fetch(`${s.url}/_sandbox/tokens/expire`, { method: 'POST' });
    const res = await conn.query<{ Id: string }>('SELECT Id FROM Account', { autoFetch: true, maxFetch: 1000 });
    expect(res.records.length).toBe(60);
    expect(refreshed).toBe(1);
    expect(conn.accessToken).not.toBe(before);
  });

  it('describes objects with custom fields, and reads identity and limits', async () => {
    const d = await conn.sobject('Account').describe();
    expect(d.keyPrefix).toBe('001');
    expect(d.fields.filter((f) => f.custom).map((f) => f.name)).toEqual(['Customer_Tier__c', 'NPS_Score__c', 'Renewal_Date__c', 'SLA__c']);
    const id = await conn.identity();
    expect(id.organization_id).toMatch(/^00D/);
    expect(id.username).toContain('@');
    const limits = await conn.limits();
    expect(limits.DailyApiRequests?.Max).toBe(110_000);
  });

  it('reads every contact with Bulk API 2.0 (one results chunk)', async () => {
    const stream = await conn.bulk2.query('SELECT Id, LastName, Account.Name FROM Contact', { pollInterval: 100, pollTimeout: 20_000 });
    const records: Record<string, unknown>[] = [];
    for await (const r of stream as AsyncIterable<Record<string, unknown>>) records.push(r);
    expect(records.length).toBe(CONTACTS);
    expect(new Set(records.map((r) => r.Id)).size).toBe(CONTACTS);
    expect(Object.keys(records[0]!)).toEqual(['Id', 'LastName', 'Account.Name']);
  });
});
