/**
 * Bulk API 2.0 query jobs: create (UploadComplete), then InProgress and JobComplete as time passes (or Failed
 * for objects switched to fail, or Aborted), results in CSV chunks paged by an opaque `locator` (base64 of the
 * row offset, as Salesforce's look) with Sforce-Locator ("null" on the last chunk) and Sforce-NumberOfRecords.
 * Rows are generated lazily while the CSV streams.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { guard, notFound, sfError } from './errors.js';
import { KEY_PREFIX, sfDateTime, sfId } from './ids.js';
import { bulkCsvStream } from './csv-writer.js';
import { plan } from './query.js';
import { soqlError, versionOf } from './rest-routes.js';
import { parseSoql } from './soql.js';
import type { BulkJob, JobState, SalesforceCtx } from './state.js';

/** Rows per results chunk when the client sends no maxRecords [unverified: Salesforce sizes chunks itself]. */
export const DEFAULT_MAX_RECORDS = 50_000;
const DELIMITERS = { COMMA: ',', CARET: '^', PIPE: '|', SEMICOLON: ';', TAB: '\t', BACKQUOTE: '`' } as const;

const createBody = z.object({
  operation: z.enum(['query', 'queryAll']),
  query: z.string().min(1),
  contentType: z.literal('CSV').optional(),
  columnDelimiter: z.enum(['COMMA', 'CARET', 'PIPE', 'SEMICOLON', 'TAB', 'BACKQUOTE']).optional(),
  lineEnding: z.enum(['LF', 'CRLF']).optional(),
});

function stateOf(ctx: SalesforceCtx, job: BulkJob): JobState {
  if (job.forcedState === 'Aborted') return 'Aborted';
  const age = ctx.clock.now() - job.createdAt;
  if (age < Math.min(50, ctx.state.switches.bulkProcessingMs / 4)) return 'UploadComplete';
  if (age < ctx.state.switches.bulkProcessingMs) return 'InProgress';
  return job.forcedState ?? 'JobComplete';
}

function info(ctx: SalesforceCtx, job: BulkJob) {
  const state = stateOf(ctx, job);
  return {
    id: job.id, operation: job.operation, object: job.object, createdById: job.createdById,
    createdDate: sfDateTime(job.createdAt), systemModstamp: sfDateTime(job.createdAt), state,
    concurrencyMode: 'Parallel', contentType: 'CSV', apiVersion: Number(job.apiVersion.slice(1)), jobType: 'V2Query',
    lineEnding: job.lineEnding, columnDelimiter: Object.entries(DELIMITERS).find(([, d]) => d === job.columnDelimiter)?.[0] ?? 'COMMA',
    numberRecordsProcessed: state === 'JobComplete' ? job.plan.rows.length : 0, retries: 0,
    totalProcessingTime: state === 'JobComplete' ? ctx.state.switches.bulkProcessingMs : 0, isPkChunkingSupported: true,
    ...(state === 'Failed' ? { errorMessage: `Failed to process query: the Salesforce sandbox is set to fail Bulk API 2.0 jobs on ${job.object}` } : {}),
  };
}

const isTerminal = (s: JobState) => s === 'JobComplete' || s === 'Failed' || s === 'Aborted';
const encodeLocator = (offset: number) => Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
function decodeLocator(raw: string): number | null {
  const s = Buffer.from(raw, 'base64').toString('utf8');
  return /^\d+$/.test(s) ? Number(s) : null;
}

