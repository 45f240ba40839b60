/**
 * The monday.com client against its sandbox, connected the way the product connects (issue 5): counts equal
 * full reads at 0, 1, 999, 1,000, 1,001, 2,001 and 10,001 items on the paged and the bulk path, each record
 * exactly once, links that resolve to records that exist; board choice by name or by settings; resumable
 * cursors, including after monday's 60-minute cursor expiry; complexity weights equal to what the sandbox
 * charges; describeFields with the custom columns; testConnection before and after revoke.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityType } from '../../src/core/ids.js';
import { CUSTOM_FIELDS, ManualClock, startSandbox, type SandboxOptions } from '../../sandbox/common/index.js';
import { mondaySandbox } from '../../sandbox/monday/index.js';
import { CrmError } from '../../src/crm/errors.js';
import { mondayCrm } from '../../src/crm/monday/index.js';
import { complexity } from '../../src/crm/monday/queries.js';
import { revokeToken } from '../../src/crm/oauth-flow.js';
import type { CrmApiClient, SourceRecord } from '../../src/crm/types.js';
import { readBulk } from '../helpers/read-all.js';
import { connectSandbox, createTestClient, type SandboxConnection, type TestClientOptions } from '../helpers/sandbox-connection.js';

type Started = Awaited<ReturnType<typeof startSandbox>>;

async function open(partial: Partial<SandboxOptions>, options: TestClientOptions = {}): Promise<{ s: Started; conn: SandboxConnection; client: CrmApiClient }> {
  const s = await startSandbox(mondaySandbox, { rateLimits: 'off', ...partial }, { port: 0 });
  const conn = await connectSandbox(mondayCrm, s.url);
  return { s, conn, client: createTestClient(mondayCrm, conn, options) };
}

/** Every page, checking each against monday's 500-item cap. */
async function readPaged(client: CrmApiClient, entity: EntityType, limit: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.fetchRecords(entity, cursor, limit);
    expect(page.records.length).toBeLessThanOrEqual(Math.min(limit, 500));
    out.push(...page.records);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

function expectEachOnce(records: SourceRecord[], n: number): Set<string> {
  const ids = new Set(records.map((r) => r.id));
  expect(records.length).toBe(n);
  expect(ids.size).toBe(n);
  return ids;
}

describe('monday client: counts and full reads', () => {
  let a: Awaited<ReturnType<typeof open>>;
  let b: Awaited<ReturnType<typeof open>>;
  const ids = new Map<EntityType, Set<string>>();
  const records = new Map<EntityType, SourceRecord[]>();

  beforeAll(async () => {
    a = await open({ records: { accounts: 999, contacts: 10_001, leads: 1, deals: 1_001, activities: 2_001 } });
    b = await open({ records: { accounts: 1_000, contacts: 0, leads: 0, deals: 0, activities: 0 } });
  });
  afterAll(async () => {
    await a.s.close();
    await b.s.close();
  });

  it.each([
    ['b', 'contacts', 0],
    ['a', 'leads', 1],
    ['a', 'accounts', 999],
    ['b', 'accounts', 1_000],
    ['a', 'deals', 1_001],
    ['a', 'activities', 2_001],
    ['a', 'contacts', 10_001],
  ] as const)('%s/%s: count = paged read = bulk read = %i, each record once', async (which, entity, n) => {
    const { client } = which === 'a' ? a : b;
    expect(await client.getRecordCount(entity)).toBe(n);
    const paged = await readPaged(client, entity, 500);
    const set = expectEachOnce(paged, n);
    const bulk = await readBulk(client, entity);
    expect(new Set(bulk.map((r) => r.id))).toEqual(set);
    expectEachOnce(bulk, n);
    if (which === 'a') {
      ids.set(entity, set);
      records.set(entity, bulk);
    }
  }, 60_000);

  it('pages at the standard size too, and clamps limits to monday’s 500', async () => {
    const small = await readPaged(a.client, 'deals', 100);
    expectEachOnce(small, 1_001);
    const page = await a.client.fetchRecords('contacts', null, 5_000);
    expect(page.records).toHaveLength(500);
  });

  it('links every record to records that exist, the way the boards relate them', () => {
    const linked = (entity: EntityType, key: 'account' | 'contact' | 'deal', target: EntityType) => {
      const have = (records.get(entity) ?? []).filter((r) => r.links[key] !== undefined);
      for (const r of have) expect(ids.get(target)!.has(r.links[key]!)).toBe(true);
      return have.length;
    };
    expect(linked('contacts', 'account', 'accounts')).toBeGreaterThan(8_000); // ~90 % of contacts have an account
    expect(linked('deals', 'account', 'accounts')).toBeGreaterThan(500);
    expect(linked('deals', 'contact', 'contacts')).toBeGreaterThan(500);
    expect(linked('activities', 'contact', 'contacts') + linked('activities', 'deal', 'deals')).toBeGreaterThan(1_000);
    linked('activities', 'account', 'accounts');
    const acts = records.get('activities')!;
    expect(new Set(acts.map((r) => r.activityType))).toEqual(new Set(['note', 'task', 'call', 'meeting', 'email']));
    for (const r of records.get('contacts')!.slice(0, 50)) {
      expect(r.owner).toMatch(/^6000000\d$/);
      expect(r.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
      expect(r.fields).toHaveProperty('email');
    }
  });

  it('describes each board’s columns, custom fields included', async () => {
    for (const entity of ['accounts', 'contacts', 'leads', 'deals', 'activities'] as const) {
      const fields = await a.client.describeFields(entity);
      expect(fields[0]).toMatchObject({ name: 'name', type: 'name', custom: false });
      for (const f of CUSTOM_FIELDS[entity]) expect(fields.find((x) => x.label === f.label)).toMatchObject({ custom: true });
    }
    const deals = await a.client.describeFields('deals');
    expect(deals.find((f) => f.name === 'deal_stage')?.values).toContain('Closed Won');
  });

  it('resumes from a cursor in a new client (another process)', async () => {
    const first = await a.client.fetchRecords('accounts', null, 300);
    const other = createTestClient(mondayCrm, a.conn);
    const rest: SourceRecord[] = [...first.records];
    let cursor = first.nextCursor;
    while (cursor) {
      const p = await other.fetchRecords('accounts', cursor, 300);
      rest.push(...p.records);
      cursor = p.nextCursor;
    }
    expectEachOnce(rest, 999);
    await expect(a.client.fetchRecords('accounts', 'not-a-cursor', 10)).rejects.toMatchObject({ kind: 'invalid_request', code: 'INVALID_CURSOR' });
  });

  it('sends each query with the complexity weight the sandbox charges for it', async () => {
    const columns = (await a.client.describeFields('contacts')).length - 1;
    const peak = async () => {
      const st = (await (await fetch(`${a.s.url}/_sandbox/stats`)).json()) as { rateLimits: { windows: { policy: string; peak: number }[] } };
      return st.rateLimits.windows.find((w) => w.policy === 'complexity')!.peak;
    };
    await fetch(`${a.s.url}/_sandbox/reset`, { method: 'POST' });
    const p1 = await a.client.fetchRecords('contacts', null, 200);
    expect(await peak()).toBe(complexity.firstPage(200, columns));
    await fetch(`${a.s.url}/_sandbox/reset`, { method: 'POST' });
    await a.client.fetchRecords('contacts', p1.nextCursor, 500);
    expect(await peak()).toBe(complexity.nextPage(500, columns));
    await fetch(`${a.s.url}/_sandbox/reset`, { method: 'POST' });
    await a.client.getRecordCount('contacts');
    expect(await peak()).toBe(complexity.count());
  });

  it('uses the boards chosen in the connection settings, and says which board is missing', async () => {
    const chosen = createTestClient(mondayCrm, a.conn, { syncSettings: { boards: { leads: '7300000101' } } });
    expect(await chosen.getRecordCount('leads')).toBe(999); // the Accounts board, as chosen
    const missing = createTestClient(mondayCrm, a.conn, { syncSettings: { boards: { deals: 1234 } } });
    await expect(missing.getRecordCount('deals')).rejects.toMatchObject({ kind: 'not_found', code: 'BOARD_NOT_FOUND' });
    const broken = createTestClient(mondayCrm, a.conn, { syncSettings: { boards: 'contacts' } });
    await expect(broken.getRecordCount('deals')).rejects.toBeInstanceOf(CrmError);
  });

  it('tests the connection: valid, then invalid once the grant is revoked', async () => {
    const c = await open({ records: { accounts: 1, contacts: 1, leads: 0, deals: 0, activities: 0 } });
    try {
      expect(await c.client.testConnection()).toEqual({ isValid: true });
      await revokeToken(c.conn.resolved, c.conn.provider.tokens.refreshToken!, 'refresh_token', c.s.url);
      const after = await c.client.testConnection();
      expect(after.isValid).toBe(false);
      expect(after.error).toEqual(expect.any(String));
    } finally {
      await c.s.close();
    }
  });
});

describe('monday client: expired cursors', () => {
  const clock = new ManualClock(Date.now());
  let c: Awaited<ReturnType<typeof open>>;
  const sent: string[] = [];
  const counting: typeof fetch = async (input, init) => {
    const body = typeof init?.body === 'string' ? init.body : '';
    sent.push(/query (\w+)/.exec(body)?.[1] ?? '?');
    return fetch(input, init);
  };
  beforeAll(async () => {
    c = await open({ records: { accounts: 50, contacts: 1_700, leads: 0, deals: 0, activities: 0 }, clock, tokenTtlSeconds: null }, { fetch: counting });
  });
  afterAll(() => c.s.close());

  it('restarts an expired read after the last item returned: nothing skipped, nothing twice', async () => {
    const got: SourceRecord[] = [];
    let page = await c.client.fetchRecords('contacts', null, 500);
    got.push(...page.records);
    sent.length = 0;
    clock.advance(61 * 60_000); // monday cursors die 60 minutes after the first request
    while (page.nextCursor) {
      page = await c.client.fetchRecords('contacts', page.nextCursor, 500);
      got.push(...page.records);
    }
    expectEachOnce(got, 1_700);
    // next_items_page answered CursorExpiredError once; the client started over from the last item's day.
    expect(sent.slice(0, 2)).toEqual(['mondayNextPage', 'mondayFirstPage']);
    expect(sent.filter((q) => q === 'mondayFirstPage')).toHaveLength(1);
  });

  it('resumes a bulk read from its resume token after the cursor expired', async () => {
    const got: SourceRecord[] = [];
    let resume: string | null = null;
    for await (const batch of c.client.bulkFetchRecords('contacts')) {
      got.push(...batch.records);
      resume = batch.resume;
      break; // the import stopped after its first batch (a quota pause, a restart …)
    }
    clock.advance(2 * 3_600_000);
    sent.length = 0;
    for await (const batch of c.client.bulkFetchRecords('contacts', { resume })) got.push(...batch.records);
    expectEachOnce(got, 1_700);
    expect(sent.slice(0, 2)).toEqual(['mondayNextPage', 'mondayFirstPage']);
  });
});
