/**
 * Bulk Read (bulk export), https://www.zoho.com/crm/developer/docs/api/v8/bulk-read/overview.html:
 *   POST /crm/bulk/v8/read            {query:{module:{api_name}, fields?, page? | page_token?}} → 201, state ADDED (50 credits)
 *   GET  /crm/bulk/v8/read/{id}       ADDED → QUEUED → IN PROGRESS → COMPLETED | FAILURE, advancing with time;
 *                                     when done, result {page, per_page:200000, count, download_url, more_records, next_page_token}
 *   GET  /crm/bulk/v8/read/{id}/result  a ZIP holding {id}.csv, streamed (10 downloads per minute, else 429)
 * Each job exports up to 200,000 records; page 1 needs no token, later pages need the previous result's
 * next_page_token (user-specific, 24 h). Notes (and Attachments, Emails) are not supported; neither are sort
 * or criteria here (criteria are not simulated: refused rather than ignored), and no callback is ever posted
 * (clients poll). Rows come in id order.
 */
import type { FastifyInstance } from 'fastify';
import { csvChunks, zipSingleFile, type CsvValue } from '../common/index.js';
import { MSG, zohoError } from './errors.js';
import { guard, moduleScope, SCOPES, type Ctx } from './guard.js';
import { CODE, moduleId, zohoDateTime, zohoId } from './ids.js';
import { findModule, moduleByCode } from './modules.js';
import { bindingOf, decodePageToken, encodePageToken, TOKEN_TTL_MS } from './paging.js';
import { bulkColumn, type Column } from './render.js';
import type { BulkJob } from './state.js';

type JobState = 'ADDED' | 'QUEUED' | 'IN PROGRESS' | 'COMPLETED' | 'FAILURE';

