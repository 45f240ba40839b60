/**
 * The HubSpot CrmApiClient: builds requests (sent through the shared HTTP layer) and hands responses to parse.ts.
 *   standard path  GET /crm/v3/objects/{object}?limit=100&after=…&properties=…&associations=… (no 10k cap)
 *   count          POST …/search {limit: 1} → total (summed over the five engagement objects for activities)
 *   bulk path      the exports API: start, poll with a deadline, stream the CSV; on failure, the standard path
 *   metadata       GET /crm/v3/properties/{object}
 * Search is only for counts (and incremental reads elsewhere): it caps at 10,000 results and 5 requests/s.
 */
import { defaultSleep } from '../http/budget.js';
import { CrmError, isCrmError } from '../errors.js';
import type { BulkOptions, ClientDeps, CrmApiClient, FieldDescriptor, RecordBatch, RecordPage, SourceRecord } from '../types.js';
import type { EntityType } from '../../core/ids.js';
import { ENTITY_OBJECTS, hubspotDefinition } from './definition.js';
import { exportCsvFiles } from './export-stream.js';
import {
  decodeCursor, encodeCursor, exportRowReader, malformed, parseBatchRead, parseExportStarted, parseExportStatus, parseListPage, parseProperties, parseSearchPage, parseV4Links,
} from './parse.js';

/** Parent objects each object links to (child → parent associations). */
const ASSOCIATIONS: Record<string, readonly string[]> = {
  contacts: ['companies'], deals: ['companies', 'contacts'],
  notes: ['companies', 'contacts', 'deals'], tasks: ['companies', 'contacts', 'deals'], calls: ['companies', 'contacts', 'deals'],
  meetings: ['companies', 'contacts', 'deals'], emails: ['companies', 'contacts', 'deals'],
};
const EXPORT_ASSOCIATED: Record<string, string> = { companies: 'COMPANY', contacts: 'CONTACT', deals: 'DEAL' };
const BATCH = 1_000;
/** Longer property lists go in a batch read's JSON body: a GET naming hundreds of properties is refused as too long (414). */
export const MAX_QUERY_PROPERTIES_CHARS = 6_000;
const MAX_PAGE = hubspotDefinition.paging.maxPageSize;

/** Bulk resume token: which object, and where in it (an export task and rows already delivered, or a page cursor). */
interface BulkResume {
  o: number;
  mode: 'export' | 'page';
  task?: string;
  skip?: number;
  after?: string | null;
}
const encodeResume = (r: BulkResume) => Buffer.from(JSON.stringify(r)).toString('base64url');
function decodeResume(raw: string): BulkResume {
  try {
    const r = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as BulkResume;
    if (Number.isInteger(r.o) && (r.mode === 'export' || r.mode === 'page')) return r;
  } catch {
    /* fall through */
  }
  throw new CrmError('hubspot', { kind: 'invalid_request', code: 'BAD_RESUME', detail: 'not a resume token this client issued' });
}

/** Why an export was given up for the standard path. */
class ExportUnavailable extends Error {}

/** The standard client plus HubSpot's incremental read (search on the last-modified property). */
export interface HubSpotApiClient extends CrmApiClient {
  /**
   * Records modified at or after `since`, oldest first, in pages of up to 200: the search API, re-windowed from the
   * last timestamp seen before its 10,000-result cap (ids at the boundary timestamp are not repeated), with links
   * read through the v4 associations API (search results carry none).
   */
  fetchModifiedSince(entity: EntityType, since: Date, signal?: AbortSignal): AsyncIterable<SourceRecord[]>;
}

const SEARCH_PAGE = 200;
const SEARCH_CAP = 10_000;
const LINK_OF: Record<string, 'account' | 'contact' | 'deal'> = { companies: 'account', contacts: 'contact', deals: 'deal' };

