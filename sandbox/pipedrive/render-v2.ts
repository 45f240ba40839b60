/**
 * World records in Pipedrive API v2 shape (openapi-v2 `GET /persons`, `/organizations`, `/deals`, `/activities`):
 * relations are integer ids, timestamps `2024-01-09T09:31:15Z`, custom fields under `custom_fields` keyed by
 * 40-character hashes. Pure functions of a world record.
 */
import type { Address, WorldAccount, WorldActivity, WorldContact, WorldDeal, WorldLead } from '../common/index.js';
import { ORG_LABELS, PRIORITIES, customFieldsOf, stageId, type PdObject } from './catalog.js';
import { rawCustom, v2CustomValue, type LabelMode } from './custom-values.js';
import { LEAD_CONTACT_BASE, day, duration, hhmm, idOf, userId, v2Time } from './ids.js';
import type { EntityType } from '../common/index.js';

export function addressValue(a: Address): string {
  return [a.street, [a.postalCode, a.city].filter(Boolean).join(' '), a.state, a.country].filter(Boolean).join(', ');
}

export function v2Address(a: Address) {
  if (!a.city && !a.street) return null;
  return {
    value: addressValue(a), country: a.country || null, admin_area_level_1: a.state || null, admin_area_level_2: null,
    locality: a.city || null, sublocality: null, route: a.street || null, street_number: null, postal_code: a.postalCode || null,
  };
}

function customFields(object: PdObject, entity: EntityType, custom: object, mode: LabelMode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of customFieldsOf(object, entity)) out[f.key] = v2CustomValue(f, rawCustom(f, custom), mode);
  return out;
}

const emails = (email: string) => (email ? [{ value: email, primary: true, label: 'work' }] : []);
function phones(phone: string, mobile: string) {
  const out = [];
  if (phone) out.push({ value: phone, primary: true, label: 'work' });
  if (mobile) out.push({ value: mobile, primary: out.length === 0, label: 'mobile' });
  return out;
}

export function v2Organization(a: WorldAccount, mode: LabelMode = 'ids') {
  const label = ORG_LABELS.find((l) => l.label === a.type);
  return {
    id: idOf(a.index), name: a.name, owner_id: userId(a.ownerIndex), add_time: v2Time(a.createdAt), update_time: v2Time(a.updatedAt),
    is_deleted: a.deleted, visible_to: 3, address: v2Address(a.address), label_ids: label ? [label.id] : [],
    website: a.website || null, linkedin: a.linkedinUrl || null, industry: a.industry || null,
    annual_revenue: a.annualRevenue, employee_count: a.employees,
    custom_fields: customFields('organization', 'accounts', a.custom, mode),
  };
}

export function v2Person(c: WorldContact, mode: LabelMode = 'ids') {
  return {
    id: idOf(c.index), name: c.fullName, first_name: c.firstName, last_name: c.lastName, owner_id: userId(c.ownerIndex),
    org_id: c.accountIndex === null ? null : idOf(c.accountIndex), add_time: v2Time(c.createdAt), update_time: v2Time(c.updatedAt),
    emails: emails(c.email), phones: phones(c.phone, c.mobilePhone), is_deleted: c.deleted, visible_to: 3, label_ids: [],
    picture_id: null, custom_fields: customFields('person', 'contacts', c.custom, mode),
    notes: c.description || null, im: [], birthday: c.birthdate === null ? null : day(c.birthdate), job_title: c.title || null,
    postal_address: v2Address(c.address),
  };
}

/** The person Pipedrive keeps for a lead (see ids.ts). */
export function v2LeadPerson(l: WorldLead) {
  return {
    id: LEAD_CONTACT_BASE + idOf(l.index), name: l.fullName, first_name: l.firstName, last_name: l.lastName,
    owner_id: userId(l.ownerIndex), org_id: l.company ? LEAD_CONTACT_BASE + idOf(l.index) : null,
    add_time: v2Time(l.createdAt), update_time: v2Time(l.updatedAt), emails: emails(l.email), phones: phones(l.phone, l.mobilePhone),
    is_deleted: false, visible_to: 3, label_ids: [], picture_id: null, custom_fields: {}, notes: null, im: [], birthday: null,
    job_title: l.title || null, postal_address: v2Address(l.address),
  };
}

