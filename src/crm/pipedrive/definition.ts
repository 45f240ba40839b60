/**
 * Pipedrive as data: hosts, OAuth, the realistic limits (Advanced plan, 5 seats), paging, token costs and which
 * Pipedrive object(s) and endpoints each entity is read from.
 * Sources: ../../../../shared/docs/crm-api-facts.md §3; Pipedrive docs (marketplace-oauth-authorization,
 * core-api-concepts-rate-limiting, core-api-concepts-pagination, pipedrive-api-v2-migration-guide, openapi-v1/v2
 * `x-token-cost`), mirrored in github.com/fav83/whatsapp2pipe Docs/External/Pipedrive.
 */
import type { EntityType } from '../../core/ids.js';
import type { CrmDefinition, RateWindow } from '../types.js';

/**
 * Scopes the Pipedrive app must be configured with (they are fixed in the app's settings, not requested in the
 * authorize URL): `base` (always), `deals:read` (deals, notes, pipelines, stages), `contacts:read` (persons,
 * organizations), `leads:read`, `activities:read`, `users:read` (marketplace-scopes-and-permissions-explanations).
 */
export const PIPEDRIVE_APP_SCOPES = ['base', 'deals:read', 'contacts:read', 'leads:read', 'activities:read', 'users:read'] as const;

/**
 * Token cost per request (openapi `x-token-cost`): flat whatever `limit` is, so pages are always 500 records.
 * `GET /v2/stages` and `GET /v2/pipelines` cost 5 (their v1 versions, deprecated, 10).
 */
export const TOKEN_COSTS = { v2List: 10, v2Get: 1, v1List: 20, v1Get: 2, dealsSummary: 40, fields: 20, stages: 5, pipelines: 5 } as const;

/**
 * Advanced (formerly Growth, plan multiplier 2), 5 seats, OAuth app:
 *   burst: 160 requests per rolling 2 s per access token (OAuth apps column);
 *   daily: 30,000 × 2 × 5 = 300,000 tokens per company per day (resets at midnight, server time).
 * The client's windows are rolling, which is stricter than the daily fixed window. The search API's own
 * 10 / 2 s is left out: this client never searches (and the sandbox serves no search).
 */
export const PIPEDRIVE_WINDOWS: readonly RateWindow[] = [
  { name: 'burst', limit: 160, windowMs: 2_000, unit: 'requests' },
  { name: 'daily', limit: 300_000, windowMs: 86_400_000, unit: 'weight', quota: true },
];

export const PAGE_MAX = 500;

/** How one Pipedrive object is read. `idPrefix` keeps ids unique when an entity spans two objects. */
export interface PdObjectSpec {
  object: 'organizations' | 'persons' | 'leads' | 'deals' | 'activities' | 'notes';
  api: 'v2' | 'v1';
  path: string;
  /** The v1 fields endpoint describing it (leads: deal fields, which leads inherit). */
  fieldsPath: string;
  idPrefix?: string;
}

/** The Pipedrive object(s) behind each entity, in reading order. Activities = activities + notes (v1). */
export const ENTITY_OBJECTS: Readonly<Record<EntityType, readonly PdObjectSpec[]>> = {
  accounts: [{ object: 'organizations', api: 'v2', path: '/api/v2/organizations', fieldsPath: '/api/v1/organizationFields' }],
  contacts: [{ object: 'persons', api: 'v2', path: '/api/v2/persons', fieldsPath: '/api/v1/personFields' }],
  leads: [{ object: 'leads', api: 'v1', path: '/api/v1/leads', fieldsPath: '/api/v1/dealFields' }],
  deals: [{ object: 'deals', api: 'v2', path: '/api/v2/deals', fieldsPath: '/api/v1/dealFields' }],
  activities: [
    { object: 'activities', api: 'v2', path: '/api/v2/activities', fieldsPath: '/api/v1/activityFields', idPrefix: 'activity:' },
    { object: 'notes', api: 'v1', path: '/api/v1/notes', fieldsPath: '/api/v1/noteFields', idPrefix: 'note:' },
  ],
};

