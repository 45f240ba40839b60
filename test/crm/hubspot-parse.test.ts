/** HubSpot's pure parts against canned responses: parsing (and loud failure on bad shapes), the error table, rate headers, token responses. */
import { describe, expect, it } from 'vitest';
import { isCrmError } from '../../src/crm/errors.js';
import { classifyError, nextMidnightUtc, readRateHeaders } from '../../src/crm/hubspot/errors.js';
import { parseTokenResponse } from '../../src/crm/hubspot/oauth.js';
import {
  decodeCursor, encodeCursor, exportRowReader, parseBatchRead, parseExportStatus, parseListPage, parseProperties, parseSearchPage, parseV4Links,
} from '../../src/crm/hubspot/parse.js';

const contact = {
  id: '512',
  properties: { email: 'ada@acme.com', firstname: 'Ada', hubspot_owner_id: '52550153', lastmodifieddate: '2024-05-02T10:14:08.123Z', phone: null },
  createdAt: '2024-03-01T09:00:00.000Z', updatedAt: '2024-05-02T10:14:08.123Z', archived: false,
  associations: { companies: { results: [{ id: '9001', type: 'contact_to_company_unlabeled' }, { id: '9001', type: 'contact_to_company' }] } },
};

const thrownBy = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
};

describe('parseListPage', () => {
  it('normalises a record: fields, primary link, owner, ISO times; and the next cursor', () => {
    const page = parseListPage('contacts', { results: [contact], paging: { next: { after: 'NTEzCg==', link: 'x' } } });
    expect(page.after).toBe('NTEzCg==');
    expect(page.records[0]).toEqual({
      id: '512', fields: contact.properties, links: { account: '9001' }, owner: '52550153',
      createdAt: '2024-03-01T09:00:00.000Z', updatedAt: '2024-05-02T10:14:08.123Z',
    });
    expect(parseListPage('contacts', { results: [] }).after).toBeNull();
  });

  it('prefixes engagement ids with their object and sets the activity type and all three links', () => {
    const note = { ...contact, id: '7', associations: { contacts: { results: [{ id: '1', type: 'note_to_contact' }] }, deals: { results: [{ id: '3', type: 'note_to_deal' }] }, companies: { results: [{ id: '2', type: 'note_to_company' }] } } };
    expect(parseListPage('notes', { results: [note] }).records[0]).toMatchObject({ id: 'notes:7', activityType: 'note', links: { contact: '1', deal: '3', account: '2' } });
  });

  it.each([
    ['no results array', { paging: {} }],
    ['a record without id', { results: [{ ...contact, id: undefined }] }],
    ['a non-numeric id', { results: [{ ...contact, id: 'abc' }] }],
    ['a number where a string belongs', { results: [{ ...contact, properties: { email: 5 } }] }],
    ['an empty page that promises more', { results: [], paging: { next: { after: 'x' } } }],
    ['a cursor that is empty', { results: [contact], paging: { next: { after: '' } } }],
  ])('fails loudly (temporary, MALFORMED_RESPONSE) on %s', (_what, body) => {
    const err = thrownBy(() => parseListPage('contacts', body));
    expect(isCrmError(err)).toBe(true);
    expect(err).toMatchObject({ kind: 'temporary', code: 'MALFORMED_RESPONSE' });
  });
});

