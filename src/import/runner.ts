/**
 * The import runner: one slice of a run per job. It takes the run's lease, admits the run under its
 * organization's concurrency limit, plans it (counts, strategy per entity) on its first slice, then reads the
 * source entity by entity in dependency order, committing each batch with its checkpoint (batch.ts), until the
 * run ends, is cancelled, or the slice's time is up — then it hands the run to a continuation job. Failures are
 * sorted here: a CRM daily quota pauses the run until it resets (a delayed job resumes it), temporary failures
 * are retried with backoff, a revoked connection or an unreadable file fails the run with a message saying what
 * to do. docs/import.md describes the whole design.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { asc, eq } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { compileMapper, resolveOptions, type FieldMapping, type ImportOptions, type ImportOptionsInput } from '../core/import/index.js';
import { CRM_NAMES, ENTITY_TYPES, isEntityType, type EntityType, type SourceSystem } from '../core/ids.js';
import { SEED_THRESHOLDS } from '../core/strategy.js';
import type { Transform } from '../core/transforms/index.js';
import { isCrmError, type CrmError } from '../crm/errors.js';
import { migrationFieldMappings, migrations, users } from '../db/schema.js';
import { isAppError } from '../errors.js';
import { sendMail } from '../services/mail-service.js';
import { isCsvError } from './csv/index.js';
import { commitBatch, prepareAhead, type BatchContext } from './batch.js';
import { finalizeRun, type FinalStatus } from './finalize.js';
import { acquireLease, DB_CLOCK, LeaseLostError, releaseLease, renewLease } from './lease.js';
import { importMetrics } from './metrics.js';
import { emptyCheckpoint, processed, type EntityPlan, type Reconciliation, type RunCheckpoint, type RunPlan } from './run-state.js';
import type { Scheduler } from './scheduler.js';
import { openRunSource, type MigrationRow, type RunSource } from './sources/index.js';
import { autocommit, transaction, type Sql } from './sql.js';

export interface RunnerSettings {
  /** Identifies this process in leases (a slice adds its own suffix). */
  workerId: string;
  /** A lease lapses this long after its last renewal (a dead worker's run is picked up after it). */
  leaseMs: number;
  heartbeatMs: number;
  /** A slice hands over to a continuation job after this long. */
  sliceMs: number;
  /** Consecutive temporary failures before a run fails. */
  maxRetries: number;
  /** First retry delay; doubled per consecutive failure, capped at 5 minutes. */
  retryBaseMs: number;
  /** Runs over this many records e-mail on completion (`options.notify: 'auto'`). */
  notifyThreshold: number;
  /** Import runs at once per organization (ORG_CONCURRENCY). */
  orgConcurrency: number;
}

export function defaultRunnerSettings(ctx: Pick<AppContext, 'config'>, overrides: Partial<RunnerSettings> = {}): RunnerSettings {
  return {
    workerId: `${hostname()}:${process.pid}`,
    leaseMs: 30_000,
    heartbeatMs: 5_000,
    sliceMs: 3 * 60_000,
    maxRetries: 8,
    retryBaseMs: 5_000,
    notifyThreshold: SEED_THRESHOLDS.background,
    orgConcurrency: ctx.config.orgConcurrency,
    ...overrides,
  };
}

export type SliceOutcome =
  /** Another worker holds the run. */
  | 'busy'
  /** The run ended (or had already ended). */
  | 'finished'
  /** A continuation job was sent. */
  | 'continued'
  /** Waiting for a free slot in its organization. */
  | 'queued'
  /** Paused until its CRM quota resets. */
  | 'paused'
  /** A temporary failure: a retry is scheduled. */
  | 'retrying'
  /** The lease was lost mid-slice: whoever holds it now carries on. */
  | 'stopped';

export interface SliceOptions {
  /** True while the process shuts down: stop after the current batch and hand the run over. */
  draining?: () => boolean;
  /** When this slice took and gave up the run's lease, by the database's clock (epoch µs): for logs and tests. */
  onLease?: (event: 'acquired' | 'released', at: string) => void;
}

