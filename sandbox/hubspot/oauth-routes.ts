/**
 * HubSpot OAuth as the sandbox serves it (app host and API host paths under one base URL):
 *   GET  /oauth/authorize, /oauth/{portalId}/authorize  consent page (space-separated scope + optional_scope)
 *   POST /oauth/authorize                               the page's Allow/Deny → redirect with code+state or error
 *   POST /oauth/v1/token (legacy, what the SDK uses), /oauth/v3/token   form body; client_secret_post
 *   GET  /oauth/v1/access-tokens/{token}                token info: the identity call
 *   DELETE /oauth/v1/refresh-tokens/{token}             legacy revoke: the refresh token only, access tokens live on
 *   POST /oauth/2026-03/token/revoke                     RFC 7009 revoke (token + client credentials)
 * Tokens last 1800 s; refresh tokens never expire and are not rotated (a refresh answers with the same one).
 * PKCE: the token endpoints document `code_verifier` (https://developers.hubspot.com/docs/api-reference/legacy/
 * authentication/oauth-tokens/create-oauth-token); the authorize side is undocumented, so the sandbox accepts an
 * optional S256 challenge and, when one was sent, requires the matching verifier.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decideConsent, renderConsentPage, renderOAuthErrorPage, type OAuthFailure } from '../common/index.js';
import { expiredToken, notFound, oauthError } from './errors.js';
import { APP_ID, HUB_ID, USER_ID, type Ctx } from './state.js';

const SUBJECT = { userId: USER_ID, orgId: HUB_ID };
export const HUB_DOMAIN = 'crm-migrate-sandbox.hubspot.example';

/** OAuthStore failure reason → HubSpot's legacy status code and message. */
function tokenError(f: OAuthFailure, grant: 'authorization_code' | 'refresh_token'): [string, string] {
  switch (f.reason) {
    case 'unknown_client':
    case 'client_mismatch':
      return f.reason === 'unknown_client' ? ['BAD_CLIENT_ID', 'missing or unknown client id'] : ['BAD_AUTH_CODE', 'auth code was issued to another client'];
    case 'missing_client_secret':
    case 'bad_client_secret':
      return ['BAD_CLIENT_SECRET', 'missing or invalid client secret'];
    case 'redirect_uri_mismatch':
      return ['BAD_REDIRECT_URI', 'redirect_uri does not match the one used when authorizing'];
    default:
      return grant === 'refresh_token' ? ['BAD_REFRESH_TOKEN', 'missing or invalid refresh token'] : ['BAD_AUTH_CODE', `missing or invalid auth code (${f.description})`];
  }
}

function tokenHandler(ctx: Ctx, version: 'v1' | 'v3') {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    const fail = (f: OAuthFailure, grant: 'authorization_code' | 'refresh_token') => {
      const [status, message] = tokenError(f, grant);
      return reply.code(400).send(oauthError(status, message, version === 'v3' ? { error: f.error, description: f.description } : undefined));
    };
    if (b.grant_type === 'refresh_token') {
      if (b.refresh_token && ctx.state.revokedRefreshTokens.has(b.refresh_token)) {
        return fail({ ok: false, error: 'invalid_grant', reason: 'revoked_refresh_token', description: 'refresh token is invalid, expired or revoked' }, 'refresh_token');
      }
      const r = ctx.oauth.refreshAccessToken({ refreshToken: b.refresh_token, clientId: b.client_id, clientSecret: b.client_secret });
      if (!r.ok) return fail(r, 'refresh_token');
      return tokenBody(version, r.accessToken, r.refreshToken ?? b.refresh_token!, r.expiresIn, r.scope);
    }
    if (b.grant_type === 'authorization_code') {
      const r = ctx.oauth.exchangeCode({ code: b.code, clientId: b.client_id, clientSecret: b.client_secret, redirectUri: b.redirect_uri, codeVerifier: b.code_verifier });
      if (!r.ok) return fail(r, 'authorization_code');
      return tokenBody(version, r.accessToken, r.refreshToken!, r.expiresIn, r.scope);
    }
    return reply.code(400).send(oauthError('BAD_GRANT_TYPE', 'grant_type must be authorization_code or refresh_token', version === 'v3' ? { error: 'unsupported_grant_type', description: 'unsupported grant_type' } : undefined));
  };
}