describe('other parsers', () => {
  it('reads search totals and property metadata (custom = not hubspotDefined)', () => {
    expect(parseSearchPage('contacts', { total: 12345, results: [contact] }).total).toBe(12345);
    expect(() => parseSearchPage('contacts', { results: [] })).toThrow();
    const fields = parseProperties('companies', { results: [
      { name: 'name', label: 'Company name', type: 'string', fieldType: 'text', hubspotDefined: true, options: [] },
      { name: 'customer_tier', label: 'Customer Tier', type: 'enumeration', options: [{ value: 'Gold', label: 'Gold' }, { value: 'Old', label: 'Old', hidden: true }] },
    ] });
    expect(fields).toEqual([
      { name: 'name', label: 'Company name', type: 'string', custom: false },
      { name: 'customer_tier', label: 'Customer Tier', type: 'enumeration', custom: true, values: ['Gold'] },
    ]);
  });

  it('reads export task states and refuses a COMPLETE without a URL or an unknown state', () => {
    expect(parseExportStatus({ status: 'PROCESSING' })).toEqual({ status: 'PROCESSING' });
    expect(parseExportStatus({ status: 'COMPLETE', result: 'https://x.example/e.csv?sig=1' })).toEqual({ status: 'COMPLETE', result: 'https://x.example/e.csv?sig=1' });
    expect(parseExportStatus({ status: 'CANCELED' }).status).toBe('CANCELED');
    expect(thrownBy(() => parseExportStatus({ status: 'COMPLETE' }))).toMatchObject({ kind: 'temporary', code: 'MALFORMED_RESPONSE' });
    expect(thrownBy(() => parseExportStatus({ status: 'WEIRD' }))).toMatchObject({ kind: 'temporary', code: 'MALFORMED_RESPONSE' });
  });

  it('turns export rows into records, ids and association columns included, and rejects bad rows', () => {
    const read = exportRowReader('deals', ['hs_object_id', 'dealname', 'createdate', 'hs_lastmodifieddate', 'hubspot_owner_id', 'Associated Company IDs', 'Associated Contact IDs']);
    expect(read(['42', 'Big deal', '2024-01-01T00:00:00.000Z', '1704067200000', '7', '5;6', ''])).toEqual({
      id: '42', fields: { hs_object_id: '42', dealname: 'Big deal', createdate: '2024-01-01T00:00:00.000Z', hs_lastmodifieddate: '1704067200000', hubspot_owner_id: '7' },
      links: { account: '5' }, owner: '7', createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z',
    });
    expect(thrownBy(() => read(['42', 'short row']))).toMatchObject({ code: 'MALFORMED_RESPONSE' });
    expect(thrownBy(() => read(['x', '', '', '', '', '', '']))).toMatchObject({ code: 'MALFORMED_RESPONSE' });
    expect(thrownBy(() => exportRowReader('deals', ['dealname']))).toMatchObject({ code: 'MALFORMED_RESPONSE' });
  });

  it('reads batch reads (207 included) by source id and v4 links (the Primary label wins)', () => {
    const batch = parseBatchRead('notes', { status: 'COMPLETE', results: [{ ...contact, id: '9' }], numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND' }] });
    expect([...batch.keys()]).toEqual(['notes:9']);
    const links = parseV4Links({ results: [{ from: { id: '1' }, to: [{ toObjectId: 7, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 279, label: null }] }, { toObjectId: 8, associationTypes: [{ typeId: 1, label: 'Primary' }] }] }] });
    expect(links.get('1')).toBe('8');
    expect(thrownBy(() => parseV4Links({ results: [{ from: {}, to: [] }] }))).toMatchObject({ code: 'MALFORMED_RESPONSE' });
  });

  it('round-trips cursors and rejects foreign ones', () => {
    expect(decodeCursor(encodeCursor({ o: 2, a: 'NTEzCg==' }))).toEqual({ o: 2, a: 'NTEzCg==' });
    expect(thrownBy(() => decodeCursor('garbage'))).toMatchObject({ kind: 'invalid_request', code: 'BAD_CURSOR' });
  });
});

