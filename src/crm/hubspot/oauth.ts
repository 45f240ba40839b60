/**
 * What data cannot say about HubSpot's OAuth: the token response (snake_case on v1/v3; the newer reference pages
 * show camelCase, accepted too), the identity call (access-token info, then account details for the account type)
 * and the fixed API host. Refresh tokens are not rotated: a refresh answers with the same refresh token.
 */
import { z } from 'zod';
import type { CrmHosts, CrmIdentity, CrmOAuthHooks, TokenContext, TokenSet } from '../types.js';
import { hubspotDefinition } from './definition.js';

const tokenResponse = z.object({
  access_token: z.string().min(1).optional(),
  accessToken: z.string().min(1).optional(),
  refresh_token: z.string().min(1).optional(),
  refreshToken: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive().optional(),
  expiresIn: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  hub_id: z.union([z.number(), z.string()]).optional(),
  hubId: z.union([z.number(), z.string()]).optional(),
});

const apiBase = (hosts: CrmHosts) => (hosts.api ?? hubspotDefinition.hosts.api!).replace(/\/+$/, '');

export function parseTokenResponse(body: Record<string, unknown>, ctx: TokenContext): TokenSet {
  const r = tokenResponse.safeParse(body);
  if (!r.success) throw new Error(`HubSpot token response does not match the expected shape: ${r.error.issues.map((i) => i.path.join('.') + ' ' + i.message).join('; ')}`);
  const b = r.data;
  const accessToken = b.access_token ?? b.accessToken;
  if (!accessToken) throw new Error('HubSpot token response has no access_token');
  const expiresIn = b.expires_in ?? b.expiresIn ?? hubspotDefinition.oauth.defaultAccessTokenTtlSeconds!;
  const scopes = b.scopes ?? (b.scope ? b.scope.split(/\s+/).filter(Boolean) : (ctx.previous?.scopes ?? [...hubspotDefinition.oauth.scopes]));
  const hubId = b.hub_id ?? b.hubId;
  const refreshToken = b.refresh_token ?? b.refreshToken;
  return {
    accessToken,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: new Date(ctx.now.getTime() + expiresIn * 1000),
    instanceUrl: apiBase(ctx.hosts),
    scopes,
    ...(hubId !== undefined ? { extra: { hubId: String(hubId) } } : {}),
  };
}

const tokenInfo = z.object({
  hub_id: z.number(),
  user_id: z.number().optional(),
  user: z.string().optional(),
  hub_domain: z.string().optional(),
});
const accountInfo = z.object({ accountType: z.string().optional() });

/** Account types HubSpot reports for non-production accounts (account-info API). */
const SANDBOX_ACCOUNT_TYPES = new Set(['SANDBOX', 'DEVELOPER_TEST', 'DEVELOPER_TEST_ACCOUNT']);

export async function fetchIdentity(fetch: typeof globalThis.fetch, tokens: TokenSet, hosts: CrmHosts): Promise<CrmIdentity> {
  const base = apiBase(hosts);
  const res = await fetch(`${base}/oauth/v1/access-tokens/${encodeURIComponent(tokens.accessToken)}`, { headers: { accept: 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`HubSpot access-token info answered ${res.status}: ${text.slice(0, 300)}`);
  const info = tokenInfo.parse(JSON.parse(text));
  // Developer test accounts and sandboxes are told apart by account-info's accountType; a failure there is not fatal.
  let isSandbox = false;
  try {
    const acc = await fetch(`${base}/account-info/v3/details`, { headers: { accept: 'application/json', authorization: `Bearer ${tokens.accessToken}` } });
    if (acc.ok) isSandbox = SANDBOX_ACCOUNT_TYPES.has(accountInfo.parse(await acc.json()).accountType ?? '');
  } catch {
    isSandbox = false;
  }
  return {
    externalOrgId: String(info.hub_id),
    externalUserId: String(info.user_id ?? info.user ?? ''),
    ...(info.user ? { username: info.user, ...(info.user.includes('@') ? { email: info.user } : {}) } : {}),
    isSandbox,
  };
}

export const hubspotOAuth: CrmOAuthHooks = { parseTokenResponse, fetchIdentity };
