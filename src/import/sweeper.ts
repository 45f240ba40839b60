/**
 * The sweeper (see scheduler.ts): finds runs nobody is working on that should be — a running run whose worker
 * died (its lease lapsed), a queued run, a paused run whose pause is over — reserves each for a short while and
 * sends it a job. Reservations keep several sweepers (one per worker process) from sending the same run twice.
 */
import type { AppContext } from '../context.js';
import { reserveForRecovery } from './lease.js';
import { IMPORT_RUN_QUEUE, type Scheduler } from './scheduler.js';
import { autocommit } from './sql.js';

export interface SweepResult {
  /** Runs handed to a job. */
  triggered: string[];
  /** Runs not yet ended (the sweep keeps itself scheduled while there are any). */
  active: number;
}

/**
 * Whether a job for the run is already waiting in the queue (workers are busy): sending another would only pile
 * up duplicates. Active jobs do not count — a dead worker's job stays "active" until pg-boss expires it.
 */
async function hasQueuedJob(ctx: AppContext, migrationId: string): Promise<boolean> {
  try {
    const res = await ctx.database.raw.query<{ n: number }>(
      `select count(*)::int as n from pgboss.job where name = $1 and state in ('created', 'retry') and data->>'migrationId' = $2`,
      [IMPORT_RUN_QUEUE, migrationId],
    );
    return Number(res.rows[0]?.n ?? 0) > 0;
  } catch {
    return false; // no queue schema (yet): send
  }
}

export async function sweep(ctx: AppContext, scheduler: Scheduler, options: { reserveMs: number; limit?: number } = { reserveMs: 60_000 }): Promise<SweepResult> {
  const sql = autocommit(ctx.database);
  const candidates = await sql.query<{ id: string }>(
    `select id from migrations
      where status in ('queued', 'running', 'paused')
        and (lease_owner is null or lease_expires_at is null or lease_expires_at < now())
        and (status <> 'paused' or paused_until is null or paused_until <= now())
      order by created_at
      limit $1`,
    [options.limit ?? 100],
  );
  const triggered: string[] = [];
  for (const { id } of candidates.rows) {
    if (await hasQueuedJob(ctx, id)) continue;
    if (!(await reserveForRecovery(sql, id, options.reserveMs, 'sweep'))) continue;
    await scheduler.trigger(id);
    triggered.push(id);
  }
  const active = await sql.query<{ n: number }>(`select count(*)::int as n from migrations where status in ('queued', 'running', 'paused')`);
  return { triggered, active: Number(active.rows[0]?.n ?? 0) };
}
