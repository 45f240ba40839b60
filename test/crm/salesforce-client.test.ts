/**
 * The Salesforce client against its sandbox, connected the way the product connects: counts equal full reads on
 * the standard and the bulk path at the edge sizes, each record once, links that resolve; describeFields;
 * identity; testConnection before and after revoke. (Faults, expiry, resume, limits: salesforce-client-resilience.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceCrm } from '../../src/crm/salesforce/index.js';
import type { SourceRecord } from '../../src/crm/types.js';
import { startSandbox } from '../../sandbox/common/index.js';
import { salesforceSandbox } from '../../sandbox/salesforce/index.js';
import { connectSandbox } from '../helpers/sandbox-connection.js';
import { bulkAll, expectEachOnce, idsOf, pageAll, setup, type Setup } from './salesforce-setup.js';

describe('Salesforce client: counts equal full reads on both paths', () => {
  it.each([0, 1, 999, 1000, 1001, 2001, 10001])('%i contacts: count, paged and bulk reads agree, each record once, links resolve', async (n) => {
    const t = await setup({ contacts: n });
    try {
      expect(await t.client.getRecordCount('contacts')).toBe(n);
      const paged = await pageAll(t.client, 'contacts');
      expectEachOnce(paged, n);
      const bulk = await bulkAll(t.client, 'contacts');
      expectEachOnce(bulk.records, n);
      expect(new Set(idsOf(bulk.records))).toEqual(new Set(idsOf(paged)));
      if (n > 0) expect(bulk.resumes.at(-1)).toBeNull();
      const accounts = new Set(idsOf(await pageAll(t.client, 'accounts')));
      expect(accounts.size).toBe(40);
      const linked = paged.filter((r) => r.links.account);
      if (n >= 100) expect(linked.length).toBeGreaterThan(n * 0.8);
      for (const r of [...linked, ...bulk.records.filter((x) => x.links.account)]) expect(accounts.has(r.links.account!)).toBe(true);
      if (n > 0) expect(paged[0]).toMatchObject({ owner: expect.stringMatching(/^005/), createdAt: expect.stringMatching(/Z$/), updatedAt: expect.stringMatching(/Z$/) });
    } finally {
      await t.close();
    }
  }, 60_000);

  it('reads activities as Task + Event + Note: the count is the sum, ids unique, types and links resolve', async () => {
    const t = await setup({ accounts: 30, contacts: 200, deals: 60, activities: 2500 });
    try {
      expect(await t.client.getRecordCount('activities')).toBe(2500);
      const paged = await pageAll(t.client, 'activities');
      expectEachOnce(paged, 2500);
      const bulk = await bulkAll(t.client, 'activities');
      expectEachOnce(bulk.records, 2500);
      expect(new Set(paged.map((r) => r.activityType))).toEqual(new Set(['note', 'task', 'call', 'meeting', 'email']));
      const contacts = new Set(idsOf(await pageAll(t.client, 'contacts')));
      const deals = new Set(idsOf(await pageAll(t.client, 'deals')));
      const accounts = new Set(idsOf(await pageAll(t.client, 'accounts')));
      for (const r of bulk.records) {
        if (r.links.contact) expect(contacts.has(r.links.contact)).toBe(true);
        if (r.links.deal) expect(deals.has(r.links.deal)).toBe(true);
        if (r.links.account) expect(accounts.has(r.links.account)).toBe(true);
      }
      expect(bulk.records.filter((r) => r.links.deal).length).toBeGreaterThan(500);
      const deal = (await pageAll(t.client, 'deals')).find((r) => r.links.contact && r.links.account);
      expect(deal).toBeDefined();
    } finally {
      await t.close();
    }
  }, 60_000);

  it('pages below Salesforce\'s minimum batch with LIMIT after the last Id', async () => {
    const t = await setup({ contacts: 450 });
    try {
      const pages: number[] = [];
      let cursor: string | null = null;
      const all: SourceRecord[] = [];
      do {
        const p = await t.client.fetchRecords('contacts', cursor, 150);
        pages.push(p.records.length);
        all.push(...p.records);
        cursor = p.nextCursor;
      } while (cursor);
      expect(pages).toEqual([150, 150, 150, 0]);
      expectEachOnce(all, 450);
    } finally {
      await t.close();
    }
  }, 30_000);
});

describe('Salesforce client: metadata and connection', () => {
  let t: Setup;
  beforeAll(async () => {
    t = await setup({ contacts: 5, activities: 30, deals: 3 });
  }, 30_000);
  afterAll(() => t.close());

  it('describes fields with the custom ones, for every object of an entity', async () => {
    const contacts = await t.client.describeFields('contacts');
    expect(contacts.find((f) => f.name === 'Customer_Tier__c')).toMatchObject({ custom: true, type: 'picklist', values: ['Bronze', 'Silver', 'Gold', 'Platinum'] });
    expect(contacts.find((f) => f.name === 'Email')).toMatchObject({ custom: false, type: 'email' });
    const activities = (await t.client.describeFields('activities')).map((f) => f.name);
    expect(activities).toEqual(expect.arrayContaining(['TaskSubtype', 'StartDateTime', 'Body', 'ParentId', 'Outcome__c', 'Direction__c']));
    expect(new Set(activities).size).toBe(activities.length);
  });

  it('reads the identity and IsSandbox after connecting', async () => {
    const id = await salesforceCrm.oauth.fetchIdentity(fetch, t.conn.tokens, t.conn.resolved.hosts);
    expect(id).toMatchObject({ externalOrgId: expect.stringMatching(/^00D/), externalUserId: expect.stringMatching(/^005/), isSandbox: false, email: expect.stringContaining('@') });
    const sb = await startSandbox(salesforceSandbox, { records: { accounts: 1, contacts: 1, leads: 0, deals: 0, activities: 0 }, extras: { sandboxOrg: 'true' } });
    try {
      const conn = await connectSandbox(salesforceCrm, sb.url);
      expect((await salesforceCrm.oauth.fetchIdentity(fetch, conn.tokens, conn.resolved.hosts)).isSandbox).toBe(true);
    } finally {
      await sb.close();
    }
  });

  it('tests the connection: valid, then invalid once the grant is revoked', async () => {
    expect(await t.client.testConnection()).toEqual({ isValid: true });
    const res = await fetch(`${t.s.url}/services/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: t.conn.tokens.refreshToken! }) });
    expect(res.status).toBe(200);
    const after = await t.client.testConnection();
    expect(after.isValid).toBe(false);
    expect(after.error).toBeTruthy();
  });
});
