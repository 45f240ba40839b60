/**
 * A fresh database per test file: in-memory PGlite (TEST_DB_DRIVER=pglite, the default), or a new database on
 * the PostgreSQL server at TEST_DATABASE_URL (TEST_DB_DRIVER=postgres), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';

export const TEST_DRIVER = (process.env.TEST_DB_DRIVER ?? 'pglite') as 'pglite' | 'postgres';
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  database: Database;
  /** Set on postgres: the URL of the per-test database (pg-boss and child processes connect with it). */
  url?: string;
  close(): Promise<void>;
}

/** Create a new, empty database on the test server and return its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cm_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (TEST_DRIVER === 'postgres') {
    const created = await createPostgresDatabase();
    const database = await openDatabase({ databaseUrl: created.url, poolSize: 5 });
    if (options.migrate ?? true) await runMigrations(database);
    return {
      database,
      url: created.url,
      async close() {
        await database.close();
        await created.drop();
      },
    };
  }
  const database = await openDatabase({ dataDir: 'memory://' });
  if (options.migrate ?? true) await runMigrations(database);
  return { database, close: () => database.close() };
}
