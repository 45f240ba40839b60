/**
 * The HubSpot sandbox: a local simulator of HubSpot's OAuth and CRM v3 APIs (objects, search, batch read,
 * associations, properties, owners, exports) on the shared sandbox machinery (docs/sandboxes.md).
 * Realistic profile: Professional tier — 190 requests / 10 s (TEN_SECONDLY_ROLLING) per app per account,
 * 625,000 / day (DAILY, resetting at midnight: UTC here, the account's time zone in HubSpot), and the search
 * API's own 5 requests / s (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).
 * `--option` keys: exportBaseMs, exportMsPer1k, exportZipRows, exportOutcome=complete|canceled|stuck,
 * accountType=STANDARD|DEVELOPER_TEST|SANDBOX.
 */
import { defineSandbox } from '../common/index.js';
import { faultBody, notFound, validation } from './errors.js';
import { registerExportRoutes } from './export-routes.js';
import { registerMetadataRoutes } from './metadata-routes.js';
import { registerOAuthRoutes } from './oauth-routes.js';
import { registerObjectRoutes } from './object-routes.js';
import { createState, type HubSpotState } from './state.js';

export const HUBSPOT_LIMITS = {
  burst: { limit: 190, windowMs: 10_000 },
  daily: { limit: 625_000, windowMs: 86_400_000 },
  search: { limit: 5, windowMs: 1_000 },
} as const;

export const hubspotSandbox = defineSandbox<HubSpotState>({
  id: 'hubspot',
  displayName: 'HubSpot',
  tokenTtlSeconds: 1800,
  oauth: { codeTtlMs: 10 * 60_000, rotateRefreshTokens: false, tokenPrefix: { access: 'CJ', refresh: 'na1-' } },
  rateLimits: [
    { name: 'burst', ...HUBSPOT_LIMITS.burst },
    { name: 'daily', ...HUBSPOT_LIMITS.daily, kind: 'fixed', reason: 'quota' },
    { name: 'search', ...HUBSPOT_LIMITS.search },
  ],
  state: (ctx) => createState(ctx),
  oauthRoutes: (app, ctx) => registerOAuthRoutes(app, ctx),
  apiRoutes(app, ctx) {
    registerObjectRoutes(app, ctx);
    registerMetadataRoutes(app, ctx);
    registerExportRoutes(app, ctx);
  },
  render: {
    notFound: (req, reply) => reply.code(404).send(notFound(`No route found for ${req.method} ${req.url.split('?')[0]}`)),
    error: (err, _req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      reply.code(status);
      return status < 500 ? validation(`Invalid input JSON: ${err.message}`) : { status: 'error', message: 'internal error', correlationId: crypto.randomUUID(), category: 'INTERNAL_ERROR' };
    },
    fault: (fault) => faultBody(fault),
  },
});
