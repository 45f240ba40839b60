/**
 * REST API under /services/data/vNN.N (v47.0 and later): query and queryAll with nextRecordsUrl cursors
 * (batches of 200–2,000 via Sforce-Query-Options; 10 open cursors per user, 15 minutes idle), describe,
 * limits and limits/recordCount. https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeGlobal, describeObject } from './describe.js';
import { guard, notFound, sfError } from './errors.js';
import { KEY_PREFIX, sfId } from './ids.js';
import { OBJECTS, objectSpec } from './objects.js';
import { plan, renderJson, type Plan } from './query.js';
import { parseSoql, SoqlError, type SoqlQuery } from './soql.js';
import type { QueryCursor, SalesforceCtx } from './state.js';

export const MIN_VERSION = 47;
export const MAX_BATCH = 2000;
export const MIN_BATCH = 200;
const MAX_CURSORS_PER_USER = 10;
const CURSOR_IDLE_MS = 15 * 60_000;

/** `v62.0` → 62, or null when it is not an API version the sandbox serves. */
export function apiVersion(raw: string): number | null {
  const m = /^v(\d+)\.0$/.exec(raw);
  return m && Number(m[1]) >= MIN_VERSION ? Number(m[1]) : null;
}

/** Version check shared by every /services/data/:version route: 404 like an unknown path. */
export function versionOf(req: FastifyRequest, reply: FastifyReply): string | null {
  const v = (req.params as { version: string }).version;
  if (apiVersion(v) === null) {
    void notFound(reply);
    return null;
  }
  return v;
}

/** Sforce-Query-Options: batchSize=N, clamped to 200–2,000 (Salesforce treats it as a hint). */
export function batchSizeOf(req: FastifyRequest): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(String(req.headers['sforce-query-options'] ?? ''));
  const n = m ? Number(m[1]) : MAX_BATCH;
  return Math.min(MAX_BATCH, Math.max(MIN_BATCH, n));
}

export function soqlError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof SoqlError) return sfError(reply, 400, err.code, err.message);
  throw err;
}

function openCursor(ctx: SalesforceCtx, p: Plan, userId: string, batchSize: number): QueryCursor {
  const now = ctx.clock.now();
  const mine = [...ctx.state.cursors.values()].filter((c) => c.userId === userId).sort((a, b) => a.lastUsedAt - b.lastUsedAt);
  // The oldest open cursor is dropped when a user opens an eleventh.
  while (mine.length >= MAX_CURSORS_PER_USER) ctx.state.cursors.delete(mine.shift()!.id);
  const id = sfId(KEY_PREFIX.QueryLocator, ++ctx.state.seq).slice(0, 15);
  const cursor: QueryCursor = { id, plan: p, userId, batchSize, lastUsedAt: now };
  ctx.state.cursors.set(id, cursor);
  return cursor;
}

function page(ctx: SalesforceCtx, p: Plan, from: number, batch: number, version: string, kind: string, cursor: QueryCursor | null) {
  const to = Math.min(p.rows.length, from + batch);
  const records = new Array<Record<string, unknown>>(to - from);
  for (let j = from; j < to; j++) records[j - from] = renderJson(p, p.rows[j] as number, version);
  const done = to >= p.rows.length;
  if (done && cursor) ctx.state.cursors.delete(cursor.id);
  return {
    totalSize: p.rows.length, done,
    ...(done || !cursor ? {} : { nextRecordsUrl: `/services/data/${version}/${kind}/${cursor.id}-${to}` }),
    records,
  };
}

