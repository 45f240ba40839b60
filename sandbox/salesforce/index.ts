/**
 * The Salesforce sandbox: login host (OAuth, identity) and instance (REST API, Bulk API 2.0) under one base
 * URL. Realistic profile: Enterprise Edition with 10 Salesforce licenses — 110,000 API requests per rolling
 * 24 h (100,000 + 1,000 per license) and 10,000 Bulk API 2.0 query jobs per rolling 24 h.
 * https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html
 *
 * Options (`--option k=v`): sandboxOrg=true (Organization.IsSandbox), bulkFail=Contact,Task (those objects'
 * Bulk API 2.0 jobs end Failed), bulkProcessingMs=300 (job creation → JobComplete). The same switches at run time:
 * POST /_sandbox/salesforce {"sandboxOrg":true,"bulkFail":["Contact"],"bulkProcessingMs":0}.
 * Not simulated: parent-to-child subqueries, GROUP BY,
 * OR/NOT in WHERE, more than one level of parent fields, Lightning notes (ContentNote).
 */
import { defineSandbox } from '../common/index.js';
import { notFound, renderFault, sfError } from './errors.js';
import { ORG_ID } from './ids.js';
import { bulkRoutes } from './bulk-routes.js';
import { oauthRoutes } from './oauth-routes.js';
import { restRoutes } from './rest-routes.js';
import { createState, type SalesforceState } from './state.js';

export const DAY_MS = 86_400_000;
/** The realistic profile (also src/crm/salesforce/definition.ts). */
export const SALESFORCE_LIMITS = { dailyApiRequests: 110_000, dailyBulkQueryJobs: 10_000 } as const;

export const salesforceSandbox = defineSandbox<SalesforceState>({
  id: 'salesforce',
  displayName: 'Salesforce',
  // No stated lifetime: the org's session timeout (default 2 hours).
  tokenTtlSeconds: 7200,
  oauth: { codeTtlMs: 15 * 60_000, tokenPrefix: { access: `${ORG_ID.slice(0, 15)}!AQ`, refresh: '5Aep861', code: 'aPrx' } },
  rateLimits: [
    { name: 'daily', limit: SALESFORCE_LIMITS.dailyApiRequests, windowMs: DAY_MS, reason: 'quota' },
    { name: 'bulkJobs', limit: SALESFORCE_LIMITS.dailyBulkQueryJobs, windowMs: DAY_MS, reason: 'quota' },
  ],
  // 25 requests running 20 s or more at once per org (production and sandbox orgs); enforced in errors.ts.
  concurrency: [{ name: 'longRunning', limit: 25 }],
  // Salesforce never answers 429 (over-limit is 403 REQUEST_LIMIT_EXCEEDED), so that fault kind is off.
  faultWeights: { rate_limit: 0 },
  state: createState,
  oauthRoutes,
  apiRoutes(app, ctx) {
    restRoutes(app, ctx);
    bulkRoutes(app, ctx);
  },
  render: {
    notFound: (_req, reply) => notFound(reply),
    error: (err, _req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      if (status === 400) return sfError(reply, 400, 'JSON_PARSER_ERROR', err.message);
      return sfError(reply, status, status >= 500 ? 'UNKNOWN_EXCEPTION' : 'INVALID_REQUEST', err.message);
    },
    fault: (fault) => renderFault(fault),
  },
});
