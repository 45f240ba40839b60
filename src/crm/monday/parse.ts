/**
 * Pure parsing of monday.com GraphQL responses: shapes validated with zod (a response that does not match
 * fails loudly, never as fewer records), items → SourceRecord, columns → FieldDescriptor. Column values keep
 * monday's column ids as field names; `value` (a JSON string) is decoded per column type into a plain value.
 */
import { z } from 'zod';
import type { EntityType } from '../../core/ids.js';
import type { FieldDescriptor, SourceRecord } from '../types.js';

// ------------------------------------------------------------------ shapes

const id = z.union([z.string(), z.number()]).transform(String);

export const ColumnSchema = z.object({ id: z.string(), title: z.string(), type: z.string(), settings_str: z.string().nullable().optional() });
export type MondayColumn = z.infer<typeof ColumnSchema>;

export const ColumnValueSchema = z.object({
  id: z.string(),
  /** Not asked by the client (the board's columns say each column's type); accepted when present. */
  type: z.string().optional(),
  text: z.string().nullable(),
  /** Asked only for some types (people, date, link), so absent on the others. */
  value: z.string().nullable().optional(),
  linked_item_ids: z.array(z.string()).optional(),
});
export type MondayColumnValue = z.infer<typeof ColumnValueSchema>;

/**
 * The same check as ColumnValueSchema without copying (zod rebuilds every object it parses; a page holds 500
 * items × every column). Any mismatch still fails the page.
 */
