/**
 * In-memory OAuth 2.0 authorization server state for one sandbox: clients, authorization codes (single use,
 * expiring, PKCE-bound), access tokens (expiring or not), refresh tokens (optionally rotating) and revocation.
 * It returns typed results and failure reasons; each CRM renders its own wire format and error bodies.
 * RFC 6749 (codes, grants), RFC 7636 (PKCE S256), RFC 7009 (revocation).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from './clock.js';

export interface OAuthClient {
  readonly id: string;
  readonly secret: string;
  /** When set, the only redirect URI accepted; otherwise any http(s) URI on localhost/127.0.0.1/[::1]. */
  readonly redirectUri?: string;
  /** Shown on the consent page; default the id. */
  readonly name?: string;
}

/** Who granted access: the sandbox user and org/account/portal. */
export interface OAuthSubject {
  readonly userId: string;
  readonly orgId: string;
}

export type OAuthErrorCode =
  | 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type'
  | 'unsupported_response_type' | 'invalid_scope' | 'access_denied';

/** Why something failed, finer than the RFC error code, so a CRM can pick its own message. */
export type OAuthFailureReason =
  | 'unknown_client' | 'missing_client_secret' | 'bad_client_secret'
  | 'missing_redirect_uri' | 'redirect_uri_not_allowed' | 'redirect_uri_mismatch'
  | 'unsupported_response_type' | 'pkce_required' | 'unsupported_challenge_method'
  | 'unknown_code' | 'expired_code' | 'used_code' | 'client_mismatch' | 'pkce_verifier_missing' | 'pkce_mismatch'
  | 'unknown_refresh_token' | 'revoked_refresh_token' | 'expired_refresh_token';

export interface OAuthFailure {
  readonly ok: false;
  readonly error: OAuthErrorCode;
  readonly reason: OAuthFailureReason;
  readonly description: string;
}

export interface IssuedTokens {
  readonly ok: true;
  readonly accessToken: string;
  /** Null when no refresh token is issued (no offline scope, or a refresh without rotation). */
  readonly refreshToken: string | null;
  readonly tokenType: 'Bearer';
  /** Seconds; null for non-expiring tokens. */
  readonly expiresIn: number | null;
  readonly expiresAt: number | null;
  readonly issuedAt: number;
  readonly scope: string;
  readonly clientId: string;
  readonly subject: OAuthSubject;
  /** One grant = one user consent; all its tokens die when its refresh token is revoked. */
  readonly grantId: string;
  /** What the CRM attached when issuing the code (e.g. Zoho's data centre). */
  readonly extra: Readonly<Record<string, string>>;
}

export type TokenResult = IssuedTokens | OAuthFailure;

export interface AccessTokenInfo {
  readonly token: string;
  readonly clientId: string;
  readonly scope: string;
  readonly subject: OAuthSubject;
  readonly grantId: string;
  readonly issuedAt: number;
  readonly expiresAt: number | null;
  readonly extra: Readonly<Record<string, string>>;
}

export type AccessTokenCheck =
  | { readonly ok: true; readonly token: AccessTokenInfo }
  | { readonly ok: false; readonly reason: 'missing' | 'unknown' }
  | { readonly ok: false; readonly reason: 'expired'; readonly expiredAt: number; readonly token: AccessTokenInfo }
  | { readonly ok: false; readonly reason: 'revoked'; readonly revokedAt: number; readonly token: AccessTokenInfo };

