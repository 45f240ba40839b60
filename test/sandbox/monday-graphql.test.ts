/**
 * monday.com sandbox, GraphQL data and limits (issue 3): boards, columns and items in monday's record shape,
 * items_count equal to what paging returns, items_page → next_items_page to the end at 0, 1, 500 and 501 items,
 * the 500 cap and its error, `boards.items` (removed in 2023-10) as graphql-ruby's undefinedField, cursors that
 * expire after 60 minutes, deleted items by id, creation-order sorting and date filters, complexity, the Pro
 * limits with their 429/200 bodies and RateLimit headers, seeded faults and stats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_FIELDS, ManualClock, startSandbox, type SandboxOptions } from '../../sandbox/common/index.js';
import { mondaySandbox } from '../../sandbox/monday/index.js';
import { mondayCrm } from '../../src/crm/monday/index.js';
import { connectSandbox } from '../helpers/sandbox-connection.js';

type Started = Awaited<ReturnType<typeof startSandbox>>;
interface Gql {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[]; [k: string]: unknown };
}

const BOARD = { accounts: '7300000101', contacts: '7300000102', leads: '7300000103', deals: '7300000104', activities: '7300000105' };
const ITEM = 'id name created_at updated_at state group { id title } column_values { id type text value ... on BoardRelationValue { linked_item_ids } }';

async function start(partial: Partial<SandboxOptions>): Promise<{ s: Started; token: string }> {
  const s = await startSandbox(mondaySandbox, partial, { port: 0 });
  const conn = await connectSandbox(mondayCrm, s.url);
  return { s, token: conn.tokens.accessToken };
}

async function gql(s: Started, token: string, query: string, variables: Record<string, unknown> = {}, version = '2025-07'): Promise<Gql> {
  const res = await fetch(`${s.url}/v2`, { method: 'POST', headers: { authorization: token, 'content-type': 'application/json', 'api-version': version }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Gql['body'] };
}

const post = (s: Started, path: string, body: unknown = {}) => fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

type Page = { cursor: string | null; items: { id: string; created_at: string; column_values?: { id: string; type: string; text: string | null; value: string | null; linked_item_ids?: string[] }[] }[] };

/** items_page then next_items_page until the cursor is null; every item id in order. */
async function readBoard(s: Started, token: string, board: string, limit?: number, params?: Record<string, unknown>): Promise<{ ids: string[]; pages: number }> {
  const lim = limit === undefined ? '' : `limit: ${limit}, `;
  const first = await gql(s, token, `query ($b: [ID!], $p: ItemsQuery) { boards(ids: $b) { items_count items_page(${lim}query_params: $p) { cursor items { id } } } }`, { b: [board], p: params ?? null });
  expect(first.body.errors).toBeUndefined();
  let page = (first.body.data!.boards as { items_page: Page }[])[0]!.items_page;
  const ids = page.items.map((i) => i.id);
  let pages = 1;
  while (page.cursor) {
    const next = await gql(s, token, `query ($c: String!) { next_items_page(${lim}cursor: $c) { cursor items { id } } }`, { c: page.cursor });
    expect(next.body.errors).toBeUndefined();
    page = next.body.data!.next_items_page as Page;
    ids.push(...page.items.map((i) => i.id));
    pages++;
  }
  return { ids, pages };
}

async function itemsCount(s: Started, token: string, board: string): Promise<number> {
  const r = await gql(s, token, `{ boards(ids: [${board}]) { items_count } }`);
  return (r.body.data!.boards as { items_count: number }[])[0]!.items_count;
}

