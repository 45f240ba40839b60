/**
 * The login host: OAuth 2.0 web-server flow (authorize with consent page, token, revoke), the OpenID userinfo
 * endpoint and the identity URL, plus a Salesforce-only admin switch. Token responses carry no expires_in;
 * they name `instance_url` and the identity URL `id` (both this sandbox's base URL), `issued_at` and an
 * HMAC-SHA256 `signature` of id + issued_at keyed by the client secret.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authorizationToken, decideConsent, renderConsentPage, renderOAuthErrorPage, type IssuedTokens, type OAuthFailure } from '../common/index.js';
import { KEY_PREFIX, ORG_ID, sfId } from './ids.js';
import type { SalesforceCtx } from './state.js';

export const USER_ID = sfId(KEY_PREFIX.User, 0);
const SCOPES_WITH_REFRESH = new Set(['refresh_token', 'offline_access']);
/** Granted when the authorize request names no scope: the connected app's own list. */
const DEFAULT_SCOPE = 'api id refresh_token';
/** Scopes that open the identity URL to its own user (https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm). */
const IDENTITY_SCOPES = new Set(['id', 'profile', 'email', 'address', 'phone', 'openid', 'full']);

type Form = Record<string, string | undefined>;

/** Salesforce's PKCE is SHA-256 only: a code_challenge without a method (jsforce sends none) is S256, not plain. */
const withS256 = (q: Form): Form => (q.code_challenge && !q.code_challenge_method ? { ...q, code_challenge_method: 'S256' } : q);

/** Client credentials from the form or from HTTP Basic. */
function clientCredentials(req: FastifyRequest, body: Form): { clientId?: string; clientSecret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':');
    return { clientId: decodeURIComponent(id ?? ''), clientSecret: decodeURIComponent(secret ?? '') };
  }
  return { clientId: body.client_id, clientSecret: body.client_secret };
}

/** OAuth failures in Salesforce's words (error codes as its token endpoint returns them). */
function tokenError(reply: FastifyReply, f: OAuthFailure): FastifyReply {
  const body = (error: string, error_description: string) => reply.code(400).send({ error, error_description });
  switch (f.reason) {
    case 'unknown_client': return body('invalid_client_id', 'client identifier invalid');
    case 'missing_client_secret': case 'bad_client_secret': return body('invalid_client', 'invalid client credentials');
    case 'redirect_uri_mismatch': return body('redirect_uri_mismatch', 'redirect_uri must match configuration');
    case 'expired_code': return body('invalid_grant', 'expired authorization code');
    case 'unknown_code': case 'used_code': return body('invalid_grant', 'invalid authorization code');
    case 'pkce_verifier_missing': case 'pkce_mismatch': return body('invalid_grant', 'invalid code verifier');
    case 'unknown_refresh_token': case 'revoked_refresh_token': case 'expired_refresh_token': return body('invalid_grant', 'expired access/refresh token');
    default: return body(f.error, f.description);
  }
}

function tokenBody(req: FastifyRequest, ctx: SalesforceCtx, t: IssuedTokens, clientSecret: string): Record<string, string> {
  const base = ctx.baseUrl(req);
  const id = `${base}/id/${t.subject.orgId}/${t.subject.userId}`;
  const issuedAt = String(t.issuedAt);
  const signature = createHmac('sha256', clientSecret).update(id + issuedAt).digest('base64');
  return {
    access_token: t.accessToken,
    ...(t.refreshToken ? { refresh_token: t.refreshToken } : {}),
    signature, scope: t.scope, instance_url: base, id, token_type: 'Bearer', issued_at: issuedAt,
  };
}

function identity(req: FastifyRequest, ctx: SalesforceCtx, userId: string) {
  const base = ctx.baseUrl(req);
  const owner = ctx.world.owners[0]!;
  const username = owner.email.replace('@sandbox-owner.example', '@acme-sandbox.example');
  const v = `${base}/services/data/v{version}/`;
  return {
    id: `${base}/id/${ORG_ID}/${userId}`, asserted_user: true, user_id: userId, organization_id: ORG_ID,
    username, nick_name: username.split('@')[0], display_name: owner.name, email: owner.email, email_verified: true,
    first_name: owner.firstName, last_name: owner.lastName, timezone: owner.timeZone,
    photos: { picture: `${base}/profilephoto/005/F`, thumbnail: `${base}/profilephoto/005/T` },
    status: { created_date: null, body: null }, active: true, user_type: 'STANDARD', language: 'en_US', locale: 'en_US', utcOffset: 0,
    last_modified_date: '2024-01-01T00:00:00.000+0000', is_app_installed: true,
    urls: {
      enterprise: `${base}/services/Soap/c/{version}/${ORG_ID}`, metadata: `${base}/services/Soap/m/{version}/${ORG_ID}`,
      partner: `${base}/services/Soap/u/{version}/${ORG_ID}`, rest: v, sobjects: `${v}sobjects/`, search: `${v}search/`,
      query: `${v}query/`, recent: `${v}recent/`, profile: `${base}/${userId}`, users: `${v}chatter/users`,
    },
  };
}

const adminPatch = z.strictObject({
  sandboxOrg: z.boolean().optional(),
  bulkFail: z.array(z.string()).optional(),
  bulkProcessingMs: z.number().int().min(0).optional(),
});

