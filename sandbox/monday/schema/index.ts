/**
 * The part of monday's GraphQL schema (API 2025-xx) the product and the official SDK read: boards with
 * columns, groups, items_count and items_page; root next_items_page, items, me, users, workspaces, account,
 * complexity; items with column values (typed implementations for fragments) and updates. Field and argument
 * names follow the SDK's generated types (@mondaydotcomorg/api lib/generated/sdk.d.ts). `boards.items` is not
 * here: it was removed in 2023-10, so asking for it gets graphql-ruby's "Field 'items' doesn't exist on type
 * 'Board'".
 *
 * Complexity (our formula; monday documents the budget, not the formula [unverified]): every field costs 1
 * plus its children; a list costs base + n × (cost of one element), where n is what the query could return:
 * `boards` 10 + (ids given ? #ids : limit ?? 25); `items_page`/`next_items_page` 10 + 1 × (cursor + limit ×
 * item); `column_values` 1 + (ids ? #ids : the board's column count) × value; `updates` 1 + (limit ?? 25);
 * `items_count` a flat 1,000; `users` 10,000 + n (the 2023 "10x" change); `complexity` 0. Fragments narrowing
 * an interface (`... on StatusValue { … }`) count at the most expensive implementation's cost, since each value
 * is of one type. monday prices potential results, not actual ones, so this is what we charge before running.
 * So a page of L items with C value columns, asking id, name, created_at, updated_at, group{title} and
 * column_values{id text ...on BoardRelationValue{linked_item_ids} ...on PeopleValue{value} …} (one field per
 * fragment, as src/crm/monday/queries.ts does), costs 21 + L × (7 + 3C) through boards(ids:[b]){items_page} and
 * 11 + L × (7 + 3C) through next_items_page.
 */
import type { FieldNode } from 'graphql';
import type { EntityType, World } from '../../common/index.js';
import { BOARDS, BOARD_BY_ID, type BoardSpec, type ColumnSpec } from '../boards.js';
import { decodeCursor } from '../cursors.js';
import { ACCOUNT, WORKSPACES, parseItemId, userId } from '../ids.js';
import { FieldError, type Args, type CostEnv, type Schema, type TypeDef } from '../graphql/types.js';
import { DEFAULT_PAGE, MAX_ROOT_ITEMS, f, invalidArgument, needScope, pageLimit, scalar, userObj, users, type Def, type MondayCtx } from './context.js';
import { Item, Update, columnFilterArgs, itemsPage, openCursor, queryParams, valueTypes, type ItemRef } from './items.js';

export type { MondayCtx } from './context.js';
export { MAX_PAGE } from './context.js';

const boardArgs = { ids: { type: 'ID', list: true }, limit: { type: 'Int' }, page: { type: 'Int' }, state: { type: 'JSON' }, workspace_ids: { type: 'ID', list: true }, board_kind: { type: 'JSON' }, order_by: { type: 'JSON' } } as const;

