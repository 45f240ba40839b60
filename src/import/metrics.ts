/**
 * Prometheus metrics of the import, registered once per registry (ctx.metrics): runs started and finished by
 * import method and outcome, records by outcome, batch durations, and — read from the database when scraped —
 * runs by status (the seed's adoption metrics: CSV vs API, completion rate, records moved).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AppContext } from '../context.js';

export interface ImportMetrics {
  runsFinished: Counter<'method' | 'status'>;
  records: Counter<'method' | 'entity' | 'outcome'>;
  batchSeconds: Histogram<'method'>;
}

const byRegistry = new WeakMap<Registry, ImportMetrics>();

export function importMetrics(ctx: Pick<AppContext, 'metrics' | 'database'>): ImportMetrics {
  let m = byRegistry.get(ctx.metrics);
  if (m) return m;
  const registers = [ctx.metrics];
  m = {
    runsFinished: new Counter({ name: 'crm_migrate_import_runs_finished_total', help: 'Import runs that ended, by import method and final status', labelNames: ['method', 'status'] as const, registers }),
    records: new Counter({ name: 'crm_migrate_import_records_total', help: 'Records processed by import runs in this process, by outcome', labelNames: ['method', 'entity', 'outcome'] as const, registers }),
    batchSeconds: new Histogram({
      name: 'crm_migrate_import_batch_duration_seconds',
      help: 'Time to map, validate and commit one batch',
      labelNames: ['method'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };
  const database = ctx.database;
  new Gauge({
    name: 'crm_migrate_import_runs',
    help: 'Import runs in the database by import method and status (all organizations)',
    labelNames: ['method', 'status'] as const,
    registers,
    async collect() {
      this.reset();
      const res = await database.raw.query<{ method: string; status: string; n: number }>(
        'select import_method as method, status, count(*)::int as n from migrations group by 1, 2',
      );
      for (const r of res.rows) this.set({ method: r.method, status: r.status }, Number(r.n));
    },
  });
  new Gauge({
    name: 'crm_migrate_import_records_moved',
    help: 'Records created or updated by import runs, by import method (all organizations)',
    labelNames: ['method'] as const,
    registers,
    async collect() {
      this.reset();
      const res = await database.raw.query<{ method: string; n: number }>(
        'select import_method as method, coalesce(sum(created_count + updated_count), 0)::bigint as n from migrations group by 1',
      );
      for (const r of res.rows) this.set({ method: r.method }, Number(r.n));
    },
  });
  byRegistry.set(ctx.metrics, m);
  return m;
}
