/**
 * One migration never runs in two workers at once: a worker works on a run only while it holds the run's lease
 * (`migrations.lease_owner` / `lease_expires_at`, compared with the database's clock), renews it every few
 * seconds, and re-checks it — `select … for update` on the migration row — at the start of every batch
 * transaction. A worker that lost its lease (paused by a long GC, cut off from the database) therefore cannot
 * commit another batch: the check fails and the transaction rolls back (fencing). A worker that dies stops
 * renewing; its lease lapses after `leaseMs` and the sweeper hands the run to another worker, which resumes from
 * the checkpoint committed with the last batch.
 *
 * `recovery:*` owners are reservations made by a scheduler (a continuation, a retry after a delay, a sweeper
 * hand-over): the next worker job for the run takes them over, whatever their expiry.
 */
import type { Sql } from './sql.js';

export class LeaseLostError extends Error {
  constructor(migrationId: string) {
    super(`the lease on migration ${migrationId} was lost; another worker owns the run now`);
    this.name = 'LeaseLostError';
  }
}

const RECOVERY = 'recovery:';

/** The database clock in epoch microseconds, read after the statement's row lock: orders lease hand-overs exactly. */
export const DB_CLOCK = `(extract(epoch from clock_timestamp()) * 1000000)::bigint::text`;

/** Take the run's lease if it is free, expired, a reservation, or already ours; returns when (DB_CLOCK), or null. */
export async function acquireLease(sql: Sql, migrationId: string, owner: string, ttlMs: number): Promise<string | null> {
  const res = await sql.query<{ at: string }>(
    `update migrations set lease_owner = $2, lease_expires_at = now() + make_interval(secs => $3::double precision)
      where id = $1 and (lease_owner is null or lease_expires_at is null or lease_expires_at < now() or lease_owner like '${RECOVERY}%' or lease_owner = $2)
      returning ${DB_CLOCK} as at`,
    [migrationId, owner, ttlMs / 1000],
  );
  return res.rows[0]?.at ?? null;
}

/** Extend our lease; false when it is no longer ours. */
export async function renewLease(sql: Sql, migrationId: string, owner: string, ttlMs: number): Promise<boolean> {
  const res = await sql.query(
    `update migrations set lease_expires_at = now() + make_interval(secs => $3::double precision) where id = $1 and lease_owner = $2 returning id`,
    [migrationId, owner, ttlMs / 1000],
  );
  return res.rowCount === 1;
}

/**
 * Give the lease up. With `reserveMs`, leave a reservation instead of nothing: a continuation job is on its way,
 * and the sweeper should not send another unless it has not arrived by then.
 */
export async function releaseLease(sql: Sql, migrationId: string, owner: string, reserveMs?: number): Promise<string | null> {
  if (reserveMs === undefined) {
    const res = await sql.query<{ at: string }>(`update migrations set lease_owner = null, lease_expires_at = null where id = $1 and lease_owner = $2 returning ${DB_CLOCK} as at`, [migrationId, owner]);
    return res.rows[0]?.at ?? null;
  }
  const res = await sql.query<{ at: string }>(
    `update migrations set lease_owner = $3, lease_expires_at = now() + make_interval(secs => $4::double precision) where id = $1 and lease_owner = $2 returning ${DB_CLOCK} as at`,
    [migrationId, owner, `${RECOVERY}${owner}`, reserveMs / 1000],
  );
  return res.rows[0]?.at ?? null;
}

/** Inside a batch transaction: lock the run's row and prove we still hold the lease; returns the row's flags. */
export async function checkLease(sql: Sql, migrationId: string, owner: string): Promise<{ cancelRequested: boolean }> {
  const res = await sql.query<{ cancel_requested: boolean }>(
    `select cancel_requested from migrations where id = $1 and lease_owner = $2 for update`,
    [migrationId, owner],
  );
  const row = res.rows[0];
  if (!row) throw new LeaseLostError(migrationId);
  return { cancelRequested: row.cancel_requested };
}

/** Reserve an unowned run for a job the sweeper is about to send; false when someone holds it. */
export async function reserveForRecovery(sql: Sql, migrationId: string, reserveMs: number, tag: string): Promise<boolean> {
  const res = await sql.query(
    `update migrations set lease_owner = $2, lease_expires_at = now() + make_interval(secs => $3::double precision)
      where id = $1 and (lease_owner is null or lease_expires_at is null or lease_expires_at < now()) returning id`,
    [migrationId, `${RECOVERY}${tag}`, reserveMs / 1000],
  );
  return res.rowCount === 1;
}
