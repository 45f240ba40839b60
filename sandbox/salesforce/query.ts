/**
 * Runs a parsed SOQL query against the world: validates object and fields the way Salesforce does
 * (INVALID_TYPE, INVALID_FIELD, NUMBER_OUTSIDE_VALID_RANGE), selects the matching rows as a compact list of row
 * numbers (records are generated only when a condition or sort needs them), and renders rows as REST JSON or
 * Bulk CSV values. Parent fields (`Account.Name`, `Owner.Email`, polymorphic `Who.Name`) are resolved by id.
 */
import { KEY_PREFIX, parseSfId } from './ids.js';
import { fieldSpec, objectSpec, type ObjectSpace } from './objects.js';
import type { FieldSpec, ObjectSpec, Row, SfValue } from './schema.js';
import { positioned, SoqlError, type Literal, type SoqlQuery } from './soql.js';

export const MAX_OFFSET = 2000;

type Spaces = (object: ObjectSpec) => ObjectSpace;

/** One selected (or filtered) column: a field of the object, or a field of a parent reached by a relationship. */
export interface Column {
  /** As written in the query, canonical case (`Account.Name`). */
  name: string;
  field: FieldSpec<unknown>;
  type: FieldSpec<unknown>['type'];
  parent?: { rel: string; target: string };
  value(row: Row<unknown>): SfValue;
  /** For JSON: the parent's type and id (attributes), when `parent` is set. */
  parentRef?(row: Row<unknown>): { type: string; id: string } | null;
}

export interface Plan {
  object: ObjectSpec;
  space: ObjectSpace;
  count: boolean;
  columns: Column[];
  /** Matching row numbers, in order, after OFFSET/LIMIT. */
  rows: Int32Array;
}

const PREFIX_TO_OBJECT = new Map<string, string>(Object.entries(KEY_PREFIX).map(([name, prefix]) => [prefix, name]));

function noSuchColumn(q: SoqlQuery, col: number, name: string, object: string): SoqlError {
  return new SoqlError('INVALID_FIELD', positioned(q.text, col, `No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`));
}

/** Resolves a field path on `object` to a Column. */
export function resolveColumn(q: SoqlQuery, object: ObjectSpec, path: string, col: number, spaces: Spaces): Column {
  const dot = path.indexOf('.');
  if (dot < 0) {
    const f = fieldSpec(object, path);
    if (!f) throw noSuchColumn(q, col, path, object.name);
    return { name: f.name, field: f, type: f.type, value: (r) => f.get(r) };
  }
  const relName = path.slice(0, dot);
  const rest = path.slice(dot + 1);
  const ref = object.fields.find((f) => f.relationshipName?.toLowerCase() === relName.toLowerCase());
  if (!ref || rest.includes('.')) {
    throw new SoqlError('INVALID_FIELD', positioned(q.text, col, `Didn't understand relationship '${relName}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`));
  }
  const targets = ref.referenceTo ?? [];
  const polymorphic = targets.length > 1;
  const lookup = (row: Row<unknown>): { object: ObjectSpec; row: Row<unknown> } | null => {
    const id = ref.get(row);
    if (typeof id !== 'string') return null;
    const target = objectSpec(PREFIX_TO_OBJECT.get(id.slice(0, 3)) ?? '');
    if (!target) return null;
    const space = spaces(target);
    const wi = parseSfId(target.keyPrefix, id);
    const k = wi === null ? null : space.rowOf(wi);
    return k === null ? null : { object: target, row: space.row(k) };
  };
  let field: FieldSpec<unknown> | undefined;
  let value: Column['value'];
  if (polymorphic) {
    // Polymorphic relationships (Who, What, Parent) reach the "Name" object: Id, Name and Type only.
    const name = ['Id', 'Name', 'Type'].find((n) => n.toLowerCase() === rest.toLowerCase());
    if (!name) throw noSuchColumn(q, col, rest, 'Name');
    field = { name, label: name, type: name === 'Id' ? 'id' : 'string', get: () => null };
    value = (row) => {
      const p = lookup(row);
      if (!p) return null;
      if (name === 'Type') return p.object.name;
      return fieldSpec(p.object, name)?.get(p.row) ?? null;
    };
  } else {
    const target = objectSpec(targets[0] ?? '');
    field = target ? fieldSpec(target, rest) : undefined;
    if (!target || !field) throw noSuchColumn(q, col, rest, targets[0] ?? relName);
    const f = field;
    // Parents repeat across children (contacts of one account): remember recent values, bounded.
    const cache = new Map<string, SfValue>();
    value = (row) => {
      const id = ref.get(row);
      if (typeof id !== 'string') return null;
      const hit = cache.get(id);
      if (hit !== undefined) return hit;
      const p = lookup(row);
      const v = p ? f.get(p.row) : null;
      if (cache.size >= 20_000) cache.clear();
      cache.set(id, v);
      return v;
    };
  }
  const rel = ref.relationshipName as string;
  return {
    name: `${rel}.${field.name}`, field, type: field.type, parent: { rel, target: targets.join(',') }, value,
    parentRef(row) {
      const p = lookup(row);
      return p ? { type: p.object.name, id: String(fieldSpec(p.object, 'Id')?.get(p.row)) } : null;
    },
  };
}

/** A comparable form of a field value. */
function comparable(type: Column['type'], v: SfValue): number | string | boolean | null {
  if (v === null) return null;
  if (type === 'datetime') return Date.parse((v as string).replace('+0000', 'Z'));
  if (type === 'date') return Date.parse(`${v as string}T00:00:00Z`);
  return v;
}

