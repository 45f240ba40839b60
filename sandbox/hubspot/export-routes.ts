/**
 * The CRM exports API: start an async export (202 `{id, links}`), poll its task status (PENDING → PROCESSING →
 * COMPLETE with a short-lived pre-signed `result` URL, or CANCELED), download the CSV. Exports run one at a time
 * per account (later ones queue). Rows are generated lazily from world indices and streamed.
 * Decisions where the docs are silent: with exportInternalValuesOptions NAMES the header row holds internal
 * property names and the record id column is `hs_object_id` (else labels and "Record ID"); VALUES gives internal
 * values (else option labels and "YYYY-MM-DD HH:mm" dates); associated records are one "Associated Company IDs"-
 * style column each, ids separated by ";". HubSpot splits exports over 1,000,000 rows into a ZIP of several CSVs;
 * this sandbox sends a ZIP holding one CSV above `exportZipRows` (default 1,000,000).
 * https://developers.hubspot.com/docs/api-reference/crm-exports-v3/guide
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { csvChunks, csvStream, zipSingleFile, type CsvValue } from '../common/index.js';
import { linksOf } from './associations.js';
import { notFound, validation } from './errors.js';
import { guard, send } from './guard.js';
import { resolveObjectType, type ObjectType } from './objects.js';
import { propertyOf, type PropDef } from './properties.js';
import { renderCtx } from './records.js';
import type { Ctx, ExportJob } from './state.js';

/** How long a result URL stays valid after the status call that handed it out. */
const URL_TTL_MS = 5 * 60_000;
const DISPLAY: Record<string, string> = { companies: 'Company', contacts: 'Contact', deals: 'Deal' };

interface ExportBody {
  exportType?: string;
  format?: string;
  exportName?: string;
  objectType?: string;
  objectProperties?: unknown;
  associatedObjectType?: unknown;
  exportInternalValuesOptions?: unknown;
  listId?: string;
}

export function exportStatus(job: ExportJob, now: number): 'PENDING' | 'PROCESSING' | 'COMPLETE' | 'CANCELED' {
  if (now < job.startedAt) return 'PENDING';
  if (job.outcome === 'stuck' || now < job.completedAt) return 'PROCESSING';
  return job.outcome === 'canceled' ? 'CANCELED' : 'COMPLETE';
}

function labelValue(p: PropDef, v: string | null): CsvValue {
  if (v === null) return null;
  if (p.type === 'enumeration') return p.options?.find((o) => o.value === v)?.label ?? v;
  if (p.type === 'datetime') return v.slice(0, 16).replace('T', ' ');
  if (p.type === 'bool') return v === 'true' ? 'Yes' : 'No';
  return v;
}

