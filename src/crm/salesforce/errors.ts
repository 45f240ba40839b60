/**
 * Salesforce's error table: status + body (a JSON array of {errorCode, message}, or an OAuth JSON object, or
 * plain text from the identity service) → the provider-neutral kind. Over-limit is 403 REQUEST_LIMIT_EXCEEDED
 * with no Retry-After (the daily allocation is a rolling 24 h window, so no reset instant is published).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
import type { ClassifiedError, RateObservation } from '../types.js';

/** How long to pause after the rolling daily allocation runs out: capacity frees gradually, so look again in an hour. */
export const QUOTA_PAUSE_MS = 3_600_000;

const SCOPE_CODES = new Set(['INSUFFICIENT_ACCESS', 'INSUFFICIENT_ACCESS_OR_READONLY', 'API_DISABLED_FOR_ORG', 'API_CURRENTLY_DISABLED', 'FUNCTIONALITY_NOT_ENABLED']);
const TEMPORARY_CODES = new Set(['SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION', 'QUERY_TIMEOUT', 'REQUEST_RUNNING_TOO_LONG', 'JOB_NOT_COMPLETE']);

/** The first {errorCode, message} of a Salesforce error body, whatever its shape. */
export function errorOf(body: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as unknown;
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    if (first && typeof first === 'object') {
      const o = first as Record<string, unknown>;
      const code = o.errorCode ?? o.error;
      const message = o.message ?? o.error_description;
      return { code: typeof code === 'string' ? code : undefined, message: typeof message === 'string' ? message : undefined };
    }
  } catch {
    // Not JSON: the identity service answers plain text (Bad_OAuth_Token), proxies answer HTML.
  }
  const text = body.trim();
  return /^[A-Za-z_]+$/.test(text) ? { code: text } : { message: text.slice(0, 300) || undefined };
}

function retryAfterMs(headers: Headers): number | undefined {
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const s = Number(raw);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function classifyError(status: number, headers: Headers, body: string, now: () => number = Date.now): ClassifiedError {
  const { code, message } = errorOf(body);
  const base = { ...(code ? { code } : {}), ...(message ? { detail: message } : {}) };
  if (status === 401 || code === 'INVALID_SESSION_ID' || code === 'Bad_OAuth_Token') return { kind: 'auth_expired', ...base };
  if (code === 'invalid_grant') return { kind: 'auth_revoked', ...base };
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    // ConcurrentPerOrgLongTxn: too many long requests at once — a short wait helps. TotalRequests: the daily allocation.
    if (message && /concurrent/i.test(message)) return { kind: 'rate_limited', retryAfterMs: 5_000, ...base };
    return { kind: 'quota_exhausted', resetAt: new Date(now() + QUOTA_PAUSE_MS), ...base };
  }
  if (status === 429) return { kind: 'rate_limited', retryAfterMs: retryAfterMs(headers), ...base };
  if (code && SCOPE_CODES.has(code)) return { kind: 'insufficient_scope', ...base };
  if (code && TEMPORARY_CODES.has(code)) return { kind: 'temporary', ...(code === 'JOB_NOT_COMPLETE' ? { retryAfterMs: 1_000 } : {}), ...base };
  if (status >= 500) return { kind: 'temporary', retryAfterMs: retryAfterMs(headers), ...base };
  if (status === 404 || code === 'NOT_FOUND') return { kind: 'not_found', ...base };
  if (status === 403) return { kind: 'insufficient_scope', ...base };
  if (status === 400 || status === 409 || status === 412) return { kind: 'invalid_request', ...base };
  return { kind: 'unknown', ...base };
}

/** `Sforce-Limit-Info: api-usage=18/5000` → what is left of the daily allocation. */
export function readRateHeaders(headers: Headers): RateObservation[] {
  const m = /api-usage=(\d+)\/(\d+)/.exec(headers.get('sforce-limit-info') ?? '');
  if (!m) return [];
  const used = Number(m[1]);
  const limit = Number(m[2]);
  return [{ window: 'daily', remaining: Math.max(0, limit - used), limit }];
}
