/**
 * The properties of each HubSpot object as data: internal name, label, type/fieldType, options, and how the value
 * is read off a world record. Values are rendered the way the CRM API returns them: every value a string
 * (numbers, booleans "true"/"false", datetimes ISO-8601 with milliseconds, dates YYYY-MM-DD), null when empty.
 * Custom properties come from CUSTOM_FIELDS under HubSpot's naming (lower snake_case, hubspotDefined absent).
 * Internal enumeration values (lifecyclestage, dealstage ids, hs_task_status …) follow HubSpot's defaults:
 * https://knowledge.hubspot.com/properties/hubspots-default-contact-properties (and the company/deal/activity pages).
 */
import {
  CUSTOM_FIELDS, DEAL_STAGES, isoDate, isoTimestamp, type CustomFieldDef, type World, type WorldAccount, type WorldActivity,
  type WorldContact, type WorldDeal, type WorldLead, type WorldRecordBase,
} from '../common/index.js';
import { OBJECT_TYPES, recordId, type ObjectType } from './objects.js';

export type HubSpotType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';

export interface RenderCtx {
  readonly world: World;
  ownerId(ownerIndex: number): string;
  companyName(accountIndex: number): string;
}

export interface PropDef {
  readonly name: string;
  readonly label: string;
  readonly type: HubSpotType;
  readonly fieldType: string;
  readonly groupName: string;
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  /** Custom (portal-defined) property. */
  readonly custom?: boolean;
  /** Whether HubSpot computes it (read-only). */
  readonly calculated?: boolean;
  readonly get: (record: never, ctx: RenderCtx) => string | null;
}

type Getter<R> = (r: R, ctx: RenderCtx) => string | number | boolean | null | undefined;
const str = (v: string | number | boolean | null | undefined): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const opts = (values: readonly string[], labels?: readonly string[]) => values.map((value, k) => ({ value, label: labels?.[k] ?? value }));
const upperKey = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');

function prop<R>(name: string, label: string, type: HubSpotType, get: Getter<R>, extra: Partial<Omit<PropDef, 'get'>> = {}): PropDef {
  const fieldType = extra.fieldType ?? (type === 'enumeration' ? 'select' : type === 'bool' ? 'booleancheckbox' : type === 'number' ? 'number' : type === 'date' || type === 'datetime' ? 'date' : 'text');
  return { name, label, type, fieldType, groupName: extra.groupName ?? 'information', ...extra, get: ((r: R, ctx: RenderCtx) => str(get(r, ctx))) as PropDef['get'] };
}

// ---------------------------------------------------------------- value maps (world value → HubSpot internal value)

const ANALYTICS_SOURCE: Record<string, string> = {
  Web: 'DIRECT_TRAFFIC', Referral: 'REFERRALS', 'Trade Show': 'OFFLINE', 'Cold Call': 'OFFLINE', Partner: 'REFERRALS',
  Advertisement: 'PAID_SEARCH', Webinar: 'EMAIL_MARKETING', LinkedIn: 'SOCIAL_MEDIA',
};
const SOURCES = ['ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL_MARKETING', 'SOCIAL_MEDIA', 'REFERRALS', 'OTHER_CAMPAIGNS', 'DIRECT_TRAFFIC', 'OFFLINE', 'PAID_SOCIAL'];
/** HubSpot's default sales pipeline stage ids, in the order of the world's DEAL_STAGES. */
const DEAL_STAGE_IDS = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'];
const stageId = (key: string) => DEAL_STAGE_IDS[DEAL_STAGES.findIndex((s) => s.key === key)] ?? 'appointmentscheduled';
const RENEWALS_PIPELINE = '19845730';
const LEAD_STAGE: Record<WorldLead['status'], string> = {
  new: 'new-stage-id', contacted: 'attempting-stage-id', qualified: 'qualified-stage-id', unqualified: 'unqualified-stage-id', converted: 'connected-stage-id',
};
const TASK_STATUS = { not_started: 'NOT_STARTED', in_progress: 'IN_PROGRESS', completed: 'COMPLETED', deferred: 'DEFERRED' } as const;
const CALL_STATUS = { not_started: 'QUEUED', in_progress: 'IN_PROGRESS', completed: 'COMPLETED', deferred: 'CANCELED' } as const;
const MEETING_OUTCOME = { not_started: 'SCHEDULED', in_progress: 'SCHEDULED', completed: 'COMPLETED', deferred: 'RESCHEDULED' } as const;
const PRIORITY = { low: 'LOW', normal: 'MEDIUM', high: 'HIGH' } as const;

