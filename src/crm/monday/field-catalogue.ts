/**
 * monday.com has no fixed CRM fields: a board's columns have a type (`email`, `phone`, `status`, `date`,
 * `numbers`, `board_relation`, `people`, …) and a title the user chose. This catalogue holds
 * (1) column types that imply a target whatever the title (`byType`, matched on the source field's `type`),
 * and (2) the column titles of monday CRM's standard Contacts, Accounts, Leads, Deals and Activities boards.
 * Sources: monday.com API reference "Column types" (developer.monday.com/api-reference/reference/column-types-reference),
 * the ColumnType enum of the official @mondaydotcomorg/api client, and the monday sales CRM board templates.
 */
import { f, type CatalogueField, type FieldCatalogue } from '../../core/mapping/catalogue.js';

const types = (name: string, target: string | null, confidence: number): CatalogueField =>
  f(name, undefined, target, { type: name, byType: true, confidence });

/** Column types with one meaning in every board. */
const common = [
  types('item_id', 'externalId', 0.95),
  types('creation_log', 'sourceCreatedAt', 0.95),
  types('last_updated', 'sourceUpdatedAt', 0.95),
  types('people', 'owner', 0.75),
  types('person', 'owner', 0.75),
  types('multiple-person', 'owner', 0.75),
  types('button', null, 0.95),
  types('formula', null, 0.8),
  types('mirror', null, 0.8),
  types('lookup', null, 0.8),
  types('subtasks', null, 0.95),
  types('file', null, 0.95),
  types('time_tracking', null, 0.95),
  types('vote', null, 0.95),
  types('dependency', null, 0.95),
  types('color_picker', null, 0.9),
  types('auto_number', null, 0.85),
  types('progress', null, 0.9),
  types('world_clock', null, 0.9),
  types('doc', null, 0.9),
  f('name', 'Name', null, { type: 'name', confidence: 0.5 }),
  f('person', 'Owner', 'owner', { type: 'people' }),
  f('creation_log', 'Creation log', 'sourceCreatedAt', { type: 'creation_log', headers: ['Created at', 'Item created'] }),
  f('last_updated', 'Last updated', 'sourceUpdatedAt', { type: 'last_updated' }),
  f('item_id', 'Item ID', 'externalId', { type: 'item_id' }),
];

const contactInfo = [
  types('email', 'email', 0.9),
  types('phone', 'phone', 0.8),
  f('email', 'Email', 'email', { type: 'email' }),
  f('phone', 'Phone', 'phone', { type: 'phone' }),
];

export const mondayFieldCatalogue = {
  accounts: [
    ...common.filter((c) => c.name !== 'name'),
    f('name', 'Account', 'name', { type: 'name', headers: ['Name', 'Company', 'Account Name'] }),
    types('name', 'name', 0.9),
    types('country', 'country', 0.9),
    types('location', 'street', 0.6),
    types('phone', 'phone', 0.8),
    f('domain', 'Domain', 'domain', { type: 'link' }),
    f('industry', 'Industry', 'industry', { type: 'status' }),
    f('company_size', 'Company size', 'employees', { type: 'status', confidence: 0.85, headers: ['Employees'] }),
    f('address', 'Address', 'street', { type: 'location', confidence: 0.8, headers: ['HQ Location', 'Headquarters'] }),
    f('account_contacts', 'Contacts', null, { type: 'board_relation' }),
    f('account_deals', 'Deals', null, { type: 'board_relation' }),
    f('type', 'Type', 'type', { type: 'status', confidence: 0.9 }),
    f('description', 'Description', 'description', { type: 'long_text' }),
  ],
  contacts: [
    ...common.filter((c) => c.name !== 'name'),
    ...contactInfo,
    f('name', 'Name', 'fullName', { type: 'name', headers: ['Contact', 'Contact name'] }),
    types('name', 'fullName', 0.85),
    types('country', 'country', 0.9),
    f('title', 'Title', 'title', { type: 'text', headers: ['Job title', 'Position'] }),
    f('company', 'Company', 'accountName', { type: 'text' }),
    f('contact_account', 'Accounts', 'accountExternalId', { type: 'board_relation', confidence: 0.85, headers: ['Account'] }),
    f('contact_deals', 'Deals', null, { type: 'board_relation' }),
    f('type', 'Type', null, { type: 'status', headers: ['Contact type'] }),
    f('priority', 'Priority', null, { type: 'status' }),
    f('comments', 'Comments', 'description', { type: 'long_text', confidence: 0.8, headers: ['Notes'] }),
  ],
  leads: [
    ...common.filter((c) => c.name !== 'name'),
    ...contactInfo,
    f('name', 'Lead', 'fullName', { type: 'name', headers: ['Name', 'Lead name'] }),
    types('name', 'fullName', 0.8),
    types('country', 'country', 0.9),
    f('status', 'Status', 'status', { type: 'status', headers: ['Lead status', 'Lead Stage', 'Qualification Status'] }),
    f('company', 'Company', 'company', { type: 'text' }),
    f('title', 'Title', 'title', { type: 'text', headers: ['Job title', 'Position'] }),
    f('source', 'Source', 'leadSource', { type: 'status', headers: ['Lead Source'] }),
    f('last_interaction', 'Last interaction', null, { type: 'date' }),
    f('active_sequence', 'Active sequence', null, { type: 'status' }),
  ],
  deals: [
    ...common.filter((c) => c.name !== 'name'),
    f('name', 'Deal', 'name', { type: 'name', headers: ['Name', 'Deal name'] }),
    types('name', 'name', 0.9),
    f('deal_stage', 'Stage', 'stage', { type: 'status', headers: ['Deal stage'] }),
    f('deal_value', 'Deal Value', 'amount', { type: 'numbers', headers: ['Value', 'Deal size'] }),
    f('deal_expected_close_date', 'Expected Close Date', 'closeDate', { type: 'date', headers: ['Close Date'] }),
    f('deal_close_probability', 'Close Probability', 'probability', { type: 'numbers', headers: ['Probability'] }),
    f('deal_contact', 'Contacts', 'contactExternalId', { type: 'board_relation', confidence: 0.85 }),
    f('deal_account', 'Accounts', 'accountExternalId', { type: 'board_relation', confidence: 0.85, headers: ['Account'] }),
    f('deal_forecast_value', 'Forecast Value', null, { type: 'formula' }),
    f('deal_actual_close_date', 'Close date', null, { type: 'date', confidence: 0.6 }),
    f('deal_length', 'Deal length', null, { type: 'formula' }),
    f('deal_owner', 'Owner', 'owner', { type: 'people', headers: ['Deal owner'] }),
    f('timeline', 'Timeline', null, { type: 'timeline' }),
  ],
  activities: [
    ...common.filter((c) => c.name !== 'name'),
    f('name', 'Activity', 'subject', { type: 'name', headers: ['Name', 'Title'] }),
    types('name', 'subject', 0.85),
    f('activity_type', 'Activity Type', 'type', { type: 'status', headers: ['Type'] }),
    f('activity_status', 'Status', 'status', { type: 'status' }),
    f('activity_start_time', 'Start Time', 'dueAt', { type: 'date', confidence: 0.9, headers: ['Date'] }),
    f('activity_end_time', 'End Time', null, { type: 'date' }),
    f('activity_owner', 'Owner', 'owner', { type: 'people' }),
    f('activity_related', 'Related Items', null, { type: 'board_relation', headers: ['Related Item'] }),
    f('activity_notes', 'Notes', 'body', { type: 'long_text' }),
  ],
} satisfies FieldCatalogue;