export function createHubSpotClient(deps: ClientDeps): HubSpotApiClient {
  const { http } = deps;
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? (() => new Date());
  const deadlineMs = deps.bulkDeadlineMs ?? 30 * 60_000;
  const fieldCache = new Map<string, Promise<FieldDescriptor[]>>();

  /** Re-requests a page whose body did not validate (a truncated or malformed page), then fails loudly. */
  async function reparsing<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!(isCrmError(err) && err.code === 'MALFORMED_RESPONSE') || attempt >= 3) throw err;
      }
    }
  }

  function fields(object: string): Promise<FieldDescriptor[]> {
    let f = fieldCache.get(object);
    if (!f) {
      f = reparsing(async () => parseProperties(object, await (await http.request({ method: 'GET', url: `/crm/v3/properties/${object}` })).json()));
      f.catch(() => fieldCache.delete(object));
      fieldCache.set(object, f);
    }
    return f;
  }
  const propertyNames = async (object: string) => (await fields(object)).map((p) => p.name);

  async function listPage(object: string, after: string | null, limit: number): Promise<{ records: SourceRecord[]; after: string | null }> {
    const names = await propertyNames(object);
    const joined = names.join(',');
    const inline = joined.length <= MAX_QUERY_PROPERTIES_CHARS;
    const page = await reparsing(async () => {
      const res = await http.request({
        method: 'GET', url: `/crm/v3/objects/${object}`,
        query: { limit, after: after ?? undefined, properties: inline ? joined : 'hs_object_id', associations: (ASSOCIATIONS[object] ?? []).join(',') || undefined, archived: false },
      });
      return parseListPage(object, await res.json());
    });
    if (page.after !== null && page.after === after) throw malformed(`HubSpot ${object} page`, 'the cursor did not advance');
    if (inline || page.records.length === 0) return page;
    // Too many properties for a URL: read the page's ids again with every property in a batch read's JSON body.
    const ids = page.records.map((r) => r.id.slice(r.id.indexOf(':') + 1));
    const full = await reparsing(async () => {
      const res = await http.request({ method: 'POST', url: `/crm/v3/objects/${object}/batch/read`, json: { inputs: ids.map((id) => ({ id })), properties: names, propertiesWithHistory: [] }, idempotent: true });
      return parseBatchRead(object, await res.json());
    });
    // A record missing from the batch read was deleted between the two calls: HubSpot no longer holds it.
    const records = page.records.flatMap((r) => {
      const f = full.get(r.id);
      return f ? [{ ...f, links: r.links }] : [];
    });
    return { records, after: page.after };
  }

  async function count(object: string): Promise<number> {
    return reparsing(async () => {
      const res = await http.request({ method: 'POST', url: `/crm/v3/objects/${object}/search`, json: { limit: 1, filterGroups: [] }, rateClass: 'search', idempotent: true });
      return parseSearchPage(object, await res.json()).total;
    });
  }

  async function startExport(object: string): Promise<string> {
    const res = await http.request({
      method: 'POST', url: '/crm/v3/exports/export/async',
      json: {
        exportType: 'VIEW', format: 'CSV', exportName: `crm-migrate ${object} ${now().toISOString()}`, objectType: object,
        objectProperties: await propertyNames(object), language: 'EN', exportInternalValuesOptions: ['NAMES', 'VALUES'],
        ...((ASSOCIATIONS[object] ?? []).length > 0 ? { associatedObjectType: (ASSOCIATIONS[object] ?? []).map((a) => EXPORT_ASSOCIATED[a]) } : {}),
      },
    });
    return parseExportStarted(await res.json());
  }

  /** Polls until COMPLETE (→ download URL); CANCELED/FAILED or the deadline → ExportUnavailable. */
  async function awaitExport(task: string, signal?: AbortSignal): Promise<string> {
    const started = now().getTime();
    let wait = 500;
    for (;;) {
      const res = await http.request({ method: 'GET', url: `/crm/v3/exports/export/async/tasks/${task}/status` });
      const s = parseExportStatus(await res.json());
      if (s.status === 'COMPLETE') return s.result;
      if (s.status === 'CANCELED' || s.status === 'FAILED') throw new ExportUnavailable(`export ${task} ended ${s.status}`);
      // HubSpot has no public cancel for exports: an abandoned one is left to finish on its own.
      if (now().getTime() - started + wait > deadlineMs) throw new ExportUnavailable(`export ${task} not done within ${deadlineMs} ms`);
      await sleep(wait, signal);
      wait = Math.min(5_000, Math.round(wait * 1.5));
    }
  }

  /**
   * Downloads one finished export and yields batches after `progress.delivered` rows (updated as batches go out);
   * returns the number of rows in the file.
   */
  async function* readExport(object: string, task: string, progress: { delivered: number }, o: number, signal?: AbortSignal): AsyncGenerator<RecordBatch, number> {
    const url = await awaitExport(task, signal);
    const res = await http.request({ method: 'GET', url, anonymous: true, stream: true, timeoutMs: 10 * 60_000 });
    if (!res.body) throw malformed(`HubSpot ${object} export`, 'no body');
    const skip = progress.delivered;
    let rows = 0;
    let batch: SourceRecord[] = [];
    const flush = (): RecordBatch => {
      const out = { records: batch, resume: encodeResume({ o, mode: 'export', task, skip: rows }) };
      progress.delivered = rows;
      batch = [];
      return out;
    };
    for await (const file of exportCsvFiles(res.body, res.headers.get('content-type'))) {
      let read: ((row: readonly string[]) => SourceRecord) | null = null;
      for await (const row of file) {
        if (read === null) {
          read = exportRowReader(object, row);
          continue;
        }
        rows += 1;
        if (rows <= skip) continue;
        batch.push(read(row));
        if (batch.length >= BATCH) yield flush();
      }
      if (read === null) throw malformed(`HubSpot ${object} export`, 'a file without a header row');
    }
    if (batch.length > 0) yield flush();
    return rows;
  }

  /** The standard path for one object, in the largest pages; the last batch's resume points at the next object. */
  async function* pages(object: string, after: string | null, o: number): AsyncGenerator<RecordBatch> {
    let cursor = after;
    do {
      const page = await listPage(object, cursor, MAX_PAGE);
      cursor = page.after;
      yield { records: page.records, resume: encodeResume(cursor === null ? { o: o + 1, mode: 'export' } : { o, mode: 'page', after: cursor }) };
    } while (cursor !== null);
  }

  /** One object through the exports API; a broken download resumes after the rows already delivered. */
  async function* exported(object: string, r: BulkResume, o: number, signal?: AbortSignal): AsyncGenerator<RecordBatch> {
    const progress = { delivered: r.skip ?? 0 };
    let task = r.task;
    const expected = task ? 0 : await count(object);
    task ??= await startExport(object);
    for (let attempt = 1; ; attempt++) {
      try {
        const rows = yield* readExport(object, task, progress, o, signal);
        // The export must hold every record counted when it started (records may be added meanwhile, never lost).
        if (rows < expected) throw new ExportUnavailable(`export ${task} had ${rows} rows, ${expected} were counted`);
        return;
      } catch (err) {
        const transient = !(err instanceof ExportUnavailable) && (!isCrmError(err) || err.kind === 'temporary' || err.kind === 'rate_limited');
        if (!transient || attempt >= 5 || signal?.aborted) throw err;
      }
    }
  }

  async function withLinks(object: string, records: SourceRecord[]): Promise<SourceRecord[]> {
    if (records.length === 0) return records;
    const raw = records.map((r) => r.id.slice(r.id.indexOf(':') + 1));
    for (const target of ASSOCIATIONS[object] ?? []) {
      const links = await reparsing(async () => {
        const res = await http.request({ method: 'POST', url: `/crm/v4/associations/${object}/${target}/batch/read`, json: { inputs: raw.map((id) => ({ id })) }, idempotent: true });
        return parseV4Links(await res.json());
      });
      records.forEach((r, k) => {
        const id = links.get(raw[k]!);
        if (id) r.links[LINK_OF[target]!] = id;
      });
    }
    return records;
  }

  async function* modifiedSince(object: string, since: Date, signal?: AbortSignal): AsyncGenerator<SourceRecord[]> {
    const prop = object === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
    const properties = await propertyNames(object);
    let from = since.getTime();
    let boundary = new Set<string>(); // ids already delivered whose timestamp equals `from`
    for (;;) {
      let after = 0;
      let last = from;
      let atLast = new Set(boundary);
      for (;;) {
        signal?.throwIfAborted();
        const page = await reparsing(async () => {
          const res = await http.request({
            method: 'POST', url: `/crm/v3/objects/${object}/search`, rateClass: 'search', idempotent: true,
            json: { filterGroups: [{ filters: [{ propertyName: prop, operator: 'GTE', value: String(from) }] }], sorts: [{ propertyName: prop, direction: 'ASCENDING' }], properties, limit: SEARCH_PAGE, ...(after > 0 ? { after: String(after) } : {}) },
          });
          return parseSearchPage(object, await res.json());
        });
        const fresh = page.records.filter((r) => !boundary.has(r.id));
        for (const r of page.records) {
          const t = Date.parse(r.updatedAt ?? '');
          if (Number.isNaN(t) || t < last) continue;
          if (t > last) {
            last = t;
            atLast = new Set();
          }
          atLast.add(r.id);
        }
        if (fresh.length > 0) yield await withLinks(object, fresh);
        if (page.after === null) return;
        after = Number(page.after);
        if (after + SEARCH_PAGE > SEARCH_CAP) break; // re-window before the cap's 400
      }
      if (last === from && atLast.size >= SEARCH_CAP - SEARCH_PAGE) {
        throw new CrmError('hubspot', { kind: 'unknown', code: 'SEARCH_WINDOW_STUCK', detail: `${atLast.size} ${object} share one ${prop}; use the standard path` });
      }
      from = last;
      boundary = atLast;
    }
  }

  return {
    async *fetchModifiedSince(entity: EntityType, since: Date, signal?: AbortSignal): AsyncIterable<SourceRecord[]> {
      for (const object of ENTITY_OBJECTS[entity]) yield* modifiedSince(object, since, signal);
    },

    async getRecordCount(entity: EntityType): Promise<number> {
      let total = 0;
      for (const object of ENTITY_OBJECTS[entity]) total += await count(object);
      return total;
    },

    async fetchRecords(entity: EntityType, cursor: string | null, limit: number): Promise<RecordPage> {
      const objects = ENTITY_OBJECTS[entity];
      const c = cursor ? decodeCursor(cursor) : { o: 0, a: null };
      const object = objects[c.o];
      if (object === undefined) return { records: [], nextCursor: null };
      const page = await listPage(object, c.a, Math.max(1, Math.min(MAX_PAGE, Math.floor(limit) || MAX_PAGE)));
      const next = page.after !== null ? { o: c.o, a: page.after } : c.o + 1 < objects.length ? { o: c.o + 1, a: null } : null;
      return { records: page.records, nextCursor: next ? encodeCursor(next) : null };
    },

    async *bulkFetchRecords(entity: EntityType, options: BulkOptions = {}): AsyncIterable<RecordBatch> {
      const objects = ENTITY_OBJECTS[entity];
      const first: BulkResume = options.resume ? decodeResume(options.resume) : { o: 0, mode: 'export' };
      for (let o = first.o; o < objects.length; o++) {
        options.signal?.throwIfAborted();
        const object = objects[o]!;
        const r: BulkResume = o === first.o ? first : { o, mode: 'export' };
        if (r.mode === 'page') {
          yield* pages(object, r.after ?? null, o);
          continue;
        }
        try {
          yield* exported(object, r, o, options.signal);
        } catch (err) {
          const unsupported = isCrmError(err) && (err.kind === 'invalid_request' || err.kind === 'not_found' || err.kind === 'insufficient_scope');
          if (!(err instanceof ExportUnavailable) && !unsupported) throw err;
          // The export failed, timed out or is not allowed: the standard path for this object (records already
          // delivered from a partial export come again; imports upsert by source id).
          yield* pages(object, null, o);
          continue;
        }
        yield { records: [], resume: encodeResume({ o: o + 1, mode: 'export' }) };
      }
    },

    async testConnection() {
      try {
        await http.request({ method: 'GET', url: '/crm/v3/objects/contacts', query: { limit: 1, archived: false } });
        return { isValid: true };
      } catch (err) {
        return { isValid: false, error: err instanceof Error ? err.message : String(err) };
      }
    },

    async describeFields(entity: EntityType): Promise<FieldDescriptor[]> {
      const seen = new Map<string, FieldDescriptor>();
      for (const object of ENTITY_OBJECTS[entity]) for (const f of await fields(object)) if (!seen.has(f.name)) seen.set(f.name, f);
      return [...seen.values()];
    },
  };
}