function isColumnValue(v: unknown): v is MondayColumnValue {
  if (!v || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  if (typeof c.id !== 'string' || (c.type !== undefined && typeof c.type !== 'string')) return false;
  if (c.text !== null && typeof c.text !== 'string') return false;
  if (c.value !== undefined && c.value !== null && typeof c.value !== 'string') return false;
  if (c.linked_item_ids !== undefined && !(Array.isArray(c.linked_item_ids) && c.linked_item_ids.every((x) => typeof x === 'string'))) return false;
  return true;
}

export const ItemSchema = z.object({
  id,
  name: z.string(),
  created_at: z.string(),
  updated_at: z.string().nullable(),
  state: z.string().nullable().optional(),
  group: z.object({ id: z.string().optional(), title: z.string() }).nullable().optional(),
  column_values: z.array(z.custom<MondayColumnValue>(isColumnValue, { message: 'malformed column value' })),
});
export type MondayItem = z.infer<typeof ItemSchema>;

const ItemsResponseSchema = z.object({ cursor: z.string().nullable(), items: z.array(ItemSchema) });
export type MondayItemsPage = z.infer<typeof ItemsResponseSchema>;

/** `boards(ids:[b]) { items_page { … } }`: exactly one board (an unknown id answers `boards: []`). */
export const FirstPageData = z.object({ boards: z.array(z.object({ items_page: ItemsResponseSchema })) });
export const NextPageData = z.object({ next_items_page: ItemsResponseSchema });
export const CountData = z.object({ boards: z.array(z.object({ id, items_count: z.number().int().nonnegative() })) });
export const BoardListData = z.object({
  boards: z.array(z.object({ id, name: z.string(), workspace: z.object({ id: id.nullable(), name: z.string() }).nullable().optional() })),
});
export type MondayBoardSummary = z.infer<typeof BoardListData>['boards'][number];
export const BoardColumnsData = z.object({ boards: z.array(z.object({ id, name: z.string(), columns: z.array(ColumnSchema) })) });
export const MeData = z.object({
  me: z.object({ id, name: z.string(), email: z.string(), account: z.object({ id, name: z.string(), slug: z.string() }) }),
});

// ------------------------------------------------------------------ records

/** How a board's columns turn into links, owner and activity type (built once per board by the client). */
export interface BoardShape {
  readonly entity: EntityType;
  /** Column id → column type (from the board's columns), so values need not repeat their type. */
  readonly types: ReadonlyMap<string, string>;
  /** board_relation column id → which link it fills. */
  readonly links: ReadonlyMap<string, 'account' | 'contact' | 'deal'>;
  /** The first people column: the record's owner. */
  readonly ownerColumn: string | null;
  /** Activities: the status column naming the activity type. */
  readonly typeColumn: string | null;
}

const ACTIVITY_TYPES = new Set(['note', 'task', 'call', 'meeting', 'email']);

function json(value: string | null | undefined): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  try {
    const v = JSON.parse(value) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * A column value as a plain field value: numbers as numbers, checkboxes as booleans, dates as ISO strings (from
 * `value`: `text` has no seconds and is in the user's time zone), links as their URL, relations as id lists,
 * the rest as monday's display text.
 */
export function columnValue(cv: MondayColumnValue, type: string | undefined = cv.type): unknown {
  const text = cv.text === '' ? null : cv.text;
  switch (type) {
    case 'numbers':
      return text === null ? null : Number(text);
    case 'checkbox':
      // monday clears an unchecked checkbox; its text is "v" when checked.
      return text !== null;
    case 'date': {
      const v = json(cv.value);
      if (!v || typeof v.date !== 'string') return null;
      return typeof v.time === 'string' && v.time ? `${v.date}T${v.time}Z` : v.date;
    }
    case 'email':
      return text ?? ((json(cv.value)?.email as string | undefined) || null);
    case 'phone':
      return text ?? ((json(cv.value)?.phone as string | undefined) || null);
    case 'link':
      return (json(cv.value)?.url as string | undefined) || text;
    case 'board_relation':
      return cv.linked_item_ids ?? ((json(cv.value)?.linkedPulseIds as { linkedPulseId: number }[] | undefined) ?? []).map((p) => String(p.linkedPulseId));
    case 'dropdown':
      return text === null ? [] : text.split(', ');
    default:
      return text;
  }
}

const API_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function iso(s: string | null | undefined): string | undefined {
  if (!s) return undefined;
  if (API_TIMESTAMP.test(s)) return `${s.slice(0, 19)}.000Z`; // monday's usual form: skip Date parsing
  const t = Date.parse(s);
  if (!Number.isFinite(t)) throw new Error(`monday returned an unreadable timestamp "${s}"`);
  return new Date(t).toISOString();
}

/** One item as a SourceRecord: fields under monday's column ids (plus `name` and `group`), links from board_relation columns. */
export function itemToRecord(item: MondayItem, shape: BoardShape): SourceRecord {
  const fields: Record<string, unknown> = { name: item.name };
  if (item.group) fields.group = item.group.title;
  const links: SourceRecord['links'] = {};
  let owner: string | undefined;
  let activityType: SourceRecord['activityType'];
  for (const cv of item.column_values) {
    const v = columnValue(cv, cv.type ?? shape.types.get(cv.id));
    fields[cv.id] = v;
    const link = shape.links.get(cv.id);
    if (link && Array.isArray(v) && v.length > 0 && links[link] === undefined) links[link] = String(v[0]);
    if (cv.id === shape.ownerColumn) {
      const people = json(cv.value)?.personsAndTeams as { id: number | string; kind?: string }[] | undefined;
      const person = people?.find((p) => p.kind !== 'team');
      if (person) owner = String(person.id);
    }
    if (cv.id === shape.typeColumn && typeof v === 'string' && ACTIVITY_TYPES.has(v.toLowerCase())) activityType = v.toLowerCase() as SourceRecord['activityType'];
  }
  return {
    id: item.id,
    fields,
    links,
    ...(owner ? { owner } : {}),
    ...(iso(item.created_at) ? { createdAt: iso(item.created_at) } : {}),
    ...(iso(item.updated_at) ? { updatedAt: iso(item.updated_at) } : {}),
    ...(activityType ? { activityType } : {}),
  };
}

// ------------------------------------------------------------------ fields

/** monday's generated column ids (`text_mkq3x0ab`, legacy `text4`, `numbers7`): columns the account added rather than the template's named ones. */
export function isGeneratedColumnId(columnId: string): boolean {
  return /_mk[a-z0-9]{4,}$/.test(columnId) || /^[a-z_]+\d+$/.test(columnId);
}

function labelsOf(col: MondayColumn): string[] | undefined {
  if (!col.settings_str || (col.type !== 'status' && col.type !== 'dropdown')) return undefined;
  const s = json(col.settings_str);
  const labels = s?.labels;
  if (Array.isArray(labels)) return labels.map((l) => String((l as { name?: unknown }).name ?? ''));
  if (labels && typeof labels === 'object') return Object.values(labels as Record<string, unknown>).map(String);
  return undefined;
}

/** A board's columns as field descriptors: the column id is the field name, its title the label. */
export function columnsToFields(columns: readonly MondayColumn[]): FieldDescriptor[] {
  return columns.map((c) => {
    const values = labelsOf(c);
    return { name: c.id, label: c.title, type: c.type, custom: isGeneratedColumnId(c.id), ...(values ? { values } : {}) };
  });
}

/** The board ids a board_relation column points at (settings_str `boardIds`). */
export function relationTargets(col: MondayColumn): string[] {
  const s = col.settings_str ? json(col.settings_str) : null;
  const ids = s?.boardIds;
  return Array.isArray(ids) ? ids.map(String) : [];
}
