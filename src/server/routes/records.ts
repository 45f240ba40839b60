/** /api/records: the imported records — keyset-paged lists with search, counts, one record with its related records. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { countRecords, getRecord, listRecords } from '../../services/record-service.js';
import { requireAuth } from '../route-types.js';
import { entityType } from './import-export-schemas.js';
import { anyRecord } from './records-schemas.js';

const tags = ['records'];
const entityParams = z.object({ entityType });
const filters = {
  migrationId: z.uuid({ message: 'must be a UUID' }).optional().describe('records created or last written by this import run'),
  q: z.string().trim().max(200).optional().describe('search in name and e-mail'),
};

export async function recordRoutes(parent: FastifyInstance, ctx: AppContext) {
  const app = parent.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/records/:entityType',
    {
      schema: {
        tags,
        summary: 'Imported records of one entity type, newest first (keyset paging with nextCursor)',
        params: entityParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(200).optional(), ...filters }),
        response: { 200: z.object({ records: z.array(anyRecord), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => listRecords(ctx, requireAuth(request.auth), request.params.entityType, request.query),
  );

  app.get(
    '/records/:entityType/count',
    {
      schema: { tags, summary: 'How many records of one entity type (with the same filters as the list)', params: entityParams, querystring: z.object(filters), response: { 200: z.object({ count: z.number() }) } },
    },
    async (request) => ({ count: await countRecords(ctx, requireAuth(request.auth), request.params.entityType, request.query) }),
  );

  app.get(
    '/records/:entityType/:id',
    {
      config: { access: { resource: 'record' } },
      schema: {
        tags,
        summary: 'One record with the records its links resolve to (account, contact, deal) and its first children',
        params: entityParams.extend({ id: z.uuid({ message: 'must be a UUID' }) }),
        response: {
          200: z.object({
            record: anyRecord,
            related: z.object({ account: anyRecord.nullable().optional(), contact: anyRecord.nullable().optional(), deal: anyRecord.nullable().optional() }),
            children: z.partialRecord(entityType, z.object({ count: z.number(), records: z.array(anyRecord) })),
          }),
        },
      },
    },
    async (request) => getRecord(ctx, requireAuth(request.auth), request.params.entityType, request.params.id),
  );
}
