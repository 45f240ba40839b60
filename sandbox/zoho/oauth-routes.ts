/**
 * Zoho Accounts, as the sandbox serves it under its base URL:
 *   GET  /oauth/v2/auth           consent page (scope=A,B&client_id&response_type=code&access_type=offline&redirect_uri&state[&prompt=consent])
 *   POST /oauth/v2/auth           Allow → redirect_uri?code&state&location&accounts-server; Deny → error=access_denied
 *   POST /oauth/v2/token          authorization_code | refresh_token; parameters in the query string (as Zoho
 *                                 documents), a form body or multipart (the Zoho SDK sends multipart)
 *   POST /oauth/v2/token/revoke   ?token=<refresh token>
 * Codes live 2 minutes and are single use; access tokens 3600 s; refresh tokens never expire and do not rotate;
 * a refresh token is issued for access_type=offline only the first time (or with prompt=consent). Token errors
 * come back with HTTP 200 and `{"error":"invalid_code"}`-style bodies, and the accounts server allows at most 10
 * access tokens per refresh token per 10 minutes. PKCE (S256 or plain) is accepted as for Zoho's mobile/desktop
 * clients. Docs: zoho.com/accounts/protocol/oauth/web-apps/authorization.html, …/access-token-expiry.html,
 * …/mobile-and-desktop-apps/get-authorization-code.html; limits: zoho.com/pdfeditor/help/api/oauth-step4.html.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decideConsent, renderConsentPage, renderOAuthErrorPage, withQuery, type OAuthFailure, type TokenResult } from '../common/index.js';
import type { Ctx } from './guard.js';
import { CODE, zohoId } from './ids.js';
import { userId } from './refs.js';

export const SANDBOX_USER = 0;
export const orgIdOf = (): string => zohoId(CODE.Org, 1);

const FIELDS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'access_type', 'prompt', 'code_challenge', 'code_challenge_method'] as const;

function params(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (src: unknown) => {
    if (src && typeof src === 'object' && !Buffer.isBuffer(src)) {
      for (const [k, v] of Object.entries(src as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
    }
  };
  add(req.query);
  add(req.body);
  return out;
}

/** Zoho's token-endpoint error names for the store's failure reasons. */
function tokenError(f: OAuthFailure): string {
  switch (f.reason) {
    case 'unknown_client':
      return 'invalid_client';
    case 'missing_client_secret':
    case 'bad_client_secret':
      return 'invalid_client_secret';
    case 'redirect_uri_mismatch':
      return 'invalid_redirect_uri';
    default:
      return 'invalid_code';
  }
}

export function oauthRoutes(app: FastifyInstance, ctx: Ctx): void {
  const subject = () => ({ userId: userId(SANDBOX_USER), orgId: orgIdOf() });

  app.get('/oauth/v2/auth', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const check = ctx.oauth.validateAuthorize({
      clientId: q.client_id, redirectUri: q.redirect_uri, responseType: q.response_type,
      codeChallenge: q.code_challenge, codeChallengeMethod: q.code_challenge_method,
    });
    if (!check.ok) {
      if (check.redirectable && check.redirectUri) return reply.redirect(withQuery(check.redirectUri, { error: check.error, state: q.state }), 302);
      return reply.code(400).type('text/html').send(renderOAuthErrorPage(ctx.displayName, check));
    }
    if (!q.scope) return reply.redirect(withQuery(check.redirectUri, { error: 'invalid_scope', state: q.state }), 302);
    const fields = Object.fromEntries(FIELDS.map((k) => [k, q[k]]));
    return reply.type('text/html').send(renderConsentPage({
      crmName: ctx.displayName, clientName: check.client.name ?? check.client.id, clientId: check.client.id,
      scopes: q.scope.split(',').map((s) => s.trim()).filter(Boolean), action: `${ctx.baseUrl(req)}/oauth/v2/auth`, fields,
      userLabel: ctx.world.owners[SANDBOX_USER]?.email,
    }));
  });

  app.post('/oauth/v2/auth', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const key = `${body.client_id} ${subject().userId}`;
    // Zoho issues a refresh token for access_type=offline the first time, or every time with prompt=consent.
    const offline = body.access_type === 'offline' && (body.prompt === 'consent' || !ctx.state.offlineGranted.has(key));
    const d = decideConsent(ctx.oauth, body, {
      subject: subject(), pkce: 'optional', offline,
      extraParams: { location: ctx.state.settings.location, 'accounts-server': ctx.baseUrl(req) },
    });
    if (!d.ok && !d.location) return reply.code(400).type('text/html').send(renderOAuthErrorPage(ctx.displayName, d));
    if (d.ok && d.code && offline) ctx.state.offlineGranted.add(key);
    return reply.redirect(d.location as string, 302);
  });

  const tokenReply = (req: FastifyRequest, reply: FastifyReply, r: TokenResult) => {
    if (!r.ok) return reply.code(200).send({ error: tokenError(r) });
    return {
      access_token: r.accessToken,
      ...(r.refreshToken ? { refresh_token: r.refreshToken } : {}),
      scope: r.scope.split(/[\s,]+/).filter(Boolean).join(' '),
      api_domain: ctx.baseUrl(req),
      token_type: 'Bearer',
      expires_in: r.expiresIn ?? 3600,
    };
  };

  app.post('/oauth/v2/token', async (req, reply) => {
    const p = params(req);
    if (p.grant_type === 'authorization_code') {
      return tokenReply(req, reply, ctx.oauth.exchangeCode({ code: p.code, clientId: p.client_id, clientSecret: p.client_secret, redirectUri: p.redirect_uri, codeVerifier: p.code_verifier }));
    }
    if (p.grant_type === 'refresh_token') {
      const d = ctx.consume([{ policy: 'token-refresh', key: p.refresh_token ?? '' }]);
      if (d.denied) {
        return reply.code(400).send({ error_description: 'You have made too many requests continuously. Please try again after some time.', error: 'Access Denied', status: 'failure' });
      }
      return tokenReply(req, reply, ctx.oauth.refreshAccessToken({ refreshToken: p.refresh_token, clientId: p.client_id, clientSecret: p.client_secret }));
    }
    return reply.code(200).send({ error: 'unsupported_grant_type' });
  });

  app.post('/oauth/v2/token/revoke', async (req, reply) => {
    const p = params(req);
    if (!p.token) return reply.code(200).send({ error: 'invalid_request' });
    ctx.oauth.revoke(p.token, 'refresh_token');
    return { status: 'success' };
  });
}
