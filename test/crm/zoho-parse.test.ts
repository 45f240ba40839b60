/**
 * Zoho parsing without I/O: list pages (and malformed ones failing loudly), counts, field metadata, Bulk Read job
 * bodies, CSV rows, record normalisation, cursors, the error table, rate headers, token responses, the
 * accounts-server check, field selection, and the streaming ZIP reader.
 */
import { describe, expect, it } from 'vitest';
import { csvChunks, streamToBuffer, zipSingleFile } from '../../sandbox/common/index.js';
import { CrmError } from '../../src/crm/errors.js';
import { ENTITY_MODULES, type ModuleSpec } from '../../src/crm/zoho/definition.js';
import { classifyError, readRateHeaders } from '../../src/crm/zoho/errors.js';
import { bulkColumns, listFields } from '../../src/crm/zoho/fields.js';
import { accountsHostForApiDomain, parseTokenResponse, tokenHostFromCallback, zohoOAuth } from '../../src/crm/zoho/oauth.js';
import {
  csvRowToRaw, decodeCursor, encodeCursor, normalizeRecord, parseBulkCreated, parseBulkStatus, parseCount, parseFields, parseListPage, type ZohoField,
} from '../../src/crm/zoho/parse.js';
import { zipCsvRows } from '../../src/crm/zoho/zip-stream.js';
import zlib from 'node:zlib';
import { z } from 'zod';

const spec = (m: string): ModuleSpec => Object.values(ENTITY_MODULES).flat().find((s) => s.module === m)!;
const loud = (fn: () => unknown, code = 'MALFORMED_RESPONSE') => {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CrmError);
  expect((err as CrmError).code).toBe(code);
  return err as CrmError;
};

const page = (data: object[], info: object) => JSON.stringify({ data, info: { per_page: 2, count: data.length, page: 1, more_records: false, sort_by: 'id', sort_order: 'desc', ...info } });
const rec = (id: string, more: object = {}) => ({ id, Last_Name: 'X', ...more });

describe('parseListPage', () => {
  it('reads records, more_records and next_page_token; 204 is an empty last page', () => {
    const p = parseListPage(200, page([rec('1'), rec('2')], { more_records: true, next_page_token: 'abc' }), 2, 'GET');
    expect(p.records.map((r) => r.id)).toEqual(['1', '2']);
    expect(p).toMatchObject({ moreRecords: true, nextPageToken: 'abc' });
    expect(parseListPage(204, '', 200, 'GET')).toEqual({ records: [], moreRecords: false, nextPageToken: null });
    expect(parseListPage(200, page([rec('1')], { next_page_token: null }), 2, 'GET').nextPageToken).toBeNull();
  });

  it('fails loudly on a page that does not add up', () => {
    loud(() => parseListPage(200, '{"data":[{"id":"1"}],"info":{"per_page":2,"cou', 2, 'GET')); // truncated
    loud(() => parseListPage(200, '<html>gateway</html>', 2, 'GET'));
    loud(() => parseListPage(200, JSON.stringify({ data: [rec('1')] }), 2, 'GET')); // no info
    loud(() => parseListPage(200, JSON.stringify({ data: [rec('1')], info: { per_page: 2, count: 2, page: 1, more_records: false } }), 2, 'GET')); // count ≠ rows
    loud(() => parseListPage(200, page([rec('1')], { more_records: true, next_page_token: 't' }), 2, 'GET')); // short page claiming more
    loud(() => parseListPage(200, page([], { more_records: true }), 2, 'GET'));
    loud(() => parseListPage(200, page([rec('1'), rec('1')], {}), 2, 'GET')); // duplicate ids
    loud(() => parseListPage(200, page([rec('1'), rec('2'), rec('3')], { per_page: 3 }), 2, 'GET')); // more than asked
    loud(() => parseListPage(200, page([{ Last_Name: 'no id' }], {}), 2, 'GET'));
    loud(() => parseListPage(200, page([rec('12a')], {}), 2, 'GET'));
  });
});

