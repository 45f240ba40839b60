/** User (record owners: the world's 8 owners) and Organization (one row; IsSandbox from `--option sandboxOrg=true`). */
import type { WorldOwner } from '../common/index.js';
import { KEY_PREFIX, ORG_ID, sfDateTime, sfId } from './ids.js';
import { fld, type ObjectSpec } from './schema.js';

const CREATED = Date.UTC(2017, 6, 3, 9, 30);

export const USER: ObjectSpec<WorldOwner> = {
  name: 'User', label: 'User', labelPlural: 'Users', keyPrefix: KEY_PREFIX.User, bulk: true,
  fields: [
    fld('Id', 'User ID', 'id', (r) => sfId(KEY_PREFIX.User, r.wi)),
    fld('Username', 'Username', 'string', (r) => r.rec.email.replace('@sandbox-owner.example', '@acme-sandbox.example')),
    fld('FirstName', 'First Name', 'string', (r) => r.rec.firstName),
    fld('LastName', 'Last Name', 'string', (r) => r.rec.lastName),
    fld('Name', 'Full Name', 'string', (r) => r.rec.name),
    fld('Email', 'Email', 'email', (r) => r.rec.email),
    fld('Title', 'Title', 'string', (r) => r.rec.title),
    fld('IsActive', 'Active', 'boolean', (r) => r.rec.active),
    fld('TimeZoneSidKey', 'Time Zone', 'picklist', (r) => r.rec.timeZone),
    fld('CreatedDate', 'Created Date', 'datetime', () => sfDateTime(CREATED)),
    fld('LastModifiedDate', 'Last Modified Date', 'datetime', () => sfDateTime(CREATED)),
    fld('SystemModstamp', 'System Modstamp', 'datetime', () => sfDateTime(CREATED)),
  ],
};

export interface OrgRecord {
  readonly isSandbox: boolean;
}

export const ORGANIZATION: ObjectSpec<OrgRecord> = {
  name: 'Organization', label: 'Organization', labelPlural: 'Organizations', keyPrefix: KEY_PREFIX.Organization, bulk: false,
  fields: [
    fld('Id', 'Organization ID', 'id', () => ORG_ID),
    fld('Name', 'Name', 'string', () => 'Acme Sandbox Org'),
    fld('OrganizationType', 'Edition', 'picklist', () => 'Enterprise Edition'),
    fld('IsSandbox', 'Is Sandbox', 'boolean', (r) => r.rec.isSandbox),
    fld('InstanceName', 'Instance Name', 'string', () => 'SB0'),
    fld('LanguageLocaleKey', 'Locale', 'picklist', () => 'en_US'),
    fld('CreatedDate', 'Created Date', 'datetime', () => sfDateTime(CREATED)),
    fld('SystemModstamp', 'System Modstamp', 'datetime', () => sfDateTime(CREATED)),
  ],
};