/**
 * v1 field keys (what `/v1/…Fields` lists) → the keys v2 records use (pipedrive-api-v2-migration-guide: `user_id` →
 * `owner_id`, `label` → `label_ids`, `phone`/`email` → `phones`/`emails`, `busy_flag` → `busy`, `deleted` →
 * `is_deleted`), so describeFields names what fetchRecords returns.
 */
export const V2_FIELD_KEYS: Readonly<Partial<Record<PdObjectSpec['object'], Readonly<Record<string, string>>>>> = {
  persons: { email: 'emails', phone: 'phones', label: 'label_ids' },
  organizations: { label: 'label_ids' },
  deals: { user_id: 'owner_id', label: 'label_ids', deleted: 'is_deleted' },
  activities: { user_id: 'owner_id', busy_flag: 'busy', created_by_user_id: 'creator_user_id' },
};

/**
 * Leads have no fields endpoint (they inherit deal custom fields): their standard fields per openapi-v1 `Lead`,
 * plus what the client copies from the lead's person and organization (parse.ts mergeLeadContacts).
 */
export const LEAD_FIELDS: readonly { name: string; label: string; type: string }[] = [
  { name: 'id', label: 'ID', type: 'uuid' },
  { name: 'title', label: 'Title', type: 'varchar' },
  { name: 'owner_id', label: 'Owner', type: 'user' },
  { name: 'creator_id', label: 'Creator', type: 'user' },
  { name: 'label_ids', label: 'Labels', type: 'set' },
  { name: 'person_id', label: 'Person', type: 'people' },
  { name: 'organization_id', label: 'Organization', type: 'org' },
  { name: 'source_name', label: 'Source', type: 'varchar' },
  { name: 'origin', label: 'Origin', type: 'varchar' },
  { name: 'channel', label: 'Source channel', type: 'enum' },
  { name: 'is_archived', label: 'Archived', type: 'boolean' },
  { name: 'was_seen', label: 'Seen', type: 'boolean' },
  { name: 'value', label: 'Value', type: 'monetary' },
  { name: 'expected_close_date', label: 'Expected close date', type: 'date' },
  { name: 'add_time', label: 'Lead created', type: 'date' },
  { name: 'update_time', label: 'Update time', type: 'date' },
  { name: 'visible_to', label: 'Visible to', type: 'visible_to' },
  { name: 'name', label: 'Person name', type: 'varchar' },
  { name: 'first_name', label: 'First name', type: 'varchar' },
  { name: 'last_name', label: 'Last name', type: 'varchar' },
  { name: 'emails', label: 'Email', type: 'varchar' },
  { name: 'phones', label: 'Phone', type: 'phone' },
  { name: 'job_title', label: 'Job title', type: 'varchar' },
  { name: 'org_name', label: 'Organization name', type: 'varchar' },
];

export const pipedriveDefinition: CrmDefinition = {
  id: 'pipedrive',
  name: 'Pipedrive',
  // API calls go to the company's `api_domain` from the token response (https://<company>.pipedrive.com).
  hosts: { authorize: 'https://oauth.pipedrive.com', token: 'https://oauth.pipedrive.com', revoke: 'https://oauth.pipedrive.com' },
  oauth: {
    authorizePath: '/oauth/authorize',
    tokenPath: '/oauth/token',
    revokePath: '/oauth/revoke',
    scopes: [], // fixed on the app: PIPEDRIVE_APP_SCOPES
    scopeSeparator: ',',
    pkce: false, // not documented by Pipedrive
    clientAuth: 'client_secret_basic',
    defaultAccessTokenTtlSeconds: 3600,
    refreshRotates: 'never', // the same refresh token comes back, its 60-day idle window extended
    issuesRefreshToken: true,
  },
  limits: { windows: PIPEDRIVE_WINDOWS },
  paging: {
    standardPageSize: PAGE_MAX, // a request costs the same tokens whatever its limit
    maxPageSize: PAGE_MAX,
    hasBulkApi: false, // no bulk/export API: the "bulk" path reads 500-record pages
    bulkThreshold: 10_000,
    bulkBatchSize: PAGE_MAX,
    bulkOverheadRequests: 0,
    weightPerRequest: TOKEN_COSTS.v2List, // the daily budget is in tokens
  },
  objects: { accounts: 'organizations', contacts: 'persons', leads: 'leads', deals: 'deals', activities: 'activities,notes' },
};