describe('counts, fields and Bulk Read bodies', () => {
  it('parses counts', () => {
    expect(parseCount('{"count":694}', 'count')).toBe(694);
    loud(() => parseCount('{"count":"694"}', 'count'));
    loud(() => parseCount('{}', 'count'));
  });

  it('parses field metadata: custom flag, picklist values, lookup module', () => {
    const fields = parseFields(
      JSON.stringify({
        fields: [
          { api_name: 'Account_Name', field_label: 'Account Name', data_type: 'lookup', custom_field: false, lookup: { module: { api_name: 'Accounts', id: '1' } }, pick_list_values: [] },
          { api_name: 'Customer_Tier', field_label: 'Customer Tier', data_type: 'picklist', custom_field: true, pick_list_values: [{ display_value: 'Gold', actual_value: 'Gold' }, { display_value: 'Silver', actual_value: 'Silver' }] },
          { api_name: 'Email', display_label: 'Email', data_type: 'email' },
        ],
      }),
      'fields',
    );
    expect(fields).toEqual([
      { name: 'Account_Name', label: 'Account Name', type: 'lookup', custom: false, lookupModule: 'Accounts' },
      { name: 'Customer_Tier', label: 'Customer Tier', type: 'picklist', custom: true, values: ['Gold', 'Silver'] },
      { name: 'Email', label: 'Email', type: 'email', custom: false },
    ]);
    loud(() => parseFields('{"fields":[{"field_label":"no api name","data_type":"text"}]}', 'fields'));
  });

  it('parses Bulk Read create and status bodies; COMPLETED needs a result, more_records a token', () => {
    expect(parseBulkCreated(JSON.stringify({ data: [{ status: 'success', code: 'ADDED_SUCCESSFULLY', details: { id: '555', state: 'ADDED' } }], info: {} }))).toBe('555');
    loud(() => parseBulkCreated(JSON.stringify({ data: [{ status: 'error', code: 'INVALID_DATA', details: {} }] })));
    expect(parseBulkStatus(JSON.stringify({ data: [{ id: '5', state: 'IN PROGRESS' }] }))).toEqual({ state: 'IN PROGRESS' });
    const done = { id: '5', state: 'COMPLETED', result: { page: 1, per_page: 200000, count: 3, download_url: '/crm/bulk/v8/read/5/result', more_records: true, next_page_token: 'nt' } };
    expect(parseBulkStatus(JSON.stringify({ data: [done] }))).toEqual({ state: 'COMPLETED', result: { count: 3, downloadUrl: '/crm/bulk/v8/read/5/result', moreRecords: true, nextPageToken: 'nt' } });
    loud(() => parseBulkStatus(JSON.stringify({ data: [{ id: '5', state: 'COMPLETED' }] })));
    loud(() => parseBulkStatus(JSON.stringify({ data: [{ ...done, result: { ...done.result, next_page_token: undefined } }] })));
    loud(() => parseBulkStatus(JSON.stringify({ data: [{ id: '5', state: 'DONE' }] })));
  });
});

describe('normalizeRecord', () => {
  const owner = { name: 'Patricia Boyle', id: '900', email: 'p@x.com' };
  it('contacts: account link, owner, UTC times, fields kept under Zoho names', () => {
    const r = normalizeRecord(spec('Contacts'), { id: '11', Last_Name: 'Lovelace', Account_Name: { name: 'Acme', id: '22' }, Owner: owner, Created_Time: '2024-03-01T10:00:00+05:30', Modified_Time: '2024-05-02T10:14:08+05:30' });
    expect(r).toEqual({
      id: '11',
      fields: { Last_Name: 'Lovelace', Account_Name: { name: 'Acme', id: '22' }, Owner: owner, Created_Time: '2024-03-01T10:00:00+05:30', Modified_Time: '2024-05-02T10:14:08+05:30' },
      links: { account: '22' }, owner: '900', createdAt: '2024-03-01T04:30:00.000Z', updatedAt: '2024-05-02T04:44:08.000Z',
    });
    expect(normalizeRecord(spec('Contacts'), { id: '12', Account_Name: null }).links).toEqual({});
  });

  it('deals: account and contact; tasks/calls/events: What_Id by $se_module, Who_Id; notes: Parent_Id by its module', () => {
    expect(normalizeRecord(spec('Deals'), { id: '1', Account_Name: { id: 'a' }, Contact_Name: { id: 'c', name: 'C' } }).links).toEqual({ account: 'a', contact: 'c' });
    const task = normalizeRecord(spec('Tasks'), { id: '2', What_Id: { id: 'd', name: 'Deal' }, $se_module: 'Deals', Who_Id: { id: 'c' } });
    expect(task).toMatchObject({ links: { deal: 'd', contact: 'c' }, activityType: 'task' });
    expect(normalizeRecord(spec('Calls'), { id: '3', What_Id: { id: 'a' }, $se_module: 'Accounts' })).toMatchObject({ links: { account: 'a' }, activityType: 'call' });
    expect(normalizeRecord(spec('Events'), { id: '4', What_Id: { id: 'x' }, $se_module: 'Campaigns' })).toMatchObject({ links: {}, activityType: 'meeting' });
    expect(normalizeRecord(spec('Notes'), { id: '5', Parent_Id: { id: 'c', name: 'C', module: { api_name: 'Contacts', id: '9' } } })).toMatchObject({ links: { contact: 'c' }, activityType: 'note' });
    expect(normalizeRecord(spec('Leads'), { id: '6', Owner: owner }).links).toEqual({});
  });

  it('refuses a record without a numeric id', () => {
    loud(() => normalizeRecord(spec('Accounts'), { Account_Name: 'x' }));
  });
});

