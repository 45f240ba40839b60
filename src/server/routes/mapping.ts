/**
 * The mapping step (issue 6): suggestions for source fields, and for picklist values. Pure computation over the
 * engine in src/core/mapping, plus the organization's accepted mappings (mapping_memory) and, when configured,
 * the optional language model.
 */
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { EntityType, SourceSystem } from '../../core/ids.js';
import { suggestMappings, suggestValueMapping, type MemoryEntry, type Transform } from '../../core/mapping/index.js';
import { suggestMappingRequestSchema, suggestValueMappingRequestSchema } from '../../core/mapping/schema.js';
import type { Db } from '../../db/client.js';
import { mappingMemory } from '../../db/schema.js';
import { ROLES } from '../../services/auth-service.js';
import { requireAuth } from '../route-types.js';

const suggestion = z.object({
  sourceField: z.string(),
  targetField: z.string().nullable(),
  confidence: z.number(),
  reason: z.string(),
  transform: z.record(z.string(), z.unknown()).optional(),
  alternatives: z.array(z.object({ targetField: z.string().nullable(), confidence: z.number() })).optional(),
});

/** Mappings this organization accepted before for this source and entity, keyed by source field. */
export async function loadMappingMemory(db: Db, organizationId: string, source: SourceSystem, entityType: EntityType): Promise<Record<string, MemoryEntry>> {
  const rows = await db
    .select()
    .from(mappingMemory)
    .where(and(eq(mappingMemory.organizationId, organizationId), eq(mappingMemory.source, source), eq(mappingMemory.entityType, entityType)));
  return Object.fromEntries(
    rows.map((r) => [r.sourceField, { targetField: r.targetField, ...(r.transform ? { transform: r.transform as unknown as Transform } : {}) }]),
  );
}

export async function mappingRoutes(parent: FastifyInstance, ctx: AppContext) {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const llm = ctx.config.llm
    ? { baseUrl: ctx.config.llm.baseUrl, apiKey: ctx.config.llm.apiKey.reveal(), model: ctx.config.llm.model, sendSamples: ctx.config.llm.sendSamples, timeoutMs: ctx.config.llm.timeoutMs }
    : undefined;

  app.post(
    '/import-export/suggest-mapping',
    {
      config: { access: { roles: ROLES } },
      schema: {
        tags: ['mapping'],
        summary: 'Suggest a target field, confidence, reason and transform for each source field (in order)',
        body: suggestMappingRequestSchema,
        response: { 200: z.object({ mappings: z.array(suggestion) }) },
      },
    },
    async (request) => {
      const auth = requireAuth(request.auth);
      const { entityType, crmType, sourceFields, memory, defaultCountry } = request.body;
      const remembered = await loadMappingMemory(ctx.db, auth.organizationId, crmType, entityType);
      const result = await suggestMappings(
        { entityType, source: crmType, sourceFields, memory: { ...remembered, ...memory }, ...(defaultCountry ? { defaultCountry: defaultCountry.toUpperCase() } : {}) },
        { llm },
      );
      if (llm) request.log.info({ llm: result.llm }, 'mapping suggestions: language model');
      return { mappings: result.mappings as z.infer<typeof suggestion>[] };
    },
  );

  app.post(
    '/import-export/suggest-value-mapping',
    {
      config: { access: { roles: ROLES } },
      schema: {
        tags: ['mapping'],
        summary: 'Suggest canonical values for picklist values (deal stages, activity types, statuses …)',
        body: suggestValueMappingRequestSchema,
        response: {
          200: z.object({
            mappings: z.array(z.object({ sourceValue: z.string(), targetValue: z.string().nullable(), confidence: z.number(), reason: z.string() })),
          }),
        },
      },
    },
    async (request) => ({ mappings: [...suggestValueMapping(request.body).mappings] }),
  );
}