export function oauthRoutes(app: FastifyInstance, ctx: SalesforceCtx): void {
  app.get('/services/oauth2/authorize', async (req, reply) => {
    const q = withS256(req.query as Form);
    const check = ctx.oauth.validateAuthorize({
      clientId: q.client_id, redirectUri: q.redirect_uri, responseType: q.response_type,
      codeChallenge: q.code_challenge, codeChallengeMethod: q.code_challenge_method, pkce: 'optional',
    });
    if (!check.ok && !check.redirectable) return reply.code(400).type('text/html').send(renderOAuthErrorPage(ctx.displayName, check));
    if (!check.ok) {
      const u = new URL(check.redirectUri as string);
      u.searchParams.set('error', check.error);
      u.searchParams.set('error_description', check.description);
      if (q.state) u.searchParams.set('state', q.state);
      return reply.redirect(u.toString(), 302);
    }
    return reply.type('text/html').send(renderConsentPage({
      crmName: ctx.displayName, clientName: check.client.name ?? check.client.id, clientId: check.client.id,
      scopes: (q.scope ?? DEFAULT_SCOPE).split(/[ +]/).filter(Boolean),
      action: `${ctx.baseUrl(req)}/services/oauth2/authorize`, fields: q,
    }));
  });

  app.post('/services/oauth2/authorize', async (req, reply) => {
    const form = withS256(req.body as Form);
    const scope = (form.scope ?? '').trim() || DEFAULT_SCOPE;
    const offline = scope.split(/\s+/).some((s) => SCOPES_WITH_REFRESH.has(s));
    const d = decideConsent(ctx.oauth, { ...form, scope }, { subject: { userId: USER_ID, orgId: ORG_ID }, pkce: 'optional', offline });
    if (!d.ok && !d.location) return reply.code(400).type('text/html').send(renderOAuthErrorPage(ctx.displayName, d));
    return reply.redirect(d.location as string, 302);
  });

  app.post('/services/oauth2/token', async (req, reply) => {
    const body = (req.body ?? {}) as Form;
    const { clientId, clientSecret } = clientCredentials(req, body);
    let r;
    if (body.grant_type === 'authorization_code') {
      r = ctx.oauth.exchangeCode({ code: body.code, clientId, clientSecret, redirectUri: body.redirect_uri, codeVerifier: body.code_verifier });
    } else if (body.grant_type === 'refresh_token') {
      r = ctx.oauth.refreshAccessToken({ refreshToken: body.refresh_token, clientId, clientSecret });
    } else {
      return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
    }
    if (!r.ok) return tokenError(reply, r);
    return reply.header('cache-control', 'no-cache, no-store').send(tokenBody(req, ctx, r, clientSecret ?? ''));
  });

  // Revoke accepts POST (form) or GET (?token=); an unknown token is a 400, unlike RFC 7009.
  const revoke = async (req: FastifyRequest, reply: FastifyReply) => {
    const token = ((req.body ?? {}) as Form).token ?? (req.query as Form).token;
    if (!token) return reply.code(400).send({ error: 'invalid_request', error_description: 'token is required' });
    const revoked = ctx.oauth.revoke(token);
    if (revoked === null) return reply.code(400).send({ error: 'invalid_token', error_description: 'invalid token' });
    return reply.code(200).send('');
  };
  app.post('/services/oauth2/revoke', revoke);
  app.get('/services/oauth2/revoke', revoke);

  // The identity service answers 403 Bad_OAuth_Token (plain text) for a dead token.
  const bearer = (req: FastifyRequest, reply: FastifyReply) => {
    const auth = ctx.authenticate(authorizationToken(req, ['Bearer', 'OAuth']) ?? (req.query as Form).oauth_token);
    if (!auth.ok) {
      void reply.code(403).type('text/plain').send('Bad_OAuth_Token');
      return null;
    }
    if (!auth.token.scope.split(/\s+/).some((s) => IDENTITY_SCOPES.has(s))) {
      // [unverified] the body Salesforce sends to a token without the id scope.
      void reply.code(403).type('text/plain').send('Insufficient_Scope');
      return null;
    }
    return auth.token;
  };
  app.get('/id/:orgId/:userId', async (req, reply) => {
    const token = bearer(req, reply);
    if (!token) return reply;
    const { orgId, userId } = req.params as { orgId: string; userId: string };
    if (orgId !== token.subject.orgId || userId !== token.subject.userId) return reply.code(403).type('text/plain').send('Bad_Id');
    return identity(req, ctx, userId);
  });
  app.get('/services/oauth2/userinfo', async (req, reply) => {
    const token = bearer(req, reply);
    if (!token) return reply;
    const i = identity(req, ctx, token.subject.userId);
    return {
      sub: i.id, user_id: i.user_id, organization_id: i.organization_id, preferred_username: i.username, nickname: i.nick_name,
      name: i.display_name, email: i.email, email_verified: true, given_name: i.first_name, family_name: i.last_name,
      zoneinfo: i.timezone, photos: i.photos, urls: i.urls, active: true, user_type: i.user_type, language: i.language,
      locale: i.locale, utcOffset: 0, updated_at: i.last_modified_date, is_app_installed: true,
    };
  });

  // Salesforce-only switches at run time (not counted, not faulted): {sandboxOrg, bulkFail: ['Contact'], bulkProcessingMs}.
  app.post('/_sandbox/salesforce', { config: { sandboxAdmin: true } }, async (req, reply) => {
    const parsed = adminPatch.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send({ error: 'INVALID_CONFIG', message: parsed.error.message });
    const s = ctx.state.switches;
    if (parsed.data.sandboxOrg !== undefined) s.sandboxOrg = parsed.data.sandboxOrg;
    if (parsed.data.bulkFail !== undefined) s.bulkFail = new Set(parsed.data.bulkFail.map((o) => o.toLowerCase()));
    if (parsed.data.bulkProcessingMs !== undefined) s.bulkProcessingMs = parsed.data.bulkProcessingMs;
    return { sandboxOrg: s.sandboxOrg, bulkFail: [...s.bulkFail], bulkProcessingMs: s.bulkProcessingMs };
  });
}
