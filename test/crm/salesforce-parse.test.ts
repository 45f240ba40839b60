/** Salesforce parsing against canned responses: query pages, counts, describe, CSV rows, job info, errors, tokens. */
import { describe, expect, it } from 'vitest';
import { CrmError } from '../../src/crm/errors.js';
import { classifyError, readRateHeaders, QUOTA_PAUSE_MS } from '../../src/crm/salesforce/errors.js';
import { parseTokenResponse } from '../../src/crm/salesforce/oauth.js';
import {
  csvRowToRecord, flattenRecord, parseCount, parseDescribe, parseJobInfo, parseQueryPage, parseResultHeaders, toIso, typedCsvValue,
} from '../../src/crm/salesforce/parse.js';
import { decodeCursor, decodeResume, encodeCursor } from '../../src/crm/salesforce/cursor.js';

const CONTACT = {
  attributes: { type: 'Contact', url: '/services/data/v62.0/sobjects/Contact/003D000000QV9n2IAD' },
  Id: '003D000000QV9n2IAD', FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@acme.com',
  AccountId: '001D000000IqhSLIAZ', Account: { attributes: { type: 'Account', url: '/services/data/v62.0/sobjects/Account/001D000000IqhSLIAZ' }, Name: 'Acme' },
  OwnerId: '005D0000001QX8WIAW', CreatedDate: '2024-03-01T09:00:00.000+0000', LastModifiedDate: '2024-05-02T10:14:08.000+0000',
  SystemModstamp: '2024-05-02T10:14:08.000+0000', IsDeleted: false,
};

const loud = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).kind).toBe('temporary');
    return (err as CrmError).code;
  }
  throw new Error('expected a loud failure');
};

