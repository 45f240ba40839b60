/** Account, Contact, Lead and Opportunity over the world's accounts, contacts, leads and deals. */
import { DEAL_STAGES, LEAD_SOURCES, type WorldAccount, type WorldContact, type WorldDeal, type WorldLead, type WorldRecordBase } from '../common/index.js';
import { INDUSTRIES } from '../common/data/locales.js';
import { KEY_PREFIX, sfDate, sfDateTime, sfId } from './ids.js';
import { blank, customFields, fld, type FieldSpec, type ObjectSpec, type Row } from './schema.js';


/** Id, IsDeleted and the audit fields every object carries. */
export function auditFields<R extends WorldRecordBase>(prefix: string): { head: FieldSpec<R>[]; tail: FieldSpec<R>[] } {
  const owner = (r: Row<R>) => sfId(KEY_PREFIX.User, r.rec.ownerIndex);
  return {
    head: [
      fld<R>('Id', `Record ID`, 'id', (r) => sfId(prefix, r.wi)),
      fld<R>('IsDeleted', 'Deleted', 'boolean', (r) => r.deleted),
    ],
    tail: [
      fld<R>('OwnerId', 'Owner ID', 'reference', owner, { referenceTo: ['User'], relationshipName: 'Owner' }),
      fld<R>('CreatedDate', 'Created Date', 'datetime', (r) => sfDateTime(r.rec.createdAt)),
      fld<R>('CreatedById', 'Created By ID', 'reference', owner, { referenceTo: ['User'], relationshipName: 'CreatedBy' }),
      fld<R>('LastModifiedDate', 'Last Modified Date', 'datetime', (r) => sfDateTime(r.rec.updatedAt)),
      fld<R>('LastModifiedById', 'Last Modified By ID', 'reference', owner, { referenceTo: ['User'], relationshipName: 'LastModifiedBy' }),
      fld<R>('SystemModstamp', 'System Modstamp', 'datetime', (r) => sfDateTime(r.rec.updatedAt)),
    ],
  };
}

const ACCOUNT_TYPES: Record<WorldAccount['type'], string> = {
  Customer: 'Customer - Direct', Prospect: 'Prospect', Partner: 'Technology Partner', Reseller: 'Channel Partner / Reseller', Other: 'Other',
};
const LEAD_STATUS: Record<WorldLead['status'], string> = {
  new: 'Open - Not Contacted', contacted: 'Working - Contacted', qualified: 'Qualified', unqualified: 'Closed - Not Converted', converted: 'Closed - Converted',
};
const leadSources = LEAD_SOURCES.filter(Boolean);
const accountId = (i: number | null) => (i === null ? null : sfId(KEY_PREFIX.Account, i));

function address<R>(prefix: string, labelPrefix: string, addr: (r: Row<R>) => WorldAccount['address']): FieldSpec<R>[] {
  return [
    fld<R>(`${prefix}Street`, `${labelPrefix}Street`, 'textarea', (r) => blank(addr(r).street)),
    fld<R>(`${prefix}City`, `${labelPrefix}City`, 'string', (r) => blank(addr(r).city)),
    fld<R>(`${prefix}State`, `${labelPrefix}State/Province`, 'string', (r) => blank(addr(r).state)),
    fld<R>(`${prefix}PostalCode`, `${labelPrefix}Zip/Postal Code`, 'string', (r) => blank(addr(r).postalCode)),
    fld<R>(`${prefix}Country`, `${labelPrefix}Country`, 'string', (r) => blank(addr(r).country)),
  ];
}

