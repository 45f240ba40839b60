/**
 * monday.com pure parts against canned responses: items → SourceRecord (values, links, owner, activity type),
 * columns → field descriptors, malformed shapes failing loudly, the error table for HTTP errors and HTTP-200
 * GraphQL errors, RateLimit headers, and token responses (2.1 JWT `exp`, legacy non-expiring).
 */
import { describe, expect, it } from 'vitest';
import { classifyGraphqlBody, classifyMondayError, nextUtcMidnight, readMondayRateHeaders } from '../../src/crm/monday/errors.js';
import { mondayCrm } from '../../src/crm/monday/index.js';
import { jwtExpiry, parseMondayTokenResponse } from '../../src/crm/monday/oauth.js';
import { BoardColumnsData, FirstPageData, NextPageData, columnValue, columnsToFields, isGeneratedColumnId, itemToRecord, type BoardShape } from '../../src/crm/monday/parse.js';
import { complexity } from '../../src/crm/monday/queries.js';

const item = {
  id: '8400000001',
  name: 'Acme — renewal',
  created_at: '2024-03-01T09:00:00Z',
  updated_at: '2024-05-02T10:14:08Z',
  state: 'active',
  group: { id: 'topics', title: 'Open deals' },
  column_values: [
    { id: 'deal_owner', type: 'people', text: 'Ada Lovelace', value: '{"personsAndTeams":[{"id":60000003,"kind":"person"}],"changed_at":"2024-05-02T10:14:08Z"}' },
    { id: 'deal_stage', type: 'status', text: 'Negotiation/Review', value: '{"index":4,"post_id":null}' },
    { id: 'deal_value', type: 'numbers', text: '5000.5', value: '"5000.5"' },
    { id: 'deal_expected_close_date', type: 'date', text: '2024-06-30', value: '{"date":"2024-06-30","icon":null}' },
    { id: 'activity_start', type: 'date', text: '2024-06-30 10:15', value: '{"date":"2024-06-30","time":"10:15:00"}' },
    { id: 'email', type: 'email', text: 'ada@acme.com', value: '{"email":"ada@acme.com","text":"ada@acme.com"}' },
    { id: 'phone', type: 'phone', text: '+1 555 0100', value: '{"phone":"+15550100","countryShortName":"US"}' },
    { id: 'site', type: 'link', text: 'Acme - https://acme.com', value: '{"url":"https://acme.com","text":"Acme"}' },
    { id: 'sla', type: 'checkbox', text: 'v', value: '{"checked":"true"}' },
    { id: 'sla_off', type: 'checkbox', text: '', value: null },
    { id: 'products', type: 'dropdown', text: 'Analytics, API Access', value: '{"ids":[1,5]}' },
    { id: 'notes', type: 'long_text', text: 'Line one\nLine two', value: '{"text":"Line one\\nLine two"}' },
    { id: 'empty_text', type: 'text', text: '', value: null },
    { id: 'deal_contact', type: 'board_relation', text: null, value: '{"linkedPulseIds":[{"linkedPulseId":8200000007}]}', linked_item_ids: ['8200000007'] },
    { id: 'deal_account', type: 'board_relation', text: null, value: null, linked_item_ids: [] },
  ],
};

const dealShape: BoardShape = { entity: 'deals', types: new Map(), links: new Map([['deal_contact', 'contact'], ['deal_account', 'account']]), ownerColumn: 'deal_owner', typeColumn: null };

