/**
 * Query-string checks shared by the list routes. Pipedrive parameters the sandbox does not simulate are refused
 * with a 400 (never silently ignored: a caller relying on a filter must not get unfiltered data).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeCursor } from './ids.js';
import { unsupported, validation } from './errors.js';

export type Query = Record<string, string | string[] | undefined>;

/** Real Pipedrive list parameters the sandbox does not implement. */
const UNSUPPORTED = [
  'filter_id', 'owner_id', 'user_id', 'org_id', 'person_id', 'deal_id', 'lead_id', 'pipeline_id', 'stage_id', 'done',
  'updated_since', 'updated_until', 'include_fields', 'custom_fields', 'include_labels', 'sort', 'start_date', 'end_date',
  'since_timestamp', 'project_id', 'type', 'first_char',
];

export function query(req: FastifyRequest): Query {
  return req.query as Query;
}

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** Sends a 400 and returns false when the query uses a parameter the sandbox does not simulate. */
export function rejectUnsupported(q: Query, reply: FastifyReply, allowed: readonly string[] = []): boolean {
  for (const p of UNSUPPORTED) {
    if (q[p] !== undefined && !allowed.includes(p)) {
      void unsupported(reply, p);
      return false;
    }
  }
  return true;
}

export interface V2Paging {
  limit: number;
  afterId: number;
  labels: boolean;
}

/** v2 `limit` (default 100, max 500: more is a 400), `cursor`, `sort_by=id`, `sort_direction=asc`, `include_option_labels`. */
export function v2Paging(q: Query, reply: FastifyReply): V2Paging | undefined {
  const rawLimit = one(q, 'limit');
  let limit = 100;
  if (rawLimit !== undefined) {
    if (!/^-?\d+$/.test(rawLimit)) return void validation(reply, 'limit: Expected number, received string');
    limit = Number(rawLimit);
    if (limit > 500) return void validation(reply, 'limit: Number must be less than or equal to 500');
    if (limit < 1) return void validation(reply, 'limit: Number must be greater than or equal to 1');
  }
  const rawCursor = one(q, 'cursor');
  let afterId = 0;
  if (rawCursor !== undefined && rawCursor !== '') {
    const id = decodeCursor(rawCursor);
    if (id === null) return void validation(reply, 'cursor: Invalid cursor');
    afterId = id;
  }
  const sortBy = one(q, 'sort_by');
  if (sortBy !== undefined && sortBy !== 'id') {
    if (sortBy === 'update_time' || sortBy === 'add_time') return void unsupported(reply, `sort_by=${sortBy}`);
    return void validation(reply, "sort_by: Invalid enum value. Expected 'id' | 'update_time' | 'add_time'");
  }
  const dir = one(q, 'sort_direction');
  if (dir !== undefined && dir !== 'asc') {
    if (dir === 'desc') return void unsupported(reply, 'sort_direction=desc');
    return void validation(reply, "sort_direction: Invalid enum value. Expected 'asc' | 'desc'");
  }
  const labels = one(q, 'include_option_labels');
  if (labels !== undefined && labels !== 'true' && labels !== 'false') return void validation(reply, 'include_option_labels: Expected boolean');
  return { limit, afterId, labels: labels === 'true' };
}

/** v2 `ids` (comma-separated, at most 100), or null when absent. */
export function v2Ids(q: Query, reply: FastifyReply): number[] | null | undefined {
  const raw = one(q, 'ids');
  if (raw === undefined || raw === '') return null;
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.length > 100) return void validation(reply, 'ids: Array must contain at most 100 element(s)');
  if (!parts.every((p) => /^\d+$/.test(p))) return void validation(reply, 'ids: Expected number, received string');
  return [...new Set(parts.map(Number))].sort((a, b) => a - b);
}

/** Deals `status` (comma-separated open, won, lost, deleted), or undefined = every status but deleted. */
export function dealStatuses(q: Query, reply: FastifyReply): Set<string> | null | undefined {
  const raw = one(q, 'status');
  if (raw === undefined || raw === '') return null;
  const parts = raw.split(',').map((s) => s.trim());
  if (!parts.every((p) => ['open', 'won', 'lost', 'deleted'].includes(p))) {
    return void validation(reply, "status: Invalid enum value. Expected 'open' | 'won' | 'lost' | 'deleted'");
  }
  return new Set(parts);
}

export interface V1Paging {
  start: number;
  limit: number;
}

/**
 * v1 `start` (default 0) and `limit` (default 100, max 500). [unverified] What v1 does with limit > 500 is not
 * documented beyond "the maximum limit value is 500" (core-api-concepts-pagination); the sandbox caps it at 500
 * and reports the effective limit in `pagination.limit`, so a client must follow `next_start`, not its own sum.
 */
export function v1Paging(q: Query, reply: FastifyReply): V1Paging | undefined {
  const rawStart = one(q, 'start') ?? '0';
  const rawLimit = one(q, 'limit') ?? '100';
  if (!/^\d+$/.test(rawStart)) return void validation(reply, 'start: Expected number');
  if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1) return void validation(reply, 'limit: Expected a positive number');
  return { start: Number(rawStart), limit: Math.min(500, Number(rawLimit)) };
}

/** The v1 pagination block (`additional_data.pagination`). */
export function v1Pagination(start: number, limit: number, returned: number, total: number) {
  const more = start + returned < total;
  return { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + returned } : {}) };
}
