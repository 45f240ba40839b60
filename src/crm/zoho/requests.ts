/**
 * The Zoho requests this client sends, built here and sent through the shared HTTP layer (budget, retries, 401
 * refresh): each one names its path, query and credit cost. Responses go to parse.ts; a response that fails
 * validation is asked for again a few times (it may have been cut short) before the failure is thrown.
 */
import type { CrmHttp, CrmHttpResponse } from '../types.js';
import { CREDITS, type ZohoModule } from './definition.js';
import { parseCount, parseFields, parseListPage, type ListPage, type ZohoField } from './parse.js';
import { isCrmError } from '../errors.js';

const REPARSE_ATTEMPTS = 3;

/** Runs `fn` again when its response did not validate (MALFORMED_RESPONSE), then gives up loudly. */
export async function reparsing<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(isCrmError(err) && err.code === 'MALFORMED_RESPONSE') || attempt >= REPARSE_ATTEMPTS) throw err;
    }
  }
}

export interface ZohoRequests {
  listPage(module: ZohoModule, fields: readonly string[], perPage: number, pageToken: string | null): Promise<ListPage>;
  count(module: ZohoModule): Promise<number>;
  fields(module: ZohoModule): Promise<ZohoField[]>;
  currentUser(): Promise<CrmHttpResponse>;
  createBulkRead(body: unknown): Promise<CrmHttpResponse>;
  bulkStatus(jobId: string): Promise<CrmHttpResponse>;
  download(url: string): Promise<CrmHttpResponse>;
}

export function zohoRequests(http: CrmHttp): ZohoRequests {
  const get = (url: string, query?: Record<string, string | number>) => http.request({ method: 'GET', url, query, weight: CREDITS.call });
  return {
    listPage: (module, fields, perPage, pageToken) =>
      reparsing(async () => {
        // The first page by number, every later one by the previous page's token (tokens reach 100,000 records;
        // page numbers only 2,000). A token is bound to fields and per_page, so both stay the same throughout.
        const res = await get(`/crm/v8/${module}`, { fields: fields.join(','), per_page: perPage, ...(pageToken ? { page_token: pageToken } : { page: 1 }) });
        return parseListPage(res.status, await res.text(), perPage, `GET /crm/v8/${module}`);
      }),
    count: (module) => reparsing(async () => parseCount(await (await get(`/crm/v8/${module}/actions/count`)).text(), `GET /crm/v8/${module}/actions/count`)),
    fields: (module) => reparsing(async () => parseFields(await (await get('/crm/v8/settings/fields', { module })).text(), `GET /crm/v8/settings/fields?module=${module}`)),
    currentUser: () => get('/crm/v8/users', { type: 'CurrentUser' }),
    // A read-only POST: sending it again after a lost response at worst starts a second export (50 credits more),
    // never changes data, so the HTTP layer may retry it like a GET.
    createBulkRead: (body) => http.request({ method: 'POST', url: '/crm/bulk/v8/read', json: body, weight: CREDITS.bulkCreate, idempotent: true }),
    bulkStatus: (jobId) => get(`/crm/bulk/v8/read/${jobId}`),
    download: (url) => http.request({ method: 'GET', url, stream: true, rateClass: 'bulk-download', weight: CREDITS.call, timeoutMs: 120_000 }),
  };
}
