/**
 * Pipedrive's error bodies, in one place. Sources: openapi-v1 (401 `unauthorizedResponse`, 403 `failResponse`),
 * openapi-v2 (404 `Entity was not found` / `Object was not found.`), marketplace-oauth-and-api-proxy-status-codes
 * (400 malformed authorization header, 401 `Invalid token: access_token is invalid`, 403 `Scope and URL
 * mismatch`, 404 `%Resource not found`, 429 `Request over limit`), core-api-concepts-http-status-codes (402).
 * [unverified] The v2 validation body (`code: ERR_SCHEMA_VALIDATION_FAILED`, seen in third-party code handling real
 * responses) and its exact message wording; which of the two 401 messages an expired token gets (we answer the v1
 * spec's "unauthorized access" for expired tokens and the OAuth proxy's "Invalid token" for unknown or revoked ones).
 */
import type { FastifyReply } from 'fastify';

export const ERROR_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

export const unauthorized = (reply: FastifyReply, reason: 'missing' | 'expired' | 'unknown' | 'revoked') =>
  reply.code(401).send(
    reason === 'unknown' || reason === 'revoked'
      ? { success: false, error: 'Invalid token: access_token is invalid', errorCode: 401, error_info: ERROR_INFO }
      : { success: false, error: 'unauthorized access', errorCode: 401 },
  );

export const malformedAuthorization = (reply: FastifyReply) =>
  reply.code(400).send({ success: false, error: 'Invalid request: malformed authorization header', errorCode: 400, error_info: ERROR_INFO });

export const scopeMismatch = (reply: FastifyReply) =>
  reply.code(403).send({ success: false, error: 'Scope and URL mismatch', errorCode: 403, error_info: ERROR_INFO, data: null, additional_data: null });

export const paymentRequired = (reply: FastifyReply) =>
  reply.code(402).send({ success: false, error: 'Company account is not open', errorCode: 402, error_info: ERROR_INFO, data: null, additional_data: null });

export const overLimit = { success: false, error: 'Request over limit' } as const;

/** 400 from the v2 request schema (limit over 500, bad cursor …). */
export const validation = (reply: FastifyReply, message: string) =>
  reply.code(400).send({ success: false, error: `Validation failed: ${message}`, code: 'ERR_SCHEMA_VALIDATION_FAILED', error_info: ERROR_INFO, data: null, additional_data: null });

/** 400 for a real Pipedrive parameter the sandbox does not simulate: loud, so no caller gets silently unfiltered data. */
export const unsupported = (reply: FastifyReply, param: string) =>
  reply.code(400).send({ success: false, error: `The sandbox does not support the parameter "${param}"`, error_info: 'crm-migrate Pipedrive sandbox', data: null, additional_data: null });

/** v2 404 (openapi-v2 example). */
export const entityNotFound = (reply: FastifyReply) =>
  reply.code(404).send({ success: false, error: 'Entity was not found', error_info: 'Object was not found.', data: null, additional_data: null });

/** v1 404: "%Resource not found". */
export const resourceNotFound = (reply: FastifyReply, resource: string) =>
  reply.code(404).send({ success: false, error: `${resource} not found`, errorCode: 404, error_info: ERROR_INFO, data: null, additional_data: null });

/** An unknown path ([unverified] wording). */
export const unknownMethod = { success: false, error: 'Unknown method .', errorCode: 404, error_info: ERROR_INFO } as const;
