/**
 * The end of a run (completed, cancelled or failed): a last pass over the run's links, one UNRESOLVED_LINK error
 * row per record whose parent never arrived, and the reconciliation per entity — the source's count against what
 * was fetched, what was written (created + updated + skipped), what failed, and what the table really holds.
 * A run whose numbers do not add up, or with failures or unresolved links, is `completed_with_errors`: never a
 * clean `completed`.
 */
import type { EntityType } from '../core/ids.js';
import type { Database } from '../db/client.js';
import { DB_CLOCK } from './lease.js';
import { resolveRunLinks } from './loader.js';
import { LINKS } from './records-meta.js';
import { zeroCounts, type EntityReconciliation, type Reconciliation, type RunCheckpoint, type RunPlan } from './run-state.js';
import { transaction, type Sql } from './sql.js';

export type FinalStatus = 'completed' | 'completed_with_errors' | 'failed' | 'cancelled';

export interface FinalizeInput {
  migrationId: string;
  organizationId: string;
  plan: RunPlan | null;
  checkpoint: RunCheckpoint;
  /** How the run ended before reconciliation: finished reading, cancelled, or failed with a message. */
  ending: { kind: 'finished' } | { kind: 'cancelled' } | { kind: 'failed'; error: string };
  /** Only this lease owner may finalize (null: no worker holds the run, e.g. cancelling a queued run). */
  leaseOwner: string | null;
}

async function unresolved(sql: Sql, migrationId: string, entity: EntityType): Promise<Record<string, number>> {
  const links = LINKS[entity];
  if (links.length === 0) return {};
  const cols = links.map((l) => {
    const cond = `${l.fk} is null and (${l.ext} is not null${l.name ? ` or ${l.name} is not null` : ''})`;
    return `count(*) filter (where ${cond})::int as "${l.extField}"`;
  });
  const res = await sql.query<Record<string, number>>(`select ${cols.join(', ')} from ${entity} where migration_id = $1`, [migrationId]);
  const row = res.rows[0] ?? {};
  const out: Record<string, number> = {};
  for (const l of links) out[l.extField] = Number(row[l.extField] ?? 0);
  return out;
}

/** One error row per record with an unresolved link (replacing this run's earlier ones: finalizing may repeat). */
async function unresolvedErrorRows(sql: Sql, migrationId: string, organizationId: string, entity: EntityType): Promise<void> {
  for (const l of LINKS[entity]) {
    const what = l.parent.slice(0, -1);
    const reason = l.name
      ? `'No ${what} with id "' || coalesce(${l.ext}, '') || '"' || case when ${l.name} is not null then ' or name "' || ${l.name} || '"' else '' end || ' was imported; the link is kept and resolves when that ${what} arrives.'`
      : `'No ${what} with id "' || ${l.ext} || '" was imported; the link is kept and resolves when that ${what} arrives.'`;
    await sql.query(
      `insert into migration_errors (organization_id, migration_id, entity_type, source_id, field, code, reason, raw)
       select $2::uuid, $1::uuid, $3, external_id, $4, 'UNRESOLVED_LINK', ${reason},
              jsonb_build_object('${l.extField}', ${l.ext}${l.name ? `, '${l.nameField}', ${l.name}` : ''})
         from ${entity}
        where migration_id = $1 and ${l.fk} is null and (${l.ext} is not null${l.name ? ` or ${l.name} is not null` : ''})`,
      [migrationId, organizationId, entity, l.extField],
    );
  }
}

export interface FinalizeResult {
  status: FinalStatus;
  reconciliation: Reconciliation;
  applied: boolean;
  /** When the lease was given up (DB_CLOCK), if this call closed the run. */
  releasedAt?: string;
}