const acc = auditFields<WorldAccount>(KEY_PREFIX.Account);
export const ACCOUNT: ObjectSpec<WorldAccount> = {
  name: 'Account', label: 'Account', labelPlural: 'Accounts', keyPrefix: KEY_PREFIX.Account, bulk: true,
  fields: [
    ...acc.head,
    fld('Name', 'Account Name', 'string', (r) => r.rec.name),
    fld('Type', 'Account Type', 'picklist', (r) => ACCOUNT_TYPES[r.rec.type], { values: Object.values(ACCOUNT_TYPES) }),
    ...address<WorldAccount>('Billing', 'Billing ', (r) => r.rec.address),
    fld('Phone', 'Account Phone', 'phone', (r) => blank(r.rec.phone)),
    fld('Website', 'Website', 'url', (r) => blank(r.rec.website)),
    fld('Industry', 'Industry', 'picklist', (r) => blank(r.rec.industry), { values: INDUSTRIES }),
    fld('AnnualRevenue', 'Annual Revenue', 'currency', (r) => r.rec.annualRevenue),
    fld('NumberOfEmployees', 'Employees', 'int', (r) => r.rec.employees),
    fld('Description', 'Account Description', 'textarea', (r) => blank(r.rec.description), { length: 32000 }),
    ...acc.tail,
    ...customFields<WorldAccount>('accounts'),
  ],
};

const con = auditFields<WorldContact>(KEY_PREFIX.Contact);
export const CONTACT: ObjectSpec<WorldContact> = {
  name: 'Contact', label: 'Contact', labelPlural: 'Contacts', keyPrefix: KEY_PREFIX.Contact, bulk: true,
  fields: [
    ...con.head,
    fld('AccountId', 'Account ID', 'reference', (r) => accountId(r.rec.accountIndex), { referenceTo: ['Account'], relationshipName: 'Account' }),
    fld('LastName', 'Last Name', 'string', (r) => r.rec.lastName),
    fld('FirstName', 'First Name', 'string', (r) => blank(r.rec.firstName)),
    fld('Name', 'Full Name', 'string', (r) => r.rec.fullName),
    ...address<WorldContact>('Mailing', 'Mailing ', (r) => r.rec.address),
    fld('Phone', 'Business Phone', 'phone', (r) => blank(r.rec.phone)),
    fld('MobilePhone', 'Mobile Phone', 'phone', (r) => blank(r.rec.mobilePhone)),
    fld('Email', 'Email', 'email', (r) => blank(r.rec.email)),
    fld('Title', 'Title', 'string', (r) => blank(r.rec.title)),
    fld('Department', 'Department', 'string', (r) => blank(r.rec.department)),
    fld('LeadSource', 'Lead Source', 'picklist', (r) => blank(r.rec.leadSource), { values: leadSources }),
    fld('Birthdate', 'Birthdate', 'date', (r) => (r.rec.birthdate === null ? null : sfDate(r.rec.birthdate))),
    fld('Description', 'Contact Description', 'textarea', (r) => blank(r.rec.description), { length: 32000 }),
    ...con.tail,
    ...customFields<WorldContact>('contacts'),
  ],
};

