/**
 * The checks every Pipedrive data request passes, in order: the Authorization header (400 when malformed, 401
 * when missing/expired/invalid), the account (402 when not open), the app's scopes (403), then the two limits
 * (core-api-concepts-rate-limiting): a rolling 2-second burst window per access token and the company's daily
 * token budget, charged with the endpoint's token cost (`x-token-cost` in the openapi specs). Every answer that
 * passed authentication carries `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (seconds)
 * of the burst window; no header exposes the daily budget (as documented). Over either limit: 429
 * `Request over limit`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessTokenInfo, SandboxContext } from '../common/index.js';
import { malformedAuthorization, overLimit, paymentRequired, scopeMismatch, unauthorized } from './errors.js';
import type { PdState } from './state.js';

export type PdCtx = SandboxContext<PdState>;

/** Scope areas (marketplace-scopes-and-permissions-explanations): `<area>:read` or `<area>:full` grants reading. */
export type ScopeArea = 'base' | 'deals' | 'contacts' | 'leads' | 'activities' | 'users';

/**
 * Token costs (openapi `x-token-cost`; core-api-concepts-rate-limiting). The stage and pipeline lists are cheaper
 * than others: `GET /v2/stages` and `/v2/pipelines` cost 5 (`v2Stages`), their deprecated v1 versions 10 (`v1Stages`).
 */
export const COST = { v2List: 10, v2Get: 1, v1List: 20, v1Get: 2, summary: 40, fields: 20, v2Stages: 5, v1Stages: 10 } as const;

/** The scopes the sandbox app is configured with, unless `--option scopes=a,b` narrows them. */
export const DEFAULT_SCOPES = 'base,deals:read,contacts:read,leads:read,activities:read,users:read';

export function grantedScopes(ctx: PdCtx): string {
  return ctx.options.extras?.scopes ?? DEFAULT_SCOPES;
}

function hasScope(scope: string, area: ScopeArea): boolean {
  const granted = scope.split(',');
  return area === 'base' || granted.includes(`${area}:read`) || granted.includes(`${area}:full`);
}

/** Runs the checks; returns the token (and has set the rate headers) or undefined after sending the error. */
export function guard(ctx: PdCtx, req: FastifyRequest, reply: FastifyReply, area: ScopeArea, cost: number): AccessTokenInfo | undefined {
  const header = req.headers.authorization?.trim();
  let token: string | undefined;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      ctx.reject('bad_request');
      void malformedAuthorization(reply);
      return undefined;
    }
    token = m[1];
  }
  const auth = ctx.authenticate(token);
  if (!auth.ok) {
    void unauthorized(reply, auth.reason);
    return undefined;
  }
  if (ctx.options.extras?.accountStatus === 'closed') {
    ctx.reject('bad_request');
    void paymentRequired(reply);
    return undefined;
  }
  if (!hasScope(auth.token.scope, area)) {
    ctx.reject('bad_request');
    void scopeMismatch(reply);
    return undefined;
  }
  const d = ctx.consume([
    { policy: 'burst', key: auth.token.token },
    { policy: 'daily', key: auth.token.subject.orgId, cost },
  ]);
  const burst = d.results[0];
  if (burst) {
    void reply
      .header('x-ratelimit-limit', burst.limit)
      .header('x-ratelimit-remaining', Math.max(0, burst.remaining))
      .header('x-ratelimit-reset', Math.max(1, Math.ceil(burst.resetMs / 1000)));
  }
  if (d.denied) {
    void reply.code(429).send(overLimit);
    return undefined;
  }
  return auth.token;
}
