/**
 * Which items an items_page query returns, in which order: the board's live items (deleted ones are only
 * readable by id through root `items`), optionally filtered by `query_params` rules and ids and ordered by
 * `order_by` on `__creation_log__` / `__last_updated__`
 * (https://developer.monday.com/api-reference/changelog/ability-to-sort-items_page-results-by-creation-or-last-updated-date).
 * Default order is the board's order, which for the sandbox is creation order of the world indices (item id
 * ascending). Date rules have day granularity, as monday's do (fact sheet §5 "Incremental").
 */
import type { EntityType, World } from '../common/index.js';
import type { BoardSpec, ColumnSpec } from './boards.js';
import { changedAt } from './boards.js';
import type { ItemsQuerySpec } from './cursors.js';
import { parseItemId } from './ids.js';
import { FieldError } from './graphql/types.js';

const DAY = 86_400_000;

/** created/updated epoch ms per live item, and the index permutations sorted by them. Built once per board, on demand. */
export interface TimeIndex {
  readonly created: Float64Array;
  readonly updated: Float64Array;
  sorted(key: 'created' | 'updated'): Uint32Array;
}

export function buildTimeIndex(world: World, entity: EntityType): TimeIndex {
  const n = world.counts[entity];
  const created = new Float64Array(n);
  const updated = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = world.get(entity, i);
    created[i] = r.createdAt;
    updated[i] = r.updatedAt;
  }
  const perms: Partial<Record<'created' | 'updated', Uint32Array>> = {};
  return {
    created,
    updated,
    sorted(key) {
      let p = perms[key];
      if (!p) {
        const ts = key === 'created' ? created : updated;
        // API timestamps have second resolution; ties break on item id, so the order is total and stable.
        const sec = (i: number) => Math.floor((ts[i] as number) / 1000);
        p = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => sec(a) - sec(b) || a - b);
        perms[key] = p;
      }
      return p;
    },
  };
}

export interface ItemsView {
  readonly length: number;
  /** World index at position k of the ordered sequence. */
  at(k: number): number;
  /** Null: every item in the sequence matches. */
  readonly match: ((index: number) => boolean) | null;
}

function dayStart(value: unknown): number {
  const s = typeof value === 'string' ? value : '';
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  if (!Number.isFinite(t)) throw new FieldError(`Invalid date value "${String(value)}" in compare_value`, 'InvalidColumnValueException', { error_data: {}, status_code: 400 });
  return Math.floor(t / DAY) * DAY;
}

/** compare_value of a date rule: ["EXACT", "2024-05-01"] or ["2024-05-01"] (relative keywords like "TODAY" are not simulated). */
function dateOperand(compare: unknown): number[] {
  const list = (Array.isArray(compare) ? compare : [compare]).filter((v) => v !== 'EXACT');
  return list.map(dayStart);
}

function datePredicate(ts: Float64Array, operator: string, compare: unknown): (i: number) => boolean {
  const [d, d2] = dateOperand(compare);
  if (d === undefined) throw new FieldError('compare_value is required', 'InvalidArgumentException', { error_data: {}, status_code: 400 });
  switch (operator) {
    case 'greater_than':
      return (i) => (ts[i] as number) >= d + DAY;
    case 'greater_than_or_equals':
      return (i) => (ts[i] as number) >= d;
    case 'lower_than':
      return (i) => (ts[i] as number) < d;
    case 'lower_than_or_equal':
      return (i) => (ts[i] as number) < d + DAY;
    case 'between':
      return (i) => (ts[i] as number) >= d && (ts[i] as number) < (d2 ?? d) + DAY;
    case 'any_of':
      return (i) => (ts[i] as number) >= d && (ts[i] as number) < d + DAY;
    default:
      throw new FieldError(`Operator ${operator} is not supported for this column`, 'InvalidArgumentException', { error_data: {}, status_code: 400 });
  }
}

