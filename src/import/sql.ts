/**
 * Raw SQL for the import's hot path, the same on both drivers: the loader sends one statement per batch with
 * one array parameter per column (`unnest`), which Drizzle's query builder cannot express, and a batch, its
 * errors and its checkpoint commit in one transaction.
 */
import type { Database } from '../db/client.js';

export interface SqlResult<R> {
  rows: R[];
  rowCount: number;
}

/** Parameterised SQL inside one transaction (or on its own). */
export interface Sql {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<SqlResult<R>>;
}

export interface TransactionOptions {
  /**
   * Do not wait for the commit to reach disk (PostgreSQL `synchronous_commit = off`). For import batches: a batch
   * and its checkpoint commit together, so a database crash can only lose the last few batches *with* their
   * checkpoint, and the run re-imports them from the previous one. Never partial, never counted twice.
   */
  asyncCommit?: boolean;
}

/** Run `fn` in a transaction: committed when it resolves, rolled back when it throws. */
export async function transaction<T>(database: Database, fn: (sql: Sql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if (database.driver === 'postgres') {
    const client = await database.pool!.connect();
    let broken = false;
    try {
      await client.query(options.asyncCommit ? 'begin; set local synchronous_commit = off' : 'begin');
      const sql: Sql = {
        async query<R>(text: string, values?: unknown[]) {
          const res = await client.query(text, values);
          return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
        },
      };
      const result = await fn(sql);
      await client.query('commit');
      return result;
    } catch (err) {
      try {
        await client.query('rollback');
      } catch {
        broken = true; // the connection is gone; do not return it to the pool
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }
  const pglite = database.pglite!;
  return pglite.transaction(async (tx) =>
    fn({
      async query<R>(text: string, values?: unknown[]) {
        const res = await tx.query<R>(text, values);
        return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
      },
    }),
  );
}

/** SQL outside a transaction (each statement commits on its own). */
export function autocommit(database: Database): Sql {
  if (database.driver === 'postgres') {
    const pool = database.pool!;
    return {
      async query<R>(text: string, values?: unknown[]) {
        const res = await pool.query(text, values);
        return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
      },
    };
  }
  const pglite = database.pglite!;
  return {
    async query<R>(text: string, values?: unknown[]) {
      const res = await pglite.query<R>(text, values);
      return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
    },
  };
}

/** `a_b` for `aB`. */
export function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Run `fn` under a savepoint: on failure only its statements are undone and the error is returned. */
export async function savepoint<T>(sql: Sql, name: string, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  await sql.query(`savepoint ${name}`);
  try {
    const value = await fn();
    await sql.query(`release savepoint ${name}`);
    return { ok: true, value };
  } catch (error) {
    await sql.query(`rollback to savepoint ${name}`);
    return { ok: false, error };
  }
}
