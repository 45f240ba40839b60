/**
 * The Pipedrive CrmApiClient. Builds requests (every one through deps.http, weighted with its token cost) and hands
 * each body to parse.ts inside the HTTP layer's `inspect` hook, so a malformed or inconsistent page is retried like
 * a 5xx and, if it stays wrong, fails loudly — it is never returned short.
 *
 * - accounts/contacts/deals/activities: API v2 cursor lists, 500 per page (`include_option_labels=true`);
 *   activities continue with notes (v1 offset list), ids prefixed `activity:` / `note:`.
 * - deals: besides `stage_id` and `pipeline_id` (kept as ids), `stage_name` and `pipeline_name` from `/v2/stages` and
 *   `/v2/pipelines` (5 tokens a page), read once per client, lazily: on the first deals page (or deal fields).
 *   Leads have no stage or pipeline in Pipedrive (openapi-v1 `Lead`): they sit in the Leads Inbox until converted.
 * - leads: v1 offset list, then their persons and organizations by id (v2 `ids=`, 100 per request) to copy name,
 *   e-mails, phones and company onto the lead; enum custom values are named from `/v1/dealFields` options.
 * - counts: deals from `/v1/deals/summary` (40 tokens); Pipedrive has no other count endpoint, so the rest are
 *   counted by reading their pages: ⌈n/500⌉ requests of 10 tokens (v2) or 20 (leads, notes).
 * - bulk: Pipedrive has no bulk API; the largest pages, with the next request sent while a batch is consumed.
 */
import type { EntityType } from '../../core/ids.js';
import { CrmError } from '../errors.js';
import type { BulkOptions, ClientDeps, CrmApiClient, CrmHttpRequest, FieldDescriptor, RecordBatch, RecordPage, SourceRecord } from '../types.js';
import { ENTITY_OBJECTS, LEAD_FIELDS, PAGE_MAX, TOKEN_COSTS, type PdObjectSpec } from './definition.js';
import {
  PIPELINE_NAME, ParseError, STAGE_NAME, decodeCursor, encodeCursor, mergeLeadContacts, optionLabels, parseContactsById, parseDealsSummary,
  parseFieldsPage, parseMe, parseNamedPage, parsePage, toFieldDescriptor, type FieldsPage, type OptionLabels, type PdCursor, type PdPage,
  type PipelineNames,
} from './parse.js';

const IDS_PER_REQUEST = 100; // v2 `ids`: "up to 100 entity ids"

/** Deal id fields that get a name field beside them (parse.ts nameStageAndPipeline), and the list naming them. */
const NAMED_IDS = {
  stage_id: { name: STAGE_NAME, list: 'stages', label: 'Stage' },
  pipeline_id: { name: PIPELINE_NAME, list: 'pipelines', label: 'Pipeline' },
} as const;

