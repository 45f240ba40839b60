/**
 * Each CRM's export flavour is recognised from its headers (the field catalogues' export headers) and reported
 * with a reason; a generic spreadsheet is `csv`; a file with nothing familiar is null; a file that fits two
 * CRMs equally is not forced onto either.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FIELD_CATALOGUES } from '../../src/core/mapping/catalogues.js';
import { ENTITY_TYPES, type CrmId, type SourceSystem } from '../../src/core/ids.js';
import { inspectCsvFile } from '../../src/import/csv/index.js';
import { csvText, readAll, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.done());

/** Every header, label and API name a CRM's catalogue knows. */
function catalogueWords(crm: CrmId): Set<string> {
  const words = new Set<string>();
  for (const e of ENTITY_TYPES) {
    for (const f of FIELD_CATALOGUES[crm][e] ?? []) {
      words.add(f.name);
      if (f.label) words.add(f.label);
      for (const h of f.headers ?? []) words.add(h);
    }
  }
  return words;
}

interface Export {
  readonly name: string;
  readonly crm: CrmId;
  readonly headers: string[];
  readonly rows: string[][];
  readonly delimiter?: string;
}

const EXPORTS: Export[] = [
  {
    name: 'Salesforce contacts report',
    crm: 'salesforce',
    headers: ['Contact ID', 'Salutation', 'First Name', 'Last Name', 'Title', 'Account Name', 'Mailing Street', 'Mailing City', 'Mailing State/Province', 'Mailing Zip/Postal Code', 'Mailing Country', 'Phone', 'Mobile', 'Email', 'Contact Owner', 'Lead Source', 'Created Date'],
    rows: [
      ['0035g00000AbCdE', 'Ms.', 'Jane', 'Doe', 'VP Sales', 'Acme, Inc.', '1 Market St', 'San Francisco', 'CA', '94105', 'United States', '(415) 555-0100', '', 'jane@acme.com', 'Tom Owner', 'Web', '3/14/2024'],
      ['0035g00000AbCdF', 'Mr.', 'Jürgen', 'Müller', 'CTO', 'Müller GmbH', 'Königsallee 1', 'Düsseldorf', '', '40212', 'Germany', '+49 211 5550', '+49 170 555', 'jm@mueller.de', 'Tom Owner', 'Trade Show', '1/2/2024'],
    ],
  },
  {
    name: 'Salesforce Data Loader extract',
    crm: 'salesforce',
    headers: ['Id', 'AccountId', 'Account.Name', 'FirstName', 'LastName', 'Email', 'Phone', 'MailingCity', 'MailingCountry', 'OwnerId', 'CreatedDate', 'Score__c'],
    rows: [
      ['0035g00000XyZaBAAV', '0015g00000QwErTAAZ', 'Acme', 'Jane', 'Doe', 'jane@acme.com', '415-555-0100', 'San Francisco', 'US', '0055g00000OwNeRAAA', '2024-03-14T10:00:00.000Z', '42'],
      ['0035g00000XyZaCAAV', '0015g00000QwErTAAZ', 'Acme', 'John', 'Roe', 'john@acme.com', '', 'Oakland', 'US', '0055g00000OwNeRAAA', '2024-03-15T10:00:00.000Z', ''],
    ],
  },
  {
    name: 'HubSpot contacts export',
    crm: 'hubspot',
    headers: ['Record ID', 'First Name', 'Last Name', 'Email', 'Phone Number', 'Contact owner', 'Associated Company', 'Lifecycle Stage', 'Lead Status', 'Create Date', 'Last Activity Date', 'Job Title'],
    rows: [
      ['51', 'Maria', 'Johnson', 'maria@example.com', '+1 617 555 0101', 'Sam Seller', 'HubSpot Test Co', 'lead', 'NEW', '2024-01-05 09:12', '', 'Marketing Manager'],
      ['101', 'Brian', 'Halligan', 'bh@example.com', '', 'Sam Seller', '', 'customer', 'CONNECTED', '2023-11-30 17:40', '2024-02-01 10:00', 'CEO'],
    ],
  },
  {
    name: 'HubSpot deals export',
    crm: 'hubspot',
    headers: ['Record ID', 'Deal Name', 'Deal Stage', 'Pipeline', 'Amount', 'Close Date', 'Deal owner', 'Associated Company IDs', 'Associated Contact IDs', 'Create Date'],
    rows: [['9001', 'Acme renewal', 'closedwon', 'Sales Pipeline', '12000', '2024-06-30', 'Sam Seller', '3001', '51;101', '2024-01-10']],
  },
  {
    name: 'Pipedrive people export',
    crm: 'pipedrive',
    headers: ['Person - ID', 'Person - Name', 'Person - Organization', 'Person - Email - Work', 'Person - Phone - Work', 'Person - Owner', 'Person - Labels', 'Person - Person created', 'Person - Open deals'],
    rows: [
      ['17', 'Ana Souza', 'Souza Ltda', 'ana@souza.com.br', '+55 11 5555 0000', 'Paula Pipe', 'Hot lead', '2024-02-02 11:00:00', '2'],
      ['18', 'Ole Hansen', '', 'ole@hansen.dk', '', 'Paula Pipe', '', '2024-02-03 09:30:00', '0'],
    ],
  },
  {
    name: 'Pipedrive deals export',
    crm: 'pipedrive',
    delimiter: ';',
    headers: ['Deal - ID', 'Deal - Title', 'Deal - Value', 'Deal - Currency', 'Deal - Organization', 'Deal - Contact person', 'Deal - Stage', 'Deal - Status', 'Deal - Owner', 'Deal - Expected close date'],
    rows: [['5', 'Souza website', '4500,00', 'BRL', 'Souza Ltda', 'Ana Souza', 'Proposal made', 'open', 'Paula Pipe', '2024-07-01']],
  },
  {
    name: 'Zoho CRM contacts export',
    crm: 'zoho',
    headers: ['Record Id', 'Contact Owner', 'Salutation', 'First Name', 'Last Name', 'Account Name', 'Email', 'Phone', 'Mobile', 'Title', 'Department', 'Mailing Street', 'Mailing City', 'Mailing State', 'Mailing Zip', 'Mailing Country', 'Lead Source', 'Created Time', 'Modified Time'],
    rows: [
      ['zcrm_4876876000000623001', 'Zara Zoho', 'Mrs.', 'Priya', 'Sharma', 'Infosys', 'priya@example.in', '+91 80 5555 0000', '', 'Director', 'IT', 'MG Road 12', 'Bengaluru', 'KA', '560001', 'India', 'Partner', '2024-03-01 10:00:00', '2024-03-02 12:00:00'],
    ],
  },
  {
    name: 'Zoho CRM deals export',
    crm: 'zoho',
    headers: ['Record Id', 'Deal Owner', 'Deal Name', 'Amount', 'Stage', 'Closing Date', 'Account Name', 'Account Name.id', 'Contact Name', 'Contact Name.id', 'Probability (%)', 'Created Time'],
    rows: [['zcrm_4876876000000700001', 'Zara Zoho', 'Infosys renewal', '25000', 'Negotiation', '2024-09-30', 'Infosys', 'zcrm_4876876000000600001', 'Priya Sharma', 'zcrm_4876876000000623001', '60', '2024-03-01 10:00:00']],
  },
];