const lea = auditFields<WorldLead>(KEY_PREFIX.Lead);
export const LEAD: ObjectSpec<WorldLead> = {
  name: 'Lead', label: 'Lead', labelPlural: 'Leads', keyPrefix: KEY_PREFIX.Lead, bulk: true,
  fields: [
    ...lea.head,
    fld('LastName', 'Last Name', 'string', (r) => r.rec.lastName),
    fld('FirstName', 'First Name', 'string', (r) => blank(r.rec.firstName)),
    fld('Name', 'Full Name', 'string', (r) => r.rec.fullName),
    fld('Title', 'Title', 'string', (r) => blank(r.rec.title)),
    fld('Company', 'Company', 'string', (r) => r.rec.company || '[not provided]'),
    ...address<WorldLead>('', '', (r) => r.rec.address),
    fld('Phone', 'Phone', 'phone', (r) => blank(r.rec.phone)),
    fld('MobilePhone', 'Mobile Phone', 'phone', (r) => blank(r.rec.mobilePhone)),
    fld('Email', 'Email', 'email', (r) => blank(r.rec.email)),
    fld('Website', 'Website', 'url', (r) => blank(r.rec.website)),
    fld('Description', 'Description', 'textarea', (r) => blank(r.rec.description), { length: 32000 }),
    fld('LeadSource', 'Lead Source', 'picklist', (r) => blank(r.rec.leadSource), { values: leadSources }),
    fld('Status', 'Lead Status', 'picklist', (r) => LEAD_STATUS[r.rec.status], { values: Object.values(LEAD_STATUS) }),
    fld('Industry', 'Industry', 'picklist', (r) => blank(r.rec.industry), { values: INDUSTRIES }),
    fld('Rating', 'Rating', 'picklist', (r) => (r.rec.rating === null ? null : r.rec.rating[0]!.toUpperCase() + r.rec.rating.slice(1)), { values: ['Hot', 'Warm', 'Cold'] }),
    fld('AnnualRevenue', 'Annual Revenue', 'currency', (r) => r.rec.annualRevenue),
    fld('NumberOfEmployees', 'Employees', 'int', (r) => r.rec.employees),
    fld('IsConverted', 'Converted', 'boolean', (r) => r.rec.status === 'converted'),
    ...lea.tail,
    ...customFields<WorldLead>('leads'),
  ],
};

const FORECAST: Record<WorldDeal['status'], string> = { open: 'Pipeline', won: 'Closed', lost: 'Omitted' };
const opp = auditFields<WorldDeal>(KEY_PREFIX.Opportunity);
export const OPPORTUNITY: ObjectSpec<WorldDeal> = {
  name: 'Opportunity', label: 'Opportunity', labelPlural: 'Opportunities', keyPrefix: KEY_PREFIX.Opportunity, bulk: true,
  fields: [
    ...opp.head,
    fld('AccountId', 'Account ID', 'reference', (r) => accountId(r.rec.accountIndex), { referenceTo: ['Account'], relationshipName: 'Account' }),
    // Opportunity.ContactId (API 46.0+): the primary contact.
    fld('ContactId', 'Contact ID', 'reference', (r) => (r.rec.contactIndex === null ? null : sfId(KEY_PREFIX.Contact, r.rec.contactIndex)), { referenceTo: ['Contact'], relationshipName: 'Contact' }),
    fld('Name', 'Name', 'string', (r) => r.rec.name),
    fld('Description', 'Description', 'textarea', (r) => blank(r.rec.description), { length: 32000 }),
    fld('StageName', 'Stage', 'picklist', (r) => r.rec.stage.label, { values: DEAL_STAGES.map((s) => s.label) }),
    fld('Amount', 'Amount', 'currency', (r) => r.rec.amount),
    fld('Probability', 'Probability (%)', 'percent', (r) => r.rec.probability),
    fld('CloseDate', 'Close Date', 'date', (r) => sfDate(r.rec.closeDate)),
    fld('Type', 'Opportunity Type', 'picklist', (r) => r.rec.type, { values: ['New Business', 'Existing Business', 'Renewal'] }),
    fld('LeadSource', 'Lead Source', 'picklist', (r) => blank(r.rec.leadSource), { values: leadSources }),
    fld('IsClosed', 'Closed', 'boolean', (r) => r.rec.status !== 'open'),
    fld('IsWon', 'Won', 'boolean', (r) => r.rec.status === 'won'),
    fld('ForecastCategory', 'Forecast Category', 'picklist', (r) => FORECAST[r.rec.status], { values: ['Omitted', 'Pipeline', 'BestCase', 'Forecast', 'Closed'] }),
    // Multi-currency org: every record carries its ISO currency.
    fld('CurrencyIsoCode', 'Opportunity Currency', 'picklist', (r) => r.rec.currency, { values: ['USD', 'EUR', 'GBP', 'JPY', 'BRL', 'INR', 'PLN'] }),
    ...opp.tail,
    ...customFields<WorldDeal>('deals'),
  ],
};
