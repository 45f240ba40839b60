/**
 * Opening a run's record source: the CSV upload it names, or a client for its CRM connection (built when the job
 * runs, so it reads the connection's current tokens — never tokens captured when the run was queued).
 */
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { planForCrm } from '../../core/strategy.js';
import { rateLimitsOff } from '../../services/connection/settings.js';
import type { CrmId, EntityType } from '../../core/ids.js';
import { migrations, uploads } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { createClientForConnection } from '../../services/connection-service.js';
import type { CsvInspection } from '../csv/index.js';
import type { EntityPlan } from '../run-state.js';
import { crmEntitySource } from './crm-source.js';
import { csvEntitySource } from './csv-source.js';
import type { EntitySource } from './types.js';

export type MigrationRow = typeof migrations.$inferSelect;
export type UploadRow = typeof uploads.$inferSelect;

export interface RunSource {
  readonly kind: 'csv' | 'api';
  /** The CRM of an API run. */
  readonly crm?: CrmId;
  /** Count the source's records and choose how to read them. */
  plan(entity: EntityType): Promise<EntityPlan>;
  /** Read an entity as planned. */
  open(plan: EntityPlan): EntitySource;
}

/** The inspection the CSV reader needs, as stored with the upload. */
export function inspectionOf(upload: UploadRow): CsvInspection {
  return {
    encoding: upload.encoding as CsvInspection['encoding'],
    hasBom: upload.hasBom,
    delimiter: upload.delimiter,
    headers: upload.headers,
    rowCount: upload.rowCount,
    sample: upload.sample,
    detectedSource: (upload.detectedSource ?? null) as CsvInspection['detectedSource'],
    detectedReason: '',
    warnings: [],
    sizeBytes: upload.sizeBytes,
  };
}

export async function openRunSource(ctx: AppContext, m: MigrationRow, signal: AbortSignal): Promise<RunSource> {
  if (m.importMethod === 'csv') {
    if (!m.uploadId) throw new AppError('NOT_FOUND', 'The uploaded file of this import was deleted.');
    const [upload] = await ctx.db.select().from(uploads).where(and(eq(uploads.id, m.uploadId), eq(uploads.organizationId, m.organizationId))).limit(1);
    if (!upload) throw new AppError('NOT_FOUND', 'The uploaded file of this import was deleted.');
    const inspection = inspectionOf(upload);
    return {
      kind: 'csv',
      async plan(entity) {
        return { entity, sourceCount: upload.rowCount };
      },
      open(plan) {
        return csvEntitySource(upload.storagePath, inspection, plan.entity);
      },
    };
  }
  if (!m.crmConnectionId) throw new AppError('NOT_FOUND', 'The CRM connection of this import was deleted.');
  const { client, module, connection } = await createClientForConnection(ctx, m.organizationId, m.crmConnectionId, { signal, actorUserId: m.userId });
  const crm = module.definition.id;
  return {
    kind: 'api',
    crm,
    async plan(entity) {
      const count = await client.getRecordCount(entity);
      const p = planForCrm(module.definition, count, { limitsOff: rateLimitsOff(connection.syncSettings) });
      return {
        entity,
        sourceCount: count,
        strategy: p.strategy,
        pageSize: p.pageSize,
        useBulkApi: p.useBulkApi,
        reason: p.reason,
        estimatedApiCalls: p.estimatedApiCalls,
        estimatedSeconds: p.estimatedSeconds,
        ...(p.quotaWarning ? { quotaWarning: p.quotaWarning } : {}),
      };
    },
    open(plan) {
      return crmEntitySource(client, plan.entity, { strategy: plan.strategy ?? 'standard', pageSize: plan.pageSize ?? module.definition.paging.standardPageSize });
    },
  };
}
