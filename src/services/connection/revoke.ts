/**
 * Disconnecting: the connection is marked inactive and its tokens purged under its row lock (a refresh waiting
 * for the lock then finds nothing to refresh), then the tokens are revoked at the CRM. A CRM that cannot be
 * reached is recorded (audit, lastError) but never blocks the local purge. Deleting an organization revokes
 * every one of its connections first (the GDPR right to delete reaches the CRMs too).
 */
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { CRM_NAMES } from '../../core/ids.js';
import { crmConnections } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import { OAuthFlowError, revokeToken } from '../../crm/oauth-flow.js';
import { forConnection, resolveForContext } from './crm-access.js';
import { auditConnection, crmOf, openTokens, type ConnectionRow } from './repository.js';

export interface RevokeOutcome {
  /** The CRM confirmed (or did not need to be told: there were no tokens). */
  revokedAtCrm: boolean;
  /** Why the CRM could not be told, when it could not (no secrets). */
  crmError?: string;
}

async function revokeAtCrm(ctx: AppContext, row: ConnectionRow, tokens: { accessToken: string | null; refreshToken: string | null }): Promise<RevokeOutcome> {
  if (!tokens.accessToken && !tokens.refreshToken) return { revokedAtCrm: true };
  const crm = crmOf(row);
  let resolved;
  try {
    resolved = forConnection(await resolveForContext(ctx, crm), row.syncSettings);
  } catch (err) {
    return { revokedAtCrm: false, crmError: err instanceof Error ? err.message : 'not configured' };
  }
  // The refresh token first: at most CRMs that ends the whole grant (RFC 7009 §2.1); then the access token, which
  // some CRMs (HubSpot's legacy endpoint) leave alive otherwise.
  const failures: string[] = [];
  let confirmed = 0;
  for (const [token, kind] of [[tokens.refreshToken, 'refresh_token'], [tokens.accessToken, 'access_token']] as const) {
    if (!token) continue;
    try {
      await revokeToken(resolved, token, kind, row.instanceUrl);
      confirmed += 1;
    } catch (err) {
      const reason = err instanceof OAuthFlowError ? err.reason : 'error';
      ctx.logger.warn({ crm, connectionId: row.id, kind, reason }, 'revoking a token at the CRM failed');
      failures.push(`${kind}: ${reason}`);
    }
  }
  // Revoking the refresh token is what matters; a CRM that refuses the access token afterwards already killed it.
  const primaryFailed = tokens.refreshToken ? failures.some((f) => f.startsWith('refresh_token')) : failures.length > 0;
  return primaryFailed || confirmed === 0 ? { revokedAtCrm: false, crmError: failures.join('; ') } : { revokedAtCrm: true };
}

/** Revoke one connection of an organization (404 for another organization's). Idempotent. */
export async function revokeConnectionRow(ctx: AppContext, organizationId: string, connectionId: string, actorUserId: string | null, options: { audit?: boolean } = {}): Promise<RevokeOutcome> {
  const taken = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(crmConnections)
      .where(and(eq(crmConnections.id, connectionId), eq(crmConnections.organizationId, organizationId)))
      .for('update')
      .limit(1);
    if (!row) return null;
    const tokens = await openTokens(ctx.keyring, row).catch((err: unknown) => {
      ctx.logger.error({ err, connectionId }, 'stored tokens could not be opened; purging them anyway');
      return { accessToken: null, refreshToken: null };
    });
    await tx
      .update(crmConnections)
      .set({ isActive: false, accessToken: null, refreshToken: null, tokenVersion: row.tokenVersion + 1, updatedAt: new Date() })
      .where(eq(crmConnections.id, row.id));
    return { row, tokens };
  });
  if (!taken) throw notFound('Connection');
  const { row, tokens } = taken;
  const hadTokens = Boolean(tokens.accessToken || tokens.refreshToken);
  const outcome = await revokeAtCrm(ctx, row, tokens);
  const name = CRM_NAMES[crmOf(row)];
  await ctx.db
    .update(crmConnections)
    .set({
      lastError: outcome.revokedAtCrm
        ? null
        : `Disconnected here, but ${name} could not be told to revoke access. Remove crm-migrate from the connected apps in your ${name} settings.`,
      updatedAt: new Date(),
    })
    .where(eq(crmConnections.id, row.id));
  if (options.audit ?? true) {
    await auditConnection(ctx.db, row, 'connection.revoked', actorUserId, {
      hadTokens,
      revokedAtCrm: outcome.revokedAtCrm,
      ...(outcome.crmError ? { crmError: outcome.crmError } : {}),
    });
  }
  ctx.logger.info({ crm: row.integrationId, connectionId: row.id, revokedAtCrm: outcome.revokedAtCrm }, 'CRM connection revoked');
  return outcome;
}

/** Before an organization is deleted: revoke each of its connections at its CRM. */
export async function revokeOrganizationConnections(ctx: AppContext, organizationId: string): Promise<void> {
  const rows = await ctx.db.select({ id: crmConnections.id }).from(crmConnections).where(eq(crmConnections.organizationId, organizationId));
  for (const { id } of rows) {
    await revokeConnectionRow(ctx, organizationId, id, null, { audit: false });
  }
}

const registered = new WeakSet<AppContext>();

/** Add the "revoke at the CRMs" step to organization deletion (once per context). */
export function registerConnectionDeletionStep(ctx: AppContext): void {
  if (registered.has(ctx)) return;
  registered.add(ctx);
  ctx.organizationDeletionSteps.push((organizationId) => revokeOrganizationConnections(ctx, organizationId));
}
