/**
 * Salesforce as data: login host OAuth 2.0 web-server flow with PKCE, REST API v62.0 on the token's
 * `instance_url`, Bulk API 2.0 for large reads, and the realistic limits (the sandbox enforces the same numbers).
 * Facts: ../shared/docs/crm-api-facts.md §1.
 */
import type { EntityType } from '../../core/ids.js';
import type { CrmDefinition } from '../types.js';

export const API_VERSION = 'v62.0';
/** REST API root on the instance. */
export const DATA_PATH = `/services/data/${API_VERSION}`;
const DAY_MS = 86_400_000;

/**
 * The Salesforce objects each entity is read from. Activities span Task (TaskSubtype Task/Call/Email), Event
 * (meetings) and classic Note. Lightning notes (ContentNote) live in Salesforce Files, are linked through
 * ContentDocumentLink and are not queryable with Bulk API 2.0, so they are not read (a known gap).
 */
export const ENTITY_OBJECTS: Readonly<Record<EntityType, readonly string[]>> = {
  accounts: ['Account'],
  contacts: ['Contact'],
  leads: ['Lead'],
  deals: ['Opportunity'],
  activities: ['Task', 'Event', 'Note'],
};

/** Key prefixes (first 3 characters of an id) of the objects links point at. */
export const KEY_PREFIXES: Readonly<Record<string, string>> = {
  '001': 'Account', '003': 'Contact', '00Q': 'Lead', '006': 'Opportunity', '00T': 'Task', '00U': 'Event', '002': 'Note', '005': 'User',
};

export const salesforceDefinition: CrmDefinition = {
  id: 'salesforce',
  name: 'Salesforce',
  // Sandbox orgs log in at test.salesforce.com; My Domain hosts also work. API calls go to instance_url.
  hosts: { authorize: 'https://login.salesforce.com', token: 'https://login.salesforce.com', revoke: 'https://login.salesforce.com' },
  oauth: {
    authorizePath: '/services/oauth2/authorize',
    tokenPath: '/services/oauth2/token',
    revokePath: '/services/oauth2/revoke',
    // api: REST + Bulk API 2.0 (records, describe, users); id: the identity URL; refresh_token: offline access.
    scopes: ['api', 'id', 'refresh_token'],
    scopeSeparator: ' ',
    pkce: true,
    clientAuth: 'client_secret_post',
    // No expires_in: the org's session timeout (default 2 h); a 401 INVALID_SESSION_ID triggers a refresh.
    defaultAccessTokenTtlSeconds: 7200,
    refreshRotates: 'optional',
    issuesRefreshToken: true,
  },
  limits: {
    // Realistic profile: Enterprise Edition with 10 Salesforce licenses, 100,000 + 10 × 1,000 API requests per
    // rolling 24 h; 10,000 Bulk API 2.0 query jobs per rolling 24 h. Requests of 20 s or more are capped at 25
    // at once per org (ours are short; the number documents the ceiling).
    windows: [
      { name: 'daily', limit: 110_000, windowMs: DAY_MS, unit: 'requests', quota: true },
      { name: 'bulkJobs', limit: 10_000, windowMs: DAY_MS, unit: 'requests', appliesTo: 'bulk_job', quota: true },
    ],
    concurrency: 25,
  },
  paging: {
    standardPageSize: 2000,
    maxPageSize: 2000,
    hasBulkApi: true,
    // "More than 2,000 records is a good candidate for Bulk API 2.0" (Salesforce limits cheat sheet).
    bulkThreshold: 2000,
    bulkBatchSize: 50_000,
    // Describe (cached per client), create, ~3 polls, delete.
    bulkOverheadRequests: 6,
  },
  objects: { accounts: 'Account', contacts: 'Contact', leads: 'Lead', deals: 'Opportunity', activities: 'Task' },
};