describe('Bulk Read CSV rows', () => {
  const meta: ZohoField[] = [
    { name: 'Last_Name', label: 'Last Name', type: 'text', custom: false },
    { name: 'NPS_Score', label: 'NPS', type: 'integer', custom: true },
    { name: 'Amount', label: 'Amount', type: 'currency', custom: false },
    { name: 'Newsletter_Opt_in', label: 'Newsletter', type: 'boolean', custom: true },
    { name: 'Interested_In', label: 'Interested In', type: 'multiselectpicklist', custom: true },
    { name: 'Account_Name', label: 'Account', type: 'lookup', custom: false, lookupModule: 'Accounts' },
    { name: 'What_Id', label: 'Related To', type: 'lookup', custom: false, lookupModule: 'se_module' },
    { name: 'Owner', label: 'Owner', type: 'ownerlookup', custom: false },
    { name: 'Created_Time', label: 'Created', type: 'datetime', custom: false },
    { name: 'Deals_Subform', label: 'Sub', type: 'subform', custom: false },
  ];

  it('plans columns: id, fields, lookup names, $se_module, owner name and e-mail; no subforms', () => {
    expect(bulkColumns(meta).map((p) => p.column)).toEqual([
      'id', 'Last_Name', 'NPS_Score', 'Amount', 'Newsletter_Opt_in', 'Interested_In', 'Account_Name', 'Account_Name.Account_Name',
      'What_Id', '$se_module', 'Owner', 'Owner.first_name', 'Owner.last_name', 'Owner.email', 'Created_Time',
    ]);
  });

  it('types values like the list API: numbers, booleans, arrays, lookups { id, name }, owner { id, name, email }', () => {
    const plan = bulkColumns(meta);
    const raw = csvRowToRaw(plan, ['7', 'O\'Brien, "Jr"', '9', '1250.5', 'true', 'Analytics;API Access', '22', 'Acme, Inc.', '33', 'Deals', '900', 'Patricia', 'Boyle', 'p@x.com', '2024-03-01T10:00:00+05:30']);
    expect(raw).toEqual({
      id: '7', Last_Name: 'O\'Brien, "Jr"', NPS_Score: 9, Amount: 1250.5, Newsletter_Opt_in: true, Interested_In: ['Analytics', 'API Access'],
      Account_Name: { id: '22', name: 'Acme, Inc.' }, What_Id: { id: '33' }, $se_module: 'Deals', Owner: { id: '900', name: 'Patricia Boyle', email: 'p@x.com' },
      Created_Time: '2024-03-01T10:00:00+05:30',
    });
    const empty = csvRowToRaw(plan, ['8', 'X', '', '', '', '', '', '', '', '', '900', '', '', '', '']);
    expect(empty).toMatchObject({ NPS_Score: null, Amount: null, Newsletter_Opt_in: false, Interested_In: [], Account_Name: null, What_Id: null, $se_module: null });
    expect(normalizeRecord(spec('Tasks'), raw)).toMatchObject({ links: { deal: '33' }, owner: '900', createdAt: '2024-03-01T04:30:00.000Z' });
  });

  it('takes lookup columns in any order; sub-fields of an empty lookup leave it null', () => {
    const plan = bulkColumns(meta.filter((f) => f.name === 'Account_Name' || f.name === 'Owner'));
    const reversed = [...plan].reverse();
    const row = plan.map((p) => ({ id: '5', Account_Name: '22', 'Account_Name.Account_Name': 'Acme', Owner: '900', 'Owner.first_name': 'Ada', 'Owner.last_name': 'L', 'Owner.email': 'a@x' })[p.column] ?? '');
    expect(csvRowToRaw(reversed, [...row].reverse())).toEqual(csvRowToRaw(plan, row));
    expect(csvRowToRaw(plan, row)).toEqual({ id: '5', Account_Name: { id: '22', name: 'Acme' }, Owner: { id: '900', name: 'Ada L', email: 'a@x' } });
    const orphan = plan.map((p) => (p.column === 'Account_Name.Account_Name' ? 'Ghost' : p.column === 'id' ? '6' : ''));
    expect(csvRowToRaw([...plan].reverse(), [...orphan].reverse()).Account_Name).toBeNull();
  });

  it('fails loudly on a row of the wrong width or a non-number in a number column', () => {
    const plan = bulkColumns(meta);
    loud(() => csvRowToRaw(plan, ['1', 'X']));
    loud(() => csvRowToRaw(plan, ['7', 'X', 'nine', '', '', '', '', '', '', '', '', '', '', '', '']));
  });
});

