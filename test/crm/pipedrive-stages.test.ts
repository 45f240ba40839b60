/**
 * Pipedrive deals carry stage and pipeline names, not just ids. The sandbox's `GET /v2/stages` and `/v2/pipelines`
 * (shape, paging, filter, token cost, Pipedrive's own SDK reading them); the client naming every deal's stage and
 * pipeline as the sandbox world has them on the paged and the bulk path, reading the two lists once per client,
 * lazily, weighted with their token cost; a stage the lists do not know (deleted) leaving the name empty; the
 * name fields in describeFields and the mapping the app suggests from them; and the parse-level rules on canned pages.
 */
import { v2 } from 'pipedrive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityType } from '../../src/core/ids.js';
import { suggestMappingsSync } from '../../src/core/mapping/engine.js';
import { UnlimitedBudget } from '../../src/crm/http/budget.js';
import { ENTITY_OBJECTS } from '../../src/crm/pipedrive/definition.js';
import { pipedriveCrm } from '../../src/crm/pipedrive/index.js';
import { ParseError, parseNamedPage, parsePage, type PipelineNames } from '../../src/crm/pipedrive/parse.js';
import type { CrmApiClient, RateBudget, SourceRecord } from '../../src/crm/types.js';
import { DEAL_STAGES, startSandbox, type RunningSandbox, type WorldDeal } from '../../sandbox/common/index.js';
import { pipedriveSandbox } from '../../sandbox/pipedrive/index.js';
import { connectSandbox, createTestClient, type SandboxConnection } from '../helpers/sandbox-connection.js';
import { readBulk, readPaged } from '../helpers/read-all.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RECORDS = { accounts: 20, contacts: 60, leads: 3, deals: 1_234, activities: 0 };
const OPEN = DEAL_STAGES.filter((s) => s.status === 'open');
const PIPELINE_NAMES = { default: 'Sales pipeline', renewals: 'Renewals' } as const;

/**
 * What a deal of the world shows in Pipedrive: its pipeline's name and its stage's label. The sandbox has stages for
 * the open world stages only (Pipedrive has no won/lost stages: status says that), so a won or lost deal stays in
 * its pipeline's last stage.
 */
function expected(d: WorldDeal) {
  const stage = d.status === 'open' ? d.stage.label : OPEN[OPEN.length - 1]!.label;
  return { id: String(d.index + 1), stage_name: stage, pipeline_name: PIPELINE_NAMES[d.pipeline], status: d.status };
}
const seen = (r: SourceRecord) => ({ id: r.id, stage_name: r.fields.stage_name, pipeline_name: r.fields.pipeline_name, status: r.fields.status });

const paged = (client: CrmApiClient, entity: EntityType, limit: number) => readPaged(client, entity, limit);

const bulk = (client: CrmApiClient, entity: EntityType) => readBulk(client, entity);

/** A budget that lets everything through and remembers each request's weight. */
class RecordingBudget implements RateBudget {
  readonly weights: number[] = [];
  readonly #inner = new UnlimitedBudget('pipedrive');
  acquire(rateClass: string | undefined, weight: number, signal?: AbortSignal) {
    this.weights.push(weight);
    return this.#inner.acquire(rateClass, weight, signal);
  }
  observe() {
    return this.#inner.observe();
  }
  blockUntil(until: Date, reason: 'rate_limited' | 'quota_exhausted') {
    return this.#inner.blockUntil(until, reason);
  }
}

