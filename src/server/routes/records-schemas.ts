/** Response schemas of the records API, derived from the record tables (camelCase, as the canonical model names them). */
import { getTableColumns } from 'drizzle-orm';
import { z } from 'zod';
import { ENTITY_TYPES, type EntityType } from '../../core/ids.js';
import { recordTables } from '../../db/schema.js';

function columnSchema(sqlType: string, notNull: boolean): z.ZodType {
  let s: z.ZodType;
  if (sqlType === 'integer' || sqlType === 'double precision' || sqlType === 'bigint') s = z.number();
  else if (sqlType.startsWith('timestamp')) s = z.date();
  else if (sqlType === 'jsonb') s = z.record(z.string(), z.unknown());
  else s = z.string(); // text, uuid, date (YYYY-MM-DD), enums
  return notNull ? s : s.nullable();
}

function recordSchema(entity: EntityType) {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, col] of Object.entries(getTableColumns(recordTables[entity]))) shape[name] = columnSchema(col.getSQLType(), col.notNull);
  return z.object(shape);
}

export const recordSchemas = Object.fromEntries(ENTITY_TYPES.map((e) => [e, recordSchema(e)])) as Record<EntityType, z.ZodObject>;

/** Any entity's record (the route's :entityType decides which). */
export const anyRecord = z.union([recordSchemas.accounts, recordSchemas.contacts, recordSchemas.leads, recordSchemas.deals, recordSchemas.activities]);
