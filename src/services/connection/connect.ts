/**
 * Connecting a CRM account: the authorize URL (with single-use state and PKCE), and the callback (state checked
 * and consumed, code exchanged, identity fetched, tokens sealed). Connecting the same CRM account again (same
 * organization, CRM, external org and user) updates that connection instead of adding a second one.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { CRM_IDS, CRM_NAMES, isCrmId, type CrmId } from '../../core/ids.js';
import { crmConnections } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { buildAuthorizeUrl, exchangeCode, OAuthFlowError, revokeToken, type ResolvedCrm } from '../../crm/oauth-flow.js';
import type { CrmIdentity, TokenSet } from '../../crm/types.js';
import { seal } from '../../security/sealed-columns.js';
import type { AuthContext } from '../auth-service.js';
import { forConnection, resolveForContext, tokenHostFromCallback } from './crm-access.js';
import { consumeOAuthState, createOAuthState, newStateValue } from './oauth-state.js';
import { auditConnection, toView, type ConnectionRow, type ConnectionView } from './repository.js';
import { settingsAfterConnect } from './settings.js';

/** Callback `error` values meaning the user clicked Deny (RFC 6749 access_denied; Pipedrive sends user_denied). */
const DENIALS = new Set(['access_denied', 'user_denied']);

export function parseCrmType(crmType: string): CrmId {
  if (isCrmId(crmType)) return crmType;
  throw new AppError('UNKNOWN_CRM', `There is no CRM called "${crmType.slice(0, 40)}". Use one of: ${CRM_IDS.join(', ')}.`, { crmType: crmType.slice(0, 40) });
}

export interface AuthorizationUrl {
  authUrl: string;
  state: string;
}

/** The seed's getAuthorizationUrl: where to send the browser to connect `crmType`. */
export async function getAuthorizationUrl(ctx: AppContext, auth: AuthContext, crmType: string): Promise<AuthorizationUrl> {
  const crm = parseCrmType(crmType);
  const resolved = await resolveForContext(ctx, crm);
  const state = newStateValue();
  const { url, codeVerifier } = await buildAuthorizeUrl(resolved, state);
  await createOAuthState(ctx.db, ctx.keyring, state, {
    organizationId: auth.organizationId,
    userId: auth.userId,
    sessionHash: auth.credentialHash,
    crmType: crm,
    redirectUri: resolved.client.redirectUri,
    codeVerifier,
  });
  return { authUrl: url, state };
}

/** Best effort: give back tokens we will not keep (the identity call failed), so they don't linger at the CRM. */
async function discardTokens(ctx: AppContext, resolved: ResolvedCrm, tokens: TokenSet): Promise<void> {
  const crm = resolved.module.definition.id;
  for (const [token, kind] of [[tokens.refreshToken, 'refresh_token'], [tokens.accessToken, 'access_token']] as const) {
    if (!token) continue;
    await revokeToken(resolved, token, kind, tokens.instanceUrl).catch((err: unknown) =>
      ctx.logger.warn({ crm, reason: err instanceof OAuthFlowError ? err.reason : 'error' }, 'could not revoke unused tokens'),
    );
  }
}