function columnPredicate(world: World, board: BoardSpec<EntityType>, column: ColumnSpec, operator: string, compare: unknown): (i: number) => boolean {
  const values = Array.isArray(compare) ? compare : compare === undefined ? [] : [compare];
  const cellOf = (i: number) => {
    const r = world.get(board.entity, i);
    return column.cell(r, { world, changedAt: changedAt(r) });
  };
  const matches = (i: number) => {
    const c = cellOf(i);
    if (!c) return false;
    const index = column.type === 'status' ? (JSON.parse(c.json) as { index: number }).index : undefined;
    return values.some((v) => v === c.text || (typeof v === 'number' && v === index) || String(v) === c.text);
  };
  switch (operator) {
    case 'any_of':
      return matches;
    case 'not_any_of':
      return (i) => !matches(i);
    case 'is_empty':
      return (i) => cellOf(i) === null;
    case 'is_not_empty':
      return (i) => cellOf(i) !== null;
    case 'contains_text': {
      const needle = String(values[0] ?? '').toLowerCase();
      return (i) => (cellOf(i)?.text ?? '').toLowerCase().includes(needle);
    }
    default:
      throw new FieldError(`Operator ${operator} is not supported for this column`, 'InvalidArgumentException', { error_data: {}, status_code: 400 });
  }
}

/** The ordered, filtered sequence of a board's live items for `query_params`. */
export function itemsView(world: World, board: BoardSpec<EntityType>, q: ItemsQuerySpec | null, time: () => TimeIndex): ItemsView {
  const n = world.counts[board.entity];
  const order = q?.order_by?.[0];
  let seq: ArrayLike<number> | null = null;
  if (order) {
    const key = order.column_id === '__creation_log__' ? 'created' : order.column_id === '__last_updated__' ? 'updated' : null;
    if (!key) {
      // Sorting by a regular column exists in monday; the sandbox simulates the two system orders only.
      if (!board.columns.some((c) => c.id === order.column_id)) throw new FieldError(`Column ${order.column_id} not found`, 'InvalidColumnIdException', { error_data: { column_id: order.column_id }, status_code: 400 });
      throw new FieldError(`Ordering by column ${order.column_id} is not simulated by the sandbox`, 'InvalidArgumentException', { error_data: {}, status_code: 400 });
    }
    const perm = time().sorted(key);
    seq = order.direction === 'desc' ? Uint32Array.from(perm).reverse() : perm;
  }

  const preds: ((i: number) => boolean)[] = [];
  for (const rule of q?.rules ?? []) {
    const columnId = String(rule.column_id ?? '');
    const operator = String(rule.operator ?? 'any_of');
    if (columnId === '__creation_log__') preds.push(datePredicate(time().created, operator, rule.compare_value));
    else if (columnId === '__last_updated__') preds.push(datePredicate(time().updated, operator, rule.compare_value));
    else {
      const column = board.columns.find((c) => c.id === columnId);
      if (!column) throw new FieldError(`Column ${columnId} not found`, 'InvalidColumnIdException', { error_data: { column_id: columnId }, status_code: 400 });
      preds.push(columnPredicate(world, board, column, operator, rule.compare_value));
    }
  }
  let match: ((i: number) => boolean) | null = null;
  if (preds.length > 0) match = q?.operator === 'or' ? (i) => preds.some((p) => p(i)) : (i) => preds.every((p) => p(i));

  if (q?.ids && q.ids.length > 0) {
    const wanted = new Set<number>();
    for (const id of q.ids) {
      const parsed = parseItemId(String(id));
      if (parsed && parsed.entity === board.entity && parsed.index < n) wanted.add(parsed.index);
    }
    const inner = match;
    if (!seq) seq = Uint32Array.from([...wanted].sort((a, b) => a - b));
    else match = inner ? (i) => wanted.has(i) && inner(i) : (i) => wanted.has(i);
  }

  const s = seq;
  return s ? { length: s.length, at: (k) => s[k] as number, match } : { length: n, at: (k) => k, match };
}

/** One page from position `from`: the items and the position after them, or null when nothing is left. */
export function pageOf(view: ItemsView, from: number, limit: number): { indices: number[]; next: number | null } {
  const indices: number[] = [];
  let k = from;
  if (!view.match) {
    const end = Math.min(view.length, from + limit);
    for (; k < end; k++) indices.push(view.at(k));
    return { indices, next: k < view.length ? k : null };
  }
  for (; k < view.length && indices.length < limit; k++) {
    const i = view.at(k);
    if (view.match(i)) indices.push(i);
  }
  // Look ahead so the last page carries a null cursor rather than a cursor to an empty page.
  let ahead = k;
  while (ahead < view.length && !view.match(view.at(ahead))) ahead++;
  return { indices, next: ahead < view.length ? ahead : null };
}
