/**
 * The CRM search API's query language over the world, pure: filterGroups (OR of ANDed filters, at most 5 groups,
 * 6 filters each, 18 in all), one sort, `query` text, limit ≤ 200, numeric `after`, and the 10,000-result cap.
 * https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm
 */
import type { World } from '../common/index.js';
import type { IndexList, ObjectType } from './objects.js';
import { propertyOf, type PropDef, type RenderCtx } from './properties.js';

export const SEARCH_MAX_LIMIT = 200;
export const SEARCH_MAX_RESULTS = 10_000;

interface Filter {
  propertyName?: unknown;
  operator?: unknown;
  value?: unknown;
  highValue?: unknown;
  values?: unknown;
}
export interface SearchBody {
  filterGroups?: { filters?: Filter[] }[];
  sorts?: (string | { propertyName?: string; direction?: string })[];
  query?: string;
  properties?: string[];
  limit?: number | string;
  after?: string | number;
}

export class SearchError extends Error {}

type Test = (value: string | null) => boolean;

function comparable(p: PropDef, raw: unknown): number | string {
  const s = String(raw ?? '');
  if (p.type === 'datetime' || p.type === 'date') {
    const n = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
    if (Number.isNaN(n)) throw new SearchError(`${s} is not a valid date for property ${p.name}`);
    return n;
  }
  if (p.type === 'number') {
    const n = Number(s);
    if (!Number.isFinite(n)) throw new SearchError(`${s} is not a valid number for property ${p.name}`);
    return n;
  }
  return s.toLowerCase();
}

function valueOf(p: PropDef, v: string): number | string {
  if (p.type === 'datetime' || p.type === 'date') return Date.parse(v);
  if (p.type === 'number') return Number(v);
  return v.toLowerCase();
}

function compileFilter(t: ObjectType, f: Filter): { prop: PropDef; test: Test } {
  const name = String(f.propertyName ?? '');
  const prop = propertyOf(t, name);
  if (!prop) throw new SearchError(`There was a problem with the request. Property "${name}" does not exist on object ${t.upper}`);
  const op = String(f.operator ?? 'EQ');
  const cmp = (x: unknown) => comparable(prop, x);
  const v = op === 'HAS_PROPERTY' || op === 'NOT_HAS_PROPERTY' || op === 'IN' || op === 'NOT_IN' ? null : cmp(f.value);
  const hi = op === 'BETWEEN' ? cmp(f.highValue) : null;
  const set = op === 'IN' || op === 'NOT_IN' ? new Set((Array.isArray(f.values) ? f.values : []).map(cmp)) : null;
  const lift = (fn: (x: number | string) => boolean): Test => (x) => x !== null && fn(valueOf(prop, x));
  const tests: Record<string, Test> = {
    EQ: lift((x) => x === v), NEQ: (x) => x === null || valueOf(prop, x) !== v,
    LT: lift((x) => x < v!), LTE: lift((x) => x <= v!), GT: lift((x) => x > v!), GTE: lift((x) => x >= v!),
    BETWEEN: lift((x) => x >= v! && x <= hi!), IN: lift((x) => set!.has(x)), NOT_IN: (x) => x === null || !set!.has(valueOf(prop, x)),
    HAS_PROPERTY: (x) => x !== null, NOT_HAS_PROPERTY: (x) => x === null,
    CONTAINS_TOKEN: lift((x) => String(x).includes(String(v).replace(/\*/g, ''))),
  };
  const test = tests[op];
  if (!test) throw new SearchError(`Unsupported operator ${op}`);
  return { prop, test };
}

export interface SearchPlan {
  readonly key: string;
  readonly limit: number;
  readonly after: number;
  matches(world: World, list: IndexList, rc: RenderCtx): Int32Array | null;
}

const QUERY_PROPS = ['firstname', 'lastname', 'email', 'phone', 'company', 'name', 'domain', 'dealname', 'hs_lead_name'];

/** Validates a search body into a plan; `matches` returns null when every live record matches in id order (fast count). */
export function planSearch(t: ObjectType, body: SearchBody): SearchPlan {
  const groups = body.filterGroups ?? [];
  if (groups.length > 5) throw new SearchError('Too many filter groups: the limit is 5');
  const total = groups.reduce((n, g) => n + (g.filters?.length ?? 0), 0);
  if (groups.some((g) => (g.filters?.length ?? 0) > 6) || total > 18) throw new SearchError('Too many filters: the limits are 6 per group and 18 in total');
  const compiled = groups.map((g) => (g.filters ?? []).map((f) => compileFilter(t, f)));
  const limit = body.limit === undefined ? 10 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_MAX_LIMIT) throw new SearchError(`limit must be between 0 and ${SEARCH_MAX_LIMIT}, got ${String(body.limit)}`);
  const after = body.after === undefined || body.after === '' ? 0 : Number(body.after);
  if (!Number.isInteger(after) || after < 0) throw new SearchError(`after must be a non-negative integer, got ${String(body.after)}`);
  if (after >= SEARCH_MAX_RESULTS) throw new SearchError(`There was a problem with the request. Search results are limited to ${SEARCH_MAX_RESULTS} total results; page with filters instead`);
  const rawSort = body.sorts?.[0];
  const sort = rawSort === undefined ? null
    : typeof rawSort === 'string' ? { name: rawSort.replace(/^-/, ''), desc: rawSort.startsWith('-') }
    : { name: String(rawSort.propertyName ?? ''), desc: String(rawSort.direction ?? 'ASCENDING').toUpperCase().startsWith('DESC') };
  const sortProp = sort ? propertyOf(t, sort.name) : null;
  if (sort && !sortProp) throw new SearchError(`There was a problem with the request. Cannot sort by unknown property "${sort.name}"`);
  const query = body.query?.trim().toLowerCase() ?? '';
  const queryProps = QUERY_PROPS.map((n) => propertyOf(t, n)).filter((p): p is PropDef => p !== undefined);
  const key = JSON.stringify([t.name, groups, sort, query]);

  return {
    key, limit, after,
    matches(world, list, rc) {
      if (compiled.length === 0 && !sortProp && !query) return null;
      const hits: number[] = [];
      const keys: (number | string)[] = [];
      for (let k = 0; k < list.live; k++) {
        const r = world.get(t.entity, list.at(k)) as never;
        const ok = (compiled.length === 0 || compiled.some((g) => g.every((f) => f.test(f.prop.get(r, rc)))))
          && (!query || queryProps.some((p) => (p.get(r, rc) ?? '').toLowerCase().includes(query)));
        if (!ok) continue;
        hits.push(k);
        if (sortProp) {
          const v = sortProp.get(r, rc);
          keys.push(v === null ? '' : valueOf(sortProp, v));
        }
      }
      if (!sortProp) return Int32Array.from(hits);
      const order = hits.map((_, j) => j);
      const dir = sort!.desc ? -1 : 1;
      order.sort((a, b) => {
        const x = keys[a]!;
        const y = keys[b]!;
        return x < y ? -dir : x > y ? dir : hits[a]! - hits[b]!;
      });
      return Int32Array.from(order.map((j) => hits[j]!));
    },
  };
}
