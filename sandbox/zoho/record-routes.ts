/**
 * Records: `GET /crm/v8/{module}` (list with fields, page/per_page, page_token, sort), `/{module}/{id}`,
 * `/{module}/actions/count` and `/{module}/deleted`. Empty results are 204 No Content, as in Zoho.
 * Credits: 1 per call (api-limits.html); sorted lists take a sub-concurrency slot.
 * Not simulated (refused, or absent, rather than answered wrongly): cvid, filtered counts, `If-Modified-Since`
 * (incremental reads), search and COQL.
 */
import type { FastifyInstance } from 'fastify';
import { MSG, zohoError } from './errors.js';
import { guard, moduleScope, SCOPES, type Ctx } from './guard.js';
import { parseZohoId, zohoDateTime } from './ids.js';
import { ordered, parseListRequest } from './list.js';
import { findModule, type ModuleSpec } from './modules.js';
import { encodePageToken, TOKEN_TTL_MS } from './paging.js';
import { renderRecord, withCompanions } from './render.js';

type Q = Record<string, string | undefined>;

/** Modules the count API supports (module_record_count.html lists no Notes). */
const COUNTABLE = new Set(['Accounts', 'Contacts', 'Leads', 'Deals', 'Tasks', 'Events', 'Calls']);

export function recordRoutes(app: FastifyInstance, ctx: Ctx): void {
  const { modules, render } = ctx.state;

  /** Unknown modules need no scope: the caller authenticates, then gets 400 INVALID_MODULE. */
  const scopeFor = (m: ModuleSpec | undefined) => (m ? [moduleScope(m.api)] : []);
  const invalidModule = (reply: Parameters<typeof zohoError>[0]) => zohoError(reply, 400, 'INVALID_MODULE', MSG.invalidModule);

  app.get('/crm/v8/:module', async (req, reply) => {
    const { module } = req.params as { module: string };
    const q = req.query as Q;
    const m = findModule(module);
    const token = guard(ctx, req, reply, { scopes: scopeFor(m), credits: 1, heavy: q.sort_by !== undefined });
    if (!token) return reply;
    if (!m) return invalidModule(reply);
    if (req.headers['if-modified-since'] !== undefined) return zohoError(reply, 400, 'NOT_SUPPORTED', 'the sandbox does not simulate If-Modified-Since', { header: 'If-Modified-Since' });
    const now = ctx.clock.now();
    const r = parseListRequest(ctx.state, m, q, token.subject.userId, now);
    if ('code' in r) {
      ctx.reject('bad_request');
      return zohoError(reply, r.status, r.code, r.message, r.details);
    }
    const live = m.api === 'Leads' && r.converted === 'true' ? { length: 0, at: () => 0 } : modules.live(m);
    const list = ordered(ctx.state, m, live, r.sortBy, r.sortOrder);
    if (r.offset >= list.length) return reply.code(204).send();
    const end = Math.min(list.length, r.offset + r.perPage);
    const fields = withCompanions(m, modules, r.fields);
    const data = [];
    for (let k = r.offset; k < end; k++) data.push(renderRecord(m, modules.record(m, list.at(k)), fields, render));
    const expiry = now + TOKEN_TTL_MS;
    const tok = (offset: number) => encodePageToken(ctx.state.tokenKey, { m: m.code, o: offset, u: token.subject.userId, e: expiry, b: r.binding });
    const more = end < list.length;
    return {
      data,
      info: {
        call: false, per_page: r.perPage, count: data.length, page: r.page, sort_by: r.sortBy, sort_order: r.sortOrder, email: false,
        more_records: more,
        next_page_token: more ? tok(end) : null,
        previous_page_token: r.offset > 0 ? tok(Math.max(0, r.offset - r.perPage)) : null,
        page_token_expiry: zohoDateTime(expiry),
      },
    };
  });

  app.get('/crm/v8/:module/:id', async (req, reply) => {
    const { module, id } = req.params as { module: string; id: string };
    const m = findModule(module);
    if (!guard(ctx, req, reply, { scopes: scopeFor(m), credits: 1 })) return reply;
    if (!m) return invalidModule(reply);
    const parsed = parseZohoId(id);
    const live = modules.live(m);
    let index = -1;
    if (parsed && parsed.code === m.code) {
      // Binary search: index lists are ascending.
      let lo = 0;
      let hi = live.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const v = live.at(mid);
        if (v === parsed.index) {
          index = v;
          break;
        }
        if (v < parsed.index) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    if (index < 0) return zohoError(reply, 400, 'INVALID_DATA', 'the id given seems to be invalid', { id });
    const fields = m.fields.filter((f) => !f.hidden);
    return { data: [renderRecord(m, modules.record(m, index), withCompanions(m, modules, fields), render)] };
  });

  app.get('/crm/v8/:module/actions/count', async (req, reply) => {
    const { module } = req.params as { module: string };
    const q = req.query as Q;
    const m = findModule(module);
    if (!guard(ctx, req, reply, { scopes: [...scopeFor(m), SCOPES.search, SCOPES.layouts], credits: 1 })) return reply;
    if (!m) return invalidModule(reply);
    if (!COUNTABLE.has(m.api)) return zohoError(reply, 400, 'INVALID_MODULE', MSG.unsupportedModule);
    const search = ['criteria', 'email', 'phone', 'word'].filter((k) => q[k] !== undefined);
    if (q.cvid !== undefined && search.length > 0) return zohoError(reply, 400, 'AMBIGUITY_DURING_PROCESSING', 'You cannot use cvid with search parameters', { ambiguity_due_to: ['cvid', ...search] });
    // Filtered counts (criteria, email, phone, word, cvid) are not simulated: refuse rather than answer wrongly.
    if (q.cvid !== undefined || search.length > 0) return zohoError(reply, 400, 'INVALID_QUERY', 'the sandbox counts whole modules only', { param_name: q.cvid !== undefined ? 'cvid' : search[0] });
    return { count: modules.live(m).length };
  });

  app.get('/crm/v8/:module/deleted', async (req, reply) => {
    const { module } = req.params as { module: string };
    const q = req.query as Q;
    const m = findModule(module);
    if (!guard(ctx, req, reply, { scopes: scopeFor(m), credits: 1 })) return reply;
    if (!m) return invalidModule(reply);
    const type = q.type ?? 'all';
    if (type !== 'all' && type !== 'recycle' && type !== 'permanent') return zohoError(reply, 400, 'PATTERN_NOT_MATCHED', 'Please check whether the input values are correct', { param_name: 'type' });
    const perPage = Math.min(200, Math.max(1, Number(q.per_page ?? 200) || 200));
    const page = Math.max(1, Number(q.page ?? 1) || 1);
    // Deleted world records count as still in the recycle bin (Zoho keeps them 60 days there).
    const list = type === 'permanent' ? { length: 0, at: () => 0 } : modules.deleted(m);
    const start = (page - 1) * perPage;
    if (start >= list.length) return reply.code(204).send();
    const end = Math.min(list.length, start + perPage);
    const data = [];
    for (let k = start; k < end; k++) {
      const rec = modules.record(m, list.at(k));
      const owner = render.owner(rec.ownerIndex);
      const title = m.fields[0]?.value(rec, render);
      data.push({
        deleted_by: { name: owner.name, id: owner.id }, id: renderRecord(m, rec, [], render).id,
        display_name: typeof title === 'string' ? title : null, type: 'recycle',
        created_by: { name: owner.name, id: owner.id }, deleted_time: zohoDateTime(rec.deletedAt ?? rec.updatedAt),
      });
    }
    return { data, info: { per_page: perPage, count: data.length, page, more_records: end < list.length } };
  });
}
