/**
 * monday.com's error table (https://developer.monday.com/api-reference/docs/error-handling, fact sheet §5):
 * transport errors carry real statuses (401 token, 429 limits, 5xx), application errors come as HTTP 200 with
 * `errors[].extensions.code` (or, before API 2025-01, top-level `error_code`). Both map to the provider-neutral
 * CrmErrorKind; `classifyGraphqlBody` is what the client's `inspect` hook runs on every 2xx body.
 */
import type { ClassifiedError, RateObservation } from '../types.js';

interface GraphqlError {
  message?: string;
  extensions?: { code?: string; status_code?: number; retry_in_seconds?: number } & Record<string, unknown>;
}

interface ErrorBody {
  errors?: GraphqlError[];
  error_code?: string;
  error_message?: string;
  status_code?: number;
}

/** Codes whose answer is "wait and try again". */
const RATE_CODES = new Set(['COMPLEXITY_BUDGET_EXHAUSTED', 'ComplexityException', 'RATE_LIMIT_EXCEEDED', 'maxConcurrencyExceeded', 'IP_RATE_LIMIT_EXCEEDED', 'FIELD_LIMIT_EXCEEDED', 'Rate Limit Exceeded']);
const QUOTA_CODES = new Set(['DAILY_LIMIT_EXCEEDED']);
const SCOPE_CODES = new Set(['UserUnauthorizedException', 'missingRequiredPermissions', 'Unauthorized']);
const AUTH_CODES = new Set(['TOKEN_EXPIRED', 'UNAUTHENTICATED', 'NotAuthenticated']);

function parse(body: string): ErrorBody | null {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' ? (v as ErrorBody) : null;
  } catch {
    return null;
  }
}

/** The next UTC midnight after `now`: when monday's daily call limit resets. */
export function nextUtcMidnight(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

function retryMs(e: GraphqlError | undefined, headers: Headers, legacyMessage?: string): number | undefined {
  const s = e?.extensions?.retry_in_seconds;
  if (typeof s === 'number' && s >= 0) return s * 1000;
  const legacy = legacyMessage && /reset in (\d+) seconds?/i.exec(legacyMessage);
  if (legacy) return Number(legacy[1]) * 1000;
  const h = Number(headers.get('retry-after'));
  return Number.isFinite(h) && h >= 0 && headers.has('retry-after') ? h * 1000 : undefined;
}

function fromCode(code: string | undefined, message: string | undefined, statusCode: number | undefined, e: GraphqlError | undefined, headers: Headers, legacyMessage?: string): ClassifiedError | null {
  const detail = message;
  if (code && QUOTA_CODES.has(code)) {
    const wait = retryMs(e, headers);
    return { kind: 'quota_exhausted', code, detail, resetAt: wait !== undefined ? new Date(Date.now() + wait) : nextUtcMidnight(), ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  if (code && RATE_CODES.has(code)) {
    const wait = retryMs(e, headers, legacyMessage);
    return { kind: 'rate_limited', code, detail, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  if (code && AUTH_CODES.has(code)) return { kind: 'auth_expired', code, detail };
  if (code && SCOPE_CODES.has(code)) return { kind: 'insufficient_scope', code, detail };
  if (statusCode === 403) return { kind: 'insufficient_scope', code, detail };
  if (statusCode === 429) {
    const wait = retryMs(e, headers, legacyMessage);
    return { kind: 'rate_limited', code: code ?? 'HTTP_429', detail, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  if (statusCode !== undefined && statusCode >= 500) return { kind: 'temporary', code: code ?? `HTTP_${statusCode}`, detail };
  return null;
}

/** Any non-2xx response. */
export function classifyMondayError(status: number, headers: Headers, body: string): ClassifiedError {
  const b = parse(body);
  const first = b?.errors?.[0];
  const code = first?.extensions?.code ?? b?.error_code;
  const message = first?.message ?? b?.error_message;
  if (status === 401) return { kind: 'auth_expired', code: code ?? 'UNAUTHENTICATED', detail: message };
  const known = fromCode(code, message, first?.extensions?.status_code ?? b?.status_code ?? status, first, headers, b?.error_message);
  if (known) return known;
  if (status === 403) return { kind: 'insufficient_scope', code, detail: message };
  if (status === 404) return { kind: 'not_found', code, detail: message };
  if (status === 408 || status >= 500) return { kind: 'temporary', code: code ?? `HTTP_${status}`, detail: message };
  if (status >= 400 && status < 500) return { kind: 'invalid_request', code: code ?? `HTTP_${status}`, detail: message };
  return { kind: 'unknown', code: code ?? `HTTP_${status}`, detail: message };
}

/**
 * A 2xx body: null when it holds data and no error. Any `errors[]` entry fails the request (partial data would
 * silently drop records); an unparsable body is 'temporary' (a cut-off response), so the HTTP layer retries.
 */
export function classifyGraphqlBody(headers: Headers, body: string): ClassifiedError | null {
  const b = parse(body);
  if (!b) return { kind: 'temporary', code: 'MALFORMED_JSON', detail: `unparsable response body (${body.length} bytes)` };
  return classifyGraphqlPayload(headers, b);
}

/** The same check on an already parsed body (the client parses each page once). */
export function classifyGraphqlPayload(headers: Headers, payload: unknown): ClassifiedError | null {
  if (!payload || typeof payload !== 'object') return { kind: 'temporary', code: 'MALFORMED_JSON', detail: 'response body is not a JSON object' };
  const b = payload as ErrorBody;
  const first = b.errors?.[0];
  if (!first && !b.error_code) return null;
  const code = first?.extensions?.code ?? b.error_code;
  const message = first?.message ?? b.error_message;
  const known = fromCode(code, message, first?.extensions?.status_code ?? b.status_code, first, headers, b.error_message);
  if (known) return known;
  // Everything else (CursorExpiredError, undefinedField, invalid arguments …) is the request's problem; the
  // client handles the ones it can (an expired cursor restarts the query).
  return { kind: 'invalid_request', code: code ?? 'GRAPHQL_ERROR', detail: message };
}

const HEADER_WINDOWS: Readonly<Record<string, string>> = { minuteRate: 'minute', complexityMinute: 'complexity', daily: 'daily' };

/** `RateLimit: "minuteRate";r=2499;t=60, "complexityMinute";r=4945490;t=60` (+ limits from RateLimit-Policy `q`). */
export function readMondayRateHeaders(headers: Headers): RateObservation[] {
  const state = headers.get('ratelimit');
  if (!state) return [];
  const limits = new Map<string, number>();
  for (const item of (headers.get('ratelimit-policy') ?? '').split(',')) {
    const m = /^\s*"([^"]+)"(.*)$/.exec(item);
    const q = m && /;\s*q=(\d+(?:\.\d+)?)/.exec(m[2] as string);
    if (m && q) limits.set(m[1] as string, Number(q[1]));
  }
  const out: RateObservation[] = [];
  for (const item of state.split(',')) {
    const m = /^\s*"([^"]+)"(.*)$/.exec(item);
    if (!m) continue;
    const window = HEADER_WINDOWS[m[1] as string];
    if (!window) continue;
    const r = /;\s*r=(\d+(?:\.\d+)?)/.exec(m[2] as string);
    const t = /;\s*t=(\d+(?:\.\d+)?)/.exec(m[2] as string);
    if (!r) continue;
    out.push({
      window,
      remaining: Number(r[1]),
      ...(limits.has(m[1] as string) ? { limit: limits.get(m[1] as string) } : {}),
      ...(t ? { resetMs: Number(t[1]) * 1000 } : {}),
    });
  }
  return out;
}