/** The organization Pipedrive keeps for a lead with a company name. */
export function v2LeadOrganization(l: WorldLead) {
  return {
    id: LEAD_CONTACT_BASE + idOf(l.index), name: l.company, owner_id: userId(l.ownerIndex), add_time: v2Time(l.createdAt),
    update_time: v2Time(l.updatedAt), is_deleted: false, visible_to: 3, address: v2Address(l.address), label_ids: [],
    website: l.website || null, linkedin: null, industry: l.industry || null, annual_revenue: l.annualRevenue, employee_count: l.employees,
    custom_fields: {},
  };
}

export function v2Deal(d: WorldDeal, mode: LabelMode = 'ids') {
  const closed = d.status !== 'open';
  const closeTime = closed ? v2Time(Math.min(d.closeDate, d.updatedAt)) : null;
  return {
    id: idOf(d.index), title: d.name, creator_user_id: userId(d.ownerIndex), owner_id: userId(d.ownerIndex),
    person_id: d.contactIndex === null ? null : idOf(d.contactIndex), org_id: d.accountIndex === null ? null : idOf(d.accountIndex),
    pipeline_id: d.pipeline === 'renewals' ? 2 : 1, stage_id: stageId(d.pipeline, d.stage.key),
    value: d.amount ?? 0, currency: d.currency, add_time: v2Time(d.createdAt), update_time: v2Time(d.updatedAt),
    stage_change_time: v2Time(d.updatedAt), is_deleted: d.deleted, is_archived: false, status: d.deleted ? 'deleted' : d.status,
    probability: d.probability, lost_reason: d.status === 'lost' ? 'Chose a competitor' : null, visible_to: 3,
    close_time: closeTime, won_time: d.status === 'won' ? closeTime : null, lost_time: d.status === 'lost' ? closeTime : null,
    expected_close_date: day(d.closeDate), label_ids: [], origin: d.leadSource || 'ManuallyCreated', origin_id: null,
    channel: null, channel_id: null, arr: null, mrr: null, acv: null,
    custom_fields: customFields('deal', 'deals', d.custom, mode),
  };
}

export const activityTypeOf = (a: WorldActivity): string => a.type; // call, meeting, task, email (notes are served as notes)
export const priorityId = (a: WorldActivity): number => (PRIORITIES.find((p) => p.label.toLowerCase() === a.priority) ?? PRIORITIES[1]!).id;

export function v2Activity(a: WorldActivity) {
  const done = a.completedAt !== null;
  return {
    id: idOf(a.index), subject: a.subject, type: activityTypeOf(a), owner_id: userId(a.ownerIndex), creator_user_id: userId(a.ownerIndex),
    is_deleted: a.deleted, add_time: v2Time(a.createdAt), update_time: v2Time(a.updatedAt),
    deal_id: a.dealIndex === null ? null : idOf(a.dealIndex), lead_id: null,
    person_id: a.contactIndex === null ? null : idOf(a.contactIndex), org_id: a.accountIndex === null ? null : idOf(a.accountIndex),
    project_id: null, due_date: day(a.dueAt ?? a.createdAt), due_time: a.dueAt === null ? null : hhmm(a.dueAt),
    duration: a.durationMinutes === null ? null : duration(a.durationMinutes), busy: a.type === 'meeting', done,
    marked_as_done_time: done ? v2Time(a.completedAt as number) : null, location: null,
    participants: a.contactIndex === null ? [] : [{ person_id: idOf(a.contactIndex), primary: true }], attendees: null,
    public_description: null, priority: priorityId(a), note: a.body || null,
  };
}
