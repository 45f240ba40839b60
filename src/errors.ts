/**
 * Every error code the API can answer with, in one place (the Fastify core habit: lib/errors.js).
 * The HTTP layer turns an AppError into `{ "error": { "code", "message", "details" } }`.
 * docs/errors.md lists these codes; test/errors-doc.test.ts fails when the two drift.
 */

export interface ErrorSpec {
  readonly status: number;
  /** Default user-facing message; a throw site may pass a more specific one. */
  readonly message: string;
}

export const ERROR_CODES = {
  // --- request shape ---
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body has a content type this endpoint does not accept.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'There is no such endpoint.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This endpoint does not accept that method.' },
  // --- identity ---
  UNAUTHENTICATED: { status: 401, message: 'Sign in first.' },
  INVALID_CREDENTIALS: { status: 401, message: 'The e-mail or password is wrong.' },
  EMAIL_TAKEN: { status: 409, message: 'An account with this e-mail already exists.' },
  TOO_MANY_ATTEMPTS: { status: 429, message: 'Too many attempts. Wait a minute and try again.' },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this.' },
  CSRF_FAILED: { status: 403, message: 'The request did not carry a valid CSRF token. Reload the page and try again.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  LAST_OWNER: { status: 409, message: 'An organization needs at least one owner.' },
  MEMBER_EXISTS: { status: 409, message: 'This person is already a member of the organization.' },
  // --- CRM connections ---
  UNKNOWN_CRM: { status: 404, message: 'There is no such CRM. Use salesforce, hubspot, pipedrive, zoho or monday.' },
  CRM_NOT_CONFIGURED: { status: 409, message: 'This CRM has no OAuth client configured on this server.' },
  OAUTH_STATE_INVALID: { status: 400, message: 'The sign-in link is invalid or was already used. Start connecting again.' },
  OAUTH_STATE_EXPIRED: { status: 400, message: 'The sign-in link expired. Start connecting again.' },
  OAUTH_ACCESS_DENIED: { status: 400, message: 'Access was denied on the CRM consent page.' },
  OAUTH_EXCHANGE_FAILED: { status: 502, message: 'The CRM did not accept the sign-in. Try connecting again.' },
  CONNECTION_INACTIVE: { status: 409, message: 'This connection is disconnected or needs to be reconnected.' },
  CONNECTION_REAUTH_REQUIRED: { status: 409, message: 'The CRM no longer accepts this connection. Reconnect it.' },
  CRM_REQUEST_FAILED: { status: 502, message: 'The CRM did not answer as expected. Try again later.' },
  CRM_RATE_LIMITED: { status: 503, message: "The CRM's rate limit was reached. Try again shortly." },
  CRM_QUOTA_EXHAUSTED: { status: 503, message: "The CRM's daily API quota is used up." },
  CRM_INSUFFICIENT_SCOPE: { status: 403, message: 'The CRM connection lacks a permission this needs. Reconnect and grant it.' },
  // --- imports ---
  CSV_INVALID: { status: 400, message: 'The file cannot be imported as CSV.' },
  INVALID_MAPPING: { status: 400, message: 'The field mapping is not valid.' },
  MIGRATION_STATE_CONFLICT: { status: 409, message: 'The import is not in a state that allows this.' },
  // --- internal ---
  INTERNAL: { status: 500, message: 'Something went wrong on our side. The error was logged.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is not ready. Try again shortly.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a stable code the API and the UI can rely on. `details` is safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown, options?: { cause?: unknown }) {
    super(message ?? ERROR_CODES[code].message, options);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Shorthand for the 404 every cross-tenant lookup answers with. */
export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} was not found.`);
}
