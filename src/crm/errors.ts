/**
 * CrmError: a CRM call that finally failed, in the provider-neutral set retry logic reads (CrmErrorKind), with a
 * message a user can act on. Each CRM's own error table (src/crm/<id>/errors.ts) produces the classification;
 * this file turns it into words and into the API's error codes.
 */
import { CRM_NAMES, type CrmId } from '../core/ids.js';
import { AppError, type ErrorCode } from '../errors.js';
import type { ClassifiedError, CrmErrorKind } from './types.js';

export class CrmError extends Error {
  readonly crm: CrmId;
  readonly kind: CrmErrorKind;
  readonly code: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly resetAt: Date | undefined;

  constructor(crm: CrmId, classified: ClassifiedError, status?: number, options?: { cause?: unknown }) {
    super(userMessage(crm, classified), options);
    this.name = 'CrmError';
    this.crm = crm;
    this.kind = classified.kind;
    this.code = classified.code;
    this.status = status;
    this.retryAfterMs = classified.retryAfterMs;
    this.resetAt = classified.resetAt;
  }
}

export function isCrmError(err: unknown): err is CrmError {
  return err instanceof CrmError;
}

function when(date: Date | undefined): string {
  return date ? `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC` : 'the limit resets';
}

/** What a person should read, per kind. No tokens, no raw bodies. */
export function userMessage(crm: CrmId, c: ClassifiedError): string {
  const name = CRM_NAMES[crm];
  switch (c.kind) {
    case 'auth_expired':
      return `${name} rejected the access token even after refreshing it. Reconnect ${name}.`;
    case 'auth_revoked':
      return `${name} no longer accepts this connection (it was revoked, expired or the app was uninstalled). Reconnect ${name}.`;
    case 'insufficient_scope':
      return `The ${name} connection lacks a permission this needs${c.code ? ` (${c.code})` : ''}. Reconnect ${name} and grant access to the records being imported.`;
    case 'rate_limited':
      return `${name} asked us to slow down; the import waits and continues by itself.`;
    case 'quota_exhausted':
      return `Your ${name} account's daily API limit is used up; the import resumes at ${when(c.resetAt)}.`;
    case 'temporary':
      return `${name} is not answering reliably right now; we retried and will try again later.`;
    case 'not_found':
      return `${name} says the requested object does not exist${c.code ? ` (${c.code})` : ''}.`;
    case 'invalid_request':
      return `${name} rejected the request${c.code ? ` (${c.code})` : ''}${c.detail ? `: ${c.detail.slice(0, 300)}` : ''}.`;
    default:
      return `${name} answered unexpectedly${c.code ? ` (${c.code})` : ''}.`;
  }
}

const API_CODES: Record<CrmErrorKind, ErrorCode> = {
  auth_expired: 'CONNECTION_REAUTH_REQUIRED',
  auth_revoked: 'CONNECTION_REAUTH_REQUIRED',
  insufficient_scope: 'CRM_INSUFFICIENT_SCOPE',
  rate_limited: 'CRM_RATE_LIMITED',
  quota_exhausted: 'CRM_QUOTA_EXHAUSTED',
  temporary: 'CRM_REQUEST_FAILED',
  not_found: 'CRM_REQUEST_FAILED',
  invalid_request: 'CRM_REQUEST_FAILED',
  unknown: 'CRM_REQUEST_FAILED',
};

/** The API error for a CrmError surfacing in a request (e.g. the count endpoint). */
export function toAppError(err: CrmError): AppError {
  return new AppError(API_CODES[err.kind], err.message, {
    crm: err.crm,
    kind: err.kind,
    ...(err.code ? { crmCode: err.code } : {}),
    ...(err.resetAt ? { resetAt: err.resetAt.toISOString() } : {}),
    ...(err.retryAfterMs ? { retryAfterSeconds: Math.ceil(err.retryAfterMs / 1000) } : {}),
  });
}
