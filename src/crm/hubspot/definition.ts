/**
 * HubSpot as data: hosts, OAuth, the realistic limits (Professional tier), paging caps and objects.
 * Sources: ../../../../shared/docs/crm-api-facts.md §2, https://developers.hubspot.com/docs/api-reference/auth-oauth-v3/guide,
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines, https://developers.hubspot.com/docs/api/crm/exports.
 */
import type { EntityType } from '../../core/ids.js';
import type { CrmDefinition, RateWindow } from '../types.js';

/** HubSpot object names per activity kind: `activities` reads all five. */
export const ACTIVITY_OBJECTS = ['notes', 'tasks', 'calls', 'meetings', 'emails'] as const;
export type ActivityObject = (typeof ACTIVITY_OBJECTS)[number];

/** The HubSpot object(s) behind each entity, in reading order. */
export const ENTITY_OBJECTS: Readonly<Record<EntityType, readonly string[]>> = {
  accounts: ['companies'],
  contacts: ['contacts'],
  leads: ['leads'],
  deals: ['deals'],
  activities: ACTIVITY_OBJECTS,
};

/** Professional: 190 requests / 10 s per app per account, 625,000 / day per account, search 5 / s. */
export const HUBSPOT_WINDOWS: readonly RateWindow[] = [
  { name: 'burst', limit: 190, windowMs: 10_000, unit: 'requests' },
  { name: 'daily', limit: 625_000, windowMs: 86_400_000, unit: 'requests', quota: true },
  { name: 'search', limit: 5, windowMs: 1_000, unit: 'requests', appliesTo: 'search' },
];

export const hubspotDefinition: CrmDefinition = {
  id: 'hubspot',
  name: 'HubSpot',
  hosts: { authorize: 'https://app.hubspot.com', token: 'https://api.hubapi.com', revoke: 'https://api.hubapi.com', api: 'https://api.hubapi.com' },
  oauth: {
    authorizePath: '/oauth/authorize',
    // v1 is deprecated (removal 16 Feb 2027); v3 takes every parameter in the form body and answers in the same shape.
    tokenPath: '/oauth/v3/token',
    // RFC 7009-style revoke of the 2026-03 API (token + client credentials in the form body).
    revokePath: '/oauth/2026-03/token/revoke',
    scopes: [
      'oauth',
      'crm.objects.contacts.read', // contacts, and the engagements (notes, tasks, calls, meetings) tied to them
      'crm.objects.companies.read',
      'crm.objects.deals.read',
      'crm.objects.leads.read',
      'crm.objects.owners.read',
      'crm.objects.users.read',
      'crm.schemas.contacts.read', // property metadata
      'crm.schemas.companies.read',
      'crm.schemas.deals.read',
      'sales-email-read', // e-mail engagement bodies
      'crm.export', // the bulk path (the installing user must be a Super Admin)
    ],
    scopeSeparator: ' ',
    // The token endpoints document code_verifier; the authorize side is not documented, so S256 is sent and HubSpot
    // is expected to bind it (the sandbox accepts and verifies it; without a challenge it works as well).
    pkce: true,
    clientAuth: 'client_secret_post',
    defaultAccessTokenTtlSeconds: 1800,
    refreshRotates: 'never',
    issuesRefreshToken: true,
  },
  limits: { windows: HUBSPOT_WINDOWS },
  paging: {
    standardPageSize: 100,
    maxPageSize: 100,
    hasBulkApi: true,
    // Above 10,000 records the list path needs > 100 calls per object (more than half a 10-s burst window each
    // time), while an export costs a start, a few status polls and one download. Below it, paging is quicker than
    // an export's queueing and processing time, and exports are capped at 30 per rolling 24 h per account.
    bulkThreshold: 10_000,
    // One CSV per export (HubSpot partitions above 1,000,000 rows).
    bulkBatchSize: 1_000_000,
    // Start + ~8 status polls + one property listing.
    bulkOverheadRequests: 10,
  },
  objects: { accounts: 'companies', contacts: 'contacts', leads: 'leads', deals: 'deals', activities: ACTIVITY_OBJECTS.join(',') },
};
