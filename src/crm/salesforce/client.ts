/**
 * The Salesforce CrmApiClient. Builds requests (through deps.http, which budgets, retries and refreshes) and
 * leaves parsing to parse.ts. Standard path: SOQL over REST, `ORDER BY Id`, batches of up to 2,000 followed by
 * nextRecordsUrl (never OFFSET, which stops at 2,000); an expired query locator resumes with `WHERE Id > last`.
 * Below Salesforce's minimum batch of 200 a page is `LIMIT n` after the last Id. Bulk path: bulk.ts.
 */
import type { EntityType } from '../../core/ids.js';
import { CrmError, isCrmError } from '../errors.js';
import type { BulkOptions, ClassifiedError, ClientDeps, CrmApiClient, CrmHttpRequest, FieldDescriptor, RecordBatch, RecordPage } from '../types.js';
import { readBulk } from './bulk.js';
import { decodeCursor, encodeCursor, freshRest, type RestState } from './cursor.js';
import { DATA_PATH, ENTITY_OBJECTS, salesforceDefinition } from './definition.js';
import { malformed, parseCount, parseDescribe, parseQueryPage, type DescribedObject, type QueryPage } from './parse.js';

const MIN_BATCH = 200;
const MAX_BATCH = salesforceDefinition.paging.maxPageSize;

/** Runs `parse` on a 2xx body inside the HTTP layer, so a malformed page is retried there like a 5xx. */
function parsing<T>(parse: (json: unknown) => T): { inspect: CrmHttpRequest['inspect']; result: () => T } {
  let value: { ok: true; v: T } | undefined;
  return {
    inspect(_status, _headers, body) {
      try {
        value = { ok: true, v: parse(JSON.parse(body)) };
        return null;
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        return { kind: 'temporary', code: 'MALFORMED_RESPONSE', detail } satisfies ClassifiedError;
      }
    },
    result() {
      if (!value) throw malformed('response was not parsed');
      return value.v;
    },
  };
}

const ID = /^[a-zA-Z0-9]{15,18}$/;

export class SalesforceClient implements CrmApiClient {
  readonly #describes = new Map<string, Promise<DescribedObject>>();

  constructor(readonly deps: ClientDeps) {}

