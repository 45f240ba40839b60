/**
 * HubSpot's error table: status + body → CrmErrorKind. Bodies are `{status: "error", message, category, …}`
 * (https://developers.hubspot.com/docs/api/error-handling); 429s name their window in `policyName` (DAILY means the
 * daily quota: pause until midnight; TEN_SECONDLY_ROLLING/SECONDLY mean wait briefly); OAuth errors use the legacy
 * `status` codes (BAD_REFRESH_TOKEN …) and, on v3, RFC 6749 `error` fields.
 */
import type { ClassifiedError, RateObservation } from '../types.js';

interface HubSpotErrorBody {
  status?: string;
  message?: string;
  category?: string;
  subCategory?: string;
  policyName?: string;
  error?: string;
}

function parseBody(body: string): HubSpotErrorBody {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as HubSpotErrorBody) : {};
  } catch {
    return {};
  }
}

function retryAfterMs(headers: Headers): number | undefined {
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const s = Number(raw);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The next midnight UTC: HubSpot resets the daily limit at midnight in the account's time zone, which a 429 does not name. */
export function nextMidnightUtc(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/** Classifies any non-2xx HubSpot response. `now` is injectable for tests. */
export function classifyError(status: number, headers: Headers, body: string, now: Date = new Date()): ClassifiedError {
  const b = parseBody(body);
  const detail = b.message ?? (body.length > 0 ? body.slice(0, 500) : undefined);
  const code = b.category ?? b.policyName ?? (b.status && b.status !== 'error' ? b.status : undefined);
  const out = (kind: ClassifiedError['kind'], extra: Partial<ClassifiedError> = {}): ClassifiedError => ({
    kind, ...(code ? { code } : {}), ...(detail ? { detail } : {}), ...extra,
  });

  if (status === 429) {
    if (b.policyName === 'DAILY') return out('quota_exhausted', { code: 'DAILY', resetAt: nextMidnightUtc(now) });
    const wait = retryAfterMs(headers) ?? (b.policyName === 'SECONDLY' ? 1_000 : undefined);
    return out('rate_limited', wait === undefined ? {} : { retryAfterMs: wait });
  }
  if (status === 401) return out('auth_expired'); // EXPIRED_AUTHENTICATION or INVALID_AUTHENTICATION: refresh once, then reconnect
  if (status === 400 && (b.status === 'BAD_REFRESH_TOKEN' || b.error === 'invalid_grant')) return out('auth_revoked');
  if (status === 403) return out('insufficient_scope', { code: b.category ?? 'FORBIDDEN' });
  if (status === 404) return out('not_found', { code: b.category ?? 'OBJECT_NOT_FOUND' });
  // 423 Locked and HubSpot's 477 "Migration in progress" are documented as retry-later conditions.
  if (status === 408 || status === 423 || status === 477 || status >= 500) return out('temporary', { ...(retryAfterMs(headers) !== undefined ? { retryAfterMs: retryAfterMs(headers) } : {}) });
  if (status === 400 || status === 409 || status === 413 || status === 414 || status === 415) return out('invalid_request');
  return out('unknown');
}

/** X-HubSpot-RateLimit-* (burst window; the daily pair only reaches non-OAuth callers, read when present). */
export function readRateHeaders(headers: Headers): RateObservation[] {
  const out: RateObservation[] = [];
  const n = (k: string): number | undefined => {
    const v = headers.get(k);
    const x = v === null ? NaN : Number(v);
    return Number.isFinite(x) ? x : undefined;
  };
  const remaining = n('x-hubspot-ratelimit-remaining');
  if (remaining !== undefined) {
    // -Interval-Milliseconds is the window's length (10 s), not the time until it resets, so it is not a resetMs.
    out.push({ window: 'burst', remaining, ...(n('x-hubspot-ratelimit-max') !== undefined ? { limit: n('x-hubspot-ratelimit-max') } : {}) });
  }
  const daily = n('x-hubspot-ratelimit-daily-remaining');
  if (daily !== undefined) out.push({ window: 'daily', remaining: daily, ...(n('x-hubspot-ratelimit-daily') !== undefined ? { limit: n('x-hubspot-ratelimit-daily') } : {}) });
  return out;
}
