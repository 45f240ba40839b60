/**
 * Issue 5's endpoints beside the seed's: how many records a connected CRM holds and how we would fetch them
 * (the pre-flight plan), and the CRM's fields for the mapping step. Thin: the client does the CRM work, the
 * planner (src/core/strategy.ts) decides.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { ENTITY_TYPES, type EntityType } from '../../core/ids.js';
import { planForCrm, type FetchPlan } from '../../core/strategy.js';
import type { CrmModule } from '../../crm/types.js';
import { MANAGER_ROLES } from '../../services/auth-service.js';
import { createClientForConnection } from '../../services/connection/client.js';
import { rateLimitsOff } from '../../services/connection/settings.js';
import { requireAuth } from '../route-types.js';

const planSchema = z.object({
  count: z.number().int(),
  useBulkApi: z.boolean(),
  strategy: z.enum(['standard', 'batched', 'bulk']),
  pageSize: z.number().int(),
  estimatedApiCalls: z.number().int(),
  estimatedSeconds: z.number(),
  background: z.boolean(),
  reason: z.string(),
  bindingLimit: z.string().optional(),
  quotaWarning: z.object({ window: z.string(), needed: z.number(), limit: z.number() }).optional(),
});

export const crmCountResponse = planSchema.extend({
  entityType: z.union([z.enum(ENTITY_TYPES), z.literal('all')]),
  /** For `all`: the plan of each entity, in dependency order. */
  entities: z.array(planSchema.extend({ entityType: z.enum(ENTITY_TYPES) })).optional(),
});
export type CrmCountResponse = z.infer<typeof crmCountResponse>;

export const crmFieldsResponse = z.object({
  fields: z.array(z.object({ name: z.string(), label: z.string(), type: z.string(), custom: z.boolean(), values: z.array(z.string()).optional() })),
});
export type CrmFieldsResponse = z.infer<typeof crmFieldsResponse>;

function plan(module: CrmModule, count: number, limitsOff: boolean): FetchPlan {
  return planForCrm(module.definition, count, { limitsOff });
}

export async function crmDataRoutes(parent: FastifyInstance, ctx: AppContext) {
  const app = parent.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/import-export/crm-count',
    {
      // Counting spends the customer's CRM API quota: the roles that run imports.
      config: { access: { roles: MANAGER_ROLES } },
      schema: {
        tags: ['import'],
        summary: 'Count the records a connected CRM holds and plan the fetch (standard paging vs bulk API, estimated calls and time)',
        body: z.object({ connectionId: z.uuid(), entityType: z.union([z.enum(ENTITY_TYPES), z.literal('all')]) }),
        response: { 200: crmCountResponse },
      },
    },
    async (request) => {
      const auth = requireAuth(request.auth);
      const { client, module, connection } = await createClientForConnection(ctx, auth, request.body.connectionId);
      const limitsOff = rateLimitsOff(connection.syncSettings ?? null);
      const entities: EntityType[] = request.body.entityType === 'all' ? [...ENTITY_TYPES] : [request.body.entityType];
      const plans: Array<FetchPlan & { entityType: EntityType; count: number }> = [];
      for (const entityType of entities) {
        const count = await client.getRecordCount(entityType);
        plans.push({ entityType, count, ...plan(module, count, limitsOff) });
      }
      if (request.body.entityType !== 'all') return plans[0]!;
      const total = plans.reduce((n, p) => n + p.count, 0);
      const combined = plan(module, total, limitsOff);
      return {
        ...combined,
        count: total,
        entityType: 'all' as const,
        useBulkApi: plans.some((p) => p.useBulkApi),
        strategy: plans.some((p) => p.useBulkApi) ? ('bulk' as const) : combined.strategy,
        estimatedApiCalls: plans.reduce((n, p) => n + p.estimatedApiCalls, 0),
        estimatedSeconds: plans.reduce((n, p) => n + p.estimatedSeconds, 0),
        entities: plans,
      };
    },
  );

  app.get(
    '/import-export/crm-fields',
    {
      config: { access: { roles: MANAGER_ROLES } },
      schema: {
        tags: ['import'],
        summary: "The CRM's fields for an entity (custom ones included), from its metadata API",
        querystring: z.object({ connectionId: z.uuid(), entityType: z.enum(ENTITY_TYPES) }),
        response: { 200: crmFieldsResponse },
      },
    },
    async (request) => {
      const auth = requireAuth(request.auth);
      const { client } = await createClientForConnection(ctx, auth, request.query.connectionId);
      return { fields: await client.describeFields(request.query.entityType) };
    },
  );
}