export function registerExportRoutes(app: FastifyInstance, ctx: Ctx): void {
  const secret = randomBytes(32);
  const sign = (id: string, expires: number) => createHmac('sha256', secret).update(`${id}.${expires}`).digest('hex');
  const rc = renderCtx(ctx.world);

  app.post('/crm/v3/exports/export/async', async (req, reply) => {
    const token = guard(ctx, req, reply, { scope: 'crm.export' });
    if (!token) return reply;
    const b = (req.body ?? {}) as ExportBody;
    const fail = (m: string) => {
      ctx.reject('bad_request');
      return send(reply, 400, validation(m));
    };
    if (b.exportType !== 'VIEW') return fail(b.exportType === 'LIST' ? 'This sandbox exports views only (exportType VIEW)' : `exportType must be VIEW or LIST, got ${String(b.exportType)}`);
    if (b.format !== 'CSV') return fail(`This sandbox exports CSV only, got format ${String(b.format)}`);
    if (!b.exportName) return fail('exportName is required');
    const object = resolveObjectType(b.objectType);
    if (!object) return fail(`Unable to infer object type from: ${String(b.objectType)}`);
    if (!Array.isArray(b.objectProperties) || b.objectProperties.length === 0) return fail('objectProperties must list at least one property');
    const properties = (b.objectProperties as unknown[]).map(String);
    const unknown = properties.filter((n) => !propertyOf(object, n));
    if (unknown.length > 0) return fail(`Properties do not exist on ${object.upper}: ${unknown.join(', ')}`);
    const rawAssoc = b.associatedObjectType === undefined ? [] : Array.isArray(b.associatedObjectType) ? b.associatedObjectType : [b.associatedObjectType];
    const associated: ObjectType[] = [];
    for (const a of rawAssoc) {
      const t = resolveObjectType(String(a));
      if (!t) return fail(`Unable to infer object type from: ${String(a)}`);
      associated.push(t);
    }
    const opts = Array.isArray(b.exportInternalValuesOptions) ? b.exportInternalValuesOptions.map(String) : [];
    const now = ctx.clock.now();
    const rows = ctx.state.index.of(object).live;
    const startedAt = Math.max(now, ctx.state.exportQueueFreeAt);
    const completedAt = startedAt + ctx.state.exportBaseMs + Math.ceil(rows / 1000) * ctx.state.exportMsPer1k;
    const outcome = ctx.state.exportOutcome;
    ctx.state.exportQueueFreeAt = outcome === 'stuck' ? startedAt + ctx.state.exportBaseMs : completedAt;
    const id = String(ctx.state.nextExportId++);
    ctx.state.exports.set(id, {
      id, object, exportName: b.exportName, properties, associated, names: opts.includes('NAMES'), values: opts.includes('VALUES'),
      requestedAt: now, startedAt, completedAt, outcome, orgId: token.subject.orgId,
    });
    return send(reply, 202, { id, links: { status: `${ctx.baseUrl(req)}/crm/v3/exports/export/async/tasks/${id}/status` } });
  });

  app.get('/crm/v3/exports/export/async/tasks/:taskId/status', async (req, reply) => {
    const token = guard(ctx, req, reply, { scope: 'crm.export' });
    if (!token) return reply;
    const job = ctx.state.exports.get((req.params as { taskId: string }).taskId);
    if (!job || job.orgId !== token.subject.orgId) return send(reply, 404, notFound('Export task not found'));
    const now = ctx.clock.now();
    const status = exportStatus(job, now);
    const iso = (ms: number) => new Date(ms).toISOString();
    const body: Record<string, unknown> = { status, requestedAt: iso(job.requestedAt), links: {} };
    if (status !== 'PENDING') body.startedAt = iso(job.startedAt);
    if (status === 'COMPLETE' || status === 'CANCELED') body.completedAt = iso(job.completedAt);
    if (status === 'COMPLETE') {
      const expires = Math.floor((now + URL_TTL_MS) / 1000);
      const file = encodeURIComponent(`${job.exportName}.${ctx.state.index.of(job.object).live > ctx.state.exportZipRows ? 'zip' : 'csv'}`);
      body.result = `${ctx.baseUrl(req)}/hubspot-exports/${job.id}/${file}?Expires=${expires}&Signature=${sign(job.id, expires)}`;
    }
    return body;
  });

  // The pre-signed download (HubSpot hands out a cloud-storage URL): no Authorization, no API rate limits.
  app.get('/hubspot-exports/:taskId/:file', async (req, reply) => {
    const { taskId } = req.params as { taskId: string };
    const q = req.query as { Expires?: string; Signature?: string };
    const job = ctx.state.exports.get(taskId);
    const expires = Number(q.Expires);
    const expected = Buffer.from(sign(taskId, expires));
    const given = Buffer.from(String(q.Signature ?? ''));
    const denied = (why: string) => reply.code(403).type('application/xml').send(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${why}</Message></Error>`);
    if (!job || !Number.isFinite(expires) || given.length !== expected.length || !timingSafeEqual(given, expected)) return denied('Access Denied');
    if (ctx.clock.now() > expires * 1000) return denied('Request has expired');
    const j: ExportJob = job;
    const list = ctx.state.index.of(j.object);
    const props = j.properties.map((n) => propertyOf(job.object, n)!).filter((p) => p.name !== 'hs_object_id');
    const header = [
      job.names ? 'hs_object_id' : 'Record ID',
      ...props.map((p) => (job.names ? p.name : p.label)),
      ...job.associated.map((t) => `Associated ${DISPLAY[t.name] ?? t.upper} IDs`),
    ];
    const world = ctx.world;
    const t = job.object;
    function* rows(): Generator<CsvValue[]> {
      for (let k = 0; k < list.live; k++) {
        const i = list.at(k);
        const r = world.get(t.entity, i);
        const row: CsvValue[] = [String(i + 1)];
        for (const p of props) {
          const v = p.get(r as never, rc);
          row.push(j.values ? v : labelValue(p, v));
        }
        if (j.associated.length > 0) {
          const links = linksOf(t, r);
          for (const a of j.associated) row.push(links[a.name as keyof typeof links] ?? null);
        }
        yield row;
      }
    }
    if (list.live > ctx.state.exportZipRows) {
      return reply.type('application/zip').send(zipSingleFile(`${job.exportName}.csv`, csvChunks(header, rows())));
    }
    return reply.type('text/csv; charset=utf-8').send(csvStream(header, rows()));
  });
}
