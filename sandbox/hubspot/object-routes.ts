/**
 * CRM object reads: list (`limit` ≤ 100, opaque `after`, `properties`, `associations`, `archived`), read by id,
 * batch read (≤ 100 ids; 207 with `errors` for missing ones) and search (its own 5/s limit, ≤ 200 per page,
 * 10,000-result cap). https://developers.hubspot.com/docs/guides/crm/using-object-apis
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiError, notFound, validation } from './errors.js';
import { guard, send } from './guard.js';
import { decodeAfter, encodeAfter, resolveObjectType, type ObjectType } from './objects.js';
import { renderCtx, renderRecord, requestedAssociations, requestedProperties } from './records.js';
import { planSearch, SearchError, type SearchBody } from './search.js';
import type { Ctx } from './state.js';

export const LIST_MAX_LIMIT = 100;

/** Resolves `:objectType` and authenticates with its scope; null after replying (401/403/429 or 400 unknown object). */
function objectAndAuth(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, search = false): ObjectType | null {
  const raw = (req.params as { objectType: string }).objectType;
  const t = resolveObjectType(raw);
  if (!guard(ctx, req, reply, { scope: t?.scope, search })) return null;
  if (!t) {
    ctx.reject('bad_request');
    void send(reply, 400, validation(`Unable to infer object type from: ${raw}`));
    return null;
  }
  return t;
}

const bad = (ctx: Ctx, reply: FastifyReply, message: string) => {
  ctx.reject('bad_request');
  return send(reply, 400, validation(message));
};

export function registerObjectRoutes(app: FastifyInstance, ctx: Ctx): void {
  const rc = renderCtx(ctx.world);
  const searchCache = new Map<string, Int32Array | null>();

  app.get('/crm/v3/objects/:objectType', async (req, reply) => {
    const t = objectAndAuth(ctx, req, reply);
    if (!t) return reply;
    const q = req.query as Record<string, string | string[] | undefined>;
    const limit = q.limit === undefined ? 10 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > LIST_MAX_LIMIT) {
      return bad(ctx, reply, `Invalid input: limit must be between 1 and ${LIST_MAX_LIMIT}, got ${String(q.limit)}`);
    }
    const archived = q.archived === 'true';
    const list = ctx.state.index.of(t);
    const [from, to] = archived ? [list.live, list.live + list.archived] : [0, list.live];
    let start = from;
    if (typeof q.after === 'string' && q.after !== '') {
      const id = decodeAfter(q.after);
      if (id === null) return bad(ctx, reply, `Invalid input: after "${q.after}" is not a valid paging cursor`);
      start = Math.max(from, list.positionOf(id, archived));
    }
    const end = Math.min(to, start + limit);
    const props = requestedProperties(t, q.properties);
    const assoc = requestedAssociations(q.associations);
    const results = [];
    for (let k = start; k < end; k++) results.push(renderRecord(t, list.at(k), props, assoc, rc));
    if (end >= to) return { results };
    const after = encodeAfter(list.at(end) + 1);
    const link = `${ctx.baseUrl(req)}/crm/v3/objects/${t.name}?${new URLSearchParams({ ...(q.properties ? { properties: String(q.properties) } : {}), limit: String(limit), after })}`;
    return { results, paging: { next: { after, link } } };
  });

  app.get('/crm/v3/objects/:objectType/:objectId', async (req, reply) => {
    const t = objectAndAuth(ctx, req, reply);
    if (!t) return reply;
    const { objectId } = req.params as { objectId: string };
    const q = req.query as Record<string, string | string[] | undefined>;
    const i = ctx.state.index.indexOfId(t, objectId);
    const archived = q.archived === 'true';
    if (i === null || (i >= ctx.world.counts[t.entity]) !== archived) {
      return send(reply, 404, { ...notFound('Object not found.  objectId are usually numeric.'), context: { id: [objectId] } });
    }
    return renderRecord(t, i, requestedProperties(t, q.properties), requestedAssociations(q.associations), rc);
  });

  app.post('/crm/v3/objects/:objectType/batch/read', async (req, reply) => {
    const t = objectAndAuth(ctx, req, reply);
    if (!t) return reply;
    const body = (req.body ?? {}) as { inputs?: { id?: unknown }[]; properties?: string[]; propertiesWithHistory?: string[] };
    const inputs = Array.isArray(body.inputs) ? body.inputs : null;
    if (!inputs) return bad(ctx, reply, 'Invalid input JSON: "inputs" is required');
    const max = body.propertiesWithHistory?.length ? 50 : 100;
    if (inputs.length > max) return bad(ctx, reply, `Batch input limit exceeded: ${inputs.length} inputs, the maximum is ${max}`);
    const archived = (req.query as { archived?: string }).archived === 'true';
    const startedAt = new Date(ctx.clock.now()).toISOString();
    const props = requestedProperties(t, body.properties);
    const results = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const id = String(input?.id ?? '');
      const i = ctx.state.index.indexOfId(t, id);
      if (i === null || (i >= ctx.world.counts[t.entity]) !== archived) missing.push(id);
      else results.push(renderRecord(t, i, props, [], rc));
    }
    const done = { status: 'COMPLETE', results, startedAt, completedAt: new Date(ctx.clock.now()).toISOString() };
    if (missing.length === 0) return done;
    const error = { ...apiError('OBJECT_NOT_FOUND', `Could not get some ${t.upper} objects, they may be deleted or not exist. Check that ids are valid.`), context: { ids: missing } };
    delete (error as { correlationId?: string }).correlationId;
    return send(reply, 207, { ...done, numErrors: 1, errors: [error] });
  });

  app.post('/crm/v3/objects/:objectType/search', async (req, reply) => {
    const t = objectAndAuth(ctx, req, reply, true);
    if (!t) return reply;
    const body = (req.body ?? {}) as SearchBody;
    let plan;
    try {
      plan = planSearch(t, body);
    } catch (err) {
      if (err instanceof SearchError) return bad(ctx, reply, err.message);
      throw err;
    }
    const list = ctx.state.index.of(t);
    let hits = searchCache.get(plan.key);
    if (hits === undefined) {
      hits = plan.matches(ctx.world, list, rc);
      if (searchCache.size >= 16) searchCache.delete(searchCache.keys().next().value as string);
      searchCache.set(plan.key, hits);
    }
    const total = hits === null ? list.live : hits.length;
    const end = Math.min(total, plan.after + plan.limit);
    const props = requestedProperties(t, body.properties);
    const results = [];
    for (let k = plan.after; k < end; k++) results.push(renderRecord(t, list.at(hits === null ? k : hits[k]!), props, [], rc));
    return end < total ? { total, results, paging: { next: { after: String(end), link: `?after=${end}` } } } : { total, results };
  });
}

