/**
 * Pipedrive's pure parts against canned responses: list pages (v2 cursor, v1 offset, leads' own envelope) normalised
 * into SourceRecords, the paging consistency checks (malformed or inconsistent pages throw, never shorten), fields,
 * the deals summary, the client cursor, the error table, rate headers and the token response.
 */
import { describe, expect, it } from 'vitest';
import { ENTITY_OBJECTS } from '../../src/crm/pipedrive/definition.js';
import { classifyError, nextUtcMidnight, readRateHeaders } from '../../src/crm/pipedrive/errors.js';
import { parseTokenResponse } from '../../src/crm/pipedrive/oauth.js';
import {
  ParseError, decodeCursor, encodeCursor, isoTime, mergeLeadContacts, optionLabels, parseDealsSummary, parseFieldsPage, parseMe, parsePage, toFieldDescriptor,
} from '../../src/crm/pipedrive/parse.js';

const [persons] = ENTITY_OBJECTS.contacts;
const [deals] = ENTITY_OBJECTS.deals;
const [leads] = ENTITY_OBJECTS.leads;
const [activities, notes] = ENTITY_OBJECTS.activities;
const TIER = 'd3f0e3b9c1a2b4c5d6e7f8091a2b3c4d5e6f7a8b';
const TOPICS = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

const person = (id: number, extra: Record<string, unknown> = {}) => ({
  id, name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', owner_id: 7, org_id: 5, add_time: '2024-01-09T09:31:15Z', update_time: '2024-02-01T10:00:00Z',
  emails: [{ value: 'ada@acme.com', primary: true, label: 'work' }], phones: [], is_deleted: false, visible_to: 3,
  custom_fields: { [TIER]: { id: 12, label: 'Gold' }, [TOPICS]: [{ id: 20, label: 'API' }, { id: 21, label: 'CRM' }] }, ...extra,
});
const v2 = (data: unknown[], next: string | null) => ({ success: true, data, additional_data: { next_cursor: next } });

describe('v2 pages', () => {
  it('normalises persons: fields under Pipedrive keys, custom option labels flattened, links, owner, ISO times', () => {
    const page = parsePage(persons!, v2([person(1101)], 'eyJpZCI6MTEwMX0'), { limit: 500 });
    expect(page.nextCursor).toBe('eyJpZCI6MTEwMX0');
    expect(page.records).toEqual([{
      id: '1101',
      fields: expect.objectContaining({ id: 1101, name: 'Ada Lovelace', emails: [{ value: 'ada@acme.com', primary: true, label: 'work' }], [TIER]: 'Gold', [TOPICS]: ['API', 'CRM'] }),
      links: { account: '5' }, owner: '7', createdAt: '2024-01-09T09:31:15.000Z', updatedAt: '2024-02-01T10:00:00.000Z',
    }]);
    expect(page.records[0]!.fields).not.toHaveProperty('custom_fields');
  });

  it('links deals and activities; maps activity types', () => {
    const deal = parsePage(deals!, v2([{ id: 3, title: 'D', owner_id: 1, person_id: 9, org_id: 4, add_time: '2021-01-01T00:00:00Z', update_time: '2021-01-01T00:00:00Z', custom_fields: {} }], null), { limit: 500 });
    expect(deal.records[0]!.links).toEqual({ account: '4', contact: '9' });
    const act = parsePage(activities!, v2([
      { id: 8, type: 'deadline', owner_id: 1, deal_id: 3, person_id: null, org_id: 4, add_time: '2021-01-01T00:00:00Z', update_time: '2021-01-01T00:00:00Z' },
      { id: 9, type: 'custom_visit', owner_id: 1, deal_id: null, person_id: 9, org_id: null, add_time: '2021-01-01T00:00:00Z', update_time: '2021-01-01T00:00:00Z' },
    ], null), { limit: 500 });
    expect(act.records.map((r) => [r.id, r.activityType, r.links])).toEqual([
      ['activity:8', 'task', { account: '4', deal: '3' }],
      ['activity:9', undefined, { contact: '9' }],
    ]);
  });

  it('throws on malformed or inconsistent pages instead of returning fewer records', () => {
    const bad: [unknown, { limit: number; cursor?: string; after?: number }][] = [
      [{ success: true, data: [person(1)] }, { limit: 500 }], // no additional_data: "more or not" unknown
      [{ success: false, error: 'x', data: null }, { limit: 500 }],
      [v2([person(1), { ...person(2), id: 'two' }], null), { limit: 500 }], // a record without a numeric id
      [v2([person(1), person(2), person(3)], 'c'), { limit: 2 }], // more than asked for
      [v2([person(5), person(4)], null), { limit: 500 }], // out of order
      [v2([person(10)], null), { limit: 500, after: 10 }], // overlaps the previous page
      [v2([person(11)], 'same'), { limit: 500, cursor: 'same' }], // the cursor does not move
      [v2([], 'more'), { limit: 500 }], // empty page claiming more
      [v2([person(1, { add_time: 'yesterday' })], null), { limit: 500 }], // unreadable timestamp
      ['<html>502</html>', { limit: 500 }],
    ];
    for (const [json, req] of bad) expect(() => parsePage(persons!, json, req)).toThrow(ParseError);
  });
});