describe('field selection for the list API', () => {
  it('puts owner, times and relationship lookups first, then catalogue, then custom fields; at most 50', () => {
    const meta: ZohoField[] = [
      ...Array.from({ length: 60 }, (_, k) => ({ name: `Extra_${k}`, label: `Extra ${k}`, type: 'text', custom: false })),
      { name: 'Customer_Tier', label: 'Tier', type: 'picklist', custom: true },
      { name: 'Email', label: 'Email', type: 'email', custom: false },
      { name: 'Account_Name', label: 'Account', type: 'lookup', custom: false, lookupModule: 'Accounts' },
      { name: 'Owner', label: 'Owner', type: 'ownerlookup', custom: false },
      { name: 'Modified_Time', label: 'Modified', type: 'datetime', custom: false },
      { name: 'Created_Time', label: 'Created', type: 'datetime', custom: false },
      { name: 'Subform_1', label: 'Sub', type: 'subform', custom: true },
    ];
    const f = listFields('contacts', meta);
    expect(f).toHaveLength(50);
    expect(f.slice(0, 4)).toEqual(['Owner', 'Created_Time', 'Modified_Time', 'Account_Name']);
    expect(f).toContain('Email');
    expect(f).toContain('Customer_Tier');
    expect(f).not.toContain('Subform_1');
    expect(f.indexOf('Customer_Tier')).toBeLessThan(f.indexOf('Extra_0'));
  });
});

describe('cursors', () => {
  it('round-trip, and an unknown cursor is refused', () => {
    const schema = z.object({ m: z.number() });
    expect(decodeCursor(encodeCursor({ m: 2 }), schema, 'cursor')).toEqual({ m: 2 });
    loud(() => decodeCursor('not-base64-json', schema, 'cursor'), 'BAD_CURSOR');
    loud(() => decodeCursor(encodeCursor({ m: 'x' }), schema, 'cursor'), 'BAD_CURSOR');
  });
});

