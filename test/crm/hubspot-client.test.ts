/**
 * The HubSpot client against the HubSpot sandbox, connected as the product connects (consent → code → tokens):
 * counts equal full reads on the paged and the export path at the sizes around the caps, links resolve, every
 * entity, custom fields, resume, and long property lists (failures: hubspot-client-failures.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/common/index.js';
import { hubspotCrm } from '../../src/crm/hubspot/index.js';
import type { CrmApiClient, CrmHttp, CrmHttpRequest, SourceRecord } from '../../src/crm/types.js';
import { createTestClient } from '../helpers/sandbox-connection.js';
import { BASE, bulk, expectOnce, paged, sandbox, stats } from './hubspot-setup.js';

describe('HubSpot client: counts equal full reads on both paths', { timeout: 30_000 }, () => {
  it.each([0, 1, 999, 1_000, 1_001, 2_001, 10_001])('%i contacts', async (n) => {
    const { s, conn } = await sandbox({ records: { contacts: n } });
    try {
      const client = createTestClient(hubspotCrm, conn);
      const count = await client.getRecordCount('contacts');
      expect(count).toBe(n);
      const viaPages = await paged(client, 'contacts');
      expectOnce(viaPages, n);
      const viaExport = await bulk(client, 'contacts');
      expectOnce(viaExport, n);
      expect(new Set(viaExport.map((r) => r.id))).toEqual(new Set(viaPages.map((r) => r.id)));
      const accounts = new Set((await paged(client, 'accounts')).map((r) => r.id));
      for (const r of [...viaPages, ...viaExport]) if (r.links.account !== undefined) expect(accounts.has(r.links.account)).toBe(true);
      if (n > 10) {
        expect(viaPages.filter((r) => r.links.account).length).toBeGreaterThan(n * 0.8);
        expect(viaExport.filter((r) => r.links.account).length).toBe(viaPages.filter((r) => r.links.account).length);
      }
      const st = await stats(s);
      expect(st.requests.byEndpoint['POST /crm/v3/exports/export/async'] ?? 0).toBe(1);
    } finally {
      await s.close();
    }
  }, 60_000);
});

describe('HubSpot client: every entity', { timeout: 30_000 }, () => {
  let s: RunningSandbox;
  let client: CrmApiClient;
  beforeAll(async () => {
    const x = await sandbox();
    s = x.s;
    client = createTestClient(hubspotCrm, x.conn);
  });
  afterAll(() => s.close());

  it('reads accounts, contacts, leads, deals and the five activity objects; links resolve to records that exist', async () => {
    const ids: Record<string, Set<string>> = {};
    for (const entity of ['accounts', 'contacts', 'leads', 'deals', 'activities'] as const) {
      const count = await client.getRecordCount(entity);
      expect(count).toBe(BASE[entity]);
      const records = await paged(client, entity, 37);
      expectOnce(records, count);
      expectOnce(await bulk(client, entity), count);
      ids[entity] = new Set(records.map((r) => r.id));
      for (const r of records) {
        expect(r.createdAt).toMatch(/Z$/);
        expect(r.updatedAt).toMatch(/Z$/);
        expect(r.owner).toMatch(/^\d+$/);
      }
      if (entity === 'activities') {
        expect(new Set(records.map((r) => r.activityType))).toEqual(new Set(['note', 'task', 'call', 'meeting', 'email']));
        expect(records.every((r) => /^(notes|tasks|calls|meetings|emails):\d+$/.test(r.id))).toBe(true);
      }
      if (entity === 'deals' || entity === 'activities') {
        expect(records.some((r) => r.links.contact)).toBe(true);
        for (const r of records) {
          if (r.links.account) expect(ids.accounts!.has(r.links.account)).toBe(true);
          if (r.links.contact) expect(ids.contacts!.has(r.links.contact)).toBe(true);
          if (r.links.deal) expect(ids.deals!.has(r.links.deal)).toBe(true);
        }
      }
    }
  });

  it('describes fields from the properties API, custom ones included', async () => {
    const fields = await client.describeFields('accounts');
    expect(fields.filter((f) => f.custom).map((f) => f.name).sort()).toEqual(['customer_tier', 'nps_score', 'renewal_date', 'sla']);
    expect(fields.find((f) => f.name === 'name')).toMatchObject({ label: 'Company name', custom: false });
    const activity = await client.describeFields('activities');
    expect(activity.map((f) => f.name)).toEqual(expect.arrayContaining(['hs_note_body', 'hs_task_subject', 'hs_call_title', 'hs_meeting_title', 'hs_email_subject', 'outcome']));
  });

  it('resumes a bulk read from a batch resume token', async () => {
    const first: SourceRecord[] = [];
    let resume: string | null = null;
    for await (const b of client.bulkFetchRecords('activities')) {
      first.push(...b.records);
      resume = b.resume;
      if (first.length > 0) break;
    }
    expect(resume).not.toBeNull();
    const rest = await bulk(client, 'activities', resume);
    expectOnce([...first, ...rest], BASE.activities);
  });
});

describe('HubSpot client: portals with hundreds of properties', { timeout: 30_000 }, () => {
  it('keeps long property lists out of the URL: ids from the list, every property through a batch read', async () => {
    const names = Array.from({ length: 400 }, (_, k) => `custom_property_number_${k}`);
    const requests: CrmHttpRequest[] = [];
    const record = (id: string, properties: Record<string, string | null>, associations?: object) => ({ id, properties, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-02T00:00:00.000Z', archived: false, ...(associations ? { associations } : {}) });
    const http: CrmHttp = {
      instanceUrl: () => 'https://api.hubapi.com',
      async request(req) {
        requests.push(req);
        const body: unknown =
          req.url === '/crm/v3/properties/contacts' ? { results: names.map((name) => ({ name, label: name, type: 'string', fieldType: 'text' })) }
          : req.method === 'GET' ? { results: [record('1', { hs_object_id: '1' }, { companies: { results: [{ id: '9', type: 'contact_to_company' }] } }), record('2', { hs_object_id: '2' })], paging: { next: { after: 'Mwo=' } } }
          : { status: 'COMPLETE', results: [record('1', Object.fromEntries(names.map((n) => [n, 'v'])))], numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['2'] } }] };
        return { status: req.method === 'GET' ? 200 : 207, headers: new Headers(), body: null, text: async () => JSON.stringify(body), json: async <T>() => body as T };
      },
    };
    const client = hubspotCrm.createClient({ http, connection: { id: 'c', syncSettings: null } });
    const page = await client.fetchRecords('contacts', null, 100);
    const list = requests.find((r) => r.method === 'GET' && r.url === '/crm/v3/objects/contacts')!;
    expect(list.query?.properties).toBe('hs_object_id');
    const batch = requests.find((r) => r.method === 'POST')!;
    expect(batch).toMatchObject({ url: '/crm/v3/objects/contacts/batch/read', idempotent: true });
    expect((batch.json as { properties: string[] }).properties).toHaveLength(400);
    expect(page.records).toHaveLength(1); // contact 2 was deleted between the two calls
    expect(page.records[0]).toMatchObject({ id: '1', links: { account: '9' } });
    expect(Object.keys(page.records[0]!.fields)).toHaveLength(400);
    expect(page.nextCursor).not.toBeNull();
  });
});
