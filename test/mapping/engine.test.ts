import { describe, expect, it } from 'vitest';
import { targetFields } from '../../src/core/canonical-model.js';
import { ENTITY_TYPES, SOURCE_SYSTEMS, type EntityType, type SourceSystem } from '../../src/core/ids.js';
import { FIELD_CATALOGUES, suggestMappingsSync, type MappingSuggestion, type SourceField } from '../../src/core/mapping/index.js';

const run = (entityType: EntityType, source: SourceSystem, sourceFields: SourceField[], extra: object = {}) =>
  suggestMappingsSync({ entityType, source, sourceFields, ...extra }).mappings;
const targets = (ms: MappingSuggestion[]) => Object.fromEntries(ms.map((m) => [m.sourceField, m.targetField]));

describe('catalogues', () => {
  it('every source system has one, and every target exists in the canonical model', () => {
    for (const source of SOURCE_SYSTEMS) {
      for (const entity of ENTITY_TYPES) {
        const valid = new Set(targetFields(entity).map((t) => t.name));
        for (const f of FIELD_CATALOGUES[source][entity] ?? []) if (f.target !== null) expect(valid.has(f.target), `${source}.${entity}.${f.name}`).toBe(true);
      }
    }
  });
});

describe('typical headers of each source', () => {
  it('Salesforce contacts (API names)', () => {
    expect(targets(run('contacts', 'salesforce', ['Id', 'FirstName', 'LastName', 'Email', 'MailingPostalCode', 'AccountId', 'OwnerId', 'HomePhone'].map((name) => ({ name })))))
      .toEqual({ Id: 'externalId', FirstName: 'firstName', LastName: 'lastName', Email: 'email', MailingPostalCode: 'postalCode', AccountId: 'accountExternalId', OwnerId: 'owner', HomePhone: null });
  });
  it('HubSpot deals (properties)', () => {
    const ms = run('deals', 'hubspot', [
      { name: 'dealname' }, { name: 'dealstage', samples: ['appointmentscheduled', 'closedwon'] }, { name: 'closedate', samples: ['2024-03-01T00:00:00Z'] },
      { name: 'hubspot_owner_id' }, { name: 'hs_deal_stage_probability', samples: ['0.2', '0.6'] }, { name: 'hs_analytics_num_visits' },
    ]);
    expect(targets(ms)).toEqual({ dealname: 'name', dealstage: 'stage', closedate: 'closeDate', hubspot_owner_id: 'owner', hs_deal_stage_probability: 'probability', hs_analytics_num_visits: null });
    expect(ms[1]!.transform).toEqual({ kind: 'valueMap', values: { appointmentscheduled: 'Appointment Scheduled', closedwon: 'Closed Won' } });
    expect(ms[2]!.transform).toEqual({ kind: 'parseDate', format: 'ISO', output: 'date' });
    expect(ms[4]!.transform).toEqual({ kind: 'percent', fraction: true });
  });
  it('Pipedrive export headers', () => {
    expect(targets(run('deals', 'csv', ['Deal - Title', 'Deal - Value', 'Deal - Currency', 'Deal - Organization', 'Deal - Status'].map((name) => ({ name })))))
      .toEqual({ 'Deal - Title': 'name', 'Deal - Value': 'amount', 'Deal - Currency': 'currency', 'Deal - Organization': 'accountName', 'Deal - Status': 'status' });
  });
  it('Zoho API names', () => {
    expect(targets(run('deals', 'zoho', ['Deal_Name', 'Closing_Date', 'Stage', 'Account_Name', 'Expected_Revenue'].map((name) => ({ name })))))
      .toEqual({ Deal_Name: 'name', Closing_Date: 'closeDate', Stage: 'stage', Account_Name: 'accountName', Expected_Revenue: null });
  });
  it('monday columns: the title and the column type decide, not the generated id', () => {
    const ms = run('contacts', 'monday', [
      { name: 'phone_1', label: 'Mobile', type: 'phone', samples: ['+1 917 555 0000'] }, { name: 'phone', label: 'Phone', type: 'phone' },
      { name: 'creation_log', label: 'Created', type: 'creation_log' }, { name: 'files', label: 'Files', type: 'file' },
    ]);
    expect(targets(ms)).toEqual({ phone_1: 'mobilePhone', phone: 'phone', creation_log: 'sourceCreatedAt', files: null });
  });
  it('non-English spreadsheet headers', () => {
    expect(targets(run('contacts', 'csv', ['Vorname', 'Nachname', 'Prénom', 'Correo electrónico', 'Telefone', 'Ragione sociale', 'Postleitzahl'].map((name) => ({ name })))))
      .toMatchObject({ Vorname: 'firstName', Nachname: 'lastName', 'Correo electrónico': 'email', Telefone: 'phone', 'Ragione sociale': 'accountName', Postleitzahl: 'postalCode' });
    expect(targets(run('accounts', 'csv', [{ name: 'Bedrijfsnaam' }, { name: 'Omzet' }]))).toEqual({ Bedrijfsnaam: 'name', Omzet: 'annualRevenue' });
  });
});