function tokenBody(version: 'v1' | 'v3', accessToken: string, refreshToken: string, expiresIn: number | null, scope: string): Record<string, unknown> {
  const base = { token_type: 'bearer', refresh_token: refreshToken, access_token: accessToken, expires_in: expiresIn ?? 1800 };
  // The v3 reference adds the account, user and scopes (https://developers.hubspot.com/docs/api-reference/auth-oauth-v3/guide).
  return version === 'v1' ? base : { ...base, hub_id: Number(HUB_ID), user_id: Number(USER_ID), scopes: scope.split(' ').filter(Boolean) };
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: Ctx): void {
  const consentPage = async (req: FastifyRequest, reply: FastifyReply) => {
    const q = req.query as Record<string, string | undefined>;
    const check = ctx.oauth.validateAuthorize({
      clientId: q.client_id, redirectUri: q.redirect_uri, responseType: q.response_type, codeChallenge: q.code_challenge, codeChallengeMethod: q.code_challenge_method, pkce: 'optional',
    });
    if (!check.ok && !check.redirectable) return reply.code(400).type('text/html').send(renderOAuthErrorPage(ctx.displayName, check));
    const scopes = `${q.scope ?? ''} ${q.optional_scope ?? ''}`.split(/[\s,+]+/).filter(Boolean);
    return reply.type('text/html').send(renderConsentPage({
      crmName: ctx.displayName, clientName: check.ok ? (check.client.name ?? check.client.id) : String(q.client_id), clientId: String(q.client_id),
      scopes, action: `${ctx.baseUrl(req)}/oauth/authorize`, fields: q,
    }));
  };
  app.get('/oauth/authorize', consentPage);
  app.get('/oauth/:portalId/authorize', consentPage);

  app.post('/oauth/authorize', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const scope = `${body.scope ?? ''} ${body.optional_scope ?? ''}`.split(/[\s,+]+/).filter(Boolean).join(' ');
    const d = decideConsent(ctx.oauth, { ...body, scope }, { subject: SUBJECT, pkce: 'optional' });
    if (!d.ok && !('location' in d && d.location)) return reply.code(400).type('text/html').send(renderOAuthErrorPage(ctx.displayName, d));
    return reply.redirect((d as { location: string }).location, 302);
  });

  app.post('/oauth/v1/token', tokenHandler(ctx, 'v1'));
  app.post('/oauth/v3/token', tokenHandler(ctx, 'v3'));

  app.get('/oauth/v1/access-tokens/:token', async (req, reply) => {
    const check = ctx.oauth.checkAccessToken((req.params as { token: string }).token);
    if (!check.ok) {
      if (check.reason === 'expired') return reply.code(401).send(expiredToken(check.expiredAt, ctx.clock.now()));
      return reply.code(404).send(notFound('Token not found'));
    }
    const t = check.token;
    return {
      token: t.token, user: ctx.world.owners[0]?.email ?? 'owner@sandbox.example', hub_domain: HUB_DOMAIN, scopes: t.scope.split(' ').filter(Boolean),
      scope_to_scope_group_pks: [], trial_scopes: [], trial_scope_to_scope_group_pks: [], hub_id: Number(t.subject.orgId), app_id: Number(APP_ID),
      expires_in: t.expiresAt === null ? 0 : Math.max(0, Math.floor((t.expiresAt - ctx.clock.now()) / 1000)), user_id: Number(t.subject.userId), token_type: 'access',
    };
  });

  app.delete('/oauth/v1/refresh-tokens/:token', async (req, reply) => {
    ctx.state.revokedRefreshTokens.add((req.params as { token: string }).token);
    return reply.code(204).send();
  });

  app.post('/oauth/2026-03/token/revoke', async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    const client = ctx.oauth.authenticateClient(b.client_id, b.client_secret);
    if (!client.ok) return reply.code(401).send({ error: 'invalid_client', error_description: client.description });
    const hint = b.token_type_hint === 'access_token' || b.token_type_hint === 'refresh_token' ? b.token_type_hint : undefined;
    if (ctx.oauth.revoke(b.token, hint) === 'refresh_token' && b.token) ctx.state.revokedRefreshTokens.add(b.token);
    return reply.code(200).send({});
  });
}
