/**
 * Salesforce's OAuth quirks: the token response has no expires_in but names the API host (`instance_url`), the
 * identity URL (`id`) and `issued_at`; a refresh returns no refresh token unless the connected app rotates them.
 * After connecting, the identity URL says who and which org, and `SELECT IsSandbox FROM Organization` whether
 * the org is a sandbox (the identity response does not say). Revocation is the standard RFC 7009 form POST.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
import { z } from 'zod';
import type { CrmIdentity, CrmOAuthHooks, TokenContext, TokenSet } from '../types.js';
import { API_VERSION, salesforceDefinition } from './definition.js';

const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.url().optional(),
  id: z.url().optional(),
  token_type: z.string().optional(),
  issued_at: z.string().regex(/^\d+$/).optional(),
  signature: z.string().optional(),
  scope: z.string().optional(),
});

/** Normalises a token response (authorization_code or refresh_token grant). */
export function parseTokenResponse(body: Record<string, unknown>, ctx: TokenContext): TokenSet {
  const r = tokenResponse.safeParse(body);
  if (!r.success) throw new Error(`Salesforce token response is not usable: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const t = r.data;
  const instanceUrl = (t.instance_url ?? ctx.previous?.instanceUrl)?.replace(/\/+$/, '');
  if (!instanceUrl) throw new Error('Salesforce token response has no instance_url');
  const issuedAt = t.issued_at ? Number(t.issued_at) : ctx.now.getTime();
  const ttl = salesforceDefinition.oauth.defaultAccessTokenTtlSeconds ?? 7200;
  const scopes = t.scope ? t.scope.split(/\s+/).filter(Boolean) : (ctx.previous?.scopes ?? []);
  return {
    accessToken: t.access_token,
    ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}),
    // Session timeout counts from the last use; counting from issue is the safe side (a 401 refreshes anyway).
    expiresAt: new Date(Math.min(issuedAt, ctx.now.getTime()) + ttl * 1000),
    instanceUrl,
    scopes,
    ...(t.id ? { extra: { id: t.id } } : {}),
  };
}

const identity = z.looseObject({
  user_id: z.string().min(15),
  organization_id: z.string().min(15),
  username: z.string().optional(),
  email: z.string().optional(),
});
const orgQuery = z.object({ records: z.array(z.looseObject({ IsSandbox: z.boolean() })).length(1) });

async function getJson(fetch: typeof globalThis.fetch, url: string, accessToken: string, what: string): Promise<unknown> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`Salesforce ${what} answered ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as unknown;
}

/** Identity URL (`id` from the token response; else <login host>/id/…) plus the org's IsSandbox. */
export async function fetchIdentity(fetch: typeof globalThis.fetch, tokens: TokenSet): Promise<CrmIdentity> {
  const idUrl = tokens.extra?.id;
  if (!idUrl) throw new Error('Salesforce token set has no identity URL (id)');
  const who = identity.parse(await getJson(fetch, idUrl, tokens.accessToken, 'identity URL'));
  const q = encodeURIComponent('SELECT IsSandbox FROM Organization');
  const org = orgQuery.parse(await getJson(fetch, `${tokens.instanceUrl}/services/data/${API_VERSION}/query?q=${q}`, tokens.accessToken, 'Organization query'));
  return {
    externalOrgId: who.organization_id,
    externalUserId: who.user_id,
    ...(who.username ? { username: who.username } : {}),
    ...(who.email ? { email: who.email } : {}),
    isSandbox: org.records[0]!.IsSandbox,
  };
}

export const salesforceOAuth: CrmOAuthHooks = {
  parseTokenResponse,
  fetchIdentity: (fetch, tokens) => fetchIdentity(fetch, tokens),
};
