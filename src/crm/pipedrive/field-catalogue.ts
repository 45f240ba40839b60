/**
 * Pipedrive standard fields: API v2 keys (persons, organizations, deals, activities), v1 keys where v2 has
 * none (leads, notes, flattened address parts), field labels, and the "<Object> - <Label>" headers of
 * Pipedrive's spreadsheet export (`Person - Name`, `Organization - Name`, `Deal - Value`).
 * Sources: Pipedrive API reference v2 (developers.pipedrive.com/docs/api/v1 and /v2: Persons, Organizations,
 * Deals, Activities, Leads, Notes); the official `pipedrive` npm client models (v2 Person, OrganizationItem,
 * Deal, ActivityItem); Pipedrive Knowledge Base "Exporting data" for the export header pattern.
 */
import { f, type CatalogueField, type FieldCatalogue } from '../../core/mapping/catalogue.js';

/** Export headers are "<Object> - <Field label>". */
const withExport = (object: string, rows: CatalogueField[]): CatalogueField[] =>
  rows.map((r) => (r.label ? { ...r, headers: [...(r.headers ?? []), `${object} - ${r.label}`] } : r));

const person = (entity: 'contacts' | 'leads'): CatalogueField[] =>
  withExport('Person', [
    f('name', 'Name', 'fullName', { type: 'varchar' }),
    f('first_name', 'First name', 'firstName', { type: 'varchar' }),
    f('last_name', 'Last name', 'lastName', { type: 'varchar' }),
    f('emails', 'Email', 'email', { type: 'varchar', headers: ['email', 'Person - Email - Work', 'Person - Email - Other'] }),
    f('phones', 'Phone', 'phone', { type: 'phone', headers: ['phone', 'Person - Phone - Work'] }),
    f('job_title', 'Job title', 'title', { type: 'varchar' }),
    f('owner_id', 'Owner', 'owner', { type: 'user' }),
    f('add_time', 'Person created', 'sourceCreatedAt', { type: 'date' }),
    f('update_time', 'Update time', 'sourceUpdatedAt', { type: 'date' }),
    ...(entity === 'contacts'
      ? [
          f('id', 'ID', 'externalId', { type: 'int' }),
          f('org_id', 'Organization ID', 'accountExternalId', { type: 'org' }),
          f('org_name', 'Organization', 'accountName', { type: 'varchar' }),
          f('birthday', 'Birthday', 'birthdate', { type: 'date' }),
          f('postal_address', 'Postal address', 'street', { type: 'address', confidence: 0.75 }),
          f('notes', 'Notes', 'description', { type: 'text', confidence: 0.85 }),
          f('postal_address_locality', 'City/town/village/locality of Postal address', 'city', { type: 'varchar' }),
          f('postal_address_country', 'Country of Postal address', 'country', { type: 'varchar' }),
          f('postal_address_postal_code', 'ZIP/Postal code of Postal address', 'postalCode', { type: 'varchar' }),
          f('postal_address_admin_area_level_1', 'State/county of Postal address', 'state', { type: 'varchar' }),
          f('postal_address_route', 'Street/road name of Postal address', 'street', { type: 'varchar', confidence: 0.85 }),
        ]
      : [f('org_name', 'Organization', 'company', { type: 'varchar' })]),
    f('label_ids', 'Labels', null, { type: 'enum', headers: ['Person - Label'] }),
    f('visible_to', 'Visible to', null, { type: 'visible_to' }),
    f('marketing_status', 'Marketing status', null, { type: 'enum' }),
    f('im', 'Instant messenger', null, { type: 'varchar' }),
    f('picture_id', 'Profile picture', null, { type: 'picture' }),
    f('open_deals_count', 'Open deals', null, { type: 'int' }),
    f('closed_deals_count', 'Closed deals', null, { type: 'int' }),
    f('activities_count', 'Total activities', null, { type: 'int' }),
    f('next_activity_date', 'Next activity date', null, { type: 'date' }),
    f('last_activity_date', 'Last activity date', null, { type: 'date' }),
    f('is_deleted', 'Deleted', null, { type: 'boolean' }),
  ]);

