/**
 * Import runs (the seed's Migration): starting one from a CSV upload or a CRM connection (mappings validated up
 * front: a bad mapping is a 400 before anything runs), reading their progress, cancelling, resuming and undoing
 * them. The work itself happens in background jobs (src/import/runner.ts); docs/import.md describes it.
 */
import { and, desc, eq, sql as dsql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import {
  API_IMPLICIT_TARGETS, dedupeKeyProblems, resolveOptions, validateRunMappings, type FieldMapping, type ImportOptionsInput, type MappingProblem,
} from '../core/import/index.js';
import type { z } from 'zod';
import type { fieldMappingsSchema } from '../core/import/mapping.js';
import { CRM_NAMES, ENTITY_TYPES, type EntityType, type SourceSystem } from '../core/ids.js';
import { migrationFieldMappings, migrations, uploads } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { finish, defaultRunnerSettings } from '../import/runner.js';
import { rateAndEta, emptyCheckpoint, type RunCheckpoint, type RunPlan, type Reconciliation, type EntityCounts } from '../import/run-state.js';
import { queueScheduler } from '../import/scheduler.js';
import { autocommit, transaction } from '../import/sql.js';
import { recordAudit } from './audit-service.js';
import type { AuthContext } from './auth-service.js';
import { getConnection } from './connection-service.js';
import { rememberMappings } from './import-mapping-memory.js';
import { afterKeyset, decodeKeyset, encodeKeyset, keysetAt } from './record-cursor.js';

export type FieldMappingsInput = z.infer<typeof fieldMappingsSchema>;

export interface StartCsvImport {
  uploadId: string;
  entityType: EntityType | 'all';
  fieldMappings: FieldMappingsInput;
  options?: ImportOptionsInput;
}

export interface StartApiImport {
  connectionId: string;
  entityType: EntityType | 'all';
  fieldMappings: FieldMappingsInput;
  options?: ImportOptionsInput;
}

type MigrationRow = typeof migrations.$inferSelect;
type UploadRow = typeof uploads.$inferSelect;

function invalidMapping(problems: readonly MappingProblem[]): AppError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new AppError('INVALID_MAPPING', `${problems[0]!.message}${more}`, { problems });
}

export async function getUploadRow(ctx: AppContext, auth: AuthContext, uploadId: string): Promise<UploadRow> {
  const [row] = await ctx.db.select().from(uploads).where(and(eq(uploads.id, uploadId), eq(uploads.organizationId, auth.organizationId))).limit(1);
  if (!row) throw notFound('Upload');
  return row;
}

async function getRow(ctx: AppContext, auth: AuthContext, id: string): Promise<MigrationRow> {
  const [row] = await ctx.db.select().from(migrations).where(and(eq(migrations.id, id), eq(migrations.organizationId, auth.organizationId))).limit(1);
  if (!row) throw notFound('Import');
  return row;
}

export interface ValidatedImport {
  entities: Array<{ entity: EntityType; mappings: FieldMapping[] }>;
  options: ImportOptionsInput;
}

/** Validate an import request's mappings and options against its source; throws INVALID_MAPPING. */
export function validateImport(
  kind: 'csv' | 'api',
  body: { entityType: EntityType | 'all'; fieldMappings: FieldMappingsInput; options?: ImportOptionsInput },
  headers?: readonly string[],
): ValidatedImport {
  if (kind === 'csv' && body.entityType === 'all') {
    throw new AppError('VALIDATION_FAILED', `A CSV file holds one kind of record: entityType must be one of ${ENTITY_TYPES.join(', ')}.`, {
      issues: [{ in: 'body', path: 'entityType', message: 'all is only for Direct API imports' }],
    });
  }
  const { entities, problems } = validateRunMappings(
    body.entityType,
    body.fieldMappings,
    kind === 'csv' ? { ...(headers ? { sourceFields: headers } : {}) } : { implicitTargets: API_IMPLICIT_TARGETS },
  );
  const resolved = resolveOptions(body.options, entities.map((e) => e.entity));
  for (const message of dedupeKeyProblems(resolved)) problems.push({ entityType: entities[0]?.entity ?? 'contacts', code: 'INVALID_DEDUPE_KEY' as MappingProblem['code'], message });
  if (problems.length > 0) throw invalidMapping(problems);
  return { entities, options: body.options ?? {} };
}