describe('values decide garbage-named columns', () => {
  it('a "Column 3" full of e-mail addresses is an e-mail', () => {
    const [m] = run('contacts', 'csv', [{ name: 'Column 3', samples: ['jane@acme.com', 'bob@x.io', 'li@corp.cn'] }]);
    expect(m).toMatchObject({ targetField: 'email', transform: { kind: 'lowercaseEmail' } });
    expect(m!.confidence).toBeLessThan(0.9); // values alone are never "confident"
    expect(m!.reason).toMatch(/3 of 3 samples are e-mail addresses/);
  });
  it('account links: ids → accountExternalId, names → accountName', () => {
    expect(run('contacts', 'csv', [{ name: 'Account', samples: ['0015g00000XyZ12AAB', '0015g00000XyZ13AAB'] }])[0]!.targetField).toBe('accountExternalId');
    expect(run('contacts', 'csv', [{ name: 'Account', samples: ['Acme Corp', 'Globex'] }])[0]!.targetField).toBe('accountName');
    expect(run('deals', 'pipedrive', [{ name: 'org_id', samples: ['12', '45'] }])[0]!.targetField).toBe('accountExternalId');
  });
  it('a header that says e-mail over values that are not is demoted', () => {
    const [m] = run('contacts', 'csv', [{ name: 'Email', samples: ['yes', 'no', 'yes'] }]);
    expect(m!.confidence).toBeLessThan(0.6);
  });
  it('unknown fields are not mapped: keep as custom field', () => {
    const [m] = run('contacts', 'csv', [{ name: 'Favourite colour', samples: ['blue'] }]);
    expect(m).toMatchObject({ targetField: null });
    expect(m!.reason).toMatch(/custom field/);
  });
});

describe('one-to-one assignment', () => {
  it('two candidates for one target: the better wins, the loser says why', () => {
    const ms = run('contacts', 'csv', [
      { name: 'Email 2', samples: ['j.private@gmail.com'] },
      { name: 'Email', samples: ['jane@acme.com', 'bob@x.io'] },
    ]);
    expect(ms.map((m) => m.sourceField)).toEqual(['Email 2', 'Email']); // input order
    expect(ms[1]).toMatchObject({ targetField: 'email' });
    expect(ms[0]!.targetField).toBeNull();
    expect(ms[0]!.reason).toBe('`Email 2` also looks like email, but `Email` matched better; keep it as a custom field.');
  });
  it('a near tie lowers the winner\'s confidence and says so', () => {
    const ms = run('contacts', 'csv', [{ name: 'E-mail' }, { name: 'Email' }]);
    const winner = ms.find((m) => m.targetField === 'email')!;
    expect(winner.reason).toMatch(/almost as well/);
    expect(ms.filter((m) => m.targetField === 'email')).toHaveLength(1);
  });
  it('no target is ever assigned twice, even across 2,000 fields', () => {
    const fields = Array.from({ length: 2000 }, (_, i) => ({ name: `${['Email', 'Phone', 'City', 'Name', 'Company'][i % 5]} ${i}`, samples: ['x@y.com', '+1 415 555 0100'] }));
    const ms = run('contacts', 'csv', fields);
    const used = ms.map((m) => m.targetField).filter((t) => t !== null);
    expect(new Set(used).size).toBe(used.length);
  });
});

describe('memory', () => {
  it('prefers what the organization mapped before', () => {
    const ms = run('contacts', 'csv', [{ name: 'Kundennummer' }, { name: 'Email' }, { name: 'Notes' }], {
      memory: { Kundennummer: { targetField: 'externalId' }, Notes: { targetField: null } },
    });
    expect(ms[0]).toMatchObject({ targetField: 'externalId', confidence: 0.99, reason: 'You mapped this before.' });
    expect(ms[2]).toMatchObject({ targetField: null, reason: 'You mapped this before.' });
    expect(ms[1]!.targetField).toBe('email');
  });
  it('a remembered target is reserved; a stale one (not a field of the entity) is ignored', () => {
    const ms = run('contacts', 'csv', [{ name: 'Mail' }, { name: 'Email' }, { name: 'Deal size' }], {
      memory: { Mail: { targetField: 'email', transform: { kind: 'lowercaseEmail' } }, 'Deal size': { targetField: 'amount' } },
    });
    expect(ms[0]).toMatchObject({ targetField: 'email', transform: { kind: 'lowercaseEmail' } });
    expect(ms[1]!.targetField).not.toBe('email');
    expect(ms[2]!.reason).not.toBe('You mapped this before.');
  });
});

describe('transforms suggested from samples', () => {
  it('day-first dates, comma decimals, phone country from the country column, full names', () => {
    const ms = run('contacts', 'csv', [
      { name: 'Name', samples: ['Jane Doe'] },
      { name: 'Geburtsdatum', samples: ['13.04.1980', '01.02.1975'] },
      { name: 'Telefon', samples: ['030 1234567', '089 123456'] },
      { name: 'Land', samples: ['Deutschland', 'Deutschland', 'Österreich'] },
    ]);
    expect(ms[0]!.transform).toEqual({ kind: 'splitFullName' });
    expect(ms[1]!.transform).toEqual({ kind: 'parseDate', format: 'DD.MM.YYYY', output: 'date' });
    expect(ms[2]!.transform).toEqual({ kind: 'phoneE164', defaultCountry: 'DE' });
    expect(ms[3]!.transform).toEqual({ kind: 'country' });
  });
  it('ambiguous day/month order is flagged in the reason', () => {
    const [m] = run('deals', 'csv', [{ name: 'Close Date', samples: ['03/04/2024', '05/06/2024'] }]);
    expect(m!.transform).toEqual({ kind: 'parseDate', format: 'MM/DD/YYYY', output: 'date' });
    expect(m!.reason).toMatch(/read both ways/);
  });
  it('amounts with comma decimals', () => {
    const [m] = run('deals', 'csv', [{ name: 'Betrag', samples: ['1.234,56 €', '99,90 €'] }]);
    expect(m).toMatchObject({ targetField: 'amount', transform: { kind: 'parseNumber', decimal: ',' } });
  });
});