// ---------------------------------------------------------------- shared groups of properties

const owner = prop<WorldRecordBase>('hubspot_owner_id', 'Owner', 'enumeration', (r, c) => c.ownerId(r.ownerIndex), { groupName: 'sales_properties' });
const objectId = (r: WorldRecordBase) => recordId(r.index);
const stamps = (created: string, modified: string) => [
  prop<WorldRecordBase>(created, created === 'createdate' ? 'Create Date' : 'Object create date/time', 'datetime', (r) => isoTimestamp(r.createdAt), { calculated: false }),
  prop<WorldRecordBase>(modified, 'Last Modified Date', 'datetime', (r) => isoTimestamp(r.updatedAt), { calculated: true }),
  prop<WorldRecordBase>('hs_object_id', 'Record ID', 'number', objectId, { calculated: true }),
  owner,
];
type WithAddress = { address: { street: string; city: string; state: string; postalCode: string; country: string } };
const address = <R extends WithAddress>() => [
  prop<R>('address', 'Street Address', 'string', (r) => r.address.street),
  prop<R>('city', 'City', 'string', (r) => r.address.city),
  prop<R>('state', 'State/Region', 'string', (r) => r.address.state),
  prop<R>('zip', 'Postal Code', 'string', (r) => r.address.postalCode),
  prop<R>('country', 'Country/Region', 'string', (r) => r.address.country),
];

/** A world custom field as a HubSpot custom property (customerTier → customer_tier). */
export function customPropertyName(key: string): string {
  return key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
}

function customProps(defs: readonly CustomFieldDef[]): PropDef[] {
  return defs.map((d) => {
    const type: HubSpotType = d.type === 'enum' || d.type === 'multienum' ? 'enumeration' : d.type === 'boolean' ? 'bool' : d.type === 'date' ? 'date' : d.type === 'number' ? 'number' : 'string';
    const get = (r: { custom: Record<string, unknown> }) => {
      const v = r.custom[d.key];
      if (v === null || v === undefined) return null;
      if (Array.isArray(v)) return v.length === 0 ? null : v.join(';');
      if (d.type === 'date') return isoDate(v as number);
      return v as string | number | boolean;
    };
    return prop(customPropertyName(d.key), d.label, type, get, {
      custom: true, groupName: 'custom_properties',
      ...(d.options ? { options: opts(d.options) } : d.type === 'boolean' ? { options: opts(['true', 'false'], ['Yes', 'No']) } : {}),
      ...(d.type === 'multienum' ? { fieldType: 'checkbox' } : {}),
    });
  });
}

// ---------------------------------------------------------------- per object

const person = <R extends WorldContact | WorldLead>() => [
  prop<R>('firstname', 'First Name', 'string', (r) => r.firstName),
  prop<R>('lastname', 'Last Name', 'string', (r) => r.lastName),
  prop<R>('email', 'Email', 'string', (r) => r.email),
  prop<R>('phone', 'Phone Number', 'string', (r) => r.phone, { fieldType: 'phonenumber' }),
  prop<R>('mobilephone', 'Mobile Phone Number', 'string', (r) => r.mobilePhone, { fieldType: 'phonenumber' }),
  prop<R>('jobtitle', 'Job Title', 'string', (r) => r.title),
  prop<R>('hs_analytics_source', 'Original Source', 'enumeration', (r) => ANALYTICS_SOURCE[r.leadSource] ?? null, { options: opts(SOURCES), calculated: true }),
  prop<R>('hs_analytics_source_data_1', 'Original Source Drill-Down 1', 'string', (r) => r.leadSource, { calculated: true }),
  ...address<R>(),
];

