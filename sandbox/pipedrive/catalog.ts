/**
 * Pipedrive field metadata for the sandbox: the standard fields of each object (v1 `…Fields` keys, as the real
 * `GET /v1/personFields` etc. list them) and the world's custom fields under 40-character hash keys, plus the
 * option, stage and label tables the record renderers share. Built once per process; pure data.
 *
 * Mapping of the world's custom-field types to Pipedrive's (field types per openapi-v1 `GetField.field_type`):
 * string → varchar, number → double, date → date, enum → enum, multienum → set, boolean → enum with Yes/No
 * options (Pipedrive's custom-field editor has no boolean type). Activities and notes have no custom fields in
 * Pipedrive (`/v1/activityFields` and `/v1/noteFields` are read-only; the v2 Activity has no `custom_fields`),
 * so the world's activity custom fields (outcome, direction) are not exposed. Leads have no fields endpoint of
 * their own: they "inherit the custom fields' structure from deals" (openapi-v1 `GET /leads`), so the lead
 * custom fields are deal fields.
 */
import { CUSTOM_FIELDS, DEAL_STAGES, type CustomFieldDef, type EntityType } from '../common/index.js';
import { customFieldKey } from './ids.js';

export type PdObject = 'organization' | 'person' | 'deal' | 'activity' | 'note';

export interface PdOption {
  readonly id: number;
  readonly label: string;
}

export interface PdField {
  readonly key: string;
  readonly name: string;
  readonly field_type: string;
  readonly options?: readonly PdOption[];
  readonly custom: boolean;
  /** For custom fields: which world entity's `custom` holds the value, and its key there. */
  readonly source?: { readonly entity: EntityType; readonly def: CustomFieldDef };
}

const std = (key: string, name: string, field_type: string, options?: readonly PdOption[]): PdField => ({ key, name, field_type, custom: false, ...(options ? { options } : {}) });

export const ACTIVITY_TYPES = ['call', 'meeting', 'task', 'deadline', 'email', 'lunch'] as const;
export const PRIORITIES: readonly PdOption[] = [
  { id: 331, label: 'Low' },
  { id: 332, label: 'Normal' },
  { id: 333, label: 'High' },
];
export const ORG_LABELS: readonly PdOption[] = ['Customer', 'Prospect', 'Partner', 'Reseller', 'Other'].map((label, k) => ({ id: 11 + k, label }));

/** Lead labels are UUIDs (openapi-v1 `LeadLabel.id`); the world's rating maps onto Hot/Warm/Cold. */
export const LEAD_LABELS = [
  { id: 'f08b42a0-4e75-11ea-9643-03698ef1cfd6', name: 'Hot', color: 'red', rating: 'hot' },
  { id: 'f08b42a1-4e75-11ea-9643-03698ef1cfd6', name: 'Warm', color: 'yellow', rating: 'warm' },
  { id: 'f08b42a2-4e75-11ea-9643-03698ef1cfd6', name: 'Cold', color: 'blue', rating: 'cold' },
] as const;

/** Two pipelines; each open world stage has a stage per pipeline. Won/lost deals stay in the last stage. */
export const PIPELINES = [
  { id: 1, name: 'Sales pipeline', key: 'default' },
  { id: 2, name: 'Renewals', key: 'renewals' },
] as const;
const OPEN_STAGES = DEAL_STAGES.filter((s) => s.status === 'open');
export const STAGES = PIPELINES.flatMap((p, pi) =>
  OPEN_STAGES.map((s, si) => ({ id: pi * OPEN_STAGES.length + si + 1, name: s.label, pipeline_id: p.id, deal_probability: s.probability, order_nr: si + 1, key: s.key })),
);
export function stageId(pipeline: 'default' | 'renewals', stageKey: string): number {
  const p = pipeline === 'renewals' ? 1 : 0;
  const si = OPEN_STAGES.findIndex((s) => s.key === stageKey);
  return p * OPEN_STAGES.length + (si < 0 ? OPEN_STAGES.length - 1 : si) + 1;
}

// ---------------------------------------------------------------- custom fields

const YES_NO = ['Yes', 'No'];
let nextOptionId = 1001;

function customField(object: PdObject, entity: EntityType, def: CustomFieldDef): PdField {
  const labels = def.type === 'boolean' ? YES_NO : def.type === 'enum' || def.type === 'multienum' ? (def.options ?? []) : null;
  const field_type = { string: 'varchar', number: 'double', date: 'date', enum: 'enum', multienum: 'set', boolean: 'enum' }[def.type];
  return {
    key: customFieldKey(object, `${entity}.${def.key}`),
    name: def.label,
    field_type,
    custom: true,
    source: { entity, def },
    ...(labels ? { options: labels.map((label) => ({ id: nextOptionId++, label })) } : {}),
  };
}

const CUSTOM: Record<PdObject, readonly PdField[]> = {
  organization: CUSTOM_FIELDS.accounts.map((d) => customField('organization', 'accounts', d)),
  person: CUSTOM_FIELDS.contacts.map((d) => customField('person', 'contacts', d)),
  deal: [...CUSTOM_FIELDS.deals.map((d) => customField('deal', 'deals', d)), ...CUSTOM_FIELDS.leads.map((d) => customField('deal', 'leads', d))],
  activity: [],
  note: [],
};

const CUSTOM_BY_ENTITY = new Map<string, readonly PdField[]>();

/** Custom fields whose values live on records of `entity` (deal fields split between deals and leads). */
export function customFieldsOf(object: PdObject, entity: EntityType): readonly PdField[] {
  const key = `${object}:${entity}`;
  let list = CUSTOM_BY_ENTITY.get(key);
  if (!list) CUSTOM_BY_ENTITY.set(key, (list = CUSTOM[object].filter((f) => f.source?.entity === entity)));
  return list;
}