describe('classifyError', () => {
  const h = (o: Record<string, string> = {}) => new Headers(o);
  const body = (code: string, message = 'm') => JSON.stringify({ code, details: {}, message, status: 'error' });
  it.each([
    [401, body('INVALID_TOKEN', 'invalid oauth token'), 'auth_expired', 'INVALID_TOKEN'],
    [401, body('AUTHENTICATION_FAILURE'), 'auth_expired', 'AUTHENTICATION_FAILURE'],
    [401, body('OAUTH_SCOPE_MISMATCH'), 'insufficient_scope', 'OAUTH_SCOPE_MISMATCH'],
    [403, body('NO_PERMISSION'), 'insufficient_scope', 'NO_PERMISSION'],
    [400, body('INVALID_MODULE'), 'not_found', 'INVALID_MODULE'],
    [404, body('INVALID_URL_PATTERN'), 'not_found', 'INVALID_URL_PATTERN'],
    [404, body('RESOURCE_NOT_FOUND'), 'not_found', 'RESOURCE_NOT_FOUND'],
    [400, body('DISCRETE_PAGINATION_LIMIT_EXCEEDED'), 'invalid_request', 'DISCRETE_PAGINATION_LIMIT_EXCEEDED'],
    [400, body('PAGINATION_LIMIT_EXCEEDED'), 'invalid_request', 'PAGINATION_LIMIT_EXCEEDED'],
    [400, body('EXPIRED_VALUE'), 'invalid_request', 'EXPIRED_VALUE'],
    [400, body('REQUIRED_PARAM_MISSING'), 'invalid_request', 'REQUIRED_PARAM_MISSING'],
    [429, body('TOO_MANY_REQUESTS', 'The number of concurrent API requests has exceeded the concurrency limit'), 'rate_limited', 'TOO_MANY_REQUESTS'],
    [429, body('TOO_MANY_REQUESTS', 'API credit limit reached for the rolling 24-hour window'), 'quota_exhausted', 'TOO_MANY_REQUESTS'],
    [400, body('LIMIT_REACHED', 'API calls limit reached for the day'), 'quota_exhausted', 'LIMIT_REACHED'],
    [500, body('INTERNAL_ERROR'), 'temporary', 'INTERNAL_ERROR'],
    [502, '<html>Bad Gateway</html>', 'temporary', undefined],
    [503, '', 'temporary', undefined],
  ])('%i %s → %s', (status, text, kind, code) => {
    const c = classifyError(status, h(), text);
    expect(c.kind).toBe(kind);
    expect(c.code).toBe(code);
  });

  it('reads Retry-After; a quota without a date is looked at again in an hour', () => {
    expect(classifyError(429, h({ 'retry-after': '3' }), body('TOO_MANY_REQUESTS', 'concurrency')).retryAfterMs).toBe(3000);
    expect(classifyError(429, h(), body('TOO_MANY_REQUESTS', 'API credit limit reached')).retryAfterMs).toBe(3_600_000);
    expect(classifyError(429, h(), body('TOO_MANY_REQUESTS', 'concurrency')).retryAfterMs).toBeUndefined();
  });

  it('no rate-limit headers to read', () => {
    expect(readRateHeaders(h({ 'x-ratelimit-remaining': '5' }))).toEqual([]);
  });
});

describe('OAuth hooks', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  const hosts = { authorize: 'https://accounts.zoho.com', token: 'https://accounts.zoho.com' };
  it('parses the token response: api_domain, expiry, scopes; a refresh keeps what it omits', () => {
    const t = parseTokenResponse({ access_token: '1000.a', refresh_token: '1000.r', scope: 'ZohoCRM.modules.ALL ZohoCRM.users.READ', api_domain: 'https://www.zohoapis.eu', token_type: 'Bearer', expires_in: 3600 }, { now, hosts });
    expect(t).toEqual({ accessToken: '1000.a', refreshToken: '1000.r', expiresAt: new Date('2025-06-01T01:00:00Z'), instanceUrl: 'https://www.zohoapis.eu', scopes: ['ZohoCRM.modules.ALL', 'ZohoCRM.users.READ'] });
    const r = parseTokenResponse({ access_token: '1000.b', token_type: 'Bearer', expires_in: 3600 }, { now, hosts, previous: { instanceUrl: 'https://www.zohoapis.in', scopes: ['x'] } });
    expect(r).toEqual({ accessToken: '1000.b', expiresAt: new Date('2025-06-01T01:00:00Z'), instanceUrl: 'https://www.zohoapis.in', scopes: ['x'] });
    // Legacy: expires_in in ms and expires_in_sec in seconds.
    expect(parseTokenResponse({ access_token: 'c', api_domain: 'https://www.zohoapis.com', expires_in: 3_600_000, expires_in_sec: 3600 }, { now, hosts }).expiresAt).toEqual(new Date('2025-06-01T01:00:00Z'));
  });

  it('throws on Zoho\'s HTTP-200 error bodies and on responses without a token', () => {
    expect(() => parseTokenResponse({ error: 'invalid_code' }, { now, hosts })).toThrow(/invalid_code/);
    expect(() => parseTokenResponse({ token_type: 'Bearer' }, { now, hosts })).toThrow(/malformed/);
    expect(() => parseTokenResponse({ access_token: 'x' }, { now, hosts })).toThrow(/api_domain/);
  });

  it('exchanges at the callback\'s accounts-server only when it is a trusted Zoho accounts host', () => {
    const trusted = zohoOAuth.trustedTokenHosts!;
    expect(tokenHostFromCallback({ code: 'c', 'accounts-server': 'https://accounts.zoho.eu' }, hosts, trusted)).toBe('https://accounts.zoho.eu');
    expect(tokenHostFromCallback({ code: 'c', 'accounts-server': 'https://ACCOUNTS.zohocloud.ca/' }, hosts, trusted)).toBe('https://accounts.zohocloud.ca');
    expect(tokenHostFromCallback({ code: 'c' }, hosts, trusted)).toBe('https://accounts.zoho.com');
    expect(() => tokenHostFromCallback({ code: 'c', 'accounts-server': 'https://accounts.zoho.eu.evil.example' }, hosts, trusted)).toThrow(/not a trusted/);
    expect(() => tokenHostFromCallback({ code: 'c', 'accounts-server': 'http://accounts.zoho.eu' }, hosts, trusted)).toThrow(/not a trusted/);
    expect(() => tokenHostFromCallback({ code: 'c', 'accounts-server': 'not a url' }, hosts, trusted)).toThrow();
    expect(tokenHostFromCallback({ code: 'c', 'accounts-server': 'http://127.0.0.1:4010' }, hosts, ['http://127.0.0.1:4010'])).toBe('http://127.0.0.1:4010');
  });

  it('finds the accounts host of an API domain\'s data centre', () => {
    expect(accountsHostForApiDomain('https://www.zohoapis.eu', 'x')).toBe('https://accounts.zoho.eu');
    expect(accountsHostForApiDomain('https://www.zohoapis.com.au', 'x')).toBe('https://accounts.zoho.com.au');
    expect(accountsHostForApiDomain('https://www.zohoapis.ca', 'x')).toBe('https://accounts.zohocloud.ca');
    expect(accountsHostForApiDomain('https://sandbox.zohoapis.com', 'x')).toBe('https://accounts.zoho.com');
    expect(accountsHostForApiDomain('http://127.0.0.1:4010', 'http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010');
  });
});

