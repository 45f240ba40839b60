/**
 * Zoho CRM as data: hosts (US data centre by default; the callback names the user's data centre), OAuth, the
 * realistic limits (Professional edition, 10 user licences), paging caps, Bulk Read, credit costs and the Zoho
 * modules behind each entity.
 * Sources: ../../../../shared/docs/crm-api-facts.md §4; Zoho CRM v8 docs (api-limits, get-records,
 * module_record_count, bulk-read/*, multi-dc, scopes); Zoho Accounts OAuth docs (web-apps/authorization,
 * mobile-and-desktop-apps for PKCE).
 */
import type { EntityType } from '../../core/ids.js';
import type { CrmDefinition, RateWindow } from '../types.js';

/**
 * Minimum scopes: read the eight modules, users, org (identity), field metadata, Bulk Read, and the count API,
 * which also needs ZohoSearch.securesearch.READ and layouts (module_record_count.html).
 */
export const ZOHO_SCOPES = [
  'ZohoCRM.modules.accounts.READ', 'ZohoCRM.modules.contacts.READ', 'ZohoCRM.modules.leads.READ', 'ZohoCRM.modules.deals.READ',
  'ZohoCRM.modules.tasks.READ', 'ZohoCRM.modules.events.READ', 'ZohoCRM.modules.calls.READ', 'ZohoCRM.modules.notes.READ',
  'ZohoCRM.users.READ', 'ZohoCRM.org.READ', 'ZohoCRM.settings.fields.READ', 'ZohoCRM.settings.layouts.READ',
  'ZohoCRM.bulk.read', 'ZohoSearch.securesearch.READ',
] as const;

/** Credits per call (api-limits.html, v8): most calls 1; creating a Bulk Read job 50. */
export const CREDITS = { call: 1, bulkCreate: 50 } as const;

/**
 * Professional edition with 10 user licences: 50,000 + 10 × 500 = 55,000 credits per org per rolling 24 h (a
 * quota: exhausting it pauses the run), and Bulk Read downloads at 10 per minute. The other documented limit,
 * 15 concurrent calls per org and app (10 for heavy calls), is `limits.concurrency`; this client sends one
 * request at a time per read and never uses heavy calls (no sort_by, cvid, search or COQL).
 */
export const ZOHO_WINDOWS: readonly RateWindow[] = [
  { name: 'credits', limit: 55_000, windowMs: 86_400_000, unit: 'weight', quota: true },
  { name: 'bulk-download', limit: 10, windowMs: 60_000, unit: 'requests', appliesTo: 'bulk-download' },
];

/** `per_page` maximum; `page` reaches the first 2,000 records, `page_token` the first 100,000 (get-records.html). */
export const PAGE_MAX = 200;
export const DISCRETE_LIMIT = 2_000;
export const PAGE_TOKEN_LIMIT = 100_000;
export const MAX_FIELDS = 50;
/** Records per Bulk Read job (page); past the first, the previous result's next_page_token. */
export const BULK_PAGE = 200_000;

export type ZohoModule = 'Accounts' | 'Contacts' | 'Leads' | 'Deals' | 'Tasks' | 'Events' | 'Calls' | 'Notes';

export interface ModuleSpec {
  readonly module: ZohoModule;
  /** Bulk Read supports it (not Notes: bulk-read/limitations.html). */
  readonly bulk: boolean;
  /** The count API supports it (not Notes: module_record_count.html); otherwise counted by listing ids. */
  readonly countApi: boolean;
  /** For activities: what kind of activity the module holds. */
  readonly activityType?: 'task' | 'meeting' | 'call' | 'note';
}

/** Zoho modules behind each entity, in reading order. Activities = Tasks + Events (meetings) + Calls + Notes. */
export const ENTITY_MODULES: Readonly<Record<EntityType, readonly ModuleSpec[]>> = {
  accounts: [{ module: 'Accounts', bulk: true, countApi: true }],
  contacts: [{ module: 'Contacts', bulk: true, countApi: true }],
  leads: [{ module: 'Leads', bulk: true, countApi: true }],
  deals: [{ module: 'Deals', bulk: true, countApi: true }],
  activities: [
    { module: 'Tasks', bulk: true, countApi: true, activityType: 'task' },
    { module: 'Events', bulk: true, countApi: true, activityType: 'meeting' },
    { module: 'Calls', bulk: true, countApi: true, activityType: 'call' },
    { module: 'Notes', bulk: false, countApi: false, activityType: 'note' },
  ],
};

/** Accounts servers of Zoho's data centres (multi-dc.html): the only hosts a callback's accounts-server may name. */
export const ZOHO_ACCOUNTS_HOSTS = [
  'https://accounts.zoho.com', 'https://accounts.zoho.eu', 'https://accounts.zoho.in', 'https://accounts.zoho.com.au',
  'https://accounts.zoho.com.cn', 'https://accounts.zoho.jp', 'https://accounts.zohocloud.ca', 'https://accounts.zoho.sa',
  'https://accounts.zoho.uk',
] as const;

export const zohoDefinition: CrmDefinition = {
  id: 'zoho',
  name: 'Zoho CRM',
  // Calls go to the token response's api_domain (https://www.zohoapis.<dc>); the code is exchanged at the
  // callback's accounts-server (oauth.ts: tokenHostFromCallback).
  hosts: { authorize: 'https://accounts.zoho.com', token: 'https://accounts.zoho.com', revoke: 'https://accounts.zoho.com' },
  oauth: {
    authorizePath: '/oauth/v2/auth',
    tokenPath: '/oauth/v2/token',
    revokePath: '/oauth/v2/token/revoke',
    scopes: ZOHO_SCOPES,
    scopeSeparator: ',',
    // Zoho Accounts implements RFC 7636 on /oauth/v2/auth and /oauth/v2/token (documented for mobile and desktop
    // clients, S256 or plain); it is sent from this server-side client too, as defence in depth. [unverified for
    // server-based clients: Zoho's web-app docs neither mention nor forbid it]
    pkce: true,
    clientAuth: 'client_secret_post',
    // offline: a refresh token; prompt=consent: a new refresh token on every connect (Zoho issues one only the
    // first time otherwise).
    extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' },
    defaultAccessTokenTtlSeconds: 3600,
    refreshRotates: 'never',
    issuesRefreshToken: true,
  },
  limits: { windows: ZOHO_WINDOWS, concurrency: 15 },
  paging: {
    standardPageSize: PAGE_MAX,
    maxPageSize: PAGE_MAX,
    hasBulkApi: true,
    // Bulk Read costs 50 credits + polls + one download per 200,000 records; pages cost 1 credit per 200. The job
    // pays for itself from 10,000 records (50 pages), the seed's bulk threshold; above 100,000 it is the only way
    // (the list API stops at 100,000 records).
    bulkThreshold: 10_000,
    bulkBatchSize: BULK_PAGE,
    bulkOverheadRequests: 6,
  },
  objects: { accounts: 'Accounts', contacts: 'Contacts', leads: 'Leads', deals: 'Deals', activities: 'Activities' },
};