describe('Pipedrive stages and pipelines against the sandbox', () => {
  let s: RunningSandbox;
  let conn: SandboxConnection;
  const stats = () => fetch(`${s.url}/_sandbox/stats`).then((r) => r.json() as Promise<Json>);
  const post = (path: string, body: unknown = {}) => fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const get = async (path: string) => {
    const res = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${conn.tokens.accessToken}` } });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const requests = async (endpoint: string) => ((await stats()).requests.byEndpoint[endpoint] as number | undefined) ?? 0;
  const dailyUsed = async () => ((await stats()).rateLimits.windows as Json[]).find((w) => w.policy === 'daily')!.peak as number;
  const world = () => s.instance.ctx.world;
  const worldDeals = () => Array.from({ length: world().counts.deals }, (_, i) => world().deal(i));

  beforeAll(async () => {
    // Realistic limits so the sandbox charges each request's token cost (a small read stays far below them).
    s = await startSandbox(pipedriveSandbox, { records: RECORDS, rateLimits: 'realistic' }, { port: 0 });
    conn = await connectSandbox(pipedriveCrm, s.url);
  });
  afterAll(() => s.close());

  describe('the sandbox serves them as Pipedrive does', () => {
    it('GET /api/v2/stages and /api/v2/pipelines: the openapi-v2 item shapes, cursor paging, the pipeline_id filter', async () => {
      const stages = await get('/api/v2/stages?limit=500');
      expect(stages.status).toBe(200);
      expect(stages.body.additional_data).toEqual({ next_cursor: null });
      expect(stages.body.data).toHaveLength(2 * OPEN.length);
      expect(Object.keys(stages.body.data[0]).sort()).toEqual(
        ['add_time', 'days_to_rotten', 'deal_probability', 'id', 'is_deal_rot_enabled', 'is_deleted', 'name', 'order_nr', 'pipeline_id', 'update_time'],
      );
      expect(stages.body.data[0]).toMatchObject({ name: OPEN[0]!.label, pipeline_id: 1, order_nr: 1, is_deleted: false, add_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });

      const pipelines = await get('/api/v2/pipelines');
      expect(pipelines.body.data.map((p: Json) => [p.id, p.name, p.is_selected])).toEqual([[1, 'Sales pipeline', true], [2, 'Renewals', false]]);
      expect(Object.keys(pipelines.body.data[0]).sort()).toEqual(['add_time', 'id', 'is_deal_probability_enabled', 'is_deleted', 'is_selected', 'name', 'order_nr', 'update_time']);

      // Pages of 3 follow next_cursor to the end, each stage once, in id order.
      const ids: number[] = [];
      let cursor: string | null = null;
      for (let k = 0; k < 10; k++) {
        const page = await get(`/api/v2/stages?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.body.data.length).toBeLessThanOrEqual(3);
        ids.push(...page.body.data.map((x: Json) => x.id as number));
        cursor = page.body.additional_data.next_cursor;
        if (cursor === null) break;
      }
      expect(ids).toEqual(stages.body.data.map((x: Json) => x.id));

      const renewals = await get('/api/v2/stages?pipeline_id=2');
      expect(renewals.body.data.map((x: Json) => x.name)).toEqual(OPEN.map((x) => x.label));
      expect(new Set(renewals.body.data.map((x: Json) => x.pipeline_id))).toEqual(new Set([2]));
      expect((await get('/api/v2/stages?limit=501')).status).toBe(400);
      expect((await get('/api/v2/stages?pipeline_id=x')).status).toBe(400);
      expect((await get('/api/v2/stages?sort_by=order_nr')).status).toBe(400); // not simulated: refused, not ignored
    });

    it('charges 5 tokens for a v2 list and 10 for the deprecated v1 one, whose stages carry pipeline_name', async () => {
      await post('/_sandbox/reset');
      await get('/api/v2/stages');
      await get('/api/v2/pipelines');
      expect(await dailyUsed()).toBe(10);
      const v1 = await get('/api/v1/stages?pipeline_id=1');
      expect(v1.body.data.map((x: Json) => [x.name, x.pipeline_name])).toEqual(OPEN.map((x) => [x.label, 'Sales pipeline']));
      expect(v1.body.additional_data.pagination).toMatchObject({ start: 0, more_items_in_collection: false });
      await get('/api/v1/pipelines');
      expect(await dailyUsed()).toBe(30);
    });

    it("Pipedrive's own SDK (v2 StagesApi, PipelinesApi) reads them", async () => {
      const config = new v2.Configuration({ accessToken: conn.tokens.accessToken, basePath: `${s.url}/api/v2` });
      const stages = await new v2.StagesApi(config).getStages({ limit: 4 });
      expect(stages.data?.map((x) => x.name)).toEqual(OPEN.slice(0, 4).map((x) => x.label));
      const rest = await new v2.StagesApi(config).getStages({ limit: 500, cursor: stages.additional_data!.next_cursor! });
      expect((stages.data?.length ?? 0) + (rest.data?.length ?? 0)).toBe(2 * OPEN.length);
      expect(rest.additional_data?.next_cursor).toBeNull();
      const pipelines = await new v2.PipelinesApi(config).getPipelines();
      expect(pipelines.data?.map((p) => p.name)).toEqual(['Sales pipeline', 'Renewals']);
    });
  });

  describe('the client', () => {
    it('names every deal’s stage and pipeline as the world has them, on the paged and the bulk path; ids and status untouched', async () => {
      const client = createTestClient(pipedriveCrm, conn);
      const want = worldDeals().map(expected);
      // The world is varied enough for this to mean something: every stage name, both pipelines, every status.
      expect(new Set(want.map((w) => w.stage_name))).toEqual(new Set(OPEN.map((x) => x.label)));
      expect(new Set(want.map((w) => w.pipeline_name))).toEqual(new Set(['Sales pipeline', 'Renewals']));
      expect(new Set(want.map((w) => w.status))).toEqual(new Set(['open', 'won', 'lost']));

      for (const records of [await paged(client, 'deals', 200), await bulk(client, 'deals')]) {
        expect(records.map(seen)).toEqual(want);
        for (const r of records) {
          const d = world().deal(Number(r.id) - 1);
          expect(r.fields.pipeline_id).toBe(d.pipeline === 'renewals' ? 2 : 1);
          expect(typeof r.fields.stage_id).toBe('number');
        }
      }
    });

    it('reads the stage and pipeline lists once per client, only for deals, weighted with their token cost', async () => {
      await post('/_sandbox/reset');
      const budget = new RecordingBudget();
      const paths: string[] = [];
      const recording: typeof fetch = (input, init) => {
        paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
        return fetch(input, init);
      };
      const client = createTestClient(pipedriveCrm, conn, { budget, fetch: recording });

      expect((await paged(client, 'contacts', 500)).length).toBe(RECORDS.contacts);
      expect(await client.getRecordCount('deals')).toBe(RECORDS.deals); // the summary needs no names
      expect(await requests('GET /api/v2/stages')).toBe(0);
      expect(await requests('GET /api/v2/pipelines')).toBe(0);

      await paged(client, 'deals', 100); // 13 pages
      await bulk(client, 'deals');
      await client.describeFields('deals');
      expect(await requests('GET /api/v2/deals')).toBe(13 + 3);
      expect(await requests('GET /api/v2/stages')).toBe(1);
      expect(await requests('GET /api/v2/pipelines')).toBe(1);
      expect(await requests('GET /api/v1/stages')).toBe(0);

      // Each request was weighted with what the sandbox charged for it (x-token-cost).
      const cost: Record<string, number> = {
        '/api/v2/persons': 10, '/api/v2/deals': 10, '/api/v1/deals/summary': 40, '/api/v1/dealFields': 20, '/api/v2/stages': 5, '/api/v2/pipelines': 5,
      };
      const apiPaths = paths.filter((p) => p.startsWith('/api/'));
      expect(apiPaths.every((p) => p in cost)).toBe(true);
      expect([...budget.weights].sort((a, b) => a - b)).toEqual(apiPaths.map((p) => cost[p]!).sort((a, b) => a - b));
      expect(budget.weights.reduce((a, w) => a + w, 0)).toBe(await dailyUsed());

      // Another client (another run) reads them again, once.
      const other = createTestClient(pipedriveCrm, conn);
      await other.fetchRecords('deals', null, 500);
      await other.fetchRecords('deals', null, 500);
      expect(await requests('GET /api/v2/stages')).toBe(2);
      expect(await requests('GET /api/v2/pipelines')).toBe(2);
    });

    it('a stage the list does not know (deleted) keeps its id and gets no name; the read goes on', async () => {
      const gone = 3; // the sandbox's stage 3, "Needs Analysis" in the default pipeline
      const withoutStage: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        if (new URL(input instanceof Request ? input.url : String(input)).pathname !== '/api/v2/stages') return res;
        const body = (await res.json()) as Json;
        body.data = (body.data as Json[]).filter((x) => x.id !== gone);
        const headers = new Headers(res.headers);
        headers.delete('content-length');
        headers.delete('content-encoding');
        return new Response(JSON.stringify(body), { status: res.status, headers });
      };
      const records = await bulk(createTestClient(pipedriveCrm, conn, { fetch: withoutStage }), 'deals');
      expect(records.length).toBe(RECORDS.deals);
      const orphans = records.filter((r) => r.fields.stage_id === gone);
      expect(orphans.length).toBeGreaterThan(10);
      for (const r of orphans) expect(r.fields).toMatchObject({ stage_id: gone, stage_name: null, pipeline_id: 1, pipeline_name: 'Sales pipeline' });
      expect(records.filter((r) => r.fields.stage_id !== gone).every((r) => typeof r.fields.stage_name === 'string')).toBe(true);
    });

    it('describeFields lists the name fields beside the ids, and the app maps the names to stage and pipeline', async () => {
      const client = createTestClient(pipedriveCrm, conn);
      const fields = await client.describeFields('deals');
      const byName = new Map(fields.map((f) => [f.name, f]));
      expect(byName.get('stage_id')).toMatchObject({ label: 'Stage ID', custom: false });
      expect(byName.get('pipeline_id')).toMatchObject({ label: 'Pipeline ID', custom: false });
      expect(byName.get('stage_name')).toEqual({ name: 'stage_name', label: 'Stage', type: 'enum', custom: false, values: OPEN.map((x) => x.label) });
      expect(byName.get('pipeline_name')).toEqual({ name: 'pipeline_name', label: 'Pipeline', type: 'enum', custom: false, values: ['Sales pipeline', 'Renewals'] });
      expect(byName.get('status')).toBeDefined();
      const names = fields.map((f) => f.name);
      expect(names.indexOf('stage_name')).toBe(names.indexOf('stage_id') + 1);

      // Every key a deal record carries for them is described.
      const [deal] = (await client.fetchRecords('deals', null, 1)).records;
      for (const k of ['stage_id', 'stage_name', 'pipeline_id', 'pipeline_name', 'status']) {
        expect(deal!.fields).toHaveProperty(k);
        expect(byName.has(k)).toBe(true);
      }

      // What the mapping step suggests from these fields (name, label, type, as the app sends them).
      const { mappings } = suggestMappingsSync({ entityType: 'deals', source: 'pipedrive', sourceFields: fields.map((f) => ({ name: f.name, label: f.label, type: f.type })) });
      const target = Object.fromEntries(mappings.map((m) => [m.sourceField, m.targetField]));
      expect(target).toMatchObject({ stage_name: 'stage', pipeline_name: 'pipeline', status: 'status', stage_id: null, pipeline_id: null, id: 'externalId', title: 'name' });
      expect(mappings.find((m) => m.sourceField === 'stage_name')!.confidence).toBeGreaterThanOrEqual(0.9);
      // Leads have no stage or pipeline in Pipedrive: nothing is added there.
      expect((await client.describeFields('leads')).map((f) => f.name)).not.toContain('stage_name');
    });
  });
});