const TERMINAL = new Set(['completed', 'completed_with_errors', 'failed', 'cancelled']);

async function getMigration(ctx: AppContext, id: string): Promise<MigrationRow | undefined> {
  const [m] = await ctx.db.select().from(migrations).where(eq(migrations.id, id)).limit(1);
  return m;
}

/** The run's field mappings by entity, as stored when it was created. */
export async function loadMappings(ctx: AppContext, migrationId: string): Promise<Map<EntityType, FieldMapping[]>> {
  const rows = await ctx.db
    .select()
    .from(migrationFieldMappings)
    .where(eq(migrationFieldMappings.migrationId, migrationId))
    .orderBy(asc(migrationFieldMappings.position));
  const out = new Map<EntityType, FieldMapping[]>();
  for (const r of rows) {
    if (!isEntityType(r.entityType)) continue;
    const list = out.get(r.entityType) ?? [];
    list.push({ sourceField: r.sourceField, targetField: r.targetField, keepAsCustom: r.keepAsCustom, ...(r.transform ? { transform: r.transform as unknown as Transform } : {}) });
    out.set(r.entityType, list);
  }
  return out;
}

/** Entities of a run, in dependency order (accounts → contacts → leads → deals → activities). */
export function runEntities(m: Pick<MigrationRow, 'entityType'>, mappings: Map<EntityType, FieldMapping[]>): EntityType[] {
  if (m.entityType === 'all') return ENTITY_TYPES.filter((e) => mappings.has(e));
  return isEntityType(m.entityType) ? [m.entityType] : [];
}

/** Start the run if its organization has a free slot (serialised per organization by an advisory lock). */
async function admit(ctx: AppContext, m: MigrationRow, owner: string, settings: RunnerSettings): Promise<boolean> {
  return transaction(ctx.database, async (sql) => {
    await sql.query(`select pg_advisory_xact_lock(hashtext('crm-migrate:org-runs:' || $1))`, [m.organizationId]);
    const res = await sql.query<{ n: number }>(`select count(*)::int as n from migrations where organization_id = $1 and status = 'running' and id <> $2`, [m.organizationId, m.id]);
    if (Number(res.rows[0]?.n ?? 0) >= settings.orgConcurrency) {
      await sql.query(
        `update migrations set status = 'queued', phase = $3, updated_at = now() where id = $1 and lease_owner = $2`,
        [m.id, owner, `waiting: ${settings.orgConcurrency} other import${settings.orgConcurrency === 1 ? ' is' : 's are'} running for this organization`],
      );
      return false;
    }
    const started = await sql.query(
      `update migrations set status = 'running', started_at = coalesce(started_at, now()), paused_until = null, error = null,
              phase = 'starting', cancel_requested = cancel_requested, updated_at = now()
        where id = $1 and lease_owner = $2 returning id`,
      [m.id, owner],
    );
    return started.rowCount === 1;
  });
}

/** Queued runs of an organization get a job when a slot frees up. */
async function kickQueued(ctx: AppContext, organizationId: string, scheduler: Scheduler, settings: RunnerSettings): Promise<void> {
  const res = await autocommit(ctx.database).query<{ id: string }>(
    `select id from migrations where organization_id = $1 and status = 'queued' order by created_at limit $2`,
    [organizationId, settings.orgConcurrency],
  );
  for (const r of res.rows) await scheduler.trigger(r.id);
}

async function setPhase(sql: Sql, id: string, owner: string, phase: string): Promise<void> {
  await sql.query(`update migrations set phase = $3, updated_at = now() where id = $1 and lease_owner = $2`, [id, owner, phase]);
}

async function plan(source: RunSource, entities: readonly EntityType[], setPhaseFn: (p: string) => Promise<void>): Promise<RunPlan> {
  const planned: EntityPlan[] = [];
  for (const entity of entities) {
    await setPhaseFn(`counting ${entity}`);
    planned.push(await source.plan(entity));
  }
  const totalRecords = planned.reduce((n, p) => n + p.sourceCount, 0);
  return { entities: planned, totalRecords, background: totalRecords > SEED_THRESHOLDS.background, plannedAt: new Date().toISOString() };
}