describe('classifyError', () => {
  const h = (o: Record<string, string> = {}) => new Headers(o);
  const body = (o: object) => JSON.stringify({ status: 'error', correlationId: 'c', ...o });
  const now = new Date('2025-03-10T15:00:00Z');
  it.each([
    [401, body({ category: 'EXPIRED_AUTHENTICATION', message: 'The OAuth token used to make this call expired 5 minute(s) ago.' }), { kind: 'auth_expired', code: 'EXPIRED_AUTHENTICATION' }],
    [401, body({ category: 'INVALID_AUTHENTICATION' }), { kind: 'auth_expired', code: 'INVALID_AUTHENTICATION' }],
    [403, body({ category: 'MISSING_SCOPES' }), { kind: 'insufficient_scope', code: 'MISSING_SCOPES' }],
    [404, body({ category: 'OBJECT_NOT_FOUND' }), { kind: 'not_found', code: 'OBJECT_NOT_FOUND' }],
    [400, body({ category: 'VALIDATION_ERROR', message: 'bad' }), { kind: 'invalid_request', code: 'VALIDATION_ERROR', detail: 'bad' }],
    [400, JSON.stringify({ status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' }), { kind: 'auth_revoked', code: 'BAD_REFRESH_TOKEN' }],
    [429, JSON.stringify({ status: 'error', policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' }), { kind: 'rate_limited', code: 'TEN_SECONDLY_ROLLING' }],
    [429, JSON.stringify({ status: 'error', policyName: 'SECONDLY', message: 'You have reached your secondly limit.' }), { kind: 'rate_limited', retryAfterMs: 1_000 }],
    [429, JSON.stringify({ status: 'error', policyName: 'DAILY' }), { kind: 'quota_exhausted', code: 'DAILY', resetAt: new Date('2025-03-11T00:00:00Z') }],
    [500, body({ category: 'INTERNAL_ERROR' }), { kind: 'temporary' }],
    [502, '<html>Bad gateway</html>', { kind: 'temporary' }],
    [477, body({ message: 'Migration in progress' }), { kind: 'temporary' }],
    [418, '', { kind: 'unknown' }],
  ])('%i %s', (status, text, expected) => {
    expect(classifyError(status, h(), text, now)).toMatchObject(expected);
  });

  it('reads Retry-After on a 429 and a 503', () => {
    expect(classifyError(429, h({ 'retry-after': '3' }), '{}', now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3_000 });
    expect(classifyError(503, h({ 'retry-after': '2' }), '', now)).toMatchObject({ kind: 'temporary', retryAfterMs: 2_000 });
    expect(nextMidnightUtc(new Date('2025-12-31T23:59:59Z')).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('readRateHeaders', () => {
  it('reads the burst window, and the daily pair when present', () => {
    expect(readRateHeaders(new Headers({ 'x-hubspot-ratelimit-max': '190', 'x-hubspot-ratelimit-remaining': '187', 'x-hubspot-ratelimit-interval-milliseconds': '10000' })))
      .toEqual([{ window: 'burst', remaining: 187, limit: 190 }]);
    expect(readRateHeaders(new Headers({ 'x-hubspot-ratelimit-daily': '625000', 'x-hubspot-ratelimit-daily-remaining': '600000' }))).toEqual([{ window: 'daily', remaining: 600_000, limit: 625_000 }]);
    expect(readRateHeaders(new Headers())).toEqual([]);
  });
});

describe('parseTokenResponse', () => {
  const ctx = { now: new Date('2025-01-01T00:00:00Z'), hosts: { authorize: 'https://app.hubspot.com', token: 'https://api.hubapi.com', api: 'https://api.hubapi.com' } };
  it('reads the v1/v3 snake_case response, the fixed API host and the 30-minute lifetime', () => {
    const t = parseTokenResponse({ access_token: 'CN2zl', refresh_token: '6f18f21e', expires_in: 1800, token_type: 'bearer', hub_id: 62515 }, ctx);
    expect(t).toMatchObject({ accessToken: 'CN2zl', refreshToken: '6f18f21e', instanceUrl: 'https://api.hubapi.com', extra: { hubId: '62515' } });
    expect(t.expiresAt!.toISOString()).toBe('2025-01-01T00:30:00.000Z');
    expect(t.scopes).toContain('crm.objects.contacts.read');
  });
  it('accepts the camelCase schema of the newer reference pages and keeps previous scopes on refresh', () => {
    const t = parseTokenResponse({ accessToken: 'a', expiresIn: 60, tokenType: 'bearer' }, { ...ctx, previous: { instanceUrl: 'x', scopes: ['oauth'] } });
    expect(t).toMatchObject({ accessToken: 'a', scopes: ['oauth'] });
    expect(t.refreshToken).toBeUndefined();
  });
  it('throws on a response without a usable token', () => {
    expect(() => parseTokenResponse({ token_type: 'bearer' }, ctx)).toThrow(/no access_token/);
    expect(() => parseTokenResponse({ access_token: 5 }, ctx)).toThrow(/expected shape/);
  });
});
