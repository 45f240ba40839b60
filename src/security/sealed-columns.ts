/**
 * The database columns that hold ciphertexts, and the associated data that binds each ciphertext to its row and
 * column. Everything that stores a secret goes through `seal`/`open` here, so `keys rotate` knows every place.
 */
import type { Keyring } from './keyring.js';

export const SEALED_COLUMNS = [
  { table: 'crm_connections', columns: ['access_token', 'refresh_token'] },
  { table: 'oauth_states', columns: ['code_verifier'] },
] as const;

export type SealedTable = (typeof SEALED_COLUMNS)[number]['table'];
export type SealedColumn<T extends SealedTable> = Extract<(typeof SEALED_COLUMNS)[number], { table: T }>['columns'][number];

function aad(table: string, column: string, rowId: string): string {
  return `${table}.${column}:${rowId}`;
}

export function seal<T extends SealedTable>(keyring: Keyring, table: T, column: SealedColumn<T>, rowId: string, plaintext: string): string {
  return keyring.encrypt(plaintext, aad(table, column, rowId));
}

export function open<T extends SealedTable>(keyring: Keyring, table: T, column: SealedColumn<T>, rowId: string, ciphertext: string): Promise<string> {
  return keyring.decrypt(ciphertext, aad(table, column, rowId));
}

/** Untyped variant for the rotation job, which walks SEALED_COLUMNS generically. */
export function sealAny(keyring: Keyring, table: string, column: string, rowId: string, plaintext: string): string {
  return keyring.encrypt(plaintext, aad(table, column, rowId));
}

export function openAny(keyring: Keyring, table: string, column: string, rowId: string, ciphertext: string): Promise<string> {
  return keyring.decrypt(ciphertext, aad(table, column, rowId));
}