const Query: Record<string, Def> = {
  boards: f<unknown>('Board', (_p, args, ctx) => {
    needScope(ctx, 'boards:read');
    const ids = args.ids as string[] | undefined;
    const ws = args.workspace_ids as string[] | undefined;
    const state = (args.state as string | undefined) ?? 'active';
    let list = BOARDS.filter((b) => (!ids || ids.includes(b.id)) && (!ws || ws.includes(b.workspace.id)) && (state === 'active' || state === 'all'));
    const limit = (args.limit as number | undefined) ?? (ids ? list.length : 25);
    const page = (args.page as number | undefined) ?? 1;
    list = list.slice((page - 1) * limit, page * limit);
    return list;
  }, { list: true, args: boardArgs, cost: (a) => ({ base: 10, multiplier: (a.ids as unknown[] | undefined)?.length ?? (a.limit as number | undefined) ?? 25 }) }),

  items: f<unknown>('Item', (_p, args, ctx) => {
    needScope(ctx, 'boards:read');
    const ids = (args.ids as string[] | undefined) ?? [];
    if (ids.length > MAX_ROOT_ITEMS) throw invalidArgument(`A maximum of ${MAX_ROOT_ITEMS} item ids can be queried at once`);
    const out: ItemRef[] = [];
    for (const id of ids) {
      const p = parseItemId(id);
      if (!p || p.index >= ctx.world.total(p.entity)) continue; // unknown ids are simply absent
      if (args.exclude_nonactive === true && p.index >= ctx.world.counts[p.entity]) continue;
      out.push({ board: BOARDS.find((b) => b.entity === p.entity) as BoardSpec<EntityType>, index: p.index });
    }
    return out;
  }, { list: true, args: { ids: { type: 'ID', list: true }, limit: { type: 'Int' }, page: { type: 'Int' }, exclude_nonactive: { type: 'Boolean' }, newest_first: { type: 'Boolean' } }, cost: (a) => ({ base: 10, multiplier: (a.ids as unknown[] | undefined)?.length ?? 25 }) }),

  next_items_page: f<unknown>('ItemsResponse', (_p, args, ctx) => {
    needScope(ctx, 'boards:read');
    const limit = pageLimit(args);
    const { s, board } = openCursor(ctx, args.cursor as string);
    return itemsPage(ctx, board, limit, s.q, s.p, s.t);
  }, { args: { cursor: { type: 'String', required: true }, limit: { type: 'Int' } }, cost: () => ({ base: 10, multiplier: 1 }), childEnv: (a, env) => ({ ...env, page: (a.limit as number | undefined) ?? DEFAULT_PAGE }) }),

  me: f<unknown>('User', (_p, _a, ctx) => {
    needScope(ctx, 'me:read');
    return userObj(ctx.world, ctx.userIndex);
  }),

  users: f<unknown>('User', (_p, args, ctx) => {
    needScope(ctx, 'users:read');
    const ids = args.ids as string[] | undefined;
    const emails = args.emails as string[] | undefined;
    let list = users(ctx.world).filter((u) => (!ids || ids.includes(userId(u.index))) && (!emails || emails.includes(u.o.email)));
    const limit = args.limit as number | undefined;
    if (limit) list = list.slice(((args.page as number | undefined ?? 1) - 1) * limit, (args.page as number | undefined ?? 1) * limit);
    return list;
  }, { list: true, args: { ids: { type: 'ID', list: true }, emails: { type: 'String', list: true }, kind: { type: 'JSON' }, limit: { type: 'Int' }, page: { type: 'Int' }, name: { type: 'String' }, newest_first: { type: 'Boolean' }, non_active: { type: 'Boolean' } }, cost: (a, env) => ({ base: 10_000, multiplier: (a.limit as number | undefined) ?? env.users }) }),

  workspaces: f<unknown>('Workspace', (_p, args, ctx) => {
    needScope(ctx, 'workspaces:read');
    const ids = args.ids as string[] | undefined;
    return Object.values(WORKSPACES).filter((w) => !ids || ids.includes(w.id));
  }, { list: true, args: { ids: { type: 'ID', list: true }, kind: { type: 'JSON' }, limit: { type: 'Int' }, page: { type: 'Int' }, state: { type: 'JSON' }, order_by: { type: 'JSON' } }, cost: (a) => ({ base: 10, multiplier: (a.limit as number | undefined) ?? 25 }) }),

  account: f<unknown>('Account', (_p, _a, ctx) => {
    needScope(ctx, 'account:read');
    return ACCOUNT;
  }),

  complexity: f<unknown>('Complexity', (_p, _a, ctx) => ctx.complexity, { fixedCost: 0 }),
};