async function createRun(
  ctx: AppContext,
  auth: AuthContext,
  run: { importMethod: 'csv' | 'api'; source: SourceSystem; memorySource: SourceSystem; entityType: EntityType | 'all'; uploadId?: string; crmConnectionId?: string },
  validated: ValidatedImport,
): Promise<string> {
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(migrations)
      .values({
        organizationId: auth.organizationId,
        userId: auth.userId,
        importMethod: run.importMethod,
        source: run.source,
        entityType: run.entityType,
        uploadId: run.uploadId ?? null,
        crmConnectionId: run.crmConnectionId ?? null,
        status: 'queued',
        phase: 'queued',
        options: validated.options as Record<string, unknown>,
        checkpoint: emptyCheckpoint() as unknown as Record<string, unknown>,
      })
      .returning({ id: migrations.id });
    const migrationId = row!.id;
    const mappingRows = validated.entities.flatMap(({ entity, mappings }) =>
      mappings.map((m, position) => ({
        organizationId: auth.organizationId,
        migrationId,
        entityType: entity,
        sourceField: m.sourceField,
        targetField: m.targetField,
        keepAsCustom: m.keepAsCustom,
        transform: (m.transform ?? null) as Record<string, unknown> | null,
        position,
      })),
    );
    for (let i = 0; i < mappingRows.length; i += 500) await tx.insert(migrationFieldMappings).values(mappingRows.slice(i, i + 500));
    for (const { entity, mappings } of validated.entities) await rememberMappings(tx, auth.organizationId, run.memorySource, entity, mappings);
    await recordAudit(tx, {
      organizationId: auth.organizationId,
      actorUserId: auth.userId,
      action: 'migration.start',
      targetType: 'migration',
      targetId: migrationId,
      metadata: { importMethod: run.importMethod, source: run.source, entityType: run.entityType },
    });
    return migrationId;
  });
  const scheduler = queueScheduler(ctx);
  await scheduler.trigger(id);
  await scheduler.ensureSweep();
  return id;
}

export async function startCsvImport(ctx: AppContext, auth: AuthContext, body: StartCsvImport): Promise<{ migrationId: string }> {
  const upload = await getUploadRow(ctx, auth, body.uploadId);
  const validated = validateImport('csv', body, upload.headers);
  const memorySource = (upload.detectedSource ?? 'csv') as SourceSystem;
  const migrationId = await createRun(ctx, auth, { importMethod: 'csv', source: 'csv', memorySource, entityType: body.entityType, uploadId: upload.id }, validated);
  return { migrationId };
}

export async function startApiImport(ctx: AppContext, auth: AuthContext, body: StartApiImport): Promise<{ migrationId: string }> {
  const connection = await getConnection(ctx, auth, body.connectionId);
  const name = CRM_NAMES[connection.crmType];
  if (!connection.isActive) throw new AppError('CONNECTION_INACTIVE', `This ${name} connection is disconnected. Connect ${name} again.`);
  if (connection.needsReauth) throw new AppError('CONNECTION_REAUTH_REQUIRED', `${name} no longer accepts this connection. Reconnect ${name}.`);
  const validated = validateImport('api', body);
  const migrationId = await createRun(
    ctx,
    auth,
    { importMethod: 'api', source: connection.crmType, memorySource: connection.crmType, entityType: body.entityType, crmConnectionId: connection.id },
    validated,
  );
  return { migrationId };
}

