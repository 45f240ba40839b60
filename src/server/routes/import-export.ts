/**
 * /api/import-export: the import (issue 7) — CSV upload, starting CSV and Direct API imports, preview, runs with
 * live progress (Server-Sent Events), cancel / resume / undo, the error report, and adoption stats. The seed's
 * paths (`import-api`) are kept exactly. Thin: each handler parses, calls one service, maps the result.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { MANAGER_ROLES } from '../../services/auth-service.js';
import { previewImport } from '../../services/import-preview.js';
import { acceptUpload, discardFile, getUploadView, receiveFile, type ReceivedFile } from '../../services/import-upload-service.js';
import { errorReport } from '../../services/migration-errors.js';
import * as migrationsService from '../../services/migration-service.js';
import { migrationEvents } from '../../services/migration-events.js';
import { idParams } from '../schemas/common.js';
import { requireAuth } from '../route-types.js';
import {
  entityType, importApiBody, importCsvBody, listMigrationsQuery, migrationIdResponse, migrationView, previewBody, previewResponse, statsResponse,
  undoResponse, uploadView,
} from './import-export-schemas.js';

const tags = ['import'];

export async function importExportRoutes(parent: FastifyInstance, ctx: AppContext) {
  const app = parent.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/import-export/import-api',
    {
      config: { access: { roles: MANAGER_ROLES } },
      schema: {
        tags,
        summary: 'Start a Direct API import from a connected CRM (entityType "all" imports every entity given in fieldMappings, parents first)',
        body: importApiBody,
        response: { 202: migrationIdResponse },
      },
    },
    async (request, reply) => reply.status(202).send(await migrationsService.startApiImport(ctx, requireAuth(request.auth), request.body)),
  );

  app.post(
    '/import-export/csv/upload',
    {
      config: { access: { roles: MANAGER_ROLES } },
      schema: {
        tags,
        summary: 'Upload a CSV file (multipart: one file field named "file"; optional field "entityType", default contacts): inspected and answered with suggested mappings',
        consumes: ['multipart/form-data'],
        response: { 201: uploadView },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request.auth);
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data with a field named "file".');
      let file: ReceivedFile | undefined;
      let entity: string | undefined;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file' || file) {
              part.file.resume();
              throw new AppError('VALIDATION_FAILED', 'Send exactly one file, in the field named "file".', { issues: [{ in: 'body', path: part.fieldname, message: 'unexpected file field' }] });
            }
            file = await receiveFile(ctx, auth, part.filename, part.file);
          } else if (part.fieldname === 'entityType') {
            entity = String(part.value);
          }
        }
      } catch (err) {
        if (file) await discardFile(file);
        throw err;
      }
      if (!file) throw new AppError('VALIDATION_FAILED', 'No file was sent: add a field named "file" holding the CSV.', { issues: [{ in: 'body', path: 'file', message: 'required' }] });
      return reply.status(201).send(await acceptUpload(ctx, auth, file, entity));
    },
  );

  app.get(
    '/import-export/uploads/:id',
    {
      config: { access: { resource: 'upload' } },
      schema: {
        tags,
        summary: 'An upload, with suggested mappings for an entity',
        params: idParams,
        querystring: z.object({ entityType: entityType.default('contacts') }),
        response: { 200: uploadView },
      },
    },
    async (request) => getUploadView(ctx, requireAuth(request.auth), request.params.id, request.query.entityType),
  );

  app.post(
    '/import-export/import-csv',
    {
      config: { access: { roles: MANAGER_ROLES } },
      schema: {
        tags,
        summary: 'Start importing an uploaded CSV with a field mapping (remembered for next time)',
        body: importCsvBody,
        response: { 202: migrationIdResponse },
      },
    },
    async (request, reply) => reply.status(202).send(await migrationsService.startCsvImport(ctx, requireAuth(request.auth), request.body)),
  );

  app.post(
    '/import-export/preview',
    {
      config: { access: { roles: MANAGER_ROLES } },
      schema: {
        tags,
        summary: 'The first records as an import would store them, with validation errors; nothing is written',
        body: previewBody,
        response: { 200: previewResponse },
      },
    },
    async (request) => previewImport(ctx, requireAuth(request.auth), request.body),
  );

  app.get(
    '/import-export/migrations',
    {
      schema: {
        tags,
        summary: 'Import runs of the organization, newest first (keyset paging with nextCursor)',
        querystring: listMigrationsQuery,
        response: { 200: z.object({ migrations: z.array(migrationView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => migrationsService.listMigrations(ctx, requireAuth(request.auth), request.query),
  );

  app.get(
    '/import-export/migrations/:id',
    {
      config: { access: { resource: 'migration' } },
      schema: { tags, summary: 'One import run: status, phase, counts, rate, ETA, plan and reconciliation', params: idParams, response: { 200: migrationView } },
    },
    async (request) => migrationsService.getMigration(ctx, requireAuth(request.auth), request.params.id),
  );

  app.get(
    '/import-export/migrations/:id/events',
    {
      config: { access: { resource: 'migration' } },
      schema: {
        tags,
        summary: 'Progress as Server-Sent Events ("progress" events with the run, heartbeat comments; an "end" event when the run ends)',
        params: idParams,
        produces: ['text/event-stream'],
        response: { 200: z.string().describe('text/event-stream') },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request.auth);
      await migrationsService.requireMigration(ctx, auth, request.params.id);
      const controller = new AbortController();
      request.raw.on('close', () => controller.abort());
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      reply.hijack();
      try {
        for await (const chunk of migrationEvents(ctx, auth, request.params.id, controller.signal)) {
          if (!reply.raw.write(chunk)) await new Promise((resolve) => reply.raw.once('drain', resolve));
        }
      } catch (err) {
        if (!controller.signal.aborted) request.log.warn({ err }, 'progress stream failed');
      } finally {
        reply.raw.end();
      }
    },
  );

  app.post(
    '/import-export/migrations/:id/cancel',
    {
      config: { access: { roles: MANAGER_ROLES, resource: 'migration' } },
      schema: { tags, summary: 'Cancel a run: it stops after the current batch; records written so far are kept and reported', params: idParams, response: { 200: migrationView } },
    },
    async (request) => migrationsService.cancelMigration(ctx, requireAuth(request.auth), request.params.id),
  );

  app.post(
    '/import-export/migrations/:id/resume',
    {
      config: { access: { roles: MANAGER_ROLES, resource: 'migration' } },
      schema: { tags, summary: 'Resume a paused run now, or retry a failed one from its checkpoint', params: idParams, response: { 200: migrationView } },
    },
    async (request) => migrationsService.resumeMigration(ctx, requireAuth(request.auth), request.params.id),
  );

  app.post(
    '/import-export/migrations/:id/undo',
    {
      config: { access: { roles: MANAGER_ROLES, resource: 'migration' } },
      schema: { tags, summary: 'Undo a run that ended: delete the records it created (records it only updated are kept)', params: idParams, response: { 200: undoResponse } },
    },
    async (request) => migrationsService.undoMigration(ctx, requireAuth(request.auth), request.params.id),
  );

  app.get(
    '/import-export/migrations/:id/errors.csv',
    {
      config: { access: { resource: 'migration' } },
      schema: {
        tags,
        summary: 'The error report: one row per failed record (row number or source id, field, code, reason, the raw values), formula-safe',
        params: idParams,
        produces: ['text/csv'],
        response: { 200: z.string().describe('text/csv') },
      },
    },
    async (request, reply) => {
      const report = await errorReport(ctx, requireAuth(request.auth), request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${report.filename}"`)
        .send(Readable.from(report.lines) as unknown as string); // streamed, not serialised
    },
  );

  app.get(
    '/import-export/stats',
    {
      schema: { tags, summary: 'Adoption: runs by import method (CSV vs API), completion rate, records moved — for this organization', response: { 200: statsResponse } },
    },
    async (request) => migrationsService.migrationStats(ctx, requireAuth(request.auth)),
  );
}
