/**
 * World records in Pipedrive API v1 shape (openapi-v1): leads, notes and users (v1 only), and the deprecated
 * v1 lists of persons, organizations, deals and activities. v1 relations are objects
 * (`org_id: { name, people_count, owner_id, address, active_flag, cc_email, value }`, `person_id: { name,
 * email[], phone[], value }`, `user_id: { id, name, email, …, value }`) except on activities and notes (integers);
 * custom fields sit at the root; timestamps are `2024-01-09 09:31:15` (leads: ISO with milliseconds).
 */
import type { World, WorldAccount, WorldActivity, WorldContact, WorldDeal, WorldLead, WorldOwner } from '../common/index.js';
import { LEAD_LABELS, ORG_LABELS, customFieldsOf, stageId, type PdObject } from './catalog.js';
import { rawCustom, v1CustomValue } from './custom-values.js';
import { COMPANY_DOMAIN, COMPANY_ID, LEAD_CONTACT_BASE, day, duration, hhmm, idOf, leadId, userId, v1Time } from './ids.js';
import { addressValue, priorityId } from './render-v2.js';
import type { EntityType } from '../common/index.js';

function customs(object: PdObject, entity: EntityType, custom: object, omitEmpty = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of customFieldsOf(object, entity)) {
    const v = v1CustomValue(f, rawCustom(f, custom));
    if (v !== null || !omitEmpty) out[f.key] = v;
  }
  return out;
}

export function v1User(o: WorldOwner, isYou = false) {
  return {
    id: userId(o.index), name: o.name, default_currency: 'USD', locale: 'en_US', lang: 1, email: o.email, phone: null,
    activated: o.active, last_login: '2025-05-30 08:00:00', created: '2017-12-01 09:00:00', modified: '2025-05-30 08:00:00',
    has_created_company: o.index === 0, access: [{ app: 'sales', admin: o.index === 0, permission_set_id: '62cc4d7f-4038-4352-abf3-a8c1c822b631' }],
    active_flag: o.active, timezone_name: o.timeZone, timezone_offset: '+00:00', role_id: 1, icon_url: null, is_you: isYou, is_deleted: false,
  };
}

export function v1Me(o: WorldOwner) {
  return {
    ...v1User(o, true), company_id: COMPANY_ID, company_name: 'Sandbox Company', company_domain: COMPANY_DOMAIN,
    company_country: 'US', company_industry: 'Software', language: { language_code: 'en', country_code: 'US' },
  };
}

const userRef = (o: WorldOwner) => ({ id: userId(o.index), name: o.name, email: o.email, has_pic: 0, pic_hash: null, active_flag: o.active, value: userId(o.index) });
const orgRef = (a: WorldAccount) => ({ name: a.name, people_count: 0, owner_id: userId(a.ownerIndex), address: addressValue(a.address) || null, active_flag: true, cc_email: `${COMPANY_DOMAIN}@pipedrivemail.com`, value: idOf(a.index) });
const v1Emails = (email: string) => [{ label: 'work', value: email, primary: true }];
const v1Phones = (phone: string, mobile: string) => (mobile ? [{ label: 'work', value: phone, primary: true }, { label: 'mobile', value: mobile, primary: false }] : [{ label: 'work', value: phone, primary: true }]);

export function v1Organization(w: World, a: WorldAccount) {
  const owner = w.owners[a.ownerIndex] as WorldOwner;
  return {
    id: idOf(a.index), company_id: COMPANY_ID, owner_id: userRef(owner), name: a.name, open_deals_count: 0, people_count: 0,
    active_flag: !a.deleted, add_time: v1Time(a.createdAt), update_time: v1Time(a.updatedAt), visible_to: '3',
    label: ORG_LABELS.find((l) => l.label === a.type)?.id ?? null, owner_name: owner.name, cc_email: `${COMPANY_DOMAIN}@pipedrivemail.com`,
    address: addressValue(a.address) || null, address_route: a.address.street || null, address_locality: a.address.city || null,
    address_admin_area_level_1: a.address.state || null, address_postal_code: a.address.postalCode || null, address_country: a.address.country || null,
    website: a.website || null, linkedin: a.linkedinUrl || null, industry: a.industry || null, annual_revenue: a.annualRevenue,
    employee_count: a.employees, ...customs('organization', 'accounts', a.custom),
  };
}