const contacts: PropDef[] = [
  ...person<WorldContact>(),
  prop<WorldContact>('company', 'Company Name', 'string', (r, c) => (r.accountIndex === null ? null : c.companyName(r.accountIndex))),
  prop<WorldContact>('associatedcompanyid', 'Primary Associated Company ID', 'number', (r) => (r.accountIndex === null ? null : recordId(r.accountIndex)), { calculated: true }),
  prop<WorldContact>('lifecyclestage', 'Lifecycle Stage', 'enumeration', (r) => r.lifecycleStage, { options: opts(['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']) }),
  prop<WorldContact>('date_of_birth', 'Date of birth', 'string', (r) => (r.birthdate === null ? null : isoDate(r.birthdate))),
  prop<WorldContact>('hs_linkedin_url', 'LinkedIn URL', 'string', (r) => r.linkedinUrl),
  prop<WorldContact>('hs_language', 'Preferred language', 'enumeration', (r) => r.locale.slice(0, 2).toLowerCase()),
  ...stamps('createdate', 'lastmodifieddate'),
  ...customProps(CUSTOM_FIELDS.contacts),
];

const companies: PropDef[] = [
  prop<WorldAccount>('name', 'Company name', 'string', (r) => r.name),
  prop<WorldAccount>('domain', 'Company Domain Name', 'string', (r) => r.domain),
  prop<WorldAccount>('website', 'Website URL', 'string', (r) => r.website),
  prop<WorldAccount>('industry', 'Industry', 'enumeration', (r) => (r.industry ? upperKey(r.industry) : null)),
  prop<WorldAccount>('type', 'Type', 'enumeration', (r) => upperKey(r.type), { options: opts(['CUSTOMER', 'PROSPECT', 'PARTNER', 'RESELLER', 'VENDOR', 'OTHER']) }),
  prop<WorldAccount>('phone', 'Phone Number', 'string', (r) => r.phone, { fieldType: 'phonenumber' }),
  prop<WorldAccount>('numberofemployees', 'Number of Employees', 'number', (r) => r.employees),
  prop<WorldAccount>('annualrevenue', 'Annual Revenue', 'number', (r) => r.annualRevenue),
  prop<WorldAccount>('description', 'Description', 'string', (r) => r.description, { fieldType: 'textarea' }),
  prop<WorldAccount>('linkedin_company_page', 'LinkedIn Company Page', 'string', (r) => r.linkedinUrl),
  ...address<WorldAccount>(),
  ...stamps('createdate', 'hs_lastmodifieddate'),
  ...customProps(CUSTOM_FIELDS.accounts),
];