describe('monday parse: items', () => {
  it('turns an item into a SourceRecord with typed values, links, owner and ISO timestamps', () => {
    const r = itemToRecord(item, dealShape);
    expect(r).toEqual({
      id: '8400000001',
      fields: {
        name: 'Acme — renewal', group: 'Open deals', deal_owner: 'Ada Lovelace', deal_stage: 'Negotiation/Review', deal_value: 5000.5,
        deal_expected_close_date: '2024-06-30', activity_start: '2024-06-30T10:15:00Z', email: 'ada@acme.com', phone: '+1 555 0100',
        site: 'https://acme.com', sla: true, sla_off: false, products: ['Analytics', 'API Access'], notes: 'Line one\nLine two', empty_text: null,
        deal_contact: ['8200000007'], deal_account: [],
      },
      links: { contact: '8200000007' },
      owner: '60000003',
      createdAt: '2024-03-01T09:00:00.000Z',
      updatedAt: '2024-05-02T10:14:08.000Z',
    });
  });

  it('reads the activity type from the board’s type column and relations from the legacy value when no fragment came', () => {
    const shape: BoardShape = { entity: 'activities', types: new Map([['activity_type', 'status']]), links: new Map([['rel', 'deal']]), ownerColumn: null, typeColumn: 'activity_type' };
    const r = itemToRecord({ ...item, column_values: [
      { id: 'activity_type', type: 'status', text: 'Meeting', value: '{"index":3}' },
      { id: 'rel', type: 'board_relation', text: null, value: '{"linkedPulseIds":[{"linkedPulseId":8400000009}]}' },
    ] }, shape);
    expect(r.activityType).toBe('meeting');
    expect(r.links).toEqual({ deal: '8400000009' });
    expect(itemToRecord({ ...item, column_values: [{ id: 'activity_type', type: 'status', text: 'Lunch', value: '{"index":9}' }] }, shape).activityType).toBeUndefined();
  });

  it('takes column types from the board when values do not repeat them', () => {
    const shape: BoardShape = { ...dealShape, types: new Map([['deal_value', 'numbers'], ['sla', 'checkbox'], ['deal_contact', 'board_relation']]) };
    const bare = { ...item, group: { title: 'Open deals' }, column_values: [
      { id: 'deal_value', text: '12.5' },
      { id: 'sla', text: '' },
      { id: 'deal_contact', text: null, linked_item_ids: ['8200000002'] },
    ] };
    const r = itemToRecord(NextPageData.parse({ next_items_page: { cursor: null, items: [bare] } }).next_items_page.items[0]!, shape);
    expect(r.fields).toMatchObject({ deal_value: 12.5, sla: false, deal_contact: ['8200000002'], group: 'Open deals' });
    expect(r.links).toEqual({ contact: '8200000002' });
  });

  it('decodes each column type’s value', () => {
    expect(columnValue({ id: 'n', type: 'numbers', text: '', value: null })).toBeNull();
    expect(columnValue({ id: 'd', type: 'date', text: '', value: null })).toBeNull();
    expect(columnValue({ id: 'x', type: 'dropdown', text: '', value: null })).toEqual([]);
    expect(columnValue({ id: 'c', type: 'country', text: 'Japan', value: '{"countryCode":"JP","countryName":"Japan"}' })).toBe('Japan');
  });

  it('validates page shapes and fails loudly on anything else', () => {
    const page = { boards: [{ items_page: { cursor: 'abc', items: [item] } }] };
    expect(FirstPageData.parse(page).boards[0]!.items_page.items).toHaveLength(1);
    expect(NextPageData.parse({ next_items_page: { cursor: null, items: [] } }).next_items_page.cursor).toBeNull();
    expect(FirstPageData.safeParse({ boards: [{ items_page: { items: [item] } }] }).success).toBe(false); // no cursor key: truncated
    expect(NextPageData.safeParse({ next_items_page: { cursor: null, items: [{ ...item, column_values: undefined }] } }).success).toBe(false);
    expect(NextPageData.safeParse({ next_items_page: null }).success).toBe(false);
    expect(NextPageData.safeParse({ next_items_page: { cursor: null, items: [{ ...item, id: null }] } }).success).toBe(false);
    const badValue = { ...item, column_values: [{ id: 'x', type: 'text', text: 5 }] };
    expect(NextPageData.safeParse({ next_items_page: { cursor: null, items: [badValue] } }).success).toBe(false);
    const badLinks = { ...item, column_values: [{ id: 'x', type: 'board_relation', text: null, linked_item_ids: [{}] }] };
    expect(NextPageData.safeParse({ next_items_page: { cursor: null, items: [badLinks] } }).success).toBe(false);
    expect(() => itemToRecord({ ...item, created_at: 'yesterday' }, dealShape)).toThrow(/unreadable timestamp/);
  });
});

describe('monday parse: columns', () => {
  it('describes a board’s columns: id as name, title as label, status/dropdown labels, custom = generated ids', () => {
    const data = BoardColumnsData.parse({ boards: [{ id: 7300000104, name: 'Deals', columns: [
      { id: 'name', title: 'Deal', type: 'name', settings_str: '{}' },
      { id: 'deal_stage', title: 'Stage', type: 'status', settings_str: '{"labels":{"0":"Open","1":"Won"}}' },
      { id: 'dropdown_mkq1a2b3', title: 'Products', type: 'dropdown', settings_str: '{"labels":[{"id":1,"name":"Analytics"},{"id":2,"name":"API"}]}' },
      { id: 'text4', title: 'Competitor', type: 'text', settings_str: '{}' },
    ] }] });
    expect(data.boards[0]!.id).toBe('7300000104');
    expect(columnsToFields(data.boards[0]!.columns)).toEqual([
      { name: 'name', label: 'Deal', type: 'name', custom: false },
      { name: 'deal_stage', label: 'Stage', type: 'status', custom: false, values: ['Open', 'Won'] },
      { name: 'dropdown_mkq1a2b3', label: 'Products', type: 'dropdown', custom: true, values: ['Analytics', 'API'] },
      { name: 'text4', label: 'Competitor', type: 'text', custom: true },
    ]);
    expect(isGeneratedColumnId('deal_expected_close_date')).toBe(false);
    expect(isGeneratedColumnId('numeric_mkn6v2ax')).toBe(true);
  });
});