describe('Pipedrive stage and pipeline names on canned pages', () => {
  const [deals] = ENTITY_OBJECTS.deals;
  const [persons] = ENTITY_OBJECTS.contacts;
  const names: PipelineNames = { stages: new Map([[1, 'Qualified'], [2, 'Proposal made']]), pipelines: new Map([[1, 'Sales pipeline']]) };
  const deal = (id: number, stage_id: number | null, pipeline_id: number | null, status: string) => ({
    id, title: `D${id}`, owner_id: 1, person_id: null, org_id: null, stage_id, pipeline_id, status,
    add_time: '2024-01-09T09:31:15Z', update_time: '2024-01-09T09:31:15Z', custom_fields: {},
  });
  const page = (data: unknown[]) => ({ success: true, data, additional_data: { next_cursor: null } });

  it('adds stage_name and pipeline_name beside the ids; an unknown stage or pipeline id keeps its id and gets a null name', () => {
    const got = parsePage(deals!, page([deal(1, 1, 1, 'open'), deal(2, 99, 1, 'won'), deal(3, 2, 7, 'lost'), deal(4, null, null, 'deleted')]), { limit: 500 }, undefined, names);
    expect(got.records.map((r) => [r.id, r.fields.stage_id, r.fields.stage_name, r.fields.pipeline_id, r.fields.pipeline_name, r.fields.status])).toEqual([
      ['1', 1, 'Qualified', 1, 'Sales pipeline', 'open'],
      ['2', 99, null, 1, 'Sales pipeline', 'won'], // stage 99 deleted: no name, no crash
      ['3', 2, 'Proposal made', 7, null, 'lost'],
      ['4', null, null, null, null, 'deleted'],
    ]);
  });

  it('adds nothing without the lists, and nothing to other objects', () => {
    const [r] = parsePage(deals!, page([deal(1, 1, 1, 'open')]), { limit: 500 }).records;
    expect(r!.fields).not.toHaveProperty('stage_name');
    expect(r!.fields.stage_id).toBe(1);
    const person = { id: 5, name: 'Ada', owner_id: 1, org_id: null, add_time: '2024-01-09T09:31:15Z', update_time: null, stage_id: 1 };
    expect(parsePage(persons!, page([person]), { limit: 500 }, undefined, names).records[0]!.fields).not.toHaveProperty('stage_name');
  });

  it('refuses a deal whose stage or pipeline id is not an id', () => {
    expect(() => parsePage(deals!, page([{ ...deal(1, 1, 1, 'open'), stage_id: 'Qualified' }]), { limit: 500 }, undefined, names)).toThrow(ParseError);
    expect(() => parsePage(deals!, page([{ ...deal(1, 1, 1, 'open'), pipeline_id: 0 }]), { limit: 500 }, undefined, names)).toThrow(ParseError);
  });

  it('reads stage and pipeline list pages, and throws on malformed or inconsistent ones', () => {
    expect(parseNamedPage({ success: true, data: [{ id: 1, name: 'Qualified', pipeline_id: 1 }], additional_data: { next_cursor: 'abc' } }, 'stages')).toEqual({ items: [{ id: 1, name: 'Qualified' }], nextCursor: 'abc' });
    const bad: [unknown, string?][] = [
      [{ success: true, data: [{ id: 1 }], additional_data: { next_cursor: null } }], // no name
      [{ success: true, data: [{ id: 1, name: 'x' }] }], // no additional_data
      [{ success: false, error: 'x', data: null }],
      [{ success: true, data: [], additional_data: { next_cursor: 'abc' } }], // empty, yet more to come
      [{ success: true, data: [{ id: 1, name: 'x' }], additional_data: { next_cursor: 'abc' } }, 'abc'], // the same cursor again
    ];
    for (const [json, cursor] of bad) expect(() => parseNamedPage(json, 'pipelines', cursor)).toThrow(ParseError);
  });
});