export function bulkRoutes(app: FastifyInstance, ctx: Ctx): void {
  const { state } = ctx;
  const BULK_PAGE = state.settings.bulkPageSize;

  function stateOf(job: BulkJob, now: number): JobState {
    const s = state.settings;
    const t = now - job.createdAt;
    if (t < s.bulkQueueMs / 2) return 'ADDED';
    if (t < s.bulkQueueMs) return 'QUEUED';
    if (t < s.bulkQueueMs + (job.count / s.bulkRecordsPerSecond) * 1000) return 'IN PROGRESS';
    return job.fail ? 'FAILURE' : 'COMPLETED';
  }

  const bulkToken = (job: BulkJob, offset: number) =>
    encodePageToken(state.tokenKey, { m: job.module.code, o: offset, u: job.userId, e: job.createdAt + TOKEN_TTL_MS, b: bindingOf(['bulk', job.module.code]) });

  function details(job: BulkJob, now: number) {
    const st = stateOf(job, now);
    const owner = ctx.state.render.owner(0);
    return {
      id: job.id, operation: 'read', state: st,
      query: { ...job.query, module: { id: moduleId(job.module.api), api_name: job.module.api }, page: job.page },
      created_by: { id: job.userId, name: owner.name }, created_time: zohoDateTime(job.createdAt), file_type: 'csv',
      ...(st === 'COMPLETED'
        ? {
            result: {
              page: job.page, per_page: BULK_PAGE, count: job.count, download_url: `/crm/bulk/v8/read/${job.id}/result`, more_records: job.moreRecords,
              ...(job.moreRecords ? { next_page_token: bulkToken(job, job.page * BULK_PAGE) } : {}),
            },
          }
        : {}),
    };
  }

  app.post('/crm/bulk/v8/read', async (req, reply) => {
    const body = (req.body ?? {}) as { query?: Record<string, unknown>; file_type?: string };
    const query = body.query;
    const moduleName = (query?.module as { api_name?: unknown } | undefined)?.api_name;
    const m = typeof moduleName === 'string' ? findModule(moduleName) : undefined;
    const token = guard(ctx, req, reply, { scopes: [SCOPES.bulk, ...(m ? [moduleScope(m.api)] : [])], credits: 50 });
    if (!token) return reply;
    const bad = (code: string, message: string, details: Record<string, unknown>) => {
      ctx.reject('bad_request');
      return zohoError(reply, 400, code, message, details);
    };
    if (!query || typeof query !== 'object') return bad('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'query' });
    let page = 1;
    let tokenModule: number | undefined;
    if (query.page_token !== undefined) {
      if (query.page !== undefined) return bad('AMBIGUITY_DURING_PROCESSING', 'You cannot use both page and page_token', { ambiguity_due_to: ['page', 'page_token'] });
      const t = typeof query.page_token === 'string' ? decodePageToken(state.tokenKey, query.page_token) : null;
      if (t === null || t.u !== token.subject.userId || t.o % BULK_PAGE !== 0) return bad('INVALID_DATA', 'The token given seems to be invalid', { api_name: 'page_token' });
      if (ctx.clock.now() >= t.e) return bad('EXPIRED_VALUE', 'The token given has expired', { api_name: 'page_token' });
      page = t.o / BULK_PAGE + 1;
      tokenModule = t.m;
    } else if (query.page !== undefined) {
      if (!Number.isInteger(query.page) || (query.page as number) < 1) return bad('INVALID_DATA', 'invalid data', { api_name: 'page' });
      if ((query.page as number) > 1) return bad('DISCRETE_PAGINATION_LIMIT_EXCEEDED', `You can only get the first ${BULK_PAGE} records without using page_token`, { api_name: 'page' });
    }
    const module = m ?? (tokenModule === undefined ? undefined : moduleByCode(tokenModule));
    if (!module) return bad(moduleName === undefined ? 'MANDATORY_NOT_FOUND' : 'INVALID_MODULE', moduleName === undefined ? 'required field not found' : MSG.invalidModule, { api_name: 'module' });
    if (tokenModule !== undefined && tokenModule !== module.code) return bad('INVALID_DATA', 'The token given seems to be invalid', { api_name: 'page_token' });
    if (!module.bulk) return bad('NOT_SUPPORTED', `Bulk Read is not supported for the ${module.api} module`, { api_name: 'module' });
    if (query.criteria !== undefined || query.cvid !== undefined) return bad('NOT_SUPPORTED', 'the sandbox does not filter bulk reads (criteria, cvid)', { api_name: query.criteria !== undefined ? 'criteria' : 'cvid' });
    if (body.file_type !== undefined && body.file_type !== 'csv') return bad('NOT_SUPPORTED', 'only CSV exports are simulated', { api_name: 'file_type' });
    const requested = Array.isArray(query.fields) && query.fields.length > 0 ? query.fields : module.fields.filter((f) => !f.hidden).map((f) => f.api);
    const columns = ['id'];
    for (const f of requested) {
      if (typeof f !== 'string' || !bulkColumn(module, state.modules, f)) return bad('INVALID_DATA', 'the field name given seems to be invalid', { api_name: String(f) });
      if (!columns.includes(f)) columns.push(f);
    }
    const total = state.modules.live(module).length;
    const start = (page - 1) * BULK_PAGE;
    const count = Math.max(0, Math.min(BULK_PAGE, total - start));
    const job: BulkJob = {
      id: zohoId(CODE.Jobs, ++state.jobSeq), module, columns, page, count, moreRecords: start + count < total,
      createdAt: ctx.clock.now(), userId: token.subject.userId, orgId: token.subject.orgId,
      fail: state.settings.bulkFailModules.has(module.api), query: { fields: requested },
    };
    state.jobs.set(job.id, job);
    const owner = ctx.state.render.owner(0);
    return reply.code(201).send({
      data: [{
        status: 'success', code: 'ADDED_SUCCESSFULLY', message: 'Added successfully.',
        details: { id: job.id, operation: 'read', state: 'ADDED', created_by: { id: job.userId, name: owner.name }, created_time: zohoDateTime(job.createdAt) },
      }],
      info: {},
    });
  });

  const notFound = (reply: Parameters<typeof zohoError>[0]) => zohoError(reply, 404, 'RESOURCE_NOT_FOUND', "The requested resource doesn't exist.");

  app.get('/crm/bulk/v8/read/:id', async (req, reply) => {
    const job = state.jobs.get((req.params as { id: string }).id);
    const token = guard(ctx, req, reply, { scopes: [SCOPES.bulk, ...(job ? [moduleScope(job.module.api)] : [])], credits: 1 });
    if (!token) return reply;
    if (!job || job.orgId !== token.subject.orgId) return notFound(reply);
    return { data: [details(job, ctx.clock.now())] };
  });

  app.get('/crm/bulk/v8/read/:id/result', async (req, reply) => {
    const job = state.jobs.get((req.params as { id: string }).id);
    const token = guard(ctx, req, reply, { scopes: [SCOPES.bulk, ...(job ? [moduleScope(job.module.api)] : [])], credits: 1, download: true });
    if (!token) return reply;
    if (!job || job.orgId !== token.subject.orgId) return notFound(reply);
    const st = stateOf(job, ctx.clock.now());
    if (st !== 'COMPLETED') return zohoError(reply, 400, 'NOT_ALLOWED', st === 'FAILURE' ? 'the bulk read job failed' : 'the bulk read job is not completed yet', { state: st });
    const columns = job.columns.map((c) => bulkColumn(job.module, state.modules, c)) as Column[];
    const list = state.modules.live(job.module);
    const start = (job.page - 1) * BULK_PAGE;
    const { modules, render } = state;
    function* rows(): Generator<CsvValue[]> {
      for (let k = start; k < start + job!.count; k++) {
        const r = modules.record(job!.module, list.at(k));
        const row: CsvValue[] = new Array(columns.length);
        for (let c = 0; c < columns.length; c++) row[c] = (columns[c] as Column).read(r, render);
        yield row;
      }
    }
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${job.id}.zip"`)
      .send(zipSingleFile(`${job.id}.csv`, csvChunks(job.columns, rows())));
  });
}