describe('monday error table', () => {
  const h = (init: Record<string, string> = {}) => new Headers(init);
  const body = (code: string, extra: Record<string, unknown> = {}) => JSON.stringify({ errors: [{ message: code, extensions: { code, ...extra } }], account_id: 1 });

  it.each([
    [401, '{"errors":[{"message":"Access token has expired","extensions":{"code":"TOKEN_EXPIRED","status_code":401}}]}', 'auth_expired', 'TOKEN_EXPIRED'],
    [401, '', 'auth_expired', 'UNAUTHENTICATED'],
    [429, body('RATE_LIMIT_EXCEEDED', { retry_in_seconds: 17 }), 'rate_limited', 'RATE_LIMIT_EXCEEDED'],
    [429, body('maxConcurrencyExceeded'), 'rate_limited', 'maxConcurrencyExceeded'],
    [429, body('IP_RATE_LIMIT_EXCEEDED', { retry_in_seconds: 3 }), 'rate_limited', 'IP_RATE_LIMIT_EXCEEDED'],
    [429, body('DAILY_LIMIT_EXCEEDED', { retry_in_seconds: 3600 }), 'quota_exhausted', 'DAILY_LIMIT_EXCEEDED'],
    [500, '{"error_message":"Internal server error","status_code":500}', 'temporary', 'HTTP_500'],
    [502, '<html>bad gateway</html>', 'temporary', 'HTTP_502'],
    [503, '', 'temporary', 'HTTP_503'],
    [403, '{"error_code":"UserUnauthorizedException","status_code":403}', 'insufficient_scope', 'UserUnauthorizedException'],
    [404, '{"error_message":"No route","status_code":404}', 'not_found', undefined],
    [400, body('BAD_REQUEST'), 'invalid_request', 'BAD_REQUEST'],
  ] as const)('HTTP %i %s → %s', (status, b, kind, code) => {
    const c = classifyMondayError(status, h(), b);
    expect(c.kind).toBe(kind);
    if (code) expect(c.code).toBe(code);
  });

  it('reads retry_in_seconds, then Retry-After, and dates a daily quota to its reset', () => {
    expect(classifyMondayError(429, h(), body('RATE_LIMIT_EXCEEDED', { retry_in_seconds: 17 })).retryAfterMs).toBe(17_000);
    expect(classifyMondayError(429, h({ 'retry-after': '9' }), '{}').retryAfterMs).toBe(9_000);
    const q = classifyMondayError(429, h(), body('DAILY_LIMIT_EXCEEDED', { retry_in_seconds: 3600 }));
    expect(Math.abs(q.resetAt!.getTime() - (Date.now() + 3_600_000))).toBeLessThan(5_000);
    const midnight = classifyMondayError(429, h(), body('DAILY_LIMIT_EXCEEDED')).resetAt!;
    expect(midnight.getTime()).toBe(nextUtcMidnight().getTime());
    expect(nextUtcMidnight(new Date('2025-03-31T23:59:59Z')).toISOString()).toBe('2025-04-01T00:00:00.000Z');
  });

  it('classifies HTTP-200 GraphQL errors, in every complexity shape, and unparsable bodies', () => {
    expect(classifyGraphqlBody(h(), '{"data":{"me":{"id":"1"}},"account_id":1}')).toBeNull();
    expect(classifyGraphqlBody(h(), body('COMPLEXITY_BUDGET_EXHAUSTED', { retry_in_seconds: 42 }))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 42_000 });
    expect(classifyGraphqlBody(h(), body('COMPLEXITY_BUDGET_EXHAUSTED', { complexity: 9, complexity_budget_left: 1, complexity_budget_limit: 10, retry_in_seconds: 8, status_code: 429 }))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 8_000 });
    expect(classifyGraphqlBody(h(), '{"error_code":"ComplexityException","status_code":429,"error_message":"Complexity budget exhausted, query cost 30001 budget remaining 19986 out of 1000000 reset in 3 seconds"}')).toMatchObject({ kind: 'rate_limited', code: 'ComplexityException', retryAfterMs: 3_000 });
    expect(classifyGraphqlBody(h(), body('CursorExpiredError'))).toMatchObject({ kind: 'invalid_request', code: 'CursorExpiredError' });
    expect(classifyGraphqlBody(h(), body('undefinedField'))).toMatchObject({ kind: 'invalid_request', code: 'undefinedField' });
    expect(classifyGraphqlBody(h(), body('UserUnauthorizedException', { status_code: 403 }))).toMatchObject({ kind: 'insufficient_scope' });
    expect(classifyGraphqlBody(h(), body('InternalServerException', { status_code: 500 }))).toMatchObject({ kind: 'temporary' });
    expect(classifyGraphqlBody(h(), '{"data":{"next_items_page":{"cursor":"x","items":[{"id":"1"')).toMatchObject({ kind: 'temporary', code: 'MALFORMED_JSON' });
    // Partial data with an error is an error: records must never go missing silently.
    expect(classifyGraphqlBody(h(), JSON.stringify({ data: { me: { id: '1' }, users: null }, errors: [{ message: 'x', extensions: { code: 'SomethingElse' } }] }))).toMatchObject({ kind: 'invalid_request' });
  });

  it('reads the RateLimit headers into window observations', () => {
    const obs = readMondayRateHeaders(h({
      'ratelimit-policy': '"minuteRate";q=2500;w=60, "concurrency";q=100;qu="concurrent-requests", "complexityMinute";q=5000000;w=60;qu="content-bytes", "daily";q=10000;w=86400',
      ratelimit: '"minuteRate";r=2498;t=60, "concurrency";r=99, "complexityMinute";r=4945490;t=38, "daily";r=9950;t=3600',
    }));
    expect(obs).toEqual([
      { window: 'minute', remaining: 2498, limit: 2500, resetMs: 60_000 },
      { window: 'complexity', remaining: 4_945_490, limit: 5_000_000, resetMs: 38_000 },
      { window: 'daily', remaining: 9950, limit: 10_000, resetMs: 3_600_000 },
    ]);
    expect(readMondayRateHeaders(h())).toEqual([]);
    expect(mondayCrm.readRateHeaders).toBe(readMondayRateHeaders);
  });
});

