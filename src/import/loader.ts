/**
 * Loading: one batch of canonical records into its table, idempotently, keyed by (organization, source,
 * externalId). One statement per batch — `INSERT … SELECT … FROM unnest($n::text[] …) ON CONFLICT … DO UPDATE …
 * RETURNING (xmax = 0)` — whose one array parameter per column keeps the statement small whatever the batch size
 * (a multi-row VALUES list of 1,000 rows × 20 columns is 20,000 parameters to bind and plan), and which runs the
 * same on PostgreSQL and PGlite. Parent links are resolved in the same statement (a child whose parent is already
 * stored gets its id at once); children stored before their parent are resolved when the parent is created
 * (`resolveChildren`). A batch the database rejects is retried row by row under savepoints, so one bad record
 * fails alone. The duplicate policies are documented in src/core/import/options.ts.
 */
import type { DuplicatePolicy } from '../core/import/options.js';
import type { StoredValue } from '../core/import/values.js';
import type { EntityType, SourceSystem } from '../core/ids.js';
import { childLinks, columnsOf, LINKS, type ColumnInfo, type LinkSpec } from './records-meta.js';
import { savepoint, type Sql } from './sql.js';

export interface LoadRecord {
  /** externalId: the CRM id, the CSV id column, or a dedupe key. */
  readonly key: string;
  readonly values: Readonly<Record<string, StoredValue>>;
  readonly customFields: Readonly<Record<string, unknown>>;
}

export interface LoadTarget {
  readonly organizationId: string;
  readonly source: SourceSystem;
  readonly migrationId: string;
  readonly entity: EntityType;
  readonly policy: DuplicatePolicy;
  /** Canonical fields the mapping writes: what an update may change (the others are kept). */
  readonly fields: readonly string[];
}

export type Outcome = 'created' | 'updated' | 'skipped';

export interface LoadResult {
  /** Per input record: what happened, or the database's reason it failed. */
  readonly outcomes: ReadonlyArray<Outcome | { failed: string }>;
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly failed: number;
  /** Ids of the records this batch created (their waiting children are resolved with them). */
  readonly createdIds: readonly string[];
}

interface Plan {
  readonly text: string;
  readonly columns: readonly ColumnInfo[];
}

const planCache = new Map<string, Plan>();

/** SQL type to cast a text array element to. */
function cast(c: ColumnInfo): string {
  return c.sqlType === 'timestamp with time zone' ? 'timestamptz' : c.sqlType;
}

/** The parent-id lookup for one link, in terms of the child's external id and name expressions. */
function parentLookup(link: LinkSpec, ext: string | null, name: string | null, source = '$2'): string {
  const parts: string[] = [];
  if (ext) parts.push(`(select p.id from ${link.parent} p where p.organization_id = $1 and p.source = ${source} and p.external_id = ${ext})`);
  if (name && link.name) {
    // By name within the organization (any source), preferring the same source, then the oldest.
    parts.push(`(select p.id from ${link.parent} p where p.organization_id = $1 and lower(p.name) = lower(${name}) order by (p.source = ${source}) desc, p.created_at, p.id limit 1)`);
  }
  if (parts.length === 0) return 'null';
  return parts.length === 1 ? parts[0]! : `coalesce(${parts.join(', ')})`;
}

