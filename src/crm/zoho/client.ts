/**
 * The Zoho CRM CrmApiClient. Requests are built in requests.ts and bulk.ts, responses parsed in parse.ts.
 *   standard path  GET /crm/v8/{module}?fields=…&per_page=200, page 1 then page_token (up to 100,000 records)
 *   count          GET /crm/v8/{module}/actions/count; Notes, which the count API does not support, by listing
 *   bulk path      Bulk Read (bulk.ts): a job per 200,000 records, polled with a deadline, ZIP streamed from disk
 *   metadata       GET /crm/v8/settings/fields?module=
 * Activities are four modules (Tasks, Events, Calls, Notes), read one after the other; Zoho ids are unique across
 * modules, so record ids stay as Zoho gives them, with `activityType` saying which module a record came from.
 */
import { z } from 'zod';
import type { EntityType } from '../../core/ids.js';
import { defaultSleep } from '../http/budget.js';
import { CrmError } from '../errors.js';
import type { BulkOptions, ClientDeps, CrmApiClient, FieldDescriptor, RecordBatch, RecordPage } from '../types.js';
import { bulkRead } from './bulk.js';
import { ENTITY_MODULES, PAGE_MAX, type ModuleSpec, type ZohoModule } from './definition.js';
import { listFields } from './fields.js';
import { decodeCursor, encodeCursor, malformed, normalizeRecord, type ListPage, type ZohoField } from './parse.js';
import { zohoRequests } from './requests.js';

/** Where a standard read stands: module index, page token (null: first page), per_page and the bound fields. */
const Cursor = z.object({
  m: z.number().int().nonnegative(),
  t: z.string().min(1).nullable(),
  n: z.number().int().min(1).max(PAGE_MAX),
  f: z.array(z.string().min(1)).min(1).max(50).optional(),
});
type Cursor = z.infer<typeof Cursor>;

export interface ModulePager {
  /** One page of a module; throws when Zoho says there is more but gives no token to get it. */
  page(spec: ModuleSpec, fields: readonly string[], perPage: number, token: string | null): Promise<ListPage & { nextToken: string | null }>;
  fieldsFor(entity: EntityType, spec: ModuleSpec): Promise<string[]>;
  meta(module: ZohoModule): Promise<ZohoField[]>;
}

export function createZohoClient(deps: ClientDeps): CrmApiClient {
  const req = zohoRequests(deps.http);
  const metaCache = new Map<ZohoModule, Promise<ZohoField[]>>();

  const pager: ModulePager = {
    meta(module) {
      let p = metaCache.get(module);
      if (!p) {
        p = req.fields(module);
        metaCache.set(module, p);
        p.catch(() => metaCache.delete(module));
      }
      return p;
    },
    async fieldsFor(entity, spec) {
      return listFields(entity, await pager.meta(spec.module));
    },
    async page(spec, fields, perPage, token) {
      const page = await req.listPage(spec.module, fields, perPage, token);
      if (page.moreRecords && !page.nextPageToken) throw malformed(spec.module, 'more_records without a next_page_token');
      return { ...page, nextToken: page.moreRecords ? page.nextPageToken : null };
    },
  };

  async function countByListing(entity: EntityType, spec: ModuleSpec): Promise<number> {
    // One credit per 200 records; the list API stops at 100,000 (PAGINATION_LIMIT_EXCEEDED is thrown, not hidden).
    const fields = (await pager.fieldsFor(entity, spec)).slice(0, 1);
    let n = 0;
    let token: string | null = null;
    do {
      const p = await pager.page(spec, fields, PAGE_MAX, token);
      n += p.records.length;
      token = p.nextToken;
    } while (token !== null);
    return n;
  }

  return {
    async getRecordCount(entity) {
      let total = 0;
      for (const spec of ENTITY_MODULES[entity]) total += spec.countApi ? await req.count(spec.module) : await countByListing(entity, spec);
      return total;
    },

    async fetchRecords(entity, cursor, limit): Promise<RecordPage> {
      const mods = ENTITY_MODULES[entity];
      const perPage = Math.max(1, Math.min(PAGE_MAX, Math.floor(limit) || PAGE_MAX));
      let c: Cursor = cursor ? decodeCursor(cursor, Cursor, 'Zoho cursor') : { m: 0, t: null, n: perPage };
      while (c.m < mods.length) {
        const spec = mods[c.m]!;
        const fields = c.f ?? (await pager.fieldsFor(entity, spec));
        // A page token is bound to per_page and fields: a cursor keeps both for the rest of its module.
        const page = await pager.page(spec, fields, c.t === null ? perPage : c.n, c.t);
        const records = page.records.map((r) => normalizeRecord(spec, r));
        if (page.nextToken !== null) {
          return { records, nextCursor: encodeCursor({ m: c.m, t: page.nextToken, n: c.t === null ? perPage : c.n, f: fields } satisfies Cursor) };
        }
        c = { m: c.m + 1, t: null, n: perPage };
        if (records.length > 0) return { records, nextCursor: c.m < mods.length ? encodeCursor(c) : null };
      }
      return { records: [], nextCursor: null };
    },

    bulkFetchRecords(entity: EntityType, options: BulkOptions = {}): AsyncIterable<RecordBatch> {
      return bulkRead({ req, pager, sleep: deps.sleep ?? defaultSleep, now: deps.now ?? (() => new Date()), deadlineMs: deps.bulkDeadlineMs ?? 30 * 60_000 }, entity, options);
    },

    async testConnection() {
      try {
        const res = await req.currentUser();
        const body = JSON.parse(await res.text()) as { users?: unknown };
        if (!Array.isArray(body.users) || body.users.length === 0) return { isValid: false, error: 'Zoho returned no current user' };
        return { isValid: true };
      } catch (err) {
        return { isValid: false, error: err instanceof Error ? err.message : String(err) };
      }
    },

    async describeFields(entity): Promise<FieldDescriptor[]> {
      const out: FieldDescriptor[] = [];
      const seen = new Set<string>();
      for (const spec of ENTITY_MODULES[entity]) {
        for (const f of await pager.meta(spec.module)) {
          if (seen.has(f.name)) continue;
          seen.add(f.name);
          out.push({ name: f.name, label: f.label, type: f.type, custom: f.custom, ...(f.values ? { values: f.values } : {}) });
        }
      }
      if (out.length === 0) throw new CrmError('zoho', { kind: 'unknown', code: 'NO_FIELDS', detail: `no field metadata for ${entity}` });
      return out;
    },
  };
}
