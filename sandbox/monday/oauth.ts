/**
 * monday.com OAuth, both flows (fact sheet §5; https://developer.monday.com/apps/docs/oauth and
 * https://developer.monday.com/apps/docs/migrating-to-the-new-oauth-flow), all on auth.monday.com, served here
 * under the sandbox base URL:
 *   GET/POST /oauth2/authorize   consent page (Allow/Deny); the app version's flow decides PKCE: 2.1 requires S256
 *   POST /oauth2/token           legacy exchange → { access_token, token_type, scope }: never expires, no refresh token
 *   POST /oauth_ms/oauth/token   OAuth 2.1, JSON body, client_secret_post → { access_token (JWT, read `exp`),
 *                                refresh_token, token_type, scope }; refresh tokens rotate
 *   POST /oauth_ms/oauth/revoke  → { "success": true }
 *   GET  /oauth_ms/.well-known/oauth-authorization-server
 * Codes live 10 minutes and are single-use (OAuthStore). `--option oauthFlow=legacy` switches the app version
 * to the legacy flow (no PKCE requirement, no refresh tokens).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decideConsent, renderConsentPage, renderOAuthErrorPage, withQuery, type IssuedTokens, type SandboxContext, type TokenResult } from '../common/index.js';
import { ACCOUNT, userId } from './ids.js';
import { signJwt, verifyJwt } from './jwt.js';
import type { MondayState } from './state.js';

type Ctx = SandboxContext<MondayState>;

/** Scopes monday apps can request (https://developer.monday.com/apps/docs/oauth#scopes). */
export const MONDAY_SCOPES = ['me:read', 'boards:read', 'boards:write', 'users:read', 'account:read', 'workspaces:read', 'updates:read', 'assets:read', 'tags:read', 'teams:read'];

function accessJwt(ctx: Ctx, t: IssuedTokens): string {
  return signJwt(ctx.state.secret, {
    jti: t.accessToken, uid: Number(t.subject.userId), actid: Number(t.subject.orgId), aai: 10_001, rgn: 'use1', per: 'me:write', scp: t.scope,
    iat: Math.floor(t.issuedAt / 1000),
    ...(t.expiresAt === null ? {} : { exp: Math.floor(t.expiresAt / 1000) }),
  });
}