const Board: Record<string, Def> = {
  id: f<BoardSpec>('ID', (b) => b.id),
  name: f<BoardSpec>('String', (b) => b.name),
  description: f<BoardSpec>('String', (b) => b.description),
  state: f<BoardSpec>('State', () => 'active'),
  board_kind: f<BoardSpec>('BoardKind', () => 'public'),
  type: f<BoardSpec>('BoardObjectType', () => 'board'),
  item_terminology: f<BoardSpec>('String', (b) => b.itemTerminology),
  permissions: f<BoardSpec>('String', () => 'everyone'),
  url: f<BoardSpec>('String', (b) => `https://${ACCOUNT.slug}.monday.com/boards/${b.id}`),
  updated_at: f<BoardSpec>('ISO8601DateTime', () => '2025-05-30T12:00:00Z'),
  workspace_id: f<BoardSpec>('ID', (b) => b.workspace.id),
  workspace: f<BoardSpec>('Workspace', (b) => b.workspace),
  columns: f<BoardSpec>('Column', (b, args) => {
    const ids = args.ids as string[] | undefined;
    const types = args.types as string[] | undefined;
    return b.columns.filter((c) => (!ids || ids.includes(c.id)) && (!types || types.includes(c.type)));
  }, { list: true, args: columnFilterArgs, cost: (a, env) => ({ base: 1, multiplier: (a.ids as unknown[] | undefined)?.length ?? env.columns + 1 }) }),
  groups: f<BoardSpec>('Group', (b, args) => b.groups.filter((g) => !(args.ids as string[] | undefined) || (args.ids as string[]).includes(g.id)), { list: true, args: { ids: { type: 'String', list: true } }, cost: (_a, env) => ({ base: 1, multiplier: env.groups }) }),
  owners: f<BoardSpec>('User', (_b, _a, ctx) => [userObj(ctx.world, 0)], { list: true, cost: () => ({ base: 1, multiplier: 1 }) }),
  items_count: f<BoardSpec>('Int', (b, _a, ctx) => (b.entity ? ctx.world.counts[b.entity] : 0), { fixedCost: 1_000 }),
  items_page: f<BoardSpec>('ItemsResponse', (b, args, ctx) => {
    const limit = pageLimit(args);
    if (typeof args.cursor === 'string') {
      const { s, board } = openCursor(ctx, args.cursor);
      if (board.id !== b.id) throw new FieldError('The cursor provided is invalid', 'InvalidCursorException', { error_data: {}, status_code: 400 });
      return itemsPage(ctx, board, limit, s.q, s.p, s.t);
    }
    return itemsPage(ctx, b, limit, queryParams(args), 0, ctx.now);
  }, { args: { limit: { type: 'Int' }, cursor: { type: 'String' }, query_params: { type: 'JSON' } }, cost: () => ({ base: 10, multiplier: 1 }), childEnv: (a, env) => ({ ...env, page: (a.limit as number | undefined) ?? DEFAULT_PAGE }) }),
};

type UserRef = { o: World['owners'][number]; index: number };
const User: Record<string, Def> = {
  id: f<UserRef>('ID', (u) => userId(u.index)),
  name: f<UserRef>('String', (u) => u.o.name),
  email: f<UserRef>('String', (u) => u.o.email),
  title: f<UserRef>('String', (u) => u.o.title),
  enabled: f<UserRef>('Boolean', (u) => u.o.active),
  is_admin: f<UserRef>('Boolean', (u) => u.index === 0),
  is_guest: f<UserRef>('Boolean', () => false),
  time_zone_identifier: f<UserRef>('String', (u) => u.o.timeZone),
  created_at: f<UserRef>('Date', () => '2018-01-01T00:00:00Z'),
  url: f<UserRef>('String', (u) => `https://${ACCOUNT.slug}.monday.com/users/${userId(u.index)}`),
  photo_thumb: f<UserRef>('String', () => null),
  account: f<UserRef>('Account', (_u, _a, ctx) => {
    needScope(ctx, 'account:read');
    return ACCOUNT;
  }),
};

const Account: Record<string, Def> = {
  id: f<typeof ACCOUNT>('ID', (a) => a.id),
  name: f<typeof ACCOUNT>('String', (a) => a.name),
  slug: f<typeof ACCOUNT>('String', (a) => a.slug),
  tier: f<typeof ACCOUNT>('String', (a) => a.tier),
  country_code: f<typeof ACCOUNT>('String', (a) => a.countryCode),
  first_day_of_the_week: f<typeof ACCOUNT>('FirstDayOfTheWeek', () => 'monday'),
  show_timeline_weekends: f<typeof ACCOUNT>('Boolean', () => true),
  active_members_count: f<typeof ACCOUNT>('Int', (_a, _x, ctx) => ctx.world.owners.length),
};

