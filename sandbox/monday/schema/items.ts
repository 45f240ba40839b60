/** Items, their column values (with the typed implementations fragments select) and updates, and items_page paging. */
import type { EntityType, World } from '../../common/index.js';
import { BOARD_BY_ID, changedAt, groupOf, itemName, type BoardSpec, type CellEnv, type ColumnSpec } from '../boards.js';
import { EMPTY_FIELDS, isoSeconds, typedFields, type Cell } from '../cells.js';
import { decodeCursor, encodeCursor, type ItemsQuerySpec } from '../cursors.js';
import { ACCOUNT, itemId, userId } from '../ids.js';
import { itemsView, pageOf } from '../items.js';
import { FieldError, type Args, type TypeDef } from '../graphql/types.js';
import { f, userObj, type Def, type MondayCtx } from './context.js';

// ------------------------------------------------------------------ values the resolvers pass around

export interface ItemRef {
  readonly board: BoardSpec<EntityType>;
  readonly index: number;
  rec?: ReturnType<World['get']>;
  /** The cell renderers' environment, built once per item. */
  env?: CellEnv;
}

interface ValueRef {
  readonly item: ItemRef;
  readonly col: ColumnSpec;
  cell?: Cell | null;
}

function record(ctx: MondayCtx, item: ItemRef): ReturnType<World['get']> {
  return (item.rec ??= ctx.world.get(item.board.entity, item.index));
}

function cellOf(ctx: MondayCtx, v: ValueRef): Cell | null {
  if (v.cell === undefined) {
    const r = record(ctx, v.item);
    v.cell = v.col.cell(r, (v.item.env ??= { world: ctx.world, changedAt: changedAt(r) }));
  }
  return v.cell;
}

export function itemsPage(ctx: MondayCtx, board: BoardSpec, limit: number, q: ItemsQuerySpec | null, from: number, firstAt: number) {
  if (board.entity === null) return { cursor: null, items: [] };
  const b = board as BoardSpec<EntityType>;
  const view = itemsView(ctx.world, b, q, () => ctx.time(b.entity));
  const { indices, next } = pageOf(view, from, limit);
  return {
    cursor: next === null ? null : encodeCursor(ctx.cursorSecret, { b: board.id, p: next, q, t: firstAt }),
    items: indices.map((index): ItemRef => ({ board: b, index })),
  };
}

export function queryParams(args: Args): ItemsQuerySpec | null {
  const q = args.query_params as ItemsQuerySpec | undefined;
  return q && typeof q === 'object' ? q : null;
}

/** The state behind a cursor, or the CursorExpiredError monday returns after 60 minutes. */
export function openCursor(ctx: MondayCtx, cursor: string) {
  const s = decodeCursor(ctx.cursorSecret, cursor);
  if (!s) throw new FieldError('The cursor provided is invalid', 'InvalidCursorException', { error_data: {}, status_code: 400 });
  if (ctx.now - s.t >= ctx.cursorTtlMs) {
    // extensions.code as Airbyte's source-monday matches it (manifest.yaml, RESET_PAGINATION); message [unverified].
    throw new FieldError('CursorExpiredError: The cursor provided for pagination has expired. Please refresh your query and obtain a new cursor to continue fetching items', 'CursorExpiredError', { error_data: {} });
  }
  const board = BOARD_BY_ID.get(s.b);
  if (!board) throw new FieldError('The cursor provided is invalid', 'InvalidCursorException', { error_data: {}, status_code: 400 });
  return { s, board };
}

// ------------------------------------------------------------------ column value implementation types

