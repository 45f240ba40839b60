/**
 * The Zoho CRM sandbox: Zoho Accounts (OAuth) and the CRM API v8 (records, counts, deleted records, metadata,
 * Bulk Read) under one base URL, which is returned wherever Zoho returns a host (`api_domain`,
 * `accounts-server`). Realistic limits are the Professional edition with 10 user licences: 50,000 + 10 × 500 =
 * 55,000 credits per rolling 24 h per org, 15 concurrent calls per org and app (10 for heavy calls), 10 Bulk
 * Read downloads per minute, and at most 10 access tokens per refresh token per 10 minutes at the accounts server.
 * Sources: https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html, bulk-read/limitations.html,
 * zoho.com/pdfeditor/help/api/oauth-step4.html.
 *
 * `--option` settings: bulkQueueMs, bulkRecordsPerSecond (job speed), bulkPageSize (records per job; Zoho's is
 * 200,000), bulkFailModules=Contacts,… (jobs that end in FAILURE), orgType=sandbox (org.type), location=eu (the
 * callback's data centre).
 */
import { defineSandbox } from '../common/index.js';
import { bulkRoutes } from './bulk-routes.js';
import { renderError, renderFault, renderNotFound } from './errors.js';
import { metaRoutes } from './meta-routes.js';
import { oauthRoutes } from './oauth-routes.js';
import { recordRoutes } from './record-routes.js';
import { createState, type ZohoState } from './state.js';

/** Professional edition, 10 licences (see above); names shared with src/crm/zoho/definition.ts. */
export const ZOHO_CREDITS_PER_DAY = 50_000 + 10 * 500;

export const zohoSandbox = defineSandbox<ZohoState>({
  id: 'zoho',
  displayName: 'Zoho CRM',
  tokenTtlSeconds: 3600,
  oauth: { codeTtlMs: 120_000, tokenPrefix: { access: '1000.', refresh: '1000.', code: '1000.' } },
  rateLimits: [
    { name: 'credits', limit: ZOHO_CREDITS_PER_DAY, windowMs: 86_400_000, reason: 'quota' },
    { name: 'bulk-download', limit: 10, windowMs: 60_000 },
    { name: 'token-refresh', limit: 10, windowMs: 600_000 },
  ],
  concurrency: [
    { name: 'concurrency', limit: 15 },
    { name: 'sub-concurrency', limit: 10 },
  ],
  state: createState,
  oauthRoutes,
  apiRoutes(app, ctx) {
    recordRoutes(app, ctx);
    metaRoutes(app, ctx);
    bulkRoutes(app, ctx);
  },
  render: { error: renderError, notFound: renderNotFound, fault: renderFault },
});