describe('v1 pages', () => {
  const note = (id: number) => ({ id, content: 'Call back', deal_id: 3, person_id: 9, org_id: null, user_id: 7, add_time: '2019-12-09 13:59:21', update_time: '2019-12-09 14:26:11', active_flag: true });
  const paginated = (data: unknown[] | null, p: Record<string, unknown>) => ({ success: true, data, additional_data: { pagination: p } });

  it('reads notes (v1 timestamps are UTC), follows next_start, accepts data: null on an empty list', () => {
    const page = parsePage(notes!, paginated([note(1), note(2)], { start: 0, limit: 2, more_items_in_collection: true, next_start: 2 }), { limit: 2, start: 0 });
    expect(page.nextStart).toBe(2);
    expect(page.records[0]).toMatchObject({ id: 'note:1', activityType: 'note', owner: '7', links: { deal: '3', contact: '9' }, createdAt: '2019-12-09T13:59:21.000Z' });
    expect(parsePage(notes!, paginated(null, { start: 0, limit: 500, more_items_in_collection: false }), { limit: 500, start: 0 }).records).toEqual([]);
  });

  it('reads leads with their own additional_data shape and names v1 custom option ids', () => {
    const labels = optionLabels([
      { key: TIER, name: 'Tier', field_type: 'enum', options: [{ id: 12, label: 'Gold' }] },
      { key: TOPICS, name: 'Topics', field_type: 'set', options: [{ id: 20, label: 'API' }, { id: 21, label: 'CRM' }] },
    ]);
    const lead = { id: 'adf21080-0e10-11eb-879b-05d71fb426ec', title: 'Jane Doe Lead', owner_id: 1, person_id: 1092, organization_id: null, add_time: '2020-10-14T11:30:36.551Z', update_time: '2020-10-14T11:30:36.551Z', [TIER]: '12', [TOPICS]: '20,21' };
    const page = parsePage(leads!, { success: true, data: [lead], additional_data: { start: 0, limit: 500, more_items_in_collection: false } }, { limit: 500, start: 0 }, labels);
    expect(page.nextStart).toBeNull();
    expect(page.leadContacts).toEqual({ persons: [1092], organizations: [] });
    expect(page.records[0]).toMatchObject({ id: lead.id, links: {}, fields: { [TIER]: 'Gold', [TOPICS]: ['API', 'CRM'] } });
    const merged = mergeLeadContacts(page.records[0]!, new Map([[1092, { id: 1092, name: 'Jane Doe', emails: [{ value: 'jane@x.io' }], job_title: 'CTO' }]]), new Map());
    expect(merged.fields).toMatchObject({ name: 'Jane Doe', emails: [{ value: 'jane@x.io' }], job_title: 'CTO', title: 'Jane Doe Lead' });
  });

  it('throws when offsets do not line up or a page claims more while empty', () => {
    const cases: [unknown, { limit: number; start: number }][] = [
      [paginated([note(1)], { start: 100, limit: 500, more_items_in_collection: false }), { limit: 500, start: 0 }],
      [paginated([note(1), note(2)], { start: 0, limit: 2, more_items_in_collection: true, next_start: 5 }), { limit: 2, start: 0 }],
      [paginated(null, { start: 0, limit: 500, more_items_in_collection: true }), { limit: 500, start: 0 }],
      [paginated([note(1), note(1)], { start: 0, limit: 500, more_items_in_collection: false }), { limit: 500, start: 0 }],
      [{ success: true, data: [note(1)] }, { limit: 500, start: 0 }],
    ];
    for (const [json, req] of cases) expect(() => parsePage(notes!, json, req)).toThrow(ParseError);
  });
});

