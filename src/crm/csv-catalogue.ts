/**
 * Headers of generic spreadsheets (no CRM behind them): the contact exports people most often upload
 * and the plain headers of hand-made sheets. Non-English and abbreviated headers are handled by the
 * synonym tables in src/core/mapping/synonyms.ts, not listed here.
 * Sources: Google Contacts CSV export ("Google CSV": support.google.com/contacts, "Import contacts" template),
 * Microsoft Outlook CSV contact export ("Import contacts to Outlook", support.microsoft.com),
 * LinkedIn "Download your connections" (Connections.csv: First Name, Last Name, URL, Email Address, Company,
 * Position, Connected On).
 */
import { f, type CatalogueField, type FieldCatalogue } from '../core/mapping/catalogue.js';

const googleContacts: CatalogueField[] = [
  f('Name', 'Name', 'fullName'),
  f('Given Name', 'Given Name', 'firstName', { headers: ['First Name'] }),
  f('Family Name', 'Family Name', 'lastName', { headers: ['Last Name'] }),
  f('Additional Name', 'Additional Name', null, { headers: ['Middle Name'] }),
  f('Name Prefix', 'Name Prefix', null),
  f('Name Suffix', 'Name Suffix', null),
  f('Nickname', 'Nickname', null),
  f('Birthday', 'Birthday', 'birthdate'),
  f('Notes', 'Notes', 'description'),
  f('E-mail 1 - Value', 'E-mail 1 - Value', 'email'),
  f('E-mail 1 - Type', 'E-mail 1 - Type', null),
  f('E-mail 2 - Value', 'E-mail 2 - Value', null),
  f('Phone 1 - Value', 'Phone 1 - Value', 'phone'),
  f('Phone 1 - Type', 'Phone 1 - Type', null),
  f('Phone 2 - Value', 'Phone 2 - Value', null, { confidence: 0.7 }),
  f('Organization 1 - Name', 'Organization 1 - Name', 'accountName'),
  f('Organization 1 - Title', 'Organization 1 - Title', 'title'),
  f('Organization 1 - Department', 'Organization 1 - Department', 'department'),
  f('Address 1 - Street', 'Address 1 - Street', 'street'),
  f('Address 1 - City', 'Address 1 - City', 'city'),
  f('Address 1 - Region', 'Address 1 - Region', 'state'),
  f('Address 1 - Postal Code', 'Address 1 - Postal Code', 'postalCode'),
  f('Address 1 - Country', 'Address 1 - Country', 'country'),
  f('Address 1 - Formatted', 'Address 1 - Formatted', null, { confidence: 0.7 }),
  f('Group Membership', 'Group Membership', null),
  f('Website 1 - Value', 'Website 1 - Value', null, { confidence: 0.7 }),
];

const outlook: CatalogueField[] = [
  f('E-mail Address', 'E-mail Address', 'email'),
  f('E-mail 2 Address', 'E-mail 2 Address', null),
  f('E-mail 3 Address', 'E-mail 3 Address', null),
  f('Business Phone', 'Business Phone', 'phone'),
  f('Business Phone 2', 'Business Phone 2', null),
  f('Home Phone', 'Home Phone', null, { confidence: 0.75 }),
  f('Mobile Phone', 'Mobile Phone', 'mobilePhone'),
  f('Business Fax', 'Business Fax', null),
  f('Job Title', 'Job Title', 'title'),
  f('Department', 'Department', 'department'),
  f('Company', 'Company', 'accountName'),
  f('Business Street', 'Business Street', 'street'),
  f('Business City', 'Business City', 'city'),
  f('Business State', 'Business State', 'state'),
  f('Business Postal Code', 'Business Postal Code', 'postalCode'),
  f('Business Country/Region', 'Business Country/Region', 'country'),
  f('Home Street', 'Home Street', null, { confidence: 0.75 }),
  f('Home City', 'Home City', null, { confidence: 0.75 }),
  f('Web Page', 'Web Page', null, { confidence: 0.7 }),
  f('Categories', 'Categories', null),
  f('Assistant\'s Name', 'Assistant\'s Name', null),
  f('Manager\'s Name', 'Manager\'s Name', null),
];

const linkedin: CatalogueField[] = [
  f('Position', 'Position', 'title'),
  f('Connected On', 'Connected On', null),
  f('Email Address', 'Email Address', 'email'),
];

export const csvFieldCatalogue = {
  contacts: [...googleContacts, ...outlook, ...linkedin],
  leads: [
    ...googleContacts.filter((c) => c.target !== 'accountName' && c.target !== 'birthdate' && c.target !== 'department'),
    f('Organization 1 - Name', 'Organization 1 - Name', 'company'),
    ...outlook.filter((c) => c.target !== 'accountName' && c.target !== 'department'),
    f('Company', 'Company', 'company'),
    f('Web Page', 'Web Page', 'website', { confidence: 0.9 }),
    ...linkedin,
  ],
  accounts: [
    f('Company', 'Company', 'name'),
    f('Company Name', 'Company Name', 'name'),
    f('Web Page', 'Web Page', 'website', { confidence: 0.9 }),
    f('Business Phone', 'Business Phone', 'phone'),
    f('Business Street', 'Business Street', 'street'),
    f('Business City', 'Business City', 'city'),
    f('Business State', 'Business State', 'state'),
    f('Business Postal Code', 'Business Postal Code', 'postalCode'),
    f('Business Country/Region', 'Business Country/Region', 'country'),
  ],
  deals: [],
  activities: [],
} satisfies FieldCatalogue;
