/**
 * `crm-migrate keys rotate`: re-seal every stored secret under the active key, row by row, each in its own short
 * transaction holding that row's lock, so a running service (refreshing tokens meanwhile) is never blocked
 * for long and never loses a write. Old keys stay in the ring for reading until every ciphertext has moved.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import type { Keyring } from '../security/keyring.js';
import { SEALED_COLUMNS, openAny, sealAny } from '../security/sealed-columns.js';

export interface RotationReport {
  activeKeyId: string;
  resealed: number;
  byColumn: Record<string, number>;
  /** Ciphertexts under keys still in use after the run (should be empty). */
  remaining: Record<string, number>;
}

const BATCH = 200;

export async function rotateSecrets(database: Database, keyring: Keyring): Promise<RotationReport> {
  const active = keyring.activeKeyId;
  const prefix = `v1.${active}.`;
  const byColumn: Record<string, number> = {};
  let resealed = 0;
  for (const { table, columns } of SEALED_COLUMNS) {
    for (const column of columns) {
      const label = `${table}.${column}`;
      byColumn[label] = 0;
      // Ids are visited in order; rows re-sealed by someone else meanwhile simply no longer match.
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const { rows } = await database.raw.query<{ id: string }>(
          `select id from ${table} where ${column} is not null and ${column} not like $1 and id > $2 order by id limit ${BATCH}`,
          [`${prefix}%`, after],
        );
        if (rows.length === 0) break;
        for (const { id } of rows) {
          const changed = await resealRow(database, keyring, table, column, id, prefix);
          if (changed) {
            byColumn[label] += 1;
            resealed += 1;
          }
        }
        after = rows.at(-1)!.id;
      }
    }
  }
  return { activeKeyId: active, resealed, byColumn, remaining: await countByKey(database, active) };
}

async function resealRow(database: Database, keyring: Keyring, table: string, column: string, id: string, prefix: string): Promise<boolean> {
  return database.db.transaction(async (tx) => {
    const t = sql.identifier(table);
    const c = sql.identifier(column);
    const res = await tx.execute(sql`select ${c} as value from ${t} where id = ${id} for update`);
    const value = (res as unknown as { rows: Array<{ value: string | null }> }).rows[0]?.value;
    if (!value || value.startsWith(prefix)) return false;
    const plaintext = await openAny(keyring, table, column, id, value);
    await tx.execute(sql`update ${t} set ${c} = ${sealAny(keyring, table, column, id, plaintext)} where id = ${id}`);
    return true;
  });
}

/** How many ciphertexts are sealed under keys other than the active one, per column. */
export async function countByKey(database: Database, activeKeyId: string): Promise<Record<string, number>> {
  const remaining: Record<string, number> = {};
  for (const { table, columns } of SEALED_COLUMNS) {
    for (const column of columns) {
      const { rows } = await database.raw.query<{ n: number }>(
        `select count(*)::int as n from ${table} where ${column} is not null and ${column} not like $1`,
        [`v1.${activeKeyId}.%`],
      );
      const n = Number(rows[0]?.n ?? 0);
      if (n > 0) remaining[`${table}.${column}`] = n;
    }
  }
  return remaining;
}