describe('metadata and cursors', () => {
  it('turns v1 field keys into the v2 keys records use, marks 40-character keys custom, lists option labels', () => {
    const page = parseFieldsPage({
      success: true,
      data: [
        { id: 1, key: 'email', name: 'Email', field_type: 'varchar', options: null },
        { id: 2, key: TIER, name: 'Customer Tier', field_type: 'enum', options: [{ id: 12, label: 'Gold' }] },
      ],
      additional_data: { pagination: { start: 0, limit: 2, more_items_in_collection: true } },
    }, 0);
    expect(page.nextStart).toBe(2);
    expect(page.fields.map((f) => toFieldDescriptor(persons!, f))).toEqual([
      { name: 'emails', label: 'Email', type: 'varchar', custom: false },
      { name: TIER, label: 'Customer Tier', type: 'enum', custom: true, values: ['Gold'] },
    ]);
    expect(toFieldDescriptor(deals!, { key: 'user_id', name: 'Owner', field_type: 'user' }).name).toBe('owner_id');
    expect(() => parseFieldsPage({ success: true, data: [], additional_data: { pagination: { start: 0, limit: 1, more_items_in_collection: true } } }, 0)).toThrow(ParseError);
  });

  it('reads the deals summary count and the current user', () => {
    expect(parseDealsSummary({ success: true, data: { total_count: 5, values_total: {} } })).toBe(5);
    expect(() => parseDealsSummary({ success: true, data: {} })).toThrow(ParseError);
    expect(parseMe({ success: true, data: { id: 1, name: 'Me', email: 'me@x.io', company_id: 54235233, company_domain: 'acme' } })).toMatchObject({ company_id: 54235233 });
  });

  it('round-trips the client cursor and rejects foreign ones', () => {
    const c = { p: 1, s: 500 };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(decodeCursor(encodeCursor({ p: 0, c: 'eyJpZCI6N30', a: 7 }))).toEqual({ p: 0, c: 'eyJpZCI6N30', a: 7 });
    for (const raw of ['eyJpZCI6N30', 'pd1.!!!', `pd1.${Buffer.from('{"p":-1}').toString('base64url')}`, `pd1.${Buffer.from('{"p":0,"x":1}').toString('base64url')}`]) {
      expect(() => decodeCursor(raw)).toThrow(ParseError);
    }
    expect(isoTime('2024-01-09 09:31:15')).toBe('2024-01-09T09:31:15.000Z');
  });
});