describe('Salesforce parse: query pages', () => {
  it('turns a REST page into SourceRecords with links, owner, ISO timestamps and flattened parents', () => {
    const page = parseQueryPage('Contact', { totalSize: 3, done: false, nextRecordsUrl: '/services/data/v62.0/query/01gD0000002HU6KIAW-2000', records: [CONTACT] });
    expect(page).toMatchObject({ totalSize: 3, done: false, next: '/services/data/v62.0/query/01gD0000002HU6KIAW-2000' });
    expect(page.records[0]).toEqual({
      id: '003D000000QV9n2IAD',
      fields: expect.objectContaining({ Email: 'ada@acme.com', 'Account.Name': 'Acme', AccountId: '001D000000IqhSLIAZ' }),
      links: { account: '001D000000IqhSLIAZ' },
      owner: '005D0000001QX8WIAW',
      createdAt: '2024-03-01T09:00:00.000Z',
      updatedAt: '2024-05-02T10:14:08.000Z',
    });
    expect(page.records[0]!.fields).not.toHaveProperty('attributes');
    expect(page.records[0]!.fields).not.toHaveProperty('Account');
  });

  it('links activities by WhoId/WhatId/ParentId key prefixes and types them', () => {
    const task = (extra: Record<string, unknown>) => ({ attributes: { type: 'Task' }, Id: '00T5g0000000001AAA', ...extra });
    const p = parseQueryPage('Task', { totalSize: 2, done: true, records: [
      task({ WhoId: '0035g0000000001AAA', WhatId: '0065g0000000002AAA', AccountId: '0015g0000000003AAA', TaskSubtype: 'Call' }),
      task({ Id: '00T5g0000000002AAA', WhoId: '00Q5g0000000001AAA', WhatId: '0015g0000000004AAA', AccountId: null, TaskSubtype: 'Email' }),
    ] });
    expect(p.records[0]).toMatchObject({ links: { contact: '0035g0000000001AAA', deal: '0065g0000000002AAA', account: '0015g0000000003AAA' }, activityType: 'call' });
    expect(p.records[1]).toMatchObject({ links: { account: '0015g0000000004AAA' }, activityType: 'email' });
    const ev = parseQueryPage('Event', { totalSize: 1, done: true, records: [{ attributes: { type: 'Event' }, Id: '00U5g0000000001AAA' }] });
    expect(ev.records[0]!.activityType).toBe('meeting');
    const note = parseQueryPage('Note', { totalSize: 1, done: true, records: [{ attributes: { type: 'Note' }, Id: '0025g0000000001AAA', ParentId: '0035g0000000009AAA' }] });
    expect(note.records[0]).toMatchObject({ activityType: 'note', links: { contact: '0035g0000000009AAA' } });
  });

  it('fails loudly on pages that do not add up', () => {
    expect(loud(() => parseQueryPage('Contact', { totalSize: 5, done: false, records: [CONTACT] }))).toBe('MALFORMED_RESPONSE');
    loud(() => parseQueryPage('Contact', { totalSize: 5, done: false, nextRecordsUrl: '/x', records: [] }));
    loud(() => parseQueryPage('Contact', { totalSize: 0, done: true, records: [CONTACT] }));
    loud(() => parseQueryPage('Contact', { totalSize: 1, done: true, records: [{ ...CONTACT, Id: 42 }] }));
    loud(() => parseQueryPage('Contact', { totalSize: 1, done: true, records: [{ Id: CONTACT.Id }] }));
    loud(() => parseQueryPage('Account', { totalSize: 1, done: true, records: [CONTACT] }));
    loud(() => parseQueryPage('Contact', { done: true, records: [] }));
    loud(() => parseQueryPage('Contact', [{ errorCode: 'INVALID_FIELD', message: 'x' }]));
  });

  it('reads COUNT() results and refuses anything else', () => {
    expect(parseCount({ totalSize: 1234, done: true, records: [] })).toBe(1234);
    loud(() => parseCount({ totalSize: 1, done: true, records: [CONTACT] }));
    loud(() => parseCount({ done: true, records: [] }));
  });

  it('flattens only parent objects, and parses both timestamp forms', () => {
    expect(flattenRecord({ attributes: {}, A: 1, Owner: null, What: { attributes: { type: 'Account' }, Name: 'X', Type: 'Account' } })).toEqual({ A: 1, Owner: null, 'What.Name': 'X', 'What.Type': 'Account' });
    expect(toIso('2013-05-20T20:49:32.000+0000')).toBe('2013-05-20T20:49:32.000Z');
    expect(toIso('2013-05-20T20:49:32.000Z')).toBe('2013-05-20T20:49:32.000Z');
    expect(toIso('2013-05-20T22:49:32.000+0200')).toBe('2013-05-20T20:49:32.000Z');
    expect(toIso('')).toBeUndefined();
  });
});

