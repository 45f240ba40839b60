/**
 * monday.com error bodies (https://developer.monday.com/api-reference/docs/error-handling, fact sheet §5).
 * Application errors are HTTP 200 with `errors[]` (extensions.code, maybe status_code and error_data) and
 * `account_id`; transport errors use real statuses: 401 for a bad or expired token, 429 for rate limits, 500.
 */
import type { FaultDecision } from '../common/index.js';
import { ACCOUNT } from './ids.js';
import type { GraphqlErrorEntry } from './graphql/types.js';

export interface ErrorReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

export function graphqlErrors(errors: GraphqlErrorEntry[], data?: unknown): Record<string, unknown> {
  return { ...(data === undefined ? {} : { data }), errors, account_id: Number(ACCOUNT.id) };
}

/**
 * HTTP 401 for a missing, unknown, revoked or expired token. The status is documented (Databricks'
 * troubleshooting guide [3p]); the body is [unverified]: we use the unified 2025-01 error shape and an RFC 6750
 * WWW-Authenticate header, and tell an expired token (refresh it) from an invalid one (reconnect) in both.
 */
export function unauthenticated(reason: 'missing' | 'unknown' | 'revoked' | 'expired'): ErrorReply {
  const expired = reason === 'expired';
  const message = expired ? 'Access token has expired' : 'Not Authenticated';
  return {
    status: 401,
    body: { errors: [{ message, extensions: { code: expired ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED', status_code: 401, error_data: {} } }] },
    headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${expired ? 'The access token expired' : 'The access token is invalid'}"` },
  };
}

/** HTTP 429 with `retry_in_seconds` (minute limit, daily limit, IP limit, concurrency). */
export function tooMany(code: string, message: string, retrySeconds: number): ErrorReply {
  return {
    status: 429,
    body: graphqlErrors([{ message, extensions: { code, retry_in_seconds: retrySeconds } }]),
    headers: { 'retry-after': String(retrySeconds) },
  };
}

/**
 * The complexity budget error, by API version: 2025-07 and later as in the breaking-change changelog; 2025-01
 * to 2025-04 with complexity, budget left/limit and status_code 429; earlier versions the legacy top-level
 * ComplexityException. All are application errors, HTTP 200 (Airbyte's 200_complexityBudgetExhausted.json
 * fixture), with Retry-After.
 */
export function complexityExhausted(version: string, query: number, left: number, limit: number, retrySeconds: number): ErrorReply {
  const headers = { 'retry-after': String(retrySeconds) };
  if (version >= '2025-07') {
    return { status: 200, headers, body: graphqlErrors([{ message: 'Complexity budget exhausted', extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: retrySeconds } }]) };
  }
  if (version >= '2025-01') {
    return {
      status: 200, headers,
      body: graphqlErrors([{ message: 'Complexity budget exhausted', extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', complexity: query, complexity_budget_left: left, complexity_budget_limit: limit, retry_in_seconds: retrySeconds, status_code: 429 } }]),
    };
  }
  return {
    status: 200, headers,
    body: {
      error_code: 'ComplexityException', status_code: 429, error_data: {}, account_id: Number(ACCOUNT.id),
      error_message: `Complexity budget exhausted, query cost ${query} budget remaining ${left} out of ${limit} reset in ${retrySeconds} seconds`,
    },
  };
}

/** A single query above the 5,000,000-point cap. */
export function maxComplexityExceeded(query: number, max: number): ErrorReply {
  return { status: 200, body: graphqlErrors([{ message: `Query has complexity of ${query}, which exceeds max complexity of ${max}`, extensions: { code: 'maxComplexityExceeded', complexity: query, maxComplexity: max } }]) };
}

/** Injected faults in monday's shapes: 429 like the minute limit, 5xx like its documented internal error. */
export function faultBody(fault: FaultDecision): Record<string, unknown> {
  if (fault.status === 429) return graphqlErrors([{ message: 'Rate Limit Exceeded', extensions: { code: 'RATE_LIMIT_EXCEEDED', retry_in_seconds: 1 } }]);
  return { error_message: 'Internal server error', status_code: fault.status ?? 500 };
}
