/**
 * CSV uploads: the file is streamed to `DATA_DIR/uploads/<organizationId>/<uploadId>` (never held in memory),
 * inspected once (encoding, delimiter, header, exact row count, sample, the CRM that exported it), and answered
 * with mapping suggestions that include the organization's remembered mappings. A file that cannot be imported is
 * deleted and answered with CSV_INVALID naming the reason and line.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../context.js';
import { ENTITY_TYPES, isEntityType, type EntityType, type SourceSystem } from '../core/ids.js';
import { suggestMappings } from '../core/mapping/index.js';
import { uploads } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { inspectCsvFile, isCsvError, type CsvInspection } from '../import/csv/index.js';
import type { AuthContext } from './auth-service.js';
import { readMappingMemory } from './import-mapping-memory.js';

export interface ReceivedFile {
  uploadId: string;
  filename: string;
  /** Where the bytes are while the upload is not yet accepted. */
  tempPath: string;
  finalPath: string;
}

export interface UploadView {
  uploadId: string;
  filename: string;
  entityType: EntityType;
  headers: string[];
  rowCount: number;
  sample: Array<Record<string, string>>;
  detectedSource: SourceSystem | null;
  detectedReason: string;
  encoding: string;
  delimiter: string;
  warnings: string[];
  sizeBytes: number;
  suggestedMappings: SuggestionView[];
}

/** A mapping suggestion as the API shows it. */
export interface SuggestionView {
  sourceField: string;
  targetField: string | null;
  confidence: number;
  reason: string;
  transform?: Record<string, unknown>;
  alternatives?: Array<{ targetField: string | null; confidence: number }>;
}

function uploadDir(ctx: AppContext, organizationId: string): string {
  return join(ctx.config.dataDir, 'uploads', organizationId);
}

/** Stream one file part to disk. The multipart size limit (UPLOAD_MAX_BYTES) errors the stream: the file is removed and the error rethrown (413). */
export async function receiveFile(ctx: AppContext, auth: AuthContext, filename: string, stream: Readable): Promise<ReceivedFile> {
  const uploadId = randomUUID();
  const dir = uploadDir(ctx, auth.organizationId);
  await mkdir(dir, { recursive: true });
  const finalPath = join(dir, uploadId);
  const tempPath = `${finalPath}.part`;
  try {
    await pipeline(stream, createWriteStream(tempPath, { mode: 0o600 }));
    if ((stream as Readable & { truncated?: boolean }).truncated) {
      throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than the ${ctx.config.uploadMaxBytes.toLocaleString('en-US')}-byte upload limit.`);
    }
  } catch (err) {
    await rm(tempPath, { force: true });
    throw err;
  }
  return { uploadId, filename: filename.slice(0, 500) || 'upload.csv', tempPath, finalPath };
}

/** Discard a received file (the request failed after the file part). */
export async function discardFile(file: ReceivedFile): Promise<void> {
  await rm(file.tempPath, { force: true });
}

async function suggestionsFor(ctx: AppContext, auth: AuthContext, inspection: CsvInspection, entityType: EntityType): Promise<SuggestionView[]> {
  const source: SourceSystem = inspection.detectedSource ?? 'csv';
  const memory = await readMappingMemory(ctx.db, auth.organizationId, source, entityType);
  const llm = ctx.config.llm
    ? { baseUrl: ctx.config.llm.baseUrl, apiKey: ctx.config.llm.apiKey.reveal(), model: ctx.config.llm.model, sendSamples: ctx.config.llm.sendSamples, timeoutMs: ctx.config.llm.timeoutMs }
    : undefined;
  const result = await suggestMappings(
    {
      entityType,
      source,
      sourceFields: inspection.headers.slice(0, 2000).map((name) => ({ name, samples: inspection.sample.slice(0, 100).map((r) => (r[name] ?? '').slice(0, 10_000)) })),
      memory,
    },
    { llm },
  );
  return result.mappings as unknown as SuggestionView[];
}

/** Inspect a received file and record the upload; answers the upload response. */
export async function acceptUpload(ctx: AppContext, auth: AuthContext, file: ReceivedFile, entityTypeField: string | undefined): Promise<UploadView> {
  try {
    const entityType = entityTypeField ?? 'contacts';
    if (!isEntityType(entityType)) {
      throw new AppError('VALIDATION_FAILED', `entityType must be one of ${ENTITY_TYPES.join(', ')} (got ${JSON.stringify(entityType)}).`, {
        issues: [{ in: 'body', path: 'entityType', message: `must be one of ${ENTITY_TYPES.join(', ')}` }],
      });
    }
    let inspection: CsvInspection;
    try {
      inspection = await inspectCsvFile(file.tempPath, { sampleRows: 20 });
    } catch (err) {
      if (isCsvError(err)) throw new AppError('CSV_INVALID', err.message, { code: err.code, ...(err.line !== undefined ? { line: err.line } : {}) });
      throw err;
    }
    const suggestedMappings = await suggestionsFor(ctx, auth, inspection, entityType);
    await rename(file.tempPath, file.finalPath);
    await ctx.db.insert(uploads).values({
      id: file.uploadId,
      organizationId: auth.organizationId,
      userId: auth.userId,
      filename: file.filename,
      storagePath: file.finalPath,
      sizeBytes: inspection.sizeBytes,
      encoding: inspection.encoding,
      delimiter: inspection.delimiter,
      hasBom: inspection.hasBom,
      headers: inspection.headers,
      rowCount: inspection.rowCount,
      sample: inspection.sample,
      detectedSource: inspection.detectedSource,
    });
    return {
      uploadId: file.uploadId,
      filename: file.filename,
      entityType,
      headers: inspection.headers,
      rowCount: inspection.rowCount,
      sample: inspection.sample,
      detectedSource: inspection.detectedSource,
      detectedReason: inspection.detectedReason,
      encoding: inspection.encoding,
      delimiter: inspection.delimiter,
      warnings: inspection.warnings,
      sizeBytes: inspection.sizeBytes,
      suggestedMappings,
    };
  } catch (err) {
    await rm(file.tempPath, { force: true });
    await rm(file.finalPath, { force: true });
    throw err;
  }
}

/** An upload again (the wizard coming back to it), with suggestions for `entityType`. */
export async function getUploadView(ctx: AppContext, auth: AuthContext, uploadId: string, entityType: EntityType): Promise<UploadView> {
  const [row] = await ctx.db.select().from(uploads).where(and(eq(uploads.id, uploadId), eq(uploads.organizationId, auth.organizationId))).limit(1);
  if (!row) throw notFound('Upload');
  const inspection: CsvInspection = {
    encoding: row.encoding as CsvInspection['encoding'],
    hasBom: row.hasBom,
    delimiter: row.delimiter,
    headers: row.headers,
    rowCount: row.rowCount,
    sample: row.sample,
    detectedSource: (row.detectedSource ?? null) as CsvInspection['detectedSource'],
    detectedReason: '',
    warnings: [],
    sizeBytes: row.sizeBytes,
  };
  return {
    uploadId: row.id,
    filename: row.filename,
    entityType,
    headers: row.headers,
    rowCount: row.rowCount,
    sample: row.sample,
    detectedSource: inspection.detectedSource,
    detectedReason: '',
    encoding: row.encoding,
    delimiter: row.delimiter,
    warnings: [],
    sizeBytes: row.sizeBytes,
    suggestedMappings: await suggestionsFor(ctx, auth, inspection, entityType),
  };
}
