/**
 * Accounts, Contacts, Leads and Deals: their standard fields (names from the Zoho CRM v8 field metadata, as in
 * src/crm/zoho/field-catalogue.ts) filled from the world, plus the world's custom fields.
 */
import { CUSTOM_FIELDS, CURRENCIES, DEAL_STAGES, LEAD_SOURCES } from '../common/index.js';
import type { WorldAccount, WorldContact, WorldDeal, WorldLead } from '../common/index.js';
import { INDUSTRIES } from '../common/data/locales.js';
import { customFields, str, systemFields, type FieldDef } from './fields.js';
import { zohoDate } from './ids.js';

const SOURCES = LEAD_SOURCES.filter(Boolean);

export const ACCOUNT_FIELDS: readonly FieldDef<WorldAccount>[] = [
  { api: 'Account_Name', label: 'Account Name', type: 'text', mandatory: true, value: (a) => a.name },
  { api: 'Website', label: 'Website', type: 'website', value: (a) => str(a.website) },
  { api: 'Industry', label: 'Industry', type: 'picklist', values: INDUSTRIES, value: (a) => str(a.industry) },
  { api: 'Account_Type', label: 'Account Type', type: 'picklist', values: ['Customer', 'Prospect', 'Partner', 'Reseller', 'Other'], value: (a) => a.type },
  { api: 'Phone', label: 'Phone', type: 'phone', value: (a) => str(a.phone) },
  { api: 'Employees', label: 'Employees', type: 'integer', value: (a) => a.employees },
  { api: 'Annual_Revenue', label: 'Annual Revenue', type: 'currency', value: (a) => a.annualRevenue },
  { api: 'Description', label: 'Description', type: 'textarea', value: (a) => str(a.description) },
  { api: 'Billing_Street', label: 'Billing Street', type: 'text', value: (a) => str(a.address.street) },
  { api: 'Billing_City', label: 'Billing City', type: 'text', value: (a) => str(a.address.city) },
  { api: 'Billing_State', label: 'Billing State', type: 'text', value: (a) => str(a.address.state) },
  { api: 'Billing_Code', label: 'Billing Code', type: 'text', value: (a) => str(a.address.postalCode) },
  { api: 'Billing_Country', label: 'Billing Country', type: 'text', value: (a) => str(a.address.country) },
  ...customFields<WorldAccount>(CUSTOM_FIELDS.accounts),
  ...systemFields<WorldAccount>('Account Owner'),
];

export const CONTACT_FIELDS: readonly FieldDef<WorldContact>[] = [
  { api: 'First_Name', label: 'First Name', type: 'text', value: (c) => str(c.firstName) },
  { api: 'Last_Name', label: 'Last Name', type: 'text', mandatory: true, value: (c) => c.lastName },
  { api: 'Full_Name', label: 'Full Name', type: 'text', readOnly: true, value: (c) => c.fullName },
  { api: 'Email', label: 'Email', type: 'email', value: (c) => str(c.email) },
  { api: 'Phone', label: 'Phone', type: 'phone', value: (c) => str(c.phone) },
  { api: 'Mobile', label: 'Mobile', type: 'phone', value: (c) => str(c.mobilePhone) },
  { api: 'Title', label: 'Title', type: 'text', value: (c) => str(c.title) },
  { api: 'Department', label: 'Department', type: 'text', value: (c) => str(c.department) },
  { api: 'Lead_Source', label: 'Lead Source', type: 'picklist', values: SOURCES, value: (c) => str(c.leadSource) },
  { api: 'Description', label: 'Description', type: 'textarea', value: (c) => str(c.description) },
  { api: 'Date_of_Birth', label: 'Date of Birth', type: 'date', value: (c) => (c.birthdate === null ? null : zohoDate(c.birthdate)) },
  { api: 'Mailing_Street', label: 'Mailing Street', type: 'text', value: (c) => str(c.address.street) },
  { api: 'Mailing_City', label: 'Mailing City', type: 'text', value: (c) => str(c.address.city) },
  { api: 'Mailing_State', label: 'Mailing State', type: 'text', value: (c) => str(c.address.state) },
  { api: 'Mailing_Zip', label: 'Mailing Zip', type: 'text', value: (c) => str(c.address.postalCode) },
  { api: 'Mailing_Country', label: 'Mailing Country', type: 'text', value: (c) => str(c.address.country) },
  { api: 'Account_Name', label: 'Account Name', type: 'lookup', lookup: 'Accounts', value: (c, x) => x.account(c.accountIndex) },
  ...customFields<WorldContact>(CUSTOM_FIELDS.contacts),
  ...systemFields<WorldContact>('Contact Owner'),
];

/** World lead status → Zoho's default Lead_Status values (none are converted: see LEAD_CONVERTED below). */
const LEAD_STATUS: Record<WorldLead['status'], string> = {
  new: 'Not Contacted', contacted: 'Attempted to Contact', qualified: 'Pre-Qualified', unqualified: 'Not Qualified', converted: 'Contacted',
};
const RATING: Record<'hot' | 'warm' | 'cold', string> = { hot: 'Hot', warm: 'Warm', cold: 'Cold' };

