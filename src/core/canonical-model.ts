/**
 * The canonical CRM model: the import target for every source. Names are the public contract
 * (../shared/docs/canonical-model.md); storage maps them to snake_case columns in src/db/schema.ts.
 */
import type { EntityType } from './ids.js';

/** Value kinds a target field accepts; validation and transforms key off these. */
export type FieldKind =
  | 'string'
  | 'text'
  | 'email'
  | 'phone'
  | 'url'
  | 'integer'
  | 'number'
  | 'currency' // ISO 4217 code
  | 'percent' // 0..100
  | 'date' // calendar date, no time
  | 'timestamp'
  | 'country'
  | 'enum'
  | 'reference'; // a source id (or name) of another record, resolved at load time

export interface CanonicalField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly label: string;
  /** Required for a record to be stored (see `requiredUnless`). */
  readonly required?: boolean;
  /** The requirement is met when this other field is mapped instead (e.g. `lastName` unless `fullName`). */
  readonly requiredUnless?: string;
  /** Input only: consumed by a transform and never stored (e.g. `fullName`, split into first and last name). */
  readonly inputOnly?: boolean;
  /** Allowed values for `enum` fields. */
  readonly values?: readonly string[];
  /** For `reference` fields: the entity the link points at. */
  readonly references?: EntityType;
  /** For `reference` fields: how the link is resolved, by the parent's external id or by its name. */
  readonly referenceBy?: 'externalId' | 'name';
}

/** Fields every entity has (mappable). */
export const COMMON_FIELDS: readonly CanonicalField[] = [
  { name: 'externalId', kind: 'string', label: 'External ID' },
  { name: 'owner', kind: 'string', label: 'Owner' },
  { name: 'sourceCreatedAt', kind: 'timestamp', label: 'Created at (source)' },
  { name: 'sourceUpdatedAt', kind: 'timestamp', label: 'Updated at (source)' },
];

const address: readonly CanonicalField[] = [
  { name: 'street', kind: 'string', label: 'Street' },
  { name: 'city', kind: 'string', label: 'City' },
  { name: 'state', kind: 'string', label: 'State / region' },
  { name: 'postalCode', kind: 'string', label: 'Postal code' },
  { name: 'country', kind: 'country', label: 'Country' },
];

export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;
export const ACTIVITY_TYPES = ['note', 'task', 'call', 'meeting', 'email'] as const;

const personName: readonly CanonicalField[] = [
  { name: 'firstName', kind: 'string', label: 'First name' },
  { name: 'lastName', kind: 'string', label: 'Last name', required: true, requiredUnless: 'fullName' },
  { name: 'fullName', kind: 'string', label: 'Full name', inputOnly: true },
];

const accountLink = (label = 'Account'): readonly CanonicalField[] => [
  { name: 'accountExternalId', kind: 'reference', label: `${label} ID`, references: 'accounts', referenceBy: 'externalId' },
];