const deals: PropDef[] = [
  prop<WorldDeal>('dealname', 'Deal Name', 'string', (r) => r.name),
  prop<WorldDeal>('amount', 'Amount', 'number', (r) => r.amount),
  prop<WorldDeal>('deal_currency_code', 'Currency', 'enumeration', (r) => r.currency),
  prop<WorldDeal>('dealstage', 'Deal Stage', 'enumeration', (r) => stageId(r.stage.key), { fieldType: 'radio', options: DEAL_STAGES.map((s) => ({ value: stageId(s.key), label: s.label })) }),
  prop<WorldDeal>('pipeline', 'Pipeline', 'enumeration', (r) => (r.pipeline === 'default' ? 'default' : RENEWALS_PIPELINE), { options: [{ value: 'default', label: 'Sales Pipeline' }, { value: RENEWALS_PIPELINE, label: 'Renewals' }] }),
  prop<WorldDeal>('hs_deal_stage_probability', 'Deal probability', 'number', (r) => r.probability / 100, { calculated: true }),
  prop<WorldDeal>('closedate', 'Close Date', 'datetime', (r) => isoTimestamp(r.closeDate)),
  prop<WorldDeal>('dealtype', 'Deal Type', 'enumeration', (r) => (r.type === 'New Business' ? 'newbusiness' : 'existingbusiness'), { options: opts(['newbusiness', 'existingbusiness'], ['New Business', 'Existing Business']) }),
  prop<WorldDeal>('description', 'Deal Description', 'string', (r) => r.description, { fieldType: 'textarea' }),
  prop<WorldDeal>('hs_analytics_source', 'Original Source Type', 'enumeration', (r) => ANALYTICS_SOURCE[r.leadSource] ?? null, { options: opts(SOURCES), calculated: true }),
  prop<WorldDeal>('hs_is_closed_won', 'Is Closed Won', 'bool', (r) => r.status === 'won', { calculated: true }),
  prop<WorldDeal>('hs_is_closed', 'Is Deal Closed?', 'bool', (r) => r.status !== 'open', { calculated: true }),
  ...stamps('createdate', 'hs_lastmodifieddate'),
  ...customProps(CUSTOM_FIELDS.deals),
];

const leads: PropDef[] = [
  prop<WorldLead>('hs_lead_name', 'Lead name', 'string', (r) => r.fullName),
  ...person<WorldLead>(),
  prop<WorldLead>('company', 'Company Name', 'string', (r) => r.company),
  prop<WorldLead>('hs_pipeline', 'Lead pipeline', 'enumeration', () => 'lead-pipeline-id'),
  prop<WorldLead>('hs_pipeline_stage', 'Lead stage', 'enumeration', (r) => LEAD_STAGE[r.status], { options: opts(Object.values(LEAD_STAGE)) }),
  prop<WorldLead>('hs_lead_label', 'Lead label', 'enumeration', (r) => (r.rating ? r.rating.toUpperCase() : null), { options: opts(['HOT', 'WARM', 'COLD']) }),
  prop<WorldLead>('industry', 'Industry', 'string', (r) => r.industry),
  prop<WorldLead>('website', 'Website URL', 'string', (r) => r.website),
  prop<WorldLead>('numemployees', 'Number of Employees', 'number', (r) => r.employees),
  prop<WorldLead>('annualrevenue', 'Annual Revenue', 'number', (r) => r.annualRevenue),
  ...stamps('hs_createdate', 'hs_lastmodifieddate'),
  ...customProps(CUSTOM_FIELDS.leads),
];

