/**
 * A reference sandbox for an imaginary CRM, built only from sandbox/common: OAuth with consent page and PKCE,
 * bearer auth, a burst window plus a daily quota, cursor paging over the world, a CSV export and a ZIP export.
 * The shape a real CRM sandbox (sandbox/<crm>/) follows; docs/sandboxes.md walks through it.
 */
import type { FastifyReply } from 'fastify';
import {
  authorizationToken, csvChunks, csvStream, decideConsent, defineSandbox, isoTimestamp, renderConsentPage,
  renderOAuthErrorPage, zipSingleFile, type SandboxContext, type WorldContact,
} from '../../sandbox/common/index.js';

type Ctx = SandboxContext<{ exports: number }>;
const HEADER = ['id', 'first_name', 'last_name', 'email', 'account_id', 'description', 'updated_at'];
const row = (c: WorldContact) => [c.index + 1, c.firstName, c.lastName, c.email, c.accountIndex === null ? null : c.accountIndex + 1, c.description, isoTimestamp(c.updatedAt)];
const contactJson = (c: WorldContact) => ({ id: String(c.index + 1), firstName: c.firstName, lastName: c.lastName, email: c.email, updatedAt: isoTimestamp(c.updatedAt) });

/** Auth + limits for one data request; returns false after sending the error. */
function guard(ctx: Ctx, token: string | undefined, reply: FastifyReply): boolean {
  const auth = ctx.authenticate(token);
  if (!auth.ok) {
    void reply.code(401).send({ status: 'error', category: auth.reason === 'expired' ? 'EXPIRED_AUTHENTICATION' : 'INVALID_AUTHENTICATION' });
    return false;
  }
  const d = ctx.consume([{ policy: 'burst', key: auth.token.token }, { policy: 'daily', key: auth.token.subject.orgId }]);
  const burst = d.results[0];
  if (burst) void reply.header('x-ratelimit-limit', burst.limit).header('x-ratelimit-remaining', burst.remaining);
  if (d.denied) {
    void reply.code(429).header('retry-after', Math.ceil(d.denied.retryAfterMs / 1000)).send({ status: 'error', category: 'RATE_LIMITS' });
    return false;
  }
  return true;
}

export const exampleSandbox = defineSandbox<{ exports: number }>({
  id: 'hubspot', // any CrmId: the example stands in for one
  displayName: 'Example CRM',
  tokenTtlSeconds: 1800,
  oauth: { codeTtlMs: 120_000, tokenPrefix: { access: 'ex-', refresh: 'exr-' } },
  rateLimits: [
    { name: 'burst', limit: 100, windowMs: 10_000 },
    { name: 'daily', limit: 250_000, windowMs: 86_400_000, kind: 'fixed', reason: 'quota' },
  ],
  state: () => ({ exports: 0 }),

  oauthRoutes(app, ctx) {
    app.get('/oauth/authorize', async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const check = ctx.oauth.validateAuthorize({ clientId: q.client_id, redirectUri: q.redirect_uri, responseType: q.response_type, codeChallenge: q.code_challenge, codeChallengeMethod: q.code_challenge_method });
      if (!check.ok) return reply.code(400).type('text/html').send(renderOAuthErrorPage(ctx.displayName, check));
      return reply.type('text/html').send(renderConsentPage({
        crmName: ctx.displayName, clientName: check.client.name ?? check.client.id, clientId: check.client.id,
        scopes: (q.scope ?? '').split(' ').filter(Boolean), action: `${ctx.baseUrl(req)}/oauth/authorize`, fields: q,
      }));
    });
    app.post('/oauth/authorize', async (req, reply) => {
      const d = decideConsent(ctx.oauth, req.body as Record<string, string>, { subject: { userId: '1', orgId: '1001' }, extraParams: { 'accounts-server': ctx.baseUrl(req) } });
      if (!d.ok && !d.location) return reply.code(400).type('text/html').send(renderOAuthErrorPage(ctx.displayName, d));
      return reply.redirect(d.location as string, 302);
    });
    app.post('/oauth/token', async (req, reply) => {
      const b = req.body as Record<string, string>;
      const r = b.grant_type === 'refresh_token'
        ? ctx.oauth.refreshAccessToken({ refreshToken: b.refresh_token, clientId: b.client_id, clientSecret: b.client_secret })
        : ctx.oauth.exchangeCode({ code: b.code, clientId: b.client_id, clientSecret: b.client_secret, redirectUri: b.redirect_uri, codeVerifier: b.code_verifier });
      if (!r.ok) return reply.code(400).send({ error: r.error, error_description: r.description });
      return { access_token: r.accessToken, refresh_token: r.refreshToken ?? undefined, expires_in: r.expiresIn, token_type: 'bearer', api_domain: ctx.baseUrl(req) };
    });
    app.post('/oauth/revoke', async (req) => ({ revoked: ctx.oauth.revoke((req.body as Record<string, string>).token) }));
  },

  apiRoutes(app, ctx) {
    app.get('/api/v1/contacts', async (req, reply) => {
      if (!guard(ctx, authorizationToken(req), reply)) return reply;
      const q = req.query as { after?: string; limit?: string };
      const start = Number(q.after ?? 0);
      const end = Math.min(ctx.world.counts.contacts, start + Math.min(Number(q.limit ?? 100), 100));
      const results = [];
      for (let i = start; i < end; i++) results.push(contactJson(ctx.world.contact(i)));
      return { results, paging: end < ctx.world.counts.contacts ? { next: { after: String(end), link: `${ctx.baseUrl(req)}/api/v1/contacts?after=${end}` } } : undefined };
    });
    app.get('/api/v1/exports/contacts.csv', async (req, reply) => {
      if (!guard(ctx, authorizationToken(req), reply)) return reply;
      ctx.state.exports++;
      const w = ctx.world;
      return reply.type('text/csv; charset=utf-8').send(csvStream(HEADER, (function* () { for (let i = 0; i < w.counts.contacts; i++) yield row(w.contact(i)); })()));
    });
    app.get('/api/v1/exports/contacts.zip', async (req, reply) => {
      if (!guard(ctx, authorizationToken(req), reply)) return reply;
      const w = ctx.world;
      const rows = (function* () { for (let i = 0; i < w.counts.contacts; i++) yield row(w.contact(i)); })();
      return reply.type('application/zip').send(zipSingleFile('1234.csv', csvChunks(HEADER, rows)));
    });
  },

  render: {
    notFound: (_req, reply) => reply.code(404).send({ status: 'error', category: 'OBJECT_NOT_FOUND' }),
    error: (err, _req, reply) => reply.code(err.statusCode ?? 500).send({ status: 'error', category: err.statusCode === 400 ? 'VALIDATION_ERROR' : 'INTERNAL', message: err.message }),
    fault: (fault) => ({ status: 'error', category: fault.status === 429 ? 'RATE_LIMITS' : 'INTERNAL_ERROR', message: 'injected' }),
  },
});
