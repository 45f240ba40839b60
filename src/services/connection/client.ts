/**
 * createClientForConnection: a CrmApiClient for one stored connection, on the shared HTTP layer with the
 * connection's TokenProvider (single-flight refresh across processes) and a rate budget per connection — shared
 * by every worker process through crm_rate_budgets on PostgreSQL, one in-memory store per process on PGlite
 * (where only one process can open the database anyway). The import pipeline and the count endpoint use it.
 */
import type { AppContext } from '../../context.js';
import { CRM_NAMES } from '../../core/ids.js';
import { AppError } from '../../errors.js';
import { MemoryBudgetStore, PostgresBudgetStore, UnlimitedBudget, WindowBudget, type BudgetStore } from '../../crm/http/budget.js';
import { createCrmHttp, type CrmHttpOptions } from '../../crm/http/crm-http.js';
import type { ClientDeps, CrmApiClient, CrmModule, RateBudget } from '../../crm/types.js';
import type { AuthContext } from '../auth-service.js';
import { forConnection, resolveForContext } from './crm-access.js';
import { crmOf, getConnectionRow, toView, type ConnectionRow, type ConnectionView } from './repository.js';
import { rateLimitsOff, readSettings } from './settings.js';
import { ConnectionTokenProvider } from './token-refresh.js';

/** One budget store per process on PGlite: every client of a connection in this process shares it. */
const memoryBudgets = new MemoryBudgetStore();

export interface ConnectionClientOptions {
  signal?: AbortSignal;
  /** Overrides for the HTTP layer (retries, timeouts, fetch …). */
  http?: Partial<Omit<CrmHttpOptions, 'module' | 'tokens' | 'budget'>>;
  /** Extra client dependencies (sleep, now, bulkDeadlineMs). */
  client?: Partial<Omit<ClientDeps, 'http' | 'connection'>>;
  /** Who refreshes are attributed to; default the caller's user, or the system when given an organization id. */
  actorUserId?: string | null;
}

export interface ConnectionClient {
  client: CrmApiClient;
  module: CrmModule;
  connection: ConnectionView;
}

export function budgetKey(connectionId: string): string {
  return `connection:${connectionId}`;
}

function budgetStore(ctx: AppContext): BudgetStore {
  return ctx.database.driver === 'postgres' ? new PostgresBudgetStore(ctx.db) : memoryBudgets;
}

export function budgetFor(ctx: AppContext, module: CrmModule, row: Pick<ConnectionRow, 'id' | 'syncSettings'>): RateBudget {
  if (rateLimitsOff(row.syncSettings)) return new UnlimitedBudget(module.definition.id);
  return new WindowBudget({ crm: module.definition.id, key: budgetKey(row.id), windows: module.definition.limits.windows, store: budgetStore(ctx) });
}

/** Refuse a connection that cannot be used, with the code the API answers. */
export function assertUsable(row: ConnectionRow): void {
  const name = CRM_NAMES[crmOf(row)];
  if (!row.isActive) throw new AppError('CONNECTION_INACTIVE', `This ${name} connection is disconnected. Connect ${name} again.`);
  if (row.needsReauth) throw new AppError('CONNECTION_REAUTH_REQUIRED', row.lastError ?? `${name} no longer accepts this connection. Reconnect ${name}.`);
}

export async function createClientForConnection(
  ctx: AppContext,
  authOrOrganizationId: AuthContext | string,
  connectionId: string,
  options: ConnectionClientOptions = {},
): Promise<ConnectionClient> {
  const organizationId = typeof authOrOrganizationId === 'string' ? authOrOrganizationId : authOrOrganizationId.organizationId;
  const actor = options.actorUserId !== undefined ? options.actorUserId : typeof authOrOrganizationId === 'string' ? null : authOrOrganizationId.userId;
  const row = await getConnectionRow(ctx.db, organizationId, connectionId);
  assertUsable(row);
  const crm = crmOf(row);
  const resolved = await resolveForContext(ctx, crm);
  // Tokens from a simulator mean nothing to the real CRM (and the reverse): say so instead of failing a refresh.
  if (readSettings(row.syncSettings).simulator !== (resolved.mode === 'sandbox')) {
    throw new AppError(
      'CONNECTION_REAUTH_REQUIRED',
      `This connection was made with the ${CRM_NAMES[crm]} ${readSettings(row.syncSettings).simulator ? 'sandbox' : 'live service'}, but this server now uses the ${resolved.mode === 'sandbox' ? 'sandbox' : 'live service'}. Reconnect ${CRM_NAMES[crm]}.`,
    );
  }
  const module = resolved.module;
  const http = createCrmHttp({
    logger: ctx.logger,
    ...options.http,
    ...(options.signal ? { signal: options.signal } : {}),
    module,
    tokens: new ConnectionTokenProvider(ctx, forConnection(resolved, row.syncSettings), row.id, actor),
    budget: budgetFor(ctx, module, row),
  });
  const client = module.createClient({ ...options.client, http, connection: { id: row.id, syncSettings: row.syncSettings ?? null } });
  return { client, module, connection: toView(row) };
}
