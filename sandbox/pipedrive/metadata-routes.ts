/**
 * Metadata: `GET /v1/{person,organization,deal,activity,note}Fields` (offset-paginated like other v1 lists;
 * custom fields keyed by 40-character hashes), one field by id, `GET /v1/deals/summary` (the only count
 * endpoint, 40 tokens), pipelines and stages. There is no `leadFields` endpoint: leads use deal fields.
 *
 * Pipelines and stages (openapi-v2 `getPipelines`, `getStages`; openapi-v1, deprecated): v2 is a cursor list
 * (`limit` ≤ 500, default 100; `additional_data.next_cursor`), 5 tokens; stages filter by `pipeline_id`. v1 stages
 * are an offset list carrying `pipeline_name`; v1 costs 10. Nothing is ever deleted here, so every stage and
 * pipeline is listed with `is_deleted: false` (`active_flag: true` in v1). [unverified] Whether the real v2 lists
 * include deleted stages; what an unknown `pipeline_id` filter answers (here: an empty list).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { FIELDS, PIPELINES, STAGES, type NumberedField, type PdObject } from './catalog.js';
import { resourceNotFound, unsupported, validation } from './errors.js';
import { COST, guard, type PdCtx, type ScopeArea } from './guard.js';
import { encodeCursor } from './ids.js';
import { query, rejectUnsupported, v1Paging, v1Pagination, v2Paging, type Query } from './query.js';

const FIELD_ENDPOINTS: readonly { path: string; object: PdObject; area: ScopeArea }[] = [
  { path: 'personFields', object: 'person', area: 'contacts' },
  { path: 'organizationFields', object: 'organization', area: 'contacts' },
  { path: 'dealFields', object: 'deal', area: 'deals' },
  { path: 'activityFields', object: 'activity', area: 'activities' },
  { path: 'noteFields', object: 'note', area: 'deals' },
];

const STAMP = '2019-02-04 13:58:03';
const V2_STAMP = '2019-02-04T13:58:03Z';

/** One v2 cursor page of an id-ordered list. */
function v2Slice<T extends { id: number }>(items: readonly T[], afterId: number, limit: number): { page: T[]; nextCursor: string | null } {
  const rest = items.filter((x) => x.id > afterId);
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rest.length > limit && last ? encodeCursor(last.id) : null };
}

/** The `pipeline_id` filter of the stage lists: undefined after a 400, null when absent. */
function pipelineFilter(q: Query, reply: FastifyReply): number | null | undefined {
  const raw = Array.isArray(q.pipeline_id) ? q.pipeline_id[q.pipeline_id.length - 1] : q.pipeline_id;
  if (raw === undefined || raw === '') return null;
  if (!/^\d+$/.test(raw)) return void validation(reply, 'pipeline_id: Expected number, received string');
  return Number(raw);
}

const pipelineName = (id: number): string => PIPELINES.find((p) => p.id === id)?.name ?? '';

function v2Stage(s: (typeof STAGES)[number]) {
  return {
    id: s.id, order_nr: s.order_nr, name: s.name, is_deleted: false, deal_probability: s.deal_probability, pipeline_id: s.pipeline_id,
    is_deal_rot_enabled: false, days_to_rotten: null, add_time: V2_STAMP, update_time: V2_STAMP,
  };
}

function v2Pipeline(p: (typeof PIPELINES)[number], k: number) {
  return { id: p.id, name: p.name, order_nr: k + 1, is_selected: k === 0, is_deleted: false, is_deal_probability_enabled: true, add_time: V2_STAMP, update_time: V2_STAMP };
}

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
    if (!guard(ctx, req, reply, 'deals', COST.v1Stages)) return reply;
    return { success: true, data: PIPELINES.map((p, k) => ({ id: p.id, name: p.name, url_title: p.key, order_nr: k + 1, active: true, deal_probability: true, add_time: STAMP, update_time: STAMP })) };
  });

  app.get('/api/v1/stages', async (req, reply) => {
    const q = query(req);
    if (!guard(ctx, req, reply, 'deals', COST.v1Stages)) return reply;
    if (!rejectUnsupported(q, reply, ['pipeline_id'])) return reply;
    const pipelineId = pipelineFilter(q, reply);
    if (pipelineId === undefined) return reply;
    const paging = v1Paging(q, reply);
    if (!paging) return reply;
    const all = STAGES.filter((s) => pipelineId === null || s.pipeline_id === pipelineId);
    const data = all.slice(paging.start, paging.start + paging.limit).map(({ key: _k, ...s }) => ({
      ...s, active_flag: true, rotten_flag: false, rotten_days: null, add_time: STAMP, update_time: STAMP,
      pipeline_name: pipelineName(s.pipeline_id), pipeline_deal_probability: true,
    }));
    return { success: true, data, additional_data: { pagination: v1Pagination(paging.start, paging.limit, data.length, all.length) } };
  });

  app.get('/api/v2/pipelines', async (req, reply) => {
    const q = query(req);
    if (!guard(ctx, req, reply, 'deals', COST.v2Stages)) return reply;
    if (!rejectUnsupported(q, reply)) return reply;
    const paging = v2Paging(q, reply);
    if (!paging) return reply;
    const { page, nextCursor } = v2Slice(PIPELINES.map((p, k) => v2Pipeline(p, k)), paging.afterId, paging.limit);
    return { success: true, data: page, additional_data: { next_cursor: nextCursor } };
  });

  app.get('/api/v2/stages', async (req, reply) => {
    const q = query(req);
    if (!guard(ctx, req, reply, 'deals', COST.v2Stages)) return reply;
    if (!rejectUnsupported(q, reply, ['pipeline_id'])) return reply;
    if (q.sort_by === 'order_nr') return unsupported(reply, 'sort_by=order_nr');
    const pipelineId = pipelineFilter(q, reply);
    if (pipelineId === undefined) return reply;
    const paging = v2Paging(q, reply);
    if (!paging) return reply;
    const all = STAGES.filter((s) => pipelineId === null || s.pipeline_id === pipelineId).map(v2Stage);
    const { page, nextCursor } = v2Slice(all, paging.afterId, paging.limit);
    return { success: true, data: page, additional_data: { next_cursor: nextCursor } };
  });
}