// ---------------------------------------------------------------- reading runs

export interface MigrationView {
  id: string;
  status: MigrationRow['status'];
  phase: string | null;
  importMethod: 'csv' | 'api';
  source: SourceSystem;
  entityType: string;
  connectionId: string | null;
  uploadId: string | null;
  counts: { total: number; fetched: number; created: number; updated: number; skipped: number; failed: number };
  entities: Array<{ entityType: EntityType; sourceCount: number | null } & EntityCounts>;
  /** Records per second over the last couple of minutes. */
  rate: number | null;
  /** Seconds left at that rate. */
  eta: number | null;
  reconciliation: Reconciliation | null;
  error: string | null;
  pausedUntil: Date | null;
  cancelRequested: boolean;
  plan: RunPlan | null;
  options: Record<string, unknown>;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export function toView(m: MigrationRow): MigrationView {
  const cp = (m.checkpoint as RunCheckpoint | null) ?? null;
  const plan = (m.plan as RunPlan | null) ?? null;
  const running = m.status === 'running';
  const { rate, eta } = running ? rateAndEta(cp, m.totalRecords) : { rate: null, eta: null };
  const entityList: EntityType[] = plan ? plan.entities.map((e) => e.entity) : (Object.keys(cp?.counts ?? {}) as EntityType[]);
  return {
    id: m.id,
    status: m.status,
    phase: m.phase,
    importMethod: m.importMethod,
    source: m.source,
    entityType: m.entityType,
    connectionId: m.crmConnectionId,
    uploadId: m.uploadId,
    counts: { total: m.totalRecords, fetched: m.apiRecordsFetched, created: m.createdCount, updated: m.updatedCount, skipped: m.skippedCount, failed: m.failedCount },
    entities: entityList.map((entityType) => ({
      entityType,
      sourceCount: plan?.entities.find((e) => e.entity === entityType)?.sourceCount ?? null,
      fetched: 0,
      created: 0,
      updated: 0,
      skipped: 0,
      failed: 0,
      warnings: 0,
      ...cp?.counts[entityType],
    })),
    rate,
    eta,
    reconciliation: (m.reconciliation as Reconciliation | null) ?? null,
    error: m.error,
    pausedUntil: m.pausedUntil,
    cancelRequested: m.cancelRequested,
    plan,
    options: m.options,
    createdAt: m.createdAt,
    startedAt: m.startedAt,
    finishedAt: m.finishedAt,
    updatedAt: m.updatedAt,
  };
}

export async function getMigration(ctx: AppContext, auth: AuthContext, id: string): Promise<MigrationView> {
  return toView(await getRow(ctx, auth, id));
}

export async function listMigrations(
  ctx: AppContext,
  auth: AuthContext,
  query: { limit: number; cursor?: string; status?: MigrationRow['status']; importMethod?: 'csv' | 'api' },
): Promise<{ migrations: MigrationView[]; nextCursor: string | null }> {
  const conds: SQL[] = [eq(migrations.organizationId, auth.organizationId)];
  if (query.status) conds.push(eq(migrations.status, query.status));
  if (query.importMethod) conds.push(eq(migrations.importMethod, query.importMethod));
  if (query.cursor) {
    conds.push(afterKeyset(migrations.createdAt, migrations.id, decodeKeyset(query.cursor)));
  }
  const rows = await ctx.db
    .select({ row: migrations, at: keysetAt(migrations.createdAt) })
    .from(migrations)
    .where(and(...conds))
    .orderBy(desc(migrations.createdAt), desc(migrations.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { migrations: page.map((r) => toView(r.row)), nextCursor: rows.length > query.limit && last ? encodeKeyset({ at: last.at, id: last.row.id }) : null };
}

// ---------------------------------------------------------------- cancel, resume, undo

const TERMINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'] as const;

/**
 * Cancel: a queued or paused run (no worker on it) is closed at once; a running one stops after its current batch.
 * Records written so far stay, and the reconciliation reports them.
 */
export async function cancelMigration(ctx: AppContext, auth: AuthContext, id: string): Promise<MigrationView> {
  const m = await getRow(ctx, auth, id);
  if ((TERMINAL as readonly string[]).includes(m.status)) {
    throw new AppError('MIGRATION_STATE_CONFLICT', `This import already ended (${m.status.replace(/_/g, ' ')}); there is nothing to cancel.`);
  }
  const sql = autocommit(ctx.database);
  await sql.query(`update migrations set cancel_requested = true, phase = 'cancelling', updated_at = now() where id = $1`, [id]);
  // Nobody is working on it: close it now, under a lease of our own so no worker starts it meanwhile.
  const owner = `cancel:${auth.userId}:${Date.now()}`;
  const taken = await sql.query(
    `update migrations set lease_owner = $2, lease_expires_at = now() + interval '1 minute'
      where id = $1 and status in ('queued', 'paused') and (lease_owner is null or lease_expires_at is null or lease_expires_at < now() or lease_owner like 'recovery:%')
      returning id`,
    [id, owner],
  );
  if (taken.rowCount === 1) {
    const fresh = await getRow(ctx, auth, id);
    await finish(
      ctx,
      fresh,
      { plan: (fresh.plan as RunPlan | null) ?? null, checkpoint: { ...emptyCheckpoint(), ...((fresh.checkpoint as RunCheckpoint | null) ?? {}) }, ending: { kind: 'cancelled' }, owner },
      queueScheduler(ctx),
      defaultRunnerSettings(ctx),
    );
  }
  await recordAudit(ctx.db, { organizationId: auth.organizationId, actorUserId: auth.userId, action: 'migration.cancel', targetType: 'migration', targetId: id });
  return getMigration(ctx, auth, id);
}

/** Resume a paused run now (without waiting for its quota to reset) or retry a failed one from its checkpoint. */
export async function resumeMigration(ctx: AppContext, auth: AuthContext, id: string): Promise<MigrationView> {
  const m = await getRow(ctx, auth, id);
  if (m.status !== 'paused' && m.status !== 'failed') {
    throw new AppError('MIGRATION_STATE_CONFLICT', `Only a paused or failed import can be resumed; this one is ${m.status.replace(/_/g, ' ')}.`);
  }
  const res = await autocommit(ctx.database).query(
    `update migrations set status = 'queued', phase = 'queued (resumed)', paused_until = null, error = null, finished_at = null,
            cancel_requested = false, reconciliation = reconciliation - 'entities' - 'issues' - 'ok',
            checkpoint = jsonb_set(coalesce(checkpoint, '{}'::jsonb), '{retries}', '0'::jsonb) - 'finalizing', updated_at = now()
      where id = $1 and status in ('paused', 'failed') returning id`,
    [id],
  );
  if (res.rowCount !== 1) throw new AppError('MIGRATION_STATE_CONFLICT', 'The import changed state meanwhile; reload it.');
  const scheduler = queueScheduler(ctx);
  await scheduler.trigger(id);
  await scheduler.ensureSweep();
  await recordAudit(ctx.db, { organizationId: auth.organizationId, actorUserId: auth.userId, action: 'migration.resume', targetType: 'migration', targetId: id });
  return getMigration(ctx, auth, id);
}

/**
 * Undo a run: delete the records it created — whichever run touched them later — and keep the records it only
 * updated (their earlier values are not kept, so they cannot be restored). Children of deleted records keep their
 * link's source id; the link resolves again if the parent is imported again. Only for runs that ended.
 */
export async function undoMigration(ctx: AppContext, auth: AuthContext, id: string): Promise<{ deleted: Partial<Record<EntityType, number>>; total: number }> {
  const m = await getRow(ctx, auth, id);
  if (!(TERMINAL as readonly string[]).includes(m.status)) {
    throw new AppError('MIGRATION_STATE_CONFLICT', 'This import is still going; cancel it first, then undo it.');
  }
  const deleted: Partial<Record<EntityType, number>> = {};
  let total = 0;
  // Children first, so their parents' deletion does not have to null their links one by one; in chunks, so a
  // million records do not become one huge transaction.
  for (const entity of [...ENTITY_TYPES].reverse()) {
    let n = 0;
    for (;;) {
      const res = await transaction(ctx.database, (sql) =>
        sql.query(
          `delete from ${entity} where id in (select id from ${entity} where organization_id = $1 and created_migration_id = $2 limit 5000)`,
          [auth.organizationId, id],
        ),
      );
      n += res.rowCount;
      if (res.rowCount < 5000) break;
    }
    if (n > 0) deleted[entity] = n;
    total += n;
  }
  const undo = { at: new Date().toISOString(), byUserId: auth.userId, deleted };
  await ctx.db
    .update(migrations)
    .set({ reconciliation: dsql`jsonb_set(coalesce(${migrations.reconciliation}, '{}'::jsonb), '{undo}', ${JSON.stringify(undo)}::jsonb)`, phase: 'undone', updatedAt: new Date() })
    .where(eq(migrations.id, id));
  await recordAudit(ctx.db, { organizationId: auth.organizationId, actorUserId: auth.userId, action: 'migration.undo', targetType: 'migration', targetId: id, metadata: { deleted } });
  return { deleted, total };
}

// ---------------------------------------------------------------- adoption stats

export interface MethodStats {
  runs: number;
  queued: number;
  running: number;
  paused: number;
  completed: number;
  completedWithErrors: number;
  failed: number;
  cancelled: number;
  /** Completed (clean or with errors) over runs that ended; null before any ended. */
  completionRate: number | null;
  recordsMoved: number;
  recordsFailed: number;
}

export async function migrationStats(ctx: AppContext, auth: AuthContext): Promise<{ byMethod: Record<'csv' | 'api', MethodStats>; total: MethodStats }> {
  const res = await autocommit(ctx.database).query<{ method: 'csv' | 'api'; status: string; n: number; moved: number; failed: number }>(
    `select import_method as method, status, count(*)::int as n, coalesce(sum(created_count + updated_count), 0)::bigint as moved,
            coalesce(sum(failed_count), 0)::bigint as failed
       from migrations where organization_id = $1 group by 1, 2`,
    [auth.organizationId],
  );
  const empty = (): MethodStats => ({ runs: 0, queued: 0, running: 0, paused: 0, completed: 0, completedWithErrors: 0, failed: 0, cancelled: 0, completionRate: null, recordsMoved: 0, recordsFailed: 0 });
  const byMethod = { csv: empty(), api: empty() };
  const total = empty();
  const key: Record<string, keyof MethodStats> = {
    queued: 'queued', running: 'running', paused: 'paused', completed: 'completed', completed_with_errors: 'completedWithErrors', failed: 'failed', cancelled: 'cancelled',
  };
  for (const r of res.rows) {
    for (const s of [byMethod[r.method], total]) {
      s.runs += Number(r.n);
      (s[key[r.status]!] as number) += Number(r.n);
      s.recordsMoved += Number(r.moved);
      s.recordsFailed += Number(r.failed);
    }
  }
  for (const s of [byMethod.csv, byMethod.api, total]) {
    const ended = s.completed + s.completedWithErrors + s.failed + s.cancelled;
    s.completionRate = ended === 0 ? null : Math.round(((s.completed + s.completedWithErrors) / ended) * 1000) / 1000;
  }
  return { byMethod, total };
}

/** The row for routes that only need to know the run exists in the caller's organization. */
export async function requireMigration(ctx: AppContext, auth: AuthContext, id: string): Promise<MigrationRow> {
  return getRow(ctx, auth, id);
}
