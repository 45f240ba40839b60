/** The organization's accepted mappings (mapping_memory): read for suggestions, written when an import starts. */
import { and, eq, sql } from 'drizzle-orm';
import type { FieldMapping } from '../core/import/index.js';
import type { EntityType, SourceSystem } from '../core/ids.js';
import type { MemoryEntry, Transform } from '../core/mapping/index.js';
import type { DbOrTx } from '../db/client.js';
import { mappingMemory } from '../db/schema.js';

export async function readMappingMemory(db: DbOrTx, organizationId: string, source: SourceSystem, entityType: EntityType): Promise<Record<string, MemoryEntry>> {
  const rows = await db
    .select()
    .from(mappingMemory)
    .where(and(eq(mappingMemory.organizationId, organizationId), eq(mappingMemory.source, source), eq(mappingMemory.entityType, entityType)));
  return Object.fromEntries(rows.map((r) => [r.sourceField, { targetField: r.targetField, ...(r.transform ? { transform: r.transform as unknown as Transform } : {}) }]));
}

/** Remember the mappings of a started import (fields kept as custom are remembered as "no target"). */
export async function rememberMappings(db: DbOrTx, organizationId: string, source: SourceSystem, entityType: EntityType, mappings: readonly FieldMapping[]): Promise<void> {
  const rows = mappings
    .filter((m) => m.targetField !== null || m.keepAsCustom)
    .map((m) => ({
      organizationId,
      source,
      entityType,
      sourceField: m.sourceField,
      targetField: m.targetField,
      transform: (m.transform ?? null) as Record<string, unknown> | null,
    }));
  if (rows.length === 0) return;
  await db
    .insert(mappingMemory)
    .values(rows)
    .onConflictDoUpdate({
      target: [mappingMemory.organizationId, mappingMemory.source, mappingMemory.entityType, mappingMemory.sourceField],
      set: { targetField: sql`excluded.target_field`, transform: sql`excluded.transform`, updatedAt: sql`now()` },
    });
}
