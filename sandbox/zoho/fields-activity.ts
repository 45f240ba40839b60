/**
 * The four Zoho modules the world's activities live in (a decision; Zoho has no single activities list that
 * includes notes): Tasks (world tasks and e-mails, logged as tasks as Zoho users do), Events (meetings), Calls
 * and Notes. Tasks, Events and Calls point at a deal or account through the polymorphic What_Id (with
 * `$se_module` naming the module) and at a contact through Who_Id; a note hangs off one parent through
 * Parent_Id `{ name, id, module: { api_name, id } }`. Notes carry no custom fields.
 */
import { CUSTOM_FIELDS, type WorldActivity } from '../common/index.js';
import { customFields, str, systemFields, type FieldDef } from './fields.js';
import { moduleId, zohoDate, zohoDateTime } from './ids.js';
import type { Ref, RenderCtx } from './refs.js';

const STATUS: Record<WorldActivity['status'], string> = { not_started: 'Not Started', in_progress: 'In Progress', completed: 'Completed', deferred: 'Deferred' };
const PRIORITY: Record<WorldActivity['priority'], string> = { low: 'Low', normal: 'Normal', high: 'High' };

/** The deal if the activity has one, else its account (What_Id), and which module that is. */
function what(a: WorldActivity, x: RenderCtx): { ref: Ref; module: 'Deals' | 'Accounts' } | null {
  if (a.dealIndex !== null) return { ref: x.deal(a.dealIndex) as Ref, module: 'Deals' };
  if (a.accountIndex !== null) return { ref: x.account(a.accountIndex) as Ref, module: 'Accounts' };
  return null;
}

const whatFields: FieldDef<WorldActivity>[] = [
  { api: 'What_Id', label: 'Related To', type: 'lookup', lookup: 'se_module', companions: ['$se_module'], value: (a, x) => what(a, x)?.ref ?? null },
  { api: '$se_module', label: 'Related Module', type: 'text', hidden: true, value: (a, x) => what(a, x)?.module ?? null },
  { api: 'Who_Id', label: 'Contact Name', type: 'lookup', lookup: 'Contacts', value: (a, x) => x.contact(a.contactIndex) },
];

const activityCustom = customFields<WorldActivity>(CUSTOM_FIELDS.activities);

export const TASK_FIELDS: readonly FieldDef<WorldActivity>[] = [
  { api: 'Subject', label: 'Subject', type: 'text', mandatory: true, value: (a) => a.subject },
  { api: 'Due_Date', label: 'Due Date', type: 'date', value: (a) => (a.dueAt === null ? null : zohoDate(a.dueAt)) },
  { api: 'Status', label: 'Status', type: 'picklist', values: Object.values(STATUS), value: (a) => STATUS[a.status] },
  { api: 'Priority', label: 'Priority', type: 'picklist', values: Object.values(PRIORITY), value: (a) => PRIORITY[a.priority] },
  { api: 'Closed_Time', label: 'Closed Time', type: 'datetime', readOnly: true, value: (a) => (a.completedAt === null ? null : zohoDateTime(a.completedAt)) },
  { api: 'Description', label: 'Description', type: 'textarea', value: (a) => str(a.body) },
  ...whatFields,
  ...activityCustom,
  ...systemFields<WorldActivity>('Task Owner'),
];

export const EVENT_FIELDS: readonly FieldDef<WorldActivity>[] = [
  { api: 'Event_Title', label: 'Title', type: 'text', mandatory: true, value: (a) => a.subject },
  { api: 'Start_DateTime', label: 'From', type: 'datetime', mandatory: true, value: (a) => zohoDateTime(a.dueAt ?? a.createdAt) },
  { api: 'End_DateTime', label: 'To', type: 'datetime', mandatory: true, value: (a) => zohoDateTime((a.dueAt ?? a.createdAt) + (a.durationMinutes ?? 30) * 60_000) },
  { api: 'All_day', label: 'All day', type: 'boolean', value: () => false },
  { api: 'Description', label: 'Description', type: 'textarea', value: (a) => str(a.body) },
  ...whatFields,
  ...activityCustom,
  ...systemFields<WorldActivity>('Host'),
];

const mmss = (minutes: number): string => `${String(minutes).padStart(2, '0')}:00`;

export const CALL_FIELDS: readonly FieldDef<WorldActivity>[] = [
  { api: 'Subject', label: 'Subject', type: 'text', mandatory: true, value: (a) => a.subject },
  { api: 'Call_Type', label: 'Call Type', type: 'picklist', mandatory: true, values: ['Inbound', 'Outbound'], value: (a) => (a.custom.direction === 'inbound' ? 'Inbound' : 'Outbound') },
  { api: 'Call_Start_Time', label: 'Call Start Time', type: 'datetime', mandatory: true, value: (a) => zohoDateTime(a.dueAt ?? a.createdAt) },
  { api: 'Call_Duration', label: 'Call Duration', type: 'text', value: (a) => (a.durationMinutes === null ? null : mmss(a.durationMinutes)) },
  { api: 'Call_Duration_in_seconds', label: 'Call Duration (in seconds)', type: 'integer', readOnly: true, value: (a) => (a.durationMinutes === null ? null : a.durationMinutes * 60) },
  { api: 'Description', label: 'Description', type: 'textarea', value: (a) => str(a.body) },
  ...whatFields,
  ...activityCustom,
  ...systemFields<WorldActivity>('Call Owner'),
];

/** A note's parent: its deal, else its contact, else its account (Zoho notes have exactly one parent). */
function parent(a: WorldActivity, x: RenderCtx): { ref: Ref; module: 'Deals' | 'Contacts' | 'Accounts' } | null {
  if (a.dealIndex !== null) return { ref: x.deal(a.dealIndex) as Ref, module: 'Deals' };
  if (a.contactIndex !== null) return { ref: x.contact(a.contactIndex) as Ref, module: 'Contacts' };
  if (a.accountIndex !== null) return { ref: x.account(a.accountIndex) as Ref, module: 'Accounts' };
  return null;
}

export const NOTE_FIELDS: readonly FieldDef<WorldActivity>[] = [
  { api: 'Note_Title', label: 'Note Title', type: 'text', value: (a) => str(a.subject) },
  { api: 'Note_Content', label: 'Note Content', type: 'textarea', value: (a) => str(a.body) },
  {
    api: 'Parent_Id', label: 'Parent Id', type: 'lookup', lookup: 'se_module', mandatory: true,
    value: (a, x) => {
      const p = parent(a, x);
      return p === null ? null : { name: p.ref.name, id: p.ref.id, module: { api_name: p.module, id: moduleId(p.module) } };
    },
  },
  ...systemFields<WorldActivity>('Note Owner'),
];
