/**
 * The four v2 collections (organizations, persons, deals, activities) as id spaces over the world: which ids the
 * full list holds (in ascending id order, Pipedrive's default `sort_by=id`), which ids exist at all (a lead's own
 * person/organization exists but is not listed, see ids.ts), and how to render one in v1 and v2 shape.
 */
import { LEAD_CONTACT_BASE, idOf, indexOf, v1Time } from './ids.js';
import type { LabelMode } from './custom-values.js';
import type { PdCtx, ScopeArea } from './guard.js';
import { v1Activity, v1Deal, v1LeadPerson, v1Organization, v1Person } from './render-v1.js';
import { v2Activity, v2Deal, v2LeadOrganization, v2LeadPerson, v2Organization, v2Person } from './render-v2.js';
import { firstAfter } from './state.js';

export interface ListQuery {
  /** Deals: statuses to include (default: every status but deleted). */
  statuses?: ReadonlySet<string>;
}

export interface Collection {
  readonly name: 'organizations' | 'persons' | 'deals' | 'activities';
  readonly area: ScopeArea;
  /** "%Resource not found" in v1. */
  readonly resource: string;
  /** Ids the list holds after `afterId`, ascending. */
  scan(ctx: PdCtx, afterId: number, q: ListQuery): Iterable<number>;
  /** Whether an id exists (listed or not), for GET by id. */
  exists(ctx: PdCtx, id: number): boolean;
  /** Whether `ids=` returns this id under the query's filters. */
  matches(ctx: PdCtx, id: number, q: ListQuery): boolean;
  v2(ctx: PdCtx, id: number, mode: LabelMode): object;
  v1(ctx: PdCtx, id: number): object;
}

function* range(from: number, to: number): Iterable<number> {
  for (let id = from; id <= to; id++) yield id;
}

const isLeadContact = (ctx: PdCtx, id: number, needsCompany: boolean): boolean => {
  const i = id - LEAD_CONTACT_BASE - 1;
  if (i < 0 || i >= ctx.world.counts.leads) return false;
  return !needsCompany || ctx.world.lead(i).company !== '';
};
const live = (count: number, id: number) => Number.isSafeInteger(id) && id >= 1 && id <= count;

export const ORGANIZATIONS: Collection = {
  name: 'organizations', area: 'contacts', resource: 'Organization',
  scan: (ctx, after) => range(after + 1, ctx.world.counts.accounts),
  exists: (ctx, id) => live(ctx.world.counts.accounts, id) || isLeadContact(ctx, id, true),
  matches: (ctx, id) => ORGANIZATIONS.exists(ctx, id),
  v2: (ctx, id, mode) => (id > LEAD_CONTACT_BASE ? v2LeadOrganization(ctx.world.lead(id - LEAD_CONTACT_BASE - 1)) : v2Organization(ctx.world.account(indexOf(id)), mode)),
  v1: (ctx, id) => {
    if (id <= LEAD_CONTACT_BASE) return v1Organization(ctx.world, ctx.world.account(indexOf(id)));
    const lead = ctx.world.lead(id - LEAD_CONTACT_BASE - 1);
    const { custom_fields: _c, ...o } = v2LeadOrganization(lead);
    return { ...o, address: o.address?.value ?? null, owner_id: { id: o.owner_id, value: o.owner_id }, visible_to: '3', active_flag: true, add_time: v1Time(lead.createdAt), update_time: v1Time(lead.updatedAt) };
  },
};

export const PERSONS: Collection = {
  name: 'persons', area: 'contacts', resource: 'Person',
  scan: (ctx, after) => range(after + 1, ctx.world.counts.contacts),
  exists: (ctx, id) => live(ctx.world.counts.contacts, id) || isLeadContact(ctx, id, false),
  matches: (ctx, id) => PERSONS.exists(ctx, id),
  v2: (ctx, id, mode) => (id > LEAD_CONTACT_BASE ? v2LeadPerson(ctx.world.lead(id - LEAD_CONTACT_BASE - 1)) : v2Person(ctx.world.contact(indexOf(id)), mode)),
  v1: (ctx, id) => (id > LEAD_CONTACT_BASE ? v1LeadPerson(ctx.world, ctx.world.lead(id - LEAD_CONTACT_BASE - 1)) : v1Person(ctx.world, ctx.world.contact(indexOf(id)))),
};

function dealMatches(ctx: PdCtx, id: number, q: ListQuery): boolean {
  const total = ctx.world.total('deals');
  if (!Number.isSafeInteger(id) || id < 1 || id > total) return false;
  const statuses = q.statuses;
  const deleted = id > ctx.world.counts.deals;
  if (!statuses) return !deleted;
  if (deleted) return statuses.has('deleted');
  return statuses.has(ctx.world.deal(indexOf(id)).status);
}

export const DEALS: Collection = {
  name: 'deals', area: 'deals', resource: 'Deal',
  *scan(ctx, after, q) {
    const onlyLive = !q.statuses || !q.statuses.has('deleted');
    const last = onlyLive ? ctx.world.counts.deals : ctx.world.total('deals');
    // Status filters need the record; the unfiltered live list is a plain range.
    for (let id = after + 1; id <= last; id++) if (!q.statuses || dealMatches(ctx, id, q)) yield id;
  },
  exists: (ctx, id) => Number.isSafeInteger(id) && id >= 1 && id <= ctx.world.total('deals'),
  matches: dealMatches,
  v2: (ctx, id, mode) => v2Deal(ctx.world.deal(indexOf(id)), mode),
  v1: (ctx, id) => v1Deal(ctx.world, ctx.world.deal(indexOf(id))),
};

export const ACTIVITIES: Collection = {
  name: 'activities', area: 'activities', resource: 'Activity',
  *scan(ctx, after) {
    const idx = ctx.state.activityIndices();
    for (let k = firstAfter(idx, after); k < idx.length; k++) yield idOf(idx[k] as number);
  },
  exists(ctx, id) {
    const idx = ctx.state.activityIndices();
    const k = firstAfter(idx, id - 1);
    return k < idx.length && idOf(idx[k] as number) === id;
  },
  matches: (ctx, id) => ACTIVITIES.exists(ctx, id),
  v2: (ctx, id) => v2Activity(ctx.world.activity(indexOf(id))),
  v1: (ctx, id) => v1Activity(ctx.world, ctx.world.activity(indexOf(id))),
};

export const COLLECTIONS = [ORGANIZATIONS, PERSONS, DEALS, ACTIVITIES] as const;