function bulkFallbackAllowed(err: unknown): err is CrmError {
  return isCrmError(err) && ['invalid_request', 'not_found', 'unknown'].includes(err.kind);
}

/** Run one slice of a migration. Never throws for the run's own failures; they are recorded on the run. */
export async function runSlice(ctx: AppContext, migrationId: string, settings: RunnerSettings, scheduler: Scheduler, slice: SliceOptions = {}): Promise<SliceOutcome> {
  const sql = autocommit(ctx.database);
  const owner = `${settings.workerId}:${randomUUID().slice(0, 8)}`;
  const acquiredAt = await acquireLease(sql, migrationId, owner, settings.leaseMs);
  if (acquiredAt === null) return 'busy';
  slice.onLease?.('acquired', acquiredAt);
  const released = (at: string | null | undefined) => {
    if (at) slice.onLease?.('released', at);
  };

  const abort = new AbortController();
  const heartbeat = setInterval(() => {
    renewLease(sql, migrationId, owner, settings.leaseMs)
      .then((ok) => {
        if (!ok) abort.abort(new LeaseLostError(migrationId));
      })
      .catch(() => undefined); // a missed renewal is retried on the next beat; the lease has slack
  }, settings.heartbeatMs);
  heartbeat.unref();

  let m: MigrationRow | undefined;
  let checkpoint: RunCheckpoint = emptyCheckpoint();
  let runPlan: RunPlan | null = null;
  let holding = true;
  const release = async (reserveMs?: number) => {
    if (!holding) return;
    holding = false;
    released(await releaseLease(sql, migrationId, owner, reserveMs));
  };

  try {
    m = await getMigration(ctx, migrationId);
    if (!m || TERMINAL.has(m.status)) {
      await release();
      return 'finished';
    }
    checkpoint = { ...emptyCheckpoint(), ...((m.checkpoint as RunCheckpoint | null) ?? {}) };
    runPlan = (m.plan as RunPlan | null) ?? null;
    if (m.cancelRequested) {
      holding = false;
      await finish(ctx, m, { plan: runPlan, checkpoint, ending: { kind: 'cancelled' }, owner, onReleased: released }, scheduler, settings);
      return 'finished';
    }
    if (m.status === 'paused' && m.pausedUntil && m.pausedUntil.getTime() > Date.now()) {
      await release();
      return 'paused';
    }
    if (m.status !== 'running' && !(await admit(ctx, m, owner, settings))) {
      await release();
      return 'queued';
    }

    const mappings = await loadMappings(ctx, migrationId);
    const entities = runEntities(m, mappings);
    const options: ImportOptions = resolveOptions(m.options as ImportOptionsInput, entities, ctx.database.driver);
    const source = await openRunSource(ctx, m, abort.signal);
    if (!runPlan) {
      runPlan = await plan(source, entities, (p) => setPhase(sql, migrationId, owner, p));
      const saved = await sql.query(
        `update migrations set plan = $3::jsonb, total_records = $4, checkpoint = $5::jsonb, updated_at = now() where id = $1 and lease_owner = $2 returning id`,
        [migrationId, owner, JSON.stringify(runPlan), runPlan.totalRecords, JSON.stringify(checkpoint)],
      );
      if (saved.rowCount !== 1) throw new LeaseLostError(migrationId);
    }

    const deadline = Date.now() + settings.sliceMs;
    const metrics = importMetrics(ctx);
    const method = m.importMethod;
    while (checkpoint.entityIndex < runPlan.entities.length) {
      const entityPlan = runPlan.entities[checkpoint.entityIndex]!;
      const entity = entityPlan.entity;
      const mapper = compileMapper(entity, mappings.get(entity) ?? [], { api: method === 'api', ...(options.defaultCountry ? { defaultCountry: options.defaultCountry } : {}) });
      const bctx: BatchContext = {
        database: ctx.database,
        migrationId,
        organizationId: m.organizationId,
        source: m.source as SourceSystem,
        importMethod: method,
        entity,
        mapper,
        options,
        leaseOwner: owner,
        leaseMs: settings.leaseMs,
      };
      await setPhase(sql, migrationId, owner, `importing ${entity}`);
      let stop: 'cancel' | 'slice' | null = null;
      try {
        const batches = source.open(entityPlan).batches(checkpoint.positions[entity] ?? null, options.batchSize, abort.signal);
        for await (const { batch, prep } of prepareAhead(bctx, batches)) {
          const started = performance.now();
          const r = await commitBatch(bctx, batch, checkpoint, prep);
          // PGlite runs in this thread and answers through microtasks only: without a turn of the event loop
          // between batches, HTTP requests, timers (the lease heartbeat) and cancellations would wait for the
          // whole slice.
          await new Promise((resolve) => setImmediate(resolve));
          metrics.batchSeconds.observe({ method }, (performance.now() - started) / 1000);
          if (r.created) metrics.records.inc({ method, entity, outcome: 'created' }, r.created);
          if (r.updated) metrics.records.inc({ method, entity, outcome: 'updated' }, r.updated);
          if (r.skipped) metrics.records.inc({ method, entity, outcome: 'skipped' }, r.skipped);
          if (r.failed) metrics.records.inc({ method, entity, outcome: 'failed' }, r.failed);
          if (r.cancelRequested) {
            stop = 'cancel';
            break;
          }
          if (Date.now() >= deadline || slice.draining?.()) {
            stop = 'slice';
            break;
          }
        }
      } catch (err) {
        // A bulk job the CRM cannot run: read the entity page by page instead, if nothing of it was read yet.
        const fetched = checkpoint.counts[entity]?.fetched ?? 0;
        if (entityPlan.strategy === 'bulk' && fetched === 0 && !checkpoint.positions[entity] && bulkFallbackAllowed(err)) {
          entityPlan.strategy = 'batched';
          entityPlan.useBulkApi = false;
          entityPlan.fallback = `The bulk API failed (${err.message}); the standard API was used instead.`;
          await sql.query(`update migrations set plan = $3::jsonb where id = $1 and lease_owner = $2`, [migrationId, owner, JSON.stringify(runPlan)]);
          continue;
        }
        throw err;
      }
      if (stop === 'cancel') {
        holding = false;
        await finish(ctx, m, { plan: runPlan, checkpoint, ending: { kind: 'cancelled' }, owner, onReleased: released }, scheduler, settings);
        return 'finished';
      }
      if (stop === 'slice') {
        await release(settings.leaseMs * 2);
        await scheduler.trigger(migrationId);
        return 'continued';
      }
      checkpoint.entityIndex += 1;
      const saved = await sql.query(`update migrations set checkpoint = $3::jsonb, updated_at = now() where id = $1 and lease_owner = $2 returning id`, [
        migrationId,
        owner,
        JSON.stringify(checkpoint),
      ]);
      if (saved.rowCount !== 1) throw new LeaseLostError(migrationId);
    }

    await setPhase(sql, migrationId, owner, 'resolving links and reconciling');
    holding = false;
    await finish(ctx, m, { plan: runPlan, checkpoint, ending: { kind: 'finished' }, owner, onReleased: released }, scheduler, settings);
    return 'finished';
  } catch (err) {
    if (err instanceof LeaseLostError || (abort.signal.aborted && abort.signal.reason instanceof LeaseLostError)) {
      holding = false;
      return 'stopped';
    }
    if (!m) throw err;
    // Awaited here, not returned as a promise: the `finally` below must not release the lease while the failure is
    // still being recorded under it (a pause written after the release matches no row).
    return await handleFailure(ctx, m, err, { owner, checkpoint, plan: runPlan, settings, scheduler, onReleased: released });
  } finally {
    clearInterval(heartbeat);
    if (holding) await release().catch(() => undefined);
  }
}