function buildPlan(target: LoadTarget): Plan {
  const key = `${target.entity}|${target.policy}|${target.fields.join(',')}`;
  const cached = planCache.get(key);
  if (cached) return cached;
  const all = columnsOf(target.entity);
  const columns = target.fields.map((f) => all.get(f)).filter((c): c is ColumnInfo => c !== undefined);
  const byField = new Map(columns.map((c, i) => [c.field, { c, alias: `c${i}` }]));
  const table = target.entity;
  const links = LINKS[target.entity].filter((l) => byField.has(l.extField) || (l.nameField && byField.has(l.nameField)));

  const insertCols = ['organization_id', 'source', 'external_id', 'migration_id', 'created_migration_id', 'custom_fields', ...columns.map((c) => c.column), ...links.map((l) => l.fk)];
  const unnestArgs = ['$4::text[]', '$5::text[]', ...columns.map((_, i) => `$${i + 6}::text[]`)];
  const aliases = ['k', 'cf', ...columns.map((_, i) => `c${i}`)];
  const ref = (field: string | undefined) => (field && byField.has(field) ? `u.${byField.get(field)!.alias}` : null);
  const selectCols = [
    '$1::uuid',
    '$2::record_source',
    'u.k',
    '$3::uuid',
    '$3::uuid',
    "coalesce(u.cf::jsonb, '{}'::jsonb)",
    ...columns.map((c, i) => `u.c${i}::${cast(c)}`),
    ...links.map((l) => parentLookup(l, ref(l.extField), ref(l.nameField))),
  ];

  let where = '';
  if (target.policy === 'skip') {
    // Skip a new key whose e-mail or domain already belongs to a record of this organization, whatever its source.
    const match = target.entity === 'contacts' || target.entity === 'leads' ? 'email' : target.entity === 'accounts' ? 'domain' : null;
    const m = match ? ref(match) : null;
    if (m) where = `where ${m} is null or not exists (select 1 from ${table} x where x.organization_id = $1 and lower(x.${match}) = lower(${m}))`;
  }

  let conflict: string;
  if (target.policy === 'skip' || target.policy === 'create') {
    conflict = 'do nothing';
  } else if (target.policy === 'overwrite') {
    const sets = [
      ...columns.map((c) => `${c.column} = excluded.${c.column}`),
      ...links.map((l) => `${l.fk} = excluded.${l.fk}`),
      'custom_fields = t.custom_fields || excluded.custom_fields',
      'migration_id = excluded.migration_id',
      'updated_at = now()',
    ];
    conflict = `do update set ${sets.join(', ')}`;
  } else {
    // update_empty: fill what is empty, keep what is there; a match with nothing to fill is left alone (skipped).
    const sets = [
      ...columns.map((c) => `${c.column} = coalesce(t.${c.column}, excluded.${c.column})`),
      ...links.map((l) => {
        const ext = byField.has(l.extField) ? `coalesce(t.${l.ext}, excluded.${l.ext})` : null;
        const name = l.nameField && byField.has(l.nameField) ? `coalesce(t.${l.name}, excluded.${l.name})` : null;
        return `${l.fk} = coalesce(t.${l.fk}, ${parentLookup(l, ext, name)})`;
      }),
      'custom_fields = excluded.custom_fields || t.custom_fields',
      'migration_id = excluded.migration_id',
      'updated_at = now()',
    ];
    const changed = [
      ...columns.map((c) => `(t.${c.column} is null and excluded.${c.column} is not null)`),
      `exists (select 1 from jsonb_object_keys(excluded.custom_fields) ck where not (t.custom_fields ? ck))`,
    ];
    conflict = `do update set ${sets.join(', ')} where ${changed.join(' or ')}`;
  }

  const text =
    `insert into ${table} as t (${insertCols.join(', ')}) ` +
    `select ${selectCols.join(', ')} from unnest(${unnestArgs.join(', ')}) as u(${aliases.join(', ')}) ${where} ` +
    `on conflict (organization_id, source, external_id) ${conflict} ` +
    `returning t.id, t.external_id as k, (t.xmax = 0) as inserted`;
  const plan = { text, columns };
  planCache.set(key, plan);
  return plan;
}

function textOf(v: StoredValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'number' ? String(v) : v;
}

function params(target: LoadTarget, plan: Plan, records: readonly LoadRecord[]): unknown[] {
  const keys: string[] = new Array(records.length);
  const custom: (string | null)[] = new Array(records.length);
  const cols: (string | null)[][] = plan.columns.map(() => new Array(records.length));
  for (let r = 0; r < records.length; r++) {
    const rec = records[r]!;
    keys[r] = rec.key;
    custom[r] = Object.keys(rec.customFields).length === 0 ? null : JSON.stringify(rec.customFields);
    for (let c = 0; c < plan.columns.length; c++) cols[c]![r] = textOf(rec.values[plan.columns[c]!.field]);
  }
  return [target.organizationId, target.source, target.migrationId, keys, custom, ...cols];
}

/** What went wrong in the database, in words fit for an error report (no SQL, no parameters). */
function dbReason(err: unknown): string {
  const e = err as { message?: string; detail?: string; code?: string };
  const msg = (e.message ?? String(err)).split('\n')[0]!.slice(0, 300);
  return `The database refused this record: ${msg}${e.code ? ` (SQLSTATE ${e.code})` : ''}.`;
}