export interface OAuthStoreOptions {
  readonly clients: readonly OAuthClient[];
  /** Access-token lifetime in seconds; null = never expires (monday.com legacy tokens). Changeable later. */
  accessTokenTtlSeconds: number | null;
  readonly clock?: Clock;
  /** Authorization-code lifetime; default 10 minutes (Zoho: 2 min, Pipedrive: 5 min). */
  readonly codeTtlMs?: number;
  /** Issue a new refresh token on every refresh and kill the old one. Default false. Changeable later. */
  rotateRefreshTokens?: boolean;
  /** Refresh tokens die after this long unused (Pipedrive: 60 days); null (default) = until revoked. */
  readonly refreshTokenIdleMs?: number | null;
  /** Token endpoint demands the client secret (default true; false lets PKCE public clients omit it). */
  readonly requireClientSecret?: boolean;
  /** Prefixes that make tokens look like the CRM's (Zoho "1000.", Pipedrive "v1u:"). */
  readonly tokenPrefix?: { readonly access?: string; readonly refresh?: string; readonly code?: string };
}

interface CodeRecord {
  readonly clientId: string;
  readonly redirectUri: string | null;
  readonly scope: string;
  readonly challenge: string | null;
  readonly method: 'S256' | 'plain' | null;
  readonly subject: OAuthSubject;
  readonly expiresAt: number;
  readonly offline: boolean;
  readonly extra: Record<string, string>;
  used: boolean;
}

interface Grant {
  readonly id: string;
  readonly clientId: string;
  readonly subject: OAuthSubject;
  readonly scope: string;
  readonly extra: Record<string, string>;
  readonly access: Set<string>;
  readonly refresh: Set<string>;
}

interface AccessRecord {
  info: AccessTokenInfo;
  expiresAt: number | null;
  revokedAt: number | null;
}

interface RefreshRecord {
  readonly token: string;
  readonly grantId: string;
  lastUsedAt: number;
  revokedAt: number | null;
}

