/**
 * What Zoho's OAuth needs beyond data:
 *   - the code is exchanged at the data centre the user belongs to: the callback's `accounts-server`, accepted
 *     only when it is one of Zoho's accounts hosts (or, in sandbox mode, the sandbox itself);
 *   - the token response names the API host (`api_domain`); a refresh returns no refresh token (no rotation);
 *   - identity: GET {api_domain}/crm/v8/users?type=CurrentUser and /crm/v8/org (org.type "sandbox" for a Zoho
 *     sandbox org, whose API host is sandbox.zohoapis.*);
 *   - revoke: POST {accounts}/oauth/v2/token/revoke?token=<refresh token>, at the user's data centre.
 * Docs: zoho.com/accounts/protocol/oauth/web-apps/authorization.html, …/access-token-expiry.html,
 * zoho.com/crm/developer/docs/api/v8/multi-dc.html, get-users.html, get-org-data.html.
 */
import { z } from 'zod';
import { CrmError } from '../errors.js';
import type { CrmHosts, CrmIdentity, CrmOAuthHooks, TokenContext, TokenSet } from '../types.js';
import { ZOHO_ACCOUNTS_HOSTS } from './definition.js';
import { classifyError } from './errors.js';

const TokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  api_domain: z.url().optional(),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  // Older Zoho responses gave expires_in in ms and the seconds in expires_in_sec (the Zoho SDKs still read it).
  expires_in_sec: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
});

export function parseTokenResponse(body: Record<string, unknown>, ctx: TokenContext): TokenSet {
  if (typeof body.error === 'string') throw new Error(`Zoho token endpoint answered error "${body.error}"`);
  const parsed = TokenResponse.safeParse(body);
  if (!parsed.success) throw new Error(`Zoho token response is malformed: ${z.prettifyError(parsed.error)}`);
  const t = parsed.data;
  const instanceUrl = t.api_domain ?? ctx.previous?.instanceUrl ?? ctx.hosts.api;
  if (!instanceUrl) throw new Error('Zoho token response has no api_domain');
  const seconds = t.expires_in_sec ?? t.expires_in ?? 3600;
  const scopes = t.scope !== undefined ? t.scope.split(/[\s,]+/).filter(Boolean) : (ctx.previous?.scopes ?? []);
  return {
    accessToken: t.access_token,
    ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}),
    expiresAt: new Date(ctx.now.getTime() + seconds * 1000),
    instanceUrl: instanceUrl.replace(/\/+$/, ''),
    scopes,
  };
}

/** The callback's `accounts-server` if it is trusted; else (absent) the configured token host. Throws when untrusted. */
export function tokenHostFromCallback(query: Readonly<Record<string, string>>, hosts: CrmHosts, allowed: readonly string[]): string {
  const server = query['accounts-server'];
  if (server === undefined || server === '') return hosts.token;
  // Compare whole base URLs, not just origins: a sandbox mounted under a path (demo mode: /sandbox/zoho) names
  // that path, and the exchange must go there. Return the trusted entry itself, never the caller's string.
  const norm = (u: string) => {
    const url = new URL(u);
    return `${url.origin.toLowerCase()}${url.pathname.replace(/\/+$/, '')}`;
  };
  let wanted: string;
  try {
    wanted = norm(server);
  } catch {
    throw new Error('the callback names an accounts-server that is not a URL');
  }
  const match = allowed.find((a) => norm(a) === wanted);
  if (!match) throw new Error(`the callback names accounts-server ${wanted}, which is not a trusted Zoho accounts host`);
  return match.replace(/\/+$/, '');
}

/**
 * The accounts host of the data centre an API domain belongs to (www.zohoapis.eu → accounts.zoho.eu,
 * www.zohoapis.ca → accounts.zohocloud.ca, sandbox.zohoapis.com → accounts.zoho.com), for refresh and revoke;
 * `fallback` for any other host (a sandbox).
 */