export function bulkRoutes(app: FastifyInstance, ctx: SalesforceCtx): void {
  const jobOf = (params: unknown, reply: FastifyReply): BulkJob | null => {
    const job = ctx.state.jobs.get((params as { id: string }).id);
    if (!job) void notFound(reply);
    return job ?? null;
  };

  app.post('/services/data/:version/jobs/query', async (req, reply) => {
    const version = versionOf(req, reply);
    if (!version) return reply;
    const body = createBody.safeParse(req.body);
    if (!body.success) {
      ctx.reject('bad_request');
      return sfError(reply, 400, 'INVALIDJOB', `Invalid job request: ${body.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    const token = guard(ctx, req, reply, { bulkJob: true });
    if (!token) return reply;
    let p;
    try {
      const q = parseSoql(body.data.query);
      // What Bulk API 2.0 refuses (create-job reference: no aggregates, OFFSET, subqueries, TYPEOF, FIELDS()).
      const refuse = q.count ? 'Aggregate queries are not supported by Bulk API 2.0'
        : q.offset !== null ? 'OFFSET clause is not supported by Bulk API 2.0'
        : q.unsupported.length > 0 ? `${q.unsupported.join(', ')} is not supported by Bulk API 2.0`
        : null;
      if (refuse) {
        ctx.reject('bad_request');
        return await sfError(reply, 400, 'INVALIDJOB', refuse);
      }
      p = plan(q, body.data.operation === 'queryAll', ctx.state.spaces);
    } catch (err) {
      ctx.reject('bad_request');
      return soqlError(reply, err);
    }
    if (!p.object.bulk) {
      ctx.reject('bad_request');
      return sfError(reply, 400, 'INVALIDJOB', `Entity '${p.object.name}' is not supported by the Bulk API.`);
    }
    const job: BulkJob = {
      id: sfId(KEY_PREFIX.Job, ++ctx.state.seq), operation: body.data.operation, object: p.object.name, plan: p, apiVersion: version,
      createdById: token.subject.userId, createdAt: ctx.clock.now(),
      columnDelimiter: DELIMITERS[body.data.columnDelimiter ?? 'COMMA'], lineEnding: body.data.lineEnding ?? 'LF',
      forcedState: ctx.state.switches.bulkFail.has(p.object.name.toLowerCase()) ? 'Failed' : null, endedAt: null,
    };
    ctx.state.jobs.set(job.id, job);
    return info(ctx, job);
  });

  app.get('/services/data/:version/jobs/query', async (req, reply) => {
    if (!versionOf(req, reply) || !guard(ctx, req, reply)) return reply;
    return { done: true, records: [...ctx.state.jobs.values()].map((j) => info(ctx, j)), nextRecordsUrl: null };
  });

  app.get('/services/data/:version/jobs/query/:id', async (req, reply) => {
    if (!versionOf(req, reply) || !guard(ctx, req, reply)) return reply;
    const job = jobOf(req.params, reply);
    return job ? info(ctx, job) : reply;
  });

  app.patch('/services/data/:version/jobs/query/:id', async (req, reply) => {
    if (!versionOf(req, reply) || !guard(ctx, req, reply)) return reply;
    const job = jobOf(req.params, reply);
    if (!job) return reply;
    if ((req.body as { state?: string } | null)?.state !== 'Aborted') return sfError(reply, 400, 'INVALIDJOBSTATE', 'Only state Aborted can be set on a query job');
    const state = stateOf(ctx, job);
    if (isTerminal(state)) return sfError(reply, 400, 'INVALIDJOBSTATE', `Job is already in a terminal state: ${state}`);
    job.forcedState = 'Aborted';
    job.endedAt = ctx.clock.now();
    return info(ctx, job);
  });

  app.delete('/services/data/:version/jobs/query/:id', async (req, reply) => {
    if (!versionOf(req, reply) || !guard(ctx, req, reply)) return reply;
    const job = jobOf(req.params, reply);
    if (!job) return reply;
    if (stateOf(ctx, job) === 'InProgress') return sfError(reply, 400, 'INVALIDJOBSTATE', 'A job in progress cannot be deleted; abort it first');
    ctx.state.jobs.delete(job.id);
    return reply.code(204).send();
  });

  app.get('/services/data/:version/jobs/query/:id/results', async (req, reply) => {
    const version = versionOf(req, reply);
    if (!version || !guard(ctx, req, reply)) return reply;
    const job = jobOf(req.params, reply);
    if (!job) return reply;
    if (job.apiVersion !== version) return sfError(reply, 409, 'INVALIDVERSION', `Job ${job.id} was created with API ${job.apiVersion}; read its results with the same version`);
    const state = stateOf(ctx, job);
    if (state !== 'JobComplete') return sfError(reply, 412, 'JOB_NOT_COMPLETE', `Job ${job.id} is in state ${state}; results are available once it is JobComplete`);
    const q = req.query as { locator?: string; maxRecords?: string };
    const from = q.locator ? decodeLocator(q.locator) : 0;
    if (from === null || from > job.plan.rows.length) return sfError(reply, 400, 'INVALIDLOCATOR', `Invalid locator: ${q.locator}`);
    const max = q.maxRecords === undefined ? DEFAULT_MAX_RECORDS : Number(q.maxRecords);
    if (!Number.isInteger(max) || max < 1) return sfError(reply, 400, 'INVALIDMAXRECORDS', `maxRecords must be a positive integer: ${q.maxRecords}`);
    const to = Math.min(job.plan.rows.length, from + max);
    const p = job.plan;
    return reply
      .header('sforce-locator', to < p.rows.length ? encodeLocator(to) : 'null')
      .header('sforce-numberofrecords', String(to - from))
      .type('text/csv')
      .send(bulkCsvStream(p, from, to, job.columnDelimiter, job.lineEnding === 'CRLF' ? '\r\n' : '\n'));
  });
}
