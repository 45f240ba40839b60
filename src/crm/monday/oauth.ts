/**
 * What data cannot say about monday.com OAuth (fact sheet §5):
 *   - the token response has no expires_in: the OAuth 2.1 access token is a JWT whose `exp` is its lifetime; a
 *     legacy token (no refresh token, no `exp`) never expires;
 *   - the API host is fixed (api.monday.com), not named in the token response;
 *   - identity is GraphQL `me { id name email account { id name slug } }`;
 *   - revoke is `POST /oauth_ms/oauth/revoke` with a JSON body, answering `{"success": true}`.
 */
import { z } from 'zod';
import type { CrmHosts, CrmIdentity, CrmOAuthHooks, TokenContext, TokenSet } from '../types.js';
import { MONDAY_API_VERSION, mondayDefinition } from './definition.js';
import { MeData } from './parse.js';
import { ME_QUERY } from './queries.js';

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  expires_in: z.number().positive().optional(),
});

/** The `exp` claim (seconds) of a JWT, without verifying it (we are its audience, not its judge). */
export function jwtExpiry(token: string): Date | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? new Date(claims.exp * 1000) : null;
  } catch {
    return null;
  }
}

function apiBase(hosts: CrmHosts): string {
  return (hosts.api ?? mondayDefinition.hosts.api).replace(/\/+$/, '');
}

export function parseMondayTokenResponse(body: Record<string, unknown>, ctx: TokenContext): TokenSet {
  const parsed = TokenResponse.safeParse(body);
  if (!parsed.success) throw new Error(`monday token response without a usable access_token: ${z.prettifyError(parsed.error)}`);
  const t = parsed.data;
  if (t.token_type && t.token_type.toLowerCase() !== 'bearer') throw new Error(`monday token_type "${t.token_type}" is not Bearer`);
  const expiresAt = t.expires_in
    ? new Date(ctx.now.getTime() + t.expires_in * 1000)
    : (jwtExpiry(t.access_token) ?? (t.refresh_token ? new Date(ctx.now.getTime() + (mondayDefinition.oauth.defaultAccessTokenTtlSeconds ?? 3600) * 1000) : null));
  const scopes = t.scope ? t.scope.split(/[\s,]+/).filter(Boolean) : (ctx.previous?.scopes ?? []);
  return {
    accessToken: t.access_token,
    ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}),
    expiresAt,
    instanceUrl: apiBase(ctx.hosts),
    scopes,
  };
}

export async function fetchMondayIdentity(fetch: typeof globalThis.fetch, tokens: TokenSet): Promise<CrmIdentity> {
  const res = await fetch(`${tokens.instanceUrl.replace(/\/+$/, '')}/v2`, {
    method: 'POST',
    headers: { authorization: tokens.accessToken, 'api-version': MONDAY_API_VERSION, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: ME_QUERY }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`monday identity call answered HTTP ${res.status}: ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as { data?: unknown; errors?: { message?: string }[] };
  if (body.errors?.length) throw new Error(`monday identity call failed: ${body.errors.map((e) => e.message).join('; ')}`);
  const me = MeData.parse(body.data).me;
  return { externalOrgId: me.account.id, externalUserId: me.id, username: me.name, email: me.email, isSandbox: false };
}

export async function revokeMondayToken(
  fetch: typeof globalThis.fetch,
  args: { token: string; kind: 'refresh_token' | 'access_token'; hosts: CrmHosts; clientId: string; clientSecret: string },
): Promise<void> {
  const base = (args.hosts.revoke ?? args.hosts.token).replace(/\/+$/, '');
  const res = await fetch(`${base}${mondayDefinition.oauth.revokePath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ token: args.token, token_type_hint: args.kind, client_id: args.clientId, client_secret: args.clientSecret }),
  });
  const text = await res.text();
  let ok: boolean;
  try {
    ok = res.ok && (JSON.parse(text) as { success?: unknown }).success === true;
  } catch {
    ok = false;
  }
  if (!ok) throw new Error(`monday revoke answered HTTP ${res.status}: ${text.slice(0, 200)}`);
}

export const mondayOAuth: CrmOAuthHooks = {
  parseTokenResponse: parseMondayTokenResponse,
  fetchIdentity: (fetch, tokens) => fetchMondayIdentity(fetch, tokens),
  revoke: (fetch, args) => revokeMondayToken(fetch, args),
};
