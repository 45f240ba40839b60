/**
 * How the sandbox describes a Salesforce object: data first. Each field has its describe metadata (name, label,
 * type, picklist values, reference targets) and one getter from a world row to the REST value; describe,
 * SOQL validation, JSON rendering and Bulk CSV all read the same table.
 */
import { CUSTOM_FIELDS, type CustomFieldDef, type EntityType } from '../common/index.js';
import { sfDate } from './ids.js';

export type SfFieldType =
  | 'id' | 'string' | 'reference' | 'picklist' | 'multipicklist' | 'combobox' | 'email' | 'phone' | 'url' | 'textarea'
  | 'datetime' | 'date' | 'boolean' | 'currency' | 'double' | 'int' | 'percent';

export type SfValue = string | number | boolean | null;

/** One row of an object: its position in the object's index space, the world index, and the record (made on demand). */
export interface Row<R> {
  readonly wi: number;
  readonly deleted: boolean;
  readonly rec: R;
}

export interface FieldSpec<R> {
  readonly name: string;
  readonly label: string;
  readonly type: SfFieldType;
  readonly custom?: boolean;
  readonly referenceTo?: readonly string[];
  /** Parent relationship name for dot notation (`Account` for AccountId, `Who` for WhoId). */
  readonly relationshipName?: string;
  readonly values?: readonly string[];
  readonly length?: number;
  readonly get: (row: Row<R>) => SfValue;
}

export interface ObjectSpec<R = unknown> {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  /** Bulk API 2.0 can query it. */
  readonly bulk: boolean;
  readonly fields: readonly FieldSpec<R>[];
}

/** Builds a field (the getter last, so tables read left to right). */
export function fld<R>(name: string, label: string, type: SfFieldType, get: (row: Row<R>) => SfValue, extra: Partial<FieldSpec<R>> = {}): FieldSpec<R> {
  return { name, label, type, get, ...extra };
}

/** Custom field API name from its label: "Customer Tier" → Customer_Tier__c, "Newsletter Opt-in" → Newsletter_Opt_in__c. */
export function customFieldName(def: CustomFieldDef): string {
  return `${def.label.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}__c`;
}

const CUSTOM_TYPES: Record<CustomFieldDef['type'], SfFieldType> = {
  string: 'string', number: 'double', boolean: 'boolean', date: 'date', enum: 'picklist', multienum: 'multipicklist',
};

/** The entity's CUSTOM_FIELDS as Salesforce custom fields (`__c`), read from `record.custom`. */
export function customFields<R extends { custom: object }>(entity: EntityType): FieldSpec<R>[] {
  return CUSTOM_FIELDS[entity].map((def) => {
    const type = CUSTOM_TYPES[def.type];
    const get = (row: Row<R>): SfValue => {
      const v = (row.rec.custom as Record<string, unknown>)[def.key];
      if (v === null || v === undefined) return null;
      if (type === 'date') return sfDate(v as number);
      if (type === 'multipicklist') return (v as string[]).length === 0 ? null : (v as string[]).join(';');
      return v as SfValue;
    };
    return fld<R>(customFieldName(def), def.label, type, get, { custom: true, ...(def.options ? { values: def.options } : {}) });
  });
}

/** '' → null, as Salesforce stores blank text. */
export const blank = (s: string | null | undefined): string | null => (s === '' || s === undefined ? null : s);