function exchangeFailure(ctx: AppContext, crm: CrmId, step: string, err: unknown): AppError {
  // The CRM's own description stays in the log (it carries no token); the user gets a generic, stable message.
  const reason = err instanceof OAuthFlowError ? err.reason : err instanceof Error ? err.name : 'error';
  ctx.logger.warn({ crm, step, reason, status: err instanceof OAuthFlowError ? err.status : undefined }, 'OAuth callback failed');
  if (err instanceof OAuthFlowError && err.reason === 'access_denied') return new AppError('OAUTH_ACCESS_DENIED');
  return new AppError('OAUTH_EXCHANGE_FAILED', `${CRM_NAMES[crm]} did not accept the sign-in. Try connecting again.`, { crm, reason });
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

interface SaveInput {
  organizationId: string;
  userId: string;
  resolved: ResolvedCrm;
  tokens: TokenSet;
  identity: CrmIdentity;
  tokenHost: string;
}

async function saveConnection(ctx: AppContext, input: SaveInput): Promise<{ row: ConnectionRow; created: boolean }> {
  const { resolved, tokens, identity } = input;
  const crm = resolved.module.definition.id;
  const system = { simulator: resolved.mode === 'sandbox', ...(input.tokenHost !== resolved.hosts.token ? { tokenHost: input.tokenHost } : {}) };
  const identityFields = {
    externalOrgId: identity.externalOrgId,
    externalUserId: identity.externalUserId,
    username: identity.username ?? null,
    email: identity.email ?? null,
    isSandbox: identity.isSandbox,
  };
  const sealed = (id: string) => ({
    accessToken: seal(ctx.keyring, 'crm_connections', 'access_token', id, tokens.accessToken),
    refreshToken: tokens.refreshToken ? seal(ctx.keyring, 'crm_connections', 'refresh_token', id, tokens.refreshToken) : null,
  });
  const attempt = () =>
    ctx.db.transaction(async (tx) => {
      const [existing] = await tx
        .select()
        .from(crmConnections)
        .where(
          and(
            eq(crmConnections.organizationId, input.organizationId),
            eq(crmConnections.integrationId, crm),
            eq(crmConnections.externalOrgId, identity.externalOrgId),
            eq(crmConnections.externalUserId, identity.externalUserId),
          ),
        )
        .for('update')
        .limit(1);
      const now = new Date();
      if (existing) {
        const [row] = await tx
          .update(crmConnections)
          .set({
            ...identityFields,
            ...sealed(existing.id),
            userId: input.userId,
            instanceUrl: tokens.instanceUrl,
            expiresAt: tokens.expiresAt,
            scopes: tokens.scopes,
            isActive: true,
            needsReauth: false,
            lastError: null,
            syncSettings: settingsAfterConnect(existing.syncSettings, system),
            tokenVersion: existing.tokenVersion + 1,
            updatedAt: now,
          })
          .where(eq(crmConnections.id, existing.id))
          .returning();
        await auditConnection(tx, row!, 'connection.reconnected', input.userId, { wasActive: existing.isActive, neededReauth: existing.needsReauth, isSandbox: identity.isSandbox });
        return { row: row!, created: false };
      }
      const id = randomUUID();
      const [row] = await tx
        .insert(crmConnections)
        .values({
          id,
          ...identityFields,
          ...sealed(id),
          userId: input.userId,
          organizationId: input.organizationId,
          integrationId: crm,
          instanceUrl: tokens.instanceUrl,
          expiresAt: tokens.expiresAt,
          scopes: tokens.scopes,
          syncSettings: settingsAfterConnect(null, system),
        })
        .returning();
      await auditConnection(tx, row!, 'connection.created', input.userId, { isSandbox: identity.isSandbox, simulator: system.simulator });
      return { row: row!, created: true };
    });
  try {
    return await attempt();
  } catch (err) {
    // Two callbacks for the same account at once: the loser finds the winner's row and updates it.
    if (isUniqueViolation(err)) return attempt();
    throw err;
  }
}

export interface CallbackResult {
  connection: ConnectionView;
  created: boolean;
}

/**
 * The seed's handleCallback. `auth` is the caller resolved from the request (null: not signed in); `query` is the
 * callback's whole query string. Throws AppError with a stable code; never passes a CRM's text through.
 */
export async function handleCallback(ctx: AppContext, auth: AuthContext | null, crmType: string, query: Readonly<Record<string, string>>): Promise<CallbackResult> {
  const crm = parseCrmType(crmType);
  if (!auth) throw new AppError('UNAUTHENTICATED', `Sign in, then connect ${CRM_NAMES[crm]} again.`);
  if (!query.state) throw new AppError('OAUTH_STATE_INVALID');
  const state = await consumeOAuthState(
    ctx.db,
    ctx.keyring,
    query.state,
    { organizationId: auth.organizationId, userId: auth.userId, sessionHash: auth.credentialHash, crmType: crm },
    ctx.logger,
  );
  if (query.error) {
    if (DENIALS.has(query.error)) throw new AppError('OAUTH_ACCESS_DENIED', `Access was denied on the ${CRM_NAMES[crm]} consent page; nothing was connected.`);
    throw exchangeFailure(ctx, crm, 'authorize', new OAuthFlowError('invalid_request', 'the CRM returned an error instead of a code'));
  }
  if (!query.code) throw exchangeFailure(ctx, crm, 'authorize', new OAuthFlowError('invalid_request', 'no code on the callback'));

  const base = await resolveForContext(ctx, crm);
  // Exchange with the redirect URI the authorize request named (a configuration change in between must not break it).
  const resolved: ResolvedCrm = { ...base, client: { ...base.client, redirectUri: state.redirectUri } };
  let tokens: TokenSet;
  let tokenHost: string;
  try {
    tokenHost = tokenHostFromCallback(resolved, query);
    tokens = await exchangeCode(resolved, query, state.codeVerifier);
  } catch (err) {
    throw exchangeFailure(ctx, crm, 'token', err);
  }
  let identity: CrmIdentity;
  try {
    identity = await resolved.module.oauth.fetchIdentity(resolved.fetch ?? globalThis.fetch, tokens, resolved.hosts);
    if (!identity.externalOrgId || !identity.externalUserId) throw new Error('the identity call named no account or user');
  } catch (err) {
    await discardTokens(ctx, forConnection(resolved, { tokenHost }), tokens);
    throw exchangeFailure(ctx, crm, 'identity', err);
  }
  const { row, created } = await saveConnection(ctx, { organizationId: state.organizationId, userId: state.userId, resolved, tokens, identity, tokenHost });
  ctx.logger.info({ crm, connectionId: row.id, created }, created ? 'CRM connected' : 'CRM reconnected');
  return { connection: toView(row), created };
}
