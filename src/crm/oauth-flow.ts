/**
 * The OAuth 2.0 authorization-code flow for any CRM module, on oauth4webapi (requests built and responses
 * checked by the library; each CRM's oauth.ts reads its own token response fields). No database and no state
 * handling here: src/services/connection-service.ts wraps these with single-use state, encryption and locking.
 */
import * as oauth from 'oauth4webapi';
import type { CrmHosts, CrmModule, TokenSet } from './types.js';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** The callback URL registered with the CRM (fixed by configuration, never taken from a request). */
  redirectUri: string;
}

/** A CRM as this server talks to it: its module, the hosts (real or a sandbox), and our OAuth client there. */
export interface ResolvedCrm {
  module: CrmModule;
  hosts: CrmHosts;
  client: OAuthClient;
  /** 'sandbox' when the hosts are a local simulator (http allowed). */
  mode: 'real' | 'sandbox';
  fetch?: typeof globalThis.fetch;
}

export type OAuthFailure = 'access_denied' | 'invalid_grant' | 'invalid_client' | 'invalid_request' | 'temporary' | 'invalid_response';

/** A failed OAuth step, with a provider-neutral reason; `description` is the CRM's text (safe: no tokens). */
export class OAuthFlowError extends Error {
  constructor(
    readonly reason: OAuthFailure,
    readonly description: string,
    readonly status?: number,
  ) {
    super(`${reason}: ${description}`);
    this.name = 'OAuthFlowError';
  }
}

function authServer(r: ResolvedCrm, tokenHost?: string): oauth.AuthorizationServer {
  const spec = r.module.definition.oauth;
  const tokenBase = tokenHost ?? r.hosts.token;
  return {
    issuer: r.hosts.authorize,
    authorization_endpoint: `${r.hosts.authorize}${spec.authorizePath}`,
    token_endpoint: `${tokenBase}${spec.tokenPath}`,
    ...(spec.revokePath ? { revocation_endpoint: `${r.hosts.revoke ?? tokenBase}${spec.revokePath}` } : {}),
  };
}

function clientAuth(r: ResolvedCrm): oauth.ClientAuth {
  return r.module.definition.oauth.clientAuth === 'client_secret_basic' ? oauth.ClientSecretBasic(r.client.clientSecret) : oauth.ClientSecretPost(r.client.clientSecret);
}

/**
 * oauth4webapi always sends token requests form-encoded; for a CRM that wants JSON (OAuthSpec.tokenRequestEncoding)
 * the same parameters are re-sent as a JSON object.
 */
function jsonBodyFetch(inner: typeof globalThis.fetch): (url: string, options: oauth.CustomFetchOptions<string, URLSearchParams>) => Promise<Response> {
  return (url, options) => {
    if (!(options.body instanceof URLSearchParams)) return inner(url, options as RequestInit);
    const headers = Object.fromEntries(Object.entries(options.headers).filter(([k]) => k.toLowerCase() !== 'content-type'));
    return inner(url, { ...options, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(Object.fromEntries(options.body)) } as RequestInit);
  };
}

function requestOptions(r: ResolvedCrm) {
  const json = r.module.definition.oauth.tokenRequestEncoding === 'json';
  const fetcher = json ? jsonBodyFetch(r.fetch ?? globalThis.fetch) : r.fetch;
  return {
    ...(r.mode === 'sandbox' ? { [oauth.allowInsecureRequests]: true } : {}),
    ...(fetcher ? { [oauth.customFetch]: fetcher } : {}),
  };
}

export interface AuthorizeRequest {
  url: string;
  /** Keep server-side (encrypted) until the callback; undefined when the CRM has no PKCE. */
  codeVerifier?: string;
}

