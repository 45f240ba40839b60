/**
 * The Pipedrive client against its sandbox, connected the way the product connects: counts equal full fetches at
 * 0, 1, 999, 1,000, 1,001, 2,001 and 10,001 records on the paged and the bulk path, every record exactly once, and
 * every link resolving to a record that exists. (Faults, token expiry, limits and quotas: pipedrive-client-limits.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_TYPES, type EntityType } from '../../src/core/ids.js';
import { pipedriveCrm } from '../../src/crm/pipedrive/index.js';
import type { CrmApiClient, SourceRecord } from '../../src/crm/types.js';
import { startSandbox, type RecordCounts, type RunningSandbox } from '../../sandbox/common/index.js';
import { pipedriveSandbox } from '../../sandbox/pipedrive/index.js';
import { connectSandbox, createTestClient } from '../helpers/sandbox-connection.js';
import { readBulk, readPaged } from '../helpers/read-all.js';

const paged = (client: CrmApiClient, entity: EntityType, limit = 500) => readPaged(client, entity, limit);

const bulk = (client: CrmApiClient, entity: EntityType) => readBulk(client, entity);

function expectOnce(records: SourceRecord[], n: number) {
  expect(records.length).toBe(n);
  expect(new Set(records.map((r) => r.id)).size).toBe(n);
}

async function withClient(records: RecordCounts, fn: (client: CrmApiClient, s: RunningSandbox) => Promise<void>) {
  const s = await startSandbox(pipedriveSandbox, { records, rateLimits: 'off' }, { port: 0 });
  try {
    const conn = await connectSandbox(pipedriveCrm, s.url);
    await fn(createTestClient(pipedriveCrm, conn), s);
  } finally {
    await s.close();
  }
}

describe('Pipedrive client: counts equal full fetches, each record once', () => {
  for (const n of [0, 1, 999, 1_000, 1_001, 2_001]) {
    it(`${n.toLocaleString('en-US')} records of every entity, paged and bulk`, async () => {
      await withClient({ accounts: n, contacts: n, leads: n, deals: n, activities: n }, async (client) => {
        const got = {} as Record<EntityType, SourceRecord[]>;
        for (const e of ENTITY_TYPES) {
          expect(await client.getRecordCount(e)).toBe(n);
          const viaBulk = await bulk(client, e);
          expectOnce(viaBulk, n);
          got[e] = viaBulk;
        }
        // The standard path with a page size that does not divide n, on the two-object entity and a plain one.
        expectOnce(await paged(client, 'activities', 333), n);
        expect((await paged(client, 'contacts', 500)).map((r) => r.id)).toEqual(got.contacts.map((r) => r.id));
        expect(got.activities.some((r) => r.id.startsWith('note:')) || n < 10).toBe(true);
        // Relationships: every link points at a record that was read.
        const ids = { account: new Set(got.accounts.map((r) => r.id)), contact: new Set(got.contacts.map((r) => r.id)), deal: new Set(got.deals.map((r) => r.id)) };
        let links = 0;
        for (const e of ENTITY_TYPES) {
          for (const r of got[e]) {
            for (const [kind, id] of Object.entries(r.links) as [keyof typeof ids, string][]) {
              expect(ids[kind].has(id), `${e} ${r.id} → ${kind} ${id}`).toBe(true);
              links++;
            }
          }
        }
        if (n >= 999) expect(links).toBeGreaterThan(n);
        if (n > 0) {
          // Leads carry their person's name and e-mail (read from the lead's person by id).
          expect(got.leads.filter((l) => typeof l.fields.name === 'string').length).toBe(n);
          expect(got.activities.every((a) => a.activityType !== undefined)).toBe(true);
        }
      });
    }, 60_000);
  }

  it('10,001 contacts and activities, paged and bulk', async () => {
    const n = 10_001;
    await withClient({ accounts: 50, contacts: n, leads: 0, deals: 20, activities: n }, async (client) => {
      for (const e of ['contacts', 'activities'] as const) {
        expect(await client.getRecordCount(e)).toBe(n);
        expectOnce(await bulk(client, e), n);
      }
      expectOnce(await paged(client, 'contacts'), n);
    });
  }, 90_000);
});

describe('Pipedrive client: resuming', () => {
  let s: RunningSandbox;
  let client: CrmApiClient;
  beforeAll(async () => {
    s = await startSandbox(pipedriveSandbox, { records: { accounts: 10, contacts: 1_234, leads: 0, deals: 0, activities: 1_100 }, rateLimits: 'off' }, { port: 0 });
    client = createTestClient(pipedriveCrm, await connectSandbox(pipedriveCrm, s.url));
  });
  afterAll(() => s.close());

  it('a bulk read resumed from any batch finishes with every record once', async () => {
    for (const e of ['contacts', 'activities'] as const) {
      const seen: SourceRecord[] = [];
      let resume: string | null = null;
      for await (const b of client.bulkFetchRecords(e)) {
        seen.push(...b.records);
        resume = b.resume;
        break; // stop after the first batch, as an interrupted import would
      }
      for await (const b of client.bulkFetchRecords(e, { resume })) seen.push(...b.records);
      expectOnce(seen, e === 'contacts' ? 1_234 : 1_100);
    }
  });

  it('rejects a cursor it did not issue', async () => {
    await expect(client.fetchRecords('contacts', 'not-a-cursor', 100)).rejects.toMatchObject({ kind: 'invalid_request', code: 'BAD_CURSOR' });
  });
});
