/**
 * Zoho CRM's error table: HTTP status + `{ code, details, message, status: "error" }` → CrmErrorKind.
 *   401 INVALID_TOKEN (expired, revoked or bad token) / AUTHENTICATION_FAILURE → refresh once
 *   401 OAUTH_SCOPE_MISMATCH, 403 NO_PERMISSION / NOT_SUPPORTED → insufficient scope
 *   429 TOO_MANY_REQUESTS → rate limited (concurrency, downloads), or the credits of the rolling 24 h are gone
 *   400 INVALID_MODULE, 404 INVALID_URL_PATTERN / RESOURCE_NOT_FOUND → not found; other 4xx → invalid request
 *   5xx, and 2xx bodies that are not what was asked for → temporary
 * Zoho documents the 429's status and code but not its wording, nor any rate-limit header, nor when credits come
 * back (a rolling window) [unverified]: the quota case is told apart by its message, and resets are estimated.
 * Sources: zoho.com/crm/developer/docs/api/v8/status-codes.html, api-limits.html, get-records.html.
 */
import type { ClassifiedError, RateObservation } from '../types.js';

interface ZohoErrorBody {
  code?: unknown;
  message?: unknown;
  details?: unknown;
  status?: unknown;
  error?: unknown;
}

function parseBody(body: string): ZohoErrorBody {
  try {
    const v = JSON.parse(body) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      // Some endpoints wrap errors in data[] (bulk and write APIs): take the first.
      const data = (v as { data?: unknown }).data;
      if (Array.isArray(data) && data[0] && typeof data[0] === 'object') return data[0] as ZohoErrorBody;
      return v as ZohoErrorBody;
    }
  } catch {
    /* not JSON */
  }
  return {};
}

/** A credits message: "credit", "24 hour", "per day"… (anything else on a 429 is a momentary limit). */
const QUOTA_WORDING = /credit|24[- ]?hour|per day|daily|limit reached/i;

/** Credits return as the rolling window slides; with no date given, look again in an hour. */
const QUOTA_RETRY_MS = 3_600_000;

function retryAfter(headers: Headers): number | undefined {
  const v = headers.get('retry-after');
  if (v === null) return undefined;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function classifyError(status: number, headers: Headers, body: string): ClassifiedError {
  const b = parseBody(body);
  const code = typeof b.code === 'string' ? b.code : typeof b.error === 'string' ? b.error : undefined;
  const message = typeof b.message === 'string' ? b.message : undefined;
  const detail = message ?? (body.length > 0 ? body.slice(0, 300) : undefined);
  const base = { ...(code ? { code } : {}), ...(detail ? { detail } : {}) };
  const wait = retryAfter(headers);

  if (status === 429 || code === 'TOO_MANY_REQUESTS' || code === 'LIMIT_REACHED') {
    if (code === 'LIMIT_REACHED' || QUOTA_WORDING.test(message ?? '')) {
      return { kind: 'quota_exhausted', ...base, code: code ?? 'TOO_MANY_REQUESTS', retryAfterMs: wait ?? QUOTA_RETRY_MS };
    }
    return { kind: 'rate_limited', ...base, code: code ?? 'TOO_MANY_REQUESTS', ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  if (status === 401) {
    if (code === 'OAUTH_SCOPE_MISMATCH') return { kind: 'insufficient_scope', ...base };
    return { kind: 'auth_expired', ...base, code: code ?? 'INVALID_TOKEN' };
  }
  if (status === 403) return { kind: 'insufficient_scope', ...base, code: code ?? 'NO_PERMISSION' };
  if (status >= 500 || status === 408) return { kind: 'temporary', ...base, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  if (status === 404 || code === 'INVALID_MODULE' || code === 'INVALID_URL_PATTERN' || code === 'RESOURCE_NOT_FOUND') return { kind: 'not_found', ...base };
  if (status >= 400) return { kind: 'invalid_request', ...base };
  return { kind: 'unknown', ...base };
}

/** Zoho sends no rate-limit headers on CRM API responses (none documented for v8) [unverified]. */
export function readRateHeaders(_headers: Headers): RateObservation[] {
  return [];
}
