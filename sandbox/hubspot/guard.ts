/**
 * Authentication, scopes and rate limits for one data request, in HubSpot's words: 401 EXPIRED_AUTHENTICATION vs
 * INVALID_AUTHENTICATION, 403 MISSING_SCOPES, 429 with policyName, and the X-HubSpot-RateLimit-* headers (burst
 * window only: the daily headers are not sent to OAuth apps, and search responses carry none).
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorizationToken, type AccessTokenInfo } from '../common/index.js';
import { expiredToken, invalidToken, missingScopes, rateLimited } from './errors.js';
import type { Ctx } from './state.js';

export interface GuardOptions {
  /** Scope the endpoint needs. */
  scope?: string;
  /** Search endpoints: their own 5/s window instead of the burst window. */
  search?: boolean;
}

/** Returns the token's info, or null after sending the error reply. */
export function guard(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, options: GuardOptions = {}): AccessTokenInfo | null {
  const auth = ctx.authenticate(authorizationToken(req));
  if (!auth.ok) {
    void reply.code(401).send(auth.reason === 'expired' ? expiredToken(auth.expiredAt, ctx.clock.now()) : invalidToken());
    return null;
  }
  const token = auth.token;
  if (options.scope && !token.scope.split(' ').includes(options.scope)) {
    void reply.code(403).send(missingScopes([options.scope]));
    return null;
  }
  const key = `${token.clientId}:${token.subject.orgId}`; // limits are per app per account
  const d = ctx.consume([{ policy: options.search ? 'search' : 'burst', key }, { policy: 'daily', key }]);
  const first = d.results[0];
  if (first && !options.search) {
    void reply
      .header('x-hubspot-ratelimit-max', first.limit)
      .header('x-hubspot-ratelimit-remaining', first.remaining)
      .header('x-hubspot-ratelimit-interval-milliseconds', first.windowMs);
  }
  if (d.denied) {
    void reply.code(429).send(rateLimited(d.denied.policy as 'burst' | 'daily' | 'search'));
    return null;
  }
  return token;
}

/** Sends a reply and returns it (handlers `return send(reply, code, body)`). */
export function send(reply: FastifyReply, code: number, body: unknown): FastifyReply {
  return reply.code(code).send(body);
}
