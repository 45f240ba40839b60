/**
 * One batch, end to end: map and validate its records (pure), then in ONE transaction — check the lease, upsert
 * the records, resolve the links they complete, store the batch's error rows, and save the counters and the
 * checkpoint (the source position after this batch). A worker killed at any point either committed all of it or
 * none of it, so a resumed run neither loses nor re-counts a record.
 */
import { dedupeKey, type CanonicalRecord, type FieldIssue, type ImportOptions, type RecordMapper } from '../core/import/index.js';
import type { EntityType, SourceSystem } from '../core/ids.js';
import type { Database } from '../db/client.js';
import { checkLease } from './lease.js';
import { loadBatch, resolveChildren, type LoadRecord } from './loader.js';
import { childLinks } from './records-meta.js';
import { addProgress, zeroCounts, type RunCheckpoint } from './run-state.js';
import { prefetch } from './sources/prefetch.js';
import type { SourceBatch, SourceItem } from './sources/types.js';
import { transaction, type Sql } from './sql.js';

export interface BatchContext {
  readonly database: Database;
  readonly migrationId: string;
  readonly organizationId: string;
  readonly source: SourceSystem;
  readonly importMethod: 'csv' | 'api';
  readonly entity: EntityType;
  readonly mapper: RecordMapper;
  readonly options: ImportOptions;
  readonly leaseOwner: string;
  readonly leaseMs: number;
}

export interface ErrorRow {
  rowNumber: number | null;
  sourceId: string | null;
  field: string | null;
  code: string;
  reason: string;
  raw: Readonly<Record<string, unknown>> | null;
}

export interface BatchResult {
  cancelRequested: boolean;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  warnings: number;
}

function failureRow(item: SourceItem, issues: readonly FieldIssue[]): ErrorRow {
  const first = issues[0]!;
  return {
    rowNumber: item.rowNumber ?? null,
    sourceId: item.sourceId ?? null,
    field: first.sourceField ?? first.field,
    code: first.code,
    reason: issues.map((i) => i.reason).join(' '),
    raw: item.values,
  };
}

/** Map and validate; returns the records to load (with the item each came from) and the error rows. */
export function prepare(ctx: Pick<BatchContext, 'mapper' | 'importMethod' | 'entity' | 'options'>, items: readonly SourceItem[]) {
  const records: LoadRecord[] = [];
  const origins: SourceItem[] = [];
  const errors: ErrorRow[] = [];
  let failed = 0;
  let warnings = 0;
  const rules = ctx.options.dedupeKey?.[ctx.entity];
  for (const item of items) {
    if (item.error) {
      failed++;
      errors.push({ rowNumber: item.rowNumber ?? null, sourceId: item.sourceId ?? null, field: null, code: 'UNREADABLE_ROW', reason: item.error, raw: item.values });
      continue;
    }
    const r = ctx.mapper.map({ values: item.values, ...(item.meta ? { meta: item.meta } : {}) });
    for (const w of r.warnings) {
      warnings++;
      // The record itself is stored; the report needs only the value that was kept as written.
      const raw = w.sourceField !== undefined ? { [w.sourceField]: item.values[w.sourceField] ?? null } : null;
      errors.push({ rowNumber: item.rowNumber ?? null, sourceId: item.sourceId ?? null, field: w.sourceField ?? w.field, code: w.code, reason: w.reason, raw });
    }
    if (!r.ok) {
      failed++;
      errors.push(failureRow(item, r.issues));
      continue;
    }
    records.push({ key: keyOf(ctx, item, r.record, rules), values: r.record.values, customFields: r.record.customFields });
    origins.push(item);
  }
  return { records, origins, errors, failed, warnings };
}

function keyOf(ctx: Pick<BatchContext, 'importMethod' | 'entity'>, item: SourceItem, record: CanonicalRecord, rules: readonly string[] | undefined): string {
  if (ctx.importMethod === 'api' && item.sourceId) return item.sourceId;
  const id = record.values.externalId;
  if (typeof id === 'string' && id.trim() !== '') return id.trim();
  return dedupeKey(ctx.entity, record, rules);
}

/** Insert a batch's error rows with one statement. */
export async function insertErrors(sql: Sql, ctx: Pick<BatchContext, 'organizationId' | 'migrationId' | 'entity'>, rows: readonly ErrorRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `insert into migration_errors (organization_id, migration_id, entity_type, row_number, source_id, field, code, reason, raw)
     select $1::uuid, $2::uuid, $3, u.rn::int, u.sid, u.f, u.c, u.r, u.raw::jsonb
       from unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) as u(rn, sid, f, c, r, raw)`,
    [
      ctx.organizationId,
      ctx.migrationId,
      ctx.entity,
      rows.map((r) => (r.rowNumber === null ? null : String(r.rowNumber))),
      rows.map((r) => r.sourceId),
      rows.map((r) => r.field),
      rows.map((r) => r.code),
      rows.map((r) => r.reason),
      rows.map((r) => (r.raw ? JSON.stringify(r.raw) : null)),
    ],
  );
}