describe('Salesforce parse: describe, CSV, jobs', () => {
  const describeJson = {
    name: 'Contact',
    fields: [
      { name: 'Id', label: 'Contact ID', type: 'id', custom: false },
      { name: 'AccountId', label: 'Account ID', type: 'reference', custom: false, relationshipName: 'Account', referenceTo: ['Account'] },
      { name: 'MailingAddress', label: 'Mailing Address', type: 'address', custom: false },
      { name: 'IsDeleted', label: 'Deleted', type: 'boolean', custom: false },
      { name: 'NPS_Score__c', label: 'NPS Score', type: 'double', custom: true },
      { name: 'Tier__c', label: 'Tier', type: 'picklist', custom: true, picklistValues: [{ value: 'Gold', active: true }, { value: 'Old', active: false }] },
      { name: 'CreatedDate', label: 'Created Date', type: 'datetime', custom: false },
    ],
  };

  it('lists fields with custom flags and picklist values, and selects what Bulk API 2.0 can return', () => {
    const d = parseDescribe(describeJson);
    expect(d.fields.find((f) => f.name === 'Tier__c')).toEqual({ name: 'Tier__c', label: 'Tier', type: 'picklist', custom: true, values: ['Gold'] });
    expect(d.select).toEqual(['Id', 'AccountId', 'IsDeleted', 'NPS_Score__c', 'Tier__c', 'CreatedDate', 'Account.Name']);
    loud(() => parseDescribe({ name: 'Contact', fields: [] }));
    loud(() => parseDescribe({ fields: [{ name: 'Id' }] }));
  });

  it('types CSV values like REST and builds records; fails loudly on rows that do not fit', () => {
    const d = parseDescribe(describeJson);
    const header = ['Id', 'AccountId', 'IsDeleted', 'NPS_Score__c', 'CreatedDate', 'Account.Name'];
    const rec = csvRowToRecord('Contact', header, ['0035g0000000001AAA', '', 'false', '9.5', '2024-01-02T03:04:05.000Z', 'Acme, Inc.'], d.types);
    expect(rec).toMatchObject({
      id: '0035g0000000001AAA',
      fields: { AccountId: null, IsDeleted: false, NPS_Score__c: 9.5, CreatedDate: '2024-01-02T03:04:05.000+0000', 'Account.Name': 'Acme, Inc.' },
      links: {},
      createdAt: '2024-01-02T03:04:05.000Z',
    });
    loud(() => csvRowToRecord('Contact', header, ['0035g0000000001AAA', ''], d.types));
    loud(() => csvRowToRecord('Contact', header, ['', '', 'false', '1', '', ''], d.types));
    loud(() => csvRowToRecord('Contact', header, ['0015g0000000001AAA', '', 'false', '1', '', ''], d.types));
    loud(() => typedCsvValue('boolean', 'yes'));
    loud(() => typedCsvValue('double', 'abc'));
  });

  it('reads job info and result headers', () => {
    expect(parseJobInfo({ id: '7505g000000001AAA', state: 'JobComplete', numberRecordsProcessed: 10 })).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 10 });
    loud(() => parseJobInfo({ id: 'x', state: 'Done' }));
    expect(parseResultHeaders(new Headers({ 'sforce-locator': 'MTAwMA', 'sforce-numberofrecords': '1000' }))).toEqual({ next: 'MTAwMA', count: 1000 });
    expect(parseResultHeaders(new Headers({ 'sforce-locator': 'null', 'sforce-numberofrecords': '0' }))).toEqual({ next: null, count: 0 });
    loud(() => parseResultHeaders(new Headers({ 'sforce-numberofrecords': '5' })));
    loud(() => parseResultHeaders(new Headers({ 'sforce-locator': 'null' })));
  });

  it('round-trips cursors and refuses forged ones', () => {
    const c = { v: 1 as const, o: 1, r: { u: '/services/data/v62.0/query/01g-2000', n: 2000, t: 5000, l: '00T5g0000000001AAA' } };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(() => decodeCursor('not-a-cursor')).toThrow(CrmError);
    expect(() => decodeCursor(Buffer.from(JSON.stringify({ ...c, r: { ...c.r, l: "x' OR Id != '" } })).toString('base64url'))).toThrow(/cursor/);
    expect(() => decodeResume('eyJ2IjoyfQ')).toThrow(CrmError);
  });
});

