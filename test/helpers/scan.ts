/** Search every text-bearing row of every table (ours and pg-boss's) for given strings: proof nothing is stored in the clear. */
import { expect } from 'vitest';
import type { Database } from '../../src/db/client.js';

export async function scanDatabaseFor(database: Database, needles: string[]): Promise<string[]> {
  const { rows: tables } = await database.raw.query<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name from information_schema.tables
     where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
  );
  expect(tables.length).toBeGreaterThan(10);
  const hits: string[] = [];
  for (const { schema, name } of tables) {
    const { rows } = await database.raw.query<{ row: string }>(`select row_to_json(t)::text as row from "${schema}"."${name}" t`);
    for (const { row } of rows) {
      for (const needle of needles) if (row.includes(needle)) hits.push(`${schema}.${name}: ${needle}`);
    }
  }
  return hits;
}
