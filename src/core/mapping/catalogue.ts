/**
 * The shape of a CRM's field catalogue: its standard fields (API names and labels, per object) and the
 * column headers its standard CSV exports give them, each with the canonical target it corresponds to.
 * Catalogues live in src/crm/<id>/field-catalogue.ts (and src/crm/csv-catalogue.ts) as plain data;
 * src/core/mapping/catalogues.ts gathers them in a registry and checks every target when it loads.
 */
import type { EntityType } from '../ids.js';

export interface CatalogueField {
  /** API name: Salesforce/Zoho field name, HubSpot property, Pipedrive key, monday column type or title. */
  readonly name: string;
  /** The label the CRM shows for the field. */
  readonly label?: string;
  /** Headers the field gets in the CRM's standard exports (reports, Data Loader, UI export). */
  readonly headers?: readonly string[];
  /** Canonical target, or null: a standard field of the CRM with no canonical equivalent. */
  readonly target: string | null;
  /** The CRM's data type for the field. */
  readonly type?: string;
  /** How sure the correspondence is when it holds only usually (e.g. a polymorphic "related to" id). Default 1. */
  readonly confidence?: number;
  /** Match source fields whose `type` equals `name`, whatever they are called (monday column types). */
  readonly byType?: boolean;
}

/** Standard fields per canonical entity type. */
export type FieldCatalogue = { readonly [E in EntityType]?: readonly CatalogueField[] };

/** Shorthand for catalogue rows: `f('MailingCity', 'Mailing City', 'city')`. */
export function f(
  name: string,
  label: string | undefined,
  target: string | null,
  more: Omit<CatalogueField, 'name' | 'label' | 'target'> = {},
): CatalogueField {
  return { name, ...(label !== undefined ? { label } : {}), target, ...more };
}
