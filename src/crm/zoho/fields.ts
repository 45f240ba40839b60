/**
 * Which fields to ask Zoho for. The list API needs `fields` (at most 50): the record's system fields and the
 * lookups that carry its relationships come first, then the catalogue's standard fields, then custom fields,
 * then the rest in metadata order. Bulk Read has no such cap and gets every field, plus the lookups' names
 * (`Account_Name.Account_Name`), the owner's name and e-mail, and `$se_module` beside What_Id so a row can be
 * shaped like a list record. Subforms and multi-select lookups are left out: Zoho fills them only when one
 * record is fetched by id (get-records.html).
 */
import type { EntityType } from '../../core/ids.js';
import { MAX_FIELDS } from './definition.js';
import { zohoFieldCatalogue } from './field-catalogue.js';
import type { CsvColumnPlan, ZohoField } from './parse.js';

const SYSTEM = ['Owner', 'Created_Time', 'Modified_Time'];
const LINKS = ['Account_Name', 'Contact_Name', 'What_Id', 'Who_Id', 'Parent_Id'];
const UNLISTABLE = new Set(['subform', 'multiselectlookup', 'multiuserlookup', 'fileupload', 'imageupload', 'profileimage', 'multi_module_lookup']);
/** The field holding a record's name in each module a lookup may point at. */
const NAME_FIELD: Record<string, string> = { Accounts: 'Account_Name', Contacts: 'Full_Name', Leads: 'Full_Name', Deals: 'Deal_Name' };

function listable(meta: readonly ZohoField[]): ZohoField[] {
  return meta.filter((f) => !UNLISTABLE.has(f.type) && !f.name.includes('.'));
}

/** Up to 50 field API names for the list API, most useful first; stable for the same metadata. */
export function listFields(entity: EntityType, meta: readonly ZohoField[]): string[] {
  const fields = listable(meta);
  const names = new Set(fields.map((f) => f.name));
  const out: string[] = [];
  const add = (n: string) => {
    if (out.length < MAX_FIELDS && names.has(n) && !out.includes(n)) out.push(n);
  };
  for (const n of [...SYSTEM, ...LINKS]) add(n);
  for (const c of zohoFieldCatalogue[entity] ?? []) add(c.name);
  for (const f of fields) if (f.custom) add(f.name);
  for (const f of fields) add(f.name);
  return out;
}

/** Bulk Read columns: `id`, every field, and the sub-fields that complete lookups. */
export function bulkColumns(meta: readonly ZohoField[]): CsvColumnPlan[] {
  const plan: CsvColumnPlan[] = [{ column: 'id', field: 'id', type: 'id' }];
  for (const f of listable(meta)) {
    plan.push({ column: f.name, field: f.name, type: f.type });
    if (f.type === 'lookup') {
      if (f.lookupModule === 'se_module') plan.push({ column: '$se_module', field: '$se_module', type: 'text' });
      else if (f.lookupModule && NAME_FIELD[f.lookupModule]) plan.push({ column: `${f.name}.${NAME_FIELD[f.lookupModule]}`, field: f.name, sub: 'name', type: f.type });
    }
    if (f.type === 'ownerlookup' && f.name === 'Owner') {
      for (const sub of ['first_name', 'last_name', 'email'] as const) plan.push({ column: `Owner.${sub}`, field: 'Owner', sub, type: f.type });
    }
  }
  return plan;
}