function str(body: unknown, key: string): string | undefined {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function oauthError(reply: FastifyReply, r: Extract<TokenResult, { ok: false }>): FastifyReply {
  const status = r.error === 'invalid_client' ? 401 : 400;
  return reply.code(status).send({ error: r.error, error_description: r.description });
}

function isJson(req: FastifyRequest): boolean {
  return /^application\/json\b/i.test(req.headers['content-type'] ?? '');
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: Ctx): void {
  const pkce = ctx.state.flow === '2.1' ? 'required' : 'optional';

  app.get('/oauth2/authorize', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const check = ctx.oauth.validateAuthorize({
      clientId: q.client_id, redirectUri: q.redirect_uri, responseType: q.response_type,
      codeChallenge: q.code_challenge, codeChallengeMethod: q.code_challenge_method, pkce,
    });
    if (!check.ok) {
      if (!check.redirectable || !check.redirectUri) return reply.code(400).type('text/html').send(renderOAuthErrorPage(ctx.displayName, check));
      return reply.redirect(withQuery(check.redirectUri, { error: check.error, error_description: check.description, state: q.state }), 302);
    }
    return reply.type('text/html').send(renderConsentPage({
      crmName: ctx.displayName, clientName: check.client.name ?? check.client.id, clientId: check.client.id,
      scopes: (q.scope ?? '').split(/[\s,]+/).filter(Boolean), action: `${ctx.baseUrl(req)}/oauth2/authorize`, fields: q,
      userLabel: `${ctx.world.owners[0]?.email ?? ''} (${ACCOUNT.slug}.monday.com)`,
    }));
  });

  app.post('/oauth2/authorize', async (req, reply) => {
    const d = decideConsent(ctx.oauth, req.body as Record<string, unknown>, {
      subject: { userId: userId(0), orgId: ACCOUNT.id },
      pkce,
      offline: ctx.state.flow === '2.1',
      extra: { flow: ctx.state.flow },
    });
    if (!d.ok && !d.location) return reply.code(400).type('text/html').send(renderOAuthErrorPage(ctx.displayName, d));
    return reply.redirect(d.location as string, 302);
  });

  /** A code must be exchanged at its own flow's endpoint; otherwise the tokens just issued are withdrawn. */
  const mismatched = (r: IssuedTokens, flow: '2.1' | 'legacy'): boolean => {
    if ((r.extra.flow ?? '2.1') === flow) return false;
    ctx.oauth.revokeGrant(r.grantId);
    return true;
  };

  // Legacy: JSON or form body { client_id, client_secret, code, redirect_uri }.
  app.post('/oauth2/token', async (req, reply) => {
    const b = req.body;
    const ttl = ctx.oauth.accessTokenTtlSeconds;
    ctx.oauth.accessTokenTtlSeconds = null; // legacy tokens never expire; exchangeCode is synchronous
    let r: TokenResult;
    try {
      r = ctx.oauth.exchangeCode({ code: str(b, 'code'), clientId: str(b, 'client_id'), clientSecret: str(b, 'client_secret'), redirectUri: str(b, 'redirect_uri') });
    } finally {
      ctx.oauth.accessTokenTtlSeconds = ttl;
    }
    if (!r.ok) return oauthError(reply, r);
    if (mismatched(r, 'legacy')) return reply.code(400).send({ error: 'invalid_grant', error_description: 'authorization code was issued for the new OAuth flow' });
    return { access_token: accessJwt(ctx, r), token_type: 'Bearer', scope: r.scope };
  });

  // OAuth 2.1: the migration guide documents a JSON body; a form body is refused so a client sending one fails here, not in production.
  app.post('/oauth_ms/oauth/token', async (req, reply) => {
    if (!isJson(req)) return reply.code(400).send({ error: 'invalid_request', error_description: 'request body must be application/json' });
    const b = req.body;
    const grant = str(b, 'grant_type');
    let r: TokenResult;
    if (grant === 'authorization_code') {
      r = ctx.oauth.exchangeCode({ code: str(b, 'code'), clientId: str(b, 'client_id'), clientSecret: str(b, 'client_secret'), redirectUri: str(b, 'redirect_uri'), codeVerifier: str(b, 'code_verifier') });
      if (r.ok && mismatched(r, '2.1')) return reply.code(400).send({ error: 'invalid_grant', error_description: 'authorization code was issued for the legacy OAuth flow' });
    } else if (grant === 'refresh_token') {
      r = ctx.oauth.refreshAccessToken({ refreshToken: str(b, 'refresh_token'), clientId: str(b, 'client_id'), clientSecret: str(b, 'client_secret') });
    } else {
      return reply.code(400).send({ error: 'unsupported_grant_type', error_description: `grant_type ${grant ?? '(missing)'} is not supported` });
    }
    if (!r.ok) return oauthError(reply, r);
    return { access_token: accessJwt(ctx, r), ...(r.refreshToken ? { refresh_token: r.refreshToken } : {}), token_type: 'Bearer', scope: r.scope };
  });

  app.post('/oauth_ms/oauth/revoke', async (req, reply) => {
    const b = req.body;
    const client = ctx.oauth.authenticateClient(str(b, 'client_id'), str(b, 'client_secret'));
    if (!client.ok) return oauthError(reply, client);
    const token = str(b, 'token');
    const hint = str(b, 'token_type_hint');
    const claims = token ? verifyJwt(ctx.state.secret, token) : null;
    ctx.oauth.revoke(claims ? claims.jti : token, claims ? 'access_token' : hint === 'access_token' ? 'access_token' : 'refresh_token');
    return { success: true }; // unknown tokens too (RFC 7009 §2.2)
  });

  app.get('/oauth_ms/.well-known/oauth-authorization-server', async (req) => {
    const base = ctx.baseUrl(req);
    return {
      issuer: `${base}/oauth_ms`,
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth_ms/oauth/token`,
      revocation_endpoint: `${base}/oauth_ms/oauth/revoke`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
      revocation_endpoint_auth_methods_supported: ['client_secret_post'],
      scopes_supported: MONDAY_SCOPES,
    };
  });
}
