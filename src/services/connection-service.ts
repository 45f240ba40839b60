/**
 * CRM connections (the seed's OAuth service): connect by OAuth, list, test, change settings, read the audit
 * trail, refresh and revoke. The parts live in src/services/connection/:
 *   connect.ts        authorize URL and callback (state, PKCE, code exchange, identity, upsert)
 *   oauth-state.ts    single-use, session-bound, expiring state
 *   token-refresh.ts  the TokenProvider with single-flight refresh across processes
 *   client.ts         createClientForConnection (HTTP layer + budget per connection)
 *   revoke.ts         revoke at the CRM, purge locally, organization deletion
 *   settings.ts       syncSettings: user choices vs system facts
 *   repository.ts     rows → views, sealed tokens, audit entries
 */
import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { CRM_NAMES } from '../core/ids.js';
import { isCrmError } from '../crm/errors.js';
import { crmConnections } from '../db/schema.js';
import { AppError, isAppError } from '../errors.js';
import { listAudit } from './audit-service.js';
import type { AuthContext } from './auth-service.js';
import { assertUsable, createClientForConnection } from './connection/client.js';
import { resolveForContext } from './connection/crm-access.js';
import {
  auditConnection,
  CONNECTION_TARGET,
  crmOf,
  getConnectionRow,
  listConnectionRows,
  toView,
  type ConnectionView,
} from './connection/repository.js';
import { applySettingsPatch, SettingsError, type UserSettingsPatch } from './connection/settings.js';
import { refreshConnection } from './connection/token-refresh.js';
import { revokeConnectionRow } from './connection/revoke.js';

export { getAuthorizationUrl, handleCallback, parseCrmType, type AuthorizationUrl, type CallbackResult } from './connection/connect.js';
export { createClientForConnection, type ConnectionClient, type ConnectionClientOptions } from './connection/client.js';
export { ConnectionTokenProvider, refreshConnection } from './connection/token-refresh.js';
export { registerConnectionDeletionStep, revokeOrganizationConnections } from './connection/revoke.js';
export { substituteCrmModules } from './connection/crm-access.js';
export { userSettingsPatch } from './connection/settings.js';
export type { ConnectionView } from './connection/repository.js';

export async function listConnections(ctx: AppContext, auth: AuthContext): Promise<ConnectionView[]> {
  return (await listConnectionRows(ctx.db, auth.organizationId)).map(toView);
}

export async function getConnection(ctx: AppContext, auth: AuthContext, connectionId: string): Promise<ConnectionView> {
  return toView(await getConnectionRow(ctx.db, auth.organizationId, connectionId));
}

/** The seed's revokeConnection: revoke at the CRM, mark inactive, purge the tokens. */
export async function revokeConnection(ctx: AppContext, auth: AuthContext, connectionId: string): Promise<void> {
  await revokeConnectionRow(ctx, auth.organizationId, connectionId, auth.userId);
}

/** The seed's refreshToken: refresh now, whatever the expiry (e.g. an administrator's "refresh" button). */
export async function refreshToken(ctx: AppContext, auth: AuthContext, connectionId: string): Promise<ConnectionView> {
  const row = await getConnectionRow(ctx.db, auth.organizationId, connectionId);
  assertUsable(row);
  await refreshConnection(ctx, await resolveForContext(ctx, crmOf(row)), row.id, { kind: 'force' }, auth.userId);
  return getConnection(ctx, auth, connectionId);
}

export interface TestResult {
  isValid: boolean;
  error?: string;
}

/** A cheap real call with the connection's token (refreshing it if need be). Records the outcome. */
export async function testConnection(ctx: AppContext, auth: AuthContext, connectionId: string): Promise<TestResult> {
  const row = await getConnectionRow(ctx.db, auth.organizationId, connectionId);
  let result: TestResult;
  try {
    // Few retries: a person is waiting for the answer.
    const { client } = await createClientForConnection(ctx, auth, connectionId, { http: { maxRetries: 1, maxRateLimitRetries: 1, timeoutMs: 20_000 } });
    const answer = await client.testConnection();
    result = answer.isValid ? { isValid: true } : { isValid: false, error: (answer.error ?? `${CRM_NAMES[crmOf(row)]} did not accept the connection.`).slice(0, 500) };
  } catch (err) {
    if (isCrmError(err) || isAppError(err)) result = { isValid: false, error: err.message };
    else throw err;
  }
  const [after] = await ctx.db.select({ needsReauth: crmConnections.needsReauth, isActive: crmConnections.isActive }).from(crmConnections).where(eq(crmConnections.id, row.id));
  // A refresh failure has already stored its own "Reconnect …" message; an inactive connection keeps its own.
  if (after && after.isActive && !after.needsReauth) {
    await ctx.db.update(crmConnections).set({ lastError: result.isValid ? null : (result.error ?? null), updatedAt: new Date() }).where(eq(crmConnections.id, row.id));
  }
  await auditConnection(ctx.db, row, 'connection.tested', auth.userId, { isValid: result.isValid, ...(result.error ? { error: result.error } : {}) });
  return result;
}

/** Change what the user may choose (monday boards, rate-limit profile on simulators). */
export async function updateConnectionSettings(ctx: AppContext, auth: AuthContext, connectionId: string, patch: UserSettingsPatch): Promise<ConnectionView> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(crmConnections).where(eq(crmConnections.id, connectionId)).for('update').limit(1);
    if (!row || row.organizationId !== auth.organizationId) throw new AppError('NOT_FOUND', 'Connection was not found.');
    let syncSettings;
    try {
      syncSettings = applySettingsPatch(row.syncSettings, patch);
    } catch (err) {
      if (err instanceof SettingsError) throw new AppError('VALIDATION_FAILED', err.message, { issues: [{ in: 'body', path: err.field, message: err.message }] });
      throw err;
    }
    const [updated] = await tx.update(crmConnections).set({ syncSettings, updatedAt: new Date() }).where(eq(crmConnections.id, row.id)).returning();
    await auditConnection(tx, row, 'connection.settings_changed', auth.userId, { changed: Object.keys(patch), settings: patch });
    return toView(updated!);
  });
}

export interface ConnectionAuditEntry {
  id: string;
  action: string;
  /** The user's e-mail, or `system` (a worker's refresh), or null when the user was since deleted. */
  actor: string | null;
  actorUserId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export async function listConnectionAudit(ctx: AppContext, auth: AuthContext, connectionId: string): Promise<ConnectionAuditEntry[]> {
  await getConnectionRow(ctx.db, auth.organizationId, connectionId);
  const entries = await listAudit(ctx.db, auth.organizationId, CONNECTION_TARGET, connectionId);
  return entries.map((e) => ({
    id: e.id,
    action: e.action,
    actor: e.actorEmail ?? (e.metadata.actor === 'system' ? 'system' : null),
    actorUserId: e.actorUserId,
    metadata: e.metadata,
    createdAt: e.createdAt,
  }));
}
