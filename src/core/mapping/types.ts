/** Public types of the field-mapping engine (../shared/docs/canonical-model.md, "Mapping a source field"). */
import type { EntityType, SourceSystem } from '../ids.js';
import type { Transform } from '../transforms/index.js';

export type { Transform } from '../transforms/index.js';

/** One sample cell value as the source gives it. */
export type SampleValue = string | number | boolean | null;

/** A field of the source: a CSV header, or a CRM field with its API name, label and type. */
export interface SourceField {
  readonly name: string;
  readonly label?: string;
  /** The source's data type (Salesforce `email`, HubSpot `enumeration`, monday `status`, …). */
  readonly type?: string;
  readonly samples?: readonly SampleValue[];
}

/** A mapping this organization accepted before, for the same source system and entity. */
export interface MemoryEntry {
  readonly targetField: string | null;
  readonly transform?: Transform;
}

export interface SuggestMappingsInput {
  readonly entityType: EntityType;
  readonly source: SourceSystem;
  readonly sourceFields: readonly SourceField[];
  /** Accepted mappings keyed by source field name; preferred over every other signal. */
  readonly memory?: Readonly<Record<string, MemoryEntry>>;
  /** ISO 3166-1 alpha-2 country for phone numbers written without a country code (else taken from a country column). */
  readonly defaultCountry?: string;
}

export interface Alternative {
  readonly targetField: string | null;
  readonly confidence: number;
}

/** The suggestion for one source field. `targetField: null` = keep as a custom field or skip. */
export interface MappingSuggestion {
  readonly sourceField: string;
  readonly targetField: string | null;
  /** 0..1. ≥ 0.9 only when an authoritative catalogue, memory, or two independent signals agree. */
  readonly confidence: number;
  readonly reason: string;
  readonly transform?: Transform;
  /** The next best targets, for the UI's drop-down. */
  readonly alternatives?: readonly Alternative[];
}

export interface SuggestMappingsResult {
  readonly mappings: MappingSuggestion[];
}
