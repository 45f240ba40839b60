/**
 * The Pipedrive sandbox: OAuth (oauth.pipedrive.com paths) and the company API (`{api_domain}/api/v1|v2`) under one
 * base URL, built on sandbox/common. See ids.ts (ids, cursors, a lead's own person/organization), catalog.ts (fields),
 * guard.ts (auth, scopes, limits), errors.ts (bodies).
 *
 * Realistic profile: the Advanced plan (formerly Growth, multiplier 2) with 5 seats and an OAuth app —
 *   burst  160 requests per rolling 2 s per access token (core-api-concepts-rate-limiting, OAuth apps column);
 *   daily  30,000 × 2 × 5 = 300,000 tokens per company, fixed day resetting at midnight (the docs say "server time
 *          zone"; the sandbox uses UTC), charged with each endpoint's token cost (v2 list 10, v1 list 20, summary 40 …).
 * Options (`--option k=v`): `scopes=base,deals:read,…` narrows the app's scopes (403 beyond them);
 * `accountStatus=closed` answers 402 (company account not open).
 */
import { defineSandbox } from '../common/index.js';
import { unknownMethod, ERROR_INFO } from './errors.js';
import { listRoutes } from './list-routes.js';
import { metadataRoutes } from './metadata-routes.js';
import { oauthRoutes } from './oauth-routes.js';
import { createState, type PdState } from './state.js';
import { v1Routes } from './v1-routes.js';
import { COMPANY_ID, userId } from './ids.js';

export const PIPEDRIVE_LIMITS = {
  burst: { limit: 160, windowMs: 2_000 },
  daily: { limit: 30_000 * 2 * 5, windowMs: 86_400_000 },
} as const;

export const pipedriveSandbox = defineSandbox<PdState>({
  id: 'pipedrive',
  displayName: 'Pipedrive',
  tokenTtlSeconds: 3600,
  oauth: {
    codeTtlMs: 5 * 60_000,
    refreshTokenIdleMs: 60 * 86_400_000,
    // Access tokens look like "v1u:AQIB…" (marketplace-oauth-authorization); codes like "123.456.2d73…".
    tokenPrefix: { access: 'v1u:', refresh: `${COMPANY_ID}:${userId(0)}:`, code: `${COMPANY_ID}.${userId(0)}.` },
  },
  rateLimits: [
    { name: 'burst', ...PIPEDRIVE_LIMITS.burst },
    { name: 'daily', ...PIPEDRIVE_LIMITS.daily, kind: 'fixed', reason: 'quota' },
  ],
  state: createState,
  oauthRoutes,
  apiRoutes(app, ctx) {
    listRoutes(app, ctx);
    v1Routes(app, ctx);
    metadataRoutes(app, ctx);
  },
  render: {
    notFound: (_req, reply) => reply.code(404).send(unknownMethod),
    error: (err, _req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      return reply.code(status).send({ success: false, error: status >= 500 ? 'Internal server error' : err.message, errorCode: status, error_info: ERROR_INFO });
    },
    fault: (fault) =>
      fault.status === 429 ? { success: false, error: 'Request over limit' } : { success: false, error: 'Internal server error', errorCode: fault.status, error_info: ERROR_INFO },
  },
});
