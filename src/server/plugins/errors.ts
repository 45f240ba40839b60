/**
 * One error shape for the whole API: `{ "error": { "code", "message", "details"? } }`. AppErrors carry their own
 * code; Fastify's own 4xx (validation, bad JSON, wrong content type, too large) are mapped to stable codes;
 * anything else is logged and answered as INTERNAL without leaking its message.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, ERROR_CODES, isAppError, type ErrorCode } from '../../errors.js';
import { isCrmError, toAppError } from '../../crm/errors.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function errorBody(code: ErrorCode, message?: string, details?: unknown): ErrorBody {
  return { error: { code, message: message ?? ERROR_CODES[code].message, ...(details === undefined ? {} : { details }) } };
}

export function sendError(reply: FastifyReply, err: AppError): FastifyReply {
  if (err.code === 'TOO_MANY_ATTEMPTS' || err.code === 'CRM_RATE_LIMITED') {
    const retry = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (retry) void reply.header('retry-after', String(retry));
  }
  return reply.status(err.status).send(errorBody(err.code, err.message, err.details));
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'VALIDATION_FAILED',
  FST_FIELDS_LIMIT: 'VALIDATION_FAILED',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

export function errorHandler(this: FastifyInstance, err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isCrmError(err)) {
    request.log.warn({ crm: err.crm, kind: err.kind, code: err.code, status: err.status }, 'CRM request failed');
    return sendError(reply, toAppError(err));
  }
  if (isAppError(err)) {
    if (err.status >= 500) request.log.error({ err }, 'request failed');
    return sendError(reply, err);
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as { validationContext?: string }).validationContext ?? 'request';
    const issues = err.validation.map((v) => ({
      in: where,
      path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
      message: v.message,
    }));
    const first = issues[0];
    const message = first ? `Invalid ${where}${first.path ? ` field "${first.path}"` : ''}: ${first.message}` : `Invalid ${where}.`;
    return reply.status(400).send(errorBody('VALIDATION_FAILED', message, { issues }));
  }
  if (err instanceof SyntaxError && (err as { statusCode?: number }).statusCode === 400) {
    return reply.status(400).send(errorBody('INVALID_JSON', `The request body is not valid JSON: ${err.message}`));
  }
  const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (mapped) return reply.status(ERROR_CODES[mapped].status).send(errorBody(mapped, err.message));
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    const code: ErrorCode = err.statusCode === 404 ? 'NOT_FOUND' : err.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : err.statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'VALIDATION_FAILED';
    return reply.status(ERROR_CODES[code].status).send(errorBody(code, err.message));
  }
  request.log.error({ err }, 'unhandled error');
  return reply.status(500).send(errorBody('INTERNAL'));
}
