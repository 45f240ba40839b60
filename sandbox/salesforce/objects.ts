/**
 * The objects the sandbox serves and, per instance, each object's index space over the world: row k of an
 * object maps to a world index (Task, Event and Note share the world's activities, split by type, so their
 * index lists are built once on first use). Live rows come first, deleted ones (queryAll) after.
 */
import type { World } from '../common/index.js';
import { ACTIVITY_OBJECT, EVENT, NOTE, TASK } from './objects-activity.js';
import { ACCOUNT, CONTACT, LEAD, OPPORTUNITY } from './objects-crm.js';
import { ORGANIZATION, USER, type OrgRecord } from './objects-system.js';
import type { FieldSpec, ObjectSpec, Row } from './schema.js';

export const OBJECTS: Readonly<Record<string, ObjectSpec>> = Object.fromEntries(
  [ACCOUNT, CONTACT, LEAD, OPPORTUNITY, TASK, EVENT, NOTE, USER, ORGANIZATION].map((o) => [o.name.toLowerCase(), o as ObjectSpec]),
);

/** Looks an object up case-insensitively (SOQL and REST paths are case-insensitive for names). */
export function objectSpec(name: string): ObjectSpec | undefined {
  return OBJECTS[name.toLowerCase()];
}

const fieldIndex = new Map<ObjectSpec, Map<string, FieldSpec<unknown>>>();
export function fieldSpec(object: ObjectSpec, name: string): FieldSpec<unknown> | undefined {
  let m = fieldIndex.get(object);
  if (!m) {
    m = new Map(object.fields.map((f) => [f.name.toLowerCase(), f as FieldSpec<unknown>]));
    fieldIndex.set(object, m);
  }
  return m.get(name.toLowerCase());
}

export interface ObjectSpace {
  /** Rows including deleted ones. */
  readonly total: number;
  /** Rows 0 … live-1 are live. */
  readonly live: number;
  /** World index of row k (also the number in the record id). */
  wi(k: number): number;
  /** Row k from the world index; null if no row of this object has that world index. */
  rowOf(wi: number): number | null;
  row(k: number): Row<unknown>;
}

/** A row whose record is generated on first access (a class: accessors on object literals are slow in V8). */
class LazyRow implements Row<unknown> {
  #rec: unknown = undefined;
  constructor(
    readonly wi: number,
    readonly deleted: boolean,
    private readonly make: (wi: number) => unknown,
  ) {}
  get rec(): unknown {
    return (this.#rec ??= this.make(this.wi));
  }
}
const lazyRow = (wi: number, deleted: boolean, make: (wi: number) => unknown): Row<unknown> => new LazyRow(wi, deleted, make);

function identitySpace(total: number, live: number, make: (wi: number) => unknown): ObjectSpace {
  return {
    total, live,
    wi: (k) => k,
    rowOf: (wi) => (wi >= 0 && wi < total ? wi : null),
    row: (k) => lazyRow(k, k >= live, make),
  };
}

function listSpace(list: Int32Array, live: number, make: (wi: number) => unknown): ObjectSpace {
  return {
    total: list.length, live,
    wi: (k) => list[k] as number,
    rowOf(wi) {
      let lo = 0;
      let hi = list.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const v = list[mid] as number;
        if (v === wi) return mid;
        if (v < wi) lo = mid + 1;
        else hi = mid - 1;
      }
      return null;
    },
    row: (k) => lazyRow(list[k] as number, k >= live, make),
  };
}

/** Per-instance spaces of every object, built lazily. */
export function createSpaces(world: World, org: () => OrgRecord): (object: ObjectSpec) => ObjectSpace {
  const cache = new Map<string, ObjectSpace>();
  let activityLists: Record<'Task' | 'Event' | 'Note', { list: Int32Array; live: number }> | undefined;
  const activities = () => {
    if (activityLists) return activityLists;
    const acc = { Task: [] as number[], Event: [] as number[], Note: [] as number[] };
    const live = { Task: 0, Event: 0, Note: 0 };
    const total = world.total('activities');
    for (let i = 0; i < total; i++) {
      const o = ACTIVITY_OBJECT[world.activity(i).type];
      acc[o].push(i);
      if (i < world.counts.activities) live[o]++;
    }
    activityLists = {
      Task: { list: Int32Array.from(acc.Task), live: live.Task },
      Event: { list: Int32Array.from(acc.Event), live: live.Event },
      Note: { list: Int32Array.from(acc.Note), live: live.Note },
    };
    return activityLists;
  };
  const build = (name: string): ObjectSpace => {
    switch (name) {
      case 'Account': return identitySpace(world.total('accounts'), world.counts.accounts, world.account);
      case 'Contact': return identitySpace(world.total('contacts'), world.counts.contacts, world.contact);
      case 'Lead': return identitySpace(world.total('leads'), world.counts.leads, world.lead);
      case 'Opportunity': return identitySpace(world.total('deals'), world.counts.deals, world.deal);
      case 'Task': case 'Event': case 'Note': {
        const a = activities()[name];
        return listSpace(a.list, a.live, world.activity);
      }
      case 'User': return identitySpace(world.owners.length, world.owners.length, (i) => world.owners[i]);
      case 'Organization': return identitySpace(1, 1, () => org());
      default: throw new RangeError(`no space for ${name}`);
    }
  };
  return (object) => {
    let s = cache.get(object.name);
    if (!s) cache.set(object.name, (s = build(object.name)));
    return s;
  };
}
