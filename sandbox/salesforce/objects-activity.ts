/**
 * Activities: the world's activities split over three Salesforce objects by type — Task (TaskSubtype Task,
 * Call, Email), Event (meetings) and Note (classic notes, ParentId). Lightning ContentNote is not simulated:
 * it lives in Salesforce Files (ContentDocument/ContentDocumentLink) and Bulk API 2.0 does not query it, so the
 * product reads classic Notes only (documented in src/crm/salesforce/definition.ts).
 * Relationships: WhoId (Contact), WhatId (Opportunity, else Account), AccountId (derived, read-only) —
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm
 */
import type { ActivityType, WorldActivity } from '../common/index.js';
import { KEY_PREFIX, sfDate, sfDateTime, sfId } from './ids.js';
import { auditFields } from './objects-crm.js';
import { blank, customFields, fld, type FieldSpec, type ObjectSpec, type Row } from './schema.js';

type R = WorldActivity;
/** Which Salesforce object each world activity type lives in. */
export const ACTIVITY_OBJECT: Record<ActivityType, 'Task' | 'Event' | 'Note'> = { task: 'Task', call: 'Task', email: 'Task', meeting: 'Event', note: 'Note' };

const who = (r: Row<R>) => (r.rec.contactIndex === null ? null : sfId(KEY_PREFIX.Contact, r.rec.contactIndex));
const what = (r: Row<R>) =>
  r.rec.dealIndex !== null ? sfId(KEY_PREFIX.Opportunity, r.rec.dealIndex) : r.rec.accountIndex !== null ? sfId(KEY_PREFIX.Account, r.rec.accountIndex) : null;
const account = (r: Row<R>) => (r.rec.accountIndex === null ? null : sfId(KEY_PREFIX.Account, r.rec.accountIndex));

function links(): FieldSpec<R>[] {
  return [
    fld<R>('WhoId', 'Name ID', 'reference', who, { referenceTo: ['Contact', 'Lead'], relationshipName: 'Who' }),
    fld<R>('WhatId', 'Related To ID', 'reference', what, { referenceTo: ['Account', 'Opportunity'], relationshipName: 'What' }),
    fld<R>('AccountId', 'Account ID', 'reference', account, { referenceTo: ['Account'], relationshipName: 'Account' }),
  ];
}

const STATUS: Record<R['status'], string> = { not_started: 'Not Started', in_progress: 'In Progress', completed: 'Completed', deferred: 'Deferred' };
const PRIORITY: Record<R['priority'], string> = { low: 'Low', normal: 'Normal', high: 'High' };
const SUBTYPE: Partial<Record<ActivityType, string>> = { task: 'Task', call: 'Call', email: 'Email' };
const TYPE: Partial<Record<ActivityType, string>> = { task: 'Other', call: 'Call', email: 'Email' };
const cap = (s: string | null) => (s === null ? null : s[0]!.toUpperCase() + s.slice(1));

const task = auditFields<R>(KEY_PREFIX.Task);
export const TASK: ObjectSpec<R> = {
  name: 'Task', label: 'Task', labelPlural: 'Tasks', keyPrefix: KEY_PREFIX.Task, bulk: true,
  fields: [
    ...task.head,
    ...links(),
    fld('Subject', 'Subject', 'combobox', (r) => r.rec.subject),
    fld('ActivityDate', 'Due Date Only', 'date', (r) => sfDate(r.rec.dueAt ?? r.rec.createdAt)),
    fld('Status', 'Status', 'picklist', (r) => STATUS[r.rec.status], { values: Object.values(STATUS) }),
    fld('Priority', 'Priority', 'picklist', (r) => PRIORITY[r.rec.priority], { values: Object.values(PRIORITY) }),
    fld('IsClosed', 'Closed', 'boolean', (r) => r.rec.status === 'completed'),
    fld('Description', 'Description', 'textarea', (r) => blank(r.rec.body), { length: 32000 }),
    fld('Type', 'Type', 'picklist', (r) => TYPE[r.rec.type] ?? null, { values: ['Call', 'Email', 'Meeting', 'Other'] }),
    fld('TaskSubtype', 'Task Subtype', 'picklist', (r) => SUBTYPE[r.rec.type] ?? 'Task', { values: ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'] }),
    fld('CallDurationInSeconds', 'Call Duration', 'int', (r) => (r.rec.type === 'call' && r.rec.durationMinutes !== null ? r.rec.durationMinutes * 60 : null)),
    fld('CallType', 'Call Type', 'picklist', (r) => (r.rec.type === 'call' ? cap(r.rec.custom.direction) : null), { values: ['Internal', 'Inbound', 'Outbound'] }),
    fld('CallDisposition', 'Call Result', 'string', (r) => (r.rec.type === 'call' ? r.rec.custom.outcome : null)),
    fld('CompletedDateTime', 'Completed Date/Time', 'datetime', (r) => (r.rec.completedAt === null ? null : sfDateTime(r.rec.completedAt))),
    ...task.tail,
    ...customFields<R>('activities'),
  ],
};

const start = (r: Row<R>) => r.rec.dueAt ?? r.rec.createdAt;
const event = auditFields<R>(KEY_PREFIX.Event);
export const EVENT: ObjectSpec<R> = {
  name: 'Event', label: 'Event', labelPlural: 'Events', keyPrefix: KEY_PREFIX.Event, bulk: true,
  fields: [
    ...event.head,
    ...links(),
    fld('Subject', 'Subject', 'combobox', (r) => r.rec.subject),
    fld('Location', 'Location', 'string', () => null),
    fld('IsAllDayEvent', 'All-Day Event', 'boolean', () => false),
    fld('ActivityDateTime', 'Due Date Time', 'datetime', (r) => sfDateTime(start(r))),
    fld('ActivityDate', 'Due Date Only', 'date', (r) => sfDate(start(r))),
    fld('StartDateTime', 'Start Date Time', 'datetime', (r) => sfDateTime(start(r))),
    fld('EndDateTime', 'End Date Time', 'datetime', (r) => sfDateTime(start(r) + (r.rec.durationMinutes ?? 30) * 60_000)),
    fld('DurationInMinutes', 'Duration', 'int', (r) => r.rec.durationMinutes ?? 30),
    fld('Description', 'Description', 'textarea', (r) => blank(r.rec.body), { length: 32000 }),
    fld('ShowAs', 'Show Time As', 'picklist', () => 'Busy', { values: ['Busy', 'OutOfOffice', 'Free'] }),
    fld('EventSubtype', 'Event Subtype', 'picklist', () => 'Event', { values: ['Event'] }),
    ...event.tail,
    ...customFields<R>('activities'),
  ],
};

const note = auditFields<R>(KEY_PREFIX.Note);
export const NOTE: ObjectSpec<R> = {
  name: 'Note', label: 'Note', labelPlural: 'Notes', keyPrefix: KEY_PREFIX.Note, bulk: true,
  fields: [
    ...note.head,
    // A note has one parent: the deal if any, else the contact, else the account.
    fld('ParentId', 'Parent ID', 'reference', (r) =>
      r.rec.dealIndex !== null ? sfId(KEY_PREFIX.Opportunity, r.rec.dealIndex) : who(r) ?? account(r), { referenceTo: ['Account', 'Contact', 'Opportunity'], relationshipName: 'Parent' }),
    fld('Title', 'Title', 'string', (r) => r.rec.subject),
    fld('IsPrivate', 'Private', 'boolean', () => false),
    fld('Body', 'Body', 'textarea', (r) => blank(r.rec.body), { length: 32000 }),
    ...note.tail,
  ],
};