describe('monday sandbox: boards, items and paging', () => {
  const clock = new ManualClock(Date.now());
  let s: Started;
  let token: string;
  beforeAll(async () => {
    ({ s, token } = await start({ records: { accounts: 501, contacts: 500, leads: 1, deals: 30, activities: 0 }, rateLimits: 'off', clock, tokenTtlSeconds: null }));
  });
  afterAll(() => s.close());

  it('lists the CRM boards in their workspace, with columns including the custom fields', async () => {
    const r = await gql(s, token, '{ workspaces { id name } boards { id name workspace { name } columns { id title type settings_str } } }');
    const boards = r.body.data!.boards as { id: string; name: string; workspace: { name: string }; columns: { id: string; title: string; type: string; settings_str: string }[] }[];
    expect(boards.filter((b) => b.workspace.name === 'CRM').map((b) => b.name)).toEqual(['Accounts', 'Contacts', 'Leads', 'Deals', 'Activities']);
    const contacts = boards.find((b) => b.name === 'Contacts')!;
    expect(contacts.columns[0]).toMatchObject({ id: 'name', type: 'name' });
    for (const f of CUSTOM_FIELDS.contacts) expect(contacts.columns.map((c) => c.title)).toContain(f.label);
    const relation = contacts.columns.find((c) => c.id === 'contact_account')!;
    expect(relation.type).toBe('board_relation');
    expect(JSON.parse(relation.settings_str).boardIds).toEqual([Number(BOARD.accounts)]);
    const deals = boards.find((b) => b.name === 'Deals')!;
    expect(deals.columns.filter((c) => c.type === 'board_relation').map((c) => c.id)).toEqual(['deal_contact', 'deal_account']);
    const types = new Set(boards.flatMap((b) => b.columns.map((c) => c.type)));
    for (const t of ['email', 'phone', 'status', 'date', 'numbers', 'text', 'long_text', 'link', 'people', 'board_relation', 'country', 'dropdown', 'checkbox']) expect(types).toContain(t);
  });

  it('returns items in monday’s shape: JSON-encoded values, display text, relations by fragment', async () => {
    const r = await gql(s, token, `{ boards(ids: [${BOARD.deals}]) { items_page(limit: 5) { items { ${ITEM} } } } }`);
    const items = (r.body.data!.boards as { items_page: Page }[])[0]!.items_page.items as (Page['items'][number] & { name: string; state: string; group: { id: string } })[];
    const first = items[0]!;
    expect(first).toMatchObject({ id: '8400000001', state: 'active', group: { id: expect.any(String) } });
    expect(first.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const cv = Object.fromEntries(first.column_values!.map((c) => [c.id, c]));
    expect(cv.name).toBeUndefined(); // the name is the item's own field
    expect(JSON.parse(cv.deal_stage!.value!)).toMatchObject({ index: expect.any(Number) });
    expect(cv.deal_value!.value).toBe(cv.deal_value!.text === '' ? null : JSON.stringify(cv.deal_value!.text));
    expect(JSON.parse(cv.deal_owner!.value!).personsAndTeams[0]).toMatchObject({ kind: 'person' });
    const account = items.map((i) => i.column_values!.find((c) => c.id === 'deal_account')!).find((c) => c.value !== null)!;
    expect(account.linked_item_ids).toHaveLength(1);
    expect(JSON.parse(account.value!).linkedPulseIds[0].linkedPulseId).toBe(Number(account.linked_item_ids![0]));
    const empty = items.flatMap((i) => i.column_values!).find((c) => c.value === null)!;
    expect(empty.text === '' || empty.text === null).toBe(true);

    const linked = await gql(s, token, `query ($ids: [ID!]) { items(ids: $ids) { id board { id } } }`, { ids: account.linked_item_ids });
    expect(linked.body.data!.items).toEqual([{ id: account.linked_item_ids![0], board: { id: BOARD.accounts } }]);
  });

  it('pages to the end returning each item once, and items_count equals the items listed (0, 1, 500, 501 items)', async () => {
    for (const [board, n] of [[BOARD.activities, 0], [BOARD.leads, 1], [BOARD.contacts, 500], [BOARD.accounts, 501]] as const) {
      expect(await itemsCount(s, token, board)).toBe(n);
      const { ids, pages } = await readBoard(s, token, board, 500);
      expect(ids.length).toBe(n);
      expect(new Set(ids).size).toBe(n);
      expect(pages).toBe(Math.max(1, Math.ceil(n / 500)));
    }
    const byDefault = await readBoard(s, token, BOARD.deals);
    expect(byDefault).toMatchObject({ pages: 2 }); // 30 items at the default limit of 25
    expect(new Set(byDefault.ids).size).toBe(30);
  });

  it('caps pages at 500 with monday’s argument error', async () => {
    for (const q of [`{ boards(ids: [${BOARD.accounts}]) { items_page(limit: 501) { cursor } } }`, '{ next_items_page(cursor: "x", limit: 1000) { cursor } }']) {
      const r = await gql(s, token, q);
      expect(r.status).toBe(200);
      expect(r.body.errors![0]).toMatchObject({ message: expect.stringContaining('between 1 and 500'), extensions: { code: 'InvalidArgumentException' } });
    }
  });

  it('answers the removed boards.items with graphql-ruby’s undefinedField error', async () => {
    const r = await gql(s, token, `{ boards(ids: [${BOARD.contacts}]) { items(limit: 5) { id } } }`);
    expect(r.status).toBe(200);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toEqual([{ message: "Field 'items' doesn't exist on type 'Board'", locations: [{ line: 1, column: 31 }], path: ['query', 'boards', 'items'], extensions: { code: 'undefinedField', typeName: 'Board', fieldName: 'items' } }]);
    expect(r.body.account_id).toBe(27403121);
    const bad = await gql(s, token, '{ boards { id ');
    expect(bad.body.errors![0]!.message).toMatch(/^Parse error/);
  });

  it('expires cursors 60 minutes after the first request; a cursor can be sent again until then', async () => {
    const first = await gql(s, token, `{ boards(ids: [${BOARD.contacts}]) { items_page(limit: 100) { cursor items { id } } } }`);
    const cursor = (first.body.data!.boards as { items_page: Page }[])[0]!.items_page.cursor!;
    const again = async () => gql(s, token, 'query ($c: String!) { next_items_page(cursor: $c, limit: 100) { cursor items { id } } }', { c: cursor });
    const a = await again();
    clock.advance(59 * 60_000);
    const b = await again();
    expect(b.body.data).toEqual(a.body.data);
    const next = (b.body.data!.next_items_page as Page).cursor!;
    clock.advance(60_001);
    const late = await gql(s, token, 'query ($c: String!) { next_items_page(cursor: $c) { cursor items { id } } }', { c: next });
    expect(late.status).toBe(200);
    expect(late.body.data).toEqual({ next_items_page: null });
    expect(late.body.errors![0]).toMatchObject({ path: ['next_items_page'], extensions: { code: 'CursorExpiredError' } });
    const forged = await gql(s, token, '{ next_items_page(cursor: "MSw5NzI4MDA5MDAsaV9YcmxJb0p1VEdYc1VWeGlxeF9kLDg4Mg") { cursor } }');
    expect(forged.body.errors![0]!.extensions).toMatchObject({ code: 'InvalidCursorException' });
  });

  it('takes a shorter cursor lifetime from --option cursorTtlSeconds (tests)', async () => {
    const short = await start({ records: { accounts: 30, contacts: 0, leads: 0, deals: 0, activities: 0 }, rateLimits: 'off', clock, tokenTtlSeconds: null, extras: { cursorTtlSeconds: '120' } });
    try {
      const first = await gql(short.s, short.token, `{ boards(ids: [${BOARD.accounts}]) { items_page(limit: 10) { cursor } } }`);
      const cursor = (first.body.data!.boards as { items_page: Page }[])[0]!.items_page.cursor;
      clock.advance(120_000);
      const late = await gql(short.s, short.token, 'query ($c: String!) { next_items_page(cursor: $c) { cursor } }', { c: cursor });
      expect(late.body.errors![0]!.extensions!.code).toBe('CursorExpiredError');
    } finally {
      await short.s.close();
    }
    await expect(startSandbox(mondaySandbox, { extras: { cursorTtlSeconds: 'soon' } }, { port: 0 })).rejects.toThrow(/cursorTtlSeconds/);
  });

  it('reads deleted items by id only (state "deleted"), never in items_page or items_count', async () => {
    const deletedId = String(8_200_000_000 + 500 + 1); // contacts index 500 = the first deleted one
    const r = await gql(s, token, 'query ($ids: [ID!]) { items(ids: $ids) { id state } }', { ids: [deletedId, '8200000001', '999'] });
    expect(r.body.data!.items).toEqual([{ id: deletedId, state: 'deleted' }, { id: '8200000001', state: 'active' }]);
    const active = await gql(s, token, 'query ($ids: [ID!]) { items(ids: $ids, exclude_nonactive: true) { id } }', { ids: [deletedId] });
    expect(active.body.data!.items).toEqual([]);
    expect((await readBoard(s, token, BOARD.contacts, 500)).ids).not.toContain(deletedId);
    const tooMany = await gql(s, token, 'query ($ids: [ID!]) { items(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, (_, k) => String(8_200_000_001 + k)) });
    expect(tooMany.body.errors![0]!.extensions!.code).toBe('InvalidArgumentException');
  });

  it('orders by __creation_log__ and filters by creation day, covering the board exactly', async () => {
    const q = `query ($p: ItemsQuery) { boards(ids: [${BOARD.accounts}]) { items_page(limit: 500, query_params: $p) { cursor items { id created_at } } } }`;
    const ordered = await gql(s, token, q, { p: { order_by: [{ column_id: '__creation_log__', direction: 'asc' }] } });
    const items = (ordered.body.data!.boards as { items_page: Page }[])[0]!.items_page.items;
    const times = items.map((i) => i.created_at);
    expect([...times].sort()).toEqual(times);
    const day = times[250]!.slice(0, 10);
    const all = await readBoard(s, token, BOARD.accounts, 100, { order_by: [{ column_id: '__creation_log__' }] });
    const from = await readBoard(s, token, BOARD.accounts, 100, { order_by: [{ column_id: '__creation_log__' }], rules: [{ column_id: '__creation_log__', compare_value: ['EXACT', day], operator: 'greater_than_or_equals' }] });
    const before = await readBoard(s, token, BOARD.accounts, 100, { order_by: [{ column_id: '__creation_log__' }], rules: [{ column_id: '__creation_log__', compare_value: ['EXACT', day], operator: 'lower_than' }] });
    expect(before.ids.concat(from.ids)).toEqual(all.ids);
    expect(from.ids.length).toBeGreaterThan(200);
    const bad = await gql(s, token, q, { p: { rules: [{ column_id: 'nope', compare_value: [1] }] } });
    expect(bad.body.errors![0]!.extensions!.code).toBe('InvalidColumnIdException');
  });

  it('reports the query’s complexity: 21 + limit × (9 + 5 × columns) for a page of items, fragments priced per type', async () => {
    const cols = (await gql(s, token, `{ boards(ids: [${BOARD.contacts}]) { columns { id } } }`)).body.data!.boards as { columns: unknown[] }[];
    const c = cols[0]!.columns.length - 1;
    const r = await gql(s, token, `{ complexity { query before after reset_in_x_seconds } boards(ids: [${BOARD.contacts}]) { items_page(limit: 200) { cursor items { ${ITEM} } } } }`);
    const cx = r.body.data!.complexity as { query: number; before: number; after: number };
    expect(cx.query).toBe(21 + 200 * (9 + 5 * c));
    expect(cx.before - cx.after).toBe(cx.query);
    // Fragments on different implementations count once (each value has one type), at the dearest one.
    const typed = await gql(s, token, `{ complexity { query } boards(ids: [${BOARD.contacts}]) { items_page(limit: 10) { items { column_values { id ... on StatusValue { label index } ... on EmailValue { email } } } } } }`);
    expect((typed.body.data!.complexity as { query: number }).query).toBe(20 + 10 * (1 + c * (1 + 2))); // no cursor asked this time
  });
});

describe('monday sandbox: limits, faults and stats', () => {
  const clock = new ManualClock(Date.now());
  let s: Started;
  let token: string;
  beforeAll(async () => {
    ({ s, token } = await start({ records: { accounts: 20, contacts: 50, leads: 0, deals: 0, activities: 0 }, clock, tokenTtlSeconds: null }));
  });
  afterAll(() => s.close());

  it('sends RateLimit-Policy and RateLimit on every response, counting down', async () => {
    await post(s, '/_sandbox/reset');
    const a = await gql(s, token, '{ me { id } }');
    const b = await gql(s, token, '{ me { id } }');
    expect(a.headers.get('ratelimit-policy')).toBe('"minuteRate";q=2500;w=60, "concurrency";q=100;qu="concurrent-requests", "complexityMinute";q=5000000;w=60;qu="content-bytes", "daily";q=10000;w=86400');
    expect(a.headers.get('ratelimit')).toMatch(/^"minuteRate";r=2499;t=60, "concurrency";r=99, "complexityMinute";r=4999998;t=60, "daily";r=9999;t=\d+$/);
    expect(b.headers.get('ratelimit')).toContain('"minuteRate";r=2498;');
  });

  it('refuses requests over the per-minute limit with 429 RATE_LIMIT_EXCEEDED and Retry-After', async () => {
    await post(s, '/_sandbox/reset');
    await post(s, '/_sandbox/config', { limits: { minute: { limit: 3, windowMs: 60_000 } } });
    for (let k = 0; k < 3; k++) expect((await gql(s, token, '{ me { id } }')).status).toBe(200);
    const over = await gql(s, token, '{ me { id } }');
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('60');
    expect(over.body).toMatchObject({ errors: [{ message: 'Rate Limit Exceeded', extensions: { code: 'RATE_LIMIT_EXCEEDED', retry_in_seconds: 60 } }] });
    expect(over.headers.get('ratelimit')).toContain('"minuteRate";r=0;');
    clock.advance(60_000);
    expect((await gql(s, token, '{ me { id } }')).status).toBe(200);
    await post(s, '/_sandbox/config', { limits: { minute: { limit: 2_500, windowMs: 60_000 } } });
  });

  it('answers an exhausted complexity budget with HTTP 200 in each API version’s shape', async () => {
    await post(s, '/_sandbox/reset');
    await post(s, '/_sandbox/config', { limits: { complexity: { limit: 1_000, windowMs: 60_000 } } });
    const page = `{ boards(ids: [${BOARD.contacts}]) { items_page(limit: 50) { items { id column_values { id text } } } } }`;
    const ok = await gql(s, token, '{ complexity { query } me { id } }');
    expect(ok.status).toBe(200);
    const now = await gql(s, token, page, {}, '2025-07');
    expect(now.status).toBe(200);
    expect(now.headers.get('retry-after')).toBe(String(now.body.errors![0]!.extensions!.retry_in_seconds));
    expect(now.body).toMatchObject({ errors: [{ message: 'Complexity budget exhausted', extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: expect.any(Number) } }] });
    expect(now.body.errors![0]!.extensions).not.toHaveProperty('status_code');
    const mid = await gql(s, token, page, {}, '2025-04');
    expect(mid.body.errors![0]!.extensions).toMatchObject({ code: 'COMPLEXITY_BUDGET_EXHAUSTED', complexity: expect.any(Number), complexity_budget_left: expect.any(Number), complexity_budget_limit: 1_000, status_code: 429 });
    const legacy = await gql(s, token, page, {}, '2024-10');
    expect(legacy.body).toMatchObject({ error_code: 'ComplexityException', status_code: 429, error_message: expect.stringMatching(/^Complexity budget exhausted, query cost \d+ budget remaining \d+ out of 1000 reset in \d+ seconds$/) });
    await post(s, '/_sandbox/config', { limits: { complexity: { limit: 5_000_000, windowMs: 60_000 } } });
    const huge = await gql(s, token, '{ boards(limit: 1000) { items_page(limit: 500) { items { id column_values { id text value } } } } }');
    expect(huge.body.errors![0]!.extensions).toMatchObject({ code: 'maxComplexityExceeded', maxComplexity: 5_000_000 });
  });

  it('stops at the daily call limit with 429 DAILY_LIMIT_EXCEEDED until it resets; refused calls count 0.1', async () => {
    await post(s, '/_sandbox/reset');
    await post(s, '/_sandbox/config', { limits: { daily: { limit: 4, windowMs: 86_400_000 } } });
    for (let k = 0; k < 4; k++) expect((await gql(s, token, '{ me { id } }')).status).toBe(200);
    const over = await gql(s, token, '{ me { id } }');
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ errors: [{ extensions: { code: 'DAILY_LIMIT_EXCEEDED' } }] });
    const secondsToMidnight = Math.ceil((86_400_000 - (clock.now() % 86_400_000)) / 1000);
    expect(over.body.errors![0]!.extensions!.retry_in_seconds).toBe(secondsToMidnight);
    const stats = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as { rejected: { byReason: Record<string, number> } };
    expect(stats.rejected.byReason.quota).toBe(1);
    clock.advance(secondsToMidnight * 1000);
    expect((await gql(s, token, '{ me { id } }')).status).toBe(200);

    await post(s, '/_sandbox/reset');
    await post(s, '/_sandbox/config', { limits: { daily: { limit: 1.25, windowMs: 86_400_000 }, minute: { limit: 1, windowMs: 60_000 } } });
    expect((await gql(s, token, '{ me { id } }')).status).toBe(200); // daily 1
    expect((await gql(s, token, '{ me { id } }')).status).toBe(429); // minute; daily 1.1
    expect((await gql(s, token, '{ me { id } }')).status).toBe(429); // minute; daily 1.2
    clock.advance(60_000);
    expect((await gql(s, token, '{ me { id } }')).body).toMatchObject({ errors: [{ extensions: { code: 'DAILY_LIMIT_EXCEEDED' } }] });
    await post(s, '/_sandbox/config', { limits: { daily: { limit: 10_000, windowMs: 86_400_000 }, minute: { limit: 2_500, windowMs: 60_000 } } });
  });

  it('refuses requests beyond the concurrency limit with maxConcurrencyExceeded', async () => {
    await post(s, '/_sandbox/config', { limits: { concurrency: { limit: 0 } } });
    const r = await gql(s, token, '{ me { id } }');
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({ errors: [{ extensions: { code: 'maxConcurrencyExceeded' } }] });
    await post(s, '/_sandbox/config', { limits: { concurrency: { limit: 100 } } });
  });

  it('injects the same faults for the same seed and request order, in monday’s shapes', async () => {
    await post(s, '/_sandbox/config', { faultRate: 0.5, faultWeights: { reset: 0, slow: 0, truncate: 0 } });
    const run = async () => {
      await post(s, '/_sandbox/reset');
      const out: number[] = [];
      for (let k = 0; k < 16; k++) out.push((await gql(s, token, '{ me { id } }')).status);
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a.some((x) => x !== 200)).toBe(true);
    expect(a.some((x) => x === 200)).toBe(true);
    await post(s, '/_sandbox/reset');
    let seen429 = false;
    let seen5xx = false;
    for (let k = 0; k < 40 && !(seen429 && seen5xx); k++) {
      const r = await gql(s, token, '{ me { id } }');
      if (r.status === 429) {
        seen429 = true;
        expect(r.body).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMIT_EXCEEDED', retry_in_seconds: 1 } }] });
        expect(r.headers.get('retry-after')).toBe('1');
      } else if (r.status >= 500) {
        seen5xx = true;
        expect(r.body).toEqual({ error_message: 'Internal server error', status_code: r.status });
      }
    }
    expect(seen429 && seen5xx).toBe(true);
    await post(s, '/_sandbox/config', { faultRate: 0 });
  });

  it('counts requests per endpoint, statuses and rejections in /_sandbox/stats', async () => {
    await post(s, '/_sandbox/reset');
    await gql(s, token, '{ me { id } }');
    await gql(s, 'not-a-token', '{ me { id } }');
    const stats = (await (await fetch(`${s.url}/_sandbox/stats`)).json()) as Record<string, unknown> & { requests: { total: number; byEndpoint: Record<string, number>; byStatus: Record<string, number> }; rejected: { byReason: Record<string, number> } };
    expect(stats.crm).toBe('monday');
    expect(stats.requests.byEndpoint).toEqual({ 'POST /v2': 2 });
    expect(stats.requests.byStatus).toEqual({ 200: 1, 401: 1 });
    expect(stats.rejected.byReason.unauthorized).toBe(1);
  });
});