export const CANONICAL_FIELDS: Record<EntityType, readonly CanonicalField[]> = {
  accounts: [
    { name: 'name', kind: 'string', label: 'Account name', required: true },
    { name: 'domain', kind: 'string', label: 'Domain' },
    { name: 'website', kind: 'url', label: 'Website' },
    { name: 'industry', kind: 'string', label: 'Industry' },
    { name: 'phone', kind: 'phone', label: 'Phone' },
    { name: 'employees', kind: 'integer', label: 'Employees' },
    { name: 'annualRevenue', kind: 'number', label: 'Annual revenue' },
    { name: 'description', kind: 'text', label: 'Description' },
    { name: 'type', kind: 'string', label: 'Account type' },
    { name: 'linkedinUrl', kind: 'url', label: 'LinkedIn URL' },
    ...address,
  ],
  contacts: [
    ...personName,
    { name: 'email', kind: 'email', label: 'E-mail' },
    { name: 'phone', kind: 'phone', label: 'Phone' },
    { name: 'mobilePhone', kind: 'phone', label: 'Mobile phone' },
    { name: 'title', kind: 'string', label: 'Job title' },
    { name: 'department', kind: 'string', label: 'Department' },
    { name: 'lifecycleStage', kind: 'string', label: 'Lifecycle stage' },
    { name: 'leadSource', kind: 'string', label: 'Lead source' },
    { name: 'description', kind: 'text', label: 'Description' },
    { name: 'birthdate', kind: 'date', label: 'Birthdate' },
    { name: 'linkedinUrl', kind: 'url', label: 'LinkedIn URL' },
    ...address,
    ...accountLink(),
    { name: 'accountName', kind: 'reference', label: 'Account name', references: 'accounts', referenceBy: 'name' },
  ],
  leads: [
    ...personName,
    { name: 'email', kind: 'email', label: 'E-mail' },
    { name: 'phone', kind: 'phone', label: 'Phone' },
    { name: 'mobilePhone', kind: 'phone', label: 'Mobile phone' },
    { name: 'company', kind: 'string', label: 'Company' },
    { name: 'title', kind: 'string', label: 'Job title' },
    { name: 'status', kind: 'string', label: 'Lead status' },
    { name: 'leadSource', kind: 'string', label: 'Lead source' },
    { name: 'industry', kind: 'string', label: 'Industry' },
    { name: 'website', kind: 'url', label: 'Website' },
    { name: 'employees', kind: 'integer', label: 'Employees' },
    { name: 'annualRevenue', kind: 'number', label: 'Annual revenue' },
    { name: 'rating', kind: 'string', label: 'Rating' },
    { name: 'description', kind: 'text', label: 'Description' },
    ...address,
  ],
  deals: [
    { name: 'name', kind: 'string', label: 'Deal name', required: true },
    { name: 'amount', kind: 'number', label: 'Amount' },
    { name: 'currency', kind: 'currency', label: 'Currency' },
    { name: 'stage', kind: 'string', label: 'Stage' },
    { name: 'pipeline', kind: 'string', label: 'Pipeline' },
    { name: 'probability', kind: 'percent', label: 'Probability (%)' },
    { name: 'closeDate', kind: 'date', label: 'Close date' },
    { name: 'status', kind: 'enum', label: 'Status', values: DEAL_STATUSES },
    { name: 'type', kind: 'string', label: 'Deal type' },
    { name: 'leadSource', kind: 'string', label: 'Lead source' },
    { name: 'description', kind: 'text', label: 'Description' },
    ...accountLink(),
    { name: 'accountName', kind: 'reference', label: 'Account name', references: 'accounts', referenceBy: 'name' },
    { name: 'contactExternalId', kind: 'reference', label: 'Contact ID', references: 'contacts', referenceBy: 'externalId' },
  ],
  activities: [
    { name: 'type', kind: 'enum', label: 'Activity type', required: true, values: ACTIVITY_TYPES },
    { name: 'subject', kind: 'string', label: 'Subject' },
    { name: 'body', kind: 'text', label: 'Body' },
    { name: 'dueAt', kind: 'timestamp', label: 'Due at' },
    { name: 'completedAt', kind: 'timestamp', label: 'Completed at' },
    { name: 'status', kind: 'string', label: 'Status' },
    { name: 'priority', kind: 'string', label: 'Priority' },
    ...accountLink(),
    { name: 'contactExternalId', kind: 'reference', label: 'Contact ID', references: 'contacts', referenceBy: 'externalId' },
    { name: 'dealExternalId', kind: 'reference', label: 'Deal ID', references: 'deals', referenceBy: 'externalId' },
  ],
};

/** Every mappable target of an entity: the common fields, then the entity's own. `customFields` is not a target. */
export function targetFields(entity: EntityType): readonly CanonicalField[] {
  return [...COMMON_FIELDS, ...CANONICAL_FIELDS[entity]];
}

/** Look up one target field by name. */
export function findTargetField(entity: EntityType, name: string): CanonicalField | undefined {
  return targetFields(entity).find((f) => f.name === name);
}

/** Required targets of an entity, with the alternative that satisfies each (if any). */
export function requiredTargets(entity: EntityType): readonly CanonicalField[] {
  return targetFields(entity).filter((f) => f.required);
}
