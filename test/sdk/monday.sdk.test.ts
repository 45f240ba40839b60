/**
 * The official monday.com SDK (@mondaydotcomorg/api, unmodified) against the sandbox, pointed there through its
 * own `endpoint` option: its generated operations (getMeOp, getBoardGroupsOp), and a full read of a board with
 * items_page then next_items_page that must return every item exactly once. Errors surface as the SDK's own
 * ClientError with monday's errors[] (undefinedField for the removed boards.items, CursorExpiredError).
 */
import { ApiClient, ClientError } from '@mondaydotcomorg/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startSandbox } from '../../sandbox/common/index.js';
import { mondaySandbox } from '../../sandbox/monday/index.js';
import { mondayCrm } from '../../src/crm/monday/index.js';
import { connectSandbox } from '../helpers/sandbox-connection.js';

const CONTACTS = 1_234;
const CONTACTS_BOARD = '7300000102';

interface ItemsPage {
  cursor: string | null;
  items: { id: string; name: string; column_values: { id: string; text: string | null; value: string | null }[] }[];
}

describe('@mondaydotcomorg/api against the monday sandbox', () => {
  const clock = new ManualClock(Date.now());
  let s: Awaited<ReturnType<typeof startSandbox>>;
  let sdk: ApiClient;

  beforeAll(async () => {
    s = await startSandbox(mondaySandbox, { records: { accounts: 40, contacts: CONTACTS, leads: 0, deals: 0, activities: 0 }, clock, tokenTtlSeconds: null }, { port: 0 });
    const conn = await connectSandbox(mondayCrm, s.url);
    sdk = new ApiClient({ token: conn.tokens.accessToken, endpoint: `${s.url}/v2`, apiVersion: '2025-07' });
  });
  afterAll(() => s.close());

  it('runs the SDK’s own operations', async () => {
    const me = await sdk.operations.getMeOp();
    expect(me.me).toEqual({ id: '60000001', name: 'Patricia Boyle', email: 'patricia.boyle@sandbox-owner.example' });
    const groups = await sdk.operations.getBoardGroupsOp({ ids: [CONTACTS_BOARD] });
    expect(groups.boards?.[0]?.groups).toEqual([{ id: 'topics', title: 'Active' }]);
    const firstPage = await sdk.operations.getBoardItemsOp({ ids: [CONTACTS_BOARD] });
    expect(firstPage.boards?.[0]?.items_page.items).toHaveLength(25); // no limit: monday's default page
  });

  it('reads every item of a board with items_page then next_items_page, each exactly once', async () => {
    const first = await sdk.request<{ boards: { items_count: number; items_page: ItemsPage }[] }>(
      `query ($ids: [ID!]) { boards(ids: $ids) { items_count items_page(limit: 500) { cursor items { id name column_values { id text value } } } } }`,
      { ids: [CONTACTS_BOARD] },
    );
    const board = first.boards[0]!;
    expect(board.items_count).toBe(CONTACTS);
    const ids: string[] = board.items_page.items.map((i) => i.id);
    let cursor = board.items_page.cursor;
    let pages = 1;
    while (cursor) {
      const next = await sdk.request<{ next_items_page: ItemsPage }>(
        'query ($cursor: String!) { next_items_page(cursor: $cursor, limit: 500) { cursor items { id name column_values { id text value } } } }',
        { cursor },
      );
      ids.push(...next.next_items_page.items.map((i) => i.id));
      cursor = next.next_items_page.cursor;
      pages++;
    }
    expect(pages).toBe(3);
    expect(ids).toHaveLength(CONTACTS);
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: CONTACTS }, (_, i) => String(8_200_000_001 + i))));
  });

  it('surfaces monday’s GraphQL errors through the SDK’s ClientError', async () => {
    const removed = sdk.request(`{ boards(ids: [${CONTACTS_BOARD}]) { items { id } } }`);
    await expect(removed).rejects.toBeInstanceOf(ClientError);
    const err = (await removed.catch((e: unknown) => e)) as ClientError;
    expect(err.response.errors?.[0]).toMatchObject({ message: "Field 'items' doesn't exist on type 'Board'", extensions: { code: 'undefinedField' } });

    const page = await sdk.request<{ boards: { items_page: ItemsPage }[] }>(`{ boards(ids: [${CONTACTS_BOARD}]) { items_page(limit: 10) { cursor items { id } } } }`);
    clock.advance(61 * 60_000);
    const expired = (await sdk
      .request('query ($c: String!) { next_items_page(cursor: $c) { cursor items { id } } }', { c: page.boards[0]!.items_page.cursor })
      .catch((e: unknown) => e)) as ClientError;
    expect(expired).toBeInstanceOf(ClientError);
    expect(expired.response.errors?.[0]?.extensions).toMatchObject({ code: 'CursorExpiredError' });
  });
});