/** Implementation type and its typed fields, per column type (fragments `... on StatusValue { label }`). */
const VALUE_TYPES: Readonly<Record<string, { name: string; fields: Record<string, string | [string, boolean]> }>> = {
  board_relation: { name: 'BoardRelationValue', fields: { linked_item_ids: ['ID', true], display_value: 'String', updated_at: 'Date' } },
  status: { name: 'StatusValue', fields: { index: 'Int', label: 'String', is_done: 'Boolean', updated_at: 'Date' } },
  email: { name: 'EmailValue', fields: { email: 'String', label: 'String', updated_at: 'Date' } },
  phone: { name: 'PhoneValue', fields: { phone: 'String', country_short_name: 'String', updated_at: 'Date' } },
  date: { name: 'DateValue', fields: { date: 'String', time: 'String', updated_at: 'Date' } },
  numbers: { name: 'NumbersValue', fields: { number: 'Float', symbol: 'String', direction: 'String' } },
  text: { name: 'TextValue', fields: { updated_at: 'Date' } },
  long_text: { name: 'LongTextValue', fields: { updated_at: 'Date' } },
  link: { name: 'LinkValue', fields: { url: 'String', url_text: 'String', updated_at: 'Date' } },
  country: { name: 'CountryValue', fields: { country: 'Country', updated_at: 'Date' } },
  people: { name: 'PeopleValue', fields: { persons_and_teams: ['PeopleEntity', true], updated_at: 'Date' } },
  checkbox: { name: 'CheckboxValue', fields: { checked: 'Boolean', updated_at: 'Date' } },
  dropdown: { name: 'DropdownValue', fields: { values: ['DropdownValueOption', true], updated_at: 'Date' } },
  location: { name: 'LocationValue', fields: { address: 'String', city: 'String', country: 'String', country_short: 'String', updated_at: 'Date' } },
};
/** Other implementations monday has: valid fragment targets with only the interface fields. */
const OTHER_VALUE_TYPES = [
  'MirrorValue', 'FormulaValue', 'CreationLogValue', 'LastUpdatedValue', 'ItemIdValue', 'TimelineValue', 'TagsValue',
  'HourValue', 'WeekValue', 'RatingValue', 'VoteValue', 'ButtonValue', 'FileValue', 'DependencyValue', 'SubtasksValue',
  'WorldClockValue', 'ProgressValue', 'ColorPickerValue', 'DocValue', 'TeamValue', 'IntegrationValue',
  'TimeTrackingValue', 'AutoNumberValue', 'GroupValue', 'PersonValue', 'ButtonValue', 'UnsupportedValue',
];

const columnValueFields: Record<string, Def> = {
  id: f<ValueRef>('ID', (v) => v.col.id),
  type: f<ValueRef>('ColumnType', (v) => v.col.type),
  text: f<ValueRef>('String', (v, _a, ctx) => cellOf(ctx, v)?.text ?? (v.col.type === 'board_relation' ? null : '')),
  value: f<ValueRef>('JSON', (v, _a, ctx) => cellOf(ctx, v)?.json ?? null),
  column: f<ValueRef>('Column', (v) => v.col),
};

function typedField(name: string, type: string | [string, boolean]): Def {
  const [t, list] = Array.isArray(type) ? type : [type, false];
  return f<ValueRef>(t, (v, _a, ctx) => {
    if (name === 'updated_at') return isoSeconds(record(ctx, v.item).updatedAt);
    const c = cellOf(ctx, v);
    const x = c === null ? EMPTY_FIELDS[v.col.type]?.[name] : c.fields ? c.fields[name] : typedFields(v.col.type, c, v.col.settings)[name];
    return typeof x === 'function' ? (x as () => unknown)() : (x ?? null);
  }, list ? { list: true } : {});
}

export const columnFilterArgs = { ids: { type: 'String', list: true }, types: { type: 'JSON', list: true } } as const;

