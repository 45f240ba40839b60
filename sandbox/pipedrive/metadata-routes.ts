/**
 * Metadata: `GET /v1/{person,organization,deal,activity,note}Fields` (offset-paginated like other v1 lists;
 * custom fields keyed by 40-character hashes), one field by id, `GET /v1/deals/summary` (the only count
 * endpoint, 40 tokens), pipelines and stages. There is no `leadFields` endpoint: leads use deal fields.
 */
import type { FastifyInstance } from 'fastify';
import { FIELDS, PIPELINES, STAGES, type NumberedField, type PdObject } from './catalog.js';
import { resourceNotFound, unsupported } from './errors.js';
import { COST, guard, type PdCtx, type ScopeArea } from './guard.js';
import { query, rejectUnsupported, v1Paging, v1Pagination } from './query.js';

const FIELD_ENDPOINTS: readonly { path: string; object: PdObject; area: ScopeArea }[] = [
  { path: 'personFields', object: 'person', area: 'contacts' },
  { path: 'organizationFields', object: 'organization', area: 'contacts' },
  { path: 'dealFields', object: 'deal', area: 'deals' },
  { path: 'activityFields', object: 'activity', area: 'activities' },
  { path: 'noteFields', object: 'note', area: 'deals' },
];

const STAMP = '2019-02-04 13:58:03';

function renderField(f: NumberedField) {
  return {
    id: f.id, key: f.key, name: f.name, order_nr: f.order_nr, field_type: f.field_type, add_time: STAMP, update_time: STAMP,
    last_updated_by_user_id: f.custom ? 23_000_001 : null, created_by_user_id: f.custom ? 23_000_001 : null, active_flag: true,
    edit_flag: f.custom, index_visible_flag: true, details_visible_flag: true, add_visible_flag: !f.custom, important_flag: false,
    bulk_edit_allowed: f.key !== 'id', searchable_flag: f.field_type === 'varchar', filtering_allowed: true, sortable_flag: true,
    options: f.options ? f.options.map((o) => ({ ...o })) : null, mandatory_flag: f.key === 'name' || f.key === 'title',
  };
}

export function metadataRoutes(app: FastifyInstance, ctx: PdCtx): void {
  for (const e of FIELD_ENDPOINTS) {
    app.get(`/api/v1/${e.path}`, async (req, reply) => {
      const q = query(req);
      if (!guard(ctx, req, reply, e.area, COST.fields)) return reply;
      if (!rejectUnsupported(q, reply)) return reply;
      const paging = v1Paging(q, reply);
      if (!paging) return reply;
      const all = FIELDS[e.object];
      const data = all.slice(paging.start, paging.start + paging.limit).map(renderField);
      return { success: true, data, additional_data: { pagination: v1Pagination(paging.start, paging.limit, data.length, all.length) } };
    });
    app.get(`/api/v1/${e.path}/:id`, async (req, reply) => {
      if (!guard(ctx, req, reply, e.area, COST.v1Get)) return reply;
      const id = Number((req.params as { id: string }).id);
      const f = FIELDS[e.object].find((x) => x.id === id);
      if (!f) return resourceNotFound(reply, 'Field');
      return { success: true, data: renderField(f) };
    });
  }

  app.get('/api/v1/deals/summary', async (req, reply) => {
    const q = query(req);
    if (!guard(ctx, req, reply, 'deals', COST.summary)) return reply;
    if (!rejectUnsupported(q, reply)) return reply;
    if (q.status !== undefined) return unsupported(reply, 'status');
    const s = ctx.state.dealsSummary();
    const total = Object.values(s.values_total).reduce((a, v) => a + v.value, 0);
    return {
      success: true,
      data: {
        values_total: s.values_total, weighted_values_total: {}, total_count: s.total_count,
        total_currency_converted_value: total, total_weighted_currency_converted_value: 0,
        total_currency_converted_value_formatted: `USD ${total.toFixed(2)}`, total_weighted_currency_converted_value_formatted: 'USD 0.00',
      },
    };
  });

  app.get('/api/v1/pipelines', async (req, reply) => {
    if (!guard(ctx, req, reply, 'deals', COST.v1List)) return reply;
    return { success: true, data: PIPELINES.map((p, k) => ({ id: p.id, name: p.name, url_title: p.key, order_nr: k + 1, active: true, deal_probability: true, add_time: STAMP, update_time: STAMP })) };
  });

  app.get('/api/v1/stages', async (req, reply) => {
    if (!guard(ctx, req, reply, 'deals', COST.v1List)) return reply;
    return { success: true, data: STAGES.map(({ key: _k, ...s }) => ({ ...s, active_flag: true, rotten_flag: false, rotten_days: null, add_time: STAMP, update_time: STAMP })) };
  });
}
