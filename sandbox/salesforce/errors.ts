/**
 * Salesforce-shaped errors and the per-request guard (bearer session, the org's rolling 24-hour API request
 * allocation, `Sforce-Limit-Info`). REST errors are a JSON array of {message, errorCode}:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorizationToken, type AccessTokenInfo, type FaultDecision } from '../common/index.js';
import type { SalesforceCtx } from './state.js';

export function sfError(reply: FastifyReply, status: number, errorCode: string, message: string): FastifyReply {
  return reply.code(status).send([{ message, errorCode }]);
}

export const notFound = (reply: FastifyReply) => sfError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');

/**
 * Authenticates the bearer session and charges the daily allocation (and the Bulk 2.0 job allocation when
 * `bulkJob`). Sends the error and returns null when the request must stop.
 */
export function guard(ctx: SalesforceCtx, req: FastifyRequest, reply: FastifyReply, options: { bulkJob?: boolean } = {}): AccessTokenInfo | null {
  const auth = ctx.authenticate(authorizationToken(req, ['Bearer', 'OAuth']));
  if (!auth.ok) {
    // Expired, revoked and unknown sessions all look the same on the REST API.
    void sfError(reply, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    return null;
  }
  const org = auth.token.subject.orgId;
  if (!admitLongRunning(ctx, org, reply)) {
    ctx.reject('concurrency');
    void sfError(reply, 403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.');
    return null;
  }
  const d = ctx.consume([{ policy: 'daily', key: org }, ...(options.bulkJob ? [{ policy: 'bulkJobs', key: org }] : [])]);
  const daily = d.results[0];
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
  if (daily) void reply.header('sforce-limit-info', `api-usage=${daily.used}/${daily.limit}`);
  if (d.denied) {
    // No 429 and no Retry-After: Salesforce answers 403 REQUEST_LIMIT_EXCEEDED.
    const message = d.denied.policy === 'bulkJobs' ? 'Max number of Bulk API 2.0 query jobs in a 24-hour period exceeded.' : 'TotalRequests Limit exceeded.';
    void sfError(reply, 403, 'REQUEST_LIMIT_EXCEEDED', message);
    return null;
  }
  return auth.token;
}

/** Requests running 20 s or longer count against the org's cap. */
export const LONG_RUNNING_MS = 20_000;

/**
 * The long-running request cap: while `longRunning` requests of the org have been running for 20 s or more, a
 * new one is refused. Admitted requests are tracked until their response ends.
 * https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html
 */
function admitLongRunning(ctx: SalesforceCtx, org: string, reply: FastifyReply): boolean {
  const config = ctx.config();
  const now = ctx.clock.now();
  let set = ctx.state.inFlight.get(org);
  if (!set) ctx.state.inFlight.set(org, (set = new Set()));
  if (config.rateLimits === 'realistic') {
    let long = 0;
    for (const r of set) if (now - r.startedAt >= LONG_RUNNING_MS) long++;
    if (long >= (config.limits.longRunning?.limit ?? Number.POSITIVE_INFINITY)) return false;
  }
  const entry = { startedAt: now };
  set.add(entry);
  const release = () => set.delete(entry);
  reply.raw.once('finish', release);
  reply.raw.once('close', release);
  return true;
}

/** Injected faults in Salesforce's shapes (it never answers 429, so the spec gives that kind no weight). */
export function renderFault(fault: FaultDecision): unknown {
  if (fault.status === 503) return [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }];
  if (fault.status === 502) return [{ message: 'Bad gateway', errorCode: 'BAD_GATEWAY' }];
  if (fault.status === 429) return [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
  return [{ message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${1_000_000_000 + fault.n}-${fault.n} (-${fault.n})`, errorCode: 'UNKNOWN_EXCEPTION' }];
}