export function createPipedriveClient(deps: ClientDeps): CrmApiClient {
  const { http } = deps;
  const fieldCache = new Map<string, Promise<FieldsPage['fields']>>();
  let namesCache: Promise<PipelineNames> | undefined;

  /** GET, parsed (and checked) inside the HTTP layer so a bad body is retried there. */
  async function get<T>(req: Omit<CrmHttpRequest, 'method'>, parse: (json: unknown) => T): Promise<T> {
    let out: { value: T } | undefined;
    await http.request({
      ...req,
      method: 'GET',
      inspect: (_status, _headers, body) => {
        out = undefined;
        try {
          out = { value: parse(JSON.parse(body)) };
          return null;
        } catch (err) {
          const detail = err instanceof Error ? err.message : String(err);
          return { kind: 'temporary', code: err instanceof ParseError ? 'INCONSISTENT_RESPONSE' : 'UNREADABLE_RESPONSE', detail };
        }
      },
    });
    if (!out) throw new CrmError('pipedrive', { kind: 'temporary', code: 'UNREADABLE_RESPONSE' });
    return out.value;
  }

  function specOf(entity: EntityType, part: number): PdObjectSpec {
    const spec = ENTITY_OBJECTS[entity][part];
    if (!spec) throw new CrmError('pipedrive', { kind: 'invalid_request', code: 'BAD_CURSOR', detail: `no part ${part} for ${entity}` });
    return spec;
  }

  function cursorOf(raw: string | null): PdCursor {
    if (raw === null) return { p: 0 };
    try {
      return decodeCursor(raw);
    } catch (err) {
      throw new CrmError('pipedrive', { kind: 'invalid_request', code: 'BAD_CURSOR', detail: (err as Error).message });
    }
  }

  /** All fields of one fields endpoint (offset-paginated), cached per client. */
  function fieldsOf(path: string): Promise<FieldsPage['fields']> {
    let p = fieldCache.get(path);
    if (!p) {
      p = (async () => {
        const all: FieldsPage['fields'] = [];
        let start: number | null = 0;
        while (start !== null) {
          const s: number = start;
          const page = await get({ url: path, query: { start: s, limit: PAGE_MAX }, weight: TOKEN_COSTS.fields }, (j) => parseFieldsPage(j, s));
          all.push(...page.fields);
          start = page.nextStart;
        }
        return all;
      })();
      p.catch(() => fieldCache.delete(path));
      fieldCache.set(path, p);
    }
    return p;
  }

  /** Every `{ id, name }` of `GET /v2/stages` or `/v2/pipelines`, following next_cursor. */
  async function namedList(what: 'stages' | 'pipelines'): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    let cursor: string | undefined;
    for (;;) {
      const sent = cursor;
      const page = await get({ url: `/api/v2/${what}`, query: { limit: PAGE_MAX, cursor: sent }, weight: TOKEN_COSTS[what] }, (j) => parseNamedPage(j, what, sent));
      for (const item of page.items) out.set(item.id, item.name);
      if (page.nextCursor === null) return out;
      cursor = page.nextCursor;
    }
  }

  /**
   * Stage and pipeline names, read once per client and only when deals need them. A stage added while this client
   * lives is not seen: its deals keep the id and get no name (see nameStageAndPipeline).
   */
  function pipelineNames(): Promise<PipelineNames> {
    if (!namesCache) {
      const p = Promise.all([namedList('stages'), namedList('pipelines')]).then(([stages, pipelines]) => ({ stages, pipelines }));
      p.catch(() => {
        if (namesCache === p) namesCache = undefined; // a failed read is tried again by the next caller
      });
      namesCache = p;
    }
    return namesCache;
  }

  async function leadLabels(): Promise<OptionLabels> {
    return optionLabels(await fieldsOf(ENTITY_OBJECTS.leads[0]!.fieldsPath));
  }

  async function byIds(path: string, ids: readonly number[], what: string): Promise<Map<number, Record<string, unknown>>> {
    const out = new Map<number, Record<string, unknown>>();
    const unique = [...new Set(ids)];
    for (let k = 0; k < unique.length; k += IDS_PER_REQUEST) {
      const chunk = unique.slice(k, k + IDS_PER_REQUEST);
      const found = await get({ url: path, query: { ids: chunk.join(','), limit: IDS_PER_REQUEST }, weight: TOKEN_COSTS.v2List }, (j) => parseContactsById(j, what));
      for (const [id, r] of found) out.set(id, r);
    }
    return out;
  }

  async function enrichLeads(page: PdPage): Promise<SourceRecord[]> {
    const c = page.leadContacts;
    if (!c || page.records.length === 0) return page.records;
    const [persons, orgs] = await Promise.all([byIds('/api/v2/persons', c.persons, 'lead persons'), byIds('/api/v2/organizations', c.organizations, 'lead organizations')]);
    return page.records.map((r) => mergeLeadContacts(r, persons, orgs));
  }

  /** One page of one object; `next` is the client cursor after it (moving on to the entity's next object). */
  async function readPage(entity: EntityType, c: PdCursor, limit: number): Promise<RecordPage & { part: PdObjectSpec }> {
    const specs = ENTITY_OBJECTS[entity];
    const spec = specOf(entity, c.p);
    const size = Math.max(1, Math.min(PAGE_MAX, Math.floor(limit) || PAGE_MAX));
    let next: PdCursor | null;
    let records: SourceRecord[];
    if (spec.api === 'v2') {
      const req = { limit: size, cursor: c.c, after: c.a };
      const names = spec.object === 'deals' ? await pipelineNames() : undefined;
      const page = await get(
        { url: spec.path, query: { limit: size, cursor: c.c, include_option_labels: true }, weight: TOKEN_COSTS.v2List },
        (j) => parsePage(spec, j, req, undefined, names),
      );
      records = page.records;
      const last = page.rawIds[page.rawIds.length - 1];
      next = page.nextCursor !== null ? { p: c.p, c: page.nextCursor, a: typeof last === 'number' ? last : (c.a ?? 0) } : null;
    } else {
      const start = c.s ?? 0;
      const labels = spec.object === 'leads' ? await leadLabels() : undefined;
      const page = await get({ url: spec.path, query: { start, limit: size }, weight: TOKEN_COSTS.v1List }, (j) => parsePage(spec, j, { limit: size, start }, labels));
      records = spec.object === 'leads' ? await enrichLeads(page) : page.records;
      next = page.nextStart !== null ? { p: c.p, s: page.nextStart } : null;
    }
    if (next === null && c.p + 1 < specs.length) next = { p: c.p + 1 };
    return { records, nextCursor: next === null ? null : encodeCursor(next), part: spec };
  }

  async function fetchRecords(entity: EntityType, cursor: string | null, limit: number): Promise<RecordPage> {
    const { records, nextCursor } = await readPage(entity, cursorOf(cursor), limit);
    return { records, nextCursor };
  }

  async function* bulkFetchRecords(entity: EntityType, options: BulkOptions = {}): AsyncIterable<RecordBatch> {
    let pending: Promise<RecordPage> | null = fetchRecords(entity, options.resume ?? null, PAGE_MAX);
    while (pending) {
      options.signal?.throwIfAborted();
      const page: RecordPage = await pending;
      // Ask for the next page while the caller stores this one (the cursor is all the next request needs).
      pending = page.nextCursor === null ? null : fetchRecords(entity, page.nextCursor, PAGE_MAX);
      pending?.catch(() => undefined); // surfaced when awaited; never an unhandled rejection if the caller stops
      yield { records: page.records, resume: page.nextCursor };
    }
  }

  async function getRecordCount(entity: EntityType): Promise<number> {
    if (entity === 'deals') {
      return get({ url: '/api/v1/deals/summary', weight: TOKEN_COSTS.dealsSummary }, parseDealsSummary);
    }
    let total = 0;
    let cursor: PdCursor | null = { p: 0 };
    while (cursor) {
      const page: Awaited<ReturnType<typeof readPage>> = await readPageForCount(entity, cursor);
      total += page.records.length;
      cursor = page.nextCursor === null ? null : decodeCursor(page.nextCursor);
    }
    return total;
  }

  /** Counting reads pages like fetching, minus the leads' contact lookups (they do not change the count). */
  async function readPageForCount(entity: EntityType, c: PdCursor) {
    const spec = specOf(entity, c.p);
    if (spec.object !== 'leads') return readPage(entity, c, PAGE_MAX);
    const start = c.s ?? 0;
    const page = await get({ url: spec.path, query: { start, limit: PAGE_MAX }, weight: TOKEN_COSTS.v1List }, (j) => parsePage(spec, j, { limit: PAGE_MAX, start }));
    const specs = ENTITY_OBJECTS[entity];
    const next: PdCursor | null = page.nextStart !== null ? { p: c.p, s: page.nextStart } : c.p + 1 < specs.length ? { p: c.p + 1 } : null;
    return { records: page.records, nextCursor: next === null ? null : encodeCursor(next), part: spec };
  }

  async function testConnection(): Promise<{ isValid: boolean; error?: string }> {
    try {
      await get({ url: '/api/v1/users/me', weight: TOKEN_COSTS.v1Get }, parseMe);
      return { isValid: true };
    } catch (err) {
      return { isValid: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async function describeFields(entity: EntityType): Promise<FieldDescriptor[]> {
    const out: FieldDescriptor[] = [];
    const seen = new Set<string>();
    const add = (d: FieldDescriptor) => {
      if (!seen.has(d.name)) {
        seen.add(d.name);
        out.push(d);
      }
    };
    for (const spec of ENTITY_OBJECTS[entity]) {
      const fields = await fieldsOf(spec.fieldsPath);
      if (spec.object === 'leads') {
        for (const f of LEAD_FIELDS) add({ ...f, custom: false });
        // Leads carry the deal custom fields (the ones a lead uses; Pipedrive does not say which, so all of them).
        for (const f of fields) if (/^[0-9a-f]{40}$/.test(f.key)) add(toFieldDescriptor(spec, f));
      } else if (spec.object === 'deals') {
        const names = await pipelineNames();
        const nameField = (n: (typeof NAMED_IDS)[keyof typeof NAMED_IDS], label: string): FieldDescriptor => ({
          name: n.name, label, type: 'enum', custom: false, values: [...new Set(names[n.list].values())],
        });
        for (const f of fields) {
          const d = toFieldDescriptor(spec, f);
          const named = d.name === 'stage_id' || d.name === 'pipeline_id' ? NAMED_IDS[d.name] : undefined;
          if (!named) {
            add(d);
            continue;
          }
          // The id keeps its key, labelled as the id; the name beside it takes Pipedrive's label ("Stage"), as the
          // export's "Deal - Stage" column does, so the mapping step offers the name for the canonical stage.
          add({ ...d, label: `${d.label} ID` });
          add(nameField(named, d.label));
        }
        for (const n of Object.values(NAMED_IDS)) add(nameField(n, n.label)); // records carry them even if the metadata lacks the ids
      } else {
        for (const f of fields) add(toFieldDescriptor(spec, f));
      }
    }
    return out;
  }

  return { getRecordCount, fetchRecords, bulkFetchRecords, testConnection, describeFields };
}