interface FinishInput {
  plan: RunPlan | null;
  checkpoint: RunCheckpoint;
  ending: { kind: 'finished' } | { kind: 'cancelled' } | { kind: 'failed'; error: string };
  /** The lease owner finalizing, or null when no worker holds the run. */
  owner: string | null;
  onReleased?: (at: string | undefined) => void;
}

/** Reconcile and close the run, then: metrics, the completion e-mail, and the organization's next queued runs. */
export async function finish(ctx: AppContext, m: MigrationRow, input: FinishInput, scheduler: Scheduler, settings: RunnerSettings): Promise<FinalStatus> {
  const result = await finalizeRun(ctx.database, {
    migrationId: m.id,
    organizationId: m.organizationId,
    plan: input.plan,
    checkpoint: input.checkpoint,
    ending: input.ending,
    leaseOwner: input.owner,
  });
  if (!result.applied) return result.status;
  input.onReleased?.(result.releasedAt);
  importMetrics(ctx).runsFinished.inc({ method: m.importMethod, status: result.status });
  ctx.logger.info({ migrationId: m.id, status: result.status, issues: result.reconciliation.issues.length }, 'import run finished');
  await notify(ctx, m, input, result.status, result.reconciliation, settings).catch((err: unknown) => ctx.logger.error({ err, migrationId: m.id }, 'could not send the completion e-mail'));
  await kickQueued(ctx, m.organizationId, scheduler, settings).catch((err: unknown) => ctx.logger.error({ err }, 'could not start queued imports'));
  return result.status;
}

