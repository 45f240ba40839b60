/**
 * v1-only objects: leads (`GET /v1/leads`: offset paging, sorted by creation time, `additional_data` holding
 * `start`, `limit`, `more_items_in_collection` directly, as openapi-v1 `GetLeadsResponse` has it), notes
 * (`GET /v1/notes`: offset paging with `additional_data.pagination`), lead labels and users.
 */
import type { FastifyInstance } from 'fastify';
import { LEAD_LABELS } from './catalog.js';
import { resourceNotFound } from './errors.js';
import { COST, guard, type PdCtx } from './guard.js';
import { idOf, indexOf, leadIndex } from './ids.js';
import { query, rejectUnsupported, v1Paging, v1Pagination } from './query.js';
import { v1Lead, v1Me, v1Note, v1User } from './render-v1.js';
import { firstAfter } from './state.js';
import { sendJson } from './list-routes.js';

export function v1Routes(app: FastifyInstance, ctx: PdCtx): void {
  app.get('/api/v1/leads', async (req, reply) => {
    const q = query(req);
    if (!guard(ctx, req, reply, 'leads', COST.v1List)) return reply;
    if (!rejectUnsupported(q, reply)) return reply;
    const paging = v1Paging(q, reply);
    if (!paging) return reply;
    const order = ctx.state.leadOrder();
    const slice = order.subarray(paging.start, paging.start + paging.limit);
    const data = Array.from(slice, (i) => v1Lead(ctx.world.lead(i)));
    return sendJson(reply, {
      success: true,
      data,
      additional_data: { start: paging.start, limit: paging.limit, more_items_in_collection: paging.start + data.length < order.length },
    });
  });

  app.get('/api/v1/leads/:id', async (req, reply) => {
    if (!guard(ctx, req, reply, 'leads', COST.v1Get)) return reply;
    const i = leadIndex((req.params as { id: string }).id);
    if (i === null || i >= ctx.world.counts.leads) return resourceNotFound(reply, 'Lead');
    return { success: true, data: v1Lead(ctx.world.lead(i)) };
  });

  app.get('/api/v1/leadLabels', async (req, reply) => {
    if (!guard(ctx, req, reply, 'leads', COST.v1List)) return reply;
    return { success: true, data: LEAD_LABELS.map(({ id, name, color }) => ({ id, name, color, add_time: '2019-02-04T13:58:03.000Z', update_time: '2019-02-04T13:58:03.000Z' })) };
  });

  // "deals:read" covers deals, notes, files, pipelines and stages (marketplace-scopes-and-permissions-explanations).
  app.get('/api/v1/notes', async (req, reply) => {
    const q = query(req);
    if (!guard(ctx, req, reply, 'deals', COST.v1List)) return reply;
    if (!rejectUnsupported(q, reply)) return reply;
    const paging = v1Paging(q, reply);
    if (!paging) return reply;
    const notes = ctx.state.noteIndices();
    const slice = notes.subarray(paging.start, paging.start + paging.limit);
    return sendJson(reply, {
      success: true,
      data: slice.length === 0 ? null : Array.from(slice, (i) => v1Note(ctx.world, ctx.world.activity(i))),
      additional_data: { pagination: v1Pagination(paging.start, paging.limit, slice.length, notes.length) },
    });
  });

  app.get('/api/v1/notes/:id', async (req, reply) => {
    if (!guard(ctx, req, reply, 'deals', COST.v1Get)) return reply;
    const raw = (req.params as { id: string }).id;
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
    const notes = ctx.state.noteIndices();
    const k = firstAfter(notes, id - 1);
    if (!(k < notes.length && idOf(notes[k] as number) === id)) return resourceNotFound(reply, 'Note');
    return { success: true, data: v1Note(ctx.world, ctx.world.activity(indexOf(id))) };
  });

  app.get('/api/v1/users/me', async (req, reply) => {
    const token = guard(ctx, req, reply, 'base', COST.v1Get);
    if (!token) return reply;
    return { success: true, data: v1Me(ctx.world.owners[0]!) };
  });

  app.get('/api/v1/users', async (req, reply) => {
    if (!guard(ctx, req, reply, 'users', COST.v1List)) return reply;
    return { success: true, data: ctx.world.owners.map((o) => v1User(o, o.index === 0)) };
  });
}