const simple = (fields: string[], types: Record<string, string> = {}): Record<string, Def> =>
  Object.fromEntries(fields.map((k) => [k, scalar(types[k] ?? 'String')]));

const Column: Record<string, Def> = {
  id: f<ColumnSpec>('ID', (c) => c.id),
  title: f<ColumnSpec>('String', (c) => c.title),
  type: f<ColumnSpec>('ColumnType', (c) => c.type),
  settings_str: f<ColumnSpec>('String', (c) => JSON.stringify(c.settings)),
  archived: f<ColumnSpec>('Boolean', () => false),
  description: f<ColumnSpec>('String', (c) => (c.custom ? 'Custom field' : null)),
  width: f<ColumnSpec>('Int', () => null),
};

const objects: TypeDef<MondayCtx>[] = [
  { kind: 'object', name: 'Query', fields: Query },
  { kind: 'object', name: 'Board', fields: Board },
  { kind: 'object', name: 'Item', fields: Item },
  { kind: 'object', name: 'Update', fields: Update },
  { kind: 'object', name: 'User', fields: User },
  { kind: 'object', name: 'Account', fields: Account },
  { kind: 'object', name: 'Column', fields: Column },
  { kind: 'object', name: 'Group', fields: { ...simple(['id', 'title', 'color', 'position']), archived: { type: 'Boolean', resolve: (() => false) as Def['resolve'] }, deleted: { type: 'Boolean', resolve: (() => false) as Def['resolve'] } } },
  { kind: 'object', name: 'Workspace', fields: { ...simple(['id', 'name', 'kind', 'description'], { id: 'ID' }), state: f<unknown>('State', () => 'active'), is_default_workspace: f<{ id: string }>('Boolean', (w) => w.id === WORKSPACES.main.id), created_at: f<unknown>('Date', () => '2018-01-01T00:00:00Z') } },
  { kind: 'object', name: 'ItemsResponse', fields: { cursor: scalar('String'), items: { type: 'Item', list: true, cost: (_a: Args, env: CostEnv) => ({ base: 0, multiplier: env.page }) } } },
  { kind: 'object', name: 'Complexity', fields: { query: scalar('Int'), before: scalar('Int'), after: scalar('Int'), reset_in_x_seconds: f<MondayCtx['complexity']>('Int', (c) => c.resetInSeconds) } },
  ...valueTypes,
];

export const mondaySchema: Schema<MondayCtx> = {
  query: 'Query',
  types: new Map(objects.map((t) => [t.name, t])),
  scalars: new Set(['ID', 'String', 'Int', 'Float', 'Boolean', 'JSON', 'Date', 'ISO8601DateTime', 'State', 'BoardKind', 'ColumnType', 'Kind', 'BoardObjectType', 'FirstDayOfTheWeek']),
};

/** The facts a query's complexity depends on: the widest board it reads (by ids, cursor or item ids). */
export function costEnv(ctx: Pick<MondayCtx, 'world' | 'cursorSecret'>): (root: FieldNode, args: Args) => CostEnv {
  const envOf = (boards: readonly BoardSpec[]): CostEnv => ({
    columns: Math.max(0, ...boards.map((b) => b.columns.length - 1)),
    groups: Math.max(0, ...boards.map((b) => b.groups.length)),
    users: ctx.world.owners.length,
    page: DEFAULT_PAGE,
  });
  return (root, args) => {
    switch (root.name.value) {
      case 'boards': {
        const ids = args.ids as string[] | undefined;
        return envOf(ids ? BOARDS.filter((b) => ids.includes(b.id)) : BOARDS);
      }
      case 'next_items_page': {
        const s = typeof args.cursor === 'string' ? decodeCursor(ctx.cursorSecret, args.cursor) : null;
        const b = s ? BOARD_BY_ID.get(s.b) : undefined;
        return envOf(b ? [b] : BOARDS);
      }
      case 'items': {
        const entities = new Set(((args.ids as string[] | undefined) ?? []).map((id) => parseItemId(id)?.entity));
        return envOf(BOARDS.filter((b) => b.entity !== null && entities.has(b.entity)));
      }
      default:
        return envOf(BOARDS);
    }
  };
}