  async #get<T>(url: string, parse: (json: unknown) => T, headers?: Record<string, string>, query?: CrmHttpRequest['query']): Promise<T> {
    const p = parsing(parse);
    await this.deps.http.request({ method: 'GET', url, query, headers, inspect: p.inspect });
    return p.result();
  }

  /** Describe of one object, fetched once per client. */
  describe(object: string): Promise<DescribedObject> {
    let d = this.#describes.get(object);
    if (!d) {
      d = this.#get(`${DATA_PATH}/sobjects/${object}/describe`, parseDescribe);
      d.catch(() => this.#describes.delete(object));
      this.#describes.set(object, d);
    }
    return d;
  }

  /** The SOQL the client reads an object with: every readable field, Id order, optionally after an Id. */
  async soql(object: string, options: { afterId?: string | null; limit?: number; orderById?: boolean } = {}): Promise<string> {
    const d = await this.describe(object);
    if (options.afterId && !ID.test(options.afterId)) throw malformed(`not a Salesforce id: ${options.afterId}`);
    return `SELECT ${d.select.join(', ')} FROM ${object}${options.afterId ? ` WHERE Id > '${options.afterId}'` : ''}${options.orderById === false ? '' : ' ORDER BY Id'}${options.limit ? ` LIMIT ${options.limit}` : ''}`;
  }

  async countObject(object: string): Promise<number> {
    return this.#get(`${DATA_PATH}/query`, parseCount, undefined, { q: `SELECT COUNT() FROM ${object}` });
  }

  async getRecordCount(entity: EntityType): Promise<number> {
    let total = 0;
    for (const object of ENTITY_OBJECTS[entity]) total += await this.countObject(object);
    return total;
  }

  #query(object: string, q: string, batch: number): Promise<QueryPage> {
    return this.#get(`${DATA_PATH}/query`, (j) => parseQueryPage(object, j), { 'sforce-query-options': `batchSize=${batch}` }, { q });
  }

  /** One page of one object from `state`; `next` null when the object is finished. */
  async restPage(object: string, state: RestState, limit: number): Promise<{ records: QueryPage['records']; next: RestState | null }> {
    const batch = Math.min(MAX_BATCH, Math.max(1, Math.floor(limit)));
    if (batch < MIN_BATCH) {
      // Keyset page: Salesforce will not batch below 200, so ask for exactly `batch` after the last Id.
      const page = await this.#query(object, await this.soql(object, { afterId: state.l, limit: batch }), MIN_BATCH);
      if (!page.done) throw malformed(`a LIMIT ${batch} query was not done in one batch`);
      const last = page.records.at(-1)?.id ?? state.l;
      const n = state.n + page.records.length;
      return { records: page.records, next: page.records.length < batch ? null : { u: null, n, t: null, l: last } };
    }
    let page: QueryPage;
    let t = state.t;
    if (state.u) {
      try {
        page = await this.#get(state.u, (j) => parseQueryPage(object, j), { 'sforce-query-options': `batchSize=${batch}` });
      } catch (err) {
        if (!(isCrmError(err) && err.code === 'INVALID_QUERY_LOCATOR')) throw err;
        // Cursors live 15 idle minutes (and 10 per user): run the query again after the last Id read.
        page = await this.#query(object, await this.soql(object, { afterId: state.l }), batch);
        t = state.n + page.totalSize;
      }
    } else {
      page = await this.#query(object, await this.soql(object, { afterId: state.l }), batch);
      t = state.n + page.totalSize;
    }
    const n = state.n + page.records.length;
    if (t === null) throw malformed('query cursor has no expected total');
    if (page.done ? n !== t : n >= t) {
      throw new CrmError('salesforce', { kind: 'temporary', code: 'INCOMPLETE_READ', detail: `${object}: read ${n} records of ${t} (done=${page.done})` });
    }
    const last = page.records.at(-1)?.id ?? state.l;
    return { records: page.records, next: page.done ? null : { u: page.next, n, t, l: last } };
  }

  async fetchRecords(entity: EntityType, cursor: string | null, limit: number): Promise<RecordPage> {
    const objects = ENTITY_OBJECTS[entity];
    const c = cursor === null ? { v: 1 as const, o: 0, r: freshRest() } : decodeCursor(cursor);
    const object = objects[c.o];
    if (object === undefined) return { records: [], nextCursor: null };
    const { records, next } = await this.restPage(object, c.r, limit);
    const nextCursor = next !== null
      ? encodeCursor({ v: 1, o: c.o, r: next })
      : c.o + 1 < objects.length ? encodeCursor({ v: 1, o: c.o + 1, r: freshRest() }) : null;
    return { records, nextCursor };
  }

  bulkFetchRecords(entity: EntityType, options: BulkOptions = {}): AsyncIterable<RecordBatch> {
    return readBulk(this, ENTITY_OBJECTS[entity], options);
  }

  async testConnection(): Promise<{ isValid: boolean; error?: string }> {
    try {
      await this.deps.http.request({ method: 'GET', url: `${DATA_PATH}/limits` });
      return { isValid: true };
    } catch (err) {
      // A rejected token whose refresh is refused too (revoked app) surfaces from the token provider, not as a CrmError.
      if (err instanceof Error && err.name === 'AbortError') throw err;
      return { isValid: false, error: isCrmError(err) ? err.message : err instanceof Error ? err.message : String(err) };
    }
  }

  async describeFields(entity: EntityType): Promise<FieldDescriptor[]> {
    const seen = new Map<string, FieldDescriptor>();
    for (const object of ENTITY_OBJECTS[entity]) {
      for (const f of (await this.describe(object)).fields) if (!seen.has(f.name)) seen.set(f.name, f);
    }
    return [...seen.values()];
  }
}

export function createClient(deps: ClientDeps): CrmApiClient {
  return new SalesforceClient(deps);
}
