/**
 * The record tables as the loader sees them: canonical field → column and SQL type, read from the Drizzle schema
 * so the two cannot drift, and each entity's links to its parents.
 */
import { getTableColumns } from 'drizzle-orm';
import type { EntityType } from '../core/ids.js';
import { recordTables } from '../db/schema.js';

export interface ColumnInfo {
  readonly field: string;
  readonly column: string;
  readonly sqlType: string;
}

/** Columns the mapping never writes directly. */
const SYSTEM = new Set(['id', 'organizationId', 'source', 'externalId', 'migrationId', 'createdMigrationId', 'customFields', 'createdAt', 'updatedAt', 'accountId', 'contactId', 'dealId']);

const cache = new Map<EntityType, ReadonlyMap<string, ColumnInfo>>();

/** Writable columns of an entity's table by canonical field name. */
export function columnsOf(entity: EntityType): ReadonlyMap<string, ColumnInfo> {
  let map = cache.get(entity);
  if (!map) {
    const m = new Map<string, ColumnInfo>();
    for (const [field, col] of Object.entries(getTableColumns(recordTables[entity]))) {
      if (SYSTEM.has(field)) continue;
      m.set(field, { field, column: col.name, sqlType: col.getSQLType() });
    }
    map = m;
    cache.set(entity, map);
  }
  return map;
}

export interface LinkSpec {
  /** The resolved id column, e.g. account_id. */
  readonly fk: string;
  /** The canonical field holding the parent's source id, and its column. */
  readonly extField: string;
  readonly ext: string;
  /** Link by name (accountName), if the entity has it. */
  readonly nameField?: string;
  readonly name?: string;
  readonly parent: EntityType;
}

const account = (byName: boolean): LinkSpec => ({
  fk: 'account_id',
  extField: 'accountExternalId',
  ext: 'account_external_id',
  ...(byName ? { nameField: 'accountName', name: 'account_name' } : {}),
  parent: 'accounts',
});
const contact: LinkSpec = { fk: 'contact_id', extField: 'contactExternalId', ext: 'contact_external_id', parent: 'contacts' };
const deal: LinkSpec = { fk: 'deal_id', extField: 'dealExternalId', ext: 'deal_external_id', parent: 'deals' };

/** Each entity's links to parent records. */
export const LINKS: Record<EntityType, readonly LinkSpec[]> = {
  accounts: [],
  contacts: [account(true)],
  leads: [],
  deals: [account(true), contact],
  activities: [account(false), contact, deal],
};

/** Links pointing at an entity, from its children (for resolving children that arrived first). */
export function childLinks(parent: EntityType): Array<{ child: EntityType; link: LinkSpec }> {
  const out: Array<{ child: EntityType; link: LinkSpec }> = [];
  for (const [child, links] of Object.entries(LINKS) as Array<[EntityType, readonly LinkSpec[]]>) {
    for (const link of links) if (link.parent === parent) out.push({ child, link });
  }
  return out;
}

/** The table of an entity (the entity names are the table names). */
export function tableOf(entity: EntityType): string {
  return entity;
}