describe('monday OAuth token responses', () => {
  const jwt = (claims: Record<string, unknown>) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  const ctx = { now: new Date('2025-06-01T00:00:00Z'), hosts: { ...mondayCrm.definition.hosts } };

  it('reads the 2.1 access token’s lifetime from its JWT exp, keeps the rotating refresh token and the fixed API host', () => {
    const t = parseMondayTokenResponse({ access_token: jwt({ uid: 1, exp: 1_748_739_600 }), refresh_token: 'r1', token_type: 'Bearer', scope: 'me:read boards:read' }, ctx);
    expect(t).toEqual({ accessToken: expect.any(String), refreshToken: 'r1', expiresAt: new Date(1_748_739_600_000), instanceUrl: 'https://api.monday.com', scopes: ['me:read', 'boards:read'] });
  });

  it('treats a legacy token (no exp, no refresh token) as never expiring; prefers expires_in when present', () => {
    const legacy = parseMondayTokenResponse({ access_token: jwt({ uid: 1 }), token_type: 'Bearer', scope: 'me:read' }, ctx);
    expect(legacy.expiresAt).toBeNull();
    expect(legacy.refreshToken).toBeUndefined();
    const withTtl = parseMondayTokenResponse({ access_token: 'opaque', refresh_token: 'r', token_type: 'bearer', expires_in: 600 }, ctx);
    expect(withTtl.expiresAt).toEqual(new Date('2025-06-01T00:10:00Z'));
    const noExp = parseMondayTokenResponse({ access_token: 'opaque', refresh_token: 'r', token_type: 'Bearer' }, { ...ctx, previous: { instanceUrl: 'x', scopes: ['me:read'] } });
    expect(noExp.expiresAt).toEqual(new Date('2025-06-01T01:00:00Z'));
    expect(noExp.scopes).toEqual(['me:read']);
  });

  it('fails on a response without a usable token', () => {
    expect(() => parseMondayTokenResponse({ token_type: 'Bearer' }, ctx)).toThrow(/access_token/);
    expect(() => parseMondayTokenResponse({ access_token: 'x', token_type: 'mac' }, ctx)).toThrow(/not Bearer/);
    expect(jwtExpiry('not-a-jwt')).toBeNull();
  });

  it('sends the bare token as Authorization', () => {
    expect(mondayCrm.authorization('eyJ.abc.def')).toBe('eyJ.abc.def');
  });
});

describe('monday complexity estimates', () => {
  it('follow the documented formula', () => {
    expect(complexity.firstPage(500, 17)).toBe(21 + 500 * (7 + 51));
    expect(complexity.nextPage(500, 17)).toBe(11 + 500 * 58);
    expect(complexity.count()).toBe(1_011);
    expect(complexity.boardList(100)).toBe(510);
  });
});
