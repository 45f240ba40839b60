import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxOptions } from '../../sandbox/common/sandbox.js';
import { exampleSandbox } from './example-sandbox.js';
import { authorize, CLIENT, REDIRECT } from './helpers.js';

/** Two sandboxes under prefixes in one host app that has its own hooks, parsers and not-found handler. */
describe('sandbox plugin mounted under a prefix (inject)', () => {
  let app: FastifyInstance;
  const a = exampleSandbox.create(sandboxOptions({ records: { accounts: 10, contacts: 250, leads: 0, deals: 0, activities: 0 } }));
  const b = exampleSandbox.create(sandboxOptions({ seed: 2 }));
  const send = (prefix: string) => async (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) => {
    const res = await app.inject({ method: method as 'GET', url: prefix + path, payload: init.body, headers: { host: 'demo.local:8080', ...init.headers } });
    return { status: res.statusCode, headers: res.headers, text: res.body };
  };

  beforeAll(async () => {
    app = Fastify();
    app.addContentTypeParser('application/x-www-form-urlencoded', (_req, _payload, done) => done(new Error('host parser must not be used'), undefined));
    app.addHook('onRequest', async (req, reply) => {
      if (req.headers['x-host-block']) return reply.code(418).send('host hook');
    });
    app.setNotFoundHandler((_req, reply) => reply.code(404).send({ host: 'not found' }));
    app.get('/health', async () => ({ ok: true }));
    await app.register(a.plugin, { prefix: '/sandbox/hubspot' });
    await app.register(b.plugin, { prefix: '/sandbox/other' });
    await app.ready();
  });
  afterAll(() => app.close());

  it('runs OAuth and returns URLs with the mount prefix', async () => {
    const tokens = await authorize(send('/sandbox/hubspot'));
    expect(tokens.api_domain).toBe('http://demo.local:8080/sandbox/hubspot');
    expect(tokens.expires_in).toBe(1800);
    const page = await send('/sandbox/hubspot')('GET', `/oauth/authorize?client_id=${CLIENT.id}&redirect_uri=${encodeURIComponent(REDIRECT)}`);
    expect(page.text).toContain('action="http://demo.local:8080/sandbox/hubspot/oauth/authorize"');
    const list = await send('/sandbox/hubspot')('GET', '/api/v1/contacts?limit=100', { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(list.status).toBe(200);
    const body = JSON.parse(list.text);
    expect(body.results).toHaveLength(100);
    expect(body.paging.next.link).toBe('http://demo.local:8080/sandbox/hubspot/api/v1/contacts?after=100');
    expect(list.headers['x-ratelimit-remaining']).toBe('99');
  });

  it('keeps sandboxes apart: tokens, stats, not-found and error renderers', async () => {
    const tokens = await authorize(send('/sandbox/hubspot'));
    const other = await send('/sandbox/other')('GET', '/api/v1/contacts', { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(other.status).toBe(401);
    expect(JSON.parse(other.text).category).toBe('INVALID_AUTHENTICATION');
    const missing = await send('/sandbox/hubspot')('GET', '/nope');
    expect(JSON.parse(missing.text)).toEqual({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    expect((await send('')('GET', '/elsewhere')).text).toBe('{"host":"not found"}');
    expect((await send('')('GET', '/health')).status).toBe(200);
    const badJson = await send('/sandbox/hubspot')('POST', '/oauth/token', { body: '{oops', headers: { 'content-type': 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.text).category).toBe('VALIDATION_ERROR');
    const stats = JSON.parse((await send('/sandbox/hubspot')('GET', '/_sandbox/stats')).text);
    expect(stats.crm).toBe('hubspot');
    expect(stats.requests.byEndpoint['GET /api/v1/contacts']).toBeGreaterThanOrEqual(1);
    expect(stats.requests.byEndpoint['POST /oauth/token']).toBeGreaterThanOrEqual(2);
    expect(stats.requests.byEndpoint['GET /_sandbox/stats']).toBeUndefined();
    expect(stats.tokens.access).toBeGreaterThanOrEqual(2);
    const otherStats = JSON.parse((await send('/sandbox/other')('GET', '/_sandbox/stats')).text);
    expect(otherStats.rejected.byReason.unauthorized).toBe(1);
    expect(otherStats.tokens.access).toBe(0);
  });

  it('parses multipart form bodies (Zoho SDK token requests) and empty JSON', async () => {
    const boundary = 'XyZ';
    const body = [`--${boundary}`, 'Content-Disposition: form-data; name="grant_type"', '', 'refresh_token', `--${boundary}`,
      'Content-Disposition: form-data; name="refresh_token"', '', 'nope', `--${boundary}--`, ''].join('\r\n');
    const res = await send('/sandbox/hubspot')('POST', '/oauth/token', { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toBe('invalid_client');
    const empty = await send('/sandbox/hubspot')('POST', '/_sandbox/reset', { body: '', headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(200);
  });
});