/** PKCE S256 challenge of a verifier: BASE64URL(SHA256(verifier)). */
export function pkceChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A long random token (64 base64url characters after the prefix). */
export function randomToken(prefix = ''): string {
  return prefix + randomBytes(48).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function fail(error: OAuthErrorCode, reason: OAuthFailureReason, description: string): OAuthFailure {
  return { ok: false, error, reason, description };
}

export class OAuthStore {
  accessTokenTtlSeconds: number | null;
  rotateRefreshTokens: boolean;
  private readonly clock: Clock;
  private readonly clients = new Map<string, OAuthClient>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly grants = new Map<string, Grant>();
  private readonly access = new Map<string, AccessRecord>();
  private readonly refresh = new Map<string, RefreshRecord>();
  private readonly codeTtlMs: number;
  private readonly refreshIdleMs: number | null;
  private readonly requireSecret: boolean;
  private readonly prefix: { access: string; refresh: string; code: string };
  private issuedSincePrune = 0;

  constructor(options: OAuthStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.accessTokenTtlSeconds = options.accessTokenTtlSeconds;
    this.rotateRefreshTokens = options.rotateRefreshTokens ?? false;
    this.codeTtlMs = options.codeTtlMs ?? 600_000;
    this.refreshIdleMs = options.refreshTokenIdleMs ?? null;
    this.requireSecret = options.requireClientSecret ?? true;
    this.prefix = { access: '', refresh: '', code: '', ...options.tokenPrefix };
    for (const c of options.clients) this.clients.set(c.id, c);
  }

  client(id: string): OAuthClient | undefined {
    return this.clients.get(id);
  }

  /** Checks client id and secret (secret optional only when `requireClientSecret` is false). */
  authenticateClient(clientId: string | undefined, clientSecret: string | undefined): { ok: true; client: OAuthClient } | OAuthFailure {
    const client = clientId === undefined ? undefined : this.clients.get(clientId);
    if (client === undefined) return fail('invalid_client', 'unknown_client', 'client is invalid');
    if (clientSecret === undefined || clientSecret === '') {
      return this.requireSecret ? fail('invalid_client', 'missing_client_secret', 'client secret is missing') : { ok: true, client };
    }
    return safeEqual(clientSecret, client.secret) ? { ok: true, client } : fail('invalid_client', 'bad_client_secret', 'client secret is wrong');
  }

  /** Whether the client may redirect to `uri` (pinned URI: exact match; else http(s) on a loopback host). */
  redirectAllowed(client: OAuthClient, uri: string): boolean {
    if (client.redirectUri !== undefined) return uri === client.redirectUri;
    try {
      const u = new URL(uri);
      return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK.has(u.hostname);
    } catch {
      return false;
    }
  }

  /**
   * Validates an authorize request. Failures with `redirectable: false` (bad client or redirect URI) must be
   * shown as an error page, never redirected (RFC 6749 §4.1.2.1); the others redirect with `error`.
   */
  validateAuthorize(input: {
    clientId: string | undefined;
    redirectUri: string | undefined;
    responseType?: string | undefined;
    codeChallenge?: string | undefined;
    codeChallengeMethod?: string | undefined;
    /** 'required' (monday OAuth 2.1), 'optional' (Salesforce), 'unsupported' (ignore PKCE params). Default 'optional'. */
    pkce?: 'required' | 'optional' | 'unsupported';
  }): { ok: true; client: OAuthClient; redirectUri: string } | (OAuthFailure & { redirectable: boolean; redirectUri?: string }) {
    const client = input.clientId === undefined ? undefined : this.clients.get(input.clientId);
    if (client === undefined) return { ...fail('invalid_client', 'unknown_client', 'client_id is unknown'), redirectable: false };
    const redirectUri = input.redirectUri ?? client.redirectUri;
    if (redirectUri === undefined) return { ...fail('invalid_request', 'missing_redirect_uri', 'redirect_uri is missing'), redirectable: false };
    if (!this.redirectAllowed(client, redirectUri)) {
      return { ...fail('invalid_request', 'redirect_uri_not_allowed', 'redirect_uri is not allowed for this client'), redirectable: false };
    }
    const back = { redirectable: true, redirectUri };
    if (input.responseType !== undefined && input.responseType !== 'code') {
      return { ...fail('unsupported_response_type', 'unsupported_response_type', 'only response_type=code is supported'), ...back };
    }
    const pkce = input.pkce ?? 'optional';
    if (pkce !== 'unsupported') {
      if (pkce === 'required' && !input.codeChallenge) return { ...fail('invalid_request', 'pkce_required', 'code_challenge is required'), ...back };
      const method = input.codeChallengeMethod ?? (input.codeChallenge ? 'plain' : undefined);
      if (input.codeChallenge && method !== 'S256' && !(method === 'plain' && pkce === 'optional')) {
        return { ...fail('invalid_request', 'unsupported_challenge_method', 'code_challenge_method must be S256'), ...back };
      }
    }
    return { ok: true, client, redirectUri };
  }

  /** Issues a single-use authorization code bound to everything the exchange must match. */
  issueCode(input: {
    clientId: string;
    /** The redirect URI sent to the authorize endpoint (null if none was sent). */
    redirectUri: string | null;
    scope: string;
    subject: OAuthSubject;
    codeChallenge?: string | null;
    codeChallengeMethod?: 'S256' | 'plain' | null;
    /** Issue a refresh token with the access token (e.g. Salesforce only with `refresh_token` scope). Default true. */
    offline?: boolean;
    extra?: Record<string, string>;
  }): string {
    const code = randomToken(this.prefix.code);
    this.codes.set(code, {
      clientId: input.clientId,
      redirectUri: input.redirectUri,
      scope: input.scope,
      challenge: input.codeChallenge || null,
      method: input.codeChallenge ? (input.codeChallengeMethod ?? 'plain') : null,
      subject: input.subject,
      expiresAt: this.clock.now() + this.codeTtlMs,
      offline: input.offline ?? true,
      extra: input.extra ?? {},
      used: false,
    });
    return code;
  }

  /** grant_type=authorization_code. */
  exchangeCode(input: {
    code: string | undefined;
    clientId: string | undefined;
    clientSecret: string | undefined;
    redirectUri: string | undefined;
    codeVerifier?: string | undefined;
  }): TokenResult {
    const auth = this.authenticateClient(input.clientId, input.clientSecret);
    if (!auth.ok) return auth;
    const rec = input.code === undefined ? undefined : this.codes.get(input.code);
    if (rec === undefined) return fail('invalid_grant', 'unknown_code', 'authorization code is invalid');
    if (rec.used) return fail('invalid_grant', 'used_code', 'authorization code was already used');
    if (this.clock.now() >= rec.expiresAt) return fail('invalid_grant', 'expired_code', 'authorization code has expired');
    if (rec.clientId !== auth.client.id) return fail('invalid_grant', 'client_mismatch', 'authorization code was issued to another client');
    if (rec.redirectUri !== null && rec.redirectUri !== input.redirectUri) {
      return fail('invalid_grant', 'redirect_uri_mismatch', 'redirect_uri does not match the authorization request');
    }
    if (rec.challenge !== null) {
      if (!input.codeVerifier) return fail('invalid_grant', 'pkce_verifier_missing', 'code_verifier is required');
      const derived = rec.method === 'S256' ? pkceChallengeS256(input.codeVerifier) : input.codeVerifier;
      if (!safeEqual(derived, rec.challenge)) return fail('invalid_grant', 'pkce_mismatch', 'code_verifier does not match the code_challenge');
    }
    rec.used = true; // single use, even if issuing below were to throw
    const grant: Grant = {
      id: randomToken().slice(0, 22), clientId: rec.clientId, subject: rec.subject, scope: rec.scope, extra: rec.extra,
      access: new Set(), refresh: new Set(),
    };
    this.grants.set(grant.id, grant);
    return this.issue(grant, rec.offline);
  }

  /** grant_type=refresh_token. Without rotation the response carries no refresh token (the old one stays valid). */
  refreshAccessToken(input: { refreshToken: string | undefined; clientId: string | undefined; clientSecret: string | undefined }): TokenResult {
    const auth = this.authenticateClient(input.clientId, input.clientSecret);
    if (!auth.ok) return auth;
    const rec = input.refreshToken === undefined ? undefined : this.refresh.get(input.refreshToken);
    const grant = rec === undefined ? undefined : this.grants.get(rec.grantId);
    if (rec === undefined || grant === undefined) return fail('invalid_grant', 'unknown_refresh_token', 'refresh token is invalid');
    if (grant.clientId !== auth.client.id) return fail('invalid_grant', 'client_mismatch', 'refresh token was issued to another client');
    if (rec.revokedAt !== null) return fail('invalid_grant', 'revoked_refresh_token', 'refresh token was revoked');
    const now = this.clock.now();
    if (this.refreshIdleMs !== null && now - rec.lastUsedAt >= this.refreshIdleMs) {
      return fail('invalid_grant', 'expired_refresh_token', 'refresh token has expired');
    }
    rec.lastUsedAt = now;
    if (this.rotateRefreshTokens) rec.revokedAt = now;
    return this.issue(grant, this.rotateRefreshTokens);
  }

  /** Looks up a bearer token: live, expired, revoked or unknown. */
  checkAccessToken(token: string | undefined | null): AccessTokenCheck {
    if (!token) return { ok: false, reason: 'missing' };
    const rec = this.access.get(token);
    if (rec === undefined) return { ok: false, reason: 'unknown' };
    if (rec.revokedAt !== null) return { ok: false, reason: 'revoked', revokedAt: rec.revokedAt, token: rec.info };
    if (rec.expiresAt !== null && this.clock.now() >= rec.expiresAt) {
      return { ok: false, reason: 'expired', expiredAt: rec.expiresAt, token: { ...rec.info, expiresAt: rec.expiresAt } };
    }
    return { ok: true, token: rec.info };
  }

  /**
   * Revokes an access or refresh token (RFC 7009). Revoking a refresh token revokes its whole grant: every
   * access and refresh token issued from the same consent. Returns what was revoked (null: unknown token,
   * which RFC 7009 still answers with 200).
   */
  revoke(token: string | undefined, hint?: 'access_token' | 'refresh_token'): 'access_token' | 'refresh_token' | null {
    if (!token) return null;
    const now = this.clock.now();
    const order = hint === 'refresh_token' ? (['refresh', 'access'] as const) : (['access', 'refresh'] as const);
    for (const kind of order) {
      if (kind === 'access') {
        const rec = this.access.get(token);
        if (rec !== undefined) {
          rec.revokedAt ??= now;
          return 'access_token';
        }
      } else {
        const rec = this.refresh.get(token);
        if (rec !== undefined) {
          this.revokeGrant(rec.grantId);
          return 'refresh_token';
        }
      }
    }
    return null;
  }

  /** Revokes every token of a grant (uninstall, "revoke all"). */
  revokeGrant(grantId: string): void {
    const grant = this.grants.get(grantId);
    if (grant === undefined) return;
    const now = this.clock.now();
    for (const t of grant.access) {
      const rec = this.access.get(t);
      if (rec !== undefined) rec.revokedAt ??= now;
    }
    for (const t of grant.refresh) {
      const rec = this.refresh.get(t);
      if (rec !== undefined) rec.revokedAt ??= now;
    }
  }

  /** Expires every live access token now (refresh tokens stay valid). Returns how many. */
  expireAccessTokens(): number {
    const now = this.clock.now();
    let n = 0;
    for (const rec of this.access.values()) {
      if (rec.revokedAt === null && (rec.expiresAt === null || rec.expiresAt > now)) {
        rec.expiresAt = now;
        n++;
      }
    }
    return n;
  }

  /** Live (unexpired, unrevoked) tokens. */
  liveTokens(): { access: number; refresh: number } {
    const now = this.clock.now();
    let access = 0;
    let refresh = 0;
    for (const r of this.access.values()) if (r.revokedAt === null && (r.expiresAt === null || r.expiresAt > now)) access++;
    for (const r of this.refresh.values()) {
      if (r.revokedAt === null && (this.refreshIdleMs === null || now - r.lastUsedAt < this.refreshIdleMs)) refresh++;
    }
    return { access, refresh };
  }

  private issue(grant: Grant, withRefresh: boolean): IssuedTokens {
    const now = this.clock.now();
    const ttl = this.accessTokenTtlSeconds;
    const accessToken = randomToken(this.prefix.access);
    const expiresAt = ttl === null ? null : now + ttl * 1000;
    const info: AccessTokenInfo = {
      token: accessToken, clientId: grant.clientId, scope: grant.scope, subject: grant.subject, grantId: grant.id,
      issuedAt: now, expiresAt, extra: grant.extra,
    };
    this.access.set(accessToken, { info, expiresAt, revokedAt: null });
    grant.access.add(accessToken);
    let refreshToken: string | null = null;
    if (withRefresh) {
      refreshToken = randomToken(this.prefix.refresh);
      this.refresh.set(refreshToken, { token: refreshToken, grantId: grant.id, lastUsedAt: now, revokedAt: null });
      grant.refresh.add(refreshToken);
    }
    if (++this.issuedSincePrune >= 10_000) this.prune(now);
    return {
      ok: true, accessToken, refreshToken, tokenType: 'Bearer', expiresIn: ttl, expiresAt, issuedAt: now, scope: grant.scope,
      clientId: grant.clientId, subject: grant.subject, grantId: grant.id, extra: grant.extra,
    };
  }

  /** Drops codes and access tokens dead for over a day, so long benchmark runs don't grow without bound. */
  private prune(now: number): void {
    this.issuedSincePrune = 0;
    const horizon = now - 86_400_000;
    for (const [code, rec] of this.codes) if (rec.expiresAt < horizon || rec.used) this.codes.delete(code);
    for (const [token, rec] of this.access) {
      const deadAt = rec.revokedAt ?? rec.expiresAt;
      if (deadAt !== null && deadAt < horizon) {
        this.access.delete(token);
        this.grants.get(rec.info.grantId)?.access.delete(token);
      }
    }
  }
}
