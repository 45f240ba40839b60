/**
 * The monday.com sandbox: OAuth (legacy and 2.1) on the auth.monday.com paths, GraphQL on api.monday.com's
 * `/v2`, a CRM workspace of five boards generated from the world, Pro-plan limits, monday-shaped errors.
 * Options: `--option oauthFlow=2.1|legacy` (default 2.1), `--option cursorTtlSeconds=N` (default 3600).
 */
import { defineSandbox } from '../common/index.js';
import { registerApiRoutes } from './api.js';
import { faultBody } from './errors.js';
import { MONDAY_CONCURRENCY, MONDAY_RATE_LIMITS } from './limits.js';
import { registerOAuthRoutes } from './oauth.js';
import { createMondayState, type MondayState } from './state.js';

/**
 * OAuth 2.1 access-token lifetime. monday documents that tokens expire and that clients read the JWT's `exp`,
 * not the lifetime itself [unverified]; one hour is the common choice and what src/crm/monday/definition.ts
 * assumes when a token has no `exp`.
 */
export const MONDAY_ACCESS_TOKEN_TTL_SECONDS = 3600;

export const mondaySandbox = defineSandbox<MondayState>({
  id: 'monday',
  displayName: 'monday.com',
  tokenTtlSeconds: MONDAY_ACCESS_TOKEN_TTL_SECONDS,
  oauth: { codeTtlMs: 10 * 60_000, rotateRefreshTokens: true },
  rateLimits: MONDAY_RATE_LIMITS,
  concurrency: MONDAY_CONCURRENCY,
  state: createMondayState,
  oauthRoutes: registerOAuthRoutes,
  apiRoutes: registerApiRoutes,
  render: {
    notFound: (req, reply) => reply.code(404).send({ error_message: `No route ${req.method} ${req.url.split('?')[0]}`, status_code: 404 }),
    error: (err, _req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      reply.code(status);
      return status === 400 ? { errors: [{ message: err.message, extensions: { code: err.code ?? 'BAD_REQUEST' } }] } : { error_message: 'Internal server error', status_code: status };
    },
    fault: (fault) => faultBody(fault),
  },
});