const A = <K extends keyof WorldActivity>(k: K) => (r: WorldActivity) => r[k] as string | number | null;
const activityCommon = [
  prop<WorldActivity>('hs_timestamp', 'Activity date', 'datetime', (r) => isoTimestamp(r.dueAt ?? r.createdAt)),
  ...stamps('hs_createdate', 'hs_lastmodifieddate'),
  ...customProps(CUSTOM_FIELDS.activities),
];
const notes: PropDef[] = [prop<WorldActivity>('hs_note_body', 'Note body', 'string', A('body'), { fieldType: 'html' }), ...activityCommon];
const tasks: PropDef[] = [
  prop<WorldActivity>('hs_task_subject', 'Task title', 'string', A('subject')),
  prop<WorldActivity>('hs_task_body', 'Task notes', 'string', A('body'), { fieldType: 'html' }),
  prop<WorldActivity>('hs_task_status', 'Task status', 'enumeration', (r) => TASK_STATUS[r.status], { options: opts(Object.values(TASK_STATUS)) }),
  prop<WorldActivity>('hs_task_priority', 'Task priority', 'enumeration', (r) => PRIORITY[r.priority], { options: opts(Object.values(PRIORITY)) }),
  prop<WorldActivity>('hs_task_type', 'Task type', 'enumeration', () => 'TODO', { options: opts(['TODO', 'CALL', 'EMAIL']) }),
  prop<WorldActivity>('hs_task_completion_date', 'Task completion date', 'datetime', (r) => (r.completedAt === null ? null : isoTimestamp(r.completedAt))),
  ...activityCommon,
];
const calls: PropDef[] = [
  prop<WorldActivity>('hs_call_title', 'Call title', 'string', A('subject')),
  prop<WorldActivity>('hs_call_body', 'Call notes', 'string', A('body'), { fieldType: 'html' }),
  prop<WorldActivity>('hs_call_status', 'Call status', 'enumeration', (r) => CALL_STATUS[r.status], { options: opts(Object.values(CALL_STATUS)) }),
  prop<WorldActivity>('hs_call_direction', 'Call direction', 'enumeration', (r) => (r.custom.direction ? r.custom.direction.toUpperCase() : null), { options: opts(['INBOUND', 'OUTBOUND']) }),
  prop<WorldActivity>('hs_call_duration', 'Call duration', 'number', (r) => (r.durationMinutes === null ? null : r.durationMinutes * 60_000)),
  ...activityCommon,
];
const meetings: PropDef[] = [
  prop<WorldActivity>('hs_meeting_title', 'Meeting name', 'string', A('subject')),
  prop<WorldActivity>('hs_meeting_body', 'Meeting description', 'string', A('body'), { fieldType: 'html' }),
  prop<WorldActivity>('hs_meeting_start_time', 'Meeting start time', 'datetime', (r) => (r.dueAt === null ? null : isoTimestamp(r.dueAt))),
  prop<WorldActivity>('hs_meeting_end_time', 'Meeting end time', 'datetime', (r) => (r.dueAt === null ? null : isoTimestamp(r.dueAt + (r.durationMinutes ?? 30) * 60_000))),
  prop<WorldActivity>('hs_meeting_outcome', 'Meeting outcome', 'enumeration', (r) => MEETING_OUTCOME[r.status], { options: opts(['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED']) }),
  ...activityCommon,
];
const emails: PropDef[] = [
  prop<WorldActivity>('hs_email_subject', 'Email subject', 'string', A('subject')),
  prop<WorldActivity>('hs_email_text', 'Email body', 'string', A('body')),
  prop<WorldActivity>('hs_email_status', 'Email send status', 'enumeration', () => 'SENT', { options: opts(['SENT', 'SCHEDULED', 'FAILED', 'BOUNCED']) }),
  prop<WorldActivity>('hs_email_direction', 'Email direction', 'enumeration', (r) => (r.custom.direction === 'inbound' ? 'INCOMING_EMAIL' : 'EMAIL'), { options: opts(['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL']) }),
  ...activityCommon,
];

const TABLE: Record<string, readonly PropDef[]> = { contacts, companies, deals, leads, notes, tasks, calls, meetings, emails };
const BY_NAME = new Map(OBJECT_TYPES.map((t) => [t.name, new Map((TABLE[t.name] ?? []).map((p) => [p.name, p]))]));

/** Every property of an object, HubSpot-defined first, then custom. */
export function propertiesOf(t: ObjectType): readonly PropDef[] {
  return TABLE[t.name] ?? [];
}

export function propertyOf(t: ObjectType, name: string): PropDef | undefined {
  return BY_NAME.get(t.name)?.get(name);
}

/** What a read returns without `properties=` (HubSpot's defaults per object). */
export const DEFAULT_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
};
export const defaultPropertiesOf = (t: ObjectType): readonly string[] => DEFAULT_PROPERTIES[t.name] ?? ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'];

/** The property holding the last-modified time (contacts: lastmodifieddate; the rest: hs_lastmodifieddate). */
export const modifiedProperty = (t: ObjectType): string => (t.name === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate');
