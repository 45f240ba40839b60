/**
 * Token refresh for stored connections, single-flight across every process and worker (the failure Nango
 * #1005/#1016 and Airbyte #82783 users hit: two workers refresh at once, the CRM rotates the refresh token, one of
 * them gets invalid_grant and the connection dies).
 *
 * How: the refresh runs inside a transaction holding the connection's row lock (`SELECT … FOR UPDATE`; on
 * PostgreSQL this serialises processes, on PGlite transactions are serialised in-process). After taking the lock
 * the row is re-read: when its access token is no longer the one being replaced (another process refreshed or the
 * user reconnected while we waited), that token is used instead of refreshing again. Otherwise the refresh request
 * is sent while the lock is held, the new tokens (the new refresh token first among them, when the CRM rotated)
 * are sealed and committed, and only then is the new access token handed out.
 *
 * Credentials are read from the database on every `current()`: a job queued before a refresh uses the new token.
 */
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { CRM_NAMES } from '../../core/ids.js';
import { crmConnections } from '../../db/schema.js';
import { CrmError, userMessage } from '../../crm/errors.js';
import { OAuthFlowError, refreshTokens, type ResolvedCrm } from '../../crm/oauth-flow.js';
import type { TokenProvider, TokenSet } from '../../crm/types.js';
import { seal } from '../../security/sealed-columns.js';
import { forConnection } from './crm-access.js';
import { auditConnection, crmOf, openTokens, type ConnectionRow } from './repository.js';

/** Refresh when the access token expires within this margin. */
export const REFRESH_MARGIN_MS = 60_000;

export type RefreshTrigger =
  /** The token expires soon; `seenVersion` is the tokenVersion it was read at. */
  | { kind: 'expiring'; seenVersion: number }
  /** The CRM answered 401 to this access token. */
  | { kind: 'rejected'; rejected: string }
  /** Refresh whatever the state (the seed's refreshToken(connectionId)). */
  | { kind: 'force' };

export interface IssuedToken {
  accessToken: string;
  instanceUrl: string;
  tokenVersion: number;
  /** Whether this call refreshed (false: another process had, or the token was still good). */
  refreshed: boolean;
}

function expiresSoon(expiresAt: Date | null, now = Date.now()): boolean {
  return expiresAt !== null && expiresAt.getTime() - now <= REFRESH_MARGIN_MS;
}

type Outcome =
  | { type: 'token'; token: IssuedToken }
  | { type: 'gone' }
  | { type: 'unusable'; row: ConnectionRow }
  | { type: 'reauth'; row: ConnectionRow; code: string }
  | { type: 'client_rejected'; row: ConnectionRow };

/** Reconnect message stored on the connection (user-facing, no secrets). */
export function reconnectMessage(row: Pick<ConnectionRow, 'integrationId'>): string {
  const crm = crmOf(row);
  return `Reconnect ${CRM_NAMES[crm]}: ${userMessage(crm, { kind: 'auth_revoked' })}`;
}

/**
 * Refresh one connection's tokens under its row lock (see the file comment). Throws CrmError: 'auth_revoked' when
 * the CRM refused the refresh token (the connection is marked needsReauth), 'temporary' when the CRM could not be
 * reached (nothing changed).
 */
