/**
 * The imported records (the canonical tables), for the UI and the API: keyset-paged lists with a name/e-mail
 * search, counts, and one record with its resolved related records. Always scoped to the caller's organization.
 */
import { and, count, desc, eq, getTableColumns, ilike, inArray, or, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import type { EntityType } from '../core/ids.js';
import { recordTables } from '../db/schema.js';
import { notFound } from '../errors.js';
import type { AuthContext } from './auth-service.js';
import { afterKeyset, decodeKeyset, encodeKeyset, keysetAt } from './record-cursor.js';

export type RecordRow = Record<string, unknown> & { id: string; createdAt: Date };

/** Columns `q` searches, per entity. */
const SEARCH: Record<EntityType, readonly string[]> = {
  accounts: ['name', 'domain'],
  contacts: ['firstName', 'lastName', 'email'],
  leads: ['firstName', 'lastName', 'email', 'company'],
  deals: ['name'],
  activities: ['subject'],
};

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface RecordQuery {
  limit: number;
  cursor?: string;
  migrationId?: string;
  q?: string;
}

function filters(entity: EntityType, auth: AuthContext, query: Omit<RecordQuery, 'limit' | 'cursor'>): SQL[] {
  const t = recordTables[entity];
  const conds: SQL[] = [eq(t.organizationId, auth.organizationId)];
  if (query.migrationId) conds.push(or(eq(t.migrationId, query.migrationId), eq(t.createdMigrationId, query.migrationId))!);
  const q = query.q?.trim();
  if (q) {
    const cols = SEARCH[entity].map((c) => (t as unknown as Record<string, Parameters<typeof ilike>[0]>)[c]!);
    conds.push(or(...cols.map((c) => ilike(c, likePattern(q))))!);
  }
  return conds;
}

export async function listRecords(ctx: AppContext, auth: AuthContext, entity: EntityType, query: RecordQuery): Promise<{ records: RecordRow[]; nextCursor: string | null }> {
  const t = recordTables[entity];
  const conds = filters(entity, auth, query);
  if (query.cursor) {
    conds.push(afterKeyset(t.createdAt, t.id, decodeKeyset(query.cursor)));
  }
  const rows = await ctx.db
    .select({ ...getTableColumns(t), keysetAt: keysetAt(t.createdAt) })
    .from(t)
    .where(and(...conds))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const records = page.map(({ keysetAt: _at, ...r }) => r as RecordRow);
  return { records, nextCursor: rows.length > query.limit && last ? encodeKeyset({ at: last.keysetAt, id: last.id }) : null };
}

export async function countRecords(ctx: AppContext, auth: AuthContext, entity: EntityType, query: Omit<RecordQuery, 'limit' | 'cursor'>): Promise<number> {
  const t = recordTables[entity];
  const [row] = await ctx.db.select({ n: count() }).from(t).where(and(...filters(entity, auth, query)));
  return Number(row?.n ?? 0);
}

async function byId(ctx: AppContext, auth: AuthContext, entity: EntityType, id: string | null | undefined): Promise<RecordRow | null> {
  if (!id) return null;
  const t = recordTables[entity];
  const [row] = await ctx.db.select().from(t).where(and(eq(t.id, id), eq(t.organizationId, auth.organizationId))).limit(1);
  return (row as RecordRow | undefined) ?? null;
}

const CHILDREN: Partial<Record<EntityType, ReadonlyArray<{ entity: EntityType; column: 'accountId' | 'contactId' | 'dealId' }>>> = {
  accounts: [
    { entity: 'contacts', column: 'accountId' },
    { entity: 'deals', column: 'accountId' },
    { entity: 'activities', column: 'accountId' },
  ],
  contacts: [
    { entity: 'deals', column: 'contactId' },
    { entity: 'activities', column: 'contactId' },
  ],
  deals: [{ entity: 'activities', column: 'dealId' }],
};

export interface RecordDetail {
  record: RecordRow;
  /** The parents its links resolve to (null: the link is not resolved, or absent). */
  related: { account?: RecordRow | null; contact?: RecordRow | null; deal?: RecordRow | null };
  /** The first children pointing at it, with their total. */
  children: Partial<Record<EntityType, { count: number; records: RecordRow[] }>>;
}

export async function getRecord(ctx: AppContext, auth: AuthContext, entity: EntityType, id: string): Promise<RecordDetail> {
  const record = await byId(ctx, auth, entity, id);
  if (!record) throw notFound('Record');
  const related: RecordDetail['related'] = {};
  if ('accountId' in record) related.account = await byId(ctx, auth, 'accounts', record.accountId as string | null);
  if ('contactId' in record) related.contact = await byId(ctx, auth, 'contacts', record.contactId as string | null);
  if ('dealId' in record) related.deal = await byId(ctx, auth, 'deals', record.dealId as string | null);
  const children: RecordDetail['children'] = {};
  for (const c of CHILDREN[entity] ?? []) {
    const t = recordTables[c.entity];
    const col = (t as unknown as Record<string, Parameters<typeof eq>[0]>)[c.column]!;
    const where = and(eq(t.organizationId, auth.organizationId), eq(col, id));
    const [n] = await ctx.db.select({ n: count() }).from(t).where(where);
    const rows = (await ctx.db.select().from(t).where(where).orderBy(desc(t.createdAt)).limit(20)) as RecordRow[];
    children[c.entity] = { count: Number(n?.n ?? 0), records: rows };
  }
  return { record, related, children };
}

/** Records of several ids (for the UI's link chips). */
export async function recordsByIds(ctx: AppContext, auth: AuthContext, entity: EntityType, ids: readonly string[]): Promise<RecordRow[]> {
  if (ids.length === 0) return [];
  const t = recordTables[entity];
  return (await ctx.db.select().from(t).where(and(eq(t.organizationId, auth.organizationId), inArray(t.id, [...ids])))) as RecordRow[];
}