function summaryLines(recon: Reconciliation): string[] {
  const lines: string[] = [];
  for (const [entity, e] of Object.entries(recon.entities)) {
    if (!e) continue;
    lines.push(
      `${entity}: ${e.sourceCount.toLocaleString('en-US')} in the source, ${e.fetched.toLocaleString('en-US')} read, ${e.created.toLocaleString('en-US')} created, ${e.updated.toLocaleString('en-US')} updated, ${e.skipped.toLocaleString('en-US')} skipped, ${e.failed.toLocaleString('en-US')} failed`,
    );
  }
  return lines;
}

const STATUS_WORDS: Record<FinalStatus, string> = {
  completed: 'completed',
  completed_with_errors: 'completed with errors',
  failed: 'failed',
  cancelled: 'was cancelled',
};

async function notify(ctx: AppContext, m: MigrationRow, input: FinishInput, status: FinalStatus, recon: Reconciliation, settings: RunnerSettings): Promise<void> {
  const options = resolveOptions(m.options as ImportOptionsInput, []);
  const total = Math.max(input.plan?.totalRecords ?? 0, processed(input.checkpoint));
  const wanted = options.notify === 'always' || (options.notify === 'auto' && total > settings.notifyThreshold);
  if (!wanted || !m.userId) return;
  const [user] = await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, m.userId)).limit(1);
  if (!user) return;
  const what = m.importMethod === 'api' ? `${CRM_NAMES[m.source as keyof typeof CRM_NAMES] ?? m.source} import` : 'CSV import';
  const link = `${ctx.config.publicUrl}/dashboard/migrations/${m.id}`;
  const text = [
    `Your ${what} of ${m.entityType} ${STATUS_WORDS[status]}.`,
    '',
    ...summaryLines(recon),
    ...(recon.issues.length > 0 ? ['', 'To look at:', ...recon.issues.map((i) => `- ${i}`)] : []),
    ...(input.ending.kind === 'failed' ? ['', input.ending.error] : []),
    '',
    `Details and the error report: ${link}`,
  ].join('\n');
  const sent = await sendMail(ctx.config, { to: user.email, subject: `crm-migrate: ${what} of ${m.entityType} ${STATUS_WORDS[status]}`, text });
  const notified = { at: new Date().toISOString(), via: sent.via, to: user.email };
  await autocommit(ctx.database).query(
    `update migrations set reconciliation = jsonb_set(coalesce(reconciliation, '{}'::jsonb), '{notified}', $2::jsonb) where id = $1`,
    [m.id, JSON.stringify(notified)],
  );
}

interface FailureContext {
  owner: string;
  checkpoint: RunCheckpoint;
  plan: RunPlan | null;
  settings: RunnerSettings;
  scheduler: Scheduler;
  onReleased: (at: string | null | undefined) => void;
}

