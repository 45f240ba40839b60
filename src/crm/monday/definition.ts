/**
 * monday.com as data (../shared/docs/crm-api-facts.md §5). monday has no CRM objects: each entity is a board
 * (found by its default name below, or chosen in the connection's settings), and every read is a GraphQL query
 * on https://api.monday.com/v2, priced in complexity points.
 *
 * OAuth: the new OAuth 2.1 flow (https://developer.monday.com/apps/docs/migrating-to-the-new-oauth-flow):
 * PKCE S256 required, JSON token request with client_secret_post, an expiring JWT access token (its `exp` is
 * the lifetime; the response has no expires_in) and a refresh token that rotates on every use.
 *
 * Realistic profile: plan tier **Pro**, app (OAuth) token, reads
 * (https://developer.monday.com/api-reference/docs/rate-limits): 5,000,000 complexity points per rolling
 * minute, 2,500 requests per minute, 10,000 calls per day (resets at UTC midnight), 100 requests in flight.
 * sandbox/monday enforces the same numbers.
 */
import type { CrmDefinition } from '../types.js';

/** The monday API version the client speaks (items_page era; unified errors; 2025-07 complexity error). */
export const MONDAY_API_VERSION = '2025-07';

/** Most items one items_page / next_items_page returns (the fact sheet; 2,000 only for the root query of 2027-01). */
export const MONDAY_MAX_PAGE = 500;

export const mondayDefinition = {
  id: 'monday',
  name: 'monday.com',
  hosts: {
    authorize: 'https://auth.monday.com',
    token: 'https://auth.monday.com',
    revoke: 'https://auth.monday.com',
    api: 'https://api.monday.com',
  },
  oauth: {
    authorizePath: '/oauth2/authorize',
    tokenPath: '/oauth_ms/oauth/token',
    revokePath: '/oauth_ms/oauth/revoke',
    // me:read → identity; account:read → me.account; boards:read → boards, columns, items (all five entities);
    // users:read → owners; workspaces:read → which workspace a board sits in when matching boards by name.
    scopes: ['me:read', 'account:read', 'boards:read', 'users:read', 'workspaces:read'],
    scopeSeparator: ' ',
    pkce: true,
    clientAuth: 'client_secret_post',
    // The JWT's `exp` gives the real lifetime; one hour is assumed only for a token without one [unverified].
    defaultAccessTokenTtlSeconds: 3600,
    refreshRotates: 'always',
    issuesRefreshToken: true,
    tokenRequestEncoding: 'json',
  },
  limits: {
    windows: [
      { name: 'complexity', limit: 5_000_000, windowMs: 60_000, unit: 'weight' },
      { name: 'minute', limit: 2_500, windowMs: 60_000, unit: 'requests' },
      { name: 'daily', limit: 10_000, windowMs: 86_400_000, unit: 'requests', quota: true },
    ],
    concurrency: 100,
  },
  paging: {
    standardPageSize: 100,
    maxPageSize: MONDAY_MAX_PAGE,
    hasBulkApi: false,
    // No bulk API: from a thousand records on, the largest pages (500) keep the daily call count down.
    bulkThreshold: 1_000,
    bulkBatchSize: MONDAY_MAX_PAGE,
    // Board discovery and the board's columns, once per read.
    bulkOverheadRequests: 2,
  },
  objects: {
    accounts: 'Accounts',
    contacts: 'Contacts',
    leads: 'Leads',
    deals: 'Deals',
    activities: 'Activities',
  },
} as const satisfies CrmDefinition;