// ---------------------------------------------------------------- standard fields (v1 keys)

const VISIBLE_TO = [{ id: 1, label: 'Owner & followers' }, { id: 3, label: 'Entire company' }];
const STANDARD: Record<PdObject, readonly PdField[]> = {
  organization: [
    std('id', 'ID', 'int'), std('name', 'Name', 'varchar'), std('owner_id', 'Owner', 'user'), std('label', 'Label', 'set', ORG_LABELS),
    std('visible_to', 'Visible to', 'visible_to', VISIBLE_TO), std('address', 'Address', 'address'), std('website', 'Website', 'varchar'),
    std('linkedin', 'LinkedIn profile', 'varchar'), std('industry', 'Industry', 'varchar'), std('annual_revenue', 'Annual revenue', 'monetary'),
    std('employee_count', 'Number of employees', 'double'), std('people_count', 'People', 'int'), std('add_time', 'Organization created', 'date'),
    std('update_time', 'Update time', 'date'),
  ],
  person: [
    std('id', 'ID', 'int'), std('name', 'Name', 'varchar'), std('first_name', 'First name', 'varchar'), std('last_name', 'Last name', 'varchar'),
    std('owner_id', 'Owner', 'user'), std('org_id', 'Organization', 'org'), std('email', 'Email', 'varchar'), std('phone', 'Phone', 'phone'),
    std('label', 'Label', 'set', []), std('visible_to', 'Visible to', 'visible_to', VISIBLE_TO), std('postal_address', 'Postal address', 'address'),
    std('notes', 'Notes', 'text'), std('birthday', 'Birthday', 'date'), std('job_title', 'Job title', 'varchar'),
    std('add_time', 'Person created', 'date'), std('update_time', 'Update time', 'date'),
  ],
  deal: [
    std('id', 'ID', 'int'), std('title', 'Title', 'varchar'), std('creator_user_id', 'Creator', 'user'), std('user_id', 'Owner', 'user'),
    std('value', 'Value', 'monetary'), std('person_id', 'Contact person', 'people'), std('org_id', 'Organization', 'org'),
    std('pipeline_id', 'Pipeline', 'double', PIPELINES.map((p) => ({ id: p.id, label: p.name }))),
    std('stage_id', 'Stage', 'stage', STAGES.map((s) => ({ id: s.id, label: s.name }))),
    std('status', 'Status', 'status', ['open', 'won', 'lost', 'deleted'].map((label, k) => ({ id: k + 1, label }))),
    std('probability', 'Probability', 'double'), std('lost_reason', 'Lost reason', 'varchar'), std('visible_to', 'Visible to', 'visible_to', VISIBLE_TO),
    std('close_time', 'Deal closed on', 'date'), std('won_time', 'Won time', 'date'), std('lost_time', 'Lost time', 'date'),
    std('expected_close_date', 'Expected close date', 'date'), std('label', 'Label', 'set', []), std('origin', 'Source origin', 'varchar'),
    std('add_time', 'Deal created', 'date'), std('update_time', 'Update time', 'date'), std('stage_change_time', 'Last stage change', 'date'),
  ],
  activity: [
    std('id', 'ID', 'int'), std('subject', 'Subject', 'varchar'),
    std('type', 'Type', 'enum', ACTIVITY_TYPES.map((t, k) => ({ id: k + 1, label: t }))), std('user_id', 'Assigned to user', 'user'),
    std('due_date', 'Due date', 'date'), std('due_time', 'Due time', 'time'), std('duration', 'Duration', 'time'),
    std('deal_id', 'Deal', 'deal'), std('person_id', 'Contact person', 'people'), std('org_id', 'Organization', 'org'), std('lead_id', 'Lead', 'lead'),
    std('done', 'Done', 'enum', [{ id: 0, label: 'To do' }, { id: 1, label: 'Done' }]), std('marked_as_done_time', 'Marked as done time', 'date'),
    std('note', 'Note', 'text'), std('priority', 'Priority', 'enum', PRIORITIES), std('busy_flag', 'Free/busy', 'enum'),
    std('public_description', 'Public description', 'text'), std('location', 'Location', 'address'),
    std('add_time', 'Add time', 'date'), std('update_time', 'Update time', 'date'),
  ],
  note: [
    std('id', 'ID', 'int'), std('content', 'Content', 'text'), std('deal_id', 'Deal', 'deal'), std('person_id', 'Person', 'people'),
    std('org_id', 'Organization', 'org'), std('lead_id', 'Lead', 'lead'), std('user_id', 'User', 'user'),
    std('pinned_to_deal_flag', 'Pinned to deal', 'enum'), std('add_time', 'Add time', 'date'), std('update_time', 'Update time', 'date'),
  ],
};

export type NumberedField = PdField & { readonly id: number; readonly order_nr: number };
const numbered = (o: PdObject, oi: number): readonly NumberedField[] =>
  [...STANDARD[o], ...CUSTOM[o]].map((f, k) => ({ ...f, id: 9000 + oi * 100 + k, order_nr: k + 1 }));

/** Every field of a Pipedrive object, standard first, with ids as `GET /v1/{object}Fields` numbers them. */
export const FIELDS: Record<PdObject, readonly NumberedField[]> = {
  organization: numbered('organization', 0),
  person: numbered('person', 1),
  deal: numbered('deal', 2),
  activity: numbered('activity', 3),
  note: numbered('note', 4),
};

/** The option id of `label` in a custom enum/set field (null when the label is not an option). */
export function optionId(field: PdField, label: string): number | null {
  return field.options?.find((o) => o.label === label)?.id ?? null;
}
