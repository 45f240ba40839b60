/**
 * Records in Zoho's shapes: JSON for the list API (only the fields asked for, plus `id`; lookups as objects) and
 * CSV cells for Bulk Read (lookups as the id; `Field.subfield` columns for a lookup's name or an owner's e-mail;
 * multi-select values joined with ';'; date-times in ISO 8601 with the org's offset).
 */
import type { CsvValue, WorldRecordBase } from '../common/index.js';
import type { FieldDef } from './fields.js';
import { zohoId } from './ids.js';
import type { ModuleData, ModuleSpec } from './modules.js';
import type { RenderCtx } from './refs.js';

type Field = FieldDef<WorldRecordBase>;

/** The fields to render for a request, companions (What_Id → $se_module) included. */
export function withCompanions(m: ModuleSpec, data: ModuleData, fields: readonly Field[]): Field[] {
  const out = [...fields];
  for (const f of fields) for (const c of f.companions ?? []) {
    const def = data.field(m, c);
    if (def && !out.includes(def)) out.push(def);
  }
  return out;
}

export function renderRecord(m: ModuleSpec, r: WorldRecordBase, fields: readonly Field[], x: RenderCtx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f.api] = f.value(r, x);
  out.id = zohoId(m.code, r.index);
  return out;
}

function cell(v: unknown): CsvValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') {
    if (Array.isArray(v)) return v.join(';');
    return (v as { id?: string }).id ?? null;
  }
  return v as CsvValue;
}

/** One Bulk Read column: a field, or `Lookup.sub` (the lookup's id, name, or an owner's email/first/last name). */
export interface Column {
  readonly name: string;
  read(r: WorldRecordBase, x: RenderCtx): CsvValue;
}

export function bulkColumn(m: ModuleSpec, data: ModuleData, name: string): Column | null {
  if (name === 'id') return { name, read: (r) => zohoId(m.code, r.index) };
  const dot = name.indexOf('.');
  const base = data.field(m, dot < 0 ? name : name.slice(0, dot));
  if (!base) return null;
  if (dot < 0) return { name, read: (r, x) => cell(base.value(r, x)) };
  if (base.type !== 'lookup' && base.type !== 'ownerlookup') return null;
  const sub = name.slice(dot + 1);
  return {
    name,
    read: (r, x) => {
      const v = base.value(r, x) as { id: string; name: string; email?: string } | null;
      if (v === null) return null;
      if (sub === 'id') return v.id;
      if (base.type === 'ownerlookup') {
        const [first, ...rest] = v.name.split(' ');
        if (sub === 'email') return v.email ?? null;
        if (sub === 'first_name') return first ?? null;
        if (sub === 'last_name') return rest.join(' ');
      }
      return v.name;
    },
  };
}