function fileOf(e: Export): string {
  return csvText([e.headers, ...e.rows], e.delimiter ?? ',', '\r\n');
}

describe('CRM export flavours', () => {
  for (const e of EXPORTS) {
    it(`${e.name} → ${e.crm}`, async () => {
      // The fixture is realistic: nearly all its headers are in that CRM's catalogue.
      const words = catalogueWords(e.crm);
      const known = e.headers.filter((h) => words.has(h) || /^(Person|Deal) - /.test(h) || h.endsWith('__c'));
      expect(known.length / e.headers.length).toBeGreaterThanOrEqual(0.8);

      const path = tmp.file(`${e.crm}-${e.name.replace(/\W+/g, '-')}.csv`, fileOf(e));
      const ins = await inspectCsvFile(path);
      expect(ins.detectedSource).toBe(e.crm);
      expect(ins.detectedReason).toMatch(/export: \d+ of \d+ headers are/);
      expect(ins.headers).toEqual(e.headers);
      expect(ins.rowCount).toBe(e.rows.length);
    });
  }

  it('Salesforce record ids in the values count as evidence, and are named in the reason', async () => {
    const e = EXPORTS[1]!;
    const ins = await inspectCsvFile(tmp.file('sf-ids.csv', fileOf(e)));
    expect(ins.detectedReason).toMatch(/Salesforce record ids in "Id", "AccountId", "OwnerId"/);
  });

  it("Salesforce's report footer (company, copyright, Generated By) is skipped, not read as ragged rows", async () => {
    const e = EXPORTS[0]!;
    const footer = ['', '"Acme, Inc."', '"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."', '"Confidential Information - Do Not Distribute"', '"Generated By:  Jane Doe  3/14/2024 10:00 AM"', '"Acme, Inc."', ''].join('\r\n');
    const path = tmp.file('sf-footer.csv', fileOf(e) + footer);
    const ins = await inspectCsvFile(path);
    expect(ins.rowCount).toBe(e.rows.length);
    expect(ins.warnings).toEqual(['The report footer at the end of the file (5 lines: copyright, "Generated By") was skipped.']);
    expect(ins.detectedReason).toMatch(/a Salesforce report footer/);
    const rows = await readAll(path, ins);
    expect(rows.map((r) => [r.values['Contact ID'], r.error ?? null])).toEqual(e.rows.map((r) => [r[0], null]));
  });

  it('monday.com board export: title line, a group title and header per group, Subitems and Item ID', async () => {
    const header = ['Name', 'Subitems', 'Person', 'Status', 'Date', 'Deal Value', 'Item ID'];
    const text = [
      'Sales Pipeline,,,,,,',
      'Active deals,,,,,,',
      header.join(','),
      'Acme website,,Mia Monday,Working on it,2024-05-01,12000,1234567890',
      'Beta rollout,,Mia Monday,Stuck,2024-05-03,5000,1234567891',
      ',,,,,,',
      'Won deals,,,,,,',
      header.join(','),
      'Gamma CRM,,Leo Monday,Done,2024-04-20,30000,1234567892',
      'Only a name,,,,,,',
      'Delta,,Leo Monday,Done,2024-04-21,100,1234567893',
      '',
    ].join('\r\n');
    const path = tmp.file('monday.csv', text);
    const ins = await inspectCsvFile(path);
    expect(ins.detectedSource).toBe('monday');
    expect(ins.detectedReason).toMatch(/^monday\.com export: .*board layout/);
    expect(ins.headers).toEqual(header);
    expect(ins.rowCount).toBe(5);
    expect(ins.warnings).toEqual([
      'Title lines above the header (lines 1, 2) were skipped.',
      '1 repetition of the header row and 1 group title above them were skipped.',
    ]);
    const rows = await readAll(path, ins);
    expect(rows.map((r) => [r.rowNumber, r.values['Name'], r.line])).toEqual([
      [1, 'Acme website', 4],
      [2, 'Beta rollout', 5],
      [3, 'Gamma CRM', 9],
      [4, 'Only a name', 10],
      [5, 'Delta', 11],
    ]);
  });

  it('a generic spreadsheet (English, German, Google Contacts) is csv', async () => {
    const cases: Array<[string, string]> = [
      ['plain.csv', 'Name,Company,E-mail,Phone,Notes\nAnn Lee,Acme,ann@acme.com,555-0100,met at fair\n'],
      ['german.csv', 'Vorname;Nachname;E-Mail-Adresse;Telefon;Firma;Ort\nJürgen;Müller;jm@x.de;0211 5550;Müller GmbH;Köln\n'],
      ['google.csv', 'Name,Given Name,Family Name,E-mail 1 - Value,Phone 1 - Value,Organization 1 - Name\nAnn Lee,Ann,Lee,ann@x.io,555,Acme\n'],
    ];
    for (const [name, text] of cases) {
      const ins = await inspectCsvFile(tmp.file(name, text));
      expect(ins.detectedSource, name).toBe<SourceSystem>('csv');
      expect(ins.detectedReason, name).toMatch(/^A spreadsheet not exported by a known CRM.*familiar CRM fields/);
    }
  });

  it('a file fitting Salesforce and Zoho CRM alike is not forced onto either', async () => {
    const text = 'First Name,Last Name,Account Name,Mailing Street,Mailing City,Email\nAnn,Lee,Acme,1 Main St,Springfield,ann@acme.com\n';
    const ins = await inspectCsvFile(tmp.file('sf-or-zoho.csv', text));
    expect(ins.detectedSource).toBe('csv');
    expect(ins.detectedReason).toMatch(/resembles (Salesforce and Zoho CRM|Zoho CRM and Salesforce) exports, without a clear winner/);
  });

  it('nothing recognisable is null, with a reason', async () => {
    const ins = await inspectCsvFile(tmp.file('unknown.csv', 'sku,bin,lot\nX-1,A3,7\n'));
    expect(ins.detectedSource).toBeNull();
    expect(ins.detectedReason).toMatch(/^No header is a known CRM export column or a familiar CRM field \("sku", "bin", "lot"\)/);
  });
});
