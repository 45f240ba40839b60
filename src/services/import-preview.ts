/**
 * Preview an import: the first records of the source as they would be stored under the given mapping, each with
 * its validation errors and warnings. Reads the source; writes nothing.
 */
import type { AppContext } from '../context.js';
import { compileMapper, dedupeKey, resolveOptions, type FieldIssue, type ImportOptionsInput } from '../core/import/index.js';
import type { EntityType } from '../core/ids.js';
import type { StoredValue } from '../core/import/values.js';
import { readCsvRows } from '../import/csv/index.js';
import { inspectionOf } from '../import/sources/index.js';
import type { SourceItem } from '../import/sources/types.js';
import type { AuthContext } from './auth-service.js';
import { createClientForConnection } from './connection-service.js';
import { getUploadRow, validateImport, type FieldMappingsInput } from './migration-service.js';

export interface PreviewRequest {
  uploadId?: string;
  connectionId?: string;
  entityType: EntityType | 'all';
  fieldMappings: FieldMappingsInput;
  options?: ImportOptionsInput;
  limit: number;
}

export interface PreviewRecord {
  rowNumber: number | null;
  sourceId: string | null;
  /** The key the record would be stored under (externalId). Null when it would fail. */
  externalId: string | null;
  valid: boolean;
  values: Record<string, StoredValue>;
  customFields: Record<string, unknown>;
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

export interface PreviewResult {
  entities: Array<{ entityType: EntityType; records: PreviewRecord[] }>;
}

async function csvItems(path: string, upload: Parameters<typeof inspectionOf>[0], limit: number): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const row of readCsvRows(path, inspectionOf(upload))) {
    items.push({ rowNumber: row.rowNumber, values: row.values, ...(row.error ? { error: row.error } : {}) });
    if (items.length >= limit) break;
  }
  return items;
}

export async function previewImport(ctx: AppContext, auth: AuthContext, req: PreviewRequest): Promise<PreviewResult> {
  const kind = req.uploadId ? 'csv' : 'api';
  const upload = req.uploadId ? await getUploadRow(ctx, auth, req.uploadId) : undefined;
  const validated = validateImport(kind, req, upload?.headers);
  const options = resolveOptions(req.options, validated.entities.map((e) => e.entity));
  const client = req.connectionId ? (await createClientForConnection(ctx, auth, req.connectionId)).client : undefined;

  const result: PreviewResult = { entities: [] };
  for (const { entity, mappings } of validated.entities) {
    const mapper = compileMapper(entity, mappings, { api: kind === 'api', ...(options.defaultCountry ? { defaultCountry: options.defaultCountry } : {}) });
    let items: SourceItem[];
    if (upload) items = await csvItems(upload.storagePath, upload, req.limit);
    else {
      const page = await client!.fetchRecords(entity, null, req.limit);
      items = page.records.slice(0, req.limit).map((r) => ({
        sourceId: r.id,
        values: r.fields,
        meta: { id: r.id, owner: r.owner, createdAt: r.createdAt, updatedAt: r.updatedAt, links: r.links, activityType: r.activityType },
      }));
    }
    const records: PreviewRecord[] = items.map((item) => {
      const base = { rowNumber: item.rowNumber ?? null, sourceId: item.sourceId ?? null };
      if (item.error) {
        return { ...base, externalId: null, valid: false, values: {}, customFields: {}, errors: [{ code: 'INVALID_VALUE', field: '', reason: item.error }], warnings: [] };
      }
      const r = mapper.map({ values: item.values, ...(item.meta ? { meta: item.meta } : {}) });
      if (!r.ok) return { ...base, externalId: null, valid: false, values: {}, customFields: {}, errors: [...r.issues], warnings: [...r.warnings] };
      const id = r.record.values.externalId;
      const externalId = kind === 'api' ? item.sourceId! : typeof id === 'string' && id.trim() ? id.trim() : dedupeKey(entity, r.record, options.dedupeKey?.[entity]);
      return { ...base, externalId, valid: true, values: r.record.values, customFields: r.record.customFields, errors: [], warnings: [...r.warnings] };
    });
    result.entities.push({ entityType: entity, records });
  }
  return result;
}