export function restRoutes(app: FastifyInstance, ctx: SalesforceCtx): void {
  app.get('/services/data', async () => {
    return Array.from({ length: 62 - MIN_VERSION + 1 }, (_, k) => ({ label: `v${MIN_VERSION + k}.0`, url: `/services/data/v${MIN_VERSION + k}.0`, version: `${MIN_VERSION + k}.0` }));
  });

  for (const kind of ['query', 'queryAll'] as const) {
    app.get(`/services/data/:version/${kind}`, async (req, reply) => {
      const version = versionOf(req, reply);
      if (!version) return reply;
      const token = guard(ctx, req, reply);
      if (!token) return reply;
      const q = (req.query as { q?: string }).q;
      if (!q) return sfError(reply, 400, 'MALFORMED_QUERY', 'A query string has to be specified');
      let parsed: SoqlQuery;
      let p: Plan;
      try {
        parsed = parseSoql(q);
        p = plan(parsed, kind === 'queryAll', ctx.state.spaces);
      } catch (err) {
        ctx.reject('bad_request');
        return soqlError(reply, err);
      }
      if (parsed.unsupported.length > 0) {
        ctx.reject('bad_request');
        return sfError(reply, 400, 'MALFORMED_QUERY', `The Salesforce sandbox does not evaluate ${parsed.unsupported.join(', ')} in SOQL`);
      }
      if (p.count) return { totalSize: p.rows.length, done: true, records: [] };
      const batch = batchSizeOf(req);
      const cursor = p.rows.length > batch ? openCursor(ctx, p, token.subject.userId, batch) : null;
      return page(ctx, p, 0, batch, version, kind, cursor);
    });

    app.get(`/services/data/:version/${kind}/:locator`, async (req, reply) => {
      const version = versionOf(req, reply);
      if (!version) return reply;
      if (!guard(ctx, req, reply)) return reply;
      const m = /^(01g[0-9A-Za-z]{12})-(\d+)$/.exec((req.params as { locator: string }).locator);
      const cursor = m ? ctx.state.cursors.get(m[1] as string) : undefined;
      const now = ctx.clock.now();
      if (cursor && now - cursor.lastUsedAt > CURSOR_IDLE_MS) ctx.state.cursors.delete(cursor.id);
      if (!m || !cursor || now - cursor.lastUsedAt > CURSOR_IDLE_MS || Number(m[2]) > cursor.plan.rows.length) {
        ctx.reject('bad_request');
        return sfError(reply, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      }
      cursor.lastUsedAt = now;
      return page(ctx, cursor.plan, Number(m[2]), req.headers['sforce-query-options'] ? batchSizeOf(req) : cursor.batchSize, version, kind, cursor);
    });
  }

  app.get('/services/data/:version/sobjects', async (req, reply) => {
    const version = versionOf(req, reply);
    if (!version || !guard(ctx, req, reply)) return reply;
    return describeGlobal(Object.values(OBJECTS), version);
  });

  app.get('/services/data/:version/sobjects/:object/describe', async (req, reply) => {
    const version = versionOf(req, reply);
    if (!version || !guard(ctx, req, reply)) return reply;
    const o = objectSpec((req.params as { object: string }).object);
    if (!o) return notFound(reply);
    return describeObject(o, version);
  });

  app.get('/services/data/:version/limits', async (req, reply) => {
    const version = versionOf(req, reply);
    if (!version) return reply;
    const token = guard(ctx, req, reply);
    if (!token) return reply;
    const org = token.subject.orgId;
    const daily = ctx.limits.peek('daily', org);
    const jobs = ctx.limits.peek('bulkJobs', org);
    return {
      DailyApiRequests: { Max: daily.limit, Remaining: daily.remaining },
      DailyBulkV2QueryJobs: { Max: jobs.limit, Remaining: jobs.remaining },
      DailyBulkV2QueryFileStorageMB: { Max: 976_562, Remaining: 976_562 },
    };
  });

  // Approximate counts from the storage statistics; live rows only.
  app.get('/services/data/:version/limits/recordCount', async (req, reply) => {
    const version = versionOf(req, reply);
    if (!version || !guard(ctx, req, reply)) return reply;
    const names = String((req.query as { sObjects?: string }).sObjects ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const objects = names.length ? names.map((n) => objectSpec(n)).filter((o) => o !== undefined) : Object.values(OBJECTS);
    return { sObjects: objects.map((o) => ({ count: ctx.state.spaces(o).live, name: o.name })) };
  });
}
