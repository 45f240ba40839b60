/**
 * What data cannot say about Pipedrive's OAuth: the token response (`api_domain` names the company's API host,
 * the scope list is comma-separated, a refresh hands back the same refresh token) and the identity call
 * (`GET {api_domain}/api/v1/users/me`). Revocation is plain RFC 7009 with Basic auth, the generic default.
 */
import { z } from 'zod';
import type { CrmHosts, CrmIdentity, CrmOAuthHooks, TokenContext, TokenSet } from '../types.js';
import { parseMe } from './parse.js';

const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().positive(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  api_domain: z.string().optional(),
});

/**
 * The API host must be a company host of Pipedrive's (https://<company>.pipedrive.com) — or, against a local
 * sandbox, the sandbox itself — so a forged token response cannot send our bearer tokens elsewhere.
 */
function trustedApiDomain(raw: string, hosts: CrmHosts): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`Pipedrive returned an unreadable api_domain "${raw}"`);
  }
  const origin = u.origin;
  const sandboxOrigins = [hosts.api, hosts.token, hosts.authorize].filter((h): h is string => Boolean(h)).map((h) => new URL(h).origin);
  const pipedrive = u.protocol === 'https:' && (u.hostname === 'pipedrive.com' || u.hostname.endsWith('.pipedrive.com'));
  const sandbox = sandboxOrigins.includes(origin);
  if (!pipedrive && !sandbox) throw new Error(`Pipedrive returned an api_domain outside pipedrive.com: ${origin}`);
  // A sandbox mounted under a prefix (/sandbox/pipedrive) keeps its path.
  return sandbox ? raw.replace(/\/+$/, '') : origin;
}

export function parseTokenResponse(body: Record<string, unknown>, ctx: TokenContext): TokenSet {
  const r = TokenResponse.safeParse(body);
  if (!r.success) throw new Error(`Pipedrive token response is not usable: ${z.prettifyError(r.error).slice(0, 300)}`);
  const t = r.data;
  const instanceUrl = t.api_domain ? trustedApiDomain(t.api_domain, ctx.hosts) : ctx.previous?.instanceUrl;
  if (!instanceUrl) throw new Error('Pipedrive token response has no api_domain');
  return {
    accessToken: t.access_token,
    ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}),
    expiresAt: new Date(ctx.now.getTime() + t.expires_in * 1000),
    instanceUrl,
    scopes: t.scope ? t.scope.split(',').map((s) => s.trim()).filter(Boolean) : (ctx.previous?.scopes ?? []),
  };
}

export async function fetchIdentity(fetch: typeof globalThis.fetch, tokens: TokenSet): Promise<CrmIdentity> {
  const res = await fetch(`${tokens.instanceUrl}/api/v1/users/me`, { headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`Pipedrive /users/me answered ${res.status}: ${text.slice(0, 200)}`);
  const me = parseMe(JSON.parse(text));
  return {
    externalOrgId: String(me.company_id),
    externalUserId: String(me.id),
    username: me.name,
    email: me.email,
    // Pipedrive's developer sandbox accounts are ordinary companies to the API; nothing marks them.
    isSandbox: false,
  };
}

export const pipedriveOAuth: CrmOAuthHooks = { parseTokenResponse, fetchIdentity };