describe('Salesforce error table', () => {
  const body = (errorCode: string, message = 'm') => JSON.stringify([{ message, errorCode }]);
  const h = new Headers();
  const now = () => Date.UTC(2025, 0, 1);
  it.each([
    [401, body('INVALID_SESSION_ID', 'Session expired or invalid'), 'auth_expired', 'INVALID_SESSION_ID'],
    [403, 'Bad_OAuth_Token', 'auth_expired', 'Bad_OAuth_Token'],
    [400, JSON.stringify({ error: 'invalid_grant', error_description: 'expired access/refresh token' }), 'auth_revoked', 'invalid_grant'],
    [403, body('INSUFFICIENT_ACCESS'), 'insufficient_scope', 'INSUFFICIENT_ACCESS'],
    [403, body('API_DISABLED_FOR_ORG'), 'insufficient_scope', 'API_DISABLED_FOR_ORG'],
    [404, body('NOT_FOUND', 'The requested resource does not exist'), 'not_found', 'NOT_FOUND'],
    [400, body('INVALID_FIELD'), 'invalid_request', 'INVALID_FIELD'],
    [400, body('INVALID_TYPE'), 'invalid_request', 'INVALID_TYPE'],
    [400, body('MALFORMED_QUERY'), 'invalid_request', 'MALFORMED_QUERY'],
    [400, body('NUMBER_OUTSIDE_VALID_RANGE'), 'invalid_request', 'NUMBER_OUTSIDE_VALID_RANGE'],
    [400, body('INVALID_QUERY_LOCATOR'), 'invalid_request', 'INVALID_QUERY_LOCATOR'],
    [400, body('INVALIDJOB'), 'invalid_request', 'INVALIDJOB'],
    [412, body('JOB_NOT_COMPLETE'), 'temporary', 'JOB_NOT_COMPLETE'],
    [500, body('UNKNOWN_EXCEPTION'), 'temporary', 'UNKNOWN_EXCEPTION'],
    [503, body('SERVER_UNAVAILABLE'), 'temporary', 'SERVER_UNAVAILABLE'],
    [502, '<html>Bad gateway</html>', 'temporary', undefined],
    [418, '', 'unknown', undefined],
  ])('%i %s → %s', (status, text, kind, code) => {
    const c = classifyError(status, h, text, now);
    expect(c.kind).toBe(kind);
    expect(c.code).toBe(code);
  });

  it('treats TotalRequests as the daily quota (pause an hour) and ConcurrentPerOrgLongTxn as a short wait', () => {
    const quota = classifyError(403, h, body('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), now);
    expect(quota).toMatchObject({ kind: 'quota_exhausted', code: 'REQUEST_LIMIT_EXCEEDED' });
    expect(quota.resetAt!.getTime()).toBe(now() + QUOTA_PAUSE_MS);
    expect(classifyError(403, h, body('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'), now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 5000 });
    expect(classifyError(429, new Headers({ 'retry-after': '3' }), '', now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
  });

  it('reads Sforce-Limit-Info', () => {
    expect(readRateHeaders(new Headers({ 'sforce-limit-info': 'api-usage=18/5000' }))).toEqual([{ window: 'daily', remaining: 4982, limit: 5000 }]);
    expect(readRateHeaders(new Headers({ 'sforce-limit-info': 'api-usage=18/5000; api-bursts=1/100' }))).toEqual([{ window: 'daily', remaining: 4982, limit: 5000 }]);
    expect(readRateHeaders(new Headers())).toEqual([]);
  });
});

describe('Salesforce token responses', () => {
  const ctx = { now: new Date(1_700_000_100_000), hosts: { authorize: 'https://login.salesforce.com', token: 'https://login.salesforce.com' } };
  const body = {
    access_token: '00Dxx0000000123!AR8AQ', refresh_token: '5Aep861', instance_url: 'https://acme.my.salesforce.com/',
    id: 'https://login.salesforce.com/id/00Dxx0000000123/005xx000000456', token_type: 'Bearer', issued_at: '1700000000000', signature: 'abc=', scope: 'api id refresh_token',
  };
  it('reads the fields Salesforce sends (no expires_in: the 2-hour session default)', () => {
    expect(parseTokenResponse(body, ctx)).toEqual({
      accessToken: body.access_token, refreshToken: '5Aep861', instanceUrl: 'https://acme.my.salesforce.com',
      expiresAt: new Date(1_700_000_000_000 + 7_200_000), scopes: ['api', 'id', 'refresh_token'], extra: { id: body.id },
    });
  });
  it('keeps the previous instance and scopes on a refresh that omits them, and refuses a response without a token', () => {
    const { refresh_token: _r, scope: _s, instance_url: _i, ...rest } = body;
    const t = parseTokenResponse(rest, { ...ctx, previous: { instanceUrl: 'https://na1.salesforce.com', scopes: ['api'] } });
    expect(t).toMatchObject({ instanceUrl: 'https://na1.salesforce.com', scopes: ['api'] });
    expect(t).not.toHaveProperty('refreshToken');
    expect(() => parseTokenResponse({ ...body, access_token: undefined }, ctx)).toThrow(/access_token/);
    expect(() => parseTokenResponse(rest, ctx)).toThrow(/instance_url/);
  });
});
