/**
 * The database: node-postgres on a real PostgreSQL when DATABASE_URL is set, PGlite (real Postgres compiled to
 * WebAssembly, in-process) persisted in DATA_DIR otherwise. The same schema, migrations and queries run on both.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** The Drizzle database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; most repository functions accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type DriverName = 'pglite' | 'postgres';

/** A raw SQL runner for code that needs SQL Drizzle does not express (pg-boss, COPY, advisory locks). */
export interface RawSql {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
  /** Several statements, no parameters. */
  exec(text: string): Promise<void>;
}

export interface Database {
  readonly driver: DriverName;
  readonly db: Db;
  readonly raw: RawSql;
  /** Set on the postgres driver (COPY needs a pooled client). */
  readonly pool?: pg.Pool;
  /** Set on the pglite driver. */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

// Postgres returns int8 (COUNT(*), bigint) as strings by default; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface OpenOptions {
  /** postgres:// URL, or undefined for PGlite. */
  databaseUrl?: string;
  /** PGlite data folder; `memory://` (or undefined) keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'crm-migrate' });
  // A pooled client that errors while idle (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    driver: 'postgres',
    db,
    pool,
    raw: {
      query: async (text, values) => {
        const res = await pool.query(text, values as unknown[] | undefined);
        return { rows: res.rows };
      },
      exec: async (text) => {
        await pool.query(text);
      },
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  let location: string | undefined;
  if (dataDir && dataDir !== 'memory://') {
    location = join(dataDir, 'pglite');
    await mkdir(location, { recursive: true });
  }
  const client = await PGlite.create(location ? { dataDir: location } : {});
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    driver: 'pglite',
    db,
    pglite: client,
    raw: {
      query: async (text, values) => {
        const res = await client.query(text, values as unknown[] | undefined);
        return { rows: res.rows as never[] };
      },
      exec: async (text) => {
        await client.exec(text);
      },
    },
    close: () => client.close(),
  };
}
