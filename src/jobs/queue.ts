/**
 * The job queue: pg-boss 10 on the application's own database. On PostgreSQL pg-boss uses its own pool; on
 * PGlite it goes through `pgliteExecutor`, since PGlite is an in-process database with no network port.
 */
import PgBoss from 'pg-boss';
import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from '../logger.js';
import type { Database } from '../db/client.js';

/** pg-boss's `db` option backed by PGlite: parameterised SQL through `query`, parameterless (often several statements) through `exec`. */
export function pgliteExecutor(client: PGlite): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (values && values.length > 0) {
        const res = await client.query(text, values);
        return { rows: res.rows as unknown[] };
      }
      const results = await client.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as unknown[] };
    },
  };
}

export interface QueueOptions {
  database: Database;
  /** Needed on PostgreSQL: pg-boss opens its own pool. */
  databaseUrl?: string;
  logger: Logger;
  /** pg-boss maintenance (archiving, expiring) runs in one process per deployment at a time; keep it on. */
  supervise?: boolean;
  schedule?: boolean;
}

export type Queue = PgBoss;

export async function startQueue(options: QueueOptions): Promise<Queue> {
  const common = {
    schema: 'pgboss',
    supervise: options.supervise ?? true,
    schedule: options.schedule ?? false,
    migrate: true,
  } as const;
  const boss =
    options.database.driver === 'pglite'
      ? new PgBoss({ ...common, db: pgliteExecutor(options.database.pglite!) })
      : new PgBoss({ ...common, connectionString: options.databaseUrl!, max: 4, application_name: 'crm-migrate-queue' });
  boss.on('error', (err: Error) => options.logger.error({ err }, 'job queue error'));
  await boss.start();
  return boss;
}