export function v1Person(w: World, c: WorldContact) {
  const owner = w.owners[c.ownerIndex] as WorldOwner;
  const org = c.accountIndex === null ? null : w.account(c.accountIndex);
  return {
    id: idOf(c.index), company_id: COMPANY_ID, owner_id: userRef(owner), org_id: org ? orgRef(org) : null, name: c.fullName,
    first_name: c.firstName, last_name: c.lastName, open_deals_count: 0, closed_deals_count: 0, activities_count: 0,
    phone: v1Phones(c.phone, c.mobilePhone), email: v1Emails(c.email), add_time: v1Time(c.createdAt), update_time: v1Time(c.updatedAt),
    visible_to: '3', picture_id: null, label: null, org_name: org?.name ?? null, owner_name: owner.name, active_flag: !c.deleted,
    notes: c.description || null, birthday: c.birthdate === null ? null : day(c.birthdate), job_title: c.title || null,
    postal_address: addressValue(c.address) || null, postal_address_locality: c.address.city || null, postal_address_country: c.address.country || null,
    ...customs('person', 'contacts', c.custom),
  };
}

/** GET /v1/persons/{id} of a lead's person (see ids.ts). */
export function v1LeadPerson(w: World, l: WorldLead) {
  const owner = w.owners[l.ownerIndex] as WorldOwner;
  return {
    id: LEAD_CONTACT_BASE + idOf(l.index), company_id: COMPANY_ID, owner_id: userRef(owner), org_id: null, name: l.fullName,
    first_name: l.firstName, last_name: l.lastName, phone: v1Phones(l.phone, l.mobilePhone), email: v1Emails(l.email),
    add_time: v1Time(l.createdAt), update_time: v1Time(l.updatedAt), visible_to: '3', org_name: l.company || null,
    owner_name: owner.name, active_flag: true, job_title: l.title || null,
  };
}

export function v1Deal(w: World, d: WorldDeal) {
  const owner = w.owners[d.ownerIndex] as WorldOwner;
  const org = d.accountIndex === null ? null : w.account(d.accountIndex);
  const person = d.contactIndex === null ? null : w.contact(d.contactIndex);
  const closed = d.status !== 'open';
  const closeTime = closed ? v1Time(Math.min(d.closeDate, d.updatedAt)) : null;
  return {
    id: idOf(d.index), creator_user_id: userRef(owner), user_id: userRef(owner),
    person_id: person ? { active_flag: true, name: person.fullName, email: v1Emails(person.email), phone: v1Phones(person.phone, ''), value: idOf(person.index) } : null,
    org_id: org ? orgRef(org) : null, stage_id: stageId(d.pipeline, d.stage.key), title: d.name, value: d.amount ?? 0, currency: d.currency,
    add_time: v1Time(d.createdAt), update_time: v1Time(d.updatedAt), stage_change_time: v1Time(d.updatedAt), active: d.status === 'open' && !d.deleted,
    deleted: d.deleted, status: d.deleted ? 'deleted' : d.status, probability: d.probability, lost_reason: d.status === 'lost' ? 'Chose a competitor' : null,
    visible_to: '3', close_time: closeTime, pipeline_id: d.pipeline === 'renewals' ? 2 : 1, won_time: d.status === 'won' ? closeTime : null,
    lost_time: d.status === 'lost' ? closeTime : null, expected_close_date: day(d.closeDate), label: null, origin: d.leadSource || 'ManuallyCreated',
    person_name: person?.fullName ?? null, org_name: org?.name ?? null, owner_name: owner.name,
    ...customs('deal', 'deals', d.custom),
  };
}

