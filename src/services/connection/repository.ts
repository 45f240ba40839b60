/**
 * Reading crm_connections rows and turning them into what the API shows. Tokens stay sealed here: the view has
 * no token field at all, and `openTokens` is the one place a stored token is opened.
 */
import { and, desc, eq } from 'drizzle-orm';
import { CRM_NAMES, isCrmId, type CrmId } from '../../core/ids.js';
import type { DbOrTx } from '../../db/client.js';
import { crmConnections } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import type { Keyring } from '../../security/keyring.js';
import { open } from '../../security/sealed-columns.js';
import { recordAudit } from '../audit-service.js';

export type ConnectionRow = typeof crmConnections.$inferSelect;

/** What the API shows about a connection: identity, status, settings. Never a token. */
export interface ConnectionView {
  id: string;
  crmType: CrmId;
  username: string | null;
  email: string | null;
  externalOrgId: string | null;
  externalUserId: string | null;
  instanceUrl: string;
  isActive: boolean;
  isSandbox: boolean;
  needsReauth: boolean;
  scopes: string[];
  expiresAt: Date | null;
  lastSyncAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  syncSettings: Record<string, unknown> | null;
}

export function crmOf(row: Pick<ConnectionRow, 'integrationId'>): CrmId {
  if (!isCrmId(row.integrationId)) throw new Error(`connection names an unknown CRM "${row.integrationId}"`);
  return row.integrationId;
}

export function toView(row: ConnectionRow): ConnectionView {
  return {
    id: row.id,
    crmType: crmOf(row),
    username: row.username,
    email: row.email,
    externalOrgId: row.externalOrgId,
    externalUserId: row.externalUserId,
    instanceUrl: row.instanceUrl,
    isActive: row.isActive,
    isSandbox: row.isSandbox,
    needsReauth: row.needsReauth,
    scopes: row.scopes,
    expiresAt: row.expiresAt,
    lastSyncAt: row.lastSyncAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    syncSettings: row.syncSettings ?? null,
  };
}

/** One connection of one organization; another organization's (or none) → 404. */
export async function getConnectionRow(db: DbOrTx, organizationId: string, connectionId: string): Promise<ConnectionRow> {
  const [row] = await db
    .select()
    .from(crmConnections)
    .where(and(eq(crmConnections.id, connectionId), eq(crmConnections.organizationId, organizationId)))
    .limit(1);
  if (!row) throw notFound('Connection');
  return row;
}

export async function listConnectionRows(db: DbOrTx, organizationId: string): Promise<ConnectionRow[]> {
  return db.select().from(crmConnections).where(eq(crmConnections.organizationId, organizationId)).orderBy(desc(crmConnections.createdAt));
}

export interface OpenedTokens {
  accessToken: string | null;
  refreshToken: string | null;
}

/** Open a row's sealed tokens (each bound to this row and column). */
export async function openTokens(keyring: Keyring, row: Pick<ConnectionRow, 'id' | 'accessToken' | 'refreshToken'>): Promise<OpenedTokens> {
  return {
    accessToken: row.accessToken ? await open(keyring, 'crm_connections', 'access_token', row.id, row.accessToken) : null,
    refreshToken: row.refreshToken ? await open(keyring, 'crm_connections', 'refresh_token', row.id, row.refreshToken) : null,
  };
}

export const CONNECTION_TARGET = 'crm_connection';

export type ConnectionAction =
  | 'connection.created'
  | 'connection.reconnected'
  | 'connection.refreshed'
  | 'connection.refresh_failed'
  | 'connection.tested'
  | 'connection.revoked'
  | 'connection.settings_changed';

/**
 * One audit entry about a connection: who (a user, or `system` for a worker's refresh), which CRM account, what
 * happened. Never a token: callers pass only identity and outcome fields.
 */
export async function auditConnection(
  db: DbOrTx,
  row: Pick<ConnectionRow, 'id' | 'organizationId' | 'integrationId' | 'externalOrgId' | 'externalUserId' | 'username'>,
  action: ConnectionAction,
  actorUserId: string | null,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(db, {
    organizationId: row.organizationId,
    actorUserId,
    action,
    targetType: CONNECTION_TARGET,
    targetId: row.id,
    metadata: {
      actor: actorUserId ? 'user' : 'system',
      crm: row.integrationId,
      externalOrgId: row.externalOrgId,
      externalUserId: row.externalUserId,
      username: row.username,
      ...metadata,
    },
  });
}

export function crmName(row: Pick<ConnectionRow, 'integrationId'>): string {
  return CRM_NAMES[crmOf(row)];
}