function literalFor(q: SoqlQuery, c: Column, lit: Literal, col: number): number | string | boolean | null {
  const bad = (want: string) =>
    new SoqlError('INVALID_FIELD', positioned(q.text, col, `value of filter criterion for field '${c.name}' must be of type ${want} and should not be enclosed in quotes`));
  if (lit.kind === 'null') return null;
  switch (c.type) {
    case 'datetime':
      if (lit.kind !== 'datetime') throw bad('dateTime');
      return lit.value;
    case 'date':
      if (lit.kind !== 'date') throw bad('date');
      return lit.value;
    case 'boolean':
      if (lit.kind !== 'boolean') throw bad('boolean');
      return lit.value;
    case 'int': case 'double': case 'currency': case 'percent':
      if (lit.kind !== 'number') throw bad('double');
      return lit.value;
    default:
      if (lit.kind !== 'string') {
        throw new SoqlError('INVALID_FIELD', positioned(q.text, col, `value of filter criterion for field '${c.name}' must be of type string and should be enclosed in quotes`));
      }
      return lit.value;
  }
}

function likeRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, 'is');
}

function compile(q: SoqlQuery, object: ObjectSpec, spaces: Spaces): (row: Row<unknown>) => boolean {
  const preds = q.where.map((cond) => {
    const c = resolveColumn(q, object, cond.field, cond.column, spaces);
    const values = cond.values.map((l) => literalFor(q, c, l, cond.column));
    const v0 = values[0] ?? null;
    const re = cond.op === 'LIKE' && typeof v0 === 'string' ? likeRegex(v0) : null;
    return (row: Row<unknown>): boolean => {
      const v = comparable(c.type, c.value(row));
      switch (cond.op) {
        case '=': return v === v0;
        case '!=': return v !== v0;
        case 'IN': return values.includes(v);
        case 'LIKE': return typeof v === 'string' && re !== null && re.test(v);
        default:
          if (v === null || v0 === null) return false;
          if (cond.op === '<') return v < v0;
          if (cond.op === '<=') return v <= v0;
          if (cond.op === '>') return v > v0;
          return v >= v0;
      }
    };
  });
  return (row) => preds.every((p) => p(row));
}

/** Validates and runs a query; `all` includes deleted rows (queryAll). */
export function plan(q: SoqlQuery, all: boolean, spaces: Spaces): Plan {
  const object = objectSpec(q.object);
  if (!object) {
    throw new SoqlError('INVALID_TYPE', positioned(q.text, q.objectColumn, `sObject type '${q.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`));
  }
  const columns = q.fields.map((f) => resolveColumn(q, object, f.path, f.column, spaces));
  if (q.offset !== null && q.offset > MAX_OFFSET) {
    throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  }
  const space = spaces(object);
  const match = compile(q, object, spaces);
  const end = all ? space.total : space.live;
  let rows = new Int32Array(end);
  let n = 0;
  for (let k = 0; k < end; k++) if (q.where.length === 0 || match(space.row(k))) rows[n++] = k;
  rows = rows.subarray(0, n);

  const order = q.orderBy.map((o) => ({ ...o, col: resolveColumn(q, object, o.field, o.column, spaces) }));
  if (order.length === 1 && order[0]!.col.name === 'Id' && !order[0]!.col.parent) {
    if (order[0]!.desc) rows = rows.slice().reverse();
  } else if (order.length > 0) {
    const keyed = Array.from(rows, (k) => ({ k, keys: order.map((o) => comparable(o.col.type, o.col.value(space.row(k)))) }));
    keyed.sort((a, b) => {
      for (let j = 0; j < order.length; j++) {
        const x = a.keys[j] ?? null;
        const y = b.keys[j] ?? null;
        if (x === y) continue;
        const desc = order[j]!.desc;
        // ASC sorts NULLS FIRST and DESC NULLS LAST by default.
        if (x === null) return desc ? 1 : -1;
        if (y === null) return desc ? -1 : 1;
        return (x < y ? -1 : 1) * (desc ? -1 : 1);
      }
      return a.k - b.k;
    });
    rows = Int32Array.from(keyed, (e) => e.k);
  }
  const from = Math.min(q.offset ?? 0, rows.length);
  const to = q.limit === null ? rows.length : Math.min(rows.length, from + q.limit);
  return { object, space, count: q.count, columns, rows: rows.subarray(from, to) };
}

/** A REST record: `attributes`, then the selected fields in order; parent fields nested under the relationship. */
export function renderJson(p: Plan, k: number, version: string): Record<string, unknown> {
  const row = p.space.row(k);
  const id = fieldSpec(p.object, 'Id')?.get(row);
  const out: Record<string, unknown> = { attributes: { type: p.object.name, url: `/services/data/${version}/sobjects/${p.object.name}/${String(id)}` } };
  for (const c of p.columns) {
    if (!c.parent) {
      out[c.field.name] = c.value(row);
      continue;
    }
    const rel = c.parent.rel;
    if (!(rel in out)) {
      const ref = c.parentRef!(row);
      out[rel] = ref === null ? null : { attributes: { type: ref.type, url: `/services/data/${version}/sobjects/${ref.type}/${ref.id}` } };
    }
    const nested = out[rel] as Record<string, unknown> | null;
    if (nested) nested[c.field.name] = c.value(row);
  }
  return out;
}