describe('the streaming ZIP reader', () => {
  const csv = ['id,Last_Name\r\n', '1,"Comma, ""Quoted"""\r\n', '2,Zoë 🚀\r\n'];
  const bodyOf = (buf: Buffer, chunk = 7) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < buf.length; i += chunk) c.enqueue(buf.subarray(i, i + chunk));
        c.close();
      },
    });
  const rows = async (buf: Buffer) => {
    const out: string[][] = [];
    for await (const r of zipCsvRows(bodyOf(buf))) out.push(r);
    return out;
  };

  it('reads the CSV of a single-entry ZIP fed in tiny chunks', async () => {
    const zip = await streamToBuffer(zipSingleFile('42.csv', csv));
    expect(await rows(zip)).toEqual([['id', 'Last_Name'], ['1', 'Comma, "Quoted"'], ['2', 'Zoë 🚀']]);
  });

  it('reads a ZIP whose local header carries the sizes (no data descriptor), deflated or stored', async () => {
    const data = Buffer.from(csv.join(''));
    for (const method of [8, 0]) {
      const body = method === 8 ? zlib.deflateRawSync(data) : data;
      const name = Buffer.from('77.csv');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(method, 8);
      local.writeUInt32LE(zlib.crc32(data) >>> 0, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(name.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      const zip = Buffer.concat([local, name, body, central, name]);
      expect(await rows(zip)).toEqual([['id', 'Last_Name'], ['1', 'Comma, "Quoted"'], ['2', 'Zoë 🚀']]);
      const wrongCrc = Buffer.from(zip);
      wrongCrc.writeUInt32LE(1, 14);
      await expect(rows(wrongCrc)).rejects.toBeInstanceOf(CrmError);
    }
  });

  it('fails on a ZIP cut short, a corrupted byte, or a non-CSV entry', async () => {
    const zip = await streamToBuffer(zipSingleFile('42.csv', csvChunks(['id'], Array.from({ length: 5_000 }, (_, k) => [k]))));
    await expect(rows(zip.subarray(0, Math.floor(zip.length / 2)))).rejects.toBeInstanceOf(CrmError);
    await expect(rows(zip.subarray(0, 20))).rejects.toBeInstanceOf(CrmError);
    const corrupt = Buffer.from(zip);
    corrupt[60] = (corrupt[60] as number) ^ 0xff;
    await expect(rows(corrupt)).rejects.toThrow();
    await expect(rows(await streamToBuffer(zipSingleFile('42.txt', ['x'])))).rejects.toBeInstanceOf(CrmError);
    await expect(rows(Buffer.from('PK not really a zip file at all, no'))).rejects.toBeInstanceOf(CrmError);
  });
});
