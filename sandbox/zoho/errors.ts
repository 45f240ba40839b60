/**
 * Zoho CRM's one error shape, `{ code, details, message, status: "error" }`, with the codes and messages of the
 * v8 docs (get-records "Possible Errors", status-codes.html; codes enumerated in zoho/crm-oas API_Exception).
 * Token errors at the accounts server are different: HTTP 200 with `{ "error": "invalid_code" }` (oauth-routes.ts).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FaultDecision } from '../common/index.js';

export interface ZohoErrorBody {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

export const zohoErrorBody = (code: string, message: string, details: Record<string, unknown> = {}): ZohoErrorBody => ({ code, details, message, status: 'error' });

/** Sends a Zoho error and returns the reply (route handlers `return zohoError(...)`). */
export function zohoError(reply: FastifyReply, status: number, code: string, message: string, details: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).send(zohoErrorBody(code, message, details));
}

/** The messages Zoho uses, so every route says the same thing. */
export const MSG = {
  invalidToken: 'invalid oauth token',
  authFailure: 'Authentication failed',
  scope: 'invalid oauth scope to access this URL',
  invalidModule: 'the module name given seems to be invalid',
  unsupportedModule: 'The given module is not supported in API',
  urlPattern: 'Please check if the URL trying to access is a correct one',
  requestMethod: 'The http request method type is not a valid one',
  // 429s: Zoho documents the status and code, not the wording; the two causes are worded apart so a client can
  // tell "wait a moment" from "credits are gone for the rolling day" (src/crm/zoho/errors.ts reads this).
  concurrency: 'The number of concurrent API requests has exceeded the concurrency limit of your organization. Please try again after some time.',
  credits: 'API credit limit reached: the API credits of your organization for the rolling 24-hour window are exhausted.',
  downloads: 'Only 10 bulk read download requests are allowed per minute. Please try again after one minute.',
  internal: 'Internal Server Error',
} as const;

export function renderError(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): unknown {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  reply.code(status);
  if (status === 400) return zohoErrorBody('INVALID_DATA', err.code === 'INVALID_JSON' ? 'body is not a valid JSON' : err.message);
  if (status === 404) return zohoErrorBody('INVALID_URL_PATTERN', MSG.urlPattern);
  if (status === 405) return zohoErrorBody('INVALID_REQUEST_METHOD', MSG.requestMethod);
  return zohoErrorBody('INTERNAL_ERROR', MSG.internal);
}

export function renderNotFound(_req: FastifyRequest, reply: FastifyReply): unknown {
  reply.code(404);
  return zohoErrorBody('INVALID_URL_PATTERN', MSG.urlPattern);
}

/** Injected faults in Zoho's shape: a 429 reads as the concurrency limit (retry soon), 5xx as an internal error. */
export function renderFault(fault: FaultDecision): unknown {
  return fault.status === 429 ? zohoErrorBody('TOO_MANY_REQUESTS', MSG.concurrency) : zohoErrorBody('INTERNAL_ERROR', MSG.internal);
}
