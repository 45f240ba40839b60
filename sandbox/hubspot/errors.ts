/**
 * HubSpot's error bodies, in one place: `{status: "error", message, correlationId, category, …}` for the CRM API
 * (https://developers.hubspot.com/docs/api/error-handling), the 429 bodies with `policyName`, and the legacy OAuth
 * bodies (`{status: "BAD_REFRESH_TOKEN", message}`, plus RFC 6749 `error` fields on the v3 endpoints).
 */
import { randomUUID } from 'node:crypto';
import type { FaultDecision } from '../common/index.js';

export type Category = 'VALIDATION_ERROR' | 'OBJECT_NOT_FOUND' | 'INVALID_AUTHENTICATION' | 'EXPIRED_AUTHENTICATION' | 'MISSING_SCOPES' | 'RATE_LIMITS' | 'INTERNAL_ERROR';

export function apiError(category: Category, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export const validation = (message: string, extra: Record<string, unknown> = {}) => apiError('VALIDATION_ERROR', message, extra);

export function expiredToken(expiredAt: number, now: number): Record<string, unknown> {
  const minutes = Math.max(0, Math.floor((now - expiredAt) / 60_000));
  return apiError('EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${minutes} minute(s) ago.`);
}

export const invalidToken = () =>
  apiError('INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');

export function missingScopes(required: readonly string[]): Record<string, unknown> {
  return apiError('MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", {
    errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: required } }],
  });
}

/** 429 bodies. The SDK retries TEN_SECONDLY_ROLLING by policyName and the search limit by this exact message. */
export function rateLimited(policy: 'burst' | 'daily' | 'search'): Record<string, unknown> {
  const [policyName, message] =
    policy === 'daily' ? ['DAILY', 'You have reached your daily limit.']
    : policy === 'search' ? ['SECONDLY', 'You have reached your secondly limit.']
    : ['TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.'];
  return { status: 'error', message, errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName, requestId: randomUUID() };
}

export const notFound = (message = 'Resource not found') => apiError('OBJECT_NOT_FOUND', message);

/** An injected 429/5xx in HubSpot's shape. */
export function faultBody(fault: FaultDecision): Record<string, unknown> {
  if (fault.status === 429) return rateLimited('burst');
  return apiError('INTERNAL_ERROR', fault.status === 500 ? 'internal error' : 'Service Unavailable');
}

/** Legacy OAuth error (+ RFC 6749 fields on the v3 endpoints; https://developers.hubspot.com/changelog/new-oauth-v3-api-endpoints-and-standardized-error-responses). */
export function oauthError(status: string, message: string, rfc?: { error: string; description: string }): Record<string, unknown> {
  return { status, message, correlationId: randomUUID(), ...(rfc ? { error: rfc.error, error_description: rfc.description } : {}) };
}
