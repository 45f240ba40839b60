/**
 * The Zoho modules the sandbox serves and where their records come from. Accounts, Contacts, Leads and Deals
 * are the world's entities one to one (live indices 0…count-1, deleted ones after). The world's activities are
 * split by type across Tasks (tasks and e-mails), Events (meetings), Calls and Notes; which index goes where
 * is only known by generating each activity, so those index lists are built once, lazily, per instance.
 */
import type { EntityType, World, WorldActivity, WorldRecordBase } from '../common/index.js';
import { CALL_FIELDS, EVENT_FIELDS, NOTE_FIELDS, TASK_FIELDS } from './fields-activity.js';
import { ACCOUNT_FIELDS, CONTACT_FIELDS, DEAL_FIELDS, LEAD_FIELDS } from './fields-crm.js';
import type { FieldDef } from './fields.js';
import { CODE } from './ids.js';

export const MODULE_NAMES = ['Accounts', 'Contacts', 'Leads', 'Deals', 'Tasks', 'Events', 'Calls', 'Notes'] as const;
export type ModuleName = (typeof MODULE_NAMES)[number];

export interface ModuleSpec {
  readonly api: ModuleName;
  readonly singular: string;
  readonly plural: string;
  readonly entity: EntityType;
  readonly code: number;
  readonly fields: readonly FieldDef<WorldRecordBase>[];
  /** Bulk Read supports every module but Notes, Attachments and Emails (bulk-read/limitations.html). */
  readonly bulk: boolean;
  /** World activity types kept in this module. */
  readonly activityTypes?: readonly WorldActivity['type'][];
}

const spec = <R extends WorldRecordBase>(s: Omit<ModuleSpec, 'fields'> & { fields: readonly FieldDef<R>[] }): ModuleSpec => s as unknown as ModuleSpec;

export const MODULES: Readonly<Record<ModuleName, ModuleSpec>> = {
  Accounts: spec({ api: 'Accounts', singular: 'Account', plural: 'Accounts', entity: 'accounts', code: CODE.Accounts, fields: ACCOUNT_FIELDS, bulk: true }),
  Contacts: spec({ api: 'Contacts', singular: 'Contact', plural: 'Contacts', entity: 'contacts', code: CODE.Contacts, fields: CONTACT_FIELDS, bulk: true }),
  Leads: spec({ api: 'Leads', singular: 'Lead', plural: 'Leads', entity: 'leads', code: CODE.Leads, fields: LEAD_FIELDS, bulk: true }),
  Deals: spec({ api: 'Deals', singular: 'Deal', plural: 'Deals', entity: 'deals', code: CODE.Deals, fields: DEAL_FIELDS, bulk: true }),
  Tasks: spec({ api: 'Tasks', singular: 'Task', plural: 'Tasks', entity: 'activities', code: CODE.Tasks, fields: TASK_FIELDS, bulk: true, activityTypes: ['task', 'email'] }),
  Events: spec({ api: 'Events', singular: 'Meeting', plural: 'Meetings', entity: 'activities', code: CODE.Events, fields: EVENT_FIELDS, bulk: true, activityTypes: ['meeting'] }),
  Calls: spec({ api: 'Calls', singular: 'Call', plural: 'Calls', entity: 'activities', code: CODE.Calls, fields: CALL_FIELDS, bulk: true, activityTypes: ['call'] }),
  Notes: spec({ api: 'Notes', singular: 'Note', plural: 'Notes', entity: 'activities', code: CODE.Notes, fields: NOTE_FIELDS, bulk: false, activityTypes: ['note'] }),
};

/** Module names are case-insensitive in Zoho URLs (`/crm/v8/contacts` works). */
export function findModule(name: string): ModuleSpec | undefined {
  const lower = name.toLowerCase();
  return MODULE_NAMES.map((m) => MODULES[m]).find((m) => m.api.toLowerCase() === lower);
}

export function moduleByCode(code: number): ModuleSpec | undefined {
  return MODULE_NAMES.map((m) => MODULES[m]).find((m) => m.code === code);
}

/** A module's world indices in id order (live or deleted). */
export interface IndexList {
  readonly length: number;
  at(k: number): number;
}

const range = (from: number, to: number): IndexList => ({ length: Math.max(0, to - from), at: (k) => from + k });
const list = (a: Uint32Array): IndexList => ({ length: a.length, at: (k) => a[k] as number });

export interface ModuleData {
  live(m: ModuleSpec): IndexList;
  deleted(m: ModuleSpec): IndexList;
  record(m: ModuleSpec, index: number): WorldRecordBase;
  field(m: ModuleSpec, api: string): FieldDef<WorldRecordBase> | undefined;
}

export function createModuleData(world: World): ModuleData {
  let activityLists: Map<ModuleName, { live: Uint32Array; deleted: Uint32Array }> | undefined;
  const byName = new Map<ModuleName, Map<string, FieldDef<WorldRecordBase>>>(
    MODULE_NAMES.map((n) => [n, new Map(MODULES[n].fields.map((f) => [f.api.toLowerCase(), f]))]),
  );

  function activities(): Map<ModuleName, { live: Uint32Array; deleted: Uint32Array }> {
    if (activityLists) return activityLists;
    const total = world.total('activities');
    const live = world.counts.activities;
    const moduleOf = new Uint8Array(total);
    const sizes = new Map<ModuleName, [number, number]>();
    const act = MODULE_NAMES.filter((n) => MODULES[n].activityTypes);
    const typeToModule = new Map<string, ModuleName>();
    for (const n of act) for (const t of MODULES[n].activityTypes ?? []) typeToModule.set(t, n);
    for (const n of act) sizes.set(n, [0, 0]);
    for (let i = 0; i < total; i++) {
      const n = typeToModule.get(world.activity(i).type) as ModuleName;
      moduleOf[i] = act.indexOf(n);
      (sizes.get(n) as [number, number])[i < live ? 0 : 1]++;
    }
    activityLists = new Map(act.map((n) => {
      const [l, d] = sizes.get(n) as [number, number];
      return [n, { live: new Uint32Array(l), deleted: new Uint32Array(d) }];
    }));
    const fill = new Map(act.map((n) => [n, [0, 0]]));
    for (let i = 0; i < total; i++) {
      const n = act[moduleOf[i] as number] as ModuleName;
      const lists = activityLists.get(n) as { live: Uint32Array; deleted: Uint32Array };
      const f = fill.get(n) as number[];
      if (i < live) lists.live[f[0]!++] = i;
      else lists.deleted[f[1]!++] = i;
    }
    return activityLists;
  }

  return {
    live: (m) => (m.activityTypes ? list(activities().get(m.api)!.live) : range(0, world.counts[m.entity])),
    deleted: (m) => (m.activityTypes ? list(activities().get(m.api)!.deleted) : range(world.counts[m.entity], world.total(m.entity))),
    record: (m, index) => world.get(m.entity, index),
    field: (m, api) => byName.get(m.api)?.get(api.toLowerCase()),
  };
}
