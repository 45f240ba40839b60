/**
 * The parameters of `GET /crm/v8/{module}` checked the way Zoho does (get-records.html "Possible Errors"), and
 * the order records come in: by id (default, descending), Created_Time or Modified_Time.
 */
import type { WorldRecordBase } from '../common/index.js';
import type { FieldDef } from './fields.js';
import type { IndexList, ModuleSpec } from './modules.js';
import { bindingOf, decodePageToken, DISCRETE_LIMIT, MAX_FIELDS, MAX_PER_PAGE, TOKEN_LIMIT, type PageToken } from './paging.js';
import type { ZohoState } from './state.js';

export interface ListError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export interface ListRequest {
  readonly fields: FieldDef<WorldRecordBase>[];
  readonly perPage: number;
  readonly offset: number;
  readonly page: number;
  readonly sortBy: 'id' | 'Created_Time' | 'Modified_Time';
  readonly sortOrder: 'asc' | 'desc';
  readonly binding: string;
  readonly converted: 'false' | 'true' | 'both';
}

const bad = (code: string, message: string, details: Record<string, unknown> = {}): ListError => ({ status: 400, code, message, details });
const positiveInt = (s: string): number | null => (/^\d{1,9}$/.test(s) && Number(s) > 0 ? Number(s) : null);

/** Validates a list request; `now` for page-token expiry, `user` for token ownership. */
export function parseListRequest(state: ZohoState, m: ModuleSpec, q: Record<string, string | undefined>, user: string, now: number): ListRequest | ListError {
  const names = (q.fields ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) return bad('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'fields' });
  const unique = [...new Set(names.map((n) => n.toLowerCase()))];
  if (unique.length > MAX_FIELDS) return bad('LIMIT_EXCEEDED', 'Fields limit exceeded', { param_name: 'fields', limit: MAX_FIELDS });
  const fields: FieldDef<WorldRecordBase>[] = [];
  for (const n of names) {
    if (n.toLowerCase() === 'id') continue;
    const f = state.modules.field(m, n);
    if (!f) return bad('INVALID_DATA', 'the field name given seems to be invalid', { api_name: n });
    if (!fields.includes(f)) fields.push(f);
  }
  if (q.page !== undefined && q.page_token !== undefined) {
    return bad('AMBIGUITY_DURING_PROCESSING', 'You cannot use both page and page_token', { ambiguity_due_to: ['page', 'page_token'] });
  }
  if (q.cvid !== undefined && q.sort_by !== undefined) {
    return bad('AMBIGUITY_DURING_PROCESSING', 'You cannot use both cvid and sort_by', { ambiguity_due_to: ['cvid', 'sort_by'] });
  }
  if (q.cvid !== undefined) return bad('INVALID_DATA', 'the custom view id given seems to be invalid', { param_name: 'cvid' });
  // per_page above 200 is served as 200 (the documented maximum; Zoho names no error for it) [unverified].
  const perPageRaw = q.per_page === undefined ? MAX_PER_PAGE : positiveInt(q.per_page);
  if (perPageRaw === null) return bad('INVALID_DATA', 'invalid data', { param_name: 'per_page' });
  const perPage = Math.min(MAX_PER_PAGE, perPageRaw);
  const sortBy = q.sort_by ?? 'id';
  if (sortBy !== 'id' && sortBy !== 'Created_Time' && sortBy !== 'Modified_Time') return bad('INVALID_DATA', 'invalid data', { param_name: 'sort_by' });
  const sortOrder = q.sort_order ?? 'desc';
  if (sortOrder !== 'asc' && sortOrder !== 'desc') return bad('INVALID_DATA', 'invalid data', { param_name: 'sort_order' });
  const converted = q.converted ?? 'false';
  if (converted !== 'false' && converted !== 'true' && converted !== 'both') return bad('INVALID_DATA', 'invalid data', { param_name: 'converted' });
  const binding = bindingOf([m.code, names.join(','), perPage, sortBy, sortOrder, converted]);

  if (q.page_token !== undefined) {
    const t: PageToken | null = decodePageToken(state.tokenKey, q.page_token);
    if (t === null || t.u !== user || t.m !== m.code) return bad('INVALID_DATA', 'The token given seems to be invalid', { param_name: 'page_token' });
    if (now >= t.e) return bad('EXPIRED_VALUE', 'The token given has expired', { param_name: 'page_token' });
    if (t.b !== binding) return bad('TOKEN_BOUND_DATA_MISMATCH', 'The page_token given seems to be invalid or input param is added, altered, or deleted', { param_name: 'page_token' });
    if (t.o >= TOKEN_LIMIT) return bad('PAGINATION_LIMIT_EXCEEDED', 'You can only get up to first 100000 records using page_token param', { limit: TOKEN_LIMIT });
    return { fields, perPage, offset: t.o, page: Math.floor(t.o / perPage) + 1, sortBy, sortOrder, binding, converted };
  }
  const page = q.page === undefined ? 1 : positiveInt(q.page);
  if (page === null) return bad('INVALID_DATA', 'invalid data', { param_name: 'page' });
  if (page * perPage > DISCRETE_LIMIT) {
    return bad('DISCRETE_PAGINATION_LIMIT_EXCEEDED', 'You can only get the first 2000 records without using page_token param', { limit: DISCRETE_LIMIT });
  }
  return { fields, perPage, offset: (page - 1) * perPage, page, sortBy, sortOrder, binding, converted };
}

/** The module's live records in the requested order: position k → world index. */
export function ordered(state: ZohoState, m: ModuleSpec, list: IndexList, sortBy: ListRequest['sortBy'], order: ListRequest['sortOrder']): IndexList {
  let byKey: IndexList = list;
  if (sortBy !== 'id') {
    const cacheKey = `${m.api}:${sortBy}`;
    let perm = state.sortCache.get(cacheKey);
    if (!perm || perm.length !== list.length) {
      const keys = new Float64Array(list.length);
      for (let k = 0; k < list.length; k++) {
        const r = state.modules.record(m, list.at(k));
        keys[k] = sortBy === 'Created_Time' ? r.createdAt : r.updatedAt;
      }
      perm = Uint32Array.from({ length: list.length }, (_, k) => k).sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
      state.sortCache.set(cacheKey, perm);
    }
    const p = perm;
    byKey = { length: list.length, at: (k) => list.at(p[k] as number) };
  }
  return order === 'asc' ? byKey : { length: byKey.length, at: (k) => byKey.at(byKey.length - 1 - k) };
}