/** Split into runs in which no key repeats (one statement cannot touch a row twice), keeping the order. */
function uniqueRuns(records: readonly LoadRecord[]): Array<{ start: number; records: LoadRecord[] }> {
  const runs: Array<{ start: number; records: LoadRecord[] }> = [];
  let seen = new Set<string>();
  let current: LoadRecord[] = [];
  let start = 0;
  records.forEach((rec, i) => {
    if (seen.has(rec.key)) {
      runs.push({ start, records: current });
      current = [];
      seen = new Set();
      start = i;
    }
    seen.add(rec.key);
    current.push(rec);
  });
  if (current.length > 0) runs.push({ start, records: current });
  return runs;
}

let savepointSeq = 0;

/** Load one batch inside the caller's transaction. */
export async function loadBatch(sql: Sql, target: LoadTarget, records: readonly LoadRecord[]): Promise<LoadResult> {
  const plan = buildPlan(target);
  const outcomes: Array<Outcome | { failed: string }> = new Array(records.length).fill('skipped');
  const createdIds: string[] = [];

  const apply = (start: number, run: readonly LoadRecord[], rows: Array<{ id: string; k: string; inserted: boolean }>) => {
    const index = new Map<string, number>();
    run.forEach((r, i) => index.set(r.key, start + i));
    for (const row of rows) {
      const i = index.get(row.k);
      if (i === undefined) continue;
      outcomes[i] = row.inserted ? 'created' : 'updated';
      if (row.inserted) createdIds.push(row.id);
    }
  };

  for (const { start, records: run } of uniqueRuns(records)) {
    const sp = `load_${++savepointSeq}`;
    const whole = await savepoint(sql, sp, () => sql.query<{ id: string; k: string; inserted: boolean }>(plan.text, params(target, plan, run)));
    if (whole.ok) {
      apply(start, run, whole.value.rows);
      continue;
    }
    // Isolate the record(s) the database refuses; the others load.
    for (let i = 0; i < run.length; i++) {
      const one = await savepoint(sql, `${sp}_${i}`, () => sql.query<{ id: string; k: string; inserted: boolean }>(plan.text, params(target, plan, [run[i]!])));
      if (one.ok) apply(start + i, [run[i]!], one.value.rows);
      else outcomes[start + i] = { failed: dbReason(one.error) };
    }
  }

  let created = 0;
  let updated = 0;
  let skipped = 0;
  let failed = 0;
  for (const o of outcomes) {
    if (o === 'created') created++;
    else if (o === 'updated') updated++;
    else if (o === 'skipped') skipped++;
    else failed++;
  }
  return { outcomes, created, updated, skipped, failed, createdIds };
}

/**
 * Children stored before their parent: give them the parent's id now that it exists. Runs for the parents a batch
 * created, over the partial indexes of unresolved links (`*_unresolved_*_idx`).
 */
export async function resolveChildren(sql: Sql, target: Pick<LoadTarget, 'organizationId' | 'source' | 'entity'>, createdIds: readonly string[]): Promise<number> {
  if (createdIds.length === 0) return 0;
  let resolved = 0;
  for (const { child, link } of childLinks(target.entity)) {
    const byExt = await sql.query(
      `update ${child} c set ${link.fk} = p.id from ${link.parent} p
        where p.id = any($1::uuid[]) and c.organization_id = p.organization_id and c.source = p.source
          and c.${link.ext} = p.external_id and c.${link.fk} is null`,
      [createdIds],
    );
    resolved += byExt.rowCount;
    if (link.name) {
      const byName = await sql.query(
        `update ${child} c set ${link.fk} = p.id from ${link.parent} p
          where p.id = any($1::uuid[]) and c.organization_id = p.organization_id
            and lower(c.${link.name}) = lower(p.name) and c.${link.fk} is null and c.${link.name} is not null`,
        [createdIds],
      );
      resolved += byName.rowCount;
    }
  }
  return resolved;
}

/** A last pass over a run's own records whose parents may have arrived from a concurrent run. */
export async function resolveRunLinks(sql: Sql, migrationId: string, organizationId: string, entity: EntityType): Promise<number> {
  let resolved = 0;
  for (const link of LINKS[entity]) {
    const name = link.name ? `c2.${link.name}` : null;
    const res = await sql.query(
      `update ${entity} c set ${link.fk} = r.pid
         from (select c2.id, ${parentLookup(link, `c2.${link.ext}`, name, 'c2.source')} as pid from ${entity} c2
                where c2.migration_id = $2 and c2.organization_id = $1 and c2.${link.fk} is null
                  and (c2.${link.ext} is not null${name ? ` or ${name} is not null` : ''})) r
        where c.id = r.id and r.pid is not null`,
      [organizationId, migrationId],
    );
    resolved += res.rowCount;
  }
  return resolved;
}
