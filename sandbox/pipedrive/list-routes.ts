/**
 * Organizations, persons, deals and activities: the v2 cursor lists (`limit` ≤ 500, `additional_data.next_cursor`,
 * null at the end; openapi-v2), v2 GET by id, the deprecated v1 offset lists (`start`/`limit`,
 * `additional_data.pagination`) and v1 GET by id. Records are rendered from world indices one page at a time.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { COLLECTIONS, type Collection, type ListQuery } from './collections.js';
import { encodeCursor, idOf } from './ids.js';
import { entityNotFound, resourceNotFound, unsupported } from './errors.js';
import { COST, guard, type PdCtx } from './guard.js';
import { dealStatuses, query, rejectUnsupported, v1Paging, v1Pagination, v2Ids, v2Paging } from './query.js';

/** The ids of one v2 page, and whether more follow. */
function v2Page(ctx: PdCtx, c: Collection, afterId: number, limit: number, ids: number[] | null, q: ListQuery): { ids: number[]; more: boolean } {
  const out: number[] = [];
  const source: Iterable<number> = ids ? ids.filter((id) => id > afterId && c.matches(ctx, id, q)) : c.scan(ctx, afterId, q);
  for (const id of source) {
    if (out.length === limit) return { ids: out, more: true };
    out.push(id);
  }
  return { ids: out, more: false };
}

/** Ids at offsets start … start + limit - 1 of the full v1 list, and the list's length. */
function v1Slice(ctx: PdCtx, c: Collection, start: number, limit: number): { ids: number[]; total: number } {
  if (c.name === 'activities') {
    const idx = ctx.state.activityIndices();
    return { ids: Array.from(idx.subarray(start, start + limit), idOf), total: idx.length };
  }
  const total = { organizations: ctx.world.counts.accounts, persons: ctx.world.counts.contacts, deals: ctx.world.counts.deals }[c.name];
  const ids: number[] = [];
  for (let id = start + 1; id <= Math.min(total, start + limit); id++) ids.push(id);
  return { ids, total };
}

/**
 * Large pages go out as one UTF-8 Buffer: Fastify would otherwise measure the JSON string with Buffer.byteLength and
 * encode it again on write, which for text outside Latin-1 (names in many scripts) costs more than rendering.
 */
export function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(Buffer.from(JSON.stringify(body), 'utf8'));
}

function parseId(raw: string): number {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
}

export function listRoutes(app: FastifyInstance, ctx: PdCtx): void {
  for (const c of COLLECTIONS) {
    app.get(`/api/v2/${c.name}`, async (req, reply) => {
      const q = query(req);
      if (!guard(ctx, req, reply, c.area, COST.v2List)) return reply;
      if (!rejectUnsupported(q, reply)) return reply;
      const paging = v2Paging(q, reply);
      if (!paging) return reply;
      const ids = v2Ids(q, reply);
      if (ids === undefined) return reply;
      let statuses: Set<string> | null | undefined = null;
      if (c.name === 'deals') {
        statuses = dealStatuses(q, reply);
        if (statuses === undefined) return reply;
      }
      const lq: ListQuery = statuses ? { statuses } : {};
      const page = v2Page(ctx, c, paging.afterId, paging.limit, ids, lq);
      const mode = paging.labels ? 'labels' : 'ids';
      const data = page.ids.map((id) => c.v2(ctx, id, mode));
      const last = page.ids[page.ids.length - 1];
      return sendJson(reply, { success: true, data, additional_data: { next_cursor: page.more && last !== undefined ? encodeCursor(last) : null } });
    });

    app.get(`/api/v2/${c.name}/:id`, async (req, reply) => {
      if (!guard(ctx, req, reply, c.area, COST.v2Get)) return reply;
      const id = parseId((req.params as { id: string }).id);
      if (!c.exists(ctx, id)) return entityNotFound(reply);
      const labels = query(req).include_option_labels === 'true';
      return { success: true, data: c.v2(ctx, id, labels ? 'labels' : 'ids') };
    });

    // Deprecated in favour of v2 (openapi-v1 `deprecated: true`) but still served.
    app.get(`/api/v1/${c.name}`, async (req, reply) => {
      const q = query(req);
      if (!guard(ctx, req, reply, c.area, COST.v1List)) return reply;
      if (!rejectUnsupported(q, reply)) return reply;
      if (q.status !== undefined && q.status !== 'all_not_deleted') return unsupported(reply, 'status');
      const paging = v1Paging(q, reply);
      if (!paging) return reply;
      const slice = v1Slice(ctx, c, paging.start, paging.limit);
      return sendJson(reply, {
        success: true,
        data: slice.ids.length === 0 ? null : slice.ids.map((id) => c.v1(ctx, id)),
        additional_data: { pagination: v1Pagination(paging.start, paging.limit, slice.ids.length, slice.total) },
      });
    });

    app.get(`/api/v1/${c.name}/:id`, async (req, reply) => {
      if (!guard(ctx, req, reply, c.area, COST.v1Get)) return reply;
      const id = parseId((req.params as { id: string }).id);
      if (!c.exists(ctx, id)) return resourceNotFound(reply, c.resource);
      return { success: true, data: c.v1(ctx, id) };
    });
  }
}