export function v1Activity(w: World, a: WorldActivity) {
  const owner = w.owners[a.ownerIndex] as WorldOwner;
  const done = a.completedAt !== null;
  return {
    id: idOf(a.index), company_id: COMPANY_ID, user_id: userId(a.ownerIndex), done, type: a.type, due_date: day(a.dueAt ?? a.createdAt),
    due_time: a.dueAt === null ? '' : hhmm(a.dueAt), duration: a.durationMinutes === null ? '' : duration(a.durationMinutes),
    busy_flag: a.type === 'meeting', add_time: v1Time(a.createdAt), marked_as_done_time: done ? v1Time(a.completedAt as number) : '',
    subject: a.subject, public_description: null, location: null, org_id: a.accountIndex === null ? null : idOf(a.accountIndex),
    person_id: a.contactIndex === null ? null : idOf(a.contactIndex), deal_id: a.dealIndex === null ? null : idOf(a.dealIndex), lead_id: null,
    active_flag: !a.deleted, update_time: v1Time(a.updatedAt), note: a.body || null, priority: priorityId(a), owner_name: owner.name,
    participants: a.contactIndex === null ? null : [{ person_id: idOf(a.contactIndex), primary_flag: true }],
  };
}

/** A note (`GET /v1/notes`): world activities of type `note`. */
export function v1Note(w: World, a: WorldActivity) {
  const owner = w.owners[a.ownerIndex] as WorldOwner;
  const deal = a.dealIndex === null ? null : w.deal(a.dealIndex);
  const org = a.accountIndex === null ? null : w.account(a.accountIndex);
  const person = a.contactIndex === null ? null : w.contact(a.contactIndex);
  return {
    id: idOf(a.index), active_flag: !a.deleted, add_time: v1Time(a.createdAt), content: a.body, deal: deal ? { title: deal.name } : null,
    lead_id: null, deal_id: deal ? idOf(deal.index) : null, last_update_user_id: userId(a.ownerIndex), org_id: org ? idOf(org.index) : null,
    organization: org ? { name: org.name } : null, person: person ? { name: person.fullName } : null, person_id: person ? idOf(person.index) : null,
    project_id: null, project: null, pinned_to_lead_flag: false, pinned_to_deal_flag: deal !== null, pinned_to_organization_flag: false,
    pinned_to_person_flag: false, pinned_to_project_flag: false, update_time: v1Time(a.updatedAt),
    user: { email: owner.email, icon_url: null, is_you: a.ownerIndex === 0, name: owner.name }, user_id: userId(a.ownerIndex),
  };
}

/** A lead (`GET /v1/leads`); its person and organization are the lead's own (see ids.ts). */
export function v1Lead(l: WorldLead) {
  const label = LEAD_LABELS.find((x) => x.rating === l.rating);
  return {
    id: leadId(l.index), title: `${l.fullName} lead`, owner_id: userId(l.ownerIndex), creator_id: userId(l.ownerIndex),
    label_ids: label ? [label.id] : [], person_id: LEAD_CONTACT_BASE + idOf(l.index),
    organization_id: l.company ? LEAD_CONTACT_BASE + idOf(l.index) : null, source_name: l.leadSource || 'Manually created',
    origin: 'ManuallyCreated', origin_id: null, channel: null, channel_id: null, is_archived: false, was_seen: l.status !== 'new',
    value: l.annualRevenue === null ? null : { amount: Math.round(l.annualRevenue / 100), currency: 'USD' }, expected_close_date: null,
    next_activity_id: null, add_time: new Date(l.createdAt).toISOString(), update_time: new Date(l.updatedAt).toISOString(),
    visible_to: '3', cc_email: `${COMPANY_DOMAIN}+lead${l.index}@pipedrivemail.com`,
    ...customs('deal', 'leads', l.custom, true),
  };
}