describe('error table', () => {
  const h = (o: Record<string, string> = {}) => new Headers(o);
  const now = Date.UTC(2025, 5, 2, 15, 30);
  it.each([
    [401, {}, '{"success":false,"error":"unauthorized access","errorCode":401}', { kind: 'auth_expired', code: 'UNAUTHORIZED' }],
    [401, {}, '{"success":false,"error":"Invalid token: access_token is invalid","errorCode":401}', { kind: 'auth_expired', code: 'INVALID_TOKEN' }],
    [429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' }, '{"success":false,"error":"Request over limit"}', { kind: 'rate_limited', retryAfterMs: 2000 }],
    [429, { 'retry-after': '1' }, '{"success":false,"error":"Request over limit"}', { kind: 'rate_limited', retryAfterMs: 1000 }],
    [429, { 'x-ratelimit-remaining': '150', 'x-ratelimit-reset': '1' }, '{"success":false,"error":"Request over limit"}', { kind: 'quota_exhausted', code: 'DAILY_TOKEN_BUDGET', resetAt: new Date(Date.UTC(2025, 5, 3)) }],
    [403, {}, '{"success":false,"error":"Scope and URL mismatch","errorCode":403}', { kind: 'insufficient_scope' }],
    [403, {}, '<html>Cloudflare</html>', { kind: 'rate_limited', code: 'CLOUDFLARE_BLOCK' }],
    [402, {}, '{"success":false,"error":"Company account is not open"}', { kind: 'invalid_request', code: 'PAYMENT_REQUIRED' }],
    [404, {}, '{"success":false,"error":"Entity was not found"}', { kind: 'not_found' }],
    [400, {}, '{"success":false,"error":"Validation failed: limit","code":"ERR_SCHEMA_VALIDATION_FAILED"}', { kind: 'invalid_request', code: 'ERR_SCHEMA_VALIDATION_FAILED' }],
    [500, {}, '{"success":false,"error":"Internal server error"}', { kind: 'temporary' }],
    [503, { 'retry-after': '30' }, '', { kind: 'temporary', retryAfterMs: 30_000 }],
    [418, {}, '', { kind: 'unknown' }],
  ] as const)('%i %j → %j', (status, headers, body, expected) => {
    expect(classifyError(status, h(headers), body, now)).toMatchObject(expected);
  });

  it('reads the burst headers and finds the next UTC midnight', () => {
    expect(readRateHeaders(h({ 'x-ratelimit-limit': '160', 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': '2' }))).toEqual([{ window: 'burst', limit: 160, remaining: 12, resetMs: 2000 }]);
    expect(readRateHeaders(h())).toEqual([]);
    expect(nextUtcMidnight(Date.UTC(2025, 11, 31, 23, 59)).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('token response', () => {
  const hosts = { authorize: 'https://oauth.pipedrive.com', token: 'https://oauth.pipedrive.com', revoke: 'https://oauth.pipedrive.com' };
  const now = new Date(Date.UTC(2025, 0, 1));
  const body = { access_token: 'v1u:AQIB', token_type: 'Bearer', expires_in: 3600, refresh_token: '1:2:r', scope: 'base,deals:read,contacts:read', api_domain: 'https://acme.pipedrive.com' };

  it('reads api_domain as the instance URL, comma-separated scopes and the expiry', () => {
    expect(parseTokenResponse(body, { now, hosts })).toEqual({
      accessToken: 'v1u:AQIB', refreshToken: '1:2:r', expiresAt: new Date(now.getTime() + 3_600_000), instanceUrl: 'https://acme.pipedrive.com', scopes: ['base', 'deals:read', 'contacts:read'],
    });
  });

  it('keeps the previous API host and scopes when a refresh omits them; trusts a sandbox only at its own URL', () => {
    const { api_domain: _a, scope: _s, ...bare } = body;
    expect(parseTokenResponse(bare, { now, hosts, previous: { instanceUrl: 'https://acme.pipedrive.com', scopes: ['base'] } })).toMatchObject({ instanceUrl: 'https://acme.pipedrive.com', scopes: ['base'] });
    const sandbox = { authorize: 'http://127.0.0.1:4010/sandbox/pipedrive', token: 'http://127.0.0.1:4010/sandbox/pipedrive' };
    expect(parseTokenResponse({ ...body, api_domain: 'http://127.0.0.1:4010/sandbox/pipedrive' }, { now, hosts: sandbox }).instanceUrl).toBe('http://127.0.0.1:4010/sandbox/pipedrive');
  });

  it('refuses unusable responses and API hosts outside pipedrive.com', () => {
    expect(() => parseTokenResponse({ ...body, api_domain: 'https://evil.example' }, { now, hosts })).toThrow(/outside pipedrive\.com/);
    expect(() => parseTokenResponse({ ...body, api_domain: 'http://acme.pipedrive.com' }, { now, hosts })).toThrow();
    expect(() => parseTokenResponse({ ...body, access_token: '' }, { now, hosts })).toThrow();
    expect(() => parseTokenResponse({ ...body, token_type: 'mac' }, { now, hosts })).toThrow();
    expect(() => parseTokenResponse({ ...body, api_domain: undefined }, { now, hosts })).toThrow(/api_domain/);
  });
});
