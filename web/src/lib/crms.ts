/**
 * The CRMs and entity types as the UI names them. The ids and names are the server's own (src/core/ids.ts and
 * src/core/canonical-model.ts are pure data with no imports beyond types, so the bundle carries a copy of the
 * data, never server code).
 */
import { CANONICAL_FIELDS, COMMON_FIELDS, type CanonicalField } from '../../../src/core/canonical-model.js';
import { CRM_IDS, CRM_NAMES, ENTITY_TYPES } from '../../../src/core/ids.js';
import type { CrmId, EntityType, SourceSystem } from '../api/types';

export { CRM_IDS, ENTITY_TYPES };
export type { CanonicalField };

export type CrmChoice = CrmId | 'csv';

export const CRM_CHOICES: ReadonlyArray<{ id: CrmChoice; name: string; blurb: string }> = [
  { id: 'salesforce', name: CRM_NAMES.salesforce, blurb: 'Accounts, contacts, leads, opportunities, tasks and events.' },
  { id: 'hubspot', name: CRM_NAMES.hubspot, blurb: 'Companies, contacts, deals, leads and engagements.' },
  { id: 'pipedrive', name: CRM_NAMES.pipedrive, blurb: 'Organizations, persons, deals, leads, activities and notes.' },
  { id: 'zoho', name: CRM_NAMES.zoho, blurb: 'Accounts, contacts, leads, deals, tasks, calls and meetings.' },
  { id: 'monday', name: CRM_NAMES.monday, blurb: 'Your sales CRM boards: one board per kind of record.' },
  { id: 'csv', name: 'Other (CSV)', blurb: 'Any other CRM or a spreadsheet: export it as a CSV file.' },
];

export function crmName(id: CrmChoice | SourceSystem | string | null | undefined): string {
  if (!id) return '';
  if (id === 'csv') return 'CSV file';
  return (CRM_NAMES as Record<string, string>)[id] ?? id;
}

export const ENTITY_LABELS: Record<EntityType, { one: string; many: string }> = {
  accounts: { one: 'account', many: 'accounts' },
  contacts: { one: 'contact', many: 'contacts' },
  leads: { one: 'lead', many: 'leads' },
  deals: { one: 'deal', many: 'deals' },
  activities: { one: 'activity', many: 'activities' },
};

export const capitalize = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** How many fields every entity has (they come first in `targetFields`). */
export const COMMON_FIELD_COUNT = COMMON_FIELDS.length;

/** Every target field of an entity: the common ones, then the entity's own. */
export function targetFields(entity: EntityType): readonly CanonicalField[] {
  return [...COMMON_FIELDS, ...CANONICAL_FIELDS[entity]];
}

export function targetLabel(entity: EntityType, name: string | null | undefined): string {
  if (!name) return '';
  return targetFields(entity).find((f) => f.name === name)?.label ?? name;
}

/** Targets whose values are a fixed list (picklist value mapping applies). */
export function picklistTarget(entity: EntityType, target: string | null): readonly string[] | null {
  if (!target) return null;
  const field = targetFields(entity).find((f) => f.name === target);
  return field?.values ?? null;
}

export function isEntityType(value: string | undefined | null): value is EntityType {
  return !!value && (ENTITY_TYPES as readonly string[]).includes(value);
}
