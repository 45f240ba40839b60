/** The five CRMs crm-migrate connects to directly. Adding one here makes the compiler list every registry that lacks it. */
export const CRM_IDS = ['salesforce', 'hubspot', 'pipedrive', 'zoho', 'monday'] as const;
export type CrmId = (typeof CRM_IDS)[number];

/** Where a stored record came from: one of the CRMs, or a CSV upload. */
export const SOURCE_SYSTEMS = [...CRM_IDS, 'csv'] as const;
export type SourceSystem = (typeof SOURCE_SYSTEMS)[number];

/** The canonical entity types (../shared/docs/canonical-model.md), in dependency order: parents before children. */
export const ENTITY_TYPES = ['accounts', 'contacts', 'leads', 'deals', 'activities'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Human-readable CRM names for messages and the UI. */
export const CRM_NAMES: Record<CrmId, string> = {
  salesforce: 'Salesforce',
  hubspot: 'HubSpot',
  pipedrive: 'Pipedrive',
  zoho: 'Zoho CRM',
  monday: 'monday.com',
};

export function isCrmId(value: unknown): value is CrmId {
  return typeof value === 'string' && (CRM_IDS as readonly string[]).includes(value);
}

export function isEntityType(value: unknown): value is EntityType {
  return typeof value === 'string' && (ENTITY_TYPES as readonly string[]).includes(value);
}