export type Prepared = ReturnType<typeof prepare>;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `prepare` in slices of 200 records with a turn of the event loop between them (see prepareAhead). */
async function prepareInSlices(ctx: Pick<BatchContext, 'mapper' | 'importMethod' | 'entity' | 'options'>, items: readonly SourceItem[]): Promise<Prepared> {
  const out: Prepared = { records: [], origins: [], errors: [], failed: 0, warnings: 0 };
  for (let i = 0; i < items.length; i += 200) {
    await turn();
    const part = prepare(ctx, items.slice(i, i + 200));
    out.records.push(...part.records);
    out.origins.push(...part.origins);
    out.errors.push(...part.errors);
    out.failed += part.failed;
    out.warnings += part.warnings;
  }
  return out;
}

/**
 * Map batches one ahead of the database: while batch N commits (PostgreSQL works in its own process), batch N+1
 * is mapped here — in small slices between the commit's statements, so neither waits long for the other.
 */
export async function* prepareAhead(ctx: Pick<BatchContext, 'mapper' | 'importMethod' | 'entity' | 'options'>, batches: AsyncIterable<SourceBatch>): AsyncGenerator<{ batch: SourceBatch; prep: Prepared }> {
  async function* mapped() {
    for await (const b of batches) yield { batch: b, prep: await prepareInSlices(ctx, b.items) };
  }
  yield* prefetch(mapped());
}

/** Process one source batch and commit it with the checkpoint (mutated in place only after the commit). */
export async function commitBatch(ctx: BatchContext, batch: SourceBatch, checkpoint: RunCheckpoint, prepared?: Prepared): Promise<BatchResult> {
  const prep = prepared ?? prepare(ctx, batch.items);
  const hasChildren = childLinks(ctx.entity).length > 0;

  const outcome = await transaction(ctx.database, async (sql) => {
    const lease = await checkLease(sql, ctx.migrationId, ctx.leaseOwner);
    const load =
      prep.records.length > 0
        ? await loadBatch(sql, { organizationId: ctx.organizationId, source: ctx.source, migrationId: ctx.migrationId, entity: ctx.entity, policy: ctx.options.duplicatePolicy, fields: ctx.mapper.writtenFields }, prep.records)
        : { outcomes: [], created: 0, updated: 0, skipped: 0, failed: 0, createdIds: [] };
    const errors = [...prep.errors];
    load.outcomes.forEach((o, i) => {
      if (typeof o === 'object') {
        const item = prep.origins[i]!;
        errors.push({ rowNumber: item.rowNumber ?? null, sourceId: item.sourceId ?? null, field: null, code: 'LOAD_FAILED', reason: o.failed, raw: item.values });
      }
    });
    if (hasChildren) await resolveChildren(sql, { organizationId: ctx.organizationId, source: ctx.source, entity: ctx.entity }, load.createdIds);
    await insertErrors(sql, ctx, errors);

    // The checkpoint as it will be once this commits.
    const next: RunCheckpoint = structuredClone(checkpoint);
    const c = (next.counts[ctx.entity] ??= zeroCounts());
    c.fetched += batch.items.length;
    c.created += load.created;
    c.updated += load.updated;
    c.skipped += load.skipped;
    c.failed += prep.failed + load.failed;
    c.warnings += prep.warnings;
    next.positions[ctx.entity] = batch.position;
    next.retries = 0;
    addProgress(next, Date.now());
    await sql.query(
      `update migrations set
         api_records_fetched = api_records_fetched + $3, created_count = created_count + $4, updated_count = updated_count + $5,
         skipped_count = skipped_count + $6, failed_count = failed_count + $7, checkpoint = $8::jsonb,
         lease_expires_at = now() + make_interval(secs => $9::double precision), updated_at = now()
       where id = $1 and lease_owner = $2`,
      [ctx.migrationId, ctx.leaseOwner, batch.items.length, load.created, load.updated, load.skipped, prep.failed + load.failed, JSON.stringify(next), ctx.leaseMs / 1000],
    );
    return { next, cancelRequested: lease.cancelRequested, load };
  }, { asyncCommit: true });

  Object.assign(checkpoint, outcome.next);
  return {
    cancelRequested: outcome.cancelRequested,
    created: outcome.load.created,
    updated: outcome.load.updated,
    skipped: outcome.load.skipped,
    failed: prep.failed + outcome.load.failed,
    warnings: prep.warnings,
  };
}