export async function refreshConnection(
  ctx: AppContext,
  resolved: ResolvedCrm,
  connectionId: string,
  trigger: RefreshTrigger,
  actorUserId: string | null,
): Promise<IssuedToken> {
  const crm = resolved.module.definition.id;
  const outcome = await ctx.db.transaction(async (tx): Promise<Outcome> => {
    const [row] = await tx.select().from(crmConnections).where(eq(crmConnections.id, connectionId)).for('update').limit(1);
    if (!row) return { type: 'gone' };
    if (!row.isActive || row.needsReauth || !row.accessToken) return { type: 'unusable', row };
    const stored = await openTokens(ctx.keyring, row);
    const current: Outcome = {
      type: 'token',
      token: { accessToken: stored.accessToken!, instanceUrl: row.instanceUrl, tokenVersion: row.tokenVersion, refreshed: false },
    };
    // Someone refreshed (or reconnected) while we waited for the lock: their token is the one to use.
    if (trigger.kind === 'rejected' && stored.accessToken !== trigger.rejected) return current;
    if (trigger.kind === 'expiring' && (row.tokenVersion !== trigger.seenVersion || !expiresSoon(row.expiresAt))) return current;

    const fail = async (type: 'reauth' | 'client_rejected', code: string): Promise<Outcome> => {
      const lastError =
        type === 'reauth'
          ? reconnectMessage(row)
          : `${CRM_NAMES[crm]} refused this server's OAuth client while refreshing the connection; an administrator must check ${crm.toUpperCase()}_CLIENT_ID and ${crm.toUpperCase()}_CLIENT_SECRET.`;
      await tx
        .update(crmConnections)
        .set({ ...(type === 'reauth' ? { needsReauth: true } : {}), lastError, updatedAt: new Date() })
        .where(eq(crmConnections.id, row.id));
      await auditConnection(tx, row, 'connection.refresh_failed', actorUserId, { reason: code, trigger: trigger.kind });
      return type === 'reauth' ? { type, row, code } : { type, row };
    };

    if (!stored.refreshToken) return fail('reauth', 'no_refresh_token');
    let tokens: TokenSet;
    try {
      tokens = await refreshTokens(forConnection(resolved, row.syncSettings), stored.refreshToken, { instanceUrl: row.instanceUrl, scopes: row.scopes });
    } catch (err) {
      if (err instanceof OAuthFlowError && err.reason === 'invalid_grant') return fail('reauth', 'invalid_grant');
      if (err instanceof OAuthFlowError && err.reason === 'invalid_client') return fail('client_rejected', 'invalid_client');
      throw err; // temporary or malformed: roll back, nothing changed
    }
    const now = new Date();
    const tokenVersion = row.tokenVersion + 1;
    await tx
      .update(crmConnections)
      .set({
        // A rotated refresh token replaces the old one in the same commit that stores the new access token.
        ...(tokens.refreshToken ? { refreshToken: seal(ctx.keyring, 'crm_connections', 'refresh_token', row.id, tokens.refreshToken) } : {}),
        accessToken: seal(ctx.keyring, 'crm_connections', 'access_token', row.id, tokens.accessToken),
        expiresAt: tokens.expiresAt,
        instanceUrl: tokens.instanceUrl || row.instanceUrl,
        ...(tokens.scopes.length > 0 ? { scopes: tokens.scopes } : {}),
        tokenVersion,
        lastRefreshedAt: now,
        lastError: null,
        updatedAt: now,
      })
      .where(eq(crmConnections.id, row.id));
    await auditConnection(tx, row, 'connection.refreshed', actorUserId, { trigger: trigger.kind, tokenVersion, rotated: Boolean(tokens.refreshToken) });
    return { type: 'token', token: { accessToken: tokens.accessToken, instanceUrl: tokens.instanceUrl || row.instanceUrl, tokenVersion, refreshed: true } };
  }).catch((err: unknown) => {
    if (err instanceof OAuthFlowError) {
      ctx.logger.warn({ crm, connectionId, reason: err.reason, status: err.status }, 'token refresh failed; will retry later');
      throw new CrmError(crm, { kind: 'temporary', code: `REFRESH_${err.reason.toUpperCase()}` }, err.status);
    }
    throw err;
  });

  switch (outcome.type) {
    case 'token':
      if (outcome.token.refreshed) ctx.logger.info({ crm, connectionId, version: outcome.token.tokenVersion, trigger: trigger.kind }, 'connection tokens refreshed');
      return outcome.token;
    case 'gone':
      throw new CrmError(crm, { kind: 'auth_revoked', code: 'CONNECTION_DELETED' });
    case 'unusable':
      throw new CrmError(crm, { kind: 'auth_revoked', code: outcome.row.needsReauth ? 'REAUTH_REQUIRED' : 'CONNECTION_INACTIVE' });
    case 'reauth':
      ctx.logger.warn({ crm, connectionId, reason: outcome.code }, 'the CRM refused the refresh token; the connection needs to be reconnected');
      throw new CrmError(crm, { kind: 'auth_revoked', code: outcome.code });
    case 'client_rejected':
      ctx.logger.error({ crm, connectionId }, "the CRM refused this server's OAuth client while refreshing");
      throw new CrmError(crm, { kind: 'unknown', code: 'INVALID_CLIENT' });
  }
}

/**
 * The TokenProvider of one stored connection, for the shared HTTP layer (src/crm/http/crm-http.ts). Reads the
 * row on every call, so it always uses what the database holds now.
 */
export class ConnectionTokenProvider implements TokenProvider {
  constructor(
    private readonly ctx: AppContext,
    private readonly resolved: ResolvedCrm,
    private readonly connectionId: string,
    /** Who the refreshes are attributed to in the audit trail (null: the system, e.g. a worker). */
    private readonly actorUserId: string | null = null,
  ) {}

  private async read(): Promise<ConnectionRow> {
    const [row] = await this.ctx.db.select().from(crmConnections).where(eq(crmConnections.id, this.connectionId)).limit(1);
    const crm = this.resolved.module.definition.id;
    if (!row) throw new CrmError(crm, { kind: 'auth_revoked', code: 'CONNECTION_DELETED' });
    if (!row.isActive || !row.accessToken) throw new CrmError(crm, { kind: 'auth_revoked', code: 'CONNECTION_INACTIVE' });
    if (row.needsReauth) throw new CrmError(crm, { kind: 'auth_revoked', code: 'REAUTH_REQUIRED' });
    return row;
  }

  async current(): Promise<{ accessToken: string; instanceUrl: string }> {
    const row = await this.read();
    if (row.refreshToken && expiresSoon(row.expiresAt)) {
      try {
        const t = await refreshConnection(this.ctx, this.resolved, this.connectionId, { kind: 'expiring', seenVersion: row.tokenVersion }, this.actorUserId);
        return { accessToken: t.accessToken, instanceUrl: t.instanceUrl };
      } catch (err) {
        // The CRM is briefly unreachable but the token has not expired yet: keep using it.
        const stillValid = row.expiresAt !== null && row.expiresAt.getTime() > Date.now() + 5_000;
        if (!(err instanceof CrmError && err.kind === 'temporary' && stillValid)) throw err;
      }
    }
    const { accessToken } = await openTokens(this.ctx.keyring, row);
    return { accessToken: accessToken!, instanceUrl: row.instanceUrl };
  }

  async refreshAfterRejection(rejected: string): Promise<{ accessToken: string; instanceUrl: string }> {
    const t = await refreshConnection(this.ctx, this.resolved, this.connectionId, { kind: 'rejected', rejected }, this.actorUserId);
    return { accessToken: t.accessToken, instanceUrl: t.instanceUrl };
  }
}