export async function finalizeRun(database: Database, input: FinalizeInput): Promise<FinalizeResult> {
  const entities = input.plan?.entities ?? [];
  return transaction(database, async (sql) => {
    const lockArgs: unknown[] = [input.migrationId];
    const owner = input.leaseOwner === null ? '' : ' and lease_owner = $2';
    if (input.leaseOwner !== null) lockArgs.push(input.leaseOwner);
    const locked = await sql.query<{ status: string; reconciliation: Reconciliation | null }>(`select status, reconciliation from migrations where id = $1${owner} for update`, lockArgs);
    const current = locked.rows[0];
    if (!current || ['completed', 'completed_with_errors', 'failed', 'cancelled'].includes(current.status)) {
      return { status: (current?.status ?? 'failed') as FinalStatus, reconciliation: current?.reconciliation ?? emptyReconciliation(), applied: false };
    }

    await sql.query(`delete from migration_errors where migration_id = $1 and code = 'UNRESOLVED_LINK'`, [input.migrationId]);
    const recon: Reconciliation = { entities: {}, ok: true, issues: [], at: new Date().toISOString() };
    for (const plan of entities) {
      const entity = plan.entity;
      const counts = input.checkpoint.counts[entity] ?? zeroCounts();
      await resolveRunLinks(sql, input.migrationId, input.organizationId, entity);
      const links = await unresolved(sql, input.migrationId, entity);
      await unresolvedErrorRows(sql, input.migrationId, input.organizationId, entity);
      const stored = await sql.query<{ n: number }>(`select count(*)::int as n from ${entity} where created_migration_id = $1`, [input.migrationId]);
      const storedCreated = Number(stored.rows[0]?.n ?? 0);
      const written = counts.created + counts.updated + counts.skipped;
      const issues: string[] = [];
      const finishedReading = input.checkpoint.positions[entity]?.done === true;
      if (finishedReading && counts.fetched !== plan.sourceCount) {
        issues.push(
          counts.fetched < plan.sourceCount
            ? `${entity}: the source reported ${plan.sourceCount.toLocaleString('en-US')} records but ${counts.fetched.toLocaleString('en-US')} were fetched (${(plan.sourceCount - counts.fetched).toLocaleString('en-US')} missing).`
            : `${entity}: ${counts.fetched.toLocaleString('en-US')} records were fetched but the source reported ${plan.sourceCount.toLocaleString('en-US')} at the start (it changed during the run, or returned some twice).`,
        );
      }
      if (!finishedReading && input.ending.kind === 'finished') issues.push(`${entity}: the source was not read to the end.`);
      if (!finishedReading && input.ending.kind !== 'finished') {
        issues.push(`${entity}: stopped after ${counts.fetched.toLocaleString('en-US')} of ${plan.sourceCount.toLocaleString('en-US')} records (${input.ending.kind}).`);
      }
      if (written + counts.failed !== counts.fetched) {
        issues.push(`${entity}: ${counts.fetched} fetched but ${written} written and ${counts.failed} failed.`);
      }
      if (storedCreated !== counts.created) {
        issues.push(`${entity}: ${counts.created} records were counted as created but ${storedCreated} are stored.`);
      }
      if (counts.failed > 0) issues.push(`${entity}: ${counts.failed.toLocaleString('en-US')} records failed (see the error report).`);
      const unresolvedTotal = Object.values(links).reduce((a, b) => a + b, 0);
      if (unresolvedTotal > 0) {
        issues.push(`${entity}: ${unresolvedTotal.toLocaleString('en-US')} links point at records that were not imported (kept; see the error report).`);
      }
      const e: EntityReconciliation = {
        sourceCount: plan.sourceCount,
        fetched: counts.fetched,
        created: counts.created,
        updated: counts.updated,
        skipped: counts.skipped,
        failed: counts.failed,
        written,
        warnings: counts.warnings,
        unresolvedLinks: links,
        storedCreated,
        issues,
      };
      recon.entities[entity] = e;
      recon.issues.push(...issues);
    }
    recon.ok = recon.issues.length === 0;

    const status: FinalStatus =
      input.ending.kind === 'cancelled' ? 'cancelled' : input.ending.kind === 'failed' ? 'failed' : recon.ok ? 'completed' : 'completed_with_errors';
    const error = input.ending.kind === 'failed' ? input.ending.error : null;
    const phase = status === 'completed' ? 'done' : status === 'completed_with_errors' ? 'done, with issues' : status;
    const cp: RunCheckpoint = { ...input.checkpoint, finalizing: true };
    const closed = await sql.query<{ at: string }>(
      `update migrations set status = $2, phase = $3, reconciliation = $4::jsonb, checkpoint = $5::jsonb, error = coalesce($6, error),
              finished_at = now(), lease_owner = null, lease_expires_at = null, paused_until = null, updated_at = now()
        where id = $1 returning ${DB_CLOCK} as at`,
      [input.migrationId, status, phase, JSON.stringify(recon), JSON.stringify(cp), error],
    );
    return { status, reconciliation: recon, applied: true, ...(closed.rows[0] ? { releasedAt: closed.rows[0].at } : {}) };
  });
}

function emptyReconciliation(): Reconciliation {
  return { entities: {}, ok: false, issues: [], at: new Date().toISOString() };
}
