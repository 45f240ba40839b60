/** Request and response schemas of the import endpoints (shared with the web app's typed client). */
import { z } from 'zod';
import { fieldMappingsSchema, importOptionsSchema } from '../../core/import/index.js';
import { ENTITY_TYPES, SOURCE_SYSTEMS } from '../../core/ids.js';

const uuid = z.uuid({ message: 'must be a UUID' });
export const entityTypeOrAll = z.enum([...ENTITY_TYPES, 'all'], {
  error: (i) => `entityType must be one of ${[...ENTITY_TYPES, 'all'].join(', ')}${i.input !== undefined ? ` (got ${JSON.stringify(i.input)})` : ''}.`,
});
export const entityType = z.enum(ENTITY_TYPES, {
  error: (i) => `entityType must be one of ${ENTITY_TYPES.join(', ')}${i.input !== undefined ? ` (got ${JSON.stringify(i.input)})` : ''}.`,
});

const importBody = {
  entityType: entityTypeOrAll,
  /** One list of mappings, or (entityType "all") a list per entity: { "accounts": [...], "contacts": [...] }. */
  fieldMappings: fieldMappingsSchema,
  options: importOptionsSchema.optional(),
};

export const importApiBody = z.object({ connectionId: uuid, ...importBody });
export const importCsvBody = z.object({ uploadId: uuid, ...importBody });
export const previewBody = z
  .object({ uploadId: uuid.optional(), connectionId: uuid.optional(), ...importBody, limit: z.number().int().min(1).max(100).default(20) })
  .refine((b) => (b.uploadId === undefined) !== (b.connectionId === undefined), { message: 'Give either uploadId (a CSV upload) or connectionId (a CRM connection).', path: ['uploadId'] });

export const migrationIdResponse = z.object({ migrationId: z.string() });

const transform = z.record(z.string(), z.unknown());
export const suggestion = z.object({
  sourceField: z.string(),
  targetField: z.string().nullable(),
  confidence: z.number(),
  reason: z.string(),
  transform: transform.optional(),
  alternatives: z.array(z.object({ targetField: z.string().nullable(), confidence: z.number() })).optional(),
});

export const uploadView = z.object({
  uploadId: z.string(),
  filename: z.string(),
  entityType,
  headers: z.array(z.string()),
  rowCount: z.number(),
  sample: z.array(z.record(z.string(), z.string())),
  detectedSource: z.enum(SOURCE_SYSTEMS).nullable(),
  detectedReason: z.string(),
  encoding: z.string(),
  delimiter: z.string(),
  warnings: z.array(z.string()),
  sizeBytes: z.number(),
  suggestedMappings: z.array(suggestion),
});

const counts = z.object({ fetched: z.number(), created: z.number(), updated: z.number(), skipped: z.number(), failed: z.number(), warnings: z.number() });

export const migrationView = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'paused', 'completed', 'completed_with_errors', 'failed', 'cancelled']),
  phase: z.string().nullable(),
  importMethod: z.enum(['csv', 'api']),
  source: z.enum(SOURCE_SYSTEMS),
  entityType: z.string(),
  connectionId: z.string().nullable(),
  uploadId: z.string().nullable(),
  counts: z.object({ total: z.number(), fetched: z.number(), created: z.number(), updated: z.number(), skipped: z.number(), failed: z.number() }),
  entities: z.array(counts.extend({ entityType, sourceCount: z.number().nullable() })),
  rate: z.number().nullable().describe('records per second, recently'),
  eta: z.number().nullable().describe('seconds left at that rate'),
  reconciliation: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  pausedUntil: z.date().nullable(),
  cancelRequested: z.boolean(),
  plan: z.record(z.string(), z.unknown()).nullable(),
  options: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  updatedAt: z.date(),
});

export const listMigrationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  status: migrationView.shape.status.optional(),
  importMethod: z.enum(['csv', 'api']).optional(),
});

const issue = z.object({ code: z.string(), field: z.string(), sourceField: z.string().optional(), reason: z.string() });
export const previewResponse = z.object({
  entities: z.array(
    z.object({
      entityType,
      records: z.array(
        z.object({
          rowNumber: z.number().nullable(),
          sourceId: z.string().nullable(),
          externalId: z.string().nullable(),
          valid: z.boolean(),
          values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
          customFields: z.record(z.string(), z.unknown()),
          errors: z.array(issue),
          warnings: z.array(issue),
        }),
      ),
    }),
  ),
});

const methodStats = z.object({
  runs: z.number(),
  queued: z.number(),
  running: z.number(),
  paused: z.number(),
  completed: z.number(),
  completedWithErrors: z.number(),
  failed: z.number(),
  cancelled: z.number(),
  completionRate: z.number().nullable(),
  recordsMoved: z.number(),
  recordsFailed: z.number(),
});
export const statsResponse = z.object({ byMethod: z.object({ csv: methodStats, api: methodStats }), total: methodStats });

export const undoResponse = z.object({ deleted: z.partialRecord(entityType, z.number()), total: z.number() });