const organization = (entity: 'accounts' | 'leads'): CatalogueField[] =>
  withExport('Organization', [
    f('name', 'Name', entity === 'accounts' ? 'name' : 'company', { type: 'varchar' }),
    ...(entity === 'accounts'
      ? [
          f('id', 'ID', 'externalId', { type: 'int' }),
          f('owner_id', 'Owner', 'owner', { type: 'user' }),
          f('address', 'Address', 'street', { type: 'address', confidence: 0.75 }),
          f('address_route', 'Street/road name of Address', 'street', { type: 'varchar', confidence: 0.85 }),
          f('address_locality', 'City/town/village/locality of Address', 'city', { type: 'varchar' }),
          f('address_admin_area_level_1', 'State/county of Address', 'state', { type: 'varchar' }),
          f('address_postal_code', 'ZIP/Postal code of Address', 'postalCode', { type: 'varchar' }),
          f('address_country', 'Country of Address', 'country', { type: 'varchar' }),
          f('website', 'Website', 'website', { type: 'varchar' }),
          f('linkedin', 'LinkedIn profile', 'linkedinUrl', { type: 'varchar' }),
          f('industry', 'Industry', 'industry', { type: 'enum' }),
          f('annual_revenue', 'Annual revenue', 'annualRevenue', { type: 'monetary' }),
          f('employee_count', 'Number of employees', 'employees', { type: 'int' }),
          f('add_time', 'Organization created', 'sourceCreatedAt', { type: 'date' }),
          f('update_time', 'Update time', 'sourceUpdatedAt', { type: 'date' }),
          f('label_ids', 'Labels', null, { type: 'enum', headers: ['Organization - Label'] }),
          f('visible_to', 'Visible to', null, { type: 'visible_to' }),
          f('people_count', 'People', null, { type: 'int' }),
          f('open_deals_count', 'Open deals', null, { type: 'int' }),
          f('won_deals_count', 'Won deals', null, { type: 'int' }),
          f('next_activity_date', 'Next activity date', null, { type: 'date' }),
          f('last_activity_date', 'Last activity date', null, { type: 'date' }),
          f('is_deleted', 'Deleted', null, { type: 'boolean' }),
        ]
      : []),
  ]);

