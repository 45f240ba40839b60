/**
 * Pipedrive's OAuth server (oauth.pipedrive.com, served under the sandbox base URL), per
 * marketplace-oauth-authorization and marketplace-oauth-and-api-proxy-status-codes:
 *   GET  /oauth/authorize?client_id&redirect_uri&state   consent page (scopes are fixed on the app, not in the URL);
 *        Allow → `?code&state`, Deny → `?error=user_denied&state`; codes live 5 minutes and are single-use. No PKCE.
 *   POST /oauth/token     form-encoded, HTTP Basic client auth (body credentials also accepted, "not recommended");
 *        `{access_token, token_type, expires_in: 3600, refresh_token, scope, api_domain}`; a refresh returns the
 *        same refresh token (no rotation) and extends its 60-day idle expiry.
 *   POST /oauth/revoke    Basic auth, `token` + `token_type_hint`; 200 whatever the token (RFC 7009).
 * Error messages are the documented ones; the body shape `{error, error_description}` is [unverified]: the
 * messages are node-oauth2-server's (e.g. "Missing parameter: `grant_type`"), whose Express adapter answers
 * `{ error: <name>, error_description: <message> }` (RFC 6749 §5.2). The docs list every case as 400.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decideConsent, renderConsentPage, renderOAuthErrorPage, type OAuthFailure } from '../common/index.js';
import { grantedScopes, type PdCtx } from './guard.js';
import { COMPANY_ID, userId } from './ids.js';

type Form = Record<string, string | undefined>;

const oauthError = (reply: FastifyReply, error: string, description: string) => reply.code(400).send({ error, error_description: description });

/** RFC 6749 §2.3.1: Basic credentials are form-encoded first; tolerate clients that skip it. */
function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Client credentials from `Authorization: Basic` (preferred) or the body. */
function clientCredentials(req: FastifyRequest, body: Form): { id?: string; secret?: string } {
  const h = req.headers.authorization;
  const m = h ? /^Basic\s+(\S+)$/i.exec(h.trim()) : null;
  if (m) {
    const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  }
  return { id: body.client_id, secret: body.client_secret };
}

function isUri(s: string | undefined): boolean {
  if (!s) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

/** The documented message for a failed exchange or refresh. */
function describe(f: OAuthFailure, grant: 'authorization_code' | 'refresh_token'): [string, string] {
  if (f.error === 'invalid_client') return ['invalid_client', 'Invalid client: client is invalid'];
  if (f.reason === 'redirect_uri_mismatch') return ['invalid_request', 'Invalid request: `redirect_uri` is invalid'];
  if (grant === 'refresh_token') return ['invalid_grant', 'Invalid grant: `refresh_token` is invalid'];
  if (f.reason === 'expired_code') return ['invalid_grant', 'Invalid grant: `authorization_code` has expired'];
  return ['invalid_grant', 'Invalid grant: `authorization_code` is invalid'];
}

export function oauthRoutes(app: FastifyInstance, ctx: PdCtx): void {
  const subject = { userId: String(userId(0)), orgId: String(COMPANY_ID) };

  app.get('/oauth/authorize', async (req, reply) => {
    const q = req.query as Form;
    const check = ctx.oauth.validateAuthorize({ clientId: q.client_id, redirectUri: q.redirect_uri, responseType: q.response_type, pkce: 'unsupported' });
    if (!check.ok) return reply.code(400).type('text/html').send(renderOAuthErrorPage(ctx.displayName, check));
    return reply.type('text/html').send(renderConsentPage({
      crmName: ctx.displayName, clientName: check.client.name ?? check.client.id, clientId: check.client.id,
      scopes: grantedScopes(ctx).split(','), action: `${ctx.baseUrl(req)}/oauth/authorize`, fields: q,
      userLabel: ctx.world.owners[0]?.email,
    }));
  });

  app.post('/oauth/authorize', async (req, reply) => {
    // The app's scopes, whatever the form says: Pipedrive takes no scope parameter.
    const form = { ...(req.body as Form), scope: grantedScopes(ctx) };
    const d = decideConsent(ctx.oauth, form, { subject, pkce: 'unsupported', deniedError: 'user_denied' });
    if (!d.ok && !d.location) return reply.code(400).type('text/html').send(renderOAuthErrorPage(ctx.displayName, d));
    return reply.redirect(d.location as string, 302);
  });

  app.post('/oauth/token', async (req, reply) => {
    if (!String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return oauthError(reply, 'invalid_request', 'Invalid request: content must be application/x-www-form-urlencoded');
    }
    const body = (req.body ?? {}) as Form;
    const client = clientCredentials(req, body);
    if (!client.id || !client.secret) return oauthError(reply, 'invalid_client', 'Invalid client: cannot retrieve client credentials');
    const grant = body.grant_type;
    if (!grant) return oauthError(reply, 'invalid_request', 'Missing parameter: `grant_type`');
    let result;
    if (grant === 'authorization_code') {
      if (!isUri(body.redirect_uri)) return oauthError(reply, 'invalid_request', 'Invalid request: `redirect_uri` is not a valid URI');
      result = ctx.oauth.exchangeCode({ code: body.code, clientId: client.id, clientSecret: client.secret, redirectUri: body.redirect_uri });
    } else if (grant === 'refresh_token') {
      result = ctx.oauth.refreshAccessToken({ refreshToken: body.refresh_token, clientId: client.id, clientSecret: client.secret });
    } else {
      return oauthError(reply, 'unsupported_grant_type', 'Unsupported grant type: `grant_type` is invalid');
    }
    if (!result.ok) {
      const [error, description] = describe(result, grant);
      return oauthError(reply, error, description);
    }
    return {
      access_token: result.accessToken,
      token_type: 'Bearer',
      expires_in: result.expiresIn,
      // No rotation: a refresh answers with the refresh token it was given (its 60-day window restarts).
      refresh_token: result.refreshToken ?? body.refresh_token,
      scope: result.scope,
      api_domain: ctx.baseUrl(req),
    };
  });

  app.post('/oauth/revoke', async (req, reply) => {
    const body = (req.body ?? {}) as Form;
    const client = clientCredentials(req, body);
    const auth = ctx.oauth.authenticateClient(client.id, client.secret);
    if (!auth.ok) return oauthError(reply, 'invalid_client', client.id && client.secret ? 'Invalid client: client is invalid' : 'Invalid client: cannot retrieve client credentials');
    const hint = body.token_type_hint === 'refresh_token' || body.token_type_hint === 'access_token' ? body.token_type_hint : undefined;
    ctx.oauth.revoke(body.token, hint);
    return reply.code(200).send();
  });
}
