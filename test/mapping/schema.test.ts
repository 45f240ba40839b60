import { describe, expect, it } from 'vitest';
import { MAPPING_LIMITS, parseSuggestMappingRequest, parseSuggestValueMappingRequest } from '../../src/core/mapping/index.js';
import { AppError } from '../../src/errors.js';

const valid = { entityType: 'contacts', crmType: 'csv', sourceFields: [{ name: 'Email', samples: ['a@b.com'] }] };

function rejects(body: unknown, message: RegExp): AppError {
  try {
    parseSuggestMappingRequest(body);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(message);
    return err;
  }
  throw new Error('expected a validation error');
}

describe('suggest-mapping request validation', () => {
  it('accepts a valid request and maps crmType to the engine source', () => {
    expect(parseSuggestMappingRequest({ ...valid, crmType: 'hubspot', defaultCountry: 'de' })).toMatchObject({ entityType: 'contacts', source: 'hubspot', defaultCountry: 'DE' });
    for (const crm of ['salesforce', 'hubspot', 'pipedrive', 'zoho', 'monday', 'csv']) expect(() => parseSuggestMappingRequest({ ...valid, crmType: crm })).not.toThrow();
  });
  it('unknown entity type', () => rejects({ ...valid, entityType: 'tickets' }, /entityType must be one of accounts, contacts, leads, deals, activities \(got "tickets"\)/));
  it('unknown crm type', () => rejects({ ...valid, crmType: 'dynamics' }, /crmType must be one of salesforce, hubspot, pipedrive, zoho, monday, csv/));
  it('empty field list', () => rejects({ ...valid, sourceFields: [] }, /sourceFields is empty/));
  it('duplicate source names', () => {
    const err = rejects({ ...valid, sourceFields: [{ name: 'Email' }, { name: 'Phone' }, { name: 'Email' }] }, /Duplicate source field name "Email" \(fields 1 and 3\)/);
    expect(err.details).toMatchObject({ issues: [{ path: 'sourceFields.2.name' }] });
  });
  it('a field without a name, and samples of the wrong type', () => {
    rejects({ ...valid, sourceFields: [{ label: 'x' }] }, /needs a name/);
    rejects({ ...valid, sourceFields: [{ name: 'A', samples: [{ nested: true }] }] }, /sample must be a string, number, boolean or null/);
  });
  it('absurd sizes are rejected with the cap in the message', () => {
    rejects({ ...valid, sourceFields: Array.from({ length: MAPPING_LIMITS.maxFields + 1 }, (_, i) => ({ name: `f${i}` })) }, /at most 2000/);
    rejects({ ...valid, sourceFields: [{ name: 'A', samples: Array.from({ length: 101 }, () => 'x') }] }, /At most 100 samples/);
    rejects({ ...valid, sourceFields: [{ name: 'A', samples: ['x'.repeat(10_001)] }] }, /longer than 10000 characters/);
  });
  it('not an object at all', () => rejects('hello', /./));
});

describe('suggest-value-mapping request validation', () => {
  it('accepts and rejects', () => {
    expect(parseSuggestValueMappingRequest({ entityType: 'deals', targetField: 'status', values: ['won'] })).toEqual({ entityType: 'deals', targetField: 'status', values: ['won'] });
    expect(() => parseSuggestValueMappingRequest({ entityType: 'deals', targetField: 'colour', values: [] })).toThrow(/colour is not a field of deals/);
    expect(() => parseSuggestValueMappingRequest({ entityType: 'deals', targetField: 'status', values: Array.from({ length: 1001 }, () => 'x') })).toThrow(/at most 1000/);
  });
});