/** What a failure means for the run: pause, retry later, or fail with a message a person can act on. */
async function handleFailure(ctx: AppContext, m: MigrationRow, err: unknown, f: FailureContext): Promise<SliceOutcome> {
  const sql = autocommit(ctx.database);
  if (isCrmError(err)) {
    if (err.kind === 'quota_exhausted') {
      const until = err.resetAt && err.resetAt.getTime() > Date.now() ? err.resetAt : new Date(Date.now() + 60 * 60_000);
      const paused = await sql.query<{ at: string }>(
        `update migrations set status = 'paused', paused_until = $3, error = $4, phase = 'paused: the CRM daily API quota is used up',
                lease_owner = null, lease_expires_at = null, updated_at = now()
          where id = $1 and lease_owner = $2 returning ${DB_CLOCK} as at`,
        [m.id, f.owner, until, err.message],
      );
      if (paused.rowCount !== 1) {
        const now = (await sql.query('select status, phase, lease_owner, lease_expires_at, now() as db_now from migrations where id = $1', [m.id])).rows[0];
        ctx.logger.warn({ migrationId: m.id, owner: f.owner, now }, 'could not pause the import: the lease is no longer ours');
        return 'stopped';
      }
      f.onReleased(paused.rows[0]?.at);
      await f.scheduler.trigger(m.id, new Date(until.getTime() + 1000));
      await kickQueued(ctx, m.organizationId, f.scheduler, f.settings).catch(() => undefined);
      ctx.logger.info({ migrationId: m.id, until }, 'import paused until the CRM quota resets');
      return 'paused';
    }
    if (err.kind === 'rate_limited' || err.kind === 'temporary') {
      return retryLater(ctx, m, err.message, f, err.retryAfterMs);
    }
    // auth_revoked, auth_expired, insufficient_scope, not_found, invalid_request, unknown: a person must act.
    return failRun(ctx, m, err.message, f);
  }
  if (isCsvError(err)) {
    return failRun(ctx, m, `The file cannot be imported: ${err.message}${err.line ? ` (line ${err.line})` : ''}`, f);
  }
  if (isAppError(err) && err.status < 500) return failRun(ctx, m, err.message, f);
  ctx.logger.error({ err, migrationId: m.id }, 'import slice failed');
  return retryLater(ctx, m, 'An internal error interrupted the import; it is retried automatically.', f);
}

async function retryLater(ctx: AppContext, m: MigrationRow, message: string, f: FailureContext, afterMs?: number): Promise<SliceOutcome> {
  const retries = (f.checkpoint.retries ?? 0) + 1;
  if (retries > f.settings.maxRetries) {
    return failRun(ctx, m, `${message} It kept failing after ${f.settings.maxRetries} retries; resume the import to try again.`, f);
  }
  const delay = Math.max(afterMs ?? 0, Math.min(5 * 60_000, f.settings.retryBaseMs * 2 ** (retries - 1)));
  const sql = autocommit(ctx.database);
  const updated = await sql.query(
    `update migrations set checkpoint = jsonb_set(coalesce(checkpoint, '{}'::jsonb), '{retries}', to_jsonb($3::int)), phase = $4, updated_at = now()
      where id = $1 and lease_owner = $2 returning id`,
    [m.id, f.owner, retries, `retrying in ${Math.ceil(delay / 1000)} s: ${message}`],
  );
  if (updated.rowCount !== 1) return 'stopped';
  f.onReleased(await releaseLease(sql, m.id, f.owner, delay + f.settings.leaseMs * 2));
  await f.scheduler.trigger(m.id, new Date(Date.now() + delay));
  return 'retrying';
}

async function failRun(ctx: AppContext, m: MigrationRow, message: string, f: FailureContext): Promise<SliceOutcome> {
  await finish(ctx, m, { plan: f.plan, checkpoint: f.checkpoint, ending: { kind: 'failed', error: message }, owner: f.owner, onReleased: f.onReleased }, f.scheduler, f.settings);
  return 'finished';
}
