/**
 * HubSpot's CRM object types as the sandbox serves them: name, object type id, the world entity behind it, the
 * scope that reads it, and how record ids map to world indices. Activities are five HubSpot objects (notes,
 * tasks, calls, meetings, emails) that together hold the world's activities, split by activity type.
 * Object type ids: https://developers.hubspot.com/docs/guides/crm/using-object-apis
 */
import type { ActivityType, EntityType, World } from '../common/index.js';

export interface ObjectType {
  /** Path name, e.g. 'contacts'. */
  readonly name: string;
  /** Object type id, e.g. '0-1'. */
  readonly typeId: string;
  /** Singular upper-case name the exports API and error messages use, e.g. 'CONTACT'. */
  readonly upper: string;
  /** Singular lower-case name used in association type names, e.g. 'contact' (contact_to_company). */
  readonly singular: string;
  readonly entity: EntityType;
  /** For activity objects: which world activities this object holds. */
  readonly activityType?: ActivityType;
  /** Granular scope needed to read it. Engagements ride on the contacts scope (decision: the fact sheet marks it unverified). */
  readonly scope: string;
}

const o = (name: string, typeId: string, upper: string, entity: EntityType, scope: string, activityType?: ActivityType): ObjectType => ({
  name, typeId, upper, singular: upper.toLowerCase(), entity, scope, ...(activityType ? { activityType } : {}),
});

export const OBJECT_TYPES: readonly ObjectType[] = [
  o('contacts', '0-1', 'CONTACT', 'contacts', 'crm.objects.contacts.read'),
  o('companies', '0-2', 'COMPANY', 'accounts', 'crm.objects.companies.read'),
  o('deals', '0-3', 'DEAL', 'deals', 'crm.objects.deals.read'),
  o('leads', '0-136', 'LEAD', 'leads', 'crm.objects.leads.read'),
  o('notes', '0-46', 'NOTE', 'activities', 'crm.objects.contacts.read', 'note'),
  o('tasks', '0-27', 'TASK', 'activities', 'crm.objects.contacts.read', 'task'),
  o('calls', '0-48', 'CALL', 'activities', 'crm.objects.contacts.read', 'call'),
  o('meetings', '0-47', 'MEETING', 'activities', 'crm.objects.contacts.read', 'meeting'),
  o('emails', '0-49', 'EMAIL', 'activities', 'crm.objects.contacts.read', 'email'),
];

/** Resolves 'contacts', 'contact', 'CONTACT', '0-1' or 'p_contacts'-free spellings HubSpot accepts; undefined if unknown. */
export function resolveObjectType(raw: string | undefined): ObjectType | undefined {
  if (!raw) return undefined;
  const k = raw.toLowerCase();
  return OBJECT_TYPES.find((t) => t.name === k || t.typeId === k || t.singular === k);
}

export function objectByName(name: string): ObjectType {
  const t = resolveObjectType(name);
  if (!t) throw new Error(`unknown HubSpot object ${name}`);
  return t;
}

/** HubSpot record ids are numeric strings; the sandbox uses world index + 1 (activities: the activity index + 1). */
export const recordId = (index: number): string => String(index + 1);

/** World indices of one object, live ones and archived ones, in id order. */
export interface IndexList {
  readonly live: number;
  readonly archived: number;
  /** World index of the k-th record (0 ≤ k < live + archived; live first). */
  at(k: number): number;
  /** Position of the first record whose id is ≥ `id` (for `after` cursors), within [from, to). */
  positionOf(id: number, archived: boolean): number;
}

function identityList(world: World, entity: EntityType): IndexList {
  const live = world.counts[entity];
  const archived = world.deletedCounts[entity];
  return {
    live, archived,
    at: (k) => k,
    positionOf: (id, arch) => Math.min(Math.max(id - 1, arch ? live : 0), arch ? live + archived : live),
  };
}

function filteredList(world: World, type: ActivityType): IndexList {
  const all: number[] = [];
  let live = 0;
  const total = world.total('activities');
  for (let i = 0; i < total; i++) {
    if (world.activity(i).type !== type) continue;
    all.push(i);
    if (i < world.counts.activities) live++;
  }
  const arr = Int32Array.from(all);
  return {
    live, archived: arr.length - live,
    at: (k) => arr[k] as number,
    positionOf(id, arch) {
      let lo = arch ? live : 0;
      let hi = arch ? arr.length : live;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((arr[mid] as number) + 1 < id) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}

/** Per-instance index lists, built once per object (activities need one pass over the world to split by type). */
export class ObjectIndex {
  private readonly lists = new Map<string, IndexList>();
  constructor(private readonly world: World) {}

  of(t: ObjectType): IndexList {
    let l = this.lists.get(t.name);
    if (!l) {
      l = t.activityType ? filteredList(this.world, t.activityType) : identityList(this.world, t.entity);
      this.lists.set(t.name, l);
    }
    return l;
  }

  /** World index of a record id of this object, or null when no such record exists (archived included). */
  indexOfId(t: ObjectType, id: string): number | null {
    if (!/^[1-9]\d{0,14}$/.test(id)) return null;
    const i = Number(id) - 1;
    if (i >= this.world.total(t.entity)) return null;
    if (t.activityType && this.world.activity(i).type !== t.activityType) return null;
    return i;
  }
}

/** HubSpot's list cursors look like base64 of the next id and a newline ("NTI1Cg%3D%3D" = "525\n"). Opaque to clients. */
export function encodeAfter(nextId: number): string {
  return Buffer.from(`${nextId}\n`).toString('base64');
}

export function decodeAfter(after: string): number | null {
  const s = Buffer.from(after, 'base64').toString('utf8');
  const m = /^(\d{1,15})\n$/.exec(s);
  return m ? Number(m[1]) : null;
}
