/**
 * The CRM workspace as data: one board per entity (the monday sales CRM template's Accounts, Contacts, Leads,
 * Deals and Activities), each a list of columns with the template's column ids where the field catalogue
 * (src/crm/monday/field-catalogue.ts) knows them, generated-looking ids (`text_mk…`) for the others and for the
 * world's custom fields, and a renderer from a world record to the cell. Relationships are board_relation
 * columns pointing at the other boards (contacts → accounts, deals → accounts + contacts, activities →
 * accounts, contacts, deals).
 */
import { CUSTOM_FIELDS, DEAL_STAGES, LEAD_SOURCES, type CustomFieldDef, type World } from '../common/index.js';
import type {
  EntityType, WorldAccount, WorldActivity, WorldContact, WorldDeal, WorldLead, WorldRecordByEntity,
} from '../common/index.js';
import { INDUSTRIES } from '../common/data/locales.js';
import { cells, isoSeconds, type Cell } from './cells.js';
import { BOARD_IDS, OTHER_BOARD_ID, WORKSPACES, itemId } from './ids.js';

export interface CellEnv {
  readonly world: World;
  /** The record's updated_at, used as `changed_at` inside values. */
  readonly changedAt: string;
}

export interface ColumnSpec<R = unknown> {
  readonly id: string;
  readonly title: string;
  readonly type: string;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Added by the account (the world's custom fields) rather than the CRM template. */
  readonly custom: boolean;
  readonly cell: (record: R, env: CellEnv) => Cell | null;
}

export interface GroupSpec {
  readonly id: string;
  readonly title: string;
  readonly color: string;
}

export interface BoardSpec<E extends EntityType | null = EntityType | null> {
  readonly id: string;
  readonly name: string;
  readonly entity: E;
  readonly workspace: (typeof WORKSPACES)[keyof typeof WORKSPACES];
  readonly description: string;
  readonly itemTerminology: string;
  readonly groups: readonly GroupSpec[];
  /** Columns in board order; the first is always `name`, which items expose as `name`, not as a column value. */
  readonly columns: readonly ColumnSpec[];
}

type Rec<E extends EntityType> = WorldRecordByEntity[E];

/** A deterministic, monday-looking generated column id, e.g. `text_mkq3x0ab`. */
function genId(prefix: string, seed: string): string {
  let h = 2166136261;
  for (let k = 0; k < seed.length; k++) h = Math.imul(h ^ seed.charCodeAt(k), 16777619) >>> 0;
  return `${prefix}_mk${h.toString(36).padStart(7, '0').slice(0, 6)}`;
}

const statusSettings = (labels: readonly string[], done: readonly string[] = []) => ({
  labels: Object.fromEntries(labels.map((l, k) => [String(k), l])),
  done_colors: done.map((d) => labels.indexOf(d)),
});

function col<E extends EntityType>(id: string, title: string, type: string, cell: (r: Rec<E>, env: CellEnv) => Cell | null, settings: Record<string, unknown> = {}, custom = false): ColumnSpec {
  return { id, title, type, settings, custom, cell: cell as ColumnSpec['cell'] };
}

function statusCol<E extends EntityType>(id: string, title: string, labels: readonly string[], pick: (r: Rec<E>) => string | null, done: readonly string[] = []): ColumnSpec {
  return col<E>(id, title, 'status', (r, env) => cells.status(labels, pick(r), env.changedAt), statusSettings(labels, done));
}

const nameCol = (title: string): ColumnSpec => col(`name`, title, 'name', () => null);

function ownerCol<E extends EntityType>(id: string): ColumnSpec {
  return col<E>(id, 'Owner', 'people', (r, env) => cells.people(r.ownerIndex, env.world.owners[r.ownerIndex]?.name ?? '', env.changedAt));
}

function relationCol<E extends EntityType>(id: string, title: string, target: EntityType, pick: (r: Rec<E>) => number | null): ColumnSpec {
  return col<E>(
    id, title, 'board_relation',
    (r, env) => {
      const i = pick(r);
      if (i === null) return null;
      return cells.boardRelation(itemId(target, i), () => itemName(target, env.world.get(target, i)), env.changedAt);
    },
    { allowCreateReflectionColumn: false, allowMultipleItems: true, boardIds: [Number(BOARD_IDS[target])] },
  );
}

const countryCol = <E extends 'accounts' | 'contacts' | 'leads'>(): ColumnSpec =>
  col<E>('country', 'Country', 'country', (r, env) => cells.country(r.address.countryCode, r.address.country, env.changedAt));

/** The world's custom fields as the account's own columns (CUSTOM_FIELDS, typed the monday way). */
function customCols<E extends EntityType>(entity: E): ColumnSpec[] {
  return CUSTOM_FIELDS[entity].map((def: CustomFieldDef) => {
    const get = (r: Rec<E>) => (r.custom as unknown as Record<string, unknown>)[def.key];
    const seed = `${entity}.${def.key}`;
    switch (def.type) {
      case 'string':
        return col<E>(genId('text', seed), def.label, 'text', (r) => cells.text(get(r) as string | null), {}, true);
      case 'number':
        return col<E>(genId('numeric', seed), def.label, 'numbers', (r) => cells.numbers(get(r) as number | null), {}, true);
      case 'boolean':
        return col<E>(genId('boolean', seed), def.label, 'checkbox', (r, env) => cells.checkbox(get(r) === true, env.changedAt), {}, true);
      case 'date':
        return col<E>(genId('date', seed), def.label, 'date', (r, env) => cells.date(get(r) as number | null, false, env.changedAt), {}, true);
      case 'enum':
        return col<E>(genId('color', seed), def.label, 'status', (r, env) => cells.status(def.options ?? [], get(r) as string | null, env.changedAt), statusSettings(def.options ?? []), true);
      case 'multienum':
        return col<E>(
          genId('dropdown', seed), def.label, 'dropdown',
          (r, env) => cells.dropdown(def.options ?? [], get(r) as string[], env.changedAt),
          { labels: (def.options ?? []).map((name, k) => ({ id: k + 1, name })) }, true,
        );
    }
  });
}

const SOURCES = LEAD_SOURCES.filter(Boolean);
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');
const ACTIVITY_TYPES = ['Note', 'Task', 'Call', 'Meeting', 'Email'];
const ACTIVITY_STATUS = ['Not started', 'In progress', 'Completed', 'Deferred'];

/** The item name of a record (accounts and deals have names, people a full name, activities a subject). */
export function itemName(entity: EntityType, r: WorldRecordByEntity[EntityType]): string {
  switch (entity) {
    case 'contacts':
    case 'leads':
      return (r as WorldContact | WorldLead).fullName || '(no name)';
    case 'activities':
      return (r as WorldActivity).subject;
    default:
      return (r as WorldAccount | WorldDeal).name;
  }
}

const accountColumns: ColumnSpec[] = [
  nameCol('Account'),
  ownerCol<'accounts'>('person'),
  col<'accounts'>('domain', 'Domain', 'link', (r, env) => cells.link(r.website, r.domain, env.changedAt)),
  statusCol<'accounts'>('industry', 'Industry', INDUSTRIES, (r) => r.industry || null),
  statusCol<'accounts'>('type', 'Type', ['Customer', 'Prospect', 'Partner', 'Reseller', 'Other'], (r) => r.type),
  col<'accounts'>('phone', 'Phone', 'phone', (r, env) => cells.phone(r.phone, r.address.countryCode, env.changedAt)),
  col<'accounts'>('company_size', 'Employees', 'numbers', (r) => cells.numbers(r.employees)),
  col<'accounts'>(genId('numeric', 'accounts.annualRevenue'), 'Annual Revenue', 'numbers', (r) => cells.numbers(r.annualRevenue), { unit: { symbol: '$', custom_unit: '', direction: 'left' } }),
  col<'accounts'>('address', 'HQ Location', 'location', (r, env) => cells.location(r.address, env.changedAt)),
  countryCol<'accounts'>(),
  col<'accounts'>(genId('link', 'accounts.linkedin'), 'LinkedIn', 'link', (r, env) => cells.link(r.linkedinUrl, 'LinkedIn', env.changedAt)),
  col<'accounts'>('description', 'Description', 'long_text', (r, env) => cells.longText(r.description, env.changedAt)),
  ...customCols('accounts'),
];

// First and last name as the account's own text columns (the template has only the item name): what a team
// that moved its contacts into monday usually keeps, and what makes names round-trip without guessing a split.
const contactColumns: ColumnSpec[] = [
  nameCol('Name'),
  col<'contacts'>(genId('text', 'contacts.firstName'), 'First Name', 'text', (r) => cells.text(r.firstName)),
  col<'contacts'>(genId('text', 'contacts.lastName'), 'Last Name', 'text', (r) => cells.text(r.lastName)),
  ownerCol<'contacts'>('person'),
  col<'contacts'>('email', 'Email', 'email', (r, env) => cells.email(r.email, env.changedAt)),
  col<'contacts'>('phone', 'Phone', 'phone', (r, env) => cells.phone(r.phone, r.address.countryCode, env.changedAt)),
  col<'contacts'>(genId('phone', 'contacts.mobile'), 'Mobile', 'phone', (r, env) => cells.phone(r.mobilePhone, r.address.countryCode, env.changedAt)),
  col<'contacts'>('title', 'Title', 'text', (r) => cells.text(r.title)),
  col<'contacts'>(genId('text', 'contacts.department'), 'Department', 'text', (r) => cells.text(r.department)),
  relationCol<'contacts'>('contact_account', 'Accounts', 'accounts', (r) => r.accountIndex),
  statusCol<'contacts'>('type', 'Type', ['Subscriber', 'Lead', 'Opportunity', 'Customer', 'Evangelist'], (r) => cap(r.lifecycleStage)),
  statusCol<'contacts'>(genId('color', 'contacts.source'), 'Lead Source', SOURCES, (r) => r.leadSource || null),
  col<'contacts'>(genId('date', 'contacts.birthday'), 'Birthday', 'date', (r, env) => cells.date(r.birthdate, false, env.changedAt)),
  col<'contacts'>(genId('link', 'contacts.linkedin'), 'LinkedIn', 'link', (r, env) => cells.link(r.linkedinUrl, 'LinkedIn', env.changedAt)),
  countryCol<'contacts'>(),
  col<'contacts'>('comments', 'Comments', 'long_text', (r, env) => cells.longText(r.description, env.changedAt)),
  ...customCols('contacts'),
];

const leadColumns: ColumnSpec[] = [
  nameCol('Lead'),
  col<'leads'>(genId('text', 'leads.firstName'), 'First Name', 'text', (r) => cells.text(r.firstName)),
  col<'leads'>(genId('text', 'leads.lastName'), 'Last Name', 'text', (r) => cells.text(r.lastName)),
  ownerCol<'leads'>('person'),
  statusCol<'leads'>('status', 'Status', ['New', 'Contacted', 'Qualified', 'Unqualified', 'Converted'], (r) => cap(r.status), ['Converted']),
  col<'leads'>('email', 'Email', 'email', (r, env) => cells.email(r.email, env.changedAt)),
  col<'leads'>('phone', 'Phone', 'phone', (r, env) => cells.phone(r.phone || r.mobilePhone, r.address.countryCode, env.changedAt)),
  col<'leads'>('company', 'Company', 'text', (r) => cells.text(r.company)),
  col<'leads'>('title', 'Title', 'text', (r) => cells.text(r.title)),
  statusCol<'leads'>('source', 'Source', SOURCES, (r) => r.leadSource || null),
  statusCol<'leads'>(genId('color', 'leads.industry'), 'Industry', INDUSTRIES, (r) => r.industry || null),
  col<'leads'>(genId('link', 'leads.website'), 'Website', 'link', (r, env) => cells.link(r.website, '', env.changedAt)),
  col<'leads'>(genId('numeric', 'leads.employees'), 'Employees', 'numbers', (r) => cells.numbers(r.employees)),
  col<'leads'>(genId('numeric', 'leads.annualRevenue'), 'Annual Revenue', 'numbers', (r) => cells.numbers(r.annualRevenue)),
  statusCol<'leads'>(genId('color', 'leads.rating'), 'Rating', ['Hot', 'Warm', 'Cold'], (r) => (r.rating ? cap(r.rating) : null)),
  countryCol<'leads'>(),
  col<'leads'>(genId('long_text', 'leads.notes'), 'Notes', 'long_text', (r, env) => cells.longText(r.description, env.changedAt)),
  ...customCols('leads'),
];

const dealColumns: ColumnSpec[] = [
  nameCol('Deal'),
  ownerCol<'deals'>('deal_owner'),
  statusCol<'deals'>('deal_stage', 'Stage', DEAL_STAGES.map((s) => s.label), (r) => r.stage.label, ['Closed Won']),
  col<'deals'>('deal_value', 'Deal Value', 'numbers', (r) => cells.numbers(r.amount)),
  statusCol<'deals'>(genId('color', 'deals.currency'), 'Currency', ['USD', 'EUR', 'GBP', 'JPY', 'BRL', 'INR', 'PLN'], (r) => r.currency),
  col<'deals'>('deal_expected_close_date', 'Expected Close Date', 'date', (r, env) => cells.date(r.closeDate, false, env.changedAt)),
  col<'deals'>('deal_close_probability', 'Close Probability', 'numbers', (r) => cells.numbers(r.probability), { unit: { symbol: '%', custom_unit: '', direction: 'right' } }),
  relationCol<'deals'>('deal_contact', 'Contacts', 'contacts', (r) => r.contactIndex),
  relationCol<'deals'>('deal_account', 'Accounts', 'accounts', (r) => r.accountIndex),
  statusCol<'deals'>(genId('color', 'deals.type'), 'Deal Type', ['New Business', 'Existing Business', 'Renewal'], (r) => r.type),
  statusCol<'deals'>(genId('color', 'deals.pipeline'), 'Pipeline', ['Default', 'Renewals'], (r) => cap(r.pipeline)),
  statusCol<'deals'>(genId('color', 'deals.source'), 'Lead Source', SOURCES, (r) => r.leadSource || null),
  col<'deals'>(genId('long_text', 'deals.description'), 'Description', 'long_text', (r, env) => cells.longText(r.description, env.changedAt)),
  ...customCols('deals'),
];

const activityColumns: ColumnSpec[] = [
  nameCol('Activity'),
  ownerCol<'activities'>('activity_owner'),
  statusCol<'activities'>('activity_type', 'Activity Type', ACTIVITY_TYPES, (r) => cap(r.type)),
  statusCol<'activities'>('activity_status', 'Status', ACTIVITY_STATUS, (r) => cap(r.status), ['Completed']),
  col<'activities'>('activity_start_time', 'Start Time', 'date', (r, env) => cells.date(r.dueAt, true, env.changedAt)),
  col<'activities'>(genId('date', 'activities.completed'), 'Completed At', 'date', (r, env) => cells.date(r.completedAt, true, env.changedAt)),
  statusCol<'activities'>(genId('color', 'activities.priority'), 'Priority', ['Low', 'Normal', 'High'], (r) => cap(r.priority)),
  col<'activities'>(genId('numeric', 'activities.duration'), 'Duration (min)', 'numbers', (r) => cells.numbers(r.durationMinutes)),
  relationCol<'activities'>('activity_account', 'Account', 'accounts', (r) => r.accountIndex),
  relationCol<'activities'>('activity_contact', 'Contact', 'contacts', (r) => r.contactIndex),
  relationCol<'activities'>('activity_deal', 'Deal', 'deals', (r) => r.dealIndex),
  col<'activities'>('activity_notes', 'Notes', 'long_text', (r, env) => cells.longText(r.body, env.changedAt)),
  ...customCols('activities'),
];

const TOPICS: GroupSpec = { id: 'topics', title: 'Active', color: '#579bfc' };

function board<E extends EntityType>(entity: E, name: string, itemTerminology: string, columns: ColumnSpec[], groups: GroupSpec[] = [TOPICS]): BoardSpec<E> {
  return { id: BOARD_IDS[entity], name, entity, workspace: WORKSPACES.crm, description: `monday sales CRM: ${name}`, itemTerminology, groups, columns };
}

export const BOARDS: readonly BoardSpec[] = [
  board('accounts', 'Accounts', 'Account', accountColumns),
  board('contacts', 'Contacts', 'Contact', contactColumns),
  board('leads', 'Leads', 'Lead', leadColumns),
  board('deals', 'Deals', 'Deal', dealColumns, [
    { id: 'topics', title: 'Open deals', color: '#579bfc' },
    { id: genId('group', 'deals.won'), title: 'Won', color: '#00c875' },
    { id: genId('group', 'deals.lost'), title: 'Lost', color: '#e2445c' },
  ]),
  board('activities', 'Activities', 'Activity', activityColumns),
  { id: OTHER_BOARD_ID, name: 'Team Tasks', entity: null, workspace: WORKSPACES.main, description: 'Internal to-dos', itemTerminology: 'Task', groups: [TOPICS], columns: [nameCol('Task'), ownerCol('person')] },
];

export const BOARD_BY_ID: ReadonlyMap<string, BoardSpec> = new Map(BOARDS.map((b) => [b.id, b]));

export function boardOf(entity: EntityType): BoardSpec<EntityType> {
  return BOARD_BY_ID.get(BOARD_IDS[entity]) as BoardSpec<EntityType>;
}

/** Which group an item sits in (deals by status, everything else in the default group). */
export function groupOf(b: BoardSpec, r: WorldRecordByEntity[EntityType]): GroupSpec {
  if (b.entity === 'deals') {
    const status = (r as WorldDeal).status;
    return b.groups[status === 'won' ? 1 : status === 'lost' ? 2 : 0] as GroupSpec;
  }
  return b.groups[0] as GroupSpec;
}

/** The value of `changed_at` and of the item's updated_at. */
export function changedAt(r: { updatedAt: number }): string {
  return isoSeconds(r.updatedAt);
}
