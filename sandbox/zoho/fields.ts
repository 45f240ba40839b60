/**
 * Field definitions as data: one entry per Zoho field with its API name, label, data type and how to read its
 * value from a world record. The same table renders list records (JSON), Bulk Read rows (CSV) and
 * `GET /settings/fields` metadata, so the three can never disagree. Custom fields come from the world's
 * CUSTOM_FIELDS under Zoho's naming (label → API name with underscores, `custom_field: true`).
 * Data types and json_type values: https://www.zoho.com/crm/developer/docs/api/v8/field-meta.html
 */
import type { CustomFieldDef, WorldRecordBase } from '../common/index.js';
import { zohoDate, zohoDateTime } from './ids.js';
import type { RenderCtx } from './refs.js';

export type ZohoDataType =
  | 'text' | 'textarea' | 'email' | 'phone' | 'website' | 'picklist' | 'multiselectpicklist' | 'integer' | 'bigint'
  | 'double' | 'currency' | 'boolean' | 'date' | 'datetime' | 'lookup' | 'ownerlookup';

export interface FieldDef<R> {
  readonly api: string;
  readonly label: string;
  readonly type: ZohoDataType;
  readonly custom?: boolean;
  readonly mandatory?: boolean;
  readonly readOnly?: boolean;
  /** Picklist values. */
  readonly values?: readonly string[];
  /** Lookup target module ('se_module' for the polymorphic What_Id). */
  readonly lookup?: string;
  /** Rendered with this field but not listed in the metadata (What_Id brings `$se_module`). */
  readonly companions?: readonly string[];
  /** Not a metadata field (e.g. `$se_module`): only rendered as a companion or when asked for by name. */
  readonly hidden?: boolean;
  /** The JSON value (null for empty, as Zoho renders it). */
  readonly value: (r: R, x: RenderCtx) => unknown;
}

/** '' → null: Zoho renders empty fields as null. */
export const str = (s: string | null | undefined): string | null => (s === '' || s === undefined ? null : s);

export function systemFields<R extends WorldRecordBase>(ownerLabel: string): FieldDef<R>[] {
  return [
    { api: 'Owner', label: ownerLabel, type: 'ownerlookup', lookup: 'users', value: (r, x) => x.owner(r.ownerIndex) },
    { api: 'Created_By', label: 'Created By', type: 'ownerlookup', readOnly: true, lookup: 'users', value: (r, x) => x.owner(r.ownerIndex) },
    { api: 'Modified_By', label: 'Modified By', type: 'ownerlookup', readOnly: true, lookup: 'users', value: (r, x) => x.owner(r.ownerIndex) },
    { api: 'Created_Time', label: 'Created Time', type: 'datetime', readOnly: true, value: (r) => zohoDateTime(r.createdAt) },
    { api: 'Modified_Time', label: 'Modified Time', type: 'datetime', readOnly: true, value: (r) => zohoDateTime(r.updatedAt) },
  ];
}

/** Zoho's API name for a custom field label: non-alphanumerics become underscores ("NPS Score" → NPS_Score). */
export function customApiName(label: string): string {
  return label.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

const CUSTOM_TYPE: Record<CustomFieldDef['type'], ZohoDataType> = {
  string: 'text', number: 'integer', boolean: 'boolean', date: 'date', enum: 'picklist', multienum: 'multiselectpicklist',
};

/** Custom fields of an entity, reading `record.custom[key]`. */
export function customFields<R extends { custom: object }>(defs: readonly CustomFieldDef[]): FieldDef<R>[] {
  return defs.map((d) => {
    const type = CUSTOM_TYPE[d.type];
    const read = (r: R): unknown => {
      const v = (r.custom as Record<string, unknown>)[d.key];
      if (v === null || v === undefined || v === '') return type === 'multiselectpicklist' ? [] : type === 'boolean' ? false : null;
      return type === 'date' ? zohoDate(v as number) : v;
    };
    return { api: customApiName(d.label), label: d.label, type, custom: true, values: d.options, value: read };
  });
}

const JSON_TYPE: Record<ZohoDataType, string> = {
  text: 'string', textarea: 'string', email: 'string', phone: 'string', website: 'string', picklist: 'string',
  multiselectpicklist: 'jsonarray', integer: 'integer', bigint: 'string', double: 'double', currency: 'double',
  boolean: 'boolean', date: 'string', datetime: 'string', lookup: 'jsonobject', ownerlookup: 'jsonobject',
};

const LENGTH: Partial<Record<ZohoDataType, number>> = { textarea: 32000, integer: 9, bigint: 18, double: 16, currency: 16, email: 100, phone: 30, website: 255 };

/** One field as `GET /crm/v8/settings/fields` renders it. */
export function fieldMeta(f: FieldDef<never>, id: string, lookupModuleId: (api: string) => string): Record<string, unknown> {
  return {
    api_name: f.api,
    id,
    field_label: f.label,
    display_label: f.label,
    data_type: f.type,
    json_type: JSON_TYPE[f.type],
    custom_field: f.custom === true,
    system_mandatory: f.mandatory === true,
    read_only: f.readOnly === true,
    field_read_only: f.readOnly === true,
    visible: true,
    length: LENGTH[f.type] ?? 255,
    created_source: f.custom ? 'crm' : 'default',
    pick_list_values: (f.values ?? []).map((v, k) => ({ display_value: v, actual_value: v, sequence_number: k + 1, id: `${id.slice(0, 15)}${String(k).padStart(4, '0')}` })),
    ...(f.lookup !== undefined && f.type === 'lookup'
      ? { lookup: { module: { api_name: f.lookup, id: lookupModuleId(f.lookup) }, display_label: f.label, api_name: f.api, id } }
      : {}),
  };
}