export const LEAD_FIELDS: readonly FieldDef<WorldLead>[] = [
  { api: 'First_Name', label: 'First Name', type: 'text', value: (l) => str(l.firstName) },
  { api: 'Last_Name', label: 'Last Name', type: 'text', mandatory: true, value: (l) => l.lastName },
  { api: 'Full_Name', label: 'Full Name', type: 'text', readOnly: true, value: (l) => l.fullName },
  { api: 'Email', label: 'Email', type: 'email', value: (l) => str(l.email) },
  { api: 'Phone', label: 'Phone', type: 'phone', value: (l) => str(l.phone) },
  { api: 'Mobile', label: 'Mobile', type: 'phone', value: (l) => str(l.mobilePhone) },
  { api: 'Company', label: 'Company', type: 'text', value: (l) => str(l.company) },
  { api: 'Designation', label: 'Title', type: 'text', value: (l) => str(l.title) },
  { api: 'Lead_Status', label: 'Lead Status', type: 'picklist', values: Object.values(LEAD_STATUS), value: (l) => LEAD_STATUS[l.status] },
  { api: 'Lead_Source', label: 'Lead Source', type: 'picklist', values: SOURCES, value: (l) => str(l.leadSource) },
  { api: 'Industry', label: 'Industry', type: 'picklist', values: INDUSTRIES, value: (l) => str(l.industry) },
  { api: 'Website', label: 'Website', type: 'website', value: (l) => str(l.website) },
  { api: 'No_of_Employees', label: 'No. of Employees', type: 'integer', value: (l) => l.employees },
  { api: 'Annual_Revenue', label: 'Annual Revenue', type: 'currency', value: (l) => l.annualRevenue },
  { api: 'Rating', label: 'Rating', type: 'picklist', values: Object.values(RATING), value: (l) => (l.rating === null ? null : RATING[l.rating]) },
  { api: 'Description', label: 'Description', type: 'textarea', value: (l) => str(l.description) },
  { api: 'Street', label: 'Street', type: 'text', value: (l) => str(l.address.street) },
  { api: 'City', label: 'City', type: 'text', value: (l) => str(l.address.city) },
  { api: 'State', label: 'State', type: 'text', value: (l) => str(l.address.state) },
  { api: 'Zip_Code', label: 'Zip Code', type: 'text', value: (l) => str(l.address.postalCode) },
  { api: 'Country', label: 'Country', type: 'text', value: (l) => str(l.address.country) },
  // Zoho hides converted leads from lists and counts unless asked (converted=true|both); the world's leads are
  // all live, unconverted records, so every one is listed by default.
  { api: 'Converted__s', label: 'Converted', type: 'boolean', readOnly: true, value: () => false },
  ...customFields<WorldLead>(CUSTOM_FIELDS.leads),
  ...systemFields<WorldLead>('Lead Owner'),
];

const PIPELINE: Record<WorldDeal['pipeline'], string> = { default: 'Standard', renewals: 'Renewals' };

export const DEAL_FIELDS: readonly FieldDef<WorldDeal>[] = [
  { api: 'Deal_Name', label: 'Deal Name', type: 'text', mandatory: true, value: (d) => d.name },
  { api: 'Amount', label: 'Amount', type: 'currency', value: (d) => d.amount },
  { api: 'Currency', label: 'Currency', type: 'picklist', values: CURRENCIES, value: (d) => d.currency },
  { api: 'Stage', label: 'Stage', type: 'picklist', mandatory: true, values: DEAL_STAGES.map((s) => s.label), value: (d) => d.stage.label },
  { api: 'Pipeline', label: 'Pipeline', type: 'picklist', values: Object.values(PIPELINE), value: (d) => PIPELINE[d.pipeline] },
  { api: 'Probability', label: 'Probability (%)', type: 'integer', value: (d) => d.probability },
  { api: 'Closing_Date', label: 'Closing Date', type: 'date', mandatory: true, value: (d) => zohoDate(d.closeDate) },
  { api: 'Type', label: 'Type', type: 'picklist', values: ['New Business', 'Existing Business', 'Renewal'], value: (d) => d.type },
  { api: 'Lead_Source', label: 'Lead Source', type: 'picklist', values: SOURCES, value: (d) => str(d.leadSource) },
  { api: 'Description', label: 'Description', type: 'textarea', value: (d) => str(d.description) },
  { api: 'Account_Name', label: 'Account Name', type: 'lookup', lookup: 'Accounts', value: (d, x) => x.account(d.accountIndex) },
  { api: 'Contact_Name', label: 'Contact Name', type: 'lookup', lookup: 'Contacts', value: (d, x) => x.contact(d.contactIndex) },
  ...customFields<WorldDeal>(CUSTOM_FIELDS.deals),
  ...systemFields<WorldDeal>('Deal Owner'),
];