export function accountsHostForApiDomain(apiDomain: string, fallback: string): string {
  let host: string;
  try {
    host = new URL(apiDomain).hostname.toLowerCase();
  } catch {
    return fallback;
  }
  const m = /^(?:www|sandbox|developer)\.zohoapis\.(.+)$/.exec(host);
  if (!m) return fallback;
  const candidate = m[1] === 'ca' ? 'https://accounts.zohocloud.ca' : `https://accounts.zoho.${m[1]}`;
  return (ZOHO_ACCOUNTS_HOSTS as readonly string[]).includes(candidate) ? candidate : fallback;
}

const CurrentUser = z.object({
  users: z.array(z.object({ id: z.string().min(1), email: z.string().optional(), full_name: z.string().optional() })).min(1),
});
const Org = z.object({
  org: z.array(z.object({ id: z.string().min(1), type: z.string().nullish(), domain_name: z.string().nullish() })).min(1),
});

async function getJson<T>(fetchFn: typeof globalThis.fetch, url: string, token: string, schema: z.ZodType<T>): Promise<T> {
  const res = await fetchFn(url, { headers: { authorization: `Zoho-oauthtoken ${token}`, accept: 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new CrmError('zoho', classifyError(res.status, res.headers, text), res.status);
  const parsed = schema.safeParse(text ? JSON.parse(text) : null);
  if (!parsed.success) throw new CrmError('zoho', { kind: 'temporary', code: 'MALFORMED_RESPONSE', detail: `${new URL(url).pathname}: ${z.prettifyError(parsed.error)}` }, res.status);
  return parsed.data;
}

export async function fetchIdentity(fetchFn: typeof globalThis.fetch, tokens: TokenSet): Promise<CrmIdentity> {
  const base = tokens.instanceUrl.replace(/\/+$/, '');
  const [users, org] = await Promise.all([
    getJson(fetchFn, `${base}/crm/v8/users?type=CurrentUser`, tokens.accessToken, CurrentUser),
    getJson(fetchFn, `${base}/crm/v8/org`, tokens.accessToken, Org),
  ]);
  const user = users.users[0]!;
  const o = org.org[0]!;
  let host = '';
  try {
    host = new URL(base).hostname;
  } catch {
    /* the schema already checked the token response */
  }
  return {
    externalOrgId: o.id,
    externalUserId: user.id,
    ...(user.full_name ? { username: user.full_name } : {}),
    ...(user.email ? { email: user.email } : {}),
    // A Zoho sandbox org says so in org.type and lives on sandbox.zohoapis.* (crmsandbox.zoho.com in the UI).
    isSandbox: (o.type ?? '').toLowerCase() === 'sandbox' || /^sandbox\.zohoapis\./i.test(host),
  };
}

export const zohoOAuth: CrmOAuthHooks = {
  parseTokenResponse,
  tokenHostFromCallback,
  trustedTokenHosts: ZOHO_ACCOUNTS_HOSTS,
  fetchIdentity: (fetchFn, tokens) => fetchIdentity(fetchFn, tokens),
  async revoke(fetchFn, { token, hosts, instanceUrl }) {
    // Zoho revokes refresh tokens (and with them their access tokens); the token goes in the query string.
    const accounts = accountsHostForApiDomain(instanceUrl, hosts.revoke ?? hosts.token);
    const res = await fetchFn(`${accounts}/oauth/v2/token/revoke?${new URLSearchParams({ token })}`, { method: 'POST' });
    const text = await res.text();
    let body: { error?: unknown } = {};
    try {
      body = JSON.parse(text) as { error?: unknown };
    } catch {
      /* an empty or non-JSON body on 200 is success */
    }
    if (!res.ok || typeof body.error === 'string') throw new Error(`Zoho revoke failed: ${res.status} ${typeof body.error === 'string' ? body.error : text.slice(0, 200)}`);
  },
};
