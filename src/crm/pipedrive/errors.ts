/**
 * Pipedrive's error table: status + body → the provider-neutral CrmErrorKind, and its rate-limit headers.
 * Sources: core-api-concepts-http-status-codes, marketplace-oauth-and-api-proxy-status-codes,
 * core-api-concepts-rate-limiting (burst headers; 429 "Request over limit" for the burst window and for an exhausted
 * daily budget alike; a 403 Cloudflare HTML page for clients that keep hammering after 429s).
 *
 * Telling the two 429s apart: no header exposes the daily budget, and both answer "Request over limit". A 429 whose
 * `x-ratelimit-remaining` is still above zero was not refused by the burst window, so it is the daily budget
 * (quota_exhausted, until the next midnight; Pipedrive resets at midnight "server time", which we take as UTC). A 429
 * without the header (a proxy or an injected fault) is treated as the burst window.
 */
import type { ClassifiedError, RateObservation } from '../types.js';

function bodyOf(text: string): { error?: string; code?: string; errorCode?: number; error_info?: string } | null {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, never>) : null;
  } catch {
    return null;
  }
}

function intHeader(headers: Headers, name: string): number | undefined {
  const v = headers.get(name);
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Retry-After in seconds or as an HTTP date. */
function retryAfterMs(headers: Headers, now: number): number | undefined {
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const s = Number(raw);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The next UTC midnight after `now`. */
export function nextUtcMidnight(now: number): Date {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
}

export function classifyError(status: number, headers: Headers, text: string, now: number = Date.now()): ClassifiedError {
  const body = bodyOf(text);
  const detail = body?.error ?? text.slice(0, 300);
  if (status === 401) {
    return { kind: 'auth_expired', code: /invalid token/i.test(body?.error ?? '') ? 'INVALID_TOKEN' : 'UNAUTHORIZED', detail };
  }
  if (status === 429) {
    const remaining = intHeader(headers, 'x-ratelimit-remaining');
    if (remaining !== undefined && remaining > 0) {
      return { kind: 'quota_exhausted', code: 'DAILY_TOKEN_BUDGET', detail, resetAt: nextUtcMidnight(now) };
    }
    const reset = intHeader(headers, 'x-ratelimit-reset');
    const wait = retryAfterMs(headers, now) ?? (reset !== undefined ? reset * 1000 : undefined);
    return { kind: 'rate_limited', code: 'REQUEST_OVER_LIMIT', detail, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  if (status === 403) {
    if (body === null) {
      // Cloudflare's HTML block page for traffic that ignored 429s: back off for a good while.
      return { kind: 'rate_limited', code: 'CLOUDFLARE_BLOCK', detail: 'access denied by Cloudflare', retryAfterMs: 60_000 };
    }
    return { kind: 'insufficient_scope', code: 'SCOPE_MISMATCH', detail };
  }
  if (status === 402) return { kind: 'invalid_request', code: 'PAYMENT_REQUIRED', detail: detail || 'Company account is not open' };
  if (status === 404) return { kind: 'not_found', code: 'NOT_FOUND', detail };
  if (status === 400 || status === 410 || status === 422) return { kind: 'invalid_request', code: body?.code ?? `HTTP_${status}`, detail };
  if (status >= 500) {
    const wait = retryAfterMs(headers, now);
    return { kind: 'temporary', code: `HTTP_${status}`, detail, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  return { kind: 'unknown', code: `HTTP_${status}`, detail };
}

/** `x-ratelimit-limit`, `-remaining`, `-reset` (seconds) describe the 2-second burst window of the token. */
export function readRateHeaders(headers: Headers): RateObservation[] {
  const remaining = intHeader(headers, 'x-ratelimit-remaining');
  if (remaining === undefined) return [];
  const limit = intHeader(headers, 'x-ratelimit-limit');
  const reset = intHeader(headers, 'x-ratelimit-reset');
  return [{ window: 'burst', remaining, ...(limit !== undefined ? { limit } : {}), ...(reset !== undefined ? { resetMs: reset * 1000 } : {}) }];
}