export const pipedriveFieldCatalogue = {
  accounts: organization('accounts'),
  contacts: person('contacts'),
  leads: [
    ...withExport('Lead', [
      f('id', 'ID', 'externalId', { type: 'uuid' }),
      // A Pipedrive lead's title names the opportunity ("Acme website deal"), not a job title.
      f('title', 'Title', null, { type: 'varchar' }),
      f('owner_id', 'Owner', 'owner', { type: 'user' }),
      f('source_name', 'Source', 'leadSource', { type: 'varchar', headers: ['Lead - Lead source'] }),
      f('add_time', 'Lead created', 'sourceCreatedAt', { type: 'date' }),
      f('update_time', 'Update time', 'sourceUpdatedAt', { type: 'date' }),
      f('label_ids', 'Labels', null, { type: 'enum' }),
      f('value', 'Value', null, { type: 'monetary' }),
      f('expected_close_date', 'Expected close date', null, { type: 'date' }),
      f('person_id', 'Person ID', null, { type: 'people' }),
      f('organization_id', 'Organization ID', null, { type: 'org' }),
      f('is_archived', 'Archived', null, { type: 'boolean' }),
      f('was_seen', 'Seen', null, { type: 'boolean' }),
    ]),
    ...person('leads'),
    ...organization('leads'),
  ],
  deals: withExport('Deal', [
    f('id', 'ID', 'externalId', { type: 'int' }),
    f('title', 'Title', 'name', { type: 'varchar' }),
    f('value', 'Value', 'amount', { type: 'monetary' }),
    f('currency', 'Currency', 'currency', { type: 'varchar', headers: ['Deal - Currency of Value'] }),
    // The API gives ids; the client adds the names beside them (stage_name, pipeline_name), as an export shows them
    // ("Deal - Stage": "Qualified"). The names take stage and pipeline; an id alone still maps there, less surely.
    f('stage_id', 'Stage ID', 'stage', { type: 'stage', confidence: 0.7 }),
    f('stage_name', 'Stage', 'stage', { type: 'enum' }),
    f('pipeline_id', 'Pipeline ID', 'pipeline', { type: 'double', confidence: 0.7 }),
    f('pipeline_name', 'Pipeline', 'pipeline', { type: 'enum' }),
    f('status', 'Status', 'status', { type: 'status' }),
    f('probability', 'Probability', 'probability', { type: 'double' }),
    f('expected_close_date', 'Expected close date', 'closeDate', { type: 'date' }),
    f('origin', 'Source origin', 'leadSource', { type: 'enum', confidence: 0.8 }),
    f('org_id', 'Organization ID', 'accountExternalId', { type: 'org' }),
    f('org_name', 'Organization', 'accountName', { type: 'varchar' }),
    f('person_id', 'Contact person ID', 'contactExternalId', { type: 'people' }),
    f('person_name', 'Contact person', null, { type: 'varchar' }),
    f('owner_id', 'Owner', 'owner', { type: 'user', headers: ['Deal - Owner name'] }),
    f('add_time', 'Deal created', 'sourceCreatedAt', { type: 'date' }),
    f('update_time', 'Update time', 'sourceUpdatedAt', { type: 'date' }),
    f('close_time', 'Deal closed on', null, { type: 'date' }),
    f('won_time', 'Won time', null, { type: 'date' }),
    f('lost_time', 'Lost time', null, { type: 'date' }),
    f('lost_reason', 'Lost reason', null, { type: 'varchar' }),
    f('stage_change_time', 'Last stage change', null, { type: 'date' }),
    f('channel', 'Source channel', null, { type: 'enum' }),
    f('channel_id', 'Source channel ID', null, { type: 'varchar' }),
    f('origin_id', 'Source origin ID', null, { type: 'varchar' }),
    f('source_lead_id', 'Source lead ID', null, { type: 'varchar' }),
    f('label_ids', 'Labels', null, { type: 'enum', headers: ['Deal - Label'] }),
    f('visible_to', 'Visible to', null, { type: 'visible_to' }),
    f('arr', 'ARR', null, { type: 'monetary' }),
    f('mrr', 'MRR', null, { type: 'monetary' }),
    f('acv', 'ACV', null, { type: 'monetary' }),
    f('weighted_value', 'Weighted value', null, { type: 'monetary' }),
    f('products_count', 'Product quantity', null, { type: 'int' }),
    f('activities_count', 'Total activities', null, { type: 'int' }),
    f('next_activity_date', 'Next activity date', null, { type: 'date' }),
    f('last_activity_date', 'Last activity date', null, { type: 'date' }),
    f('is_deleted', 'Deleted', null, { type: 'boolean' }),
    f('is_archived', 'Archived', null, { type: 'boolean' }),
  ]),
  activities: [
    ...withExport('Activity', [
      f('id', 'ID', 'externalId', { type: 'int' }),
      f('subject', 'Subject', 'subject', { type: 'varchar' }),
      f('type', 'Type', 'type', { type: 'enum' }),
      f('due_date', 'Due date', 'dueAt', { type: 'date' }),
      f('marked_as_done_time', 'Marked as done time', 'completedAt', { type: 'date' }),
      f('done', 'Done', 'status', { type: 'boolean', confidence: 0.85 }),
      f('note', 'Note', 'body', { type: 'text' }),
      f('priority', 'Priority', 'priority', { type: 'enum' }),
      f('owner_id', 'Assigned to user', 'owner', { type: 'user', headers: ['Activity - Owner'] }),
      f('deal_id', 'Deal ID', 'dealExternalId', { type: 'deal' }),
      f('person_id', 'Contact person ID', 'contactExternalId', { type: 'people' }),
      f('org_id', 'Organization ID', 'accountExternalId', { type: 'org' }),
      f('add_time', 'Add time', 'sourceCreatedAt', { type: 'date' }),
      f('update_time', 'Update time', 'sourceUpdatedAt', { type: 'date' }),
      f('due_time', 'Due time', null, { type: 'time' }),
      f('duration', 'Duration', null, { type: 'time' }),
      f('busy', 'Free/busy', null, { type: 'boolean' }),
      f('location', 'Location', null, { type: 'address' }),
      f('public_description', 'Public description', null, { type: 'text' }),
      f('participants', 'Participants', null, { type: 'people' }),
      f('attendees', 'Attendees', null, { type: 'varchar' }),
      f('lead_id', 'Lead ID', null, { type: 'lead' }),
      f('project_id', 'Project ID', null, { type: 'project' }),
      f('creator_user_id', 'Creator', null, { type: 'user' }),
      f('conference_meeting_url', 'Conference meeting URL', null, { type: 'varchar' }),
      f('deal_title', 'Deal', null, { type: 'varchar' }),
      f('person_name', 'Contact person', null, { type: 'varchar' }),
      f('org_name', 'Organization', null, { type: 'varchar' }),
      f('is_deleted', 'Deleted', null, { type: 'boolean' }),
    ]),
    // Notes (v1 /notes) import as activities of type note.
    ...withExport('Note', [
      f('content', 'Content', 'body', { type: 'text' }),
      f('pinned_to_deal_flag', 'Pinned to deal', null, { type: 'boolean' }),
    ]),
  ],
} satisfies FieldCatalogue;