/** The consent URL to send the browser to. */
export async function buildAuthorizeUrl(r: ResolvedCrm, state: string): Promise<AuthorizeRequest> {
  const spec = r.module.definition.oauth;
  const url = new URL(authServer(r).authorization_endpoint!);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', r.client.clientId);
  url.searchParams.set('redirect_uri', r.client.redirectUri);
  url.searchParams.set('state', state);
  if (spec.scopes.length > 0) url.searchParams.set('scope', spec.scopes.join(spec.scopeSeparator));
  for (const [k, v] of Object.entries(spec.extraAuthorizeParams ?? {})) url.searchParams.set(k, v);
  let codeVerifier: string | undefined;
  if (spec.pkce) {
    codeVerifier = oauth.generateRandomCodeVerifier();
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return { url: url.toString(), codeVerifier };
}

function mapError(err: unknown): OAuthFlowError {
  if (err instanceof OAuthFlowError) return err;
  if (err instanceof oauth.ResponseBodyError) {
    const reason: OAuthFailure =
      err.error === 'invalid_grant' || err.error === 'invalid_code'
        ? 'invalid_grant'
        : err.error === 'invalid_client' || err.error === 'unauthorized_client'
          ? 'invalid_client'
          : err.status >= 500
            ? 'temporary'
            : 'invalid_request';
    return new OAuthFlowError(reason, err.error_description ?? err.error, err.status);
  }
  if (err instanceof oauth.AuthorizationResponseError) {
    return new OAuthFlowError(err.error === 'access_denied' ? 'access_denied' : 'invalid_request', err.error_description ?? err.error);
  }
  if (err instanceof oauth.OperationProcessingError) {
    // Non-standard error bodies (HubSpot's BAD_REFRESH_TOKEN, Zoho's HTTP 200 {"error":"invalid_code"}).
    const cause = err.cause as { status?: number; body?: unknown } | Response | undefined;
    const status = cause instanceof Response ? cause.status : cause?.status;
    const text = JSON.stringify(cause instanceof Response ? {} : (cause?.body ?? err.message));
    if (/invalid_grant|invalid_code|BAD_REFRESH_TOKEN|BAD_AUTH_CODE|refresh_token is invalid|expired/i.test(text + err.message)) {
      return new OAuthFlowError('invalid_grant', err.message, status);
    }
    if (/invalid_client/i.test(text + err.message)) return new OAuthFlowError('invalid_client', err.message, status);
    if (status !== undefined && status >= 500) return new OAuthFlowError('temporary', err.message, status);
    return new OAuthFlowError('invalid_response', err.message, status);
  }
  if (err instanceof TypeError || (err instanceof Error && /fetch failed|ECONN|socket|terminated/i.test(err.message))) {
    return new OAuthFlowError('temporary', err.message);
  }
  return new OAuthFlowError('invalid_response', err instanceof Error ? err.message : String(err));
}

function parseTokens(r: ResolvedCrm, body: oauth.TokenEndpointResponse, previous?: { instanceUrl: string; scopes: string[] }): TokenSet {
  try {
    return r.module.oauth.parseTokenResponse(body as unknown as Record<string, unknown>, { now: new Date(), hosts: r.hosts, previous });
  } catch (err) {
    throw new OAuthFlowError('invalid_response', err instanceof Error ? err.message : String(err));
  }
}

/** Exchange the callback's code for tokens. `query` is the callback's full query string. */
export async function exchangeCode(r: ResolvedCrm, query: Readonly<Record<string, string>>, codeVerifier: string | undefined): Promise<TokenSet> {
  try {
    // Pipedrive reports a denied consent as `user_denied` (marketplace-oauth-authorization), the RFC as `access_denied`.
    if (query.error) throw new OAuthFlowError(query.error === 'access_denied' || query.error === 'user_denied' ? 'access_denied' : 'invalid_request', query.error_description ?? query.error);
    const tokenHost = r.module.oauth.tokenHostFromCallback?.(query, r.hosts, r.mode === 'sandbox' ? [r.hosts.token] : (r.module.oauth.trustedTokenHosts ?? [r.hosts.token]));
    const as = authServer(r, tokenHost);
    const client: oauth.Client = { client_id: r.client.clientId };
    const params = oauth.validateAuthResponse(as, client, new URLSearchParams(query as Record<string, string>), oauth.skipStateCheck);
    const res = await oauth.authorizationCodeGrantRequest(as, client, clientAuth(r), params, r.client.redirectUri, codeVerifier ?? oauth.nopkce, requestOptions(r));
    const body = await oauth.processAuthorizationCodeResponse(as, client, res);
    return parseTokens(r, body);
  } catch (err) {
    throw mapError(err);
  }
}

/** Use a refresh token. The result's refreshToken is set only when the CRM issued a new one (rotation). */
export async function refreshTokens(r: ResolvedCrm, refreshToken: string, previous: { instanceUrl: string; scopes: string[] }, tokenHost?: string): Promise<TokenSet> {
  try {
    const as = authServer(r, tokenHost);
    const client: oauth.Client = { client_id: r.client.clientId };
    const res = await oauth.refreshTokenGrantRequest(as, client, clientAuth(r), refreshToken, requestOptions(r));
    const body = await oauth.processRefreshTokenResponse(as, client, res);
    const tokens = parseTokens(r, body, previous);
    if (tokens.refreshToken === refreshToken) delete tokens.refreshToken;
    return tokens;
  } catch (err) {
    throw mapError(err);
  }
}

/** Revoke a token at the CRM (the CRM's own hook when it has one, else RFC 7009). */
export async function revokeToken(r: ResolvedCrm, token: string, kind: 'refresh_token' | 'access_token', instanceUrl: string): Promise<void> {
  try {
    if (r.module.oauth.revoke) {
      await r.module.oauth.revoke(r.fetch ?? globalThis.fetch, { token, kind, hosts: r.hosts, instanceUrl, clientId: r.client.clientId, clientSecret: r.client.clientSecret });
      return;
    }
    const as = authServer(r);
    if (!as.revocation_endpoint) return;
    const client: oauth.Client = { client_id: r.client.clientId };
    const res = await oauth.revocationRequest(as, client, clientAuth(r), token, { ...requestOptions(r), additionalParameters: { token_type_hint: kind } });
    await oauth.processRevocationResponse(res);
  } catch (err) {
    throw mapError(err);
  }
}