export const Item: Record<string, Def> = {
  id: f<ItemRef>('ID', (i) => itemId(i.board.entity, i.index)),
  name: f<ItemRef>('String', (i, _a, ctx) => itemName(i.board.entity, record(ctx, i))),
  created_at: f<ItemRef>('Date', (i, _a, ctx) => isoSeconds(record(ctx, i).createdAt)),
  updated_at: f<ItemRef>('Date', (i, _a, ctx) => (i.env ??= { world: ctx.world, changedAt: changedAt(record(ctx, i)) }).changedAt),
  state: f<ItemRef>('State', (i, _a, ctx) => (record(ctx, i).deleted ? 'deleted' : 'active')),
  creator_id: f<ItemRef>('String', (i, _a, ctx) => userId(record(ctx, i).ownerIndex)),
  creator: f<ItemRef>('User', (i, _a, ctx) => userObj(ctx.world, record(ctx, i).ownerIndex)),
  email: f<ItemRef>('String', (i) => `pulse-${itemId(i.board.entity, i.index)}@${ACCOUNT.slug}.monday.com`),
  url: f<ItemRef>('String', (i) => `https://${ACCOUNT.slug}.monday.com/boards/${i.board.id}/pulses/${itemId(i.board.entity, i.index)}`),
  relative_link: f<ItemRef>('String', (i) => `/boards/${i.board.id}/pulses/${itemId(i.board.entity, i.index)}`),
  board: f<ItemRef>('Board', (i) => i.board),
  group: f<ItemRef>('Group', (i, _a, ctx) => groupOf(i.board, record(ctx, i))),
  subitems: f<ItemRef>('Item', () => [], { list: true, cost: () => ({ base: 1, multiplier: 25 }) }),
  column_values: f<ItemRef>('ColumnValue', (i, args) => {
    const ids = args.ids as string[] | undefined;
    const types = args.types as string[] | undefined;
    const out: ValueRef[] = [];
    for (const col of i.board.columns) {
      if (col.type === 'name') continue; // the name is the item's `name`, not a column value
      if ((ids && !ids.includes(col.id)) || (types && !types.includes(col.type))) continue;
      out.push({ item: i, col });
    }
    return out;
  }, { list: true, args: columnFilterArgs, cost: (a, env) => ({ base: 1, multiplier: (a.ids as unknown[] | undefined)?.length ?? env.columns }) }),
  updates: f<ItemRef>('Update', (i, args, ctx) => {
    // Notes are the updates of Activities items of type note (one each); other items have none.
    const r = record(ctx, i);
    if (i.board.entity !== 'activities' || (r as { type?: string }).type !== 'note' || (args.page as number | undefined ?? 1) > 1) return [];
    return [{ item: i, r }];
  }, { list: true, args: { ids: { type: 'ID', list: true }, limit: { type: 'Int' }, page: { type: 'Int' } }, cost: (a) => ({ base: 1, multiplier: (a.limit as number | undefined) ?? 25 }) }),
};

type UpdateRef = { item: ItemRef; r: ReturnType<World['get']> & { body?: string } };
export const Update: Record<string, Def> = {
  id: f<UpdateRef>('ID', (u) => String(3_000_000_000 + u.item.index)),
  body: f<UpdateRef>('String', (u) => `<p>${(u.r.body ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, '<br>')}</p>`),
  text_body: f<UpdateRef>('String', (u) => u.r.body ?? ''),
  created_at: f<UpdateRef>('Date', (u) => isoSeconds(u.r.createdAt)),
  updated_at: f<UpdateRef>('Date', (u) => isoSeconds(u.r.updatedAt)),
  creator_id: f<UpdateRef>('String', (u) => userId(u.r.ownerIndex)),
  creator: f<UpdateRef>('User', (u, _a, ctx) => userObj(ctx.world, u.r.ownerIndex)),
  item_id: f<UpdateRef>('String', (u) => itemId(u.item.board.entity, u.item.index)),
};

/** The ColumnValue interface and its implementation types. */
export const valueTypes: TypeDef<MondayCtx>[] = [
  { kind: 'object', name: 'Country', fields: { code: { type: 'String' }, name: { type: 'String' } } },
  { kind: 'object', name: 'PeopleEntity', fields: { id: { type: 'ID' }, kind: { type: 'Kind' } } },
  { kind: 'object', name: 'DropdownValueOption', fields: { id: { type: 'ID' }, label: { type: 'String' } } },
  {
    kind: 'interface', name: 'ColumnValue', fields: columnValueFields,
    resolveType: ((v: ValueRef) => VALUE_TYPES[v.col.type]?.name ?? 'UnsupportedValue') as (value: never) => string,
  },
  ...Object.values(VALUE_TYPES).map((t): TypeDef<MondayCtx> => ({
    kind: 'object', name: t.name, interfaces: ['ColumnValue'],
    fields: { ...columnValueFields, ...Object.fromEntries(Object.entries(t.fields).map(([k, type]) => [k, typedField(k, type)])) },
  })),
  ...[...new Set(OTHER_VALUE_TYPES)].map((name): TypeDef<MondayCtx> => ({ kind: 'object', name, interfaces: ['ColumnValue'], fields: columnValueFields })),
];

