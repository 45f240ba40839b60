/**
 * Zoho client against the Zoho sandbox (issue 5): counts and full reads agree at 0, 1, 999, 1,000, 1,001, 2,001
 * and 10,001 records on the paged and the bulk path, each record once, links resolving; both paths normalise alike;
 * activities across four modules; field metadata; identity, testConnection and revoke.
 * Faults, token expiry, limits and Bulk Read fallback/resume: zoho-client-resilience.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/common/index.js';
import { revokeToken } from '../../src/crm/oauth-flow.js';
import type { CrmApiClient } from '../../src/crm/types.js';
import { zohoCrm } from '../../src/crm/zoho/index.js';
import { connectSandbox } from '../helpers/sandbox-connection.js';
import { bulk, ids, paged, setup, unique } from './zoho-setup.js';

describe('Zoho client: counts and full reads agree, paged and bulk', () => {
  for (const n of [0, 1, 999, 1_000, 1_001, 2_001, 10_001]) {
    it(`${n} contacts`, { timeout: 45_000 }, async () => {
      const { s, client } = await setup({ accounts: 37, contacts: n });
      try {
        expect(await client.getRecordCount('contacts')).toBe(n);
        const p = await paged(client, 'contacts');
        expect(p).toHaveLength(n);
        expect(unique(p)).toBe(n);
        const b = await bulk(client, 'contacts');
        expect(b).toHaveLength(n);
        expect(new Set(ids(b))).toEqual(new Set(ids(p)));
        if (n > 0) {
          const accounts = new Set(ids(await paged(client, 'accounts')));
          for (const r of [...p, ...b]) if (r.links.account) expect(accounts.has(r.links.account)).toBe(true);
          expect(p.filter((r) => r.links.account).length).toBeGreaterThan(n * 0.8);
          expect(b.filter((r) => r.links.account).length).toBe(p.filter((r) => r.links.account).length);
        }
      } finally {
        await s.close();
      }
    });
  }

  it('normalises the same record alike on both paths', { timeout: 30_000 }, async () => {
    const { s, client } = await setup({ accounts: 10, contacts: 50, deals: 40 });
    try {
      const p = new Map((await paged(client, 'deals')).map((r) => [r.id, r]));
      for (const r of await bulk(client, 'deals')) {
        const q = p.get(r.id)!;
        expect(r.links).toEqual(q.links);
        expect(r.owner).toBe(q.owner);
        expect(r.createdAt).toBe(q.createdAt);
        expect(r.updatedAt).toBe(q.updatedAt);
        for (const k of ['Deal_Name', 'Amount', 'Stage', 'Closing_Date', 'Competitor', 'Description']) expect(r.fields[k]).toEqual(q.fields[k]);
        expect((r.fields.Account_Name as { name?: string } | null)?.name).toBe((q.fields.Account_Name as { name?: string } | null)?.name);
      }
      const one = [...p.values()][0]!;
      expect(one.createdAt).toMatch(/Z$/);
      expect(one.fields.Owner).toMatchObject({ id: one.owner, email: expect.stringContaining('@') });
    } finally {
      await s.close();
    }
  });

  it('reads activities from Tasks, Events, Calls and Notes: count = sum, ids unique, links resolve', { timeout: 45_000 }, async () => {
    const { s, client } = await setup({ accounts: 20, contacts: 200, deals: 80, activities: 1_001 });
    try {
      expect(await client.getRecordCount('activities')).toBe(1_001);
      const p = await paged(client, 'activities', 137);
      const b = await bulk(client, 'activities');
      expect(p).toHaveLength(1_001);
      expect(unique(p)).toBe(1_001);
      expect(new Set(ids(b))).toEqual(new Set(ids(p)));
      const kinds = new Set(b.map((r) => r.activityType));
      expect(kinds).toEqual(new Set(['task', 'meeting', 'call', 'note']));
      const deals = new Set(ids(await paged(client, 'deals')));
      const contacts = new Set(ids(await paged(client, 'contacts')));
      const accounts = new Set(ids(await paged(client, 'accounts')));
      let linked = 0;
      for (const r of [...p, ...b]) {
        if (r.links.deal) expect(deals.has(r.links.deal)).toBe(true);
        if (r.links.contact) expect(contacts.has(r.links.contact)).toBe(true);
        if (r.links.account) expect(accounts.has(r.links.account)).toBe(true);
        if (r.links.deal || r.links.contact || r.links.account) linked++;
      }
      expect(linked).toBe(2_002);
    } finally {
      await s.close();
    }
  });
});

describe('Zoho client: metadata and connection', () => {
  let s: RunningSandbox;
  let client: CrmApiClient;
  let conn: Awaited<ReturnType<typeof connectSandbox>>;
  beforeAll(async () => {
    ({ s, client, conn } = await setup({ accounts: 5, contacts: 10, leads: 3, deals: 3, activities: 10 }));
  }, 30_000);
  afterAll(() => s.close());

  it('describes fields from the metadata API, custom ones included', { timeout: 30_000 }, async () => {
    const contacts = await client.describeFields('contacts');
    expect(contacts.filter((f) => f.custom).map((f) => f.name)).toEqual(['Preferred_Language', 'Newsletter_Opt_in', 'NPS_Score', 'Customer_Tier']);
    expect(contacts.find((f) => f.name === 'Customer_Tier')).toMatchObject({ type: 'picklist', values: ['Bronze', 'Silver', 'Gold', 'Platinum'] });
    const activities = (await client.describeFields('activities')).map((f) => f.name);
    for (const n of ['Subject', 'Event_Title', 'Call_Start_Time', 'Note_Content', 'Outcome', 'Direction']) expect(activities).toContain(n);
    expect(new Set(activities).size).toBe(activities.length);
  });

  it('reads identity, tests the connection, and reports it broken after revoke', { timeout: 30_000 }, async () => {
    const id = await zohoCrm.oauth.fetchIdentity(fetch, conn.tokens, conn.resolved.hosts);
    expect(id).toMatchObject({ externalOrgId: expect.stringMatching(/^\d{19}$/), externalUserId: expect.stringMatching(/^\d{19}$/), isSandbox: false });
    expect(await client.testConnection()).toEqual({ isValid: true });
    await revokeToken(conn.resolved, conn.tokens.refreshToken!, 'refresh_token', conn.tokens.instanceUrl);
    const after = await client.testConnection();
    expect(after.isValid).toBe(false);
    expect(after.error).toBeTruthy();
  });
});
